// @ts-check
/**
 * The confirmation dialogs waiting for an answer, one per send.
 *
 * Each dialog is a popup window whose page connects a port named `dialog`. The page asks
 * for its request with `{type: "hello", request}`, is sent `{type: "review", review,
 * problems, applied, display}`, may ask for one-click fixes with `{type: "fix", fix}` (each
 * answered by a new `review`), and answers `{type: "answer", send}`. A port that
 * disconnects, or a window that closes, before an answer means Cancel; so does closing the
 * compose window the dialog belongs to, which closes the dialog too.
 *
 * The page is not trusted: a Send answer is Cancel while the review shown last still holds
 * something no tick can pass, or an attachment still being inspected (dialog/blocked.js),
 * whatever the page says.
 *
 * The page may have taken its first review already, without a round trip, from the
 * background's window (`first`, called through `extension.getBackgroundPage()` while the page
 * is parsed): its hello then says the version it has (`{type: "hello", request, has}`), and
 * it is sent a review only if a newer one is there.
 * The background may push a newer review into an open dialog (`data.updates`): the review
 * with the findings about the attachments' contents, once they are inspected. Each review
 * carries a `version`; a dialog is never sent one older than it has.
 *
 * Nothing here waits for ever: opening the window has a deadline, a window closed before
 * Thunderbird reported it open is recognised, and a page that never says hello is Cancel.
 *
 * While a dialog is open, the background calls a parent API every few seconds: a pending
 * `onBeforeSend` delays the Manifest V3 event page's idle shutdown only once, and a
 * background shut down under an open dialog would leave the compose window locked.
 */
import { withDeadline } from "../common/deadline.js";
import { errorText, localized } from "../common/text.js";
import { inspectionPending, sendBlocked } from "../dialog/blocked.js";

/**
 * Shorter than any idle timeout the event page may be given: the e2e suite proves the
 * keepalive with `extensions.background.idle.timeout` at 2 s, and at 5 s the background
 * was shut down under an open dialog there. One cheap call a second costs nothing.
 */
const KEEPALIVE_MS = 1000;

/**
 * How long opening the dialog window may take, and how long its page may take to connect
 * once it is open (both far above the 0.1–0.3 s seen), before the Send is cancelled.
 */
export const TIMEOUTS = { createMs: 15000, helloMs: 30000 };

/**
 * @typedef {{ review: import("../engine/engine.js").Review, problems: string[],
 *             applied: import("./fixes.js").Applied[], version?: number }} Shown
 * @typedef {{ review: import("../engine/engine.js").Review, draft: import("../engine/engine.js").Draft,
 *             problems: string[], notices?: string[], composeTabId: number, composeWindowId?: number,
 *             display?: { largeFonts: boolean }, bounds?: import("./bounds.js").Bounds,
 *             fix?: (fix: unknown) => Promise<Shown>,
 *             updates?: (push: (shown: Shown) => void) => void }} DialogData
 *   `updates` is called once, as the dialog opens, with the function that pushes a newer review
 * @typedef {{ send: boolean, how?: "sent" | "cancelled" | "closed" | "refused" }} Answer
 *   `how` says how the dialog ended, for the confirmation record (background/audit.js): Send
 *   taken, Cancel (or Esc), the window closed (or the page never connected), or a Send refused
 * @typedef {{ data: DialogData, resolve: (answer: Answer) => void, windowId: number | null,
 *             port: any, answered: boolean, shown?: Shown, fixing?: boolean,
 *             helloTimer?: ReturnType<typeof setTimeout> }} Pending
 */

export class DialogRequests {
  constructor() {
    /** @type {Map<string, Pending>} */
    this.pending = new Map();
    /** @type {ReturnType<typeof setInterval> | null} */
    this.keepalive = null;
    /**
     * Windows closed while a dialog window was being opened: Thunderbird may report a window
     * closed before `windows.create` has told us its id.
     * @type {Set<number>}
     */
    this.closedWhileOpening = new Set();
    this.opening = 0;
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
    data.updates?.((shown) => this.push(id, shown));
    this.startKeepalive();
    this.opening++;
    try {
      const win = await withDeadline(
        () =>
          messenger.windows.create({
            type: "popup",
            url: `/dialog/dialog.html?request=${encodeURIComponent(id)}`,
            ...(data.bounds ?? { width: 760, height: 600 }),
            allowScriptsToClose: true,
          }),
        TIMEOUTS.createMs,
        "the window manager",
      );
      const pending = this.pending.get(id);
      if (pending) {
        pending.windowId = typeof win?.id === "number" ? win.id : null;
        if (pending.windowId !== null && this.closedWhileOpening.has(pending.windowId)) {
          this.finish(id, { send: false, how: "closed" });
        } else if (!pending.port) {
          pending.helloTimer = setTimeout(() => {
            console.error("misend-guard: the dialog page did not connect; the send is cancelled");
            this.finish(id, { send: false, how: "closed" });
          }, TIMEOUTS.helloMs);
        }
      }
    } catch (error) {
      this.pending.delete(id);
      this.stopKeepaliveIfIdle();
      throw error;
    } finally {
      if (--this.opening === 0) this.closedWhileOpening.clear();
    }
    return answered;
  }

  /**
   * The review message a dialog page is to show now, or null for a request that is not open.
   * @param {string} id
   */
  first(id) {
    const pending = this.pending.get(id);
    if (!pending || pending.answered) return null;
    const { review, problems, notices, display } = pending.data;
    return { type: "review", ...(pending.shown ?? { review, problems, applied: [] }), notices: notices ?? [], display };
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
        clearTimeout(pending.helloTimer);
        // A page that connects again (reloaded) sees the mail as the last fix left it. A page
        // that took this very review from `first` is not sent it again.
        const latest = this.first(message.request);
        if (latest && message.has !== (latest.version ?? 0)) port.postMessage(latest);
      } else if (message?.type === "fix" && requestId) {
        const pending = this.pending.get(requestId);
        if (pending && !pending.answered) this.fix(pending, message.fix);
      } else if (message?.type === "answer" && requestId) {
        this.answer(requestId, message.send === true);
      }
    });
    port.onDisconnect.addListener(() => {
      if (requestId) this.finish(requestId, { send: false, how: "closed" });
    });
  }

  /**
   * Applies a one-click fix and sends the dialog the new review. A failed fix sends the
   * review as it was, with the failure as a problem, so that the dialog is never stuck.
   * @param {Pending} pending
   * @param {unknown} fix
   */
  async fix(pending, fix) {
    let shown;
    pending.fixing = true;
    try {
      if (!pending.data.fix) throw new Error("this dialog offers no fixes");
      shown = await pending.data.fix(fix);
    } catch (error) {
      const last = pending.shown ?? { review: pending.data.review, problems: pending.data.problems, applied: [] };
      shown = { ...last, problems: [...last.problems, localized(globalThis.messenger?.i18n, "problemFixFailed", errorText(error, globalThis.messenger?.i18n))] };
    }
    pending.fixing = false;
    if (pending.answered) return;
    this.show(pending, shown);
  }

  /**
   * Shows a newer review in an open dialog (the attachments inspected). A review older than
   * the one shown is dropped, so that a fix answered late never takes the findings back.
   * @param {string} id
   * @param {Shown} shown
   */
  push(id, shown) {
    const pending = this.pending.get(id);
    if (!pending || pending.answered) return;
    this.show(pending, shown);
  }

  /**
   * @param {Pending} pending
   * @param {Shown} shown
   */
  show(pending, shown) {
    if (pending.shown && (shown.version ?? 0) < (pending.shown.version ?? 0)) shown = pending.shown;
    pending.shown = shown;
    pending.port?.postMessage({ type: "review", ...shown, notices: pending.data.notices ?? [], display: pending.data.display });
  }

  /**
   * The page's answer. Send is only taken when the review the page was shown last has
   * nothing left that blocks, and no fix is still being applied; otherwise it is Cancel.
   * @param {string} id
   * @param {boolean} send
   */
  answer(id, send) {
    const pending = this.pending.get(id);
    if (!pending) return;
    if (send) {
      const review = pending.shown?.review ?? pending.data.review;
      if (pending.fixing || sendBlocked(review) || inspectionPending(review)) {
        console.error("misend-guard: a Send answer for a mail that is blocked, being changed or still being inspected; the send is cancelled");
        this.finish(id, { send: false, how: "refused" });
        return;
      }
    }
    this.finish(id, { send, how: send ? "sent" : "cancelled" });
  }

  /**
   * A window closed: if it was a dialog without an answer, that is Cancel; if it was the
   * compose window of an open dialog, the dialog is closed and that is Cancel too.
   * @param {number} windowId
   */
  windowClosed(windowId) {
    if (this.opening > 0) this.closedWhileOpening.add(windowId);
    for (const [id, pending] of this.pending) {
      if (pending.windowId === windowId || pending.data.composeWindowId === windowId) this.finish(id, { send: false, how: "closed" });
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
    clearTimeout(pending.helloTimer);
    this.pending.delete(id);
    pending.resolve(answer);
    if (pending.windowId !== null) {
      try {
        Promise.resolve(messenger.windows.remove(pending.windowId)).catch(() => {});
      } catch {
        // A window that cannot be removed is closed by its page, which is told it is gone.
      }
    }
    this.stopKeepaliveIfIdle();
  }

  startKeepalive() {
    this.keepalive ??= setInterval(() => {
      try {
        Promise.resolve(messenger.runtime.getPlatformInfo()).catch(() => {});
      } catch {
        // The next tick tries again.
      }
    }, KEEPALIVE_MS);
  }

  stopKeepaliveIfIdle() {
    if (this.pending.size === 0 && this.keepalive !== null) {
      clearInterval(this.keepalive);
      this.keepalive = null;
    }
  }
}
