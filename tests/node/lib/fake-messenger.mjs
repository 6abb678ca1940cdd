// @ts-check
/**
 * A fake `messenger` for running the add-on's background in Node, with faults to inject.
 *
 * Every call the Send path makes into Thunderbird goes through `call(name, ...)`: by default
 * it answers as Thunderbird does, and `faults[name]` makes it throw, hang for ever, answer
 * garbage, or throw before returning a promise. Events record their listeners, so a test can
 * fire `compose.onBeforeSend` itself and act as the dialog page on `runtime.onConnect`.
 *
 * The dialog page is played by `person`: when `windows.create` opens a dialog, it connects a
 * port, says hello, records each review it is shown, and answers as `person.answer` says
 * ("send" is a person who ticked everything and pressed Send, which the dialog allows only once
 * no attachment is still being inspected; "send-at-once" presses it on the first review, as a
 * page that is tampered with could).
 * Attachments have ids, and `compose.getAttachmentFile` answers with `state.files[id]`.
 */
import fs from "node:fs";

/** @typedef {"throw" | "hang" | "garbage" | "sync-throw"} Fault */

/**
 * @param {{ lang?: "en" | "ja" }} [options]
 */
export function fakeMessenger({ lang = "en" } = {}) {
  const messages = JSON.parse(fs.readFileSync(new URL(`../../../extension/_locales/${lang}/messages.json`, import.meta.url), "utf8"));
  /** @type {Record<string, Fault | undefined>} */
  const faults = {};
  /** @type {Record<string, unknown>} what each call answers with a "garbage" fault */
  const garbage = {};
  /** @type {[string, unknown[]][]} */
  const calls = [];
  /** @type {(() => void)[]} the calls hanging now */
  const hung = [];
  /** @type {Record<string, Function[]>} */
  const listeners = {};
  /** @type {Record<string, unknown>} */
  const local = {};
  /** @type {Record<string, unknown>} */
  const session = {};
  const state = {
    /** @type {Record<string, unknown>} what storage.managed.get() answers */
    managed: /** @type {Record<string, unknown>} */ ({}),
    /** @type {{ id?: number, name: string, size: number }[]} */
    attachments: [{ id: 1, name: "quote.pdf", size: 1200 }],
    /** @type {Record<number, Uint8Array>} the bytes of each attachment, by id (zeros when missing) */
    files: /** @type {Record<number, Uint8Array>} */ ({}),
    /** @type {Record<string, { name: string, email: string }[]>} mailing lists by name */
    lists: /** @type {Record<string, { name: string, email: string }[]>} */ ({}),
    nextWindowId: 100,
    /** @type {{ recipients: string[], ccList: string[], bccList: string[] }[]} the messages of the one Sent folder */
    sent: [{ recipients: ["Known Partner <known@partner.example>"], ccList: [], bccList: [] }],
  };
  /**
   * The person at the dialog: what they answer, and what they were shown.
   * @type {{ answer: "send" | "send-at-once" | "cancel" | "none", shown: any[], opened: number, answered: boolean[] }}
   */
  const person = { answer: "send", shown: [], opened: 0, answered: [] };

  /** @param {string} name */
  const event = (name) => ({
    addListener: (/** @type {Function} */ f) => (listeners[name] ??= []).push(f),
    removeListener: () => {},
    hasListener: () => (listeners[name] ?? []).length > 0,
  });

  /**
   * @template T
   * @param {string} name
   * @param {() => T} answer
   * @param {unknown[]} args
   * @returns {Promise<T>}
   */
  const call = (name, answer, args) => {
    calls.push([name, args]);
    switch (faults[name]) {
      case "throw":
        return Promise.reject(new Error(`${name} failed (injected)`));
      case "hang":
        // Hung until the test releases it (release()), as a call that fails after a long time.
        return new Promise((_, reject) => hung.push(() => reject(new Error(`${name} failed after hanging (injected)`))));
      case "garbage":
        return Promise.resolve(/** @type {T} */ (garbage[name] ?? "garbage"));
      case "sync-throw":
        throw new Error(`${name} threw (injected)`);
      default:
        return Promise.resolve().then(answer);
    }
  };

  /** Plays the dialog page of a window just opened. */
  const openPage = (/** @type {string} */ url) => {
    person.opened++;
    const request = decodeURIComponent(/request=([^&]+)/.exec(url)?.[1] ?? "");
    /** @type {Function[]} */
    const onMessage = [];
    /** @type {Function[]} */
    const onDisconnect = [];
    const port = {
      name: "dialog",
      postMessage: (/** @type {any} */ m) => {
        if (m?.type !== "review") return;
        person.shown.push(structuredClone(m));
        if (person.answer === "none") return;
        // The dialog keeps Send disabled while an attachment is being inspected.
        if (person.answer === "send" && (m.review?.attachments ?? []).some((/** @type {any} */ a) => a.inspection === "pending")) return;
        const send = person.answer === "send" || person.answer === "send-at-once";
        setTimeout(() => onMessage.forEach((f) => f({ type: "answer", send })), 0);
      },
      onMessage: { addListener: (/** @type {Function} */ f) => onMessage.push(f) },
      onDisconnect: { addListener: (/** @type {Function} */ f) => onDisconnect.push(f) },
    };
    setTimeout(() => {
      for (const f of listeners["runtime.onConnect"] ?? []) f(port);
      onMessage.forEach((f) => f({ type: "hello", request }));
    }, 0);
  };

  const messenger = {
    i18n: {
      getUILanguage: () => lang,
      getMessage: (/** @type {string} */ key, /** @type {string[]} */ subs = []) =>
        (messages[key]?.message ?? "").replace(/\$(\d)/g, (/** @type {string} */ _, /** @type {string} */ n) => subs[Number(n) - 1] ?? ""),
    },
    runtime: {
      onConnect: event("runtime.onConnect"),
      onMessage: event("runtime.onMessage"),
      getPlatformInfo: (/** @type {unknown[]} */ ...args) => call("runtime.getPlatformInfo", () => ({ os: "linux" }), args),
    },
    compose: {
      onBeforeSend: event("compose.onBeforeSend"),
      onAfterSend: event("compose.onAfterSend"),
      listAttachments: (/** @type {unknown[]} */ ...args) => call("compose.listAttachments", () => structuredClone(state.attachments), args),
      getAttachmentFile: (/** @type {number} */ id) =>
        call(
          "compose.getAttachmentFile",
          () => {
            const listed = state.attachments.find((a) => a.id === id);
            if (!listed) throw new Error(`no attachment ${id}`);
            return new Blob([/** @type {Uint8Array<ArrayBuffer>} */ (state.files[id] ?? new Uint8Array(listed.size))]);
          },
          [id],
        ),
    },
    messengerUtilities: {
      parseMailboxString: (/** @type {string} */ text, /** @type {unknown} */ options) =>
        call("messengerUtilities.parseMailboxString", () => parseMailbox(text, state.lists), [text, options]),
    },
    folders: {
      query: (/** @type {unknown[]} */ ...args) => call("folders.query", () => [{ id: "sent", specialUse: ["sent"] }], args),
    },
    messages: {
      onNewMailReceived: event("messages.onNewMailReceived"),
      list: (/** @type {unknown[]} */ ...args) => call("messages.list", () => ({ id: null, messages: structuredClone(state.sent) }), args),
      continueList: (/** @type {unknown[]} */ ...args) => call("messages.continueList", () => ({ id: null, messages: [] }), args),
      query: (/** @type {any[]} */ ...args) =>
        call("messages.query", () => ({ id: null, messages: args[0]?.fromDate ? [] : structuredClone(state.sent) }), args),
    },
    windows: {
      onRemoved: event("windows.onRemoved"),
      create: (/** @type {any} */ data) =>
        call(
          "windows.create",
          () => {
            openPage(data.url);
            return { id: state.nextWindowId++ };
          },
          [data],
        ),
      remove: (/** @type {unknown[]} */ ...args) => call("windows.remove", () => undefined, args),
    },
    storage: {
      managed: { get: (/** @type {unknown[]} */ ...args) => call("storage.managed.get", () => structuredClone(state.managed), args) },
      local: {
        get: (/** @type {string | string[] | null} */ keys) => call("storage.local.get", () => pick(local, keys), [keys]),
        set: (/** @type {Record<string, unknown>} */ items) => call("storage.local.set", () => void Object.assign(local, structuredClone(items)), [items]),
        remove: (/** @type {string} */ key) => call("storage.local.remove", () => void delete local[key], [key]),
      },
      session: {
        get: (/** @type {string | string[] | null} */ keys) => call("storage.session.get", () => pick(session, keys), [keys]),
        set: (/** @type {Record<string, unknown>} */ items) => call("storage.session.set", () => void Object.assign(session, structuredClone(items)), [items]),
        remove: (/** @type {string} */ key) => call("storage.session.remove", () => void delete session[key], [key]),
      },
    },
    addressBooks: {
      onCreated: event("addressBooks.onCreated"),
      onUpdated: event("addressBooks.onUpdated"),
      onDeleted: event("addressBooks.onDeleted"),
      list: (/** @type {unknown[]} */ ...args) => call("addressBooks.list", () => [{ id: "book1", name: "Personal Address Book" }], args),
      contacts: {
        onCreated: event("contacts.onCreated"),
        onUpdated: event("contacts.onUpdated"),
        onDeleted: event("contacts.onDeleted"),
        list: (/** @type {unknown[]} */ ...args) =>
          call("addressBooks.contacts.list", () => [{ id: "c1", parentId: "book1", type: "contact", vCard: "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:alice@partner.example\r\nEND:VCARD\r\n" }], args),
      },
    },
  };

  /**
   * Fires an event as Thunderbird does, and returns what the (one) listener returns.
   * @param {string} name
   * @param {unknown[]} args
   */
  const fire = (name, ...args) => (listeners[name] ?? []).map((f) => f(...args))[0];

  /** Ends every hanging call with an error. */
  const release = () => hung.splice(0).forEach((reject) => reject());

  return { messenger, faults, garbage, calls, listeners, local, session, state, person, fire, release };
}

/**
 * @param {Record<string, unknown>} store
 * @param {string | string[] | null} keys
 */
function pick(store, keys) {
  if (keys === null || keys === undefined) return structuredClone(store);
  const wanted = Array.isArray(keys) ? keys : [keys];
  return structuredClone(Object.fromEntries(wanted.filter((k) => k in store).map((k) => [k, store[k]])));
}

/**
 * Enough of Thunderbird's parser for one entry, with its list expansion as Thunderbird 153
 * does it (ext-messengerUtilities.js): only an entry whose name and address part are the
 * same is looked up, by that name. So `Name <Description>` is not expanded as it is.
 * @param {string} text
 * @param {Record<string, { name: string, email: string }[]>} lists
 */
function parseMailbox(text, lists) {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(text);
  const name = match ? match[1].trim() : "";
  const email = match ? match[2].trim() : text.trim();
  if (name === email && lists[name]) return structuredClone(lists[name]);
  return [{ name: name || undefined, email: email || undefined }];
}
