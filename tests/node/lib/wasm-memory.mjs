// @ts-check
/**
 * Makes the real wasm engine trap, from the outside: every `WebAssembly.Memory` whose buffer
 * JavaScript reads is noted, and `exhaust()` grows it to the most the runtime allows. The
 * engine's own allocator then finds no memory to grow into, and its next sizeable allocation
 * aborts, which in WebAssembly is a trap (`RuntimeError: unreachable`), raised by the engine's
 * own code exactly as an allocation failure or a stack overflow would be in the field.
 *
 * Install it before the engine first runs, so that its memory is noted.
 */

const descriptor = /** @type {PropertyDescriptor} */ (Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, "buffer"));
const bufferOf = (/** @type {WebAssembly.Memory} */ memory) => /** @type {ArrayBuffer} */ (descriptor.get?.call(memory));

/** @type {Set<WebAssembly.Memory>} */
const memories = new Set();
let exhaustNew = false;

Object.defineProperty(WebAssembly.Memory.prototype, "buffer", {
  configurable: true,
  get() {
    if (!memories.has(this)) {
      memories.add(this);
      if (exhaustNew) grow(this);
    }
    return bufferOf(this);
  },
});

/**
 * Grows a memory until not even one more page fits.
 * @param {WebAssembly.Memory} memory
 */
function grow(memory) {
  for (let chunk = 65536; chunk >= 1; ) {
    try {
      memory.grow(chunk);
    } catch {
      chunk = Math.floor(chunk / 2);
    }
  }
}

/**
 * Exhausts every memory noted so far; with `{ andNew: true }`, every memory noted from now on
 * too (so that fresh instances trap as well), until `restore()`.
 * @param {{ andNew?: boolean }} [options]
 */
export function exhaust({ andNew = false } = {}) {
  for (const memory of memories) grow(memory);
  exhaustNew = andNew;
}

/** New instances get their memory as usual again. */
export function restore() {
  exhaustNew = false;
}

/** How many memories were noted: one per engine instance that ran. */
export function memoryCount() {
  return memories.size;
}
