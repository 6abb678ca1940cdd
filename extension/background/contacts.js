// @ts-check
/**
 * The contacts of the user's address books, for the engine's `new-recipient` (an address never
 * seen), `lookalike-domain` (a domain that resembles one the user writes to) and the checks that
 * ask who a mail is for (`salutation-mismatch`, `attachment-for-other-party`,
 * `similar-recipient`): each e-mail address as a card with the contact's name (`FN`), its
 * organisation (`ORG`) and how the name is read where the card says so (the phonetic fields
 * some phones and services write, or the `SORT-AS` of `N`). A card without an organisation is
 * passed as `"Name" <address>`, and one without a name either as its bare address (see `entry`).
 *
 * Every local address book is read, "Collected Addresses" included, through the Manifest V3
 * API: `addressBooks.list()`, then `addressBooks.contacts.list(book)` for each, in parallel.
 * Remote books (LDAP, add-on search providers) are skipped: they can only be searched, not
 * listed, so their people count as unknown, which makes `new-recipient` say more, never less.
 * `addressBooks.get(book, true)` gives the same contacts through the same conversion in
 * Thunderbird and took as long (1.55–1.64 s against 1.53–1.93 s for 5,000), and
 * `addressBooks.list(true)` would take the remote books' contacts too, so neither is used.
 *
 * Reading the vCards: with ical.js (vendor/ical.js, MPL-2.0), not with a parser of our own.
 * In Manifest V3 a contact is only its vCard string (the flat `properties` are gone), and
 * Thunderbird writes that string with ical.js itself (`VCardProperties.toVCard`), so the same
 * library reads it back exactly: folded lines (cut at 75 characters, in the middle of a
 * Japanese name too), grouped properties (`ITEM1.EMAIL`), parameters with quoted values,
 * escaped characters, vCard 3.0 and 4.0. Thunderbird's add-on documentation recommends it
 * for this. The cost is 76 KB of JavaScript and about 40 µs a card (0.2 s for 5,000 in
 * Thunderbird, each card's properties read in one pass), paid only when the address books are
 * read in full or a contact changes (see below): it is imported then, not with the background
 * (`loadVCardReader`); a hand-written reader would be faster, but it would be one more vCard
 * parser to get right, for the one field where a mistake hides a mis-send.
 * A card that ical.js cannot read is not skipped silently: it is reported in the dialog.
 *
 * Caching. Reading a big address book takes longer than a Send should wait (5,000 contacts
 * took 1.75–1.9 s on two cores: 1.55–1.65 s until Thunderbird's `contacts.list` answers, as it
 * converts every card's vCard in its own process, and 0.2 s parsing here; see BENCHMARKS.md),
 * so the addresses are kept between Sends: in memory, and in `storage.session`, because a
 * Manifest V3 event page is unloaded after 30 s idle and each Send would otherwise read
 * everything again. The change events keep the copy true: a contact created, changed or
 * deleted is applied one by one (the contact Thunderbird adds to "Collected Addresses" after a
 * mail to someone new must not cost a full read), while a bulk import or any change of a book itself drops the copy, which
 * is then read again a moment later. The listeners are persistent (registered at the top level
 * of the background), so a change while the event page sleeps wakes it.
 *
 * Across restarts of Thunderbird, which empty `storage.session`, the addresses alone are kept
 * in `storage.local` (no names, no organisations: the add-on's local indexes hold addresses
 * only). When Thunderbird starts, the full read begins as before, and while it runs a Send
 * uses the addresses kept from the last run, restored in a few tens of milliseconds, with a
 * notice in the dialog that the contacts' names and organisations are still being read; so
 * `new-recipient` and `lookalike-domain` work from the first Send, where they used to wait
 * for Thunderbird's answer (1.5–1.9 s for 5,000 contacts). The kept addresses are replaced by
 * the full read as soon as it ends, and written again with every copy stored in session
 * storage, so that they are never older than the last change Thunderbird reported.
 *
 * Fail closed, lose nothing: a Send waits at most `WAIT_MS` for the addresses. When reading
 * fails, is still running or is only partly done, the review runs with what is known (nothing,
 * in the worst case: then `new-recipient` stays silent and `lookalike-domain` compares only with
 * the policy's domains) and the problem is shown in the dialog, which a problem always opens.
 */
import { DeadlineError, withDeadline } from "../common/deadline.js";
import { errorText, localized } from "../common/text.js";
import { mailbox } from "./draft.js";

/** How long a Send waits for the address books. */
export const WAIT_MS = 2000;
/** A full read that takes longer is given up, so that a hung call cannot block the cache for good. */
export const READ_LIMIT_MS = 60000;
/** After a change that drops the copy, the wait before reading again, so that a burst of changes costs one read. */
export const REREAD_DELAY_MS = 1000;
/** The `storage.session` key of the copy. */
export const SESSION_KEY = "addressBooks";
/** The `storage.local` key of the addresses kept for the first Sends after Thunderbird starts. */
export const LOCAL_KEY = "addressBookAddresses";

/**
 * One entry for the engine: a bare address, or a card.
 * @typedef {string | { address: string, name?: string, org?: string, reading?: string }} ContactEntry
 * The entries of each contact, by book id and contact id; a string instead of a list is the
 * error of a card that could not be read.
 * @typedef {Record<string, Record<string, ContactEntry[] | string>>} Books
 * @typedef {{ books: Books, failed: { name: string, error: string }[], kept?: true }} Snapshot
 *   `failed`: the books that could not be listed; a snapshot with any is never kept.
 *   `kept`: the addresses kept from the last run, in one book of bare addresses, used only
 *   until the full read ends
 * @typedef {{ id: string, parentId?: string, type?: string, remote?: boolean, vCard?: string }} ContactNode
 */

/** @type {any} ical.js, once imported */
let ICAL = null;
/** @type {Promise<void> | undefined} */
let importing;

/**
 * Imports ical.js, the first time only. It is not imported with the background: restoring the
 * copy kept in `storage.session`, which is what a Send that wakes the event page needs, reads
 * no vCard, so the event page starts without its 76 KB. A full read and a change of a contact
 * wait for it; `vCardAddresses` and `vCardEntries` need it done.
 * @returns {Promise<void>}
 */
export function loadVCardReader() {
  importing ??= import("../vendor/ical.js/ical.min.js").then(
    (module) => {
      ICAL = module.default;
    },
    (error) => {
      // Tried again by the next read.
      importing = undefined;
      throw error;
    },
  );
  return importing;
}

/** @returns {any} */
function ical() {
  if (!ICAL) throw new Error("the vCard reader is not loaded");
  return ICAL;
}

/**
 * Every e-mail address of a vCard (or of several, as in a .vcf file), as written: `EMAIL`
 * properties of any group, folded lines joined, escapes undone, a `mailto:` URI reduced to its
 * address. Throws when the text is not a vCard that ical.js can read. After `loadVCardReader()`.
 * @param {string} vCard
 * @returns {string[]}
 */
export function vCardAddresses(vCard) {
  const parsed = ical().parse(vCard);
  // One component is returned as itself, several as a list of them.
  const components = typeof parsed[0] === "string" ? [parsed] : parsed;
  /** @type {string[]} */
  const out = [];
  for (const component of components) collectAddresses(component, out);
  return out;
}

/**
 * @param {any} component a jCard component: `[name, properties, subcomponents]`
 * @param {string[]} out
 */
function collectAddresses(component, out) {
  const [name, properties] = component;
  if (name !== "vcard") return;
  for (const [property, , , ...values] of properties) {
    if (property !== "email") continue;
    for (const value of values) addAddress(value, out);
  }
}

/**
 * The entries of a vCard for the engine: one per e-mail address, each carrying the contact's
 * name, organisation and reading when the card has them. Throws when the text is not a vCard
 * that ical.js can read. After `loadVCardReader()`.
 * One pass over each card's properties, with no object or list made per property: this runs
 * for every card of every book, 5,000 times for 5,000 contacts.
 * @param {string} vCard
 * @returns {ContactEntry[]}
 */
export function vCardEntries(vCard) {
  const parsed = ical().parse(vCard);
  const components = typeof parsed[0] === "string" ? [parsed] : parsed;
  /** @type {ContactEntry[]} */
  const out = [];
  for (const component of components) {
    if (component[0] !== "vcard") continue;
    /** @type {any[][]} */
    const properties = component[1];
    /** @type {string[]} */
    const addresses = [];
    // The first non-empty FN and ORG; the last phonetic fields and SORT-AS of N.
    let name = "";
    let org = "";
    let sortAs = "";
    let phoneticLast = "";
    let phoneticFirst = "";
    for (let i = 0; i < properties.length; i++) {
      const property = properties[i];
      switch (property[0]) {
        case "email":
          for (let j = 3; j < property.length; j++) addAddress(property[j], addresses);
          break;
        case "fn":
          if (!name) name = text(property[3]);
          break;
        case "org":
          if (!org) org = text(Array.isArray(property[3]) ? property[3][0] : property[3]);
          break;
        case "n": {
          const sort = property[1]?.["sort-as"];
          if (typeof sort === "string") sortAs = sort.replace(/,/g, " ");
          break;
        }
        case "x-phonetic-last-name":
          phoneticLast = text(property[3]);
          break;
        case "x-phonetic-first-name":
          phoneticFirst = text(property[3]);
          break;
      }
    }
    if (addresses.length === 0) continue;
    const reading = (phoneticLast && phoneticFirst ? `${phoneticLast} ${phoneticFirst}` : phoneticLast || phoneticFirst) || sortAs.trim();
    for (const address of addresses) out.push(entry(address, name, org, reading));
  }
  return out;
}

/**
 * Adds the address of one EMAIL value, as written: a `mailto:` URI reduced to its address.
 * @param {unknown} value
 * @param {string[]} out
 */
function addAddress(value, out) {
  if (typeof value !== "string") return;
  const address = value.trim().replace(/^mailto:/i, "").trim();
  if (address) out.push(address);
}

/**
 * One entry: a card object only when the card names an organisation; otherwise the address
 * with the name as a display name (`"鈴木 一郎" <addr>`), which the engine reads as the same
 * name. Every Send hands the whole list to the engine, and an object costs it about ten times
 * a string to take over from JavaScript (about 50 µs against 5 µs per entry, measured on
 * 10,000 entries), so objects are kept for what only they can carry.
 * @param {string} address
 * @param {string} name the card's FN, or ""
 * @param {string} org its ORG, or ""
 * @param {string} reading how the name is read, or ""
 * @returns {ContactEntry}
 */
function entry(address, name, org, reading) {
  if (!org) return name ? mailbox(name, address) : address;
  /** @type {{ address: string, name?: string, org: string, reading?: string }} */
  const card = name ? { address, name, org } : { address, org };
  if (reading) card.reading = reading;
  return card;
}

/** @param {unknown} value */
function text(value) {
  return typeof value === "string" ? value.trim() : Array.isArray(value) ? value.filter((v) => typeof v === "string").join(" ").trim() : "";
}

/**
 * The addresses kept for the Sends, and the listeners that keep them true.
 */
export class AddressBooks {
  /** @type {Snapshot | null} the complete copy, or null until read */
  #snapshot = null;
  /** @type {WeakMap<Snapshot, ContactEntry[]>} the entries of a snapshot, each address once, built once */
  #lists = new WeakMap();
  /** Every read and change runs in turn, so that a change never races a full read. */
  /** @type {Promise<unknown>} */
  #queue = Promise.resolve();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #reread;
  /** Whether the change listeners are registered, without which nothing is kept. */
  #watching = false;
  /** Changes waiting in the queue, and changes applied but not yet stored. */
  #changesQueued = 0;
  /** Drops of the copy waiting in the queue. */
  #dropsQueued = 0;
  #changesApplied = 0;
  /** Whether the addresses kept from the last run were asked for (once, when a full read begins). */
  #keptAsked = false;
  /** @type {(kept: Snapshot | null) => void} */
  #settleKept = () => {};
  /** The addresses kept from the last run, once asked for: a snapshot, or null when there are none. */
  /** @type {Promise<Snapshot | null>} */
  #kept = new Promise((resolve) => {
    this.#settleKept = resolve;
  });

  /**
   * @param {any} messenger the WebExtension API: `addressBooks` (with `contacts`), `storage.session`, `storage.local`
   *   and `i18n` (the problems' texts)
   * @param {{ waitMs?: number, readLimitMs?: number, rereadDelayMs?: number,
   *           onUpdated?: (contacts: ContactEntry[]) => void }} [options]
   *   `onUpdated`: called with the entries whenever a complete copy becomes current (read,
   *   restored, or changed), so that the engine can parse them before the next Send needs them
   */
  constructor(messenger, { waitMs = WAIT_MS, readLimitMs = READ_LIMIT_MS, rereadDelayMs = REREAD_DELAY_MS, onUpdated } = {}) {
    this.api = messenger;
    this.waitMs = waitMs;
    this.readLimitMs = readLimitMs;
    this.rereadDelayMs = rereadDelayMs;
    this.onUpdated = onUpdated;
  }

  /**
   * Registers the change listeners. Call it at the top level of the background. Until it has
   * succeeded nothing is kept: without the events a kept copy could not be trusted, so every
   * Send reads the address books again.
   */
  watch() {
    try {
      const books = this.api.addressBooks;
      const contacts = books.contacts ?? this.api.contacts;
      const drop = () => this.#drop();
      books.onCreated.addListener(drop);
      books.onUpdated.addListener(drop);
      books.onDeleted.addListener(drop);
      contacts.onManyCreated?.addListener(drop);
      contacts.onCreated.addListener((/** @type {ContactNode} */ node) => this.#change((s) => put(s.books, node), true));
      contacts.onUpdated.addListener((/** @type {ContactNode} */ node) => this.#change((s) => put(s.books, node), true));
      contacts.onDeleted.addListener((/** @type {string} */ parentId, /** @type {string} */ id) =>
        this.#change((s) => {
          delete s.books[parentId]?.[id];
        }),
      );
      this.#watching = true;
    } catch (error) {
      console.error("misend-guard: the address books cannot be watched; they are read again on every Send", error);
    }
  }

  /** Starts reading now, so that the next Send finds the addresses ready. */
  warm() {
    this.#load().catch(() => {});
  }

  /**
   * The entries for the review of one Send, waiting at most `waitMs`. What went wrong is
   * added to `problems`, worded in Thunderbird's UI language (`_locales`); that the addresses
   * are those kept from the last run, while the full read goes on, to `notices`.
   * @param {string[]} problems
   * @param {string[]} [notices]
   * @returns {Promise<ContactEntry[]>}
   */
  async contacts(problems, notices = []) {
    const i18n = this.api.i18n;
    try {
      const snapshot = await withDeadline(() => this.#usable(this.#load()), this.waitMs, "the address books");
      if (snapshot.kept) {
        const list = this.#addresses(snapshot);
        notices.push(localized(i18n, "noticeContactsKept", list.length.toLocaleString(i18n.getUILanguage?.())));
        return list;
      }
      for (const { name, error } of snapshot.failed) problems.push(localized(i18n, "problemContactsBookFailed", name, error));
      const unreadable = unreadableCards(snapshot.books);
      if (unreadable.count > 0) problems.push(localized(i18n, "problemContactsCardsUnreadable", unreadable.count, unreadable.first));
      return this.#addresses(snapshot);
    } catch (error) {
      problems.push(
        error instanceof DeadlineError
          ? localized(i18n, "problemContactsLate", this.waitMs / 1000)
          : localized(i18n, "problemContactsFailed", errorText(error, i18n)),
      );
      return [];
    }
  }

  /** Whether the complete copy is current: then `contacts` answers with it, at once. */
  get complete() {
    return this.#snapshot !== null && this.#changesQueued === 0 && this.#dropsQueued === 0;
  }

  /**
   * What a Send can use first: the copy `loading` gives, or, if that is a full read still
   * running, the addresses kept from the last run as soon as they are restored.
   * @param {Promise<Snapshot>} loading
   * @returns {Promise<Snapshot>}
   */
  #usable(loading) {
    return new Promise((resolve, reject) => {
      loading.then(resolve, reject);
      this.#kept.then((kept) => {
        if (kept && !this.#snapshot) resolve(kept);
      });
    });
  }

  /**
   * The copy, restored from `storage.session` or read in full. A read with failed books is
   * returned for this Send but not kept, so that the next Send tries again.
   * @returns {Promise<Snapshot>}
   */
  #load() {
    // The copy in memory is current when no change or drop waits in the queue: what else may
    // wait there is the copy being stored for the event page's next start, which a Send need
    // not wait for.
    if (this.#snapshot && this.#changesQueued === 0 && this.#dropsQueued === 0) return Promise.resolve(this.#snapshot);
    return this.#serial(async () => {
      if (this.#snapshot) return this.#snapshot;
      const restored = this.#watching ? await this.#restore() : null;
      if (restored) {
        this.#snapshot = restored;
        this.#updated(restored);
        return restored;
      }
      if (this.#watching && !this.#keptAsked) {
        // Thunderbird has started (no copy in session storage): while the full read runs, the
        // addresses kept from the last run serve the Sends, and the engine parses them now.
        this.#keptAsked = true;
        this.#restoreKept().then((kept) => {
          if (kept && !this.#snapshot) this.#updated(kept);
          this.#settleKept(kept);
        });
      }
      const read = await withDeadline(() => this.#readAll(), this.readLimitMs, "the address books (full read)");
      if (this.#watching && read.failed.length === 0) {
        this.#snapshot = read;
        // Stored next in the queue, so that the Send waiting for this read gets it now.
        this.#serial(() => this.#store(read)).catch(() => {});
        this.#updated(read);
      }
      return read;
    });
  }

  /** @returns {Promise<Snapshot>} */
  async #readAll() {
    const started = performance.now();
    const books = this.api.addressBooks;
    const contacts = books.contacts ?? this.api.contacts;
    const [nodes] = await Promise.all([
      /** @type {Promise<{ id: string, name: string, remote?: boolean }[]>} */ (books.list(false)),
      loadVCardReader(),
    ]);
    const listed = performance.now() - started;
    /** @type {Snapshot} */
    const snapshot = { books: {}, failed: [] };
    let count = 0;
    let parsing = 0;
    // When the last book's contacts came, from the start of the read, less the parsing done
    // before (an answer that comes while another book is parsed waits for it).
    let waited = 0;
    await Promise.all(
      nodes
        .filter((book) => !book.remote)
        .map(async (book) => {
          snapshot.books[book.id] = {};
          try {
            const cards = /** @type {ContactNode[]} */ (await contacts.list(book.id));
            const parsed = performance.now();
            waited = Math.max(waited, parsed - started - parsing);
            for (const card of cards) put(snapshot.books, card, book.id);
            parsing += performance.now() - parsed;
            count += cards.length;
          } catch (error) {
            snapshot.failed.push({ name: book.name, error: errorText(error, this.api.i18n) });
          }
        }),
    );
    console.log(
      `misend-guard: address books read in ${(performance.now() - started).toFixed(0)} ms ` +
        `(books listed in ${listed.toFixed(0)} ms, contacts came by ${waited.toFixed(0)} ms, vCards parsed in ${parsing.toFixed(0)} ms): ` +
        `${count} contacts, ${this.#addresses(snapshot).length} addresses, ${Object.keys(snapshot.books).length} books` +
        (snapshot.failed.length ? `, ${snapshot.failed.length} failed` : ""),
    );
    return snapshot;
  }

  /**
   * Applies a change of one contact to the copy, wherever it is (memory or storage.session).
   * Without a copy there is nothing to change: the next read sees the change. If applying it
   * fails, the copy is dropped rather than left wrong. A burst of changes (a mail to many new
   * people fills "Collected Addresses") is stored once, by the last change of the burst.
   * @param {(snapshot: Snapshot) => void} edit
   * @param {boolean} [reads] whether the edit reads a vCard (ical.js is imported first)
   */
  #change(edit, reads = false) {
    this.#changesQueued++;
    this.#serial(async () => {
      this.#changesQueued--;
      const snapshot = this.#snapshot ?? (await this.#restore());
      if (!snapshot) return;
      try {
        if (reads) await loadVCardReader();
        edit(snapshot);
        this.#lists.delete(snapshot);
        this.#snapshot = snapshot;
        this.#changesApplied++;
        if (this.#changesQueued === 0) {
          this.#updated(snapshot);
          await this.#store(snapshot);
          console.log(`misend-guard: address book changes applied: ${this.#changesApplied}`);
          this.#changesApplied = 0;
        }
      } catch (error) {
        console.error("misend-guard: an address book change could not be applied; the addresses will be read again", error);
        await this.#forget();
      }
    }).catch(() => {});
  }

  /** Drops the copy after a change too big to apply one by one, and reads again soon. */
  #drop() {
    this.#dropsQueued++;
    this.#serial(() => {
      this.#dropsQueued--;
      return this.#forget();
    }).catch(() => {});
    clearTimeout(this.#reread);
    this.#reread = setTimeout(() => this.warm(), this.rereadDelayMs);
  }

  async #forget() {
    this.#snapshot = null;
    this.#changesApplied = 0;
    try {
      await this.api.storage.session.remove(SESSION_KEY);
    } catch {
      // No session storage: there is no copy there to drop either.
    }
    try {
      await this.api.storage.local.remove(LOCAL_KEY);
    } catch {
      // Kept addresses that could not be dropped are replaced by the next full read's.
    }
  }

  /**
   * The addresses kept in `storage.local` from the last run, as a snapshot of bare addresses.
   * @returns {Promise<Snapshot | null>}
   */
  async #restoreKept() {
    try {
      const text = (await this.api.storage.local.get(LOCAL_KEY))?.[LOCAL_KEY];
      const stored = typeof text === "string" ? JSON.parse(text) : null;
      const addresses = Array.isArray(stored?.addresses) ? stored.addresses.filter((/** @type {unknown} */ a) => typeof a === "string") : [];
      if (addresses.length === 0) return null;
      // `performance.now()` counts from the event page's start.
      console.log(`misend-guard: ${addresses.length} addresses kept from the last run restored ${performance.now().toFixed(0)} ms after the background started`);
      return { books: { kept: { addresses } }, failed: [], kept: true };
    } catch (error) {
      console.warn("misend-guard: the addresses kept from the last run could not be restored", error);
      return null;
    }
  }

  /** @returns {Promise<Snapshot | null>} */
  async #restore() {
    try {
      const started = performance.now();
      const text = (await this.api.storage.session.get(SESSION_KEY))?.[SESSION_KEY];
      const stored = typeof text === "string" ? JSON.parse(text) : null;
      if (stored && typeof stored.books === "object" && stored.books !== null) {
        console.log(`misend-guard: address books restored from session storage in ${(performance.now() - started).toFixed(0)} ms`);
        return { books: stored.books, failed: [] };
      }
    } catch (error) {
      console.warn("misend-guard: the kept address books could not be restored; they are read again", error);
    }
    return null;
  }

  /** @param {Snapshot} snapshot */
  async #store(snapshot) {
    try {
      // As JSON text: one string crosses to the parent process and back much faster than
      // thousands of small objects: 5,000 contacts were restored in 15 ms instead of 90 ms.
      await this.api.storage.session.set({ [SESSION_KEY]: JSON.stringify({ books: snapshot.books }) });
    } catch (error) {
      // Only the copy across the event page's restarts is lost: the next restart reads again.
      console.warn("misend-guard: the address books could not be kept in session storage", error);
    }
    try {
      // The addresses only, for the first Sends after Thunderbird starts again.
      await this.api.storage.local.set({ [LOCAL_KEY]: JSON.stringify({ addresses: this.#addresses(snapshot).map(addressOf) }) });
    } catch (error) {
      console.warn("misend-guard: the addresses could not be kept for the next start", error);
    }
  }

  /** @param {Snapshot} snapshot the copy that is now current */
  #updated(snapshot) {
    try {
      this.onUpdated?.(this.#addresses(snapshot));
    } catch (error) {
      console.warn("misend-guard: the address books' listener failed", error);
    }
  }

  /**
   * The entries of a snapshot, each address once, whatever its case (the first card that has
   * it, or the first with an organisation).
   * @param {Snapshot} snapshot
   */
  #addresses(snapshot) {
    let list = this.#lists.get(snapshot);
    if (!list) {
      /** @type {Map<string, ContactEntry>} */
      const seen = new Map();
      for (const book of Object.values(snapshot.books)) {
        for (const entries of Object.values(book)) {
          if (!Array.isArray(entries)) continue;
          for (const entry of entries) {
            const address = addressOf(entry).toLowerCase();
            // A card with an organisation says more than one without.
            const before = seen.get(address);
            if (!before || (typeof before === "string" && typeof entry !== "string")) seen.set(address, entry);
          }
        }
      }
      list = [...seen.values()];
      this.#lists.set(snapshot, list);
    }
    return list;
  }

  /**
   * @template T
   * @param {() => Promise<T>} task
   * @returns {Promise<T>}
   */
  #serial(task) {
    const run = this.#queue.then(() => task());
    this.#queue = run.catch(() => {});
    return run;
  }
}

/**
 * The address of an entry: a card's, or the one of `"Name" <address>`, or the bare address.
 * @param {ContactEntry} entry
 */
function addressOf(entry) {
  return typeof entry === "string" ? (/<([^<>]*)>\s*$/.exec(entry)?.[1] ?? entry) : entry.address;
}

/**
 * Puts one contact's addresses (or the error of its card) into its book.
 * @param {Books} books
 * @param {ContactNode} node
 * @param {string | undefined} [bookId] the book it was listed from; by default its `parentId`
 */
function put(books, node, bookId = node.parentId) {
  if (node.remote || (node.type && node.type !== "contact") || !bookId) return;
  const book = (books[bookId] ??= {});
  try {
    if (typeof node.vCard !== "string") throw new Error("the contact has no vCard");
    book[node.id] = vCardEntries(node.vCard);
  } catch (error) {
    book[node.id] = errorText(error);
  }
}

/** @param {Books} books */
function unreadableCards(books) {
  let count = 0;
  let first = "";
  for (const book of Object.values(books)) {
    for (const entry of Object.values(book)) {
      if (typeof entry === "string") {
        count++;
        first ||= entry;
      }
    }
  }
  return { count, first };
}
