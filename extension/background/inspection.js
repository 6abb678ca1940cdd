// @ts-check
/**
 * Reads a mail's attachments and has them inspected in a dedicated worker (inspect/worker.js),
 * within the limits and the deadline the review's `inspection` gives.
 *
 * Every attachment ends in exactly one state, never skipped and never left waiting:
 * `inspected` with its facts, or `failed` with a reason: `too-large` (over `maxBytes`, or
 * over what is left of `maxTotalBytes` for the mail; not read at all), `timeout` (the mail's
 * deadline passed: the worker is terminated, whatever it was doing), `error` (the file could
 * not be read, or the worker failed on it), `unavailable` (Thunderbird gave no way to read it,
 * or no worker can be started here).
 *
 * The worker is started only when at least one attachment is to be read, so a mail without
 * attachments, or with only files over the limits, never loads the inspector.
 */

/**
 * @typedef {import("../inspect/inspector.js").Facts} Facts
 * @typedef {{ state: "pending" } | { state: "inspected", facts: Facts }
 *   | { state: "failed", reason: "timeout" | "error" | "too-large" | "unavailable", detail: string }} Contents
 * @typedef {{ enabled: boolean, limits: import("../inspect/inspector.js").Limits & { maxBytes?: number },
 *             maxTotalBytes: number, timeoutMs: number }} Inspection
 * @typedef {{ id: number | null, name: string, size: number | null }} Source
 * @typedef {{ postMessage(message: unknown, transfer?: Transferable[]): void, terminate(): void,
 *             addEventListener(type: string, listener: (event: any) => void): void }} WorkerLike
 * @typedef {object} Io
 * @property {(id: number) => Promise<Blob>} read  the attachment's file (`compose.getAttachmentFile`)
 * @property {(() => WorkerLike) | null} startWorker  a new inspection worker, or null where none can run
 * @property {AbortSignal} [signal]  aborted when the answer no longer matters (the dialog closed)
 */

/** Used when the review gives no limits (an engine older than the inspection). */
const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

/**
 * @param {Source[]} attachments  in the order of the draft
 * @param {Inspection} inspection  the review's `inspection`
 * @param {Io} io
 * @returns {Promise<Contents[]>} one entry per attachment, in the same order
 */
export async function inspectAttachments(attachments, inspection, io) {
  const maxBytes = finite(inspection.limits?.maxBytes, DEFAULT_MAX_BYTES);
  let left = finite(inspection.maxTotalBytes, 2 * maxBytes);
  const timeoutMs = finite(inspection.timeoutMs, 3000);
  /** @type {(Contents | undefined)[]} */
  const results = attachments.map(() => undefined);
  /** @type {number[]} */
  const queue = [];
  attachments.forEach((a, i) => {
    if (a.id === null) {
      results[i] = failed("unavailable", "the attachment has no id to read it by");
    } else if (a.size !== null && a.size > maxBytes) {
      results[i] = failed("too-large", `${a.size} bytes, over the limit of ${maxBytes} bytes per attachment`);
    } else if (a.size !== null && a.size > left) {
      results[i] = failed("too-large", `${a.size} bytes, over the ${left} bytes left of the limit per mail`);
    } else {
      left -= a.size ?? 0;
      queue.push(i);
    }
  });
  if (queue.length > 0 && !io.startWorker) {
    for (const i of queue) results[i] = failed("unavailable", "no worker can be started to inspect attachments here");
    queue.length = 0;
  }
  if (queue.length > 0) {
    const run = new Run(io, /** @type {() => WorkerLike} */ (io.startWorker), timeoutMs);
    try {
      for (const i of queue) {
        if (run.over) break;
        results[i] = await run.one(attachments[i], /** @type {number} */ (attachments[i].id), inspection, maxBytes, () => left, (n) => (left -= n));
      }
    } finally {
      run.stop();
    }
    const why = run.aborted ? "the dialog was closed" : `the inspection of this mail took longer than ${timeoutMs / 1000} s`;
    for (const i of queue) results[i] ??= failed("timeout", why);
  }
  return results.map((r) => r ?? failed("error", "not inspected"));
}

/**
 * One mail's inspection: the worker (started on the first file that is read), the deadline,
 * and the file being waited for.
 */
class Run {
  /**
   * @param {Io} io
   * @param {() => WorkerLike} startWorker
   * @param {number} timeoutMs
   */
  constructor(io, startWorker, timeoutMs) {
    this.io = io;
    this.startWorker = startWorker;
    /** @type {WorkerLike | null} */
    this.worker = null;
    this.seq = 0;
    this.over = false;
    this.aborted = false;
    /** @type {((outcome: { timeout: true }) => void)[]} the waits the deadline ends */
    this.waiting = [];
    const end = (/** @type {boolean} */ aborted) => {
      this.over = true;
      this.aborted = aborted;
      this.kill();
      for (const wake of this.waiting.splice(0)) wake({ timeout: true });
    };
    this.timer = setTimeout(() => end(false), timeoutMs);
    this.onAbort = () => end(true);
    if (io.signal?.aborted) end(true);
    io.signal?.addEventListener("abort", this.onAbort);
  }

  /**
   * Settles like `promise`, or with `{timeout: true}` when the deadline passes first.
   * @template T
   * @param {Promise<T>} promise
   * @returns {Promise<T | { timeout: true }>}
   */
  race(promise) {
    if (this.over) return Promise.resolve({ timeout: /** @type {const} */ (true) });
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      promise.then(resolve, reject);
    });
  }

  /**
   * Reads and inspects one attachment.
   * @param {Source} source
   * @param {number} id
   * @param {Inspection} inspection
   * @param {number} maxBytes
   * @param {() => number} left  what is left of the mail's byte budget
   * @param {(n: number) => void} spend  takes bytes of the budget that the listed size did not announce
   * @returns {Promise<Contents | undefined>} undefined when the deadline passed
   */
  async one(source, id, inspection, maxBytes, left, spend) {
    /** @type {Blob | { timeout: true }} */
    let file;
    try {
      file = await this.race(Promise.resolve().then(() => this.io.read(id)));
    } catch (error) {
      return failed("error", `the attachment could not be read: ${message(error)}`);
    }
    if ("timeout" in file) return undefined;
    if (!file || typeof file.size !== "number" || typeof file.arrayBuffer !== "function") {
      return failed("error", "the attachment could not be read: Thunderbird gave no file");
    }
    if (file.size > maxBytes) return failed("too-large", `${file.size} bytes, over the limit of ${maxBytes} bytes per attachment`);
    // A listed size may be missing or differ from the file's: the budget counts the file.
    const extra = file.size - (source.size ?? 0);
    if (extra > 0) {
      if (extra > left()) return failed("too-large", `${file.size} bytes, over what is left of the limit per mail`);
      spend(extra);
    }
    /** @type {ArrayBuffer | { timeout: true }} */
    let bytes;
    try {
      bytes = await this.race(file.arrayBuffer());
    } catch (error) {
      return failed("error", `the attachment could not be read: ${message(error)}`);
    }
    if ("timeout" in bytes) return undefined;
    /** @type {{ facts?: Facts, error?: string } | { timeout: true }} */
    let reply;
    try {
      reply = await this.race(this.ask(source.name, bytes, inspection.limits));
    } catch (error) {
      this.kill();
      return failed("error", `the inspection failed: ${message(error)}`);
    }
    if ("timeout" in reply) return undefined;
    if (reply.error !== undefined || !reply.facts) {
      // A trap may leave the module's memory in any state: the next file gets a fresh worker.
      this.kill();
      return failed("error", `the inspection failed: ${reply.error ?? "no facts"}`);
    }
    return { state: "inspected", facts: reply.facts };
  }

  /**
   * @param {string} name
   * @param {ArrayBuffer} bytes
   * @param {unknown} limits
   * @returns {Promise<{ facts?: Facts, error?: string }>}
   */
  ask(name, bytes, limits) {
    const worker = (this.worker ??= this.startWorker());
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      worker.addEventListener("message", (event) => {
        if (event?.data?.seq === seq) resolve(event.data);
      });
      worker.addEventListener("error", (event) => {
        event?.preventDefault?.();
        reject(new Error(event?.message || "the inspection worker failed"));
      });
      worker.addEventListener("messageerror", () => reject(new Error("the inspection worker's answer could not be read")));
      worker.postMessage({ seq, name, bytes, limits }, [bytes]);
    });
  }

  kill() {
    try {
      this.worker?.terminate();
    } catch {
      // A worker that cannot be terminated is dropped all the same.
    }
    this.worker = null;
  }

  stop() {
    clearTimeout(this.timer);
    this.io.signal?.removeEventListener("abort", this.onAbort);
    this.kill();
  }
}

/**
 * @param {"timeout" | "error" | "too-large" | "unavailable"} reason
 * @param {string} detail  English, for logs
 * @returns {Contents}
 */
function failed(reason, detail) {
  return { state: "failed", reason, detail };
}

/**
 * @param {unknown} value
 * @param {number} fallback
 */
function finite(value, fallback) {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** @param {unknown} error */
function message(error) {
  return error instanceof Error ? error.message || error.name : String(error);
}
