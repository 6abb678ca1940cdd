// @ts-check
/**
 * The first script of the background page (manifest.json): it starts fetching and compiling the
 * engine's WebAssembly module before the background's own modules are loaded, so that on a
 * Send that wakes the event page the compile runs while they load (Thunderbird compiles wasm
 * off the main thread). It imports nothing, so that it runs as soon as it is fetched.
 *
 * engine.js takes the compiled module from here once (`misendGuardEngineWasm`); when this
 * failed, or never ran (the playground, the node tests), it fetches and compiles the module
 * itself, and a failure there is the engine's failure, shown in the dialog as before.
 */
/** @type {any} */ (globalThis).misendGuardEngineWasm = (async () => {
  const response = await fetch(new URL("./pkg/misend_guard_wasm_bg.wasm", import.meta.url));
  if (!response.ok) throw new Error(`the engine could not be fetched: ${response.status} ${response.statusText}`);
  if (response.headers.get("Content-Type") === "application/wasm" && typeof WebAssembly.compileStreaming === "function") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
})();
// Not a failure of its own: engine.js compiles again and reports what fails then.
/** @type {any} */ (globalThis).misendGuardEngineWasm.catch(() => {});
