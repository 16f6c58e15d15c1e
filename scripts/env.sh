# Sourced by the scripts: puts the project's pinned tools first on PATH and
# sets what the wasm32 builds need on this machine.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WRANGLER_SEND_METRICS=false
export WASM_BINDGEN_BIN="$HOME/.cargo/bin/wasm-bindgen"
export WASM_OPT_BIN="$ROOT/node_modules/binaryen/bin/wasm-opt"
export ESBUILD_BIN="$ROOT/node_modules/@esbuild/linux-x64/bin/esbuild"

# True when the active Rust toolchain has no wasm32 standard library, so the
# build falls back to Debian's Rust with the standard library built from source.
has_rustup_wasm_std() {
  ls "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib"/libstd-*.rlib >/dev/null 2>&1
}
needs_build_std() {
  ! has_rustup_wasm_std
}

# Runs a wasm32 build command in the environment it needs (see shared/toolchain.md).
wasm_build() {
  if needs_build_std; then
    PATH="/usr/bin:$PATH" RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
      CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-19/bin/wasm-ld \
      "$@"
  else
    "$@"
  fi
}
