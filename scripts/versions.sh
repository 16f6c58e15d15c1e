# Pinned tool versions; they must match each other (see ../shared/toolchain.md).
WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14
WORKER_BUILD_VERSION=0.8.7
