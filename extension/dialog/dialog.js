// @ts-check
/**
 * The confirmation dialog page: connects to the background, renders the review, and
 * answers Send or Cancel. Closing the window or pressing Esc is Cancel.
 */
import { renderDialog } from "./render.js";

const request = new URLSearchParams(location.search).get("request") ?? "";
const port = messenger.runtime.connect({ name: "dialog" });
const app = /** @type {HTMLElement} */ (document.getElementById("app"));

/** @type {import("./render.js").Translate} */
const t = (key, ...subs) => messenger.i18n.getMessage(key, subs.map(String)) || key;

document.documentElement.lang = messenger.i18n.getUILanguage();
document.title = t("dialogTitle");

let answered = false;

/** @param {boolean} send */
function answer(send) {
  if (answered) return;
  answered = true;
  port.postMessage({ type: "answer", send });
}

port.onMessage.addListener((/** @type {any} */ message) => {
  if (message.type === "gone") {
    window.close();
    return;
  }
  if (message.type !== "review") return;
  const ticks = renderDialog(app, message.review, message.problems ?? [], t);
  document.title = message.review.subject ? `${t("dialogTitle")}: ${message.review.subject}` : t("dialogTitle");
  app.setAttribute("aria-busy", "false");
  const send = /** @type {HTMLButtonElement} */ (document.getElementById("send"));
  const cancel = /** @type {HTMLButtonElement} */ (document.getElementById("cancel"));
  send.addEventListener("click", () => {
    if (ticks.ready()) answer(true);
  });
  cancel.addEventListener("click", () => answer(false));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      answer(false);
    } else if (event.key === "Enter" && !(event.target instanceof HTMLButtonElement) && ticks.ready()) {
      event.preventDefault();
      answer(true);
    }
  });
  const first = /** @type {HTMLElement | null} */ (app.querySelector("input.tick:not(:disabled)") ?? cancel);
  first?.focus();
  document.documentElement.dataset.ready = "1";
});

port.postMessage({ type: "hello", request });
