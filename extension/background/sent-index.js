// @ts-check
/**
 * The Sent index: every address the person has sent mail to (To, Cc and Bcc of the messages
 * in their Sent folders), for the engine's `first-time-recipient`.
 *
 * What it keeps: addresses only, in lower case, and per Sent folder how far it was read. Never
 * a subject, a body, a name or a date of a mail. It lives in `storage.local` (one JSON text
 * under `INDEX_KEY`, because one string crosses to the parent process much faster than
 * thousands of small objects) and the options page can delete it.
 *
 * How it is built: in the background, never on a Send's path. The Sent folders are found with
 * `folders.query({ specialUse: ["sent"] })` (or, where that is missing, by walking the accounts'
 * folders), and each is read with `messages.query({ folderId, messagesPerPage })` (or
 * `messages.list`) and `messages.continueList`, a page of 20 messages at a time; the header
 * fields `recipients`, `ccList` and `bccList` of each
 * `MessageHeader` are all it reads. Between pages it pauses, so that the parent process, which
 * converts the messages, keeps time for the person's clicks and typing. Progress is stored
 * every few pages: an event page unloaded in the middle resumes where it was (the folder is
 * listed again and the pages already read are skipped). A folder read to its end is later only
 * asked for what is newer (`messages.query` with `fromDate`), unless it has grown by more than
 * that (an import of old mail): then it is read again from its start.
 *
 * How it stays current: `compose.onAfterSend` adds the recipients of each mail sent at once,
 * and `messages.onNewMailReceived` (with `monitorAllFolders`) adds mail that arrives in a Sent
 * folder, such as a copy saved by another device.
 *
 * A Send never waits for it: `forReview()` answers at once with the addresses, or with `null`
 * while the first build is still running (then `first-time-recipient` gives no finding, and the
 * dialog says so).
 */
import { errorText } from "../common/text.js";

/** The `storage.local` key of the index. */
export const INDEX_KEY = "sentIndex";
/** The format of the stored index; another one is built again. */
export const FORMAT = 1;
/** The pause between two pages, in milliseconds, that leaves Thunderbird's UI its time. */
export const PAUSE_MS = 5;
/** Messages per page: what Thunderbird converts in one go before it lets its UI run again. */
export const PAGE_SIZE = 20;
/** Progress is stored after this many pages. */
export const SAVE_EVERY_PAGES = 100;
/** A folder read to its end is asked again for mail from this long before its newest one. */
export const OVERLAP_MS = 2 * 24 * 3600 * 1000;

/**
 * @typedef {{ done: boolean, seen: number, newest: number, total?: number }} FolderState
 *   `seen`: messages read so far in the folder's listing order; `newest`: the latest date seen
 *   (milliseconds), from which a finished folder is read again; `total`: how many messages the
 *   folder held when it was last read to its end
 * @typedef {{ format: number, built: boolean, addresses: string[], folders: Record<string, FolderState>,
 *             updatedAt: string | null }} Stored
 * @typedef {{ state: "building" | "ready" | "failed", addresses: number, updatedAt: string | null,
 *             folders: number, messages: number, error: string | null, bytes: number, running: boolean }} Status
 *   `state`: `building` until every Sent folder was read once; `running`: whether the folders
 *   are being read now (also when an index that is built is brought up to date)
 */

/**
 * The address of one mailbox as Thunderbird gives it in a `MessageHeader` (`Name <addr>` or a
 * bare `addr`), in lower case; null when there is none (a group's name, `undisclosed-recipients:;`).
 * @param {unknown} mailbox
 * @returns {string | null}
 */
export function mailboxAddress(mailbox) {
  if (typeof mailbox !== "string") return null;
  const text = mailbox.trim();
  const angle = /<([^<>]*)>\s*$/.exec(text);
  const address = (angle ? angle[1] : text).trim().replace(/^mailto:/i, "");
  if (!/^[^\s@<>",;]+@[^\s@<>",;]+$/.test(address)) return null;
  return address.toLowerCase();
}

/**
 * Splits a header value such as `"Yamada, Taro" <a@x>, b@y` into its mailboxes: at commas
 * outside quotes, angle brackets and comments.
 * @param {string} value
 * @returns {string[]}
 */
export function splitMailboxes(value) {
  /** @type {string[]} */
  const out = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "\\") i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "<" || c === "(")) depth++;
    else if (!quoted && (c === ">" || c === ")")) depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && (c === "," || c === ";")) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((s) => s.trim()).filter(Boolean);
}

/**
 * A message's date in milliseconds, or 0 when it has none.
 * @param {any} message a `MessageHeader`
 */
function dateOf(message) {
  const d = message?.date;
  const ms = d instanceof Date ? d.getTime() : typeof d === "string" || typeof d === "number" ? new Date(d).getTime() : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

/**
 * The index of the Sent folders, and the listeners that keep it current.
 */
export class SentIndex {
  /** @type {Set<string>} */
  #addresses = new Set();
  /** @type {Record<string, FolderState>} */
  #folders = {};
  #built = false;
  /** @type {string | null} */
  #updatedAt = null;
  /** @type {string | null} */
  #error = null;
  /** @type {Promise<void> | null} the build running now */
  #running = null;
  /** Bumped by `clear()`, so that a build that started before stops and stores nothing. */
  #generation = 0;
  /** @type {string[] | null} the list handed to the engine, kept while nothing changed */
  #list = null;
  /** @type {Promise<void> | null} the stored index being read, once */
  #loading = null;

  /**
   * @param {any} messenger the WebExtension API: `folders`, `accounts`, `messages`, `compose`,
   *   `messengerUtilities` (optional), `storage.local`
   * @param {{ pauseMs?: number, pageSize?: number, saveEveryPages?: number, onUpdated?: (addresses: string[] | null) => void }} [options]
   *   `onUpdated`: called when the index becomes usable or changes, so that the engine can
   *   parse the list before the next Send needs it
   */
  constructor(messenger, { pauseMs = PAUSE_MS, pageSize = PAGE_SIZE, saveEveryPages = SAVE_EVERY_PAGES, onUpdated } = {}) {
    this.api = messenger;
    this.pauseMs = pauseMs;
    this.pageSize = pageSize;
    this.saveEveryPages = saveEveryPages;
    this.onUpdated = onUpdated;
  }

  /**
   * Registers the listeners that keep the index current. Call it at the top level of the
   * background, so that a Send or a new Sent mail wakes the event page.
   */
  watch() {
    try {
      this.api.compose.onAfterSend.addListener((/** @type {unknown} */ _tab, /** @type {any} */ info) => {
        this.addSent(info).catch((error) => console.warn("misend-guard: a sent mail could not be added to the Sent index", error));
      });
    } catch (error) {
      console.error("misend-guard: compose.onAfterSend cannot be watched; the Sent index learns of new mail only by reading the folders", error);
    }
    try {
      this.api.messages.onNewMailReceived.addListener(
        (/** @type {any} */ folder, /** @type {any} */ list) => {
          if (!Array.isArray(folder?.specialUse) || !folder.specialUse.includes("sent")) return;
          this.#ready()
            .then(() => {
              this.#addPage(list?.messages ?? []);
              this.#changed();
              return this.#save();
            })
            .catch((error) => console.warn("misend-guard: new mail in a Sent folder could not be added to the Sent index", error));
        },
        true,
      );
    } catch (error) {
      // Older Thunderbird: mail that another device saves in a Sent folder is found by the next
      // read of the folders instead.
      console.warn("misend-guard: new mail in the Sent folders cannot be watched", error);
    }
  }

  /**
   * The addresses for the review of one Send, at once: null until the first build has read
   * every Sent folder.
   * @returns {string[] | null}
   */
  forReview() {
    if (!this.#built) return null;
    this.#list ??= [...this.#addresses];
    return this.#list;
  }

  /**
   * Resolves when the stored index has been read (not built: that may take minutes), so that a
   * Send that woke the event page finds what was stored. Never rejects.
   * @returns {Promise<void>}
   */
  loaded() {
    return this.#ready().catch(() => {});
  }

  /** Whether the index is being built for the first time, and why not when it failed. */
  get pending() {
    return { building: !this.#built && !this.#error, error: this.#built ? null : this.#error };
  }

  /**
   * Loads the stored index and brings it up to date in the background. Returns the build's
   * promise, which never rejects (a failure is kept in the status).
   * @returns {Promise<void>}
   */
  start() {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** @returns {Promise<Status>} */
  async status() {
    await this.#ready().catch(() => {});
    const text = this.#serialize();
    return {
      state: this.#error && !this.#built ? "failed" : this.#built ? "ready" : "building",
      addresses: this.#addresses.size,
      updatedAt: this.#updatedAt,
      folders: Object.keys(this.#folders).length,
      messages: Object.values(this.#folders).reduce((sum, f) => sum + f.seen, 0),
      error: this.#error,
      bytes: new TextEncoder().encode(text).length,
      running: this.#running !== null,
    };
  }

  /**
   * Deletes the index, in memory and in storage, and builds it again from what the Sent
   * folders hold now (so that the addresses of mail deleted from them are gone). A build that
   * was running stops and stores nothing more.
   * @returns {Promise<void>} when the index is deleted (not when it is built again)
   */
  async clear() {
    this.#generation++;
    const running = this.#running;
    this.#addresses = new Set();
    this.#folders = {};
    this.#built = false;
    this.#updatedAt = null;
    this.#error = null;
    this.#list = null;
    this.#loading = Promise.resolve();
    await this.api.storage.local.remove(INDEX_KEY);
    this.#changed(false);
    console.log("misend-guard: Sent index cleared");
    await running?.catch(() => {});
    this.start();
  }

  /**
   * Adds the recipients of a mail just sent (`compose.onAfterSend`'s `sendInfo`): those of the
   * copies saved in Sent folders, and those of the compose details, which are there even when
   * no copy is saved. A failed send adds nothing.
   * @param {any} info
   */
  async addSent(info) {
    if (!info || typeof info !== "object" || info.error) return;
    await this.#ready();
    const before = this.#addresses.size;
    this.#addPage(Array.isArray(info.messages) ? info.messages : []);
    const details = info.details ?? {};
    for (const field of ["to", "cc", "bcc"]) {
      for (const entry of Array.isArray(details[field]) ? details[field] : details[field] ? [details[field]] : []) {
        if (typeof entry !== "string") continue;
        for (const address of await this.#entryAddresses(entry)) this.#addresses.add(address);
      }
    }
    const added = this.#addresses.size - before;
    this.#changed();
    await this.#save();
    console.log(`misend-guard: Sent index: ${added} address(es) added from a sent mail`);
  }

  /**
   * The addresses of one compose entry: Thunderbird's own parser where available (it expands a
   * mailing list into its members), else the header's mailboxes as written.
   * @param {string} entry
   * @returns {Promise<string[]>}
   */
  async #entryAddresses(entry) {
    try {
      const parsed = await this.api.messengerUtilities?.parseMailboxString(entry, { expandMailingLists: true });
      if (Array.isArray(parsed)) {
        return parsed.map((m) => mailboxAddress(m?.email)).filter((a) => a !== null);
      }
    } catch {
      // Read as written, below.
    }
    return splitMailboxes(entry).map(mailboxAddress).filter((a) => a !== null);
  }

  async #run() {
    const generation = this.#generation;
    const started = performance.now();
    try {
      await this.#ready();
      const folders = await this.#sentFolders();
      let messages = 0;
      for (const folder of folders) {
        if (generation !== this.#generation) return;
        messages += await this.#readFolder(folder, generation);
      }
      if (generation !== this.#generation) return;
      this.#built = true;
      this.#error = null;
      this.#changed();
      await this.#save();
      console.log(
        `misend-guard: Sent index ready in ${(performance.now() - started).toFixed(0)} ms: ` +
          `${messages} messages read in ${folders.length} folder(s), ${this.#addresses.size} addresses`,
      );
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = errorText(error, this.api.i18n);
      console.error("misend-guard: the Sent index could not be built", error);
      await this.#save().catch(() => {});
    }
  }

  /**
   * The ids of every Sent folder of every account.
   * @returns {Promise<string[]>}
   */
  async #sentFolders() {
    if (typeof this.api.folders?.query === "function") {
      const found = await this.api.folders.query({ specialUse: ["sent"] });
      // An answer that is not a list is a failure, not "no Sent folder": that would call
      // every recipient first-time.
      if (!Array.isArray(found)) throw new Error(`unexpected answer from folders.query: ${String(found).slice(0, 80)}`);
      return found.map((f) => f?.id).filter((id) => typeof id === "string");
    }
    /** @type {string[]} */
    const ids = [];
    const walk = (/** @type {any[]} */ folders) => {
      for (const f of folders ?? []) {
        const uses = Array.isArray(f.specialUse) ? f.specialUse : f.type ? [f.type] : [];
        if (uses.includes("sent")) ids.push(f.id ?? f.path);
        walk(f.subFolders);
      }
    };
    for (const account of (await this.api.accounts.list(true)) ?? []) walk(account.rootFolder?.subFolders ?? account.folders);
    return ids;
  }

  /**
   * Reads one folder: all of it, from where an earlier build stopped, or, once read to its end,
   * only what is newer than its newest mail (less an overlap, for dates out of order).
   * @param {string} folderId
   * @param {number} generation
   * @returns {Promise<number>} the messages read
   */
  async #readFolder(folderId, generation) {
    const state = (this.#folders[folderId] ??= { done: false, seen: 0, newest: 0 });
    const skip = state.done ? 0 : state.seen;
    const total = await this.#total(folderId);
    // Thunderbird converts a list's messages in its main process, as fast as it can, one page
    // after another, whether or not they are read yet; it lets the UI run only between pages.
    // Small pages (`messagesPerPage`, a `messages.query` option) keep each of those stretches
    // short. Without `query`, `list` pages by 100.
    const paging = { folderId, messagesPerPage: this.pageSize };
    let page = state.done
      ? await this.api.messages.query({ ...paging, fromDate: new Date(Math.max(0, state.newest - OVERLAP_MS)) })
      : typeof this.api.messages.query === "function"
        ? await this.api.messages.query(paging)
        : await this.api.messages.list(folderId);
    let position = 0;
    let read = 0;
    let pages = 0;
    // Messages newer than any read before: what a finished folder is expected to have grown by.
    let newer = 0;
    const before = state.newest;
    for (;;) {
      if (generation !== this.#generation) return read;
      // A page that is not one is a failure: the folder is read again by the next build.
      if (!Array.isArray(page?.messages)) throw new Error(`unexpected page of messages: ${String(page).slice(0, 80)}`);
      /** @type {any[]} */
      const messages = page.messages;
      // Pages read before the event page was unloaded are skipped, not read again.
      const fresh = position + messages.length > skip ? messages.slice(Math.max(0, skip - position)) : [];
      position += messages.length;
      if (state.done) newer += fresh.filter((m) => dateOf(m) > before).length;
      state.newest = Math.max(state.newest, this.#addPage(fresh));
      read += fresh.length;
      if (!state.done) state.seen = Math.max(state.seen, position);
      if (++pages % this.saveEveryPages === 0) await this.#save();
      if (!page?.id) break;
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
      page = await this.api.messages.continueList(page.id);
    }
    if (state.done && typeof total === "number" && total - (state.total ?? total) > newer) {
      // More mail than the query found arrived since the last read (an import, mail moved in
      // with old dates): the folder is read again from its start, in the background.
      this.#folders[folderId] = { done: false, seen: 0, newest: state.newest };
      return read + (await this.#readFolder(folderId, generation));
    }
    state.done = true;
    if (typeof total === "number") state.total = total;
    if (this.#built) this.#changed();
    return read;
  }

  /**
   * How many messages a folder holds, or null when Thunderbird cannot say.
   * @param {string} folderId
   */
  async #total(folderId) {
    try {
      const info = await this.api.folders?.getFolderInfo?.(folderId);
      return typeof info?.totalMessageCount === "number" ? info.totalMessageCount : null;
    } catch {
      return null;
    }
  }

  /**
   * Adds the recipients of some messages; returns the latest date among them (ms).
   * @param {any[]} messages `MessageHeader`s
   */
  #addPage(messages) {
    let newest = 0;
    for (const m of messages) {
      for (const field of [m?.recipients, m?.ccList, m?.bccList]) {
        if (!Array.isArray(field)) continue;
        for (const mailbox of field) {
          const address = mailboxAddress(mailbox);
          if (address) this.#addresses.add(address);
        }
      }
      newest = Math.max(newest, dateOf(m));
    }
    return newest;
  }

  /**
   * The list for the engine changed: made again at the next Send, and announced.
   * @param {boolean} [touched] whether the index itself changed now (not just read from storage)
   */
  #changed(touched = true) {
    // Addresses are only ever added (a clear drops the list itself), so a list as long as the
    // set holds the same addresses: it is kept, so that the engine is not handed the address
    // books and the index again for nothing (a catch-up read that found no new mail).
    if (this.#list?.length !== this.#addresses.size) this.#list = null;
    if (touched) this.#updatedAt = new Date().toISOString();
    try {
      this.onUpdated?.(this.forReview());
    } catch (error) {
      console.warn("misend-guard: the Sent index's listener failed", error);
    }
  }

  /**
   * The stored index, read once. A stored index that cannot be read is built again; one that
   * cannot be loaded at all (storage failing) fails the build, which says so.
   */
  #ready() {
    this.#loading ??= this.#load().catch((error) => {
      this.#loading = null;
      throw error;
    });
    return this.#loading;
  }

  async #load() {
    const text = (await this.api.storage.local.get(INDEX_KEY))?.[INDEX_KEY];
    if (typeof text !== "string") return;
    /** @type {Stored | null} */
    let stored = null;
    try {
      stored = JSON.parse(text);
    } catch (error) {
      console.warn("misend-guard: the stored Sent index could not be read; it is built again", error);
    }
    if (stored?.format !== FORMAT || !Array.isArray(stored.addresses)) return;
    for (const a of stored.addresses) if (typeof a === "string") this.#addresses.add(a);
    this.#folders = stored.folders && typeof stored.folders === "object" ? stored.folders : {};
    this.#built = stored.built === true;
    this.#updatedAt = typeof stored.updatedAt === "string" ? stored.updatedAt : null;
    this.#list = null;
    if (this.#built) this.#changed(false);
  }

  #serialize() {
    /** @type {Stored} */
    const stored = { format: FORMAT, built: this.#built, addresses: [...this.#addresses], folders: this.#folders, updatedAt: this.#updatedAt };
    return JSON.stringify(stored);
  }

  async #save() {
    this.#updatedAt ??= new Date().toISOString();
    await this.api.storage.local.set({ [INDEX_KEY]: this.#serialize() });
  }
}
