// Starts the app. Trunk names the app's files in this script's address
// (pattern_script in Trunk.toml); a file rather than Trunk's inline script, so
// that the Content-Security-Policy (_headers) allows scripts from 'self' only.
const files = new URL(import.meta.url).searchParams;
const bindings = await import(files.get("js"));
await bindings.default({ module_or_path: files.get("wasm") });
// What Trunk's own starter exposes; the browser benchmark calls into it.
window.wasmBindings = bindings;
