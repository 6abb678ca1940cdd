// @ts-check
/**
 * The delayed send: after Send, the dialog counts down the policy's seconds with Cancel and,
 * if the policy allows it, "Send now". The mail is held by the pending `onBeforeSend` until
 * the countdown ends, so Cancel during the countdown cancels the send and keeps the draft.
 *
 * Pure DOM and timers, no extension API. The time left is computed from a deadline rather
 * than counted in ticks, so that a busy machine shows the right number.
 */

/**
 * @typedef {object} CountdownOptions
 * @property {number} seconds
 * @property {boolean} allowSendNow
 * @property {import("./render.js").Translate} t
 * @property {() => void} onSend  the countdown ended, or "Send now"
 * @property {() => void} onCancel
 */

/**
 * Replaces the footer's buttons with the countdown and starts it.
 * @param {HTMLElement} footer
 * @param {CountdownOptions} options
 * @returns {{ cancel(): void, sendNow(): void }}
 */
export function startCountdown(footer, { seconds, allowSendNow, t, onSend, onCancel }) {
  const doc = footer.ownerDocument;
  const total = seconds * 1000;
  const deadline = performance.now() + total;
  let finished = false;

  const text = doc.createElement("p");
  text.id = "countdown-text";
  text.className = "countdown-text";
  const bar = doc.createElement("div");
  bar.className = "countdown-bar";
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-labelledby", "countdown-text");
  bar.setAttribute("aria-valuemin", "0");
  bar.setAttribute("aria-valuemax", String(seconds));
  const fill = doc.createElement("div");
  fill.className = "countdown-fill";
  bar.append(fill);

  const cancel = doc.createElement("button");
  cancel.type = "button";
  cancel.id = "countdown-cancel";
  cancel.textContent = t("countdownCancel");
  cancel.setAttribute("aria-keyshortcuts", "Escape");
  const sendNow = doc.createElement("button");
  sendNow.type = "button";
  sendNow.id = "send-now";
  sendNow.className = "primary";
  sendNow.textContent = t("sendNow");
  sendNow.hidden = !allowSendNow;
  const buttons = doc.createElement("div");
  buttons.className = "countdown-actions";
  buttons.append(cancel, sendNow);

  const announce = doc.createElement("p");
  announce.className = "visually-hidden";
  announce.setAttribute("role", "status");

  const panel = doc.createElement("div");
  panel.id = "countdown";
  panel.className = "countdown";
  panel.setAttribute("role", "timer");
  panel.append(text, bar, buttons, announce);

  footer.classList.add("counting");
  footer.append(panel);
  // Announced once: a screen reader reading every second would drown everything else.
  announce.textContent = t("countdownStarted", seconds);

  const paint = () => {
    const left = Math.max(0, deadline - performance.now());
    const shown = Math.ceil(left / 1000);
    text.textContent = t("countdownText", shown);
    bar.setAttribute("aria-valuenow", String(shown));
    fill.style.width = `${total === 0 ? 0 : (100 * left) / total}%`;
    return left;
  };
  const timer = setInterval(() => {
    if (paint() <= 0) finish(true);
  }, 100);
  paint();

  /** @param {boolean} send */
  const finish = (send) => {
    if (finished) return;
    finished = true;
    clearInterval(timer);
    cancel.disabled = true;
    sendNow.disabled = true;
    if (send) {
      text.textContent = t("sending");
      onSend();
    } else {
      text.textContent = t("countdownCancelled");
      onCancel();
    }
  };
  cancel.addEventListener("click", () => finish(false));
  sendNow.addEventListener("click", () => {
    if (allowSendNow) finish(true);
  });
  cancel.focus();

  return {
    cancel: () => finish(false),
    sendNow: () => {
      if (allowSendNow) finish(true);
    },
  };
}
