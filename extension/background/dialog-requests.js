// @ts-check
/**
 * The confirmation dialogs waiting for an answer, one per send.
 *
 * Each dialog is a popup window whose page connects a port named `dialog`. The page asks
 * for its request with `{type: "hello", request}`, is sent `{type: "review", review,
 * problems, applied, display}`, may ask for one-click fixes with `{type: "fix", fix}` (each
 * answered by a new `review`), and answers `{type: "answer", send}`. A port that
 * disconnects, or a window that closes, before an answer means Cancel.
 *
 * While a dialog is open, the background calls a parent API every few seconds: a pending
 * `onBeforeSend` delays the Manifest V3 event page's idle shutdown only once, and a
 * background shut down under an open dialog would leave the compose window locked.
 */

/**
 * Shorter than any idle timeout the event page may be given: the e2e suite proves the
 * keepalive with `extensions.background.idle.timeout` at 2 s, and at 5 s the background
 * was shut down under an open dialog there. One cheap call a second costs nothing.
 */
const KEEPALIVE_MS = 1000;

/**
 * @typedef {{ review: import("../engine/engine.js").Review, problems: string[],
 *             applied: import("./fixes.js").Applied[] }} Shown
 * @typedef {{ review: import("../engine/engine.js").Review, draft: import("../engine/engine.js").Draft,
 *             problems: string[], composeTabId: number, composeWindowId?: number,
 *             display?: { largeFonts: boolean }, bounds?: import("./bounds.js").Bounds,
 *             fix?: (fix: unknown) => Promise<Shown> }} DialogData
 * @typedef {{ send: boolean }} Answer
 * @typedef {{ data: DialogData, resolve: (answer: Answer) => void, windowId: number | null,
 *             port: any, answered: boolean, shown?: Shown }} Pending
 */

export class DialogRequests {
  constructor() {
    /** @type {Map<string, Pending>} */
    this.pending = new Map();
    /** @type {ReturnType<typeof setInterval> | null} */
    this.keepalive = null;
  }

  /**
   * Opens a dialog and resolves with the user's answer.
   * @param {DialogData} data
   * @returns {Promise<Answer>}
   */
  async open(data) {
    const id = crypto.randomUUID();
    /** @type {Promise<Answer>} */
    const answered = new Promise((resolve) => {
      this.pending.set(id, { data, resolve, windowId: null, port: null, answered: false });
    });
    this.startKeepalive();
    try {
      const win = await messenger.windows.create({
        type: "popup",
        url: `/dialog/dialog.html?request=${encodeURIComponent(id)}`,
        ...(data.bounds ?? { width: 760, height: 600 }),
        allowScriptsToClose: true,
      });
      const pending = this.pending.get(id);
      if (pending) pending.windowId = win.id ?? null;
    } catch (error) {
      this.pending.delete(id);
      this.stopKeepaliveIfIdle();
      throw error;
    }
    return answered;
  }

  /**
   * A dialog page connected.
   * @param {any} port
   */
  connect(port) {
    if (port.name !== "dialog") return;
    /** @type {string | null} */
    let requestId = null;
    port.onMessage.addListener((/** @type {any} */ message) => {
      if (message?.type === "hello" && typeof message.request === "string") {
        const pending = this.pending.get(message.request);
        if (!pending) {
          port.postMessage({ type: "gone" });
          return;
        }
        requestId = message.request;
        pending.port = port;
        // A page that connects again (reloaded) sees the mail as the last fix left it.
        const { review, problems, display } = pending.data;
        port.postMessage({ type: "review", ...(pending.shown ?? { review, problems, applied: [] }), display });
      } else if (message?.type === "fix" && requestId) {
        const pending = this.pending.get(requestId);
        if (pending && !pending.answered) this.fix(pending, message.fix);
      } else if (message?.type === "answer" && requestId) {
        this.finish(requestId, { send: message.send === true });
      }
    });
    port.onDisconnect.addListener(() => {
      if (requestId) this.finish(requestId, { send: false });
    });
  }

  /**
   * Applies a one-click fix and sends the dialog the new review. A failed fix sends the
   * review as it was, with the failure as a problem, so that the dialog is never stuck.
   * @param {Pending} pending
   * @param {unknown} fix
   */
  async fix(pending, fix) {
    const { display } = pending.data;
    let shown;
    try {
      if (!pending.data.fix) throw new Error("this dialog offers no fixes");
      shown = await pending.data.fix(fix);
    } catch (error) {
      const last = pending.shown ?? { review: pending.data.review, problems: pending.data.problems, applied: [] };
      shown = { ...last, problems: [...last.problems, `fix: ${error instanceof Error ? error.message : String(error)}`] };
    }
    if (pending.answered) return;
    pending.shown = shown;
    pending.port?.postMessage({ type: "review", ...shown, display });
  }

  /**
   * A window closed: if it was a dialog without an answer, that is Cancel.
   * @param {number} windowId
   */
  windowClosed(windowId) {
    for (const [id, pending] of this.pending) {
      if (pending.windowId === windowId) this.finish(id, { send: false });
    }
  }

  /**
   * @param {string} id
   * @param {Answer} answer
   */
  finish(id, answer) {
    const pending = this.pending.get(id);
    if (!pending || pending.answered) return;
    pending.answered = true;
    this.pending.delete(id);
    pending.resolve(answer);
    if (pending.windowId !== null) {
      messenger.windows.remove(pending.windowId).catch(() => {});
    }
    this.stopKeepaliveIfIdle();
  }

  startKeepalive() {
    this.keepalive ??= setInterval(() => {
      messenger.runtime.getPlatformInfo().catch(() => {});
    }, KEEPALIVE_MS);
  }

  stopKeepaliveIfIdle() {
    if (this.pending.size === 0 && this.keepalive !== null) {
      clearInterval(this.keepalive);
      this.keepalive = null;
    }
  }
}
