// @ts-check
/**
 * The add-on's options page in a real Thunderbird: opened as a tab of the main window, as the
 * Add-ons Manager's Options opens it, read and clicked through
 * Marionette's own window actor, as lib/dialog.mjs does for the popup.
 */
import { setTimeout as sleep } from "node:timers/promises";

import { switchToMainWindow } from "./compose.mjs";
import { asyncBody } from "./marionette.mjs";
import { ADDON_ID } from "./thunderbird.mjs";

const IN_OPTIONS = `
  const [addonId, op, a, b] = arguments;
  const { getMarionetteCommandsActorProxy } = ChromeUtils.importESModule(
    "chrome://remote/content/marionette/actors/MarionetteCommandsParent.sys.mjs");
  const extension = WebExtensionPolicy.getByID(addonId)?.extension;
  if (!extension) throw new Error("the add-on is not running");
  const view = [...extension.views].find((v) => v.xulBrowser?.currentURI?.spec.includes("/options/options.html"));
  if (!view) return null;
  const actor = getMarionetteCommandsActorProxy(() => view.xulBrowser.browsingContext);
  if (op === "execute") return actor.executeScript(a, b, { timeout: 20000 });
  if (op === "click") {
    const element = await actor.findElement("css selector", a, {});
    const capabilities = { toJSON: () => ({ "moz:accessibilityChecks": false, "moz:webdriverClick": true }) };
    await actor.clickElement(element, capabilities);
    return true;
  }
  throw new Error("unknown op " + op);
`;

export class OptionsPage {
  /** @param {import("./marionette.mjs").Marionette} m */
  constructor(m) {
    this.m = m;
  }

  /**
   * @param {string} op
   * @param {unknown} [a]
   * @param {unknown} [b]
   */
  async #in(op, a, b) {
    await switchToMainWindow(this.m);
    return this.m.execute(IN_OPTIONS, [ADDON_ID, op, a, b]);
  }

  /**
   * Runs `script` (a function body; `page` is the page's own window, whose `messenger` it may
   * call) in the page.
   * @param {string} script
   * @param {unknown[]} [args]
   */
  execute(script, args = []) {
    return this.#in("execute", asyncBody(`const page = window.wrappedJSObject ?? window;\n${script}`), args);
  }

  /**
   * Asks the background about the Sent index, as the page does.
   * @param {"sentIndex.status"} type
   */
  async ask(type) {
    const text = await this.execute("return page.JSON.stringify(await page.messenger.runtime.sendMessage({ type: arguments[0] }));", [type]);
    return JSON.parse(text);
  }

  /** The Sent index as stored (the JSON text), or null. */
  storedIndex() {
    return this.execute('return (await page.messenger.storage.local.get("sentIndex")).sentIndex ?? null;');
  }

  /** @param {string} selector */
  click(selector) {
    return this.#in("click", selector);
  }
}

/**
 * Opens the options page and waits until it has rendered.
 * @param {import("./marionette.mjs").Marionette} m
 */
export async function openOptions(m, timeoutMs = 20000) {
  const page0 = new OptionsPage(m);
  if (!(await page0.execute("return true;").catch(() => null))) {
    // A tab of the main window, as the Add-ons Manager's Options opens it; the background
    // need not be running.
    await switchToMainWindow(m);
    await m.execute(
      `const url = WebExtensionPolicy.getByID(arguments[0]).getURL("options/options.html");
       document.getElementById("tabmail").openTab("contentTab", { url });
       return true;`,
      [ADDON_ID],
    );
  }
  const page = new OptionsPage(m);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await page.execute("return document.documentElement.dataset.ready === '1';").catch(() => null);
    if (ready) return page;
    await sleep(100);
  }
  throw new Error(`the options page did not render within ${timeoutMs} ms`);
}
