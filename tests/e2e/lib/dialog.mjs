// @ts-check
/**
 * Finds and operates the add-on's confirmation dialog.
 *
 * The dialog is an extension page inside a popup window
 * (chrome://messenger/content/extensionPopup.xhtml, `<browser id="requestFrame">`).
 * Marionette's content context cannot reach it in Thunderbird ("no such frame"),
 * so a chrome-context script hands the page's browsing context to Marionette's
 * own `MarionetteCommands` window actor, which does the finding, clicking and
 * script running inside the extension process.
 * That actor is internal to Marionette: `inPage` below is the only place that uses it.
 */

import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { switchToMainWindow } from "./compose.mjs";
import { asyncBody } from "./marionette.mjs";

export const POPUP_URL = "chrome://messenger/content/extensionPopup.xhtml";

/**
 * The chrome-side half of `inPage`.
 * It runs in the main window, not in the popup, so that an action which closes
 * the popup (Send, Cancel, Esc) does not unload the script that caused it.
 * `op` is "url", "execute" (script, args), "click" (selector) or "key" (key name).
 */
const IN_PAGE = `
  const [marker, op, a, b] = arguments;
  const { getMarionetteCommandsActorProxy } = ChromeUtils.importESModule(
    "chrome://remote/content/marionette/actors/MarionetteCommandsParent.sys.mjs");
  let popup = null;
  for (const win of Services.wm.getEnumerator(null)) {
    if (win.__misendGuardE2e === marker && !win.closed) popup = win;
  }
  if (!popup) throw new Error("the dialog popup is closed");
  const frame = popup.document.getElementById("requestFrame");
  if (!frame || !frame.browsingContext) throw new Error("popup has no requestFrame");
  const actor = getMarionetteCommandsActorProxy(() => frame.browsingContext);
  switch (op) {
    case "url":
      return frame.currentURI ? frame.currentURI.spec : null;
    case "execute":
      return actor.executeScript(a, b, { timeout: 10000 });
    case "click": {
      const element = await actor.findElement("css selector", a, {});
      // clickElement wants the session's capabilities object; these two are all it reads.
      const capabilities = { toJSON: () => ({ "moz:accessibilityChecks": false, "moz:webdriverClick": true }) };
      await actor.clickElement(element, capabilities);
      return true;
    }
    case "key": {
      // A trusted keydown/keyup pair dispatched in the page, as Marionette's key actions do.
      const eventData = { key: a, code: a, location: 0, printable: false };
      await actor.dispatchEvent("synthesizeKeyDown", { eventData });
      if (!popup.closed) await actor.dispatchEvent("synthesizeKeyUp", { eventData });
      return true;
    }
    default:
      throw new Error("unknown op " + op);
  }
`;

/**
 * @typedef {object} Row
 * @property {Record<string, string>} data  the element's data-* attributes
 * @property {string} text  its visible text
 * @property {boolean} checked  its checkbox state
 * @property {string | null} section  "internal", "external" or null (the enclosing section's id)
 * @property {string | null} domainGroup  the enclosing [data-domain-group], if any
 */

/**
 * @typedef {object} DialogState
 * @property {string} lang  `<html lang>`
 * @property {string | undefined} ready  `<html data-ready>`
 * @property {Row[]} recipients
 * @property {Row[]} attachments
 * @property {{disabled: boolean, text: string} | null} send
 * @property {{disabled: boolean, text: string} | null} cancel
 * @property {{hidden: boolean, text: string, items: string[]} | null} problems
 * @property {string} url  the extension page's URL
 */

/** Runs in the extension page: a plain-data snapshot of the dialog. */
const READ_DIALOG = `
  const row = (el) => {
    const section = el.closest("#internal, #external");
    const group = el.closest("[data-domain-group]");
    const box = el.querySelector("input[type=checkbox]");
    return {
      data: { ...el.dataset },
      text: el.innerText.trim(),
      checked: box ? box.checked : false,
      section: section ? section.id : null,
      domainGroup: group ? group.dataset.domainGroup : null,
    };
  };
  const button = (id) => {
    const el = document.getElementById(id);
    return el ? { disabled: el.disabled, text: el.innerText.trim() } : null;
  };
  const problems = document.getElementById("problems");
  return {
    lang: document.documentElement.lang,
    ready: document.documentElement.dataset.ready,
    recipients: [...document.querySelectorAll('[data-kind="recipient"]')].map(row),
    attachments: [...document.querySelectorAll('[data-kind="attachment"]')].map(row),
    send: button("send"),
    cancel: button("cancel"),
    problems: problems && {
      hidden: problems.hidden || getComputedStyle(problems).display === "none",
      text: problems.innerText.trim(),
      items: [...problems.querySelectorAll("li")].map(li => li.innerText.trim()),
    },
    url: location.href,
  };
`;

export class Dialog {
  /**
   * @param {import("./marionette.mjs").Marionette} marionette
   * @param {string} handle  the popup's chrome window handle
   * @param {string} marker  set on the popup's chrome window as `__misendGuardE2e`
   */
  constructor(marionette, handle, marker) {
    this.marionette = marionette;
    this.handle = handle;
    this.marker = marker;
  }

  /**
   * @param {string} op
   * @param {unknown} [a]
   * @param {unknown} [b]
   */
  async inPage(op, a, b) {
    await switchToMainWindow(this.marionette, this.handle);
    return this.marionette.execute(IN_PAGE, [this.marker, op, a, b]);
  }

  /**
   * Runs `script` (a function body) inside the extension page.
   *
   * @param {string} script
   * @param {unknown[]} [args]
   */
  execute(script, args = []) {
    return this.inPage("execute", asyncBody(script), args);
  }

  /** @returns {Promise<DialogState>} */
  read() {
    return this.execute(READ_DIALOG);
  }

  /**
   * Clicks the element matching `selector` with a WebDriver element click.
   *
   * @param {string} selector
   */
  async click(selector) {
    await this.inPage("click", selector);
  }

  /** Ticks every checkbox that is not ticked yet, one real click each; returns how many were clicked. */
  async tickAll() {
    const selector = "[data-kind] input[type=checkbox]:not(:checked)";
    const count = await this.execute("return document.querySelectorAll(arguments[0]).length;", [selector]);
    for (let i = 0; i < count; i++) {
      await this.click(selector);
    }
    const left = await this.execute("return document.querySelectorAll(arguments[0]).length;", [selector]);
    if (left !== 0) throw new Error(`${left} checkboxes still unticked after ${count} clicks`);
    return count;
  }

  clickSend() {
    return this.click("#send");
  }

  clickCancel() {
    return this.click("#cancel");
  }

  /** Presses Escape inside the dialog page. */
  async pressEscape() {
    await this.inPage("key", "Escape");
  }

  /** True while the popup window exists. */
  async isOpen() {
    return (await this.marionette.getWindowHandles()).includes(this.handle);
  }

  /** Closes the popup window the way its title bar's close button does. */
  async closeWindow() {
    const m = this.marionette;
    await switchToMainWindow(m, this.handle);
    const closed = await m.execute(
      `
      for (const win of Services.wm.getEnumerator(null)) {
        if (win.__misendGuardE2e === arguments[0] && !win.closed) {
          win.close();
          return true;
        }
      }
      return false;
      `,
      [this.marker],
    );
    if (!closed) throw new Error("no dialog popup to close");
  }

  async waitForClosed(timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.isOpen())) return;
      await sleep(50);
    }
    throw new Error(`dialog still open after ${timeoutMs} ms`);
  }

  /**
   * Writes a PNG of the popup window.
   *
   * @param {string} file
   */
  async screenshot(file) {
    await this.marionette.switchToWindow(this.handle);
    const png = await this.marionette.takeScreenshot();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, png);
    return png.length;
  }
}

/**
 * Waits for the add-on's popup and for its page to say `data-ready="1"`.
 *
 * @param {import("./marionette.mjs").Marionette} m
 * @param {{timeoutMs?: number, ignore?: string[]}} [opts]  ignore: popup handles already handled
 * @returns {Promise<Dialog>}
 */
export async function waitForDialog(m, { timeoutMs = 10000, ignore = [] } = {}) {
  const deadline = Date.now() + timeoutMs;
  /** @type {Dialog | null} */
  let dialog = null;
  let lastError = "";
  while (Date.now() < deadline) {
    if (!dialog) {
      for (const handle of await m.getWindowHandles()) {
        if (ignore.includes(handle)) continue;
        try {
          await m.switchToWindow(handle);
          if ((await m.getCurrentUrl()) === POPUP_URL) {
            const marker = `dialog-${Date.now()}-${Math.random().toString(36).slice(2)}`;
            await m.execute("window.__misendGuardE2e = arguments[0];", [marker]);
            dialog = new Dialog(m, handle, marker);
            break;
          }
        } catch (e) {
          lastError = String(e); // The window may have closed meanwhile.
        }
      }
    }
    if (dialog) {
      try {
        const url = await dialog.inPage("url");
        if (url && url.startsWith("moz-extension://")) {
          const ready = await dialog.execute("return document.documentElement.dataset.ready ?? null;");
          if (ready === "1") return dialog;
          lastError = `page ${url} data-ready=${ready}`;
        } else {
          lastError = `popup shows ${url}`;
        }
      } catch (e) {
        // The page may still be loading, which replaces its browsing context.
        lastError = String(e);
        if (!(await dialog.isOpen())) dialog = null;
      }
    }
    await sleep(25);
  }
  throw new Error(`no ready dialog within ${timeoutMs} ms (${lastError || "no popup window"})`);
}

/**
 * True if any add-on popup window is open.
 *
 * @param {import("./marionette.mjs").Marionette} m
 */
export async function anyDialogOpen(m) {
  await switchToMainWindow(m);
  return m.execute(
    `for (const win of Services.wm.getEnumerator(null)) {
       if (win.location.href === arguments[0] && !win.closed) return true;
     }
     return false;`,
    [POPUP_URL],
  );
}

/**
 * Closes every add-on popup window and waits until they are gone (cleanup between tests).
 *
 * @param {import("./marionette.mjs").Marionette} m
 */
export async function closeAllDialogs(m, timeoutMs = 5000) {
  await switchToMainWindow(m);
  await m.execute(
    `const deadline = Date.now() + arguments[1];
     const open = () => [...Services.wm.getEnumerator(null)].filter(w => !w.closed && w.location.href === arguments[0]);
     for (const win of open()) win.close();
     while (open().length && Date.now() < deadline) await new Promise(r => setTimeout(r, 50));
     return open().length;`,
    [POPUP_URL, timeoutMs],
  );
}
