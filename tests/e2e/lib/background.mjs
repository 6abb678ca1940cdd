// @ts-check
/**
 * Runs scripts inside the add-on's background page, for scenarios that need Thunderbird or
 * the engine to misbehave in ways a person cannot cause: a hung API call, a WebAssembly
 * memory with no room left.
 *
 * Like lib/dialog.mjs, it hands the page's browsing context to Marionette's own
 * `MarionetteCommands` window actor, found from the chrome context through the add-on's
 * views (`WebExtensionPolicy.getByID(id).extension.views`). Nothing in the add-on offers a
 * way in: the scripts change the page's globals from outside, as a debugger would.
 */
import { switchToMainWindow } from "./compose.mjs";
import { asyncBody } from "./marionette.mjs";
import { ADDON_ID } from "./thunderbird.mjs";

const IN_BACKGROUND = `
  const [addonId, script, args] = arguments;
  const { getMarionetteCommandsActorProxy } = ChromeUtils.importESModule(
    "chrome://remote/content/marionette/actors/MarionetteCommandsParent.sys.mjs");
  const extension = WebExtensionPolicy.getByID(addonId)?.extension;
  if (!extension) throw new Error("the add-on is not running");
  const view = [...extension.views].find((v) => v.viewType === "background" && v.xulBrowser);
  if (!view) throw new Error("the add-on has no background page now");
  const context = view.xulBrowser.browsingContext;
  const actor = getMarionetteCommandsActorProxy(() => context);
  return actor.executeScript(script, args, { timeout: 20000 });
`;

/**
 * Runs `script` (a function body; `page` is the page's own window) in the background page.
 * @param {import("./marionette.mjs").Marionette} m
 * @param {string} script
 * @param {unknown[]} [args]
 */
export async function inBackground(m, script, args = []) {
  await switchToMainWindow(m);
  return m.execute(IN_BACKGROUND, [ADDON_ID, asyncBody(`const page = window.wrappedJSObject ?? window;\n${script}`), args]);
}

/**
 * Makes `messenger.compose.listAttachments` hang for ever, until `releaseAttachments`.
 * @param {import("./marionette.mjs").Marionette} m
 */
export function hangAttachments(m) {
  return inBackground(
    m,
    `const compose = page.messenger.compose;
     page.__e2eListAttachments ??= compose.listAttachments;
     Object.defineProperty(compose, "listAttachments", { configurable: true, writable: true, value: () => new page.Promise(() => {}) });
     return typeof compose.listAttachments;`,
  );
}

/** @param {import("./marionette.mjs").Marionette} m */
export function releaseAttachments(m) {
  return inBackground(
    m,
    `const compose = page.messenger.compose;
     if (page.__e2eListAttachments) Object.defineProperty(compose, "listAttachments", { configurable: true, writable: true, value: page.__e2eListAttachments });
     return true;`,
  );
}

/**
 * Notes every WebAssembly memory the background page reads from, so that `exhaustMemory`
 * can take its room away. Install it before the engine runs again (the next Send).
 * @param {import("./marionette.mjs").Marionette} m
 */
export function watchMemory(m) {
  return inBackground(
    m,
    `if (page.__e2eMemories) return page.__e2eMemories.length;
     const proto = page.WebAssembly.Memory.prototype;
     const original = Object.getOwnPropertyDescriptor(proto, "buffer").get;
     page.__e2eMemories = new page.Array();
     page.__e2eExhaustNew = false;
     const grow = (memory) => {
       for (let chunk = 65536; chunk >= 1; ) {
         try { memory.grow(chunk); } catch { chunk = Math.floor(chunk / 2); }
       }
     };
     page.__e2eGrow = grow;
     Object.defineProperty(proto, "buffer", {
       configurable: true,
       get() {
         if (!page.__e2eMemories.includes(this)) {
           page.__e2eMemories.push(this);
           if (page.__e2eExhaustNew) grow(this);
         }
         return original.call(this);
       },
     });
     return 0;`,
  );
}

/**
 * Grows every noted memory until not one page more fits, so that the engine's next sizeable
 * allocation fails and the real module traps; with `andNew`, every instance made from now on
 * too, until `restoreMemory`. Returns how many memories were noted.
 * @param {import("./marionette.mjs").Marionette} m
 * @param {{ andNew?: boolean }} [options]
 */
export function exhaustMemory(m, { andNew = false } = {}) {
  return inBackground(
    m,
    `for (const memory of page.__e2eMemories) page.__e2eGrow(memory);
     page.__e2eExhaustNew = arguments[0];
     return page.__e2eMemories.length;`,
    [andNew],
  );
}

/** @param {import("./marionette.mjs").Marionette} m */
export function restoreMemory(m) {
  return inBackground(m, `page.__e2eExhaustNew = false; return page.__e2eMemories?.length ?? 0;`);
}
