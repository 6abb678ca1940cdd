// @ts-check
/**
 * Loads the built engine for node tests through the add-on's own wrapper,
 * `extension/engine/engine.js`, from the files `cargo xtask dist` wrote.
 */
import { readFile } from "node:fs/promises";
import { loadEngine } from "../../extension/engine/engine.js";

const wasmUrl = new URL("../../extension/engine/pkg/misend_guard_wasm_bg.wasm", import.meta.url);

/** @returns {Promise<import("../../extension/engine/engine.js").Engine>} */
export async function engine() {
  let bytes;
  try {
    bytes = await readFile(wasmUrl);
  } catch {
    throw new Error("the wasm engine is not built: run `cargo xtask dist` first");
  }
  return loadEngine(bytes);
}
