// @ts-check
/**
 * The inspection worker: a dedicated Web Worker that the background starts for a mail with
 * attachments, so that inspecting a large file never holds up the background's own work
 * (answering the dialog, keeping itself alive), and so that a file that takes too long can be
 * stopped by terminating the worker.
 *
 * It loads the inspector (the second wasm module) on its first message, not before.
 *
 * Messages: `{seq, name, bytes: ArrayBuffer, limits}` in; `{seq, facts}` or `{seq, error}` out.
 * After an error the background terminates this worker and starts another one for the next
 * file: a trap may have left the module's memory in any state.
 */
import { loadInspector } from "./inspector.js";

const scope = /** @type {{ onmessage: ((event: MessageEvent) => void) | null, postMessage(message: unknown): void }} */ (
  /** @type {unknown} */ (globalThis)
);

scope.onmessage = async (/** @type {MessageEvent} */ event) => {
  const { seq, name, bytes, limits } = event.data ?? {};
  try {
    const inspector = await loadInspector();
    const facts = inspector.inspect(new Uint8Array(bytes), String(name ?? ""), limits ?? null);
    scope.postMessage({ seq, facts });
  } catch (error) {
    scope.postMessage({ seq, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
};
