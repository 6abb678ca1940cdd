// @ts-check
/**
 * Loads the built attachment inspector (the second wasm module) for node tests through the
 * add-on's own wrapper, `extension/inspect/inspector.js`, and inspects the fixtures of
 * tests/attachments/ as the add-on does.
 */
import { readFile } from "node:fs/promises";
import { loadInspector } from "../../extension/inspect/inspector.js";

const wasmUrl = new URL("../../extension/inspect/pkg/misend_guard_inspect_wasm_bg.wasm", import.meta.url);

/** @returns {Promise<import("../../extension/inspect/inspector.js").Inspector>} */
export async function inspector() {
  let bytes;
  try {
    bytes = await readFile(wasmUrl);
  } catch {
    throw new Error("the attachment inspector is not built: run `cargo xtask dist` first");
  }
  return loadInspector(bytes);
}

/**
 * What the add-on passes for a file it inspected.
 * @param {string} file  relative to tests/, as golden cases name it (`attachments/customers.xlsx`)
 * @param {string} name  the attachment's name
 * @param {import("../../extension/inspect/inspector.js").Limits | null} [limits]
 * @returns {Promise<{ state: "inspected", facts: import("../../extension/inspect/inspector.js").Facts }>}
 */
export async function inspectedFile(file, name, limits = null) {
  const bytes = new Uint8Array(await readFile(new URL(`../${file}`, import.meta.url)));
  return { state: "inspected", facts: (await inspector()).inspect(bytes, name, limits) };
}
