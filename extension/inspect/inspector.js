// @ts-check
/**
 * The only module that imports the attachment inspector's wasm bindings (the second wasm
 * module, `inspect/pkg/`, built by `cargo xtask dist` next to the engine's). The add-on's
 * inspection worker, the playground and the node tests go through it, so that every surface
 * inspects a file the same way.
 *
 * The inspector is loaded only when a mail has attachments: nothing on the path of a mail
 * without attachments imports this module (the background starts `worker.js`, which imports
 * it, only then).
 *
 * Legacy Japanese charsets (Shift_JIS, EUC-JP, ISO-2022-JP) are decoded by the platform's
 * `TextDecoder`, which the inspector calls back: the module itself carries no charset tables.
 */

/**
 * The facts about one file, as `crates/facts` serializes them (camelCase, kebab-case kinds).
 * @typedef {{ place: string, text: string }} TextChunk
 * @typedef {{ place: string, charset: string, bytes: number[] }} Undecoded
 * @typedef {{ place: string, reason: string, detail: string }} Problem
 * @typedef {{ header: string, class: string | null, samples: string[] }} Column
 * @typedef {{ place: string, header: string[], rows: number, columns: Column[] }} Table
 * @typedef {{ path: string, compressedSize: number, size: number, facts: Facts }} Entry
 * @typedef {{ name: string, size: number, kind: string, nameKind: string | null, mismatch: boolean,
 *             encrypted: { place: string, method: string }[], text: TextChunk[], undecoded: Undecoded[],
 *             tables: Table[], entries: Entry[], problems: Problem[], assessments?: Assessment[] }} Facts
 * @typedef {{ ja: string, en: string, zh: string }} Words
 * @typedef {{ code: string, message: Words, excerpts: { place: string, text: Words }[] }} Assessment
 * @typedef {{ maxBytes?: number, maxDepth?: number, maxEntries?: number, maxExpandedBytes?: number,
 *             maxRatio?: number, maxTextBytes?: number, maxCells?: number, minRows?: number,
 *             blockedExtensions?: string[] }} Limits
 */

/**
 * @typedef {{ default: (init: { module_or_path: WebAssembly.Module | BufferSource | URL | Response }) => Promise<unknown>,
 *             inspect: (bytes: Uint8Array, name: string, limits: Limits | null | undefined,
 *                       decode?: (label: string, bytes: Uint8Array) => string | undefined) => Facts,
 *             defaultLimits: () => Limits }} Bindings
 */

/** The bindings' URL, relative to this module. */
const BINDINGS = "./pkg/misend_guard_inspect_wasm.js";

/** @type {Promise<Inspector> | undefined} */
let loading;

/**
 * Loads the inspector once.
 * @param {BufferSource | URL | string} [wasm] the module's bytes or URL; by default it is fetched
 *   next to the bindings, which is right for extension pages, workers and the playground
 * @returns {Promise<Inspector>}
 */
export function loadInspector(wasm) {
  loading ??= (async () => {
    const bindings = /** @type {Bindings} */ (await import(BINDINGS));
    const source = wasm ?? new URL("./pkg/misend_guard_inspect_wasm_bg.wasm", import.meta.url);
    const module = typeof source === "string" || source instanceof URL ? await compileFrom(source) : await WebAssembly.compile(source);
    await bindings.default({ module_or_path: module });
    return new Inspector(bindings);
  })().catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * @param {string | URL} url
 * @returns {Promise<WebAssembly.Module>}
 */
async function compileFrom(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the attachment inspector could not be fetched: ${response.status} ${response.statusText}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Decodes a legacy charset with the platform's decoder; a label the platform does not know
 * leaves the chunk undecoded (the inspector then reports it as not read).
 * @param {string} label a WHATWG encoding label
 * @param {Uint8Array} bytes
 * @returns {string | undefined}
 */
export function decode(label, bytes) {
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return undefined;
  }
}

export class Inspector {
  /** @param {Bindings} bindings */
  constructor(bindings) {
    this.bindings = bindings;
  }

  /**
   * The facts about one file. What the file holds never makes this throw; only limits of the
   * wrong shape, or a trap of the module, do.
   * @param {Uint8Array} bytes
   * @param {string} name
   * @param {Limits | null} [limits] the review's `inspection.limits`; the defaults without
   * @returns {Facts}
   */
  inspect(bytes, name, limits = null) {
    return this.bindings.inspect(bytes, name, limits ?? undefined, decode);
  }

  /** The inspector's default limits. */
  defaultLimits() {
    return this.bindings.defaultLimits();
  }
}
