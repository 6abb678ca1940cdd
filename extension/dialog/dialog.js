// @ts-check
/**
 * The confirmation dialog page: renders the review, asks the background for one-click fixes,
 * runs the countdown, and answers Send or Cancel. The port to the background was opened by
 * connect.js, which runs before these modules have loaded.
 * Closing the window or pressing Esc is Cancel.
 *
 * Messages on the `dialog` port (one channel, typed names):
 * - to the background: `{type: "hello", request}`, `{type: "fix", fix}`, `{type: "answer", send}`;
 * - from the background: `{type: "review", review, problems, applied, display}` (again after
 *   each fix, and once the attachments are inspected), `{type: "gone"}` when the request is unknown.
 *
 * Keys: Space ticks the focused box, the arrow keys move between boxes, Enter sends when
 * everything is confirmed (or goes to the first unconfirmed item), Esc cancels.
 */
import { renderDialog } from "./render.js";
import { startCountdown } from "./countdown.js";
import { sendBlocked } from "./blocked.js";

/** The port connect.js opened, and said hello on, while these modules loaded. */
const { port } = /** @type {any} */ (globalThis).dialogChannel;
const app = /** @type {HTMLElement} */ (document.getElementById("app"));

/**
 * The texts asked for so far: a thousand rows ask for the same few labels a thousand times,
 * and each call into the extension API costs tens of microseconds.
 * @type {Map<string, string>}
 */
const texts = new Map();
/** @type {import("./render.js").Translate} */
const t = (key, ...subs) => {
  const id = subs.length ? `${key}\u0000${subs.join("\u0000")}` : key;
  let text = texts.get(id);
  if (text === undefined) {
    text = messenger.i18n.getMessage(key, subs.map(String)) || key;
    texts.set(id, text);
  }
  return text;
};

document.documentElement.lang = messenger.i18n.getUILanguage();
document.title = t("dialogTitle");

/** @type {import("./render.js").DialogView | null} */
let view = null;
/** @type {{ cancel(): void, sendNow(): void } | null} */
let countdown = null;
let answered = false;
let fixing = false;
let renders = 0;
/** @type {import("../engine/engine.js").Review | null} the review shown now */
let shownReview = null;

/** @param {boolean} send */
function answer(send) {
  if (answered) return;
  // Whatever path asks to send (the button, Enter, the end of a countdown), a mail that
  // something blocks is never sent; the background refuses it as well.
  if (send && sendBlocked(shownReview)) return;
  answered = true;
  saveBounds();
  port.postMessage({ type: "answer", send });
}

function onSend() {
  if (!view || answered || countdown || fixing || !view.ticks.ready() || sendBlocked(shownReview)) return;
  const { countdownSeconds, allowSendNow } = view.plan;
  if (countdownSeconds <= 0) {
    answer(true);
    return;
  }
  view.ticks.lock(true);
  for (const button of app.querySelectorAll("button.fix, input.check-all")) /** @type {HTMLButtonElement} */ (button).disabled = true;
  countdown = startCountdown(view.footer, {
    seconds: countdownSeconds,
    allowSendNow,
    t,
    onSend: () => answer(true),
    onCancel: () => answer(false),
  });
}

/** @param {import("./render.js").Fix} fix */
function onFix(fix) {
  if (!view || answered || countdown || fixing) return;
  fixing = true;
  view.ticks.lock(true);
  for (const button of app.querySelectorAll("button")) /** @type {HTMLButtonElement} */ (button).disabled = true;
  /** @type {HTMLButtonElement} */ (view.cancel).disabled = false;
  app.setAttribute("aria-busy", "true");
  port.postMessage({ type: "fix", fix });
}

/** @param {any} message */
function showReview(message) {
  if (renders === 0) performance.mark("misend-guard:review");
  const previous = view?.ticks.snapshot() ?? null;
  // A review that arrives while the person works (the attachments' findings, once inspected)
  // leaves the focus where it was, on the same control when it is still there.
  const focused = view && document.activeElement instanceof HTMLElement && app.contains(document.activeElement) ? document.activeElement.id : "";
  shownReview = message.review;
  delete document.documentElement.dataset.complete;
  view = renderDialog(app, message.review, message.problems ?? [], t, {
    previous,
    onFix,
    applied: message.applied ?? [],
    notices: Array.isArray(message.notices) ? message.notices : [],
  });
  if (renders === 0) performance.mark("misend-guard:rendered");
  fixing = false;
  renders++;
  document.documentElement.classList.toggle("large", message.display?.largeFonts === true);
  document.title = message.review.subject ? `${t("dialogTitle")}: ${message.review.subject}` : t("dialogTitle");
  view.send.addEventListener("click", onSend);
  view.cancel.addEventListener("click", () => (countdown ? countdown.cancel() : answer(false)));
  app.setAttribute("aria-busy", "false");
  const again = focused ? document.getElementById(focused) : null;
  if (again) again.focus();
  else view.focusFirst();
  document.documentElement.dataset.renders = String(renders);
  document.documentElement.dataset.ready = "1";
  // Every row built (a long list is completed after the first paint, render.js).
  const shown = view;
  shown.whenComplete.then(() => {
    if (view === shown) document.documentElement.dataset.complete = "1";
  });
  // The moment the person first sees the review, for tests/bench/dialog-bench.mjs.
  if (renders === 1) performance.mark("misend-guard:ready");
}

/** @type {any} */ (globalThis).dialogChannel.take((/** @type {any} */ message) => {
  if (message?.type === "gone") {
    window.close();
  } else if (message?.type === "review" && !answered) {
    showReview(message);
  }
});

document.addEventListener("keydown", (event) => {
  // Keys that finish or cancel a Japanese IME composition (Enter, Esc) belong to the IME.
  if (event.isComposing || event.keyCode === 229) return;
  if (event.key === "Escape") {
    event.preventDefault();
    if (countdown) countdown.cancel();
    else answer(false);
    return;
  }
  if (!view) return;
  const target = /** @type {HTMLElement} */ (event.target);
  // The keys that move through the rows or look for the first one to tick want them all.
  if (event.key === "Enter" || event.key === "ArrowDown" || event.key === "ArrowUp") view.complete();
  if (event.key === "Enter") {
    // A focused button does what it says; Enter elsewhere means Send.
    if (target instanceof HTMLButtonElement || countdown) return;
    event.preventDefault();
    if (view.ticks.ready()) {
      onSend();
    } else {
      const pending = view.ticks.firstPending();
      if (pending && pending.control !== target) pending.control.focus();
      pending?.control.closest("[data-kind]")?.classList.add("flash");
      setTimeout(() => pending?.control.closest("[data-kind]")?.classList.remove("flash"), 1200);
    }
    return;
  }
  if ((event.key === "ArrowDown" || event.key === "ArrowUp") && target instanceof HTMLInputElement) {
    const controls = /** @type {HTMLInputElement[]} */ ([...app.querySelectorAll("input.tick:not(:disabled), input.retype:not(:disabled), input.check-all:not(:disabled)")]);
    const at = controls.indexOf(target);
    if (at < 0) return;
    event.preventDefault();
    const next = controls[Math.min(controls.length - 1, Math.max(0, at + (event.key === "ArrowDown" ? 1 : -1)))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
});

// The dialog remembers where it was: the background opens the next one there.
/** @type {string} */
let savedBounds = "";
function saveBounds() {
  const bounds = { left: window.screenX, top: window.screenY, width: window.outerWidth, height: window.outerHeight };
  const key = JSON.stringify(bounds);
  if (key === savedBounds || bounds.width <= 0 || bounds.height <= 0) return;
  savedBounds = key;
  messenger.storage.local.set({ dialogBounds: bounds }).catch(() => {});
}
/** @type {ReturnType<typeof setTimeout> | undefined} */
let resizeTimer;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(saveBounds, 300);
});
// Moving a window fires no event: look once a second.
setInterval(saveBounds, 1000);
window.addEventListener("pagehide", saveBounds);

