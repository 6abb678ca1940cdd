// @ts-check
/**
 * A fake `messenger` API for loading the add-on's pages in Chromium, injected before the
 * page's own scripts by `page.addInitScript`. It records every call, so that a test can
 * assert what the page asked of Thunderbird:
 * - `runtime.connect` returns a port whose `postMessage`s are recorded in `__fake.sent`;
 *   the test answers with `deliver(page, message)`. With `review` set, the fake answers the
 *   page's `hello` itself, as the background does. With `fromBackground` as well, the review
 *   is also offered by `extension.getBackgroundPage().misendGuardDialogs.first`, and a hello
 *   that says it has it (`has: 0`) is not answered, as the background does.
 * - `i18n.getMessage` reads the real `_locales/<lang>/messages.json` (`zh_CN` for `zh-CN`), so
 *   a missing text shows as a missing text; `getUILanguage` returns `lang`.
 * - `storage.local` is an in-memory object (`__fake.local`), `storage.managed` returns
 *   `managed` (or fails with `managedError`).
 */
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./browser.mjs";

/**
 * @typedef {object} FakeConfig
 * @property {"ja" | "en" | "zh-CN"} [lang]
 * @property {Record<string, unknown>} [local]  the initial storage.local
 * @property {unknown} [managed]  what storage.managed.get() resolves to
 * @property {string} [managedError]  makes storage.managed.get() reject with this message
 * @property {unknown} [review]  answer the port's hello with this review
 * @property {boolean} [fromBackground]  offer the review from the background's window too
 * @property {string[]} [problems]
 * @property {unknown} [display]
 */

/** @param {"ja" | "en" | "zh-CN"} lang */
function messages(lang) {
  const folder = lang.replace("-", "_");
  return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "extension", "_locales", folder, "messages.json"), "utf8"));
}

/**
 * @param {import("playwright-core").Page} page
 * @param {FakeConfig} config
 */
export async function installFakeMessenger(page, config = {}) {
  const lang = config.lang ?? "en";
  await page.addInitScript(fake, { ...config, lang, messages: messages(lang) });
}

/**
 * Runs in the page, before its scripts. It must not close over anything.
 * @param {FakeConfig & { messages: Record<string, { message: string }> }} config
 */
function fake(config) {
  /** @type {unknown[]} */
  const sent = [];
  /** @type {[string, unknown][]} */
  const calls = [];
  /** @type {((m: unknown) => void)[]} */
  const onMessage = [];
  /** @type {(() => void)[]} */
  const onDisconnect = [];
  const local = /** @type {Record<string, unknown>} */ (structuredClone(config.local ?? {}));
  const clone = (/** @type {unknown} */ v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  const deliver = (/** @type {unknown} */ m) => setTimeout(() => onMessage.forEach((f) => f(clone(m))), 0);

  const port = {
    name: "dialog",
    postMessage(/** @type {any} */ m) {
      sent.push(clone(m));
      if (m?.type === "hello" && config.review && !(config.fromBackground && m.has === 0)) {
        deliver({ type: "review", review: config.review, problems: config.problems ?? [], applied: [], display: config.display });
      }
    },
    onMessage: {
      addListener: (/** @type {any} */ f) => onMessage.push(f),
      removeListener: (/** @type {any} */ f) => onMessage.includes(f) && onMessage.splice(onMessage.indexOf(f), 1),
    },
    onDisconnect: { addListener: (/** @type {any} */ f) => onDisconnect.push(f) },
    disconnect() {
      calls.push(["port.disconnect", null]);
    },
  };

  /**
   * Chrome's getMessage: `$1`…`$9` are substitutions, `$$` is a dollar sign.
   * @param {string} key
   * @param {string[] | string} [subs]
   */
  const getMessage = (key, subs = []) => {
    const entry = config.messages[key];
    if (!entry) return "";
    const list = Array.isArray(subs) ? subs : [subs];
    return entry.message.replace(/\$(\$|\d)/g, (_, c) => (c === "$" ? "$" : list[Number(c) - 1] ?? ""));
  };

  const api = {
    runtime: {
      connect(/** @type {unknown} */ info) {
        calls.push(["runtime.connect", clone(info)]);
        return port;
      },
      getPlatformInfo: async () => ({ os: "linux" }),
      openOptionsPage: async () => calls.push(["runtime.openOptionsPage", null]),
      // The background's answers about the Sent index: built, with three addresses.
      sendMessage: async (/** @type {any} */ message) => {
        calls.push(["runtime.sendMessage", clone(message)]);
        if (message?.type === "sentIndex.status" || message?.type === "sentIndex.clear") {
          const cleared = message.type === "sentIndex.clear";
          return { state: cleared ? "building" : "ready", addresses: cleared ? 0 : 3, messages: cleared ? 0 : 2, folders: 1,
                   bytes: cleared ? 40 : 120, updatedAt: "2026-12-07T00:00:00.000Z", error: null, running: cleared };
        }
        return undefined;
      },
    },
    i18n: { getMessage, getUILanguage: () => config.lang },
    extension: {
      getBackgroundPage() {
        calls.push(["extension.getBackgroundPage", null]);
        if (!config.fromBackground || !config.review) return null;
        const review = { type: "review", review: config.review, problems: config.problems ?? [], applied: [], display: config.display };
        // A window: the page copies the review with the background's own JSON.
        return { JSON, misendGuardDialogs: { first: () => clone(review) } };
      },
    },
    storage: {
      local: {
        async get(/** @type {string | string[] | null | undefined} */ keys) {
          calls.push(["storage.local.get", clone(keys)]);
          if (keys === null || keys === undefined) return clone(local);
          const wanted = Array.isArray(keys) ? keys : [keys];
          return clone(Object.fromEntries(wanted.filter((k) => k in local).map((k) => [k, local[k]])));
        },
        async set(/** @type {Record<string, unknown>} */ items) {
          calls.push(["storage.local.set", clone(items)]);
          Object.assign(local, clone(items));
        },
        async remove(/** @type {string | string[]} */ keys) {
          calls.push(["storage.local.remove", clone(keys)]);
          for (const k of Array.isArray(keys) ? keys : [keys]) delete local[k];
        },
      },
      managed: {
        async get() {
          calls.push(["storage.managed.get", null]);
          if (config.managedError) throw new Error(config.managedError);
          return clone(config.managed ?? {});
        },
      },
      onChanged: { addListener() {} },
    },
    windows: {
      getCurrent: async () => ({ id: 1 }),
      remove: async (/** @type {number} */ id) => calls.push(["windows.remove", id]),
    },
  };
  Object.assign(window, { messenger: api, browser: api });
  Object.assign(window, {
    __fake: {
      sent,
      calls,
      local,
      deliver,
      disconnect: () => onDisconnect.forEach((f) => f()),
    },
  });
  // The page may call window.close(); the test asserts on it instead of losing the page.
  window.close = () => calls.push(["window.close", null]);
}

/**
 * Sends a message to the page's port, as the background does.
 * @param {import("playwright-core").Page} page
 * @param {unknown} message
 */
export async function deliver(page, message) {
  await page.evaluate((m) => /** @type {any} */ (window).__fake.deliver(m), message);
}

/**
 * What the page posted on its port so far.
 * @param {import("playwright-core").Page} page
 * @returns {Promise<any[]>}
 */
export function sent(page) {
  return page.evaluate(() => /** @type {any} */ (window).__fake.sent);
}

/**
 * The calls the page made to the fake API so far.
 * @param {import("playwright-core").Page} page
 * @returns {Promise<[string, any][]>}
 */
export function calls(page) {
  return page.evaluate(() => /** @type {any} */ (window).__fake.calls);
}
