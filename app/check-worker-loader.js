// Starts the bulk check's Web Worker (src/bin/check_worker.rs): loads its
// WebAssembly, then hands it the jobs that came while it was loading.
importScripts("check_worker.js");
const waiting = [];
self.onmessage = (event) => waiting.push(event);
wasm_bindgen({ module_or_path: "check_worker_bg.wasm" }).then(() => {
  for (const event of waiting) self.onmessage(event);
});
