// @ts-check
/**
 * The address books as the background reads them (extension/background/contacts.js): the
 * e-mail addresses of realistic vCards, the copy kept between Sends and its updates from the
 * change events, the bounded wait and the problems it reports, and the addresses reaching the
 * engine's `new-recipient`. The Thunderbird API is a small fake here; tests/e2e has the real one.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { AddressBooks, LOCAL_KEY, SESSION_KEY, loadVCardReader, vCardAddresses, vCardEntries } from "../../extension/background/contacts.js";
import { engine } from "./engine.mjs";

// The vCard tests below read cards directly; the background imports ical.js only when it reads one.
await loadVCardReader();

/** A card as Thunderbird 153 writes it (read back through the API): its line folded at 75
 * characters in the middle of a Japanese name and of an address, a grouped EMAIL in upper
 * case, escapes in a NOTE, and the UID it adds. */
const THUNDERBIRD_CARD = [
  "BEGIN:VCARD",
  "VERSION:4.0",
  "FN:山田 太郎 (営業部 第一グループ 課長代理 兼 海外事",
  " 業推進室 担当)",
  "N:山田;太郎;;;",
  "EMAIL;PREF=1:taro.yamada@partner.example",
  "EMAIL;TYPE=work:t.yamada+very-long-tag-to-force-folding-of-this-line@subsid",
  " iary.partner.example",
  "ITEM1.EMAIL:grouped@item.example",
  "NOTE:a\\, b\\; c",
  "UID:126cc8d7-e524-4a45-b295-0ce5ffb82f4f",
  "END:VCARD",
  "",
].join("\r\n");

/**
 * @param {string} vCard
 * @param {string[] | RegExp} expected the addresses, or what the error says
 */
function check(vCard, expected) {
  if (expected instanceof RegExp) {
    assert.throws(() => vCardAddresses(vCard), expected);
  } else {
    assert.deepEqual(vCardAddresses(vCard), expected);
  }
}

const crlf = (/** @type {string[]} */ lines) => [...lines, ""].join("\r\n");

/**
 * The address of an entry handed to the engine: a card's, or that of `"Name" <addr>`.
 * @param {import("../../extension/background/contacts.js").ContactEntry} entry
 */
const addressOf = (entry) => (typeof entry === "string" ? (/<([^<>]*)>$/.exec(entry)?.[1] ?? entry) : entry.address);

test("vCard: every EMAIL of a card Thunderbird wrote, folded lines joined, the grouped one too", () => {
  check(THUNDERBIRD_CARD, [
    "taro.yamada@partner.example",
    "t.yamada+very-long-tag-to-force-folding-of-this-line@subsidiary.partner.example",
    "grouped@item.example",
  ]);
});

test("vCard: the forms other programs write", () => {
  const cases = /** @type {[string, string, string[] | RegExp][]} */ ([
    [
      "vCard 3.0 with TYPE lists and a grouped EMAIL whose quoted parameter holds ':' and ';' (Apple)",
      crlf([
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:Müller;Jürgen;;;",
        "FN:Jürgen Müller",
        "EMAIL;TYPE=INTERNET,PREF:j.mueller@beispiel.example",
        'item2.EMAIL;type=INTERNET;X-LABEL="Büro: Haus 2; Zimmer 3":buero@beispiel.example',
        "item2.X-ABLabel:_$!<Work>!$_",
        "END:VCARD",
      ]),
      ["j.mueller@beispiel.example", "buero@beispiel.example"],
    ],
    [
      "LF line ends and a line folded with a tab",
      "BEGIN:VCARD\nVERSION:4.0\nFN:佐藤 花子\nEMAIL:hanako.sato@partner.\n\texample\nEND:VCARD\n",
      ["hanako.sato@partner.example"],
    ],
    ["an escaped comma in the value", crlf(["BEGIN:VCARD", "VERSION:4.0", "EMAIL:odd\\,name@x.example", "END:VCARD"]), ["odd,name@x.example"]],
    [
      "an EMAIL given as a mailto: URI",
      crlf(["BEGIN:VCARD", "VERSION:4.0", "EMAIL;VALUE=uri:mailto:uri@x.example", "END:VCARD"]),
      ["uri@x.example"],
    ],
    [
      "an internationalized address, kept as written",
      crlf(["BEGIN:VCARD", "VERSION:4.0", "FN:山田", "EMAIL:山田@例え.jp", "END:VCARD"]),
      ["山田@例え.jp"],
    ],
    [
      "several cards in one text, as in a .vcf file",
      crlf(["BEGIN:VCARD", "VERSION:4.0", "EMAIL:one@x.example", "END:VCARD", "BEGIN:VCARD", "VERSION:4.0", "EMAIL:two@x.example", "END:VCARD"]),
      ["one@x.example", "two@x.example"],
    ],
    ["a card without an address", crlf(["BEGIN:VCARD", "VERSION:4.0", "FN:Only a name", "TEL:+81 3 1234 5678", "END:VCARD"]), []],
    ["an empty EMAIL", crlf(["BEGIN:VCARD", "VERSION:4.0", "EMAIL:", "EMAIL: ", "END:VCARD"]), []],
    ["a card that does not end", crlf(["BEGIN:VCARD", "VERSION:4.0", "EMAIL:a@x.example"]), /did not end/],
    ["text that is no vCard", "hello", /invalid line/],
  ]);
  for (const [description, vCard, expected] of cases) {
    try {
      check(vCard, expected);
    } catch (error) {
      throw new Error(`${description}: ${error instanceof Error ? error.message : error}`, { cause: error });
    }
  }
});

test("vCard: each address as a card with the name, the organisation and the reading where the card has them", () => {
  const card = crlf([
    "BEGIN:VCARD",
    "VERSION:4.0",
    "FN:鈴木 一郎",
    'N;SORT-AS="すずき,いちろう":鈴木;一郎;;;',
    "ORG:株式会社ベータ工業;営業部",
    "EMAIL;PREF=1:suzuki@beta-kogyo.example",
    "EMAIL;TYPE=home:ichiro@home.example",
    "END:VCARD",
  ]);
  const org = { name: "鈴木 一郎", org: "株式会社ベータ工業", reading: "すずき いちろう" };
  assert.deepEqual(vCardEntries(card), [
    { address: "suzuki@beta-kogyo.example", ...org },
    { address: "ichiro@home.example", ...org },
  ]);
  // The phonetic fields that phones and web address books write come before SORT-AS.
  const phonetic = crlf(["BEGIN:VCARD", "VERSION:3.0", "FN:Yamada Taro", "X-PHONETIC-LAST-NAME:やまだ", "X-PHONETIC-FIRST-NAME:たろう", "ORG:Alpha Shoji", "EMAIL:y@alpha.example", "END:VCARD"]);
  assert.deepEqual(vCardEntries(phonetic), [{ address: "y@alpha.example", name: "Yamada Taro", org: "Alpha Shoji", reading: "やまだ たろう" }]);
  // A card with an address and nothing else stays a bare address; one with a name and no
  // organisation is the address with its display name.
  assert.deepEqual(vCardEntries(crlf(["BEGIN:VCARD", "VERSION:4.0", "EMAIL:bare@x.example", "END:VCARD"])), ["bare@x.example"]);
  assert.deepEqual(vCardEntries(crlf(["BEGIN:VCARD", "VERSION:4.0", "FN:Ichiro \"Ich\" Suzuki", "EMAIL:i@x.example", "END:VCARD"])), ['"Ichiro \\"Ich\\" Suzuki" <i@x.example>']);
});

test("a copy kept in session storage by an earlier version (addresses only) is still used", async () => {
  const session = new Map([[SESSION_KEY, JSON.stringify({ books: { pab: { c1: ["old@x.example"] } } })]]);
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["new@x.example"])] }, { session });
  const books = new AddressBooks(tb.messenger);
  books.watch();
  assert.deepEqual(await books.contacts([]), ["old@x.example"]);
});

test("the vendored ical.js is the npm package's file, unchanged, with its licence", async () => {
  for (const [vendored, published] of [
    ["../../extension/vendor/ical.js/ical.min.js", "../../node_modules/ical.js/dist/ical.min.js"],
    ["../../extension/vendor/ical.js/LICENSE", "../../node_modules/ical.js/LICENSE"],
  ]) {
    const ours = await readFile(new URL(vendored, import.meta.url));
    const theirs = await readFile(new URL(published, import.meta.url)).catch(() => {
      throw new Error("node_modules/ical.js is missing: run `npm ci`");
    });
    assert.ok(ours.equals(theirs), `${vendored} differs from ${published}; copy it again after changing the version`);
  }
  const lock = JSON.parse(await readFile(new URL("../../package-lock.json", import.meta.url), "utf8"));
  const vendor = await readFile(new URL("../../extension/vendor/VENDOR.md", import.meta.url), "utf8");
  assert.ok(vendor.includes(`Version: ${lock.packages["node_modules/ical.js"].version}`), "VENDOR.md names the pinned version");
});

/** @param {string} id @param {string} parentId @param {string[]} emails */
function contact(id, parentId, emails, name = "Someone") {
  const vCard = crlf(["BEGIN:VCARD", "VERSION:4.0", `FN:${name}`, ...emails.map((e) => `EMAIL:${e}`), `UID:${id}`, "END:VCARD"]);
  return { id, parentId, type: "contact", readOnly: false, remote: false, vCard };
}

/**
 * A stand-in for the part of Thunderbird's API that contacts.js uses, with session storage
 * that outlives an `AddressBooks` (as it outlives the event page).
 * @param {Record<string, any[] | Error | (() => Promise<any[]>)>} byBook contacts by book id
 * @param {{ remote?: string[], session?: Map<string, unknown>, local?: Map<string, unknown>, noEvents?: boolean }} [options]
 *   `local`: `storage.local`, which outlives Thunderbird's restarts (`session` does not)
 */
function fakeThunderbird(byBook, { remote = [], session = new Map(), local = new Map(), noEvents = false } = {}) {
  /** @type {Record<string, Function[]>} */
  const listeners = {};
  const event = (/** @type {string} */ name) => ({ addListener: (/** @type {Function} */ fn) => (listeners[name] ??= []).push(fn) });
  const calls = { books: 0, contacts: /** @type {string[]} */ ([]), session: { gets: 0 }, local: { gets: 0 } };
  const books = () => [...Object.keys(byBook), ...remote].map((id) => ({ id, type: "addressBook", name: `Book ${id}`, remote: remote.includes(id) }));
  const messenger = {
    i18n: { getMessage: localeText },
    addressBooks: {
      list: async () => {
        calls.books++;
        return books();
      },
      onCreated: event("books.created"),
      onUpdated: event("books.updated"),
      onDeleted: event("books.deleted"),
      contacts: {
        list: async (/** @type {string} */ id) => {
          calls.contacts.push(id);
          if (remote.includes(id)) throw new Error("a remote book cannot be listed");
          const entry = byBook[id];
          if (entry instanceof Error) throw entry;
          return typeof entry === "function" ? entry() : structuredClone(entry);
        },
        onCreated: event("contacts.created"),
        onUpdated: event("contacts.updated"),
        onDeleted: event("contacts.deleted"),
        onManyCreated: event("contacts.manyCreated"),
      },
    },
    storage: { session: storageArea(session, calls.session), local: storageArea(local, calls.local) },
  };
  if (noEvents) delete (/** @type {any} */ (messenger.addressBooks.contacts)).onCreated;
  return {
    messenger,
    calls,
    session,
    local,
    /** @param {string} name @param {...unknown} args */
    fire: (name, ...args) => {
      for (const fn of listeners[name] ?? []) fn(...args);
    },
  };
}

/**
 * A `storage` area over `map`, copying values in and out as Thunderbird does.
 * @param {Map<string, unknown>} map
 * @param {{ gets: number }} count
 */
function storageArea(map, count) {
  return {
    get: async (/** @type {string} */ key) => {
      count.gets++;
      return map.has(key) ? { [key]: structuredClone(map.get(key)) } : {};
    },
    set: async (/** @type {Record<string, unknown>} */ items) => {
      for (const [k, v] of Object.entries(items)) map.set(k, structuredClone(v));
    },
    remove: async (/** @type {string} */ key) => {
      map.delete(key);
    },
  };
}

/** Thunderbird's UI language in these tests: what `i18n.getMessage` answers in. */
let uiLanguage = "en";

/**
 * `i18n.getMessage` as Thunderbird answers it: the text of the add-on's own `_locales` in the
 * UI language (`ja` for `ja-JP`), with `$1`… replaced; "" for a key that does not exist.
 * @param {string} key
 * @param {string | string[]} [subs]
 */
function localeText(key, subs = []) {
  const folder = uiLanguage.startsWith("ja") ? "ja" : uiLanguage.startsWith("zh") ? "zh_CN" : "en";
  const messages = JSON.parse(readFileSync(new URL(`../../extension/_locales/${folder}/messages.json`, import.meta.url), "utf8"));
  const list = Array.isArray(subs) ? subs : [subs];
  return (messages[key]?.message ?? "").replace(/\$(\d)/g, (/** @type {string} */ _, /** @type {string} */ n) => list[Number(n) - 1] ?? "");
}

/**
 * One Send's view: the addresses (sorted), the problems and any notices, worded in `lang`.
 * @param {AddressBooks} books
 */
async function send(books, lang = "en") {
  /** @type {string[]} */
  const problems = [];
  /** @type {string[]} */
  const notices = [];
  uiLanguage = lang;
  try {
    const entries = await books.contacts(problems, notices);
    const addresses = entries.map(addressOf).sort();
    // A notice only where one is given, so that most tests compare addresses and problems.
    return notices.length ? { addresses, problems, notices } : { addresses, problems };
  } finally {
    uiLanguage = "en";
  }
}

test("every local book is read, Collected Addresses too; remote books are skipped", async () => {
  const tb = fakeThunderbird(
    {
      pab: [contact("c1", "pab", ["hanako.sato@partner.example", "h.sato@partner.example"], "佐藤 花子"), contact("c2", "pab", [])],
      history: [contact("c3", "history", ["first.time@newco.example", "hanako.sato@partner.example"])],
    },
    { remote: ["ldap"] },
  );
  const books = new AddressBooks(tb.messenger);
  books.watch();
  assert.deepEqual(await send(books), {
    addresses: ["first.time@newco.example", "h.sato@partner.example", "hanako.sato@partner.example"],
    problems: [],
  });
  assert.deepEqual(tb.calls.contacts.sort(), ["history", "pab"], "the remote book is not listed");
});

test("the addresses are read once and kept: in memory, and across a restart of the event page", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"])] });
  const first = new AddressBooks(tb.messenger);
  first.watch();
  const one = await first.contacts([]);
  const two = await first.contacts([]);
  assert.equal(two, one, "the same list, so that the engine keeps its parsed copy");
  assert.equal(tb.calls.books, 1);
  assert.ok(tb.session.has(SESSION_KEY));

  // The event page was unloaded and wakes for the next Send: the copy comes from session storage.
  const woken = new AddressBooks(tb.messenger);
  woken.watch();
  assert.deepEqual((await send(woken)).addresses, ["a@x.example"]);
  assert.equal(tb.calls.books, 1, "no second full read");
});

test("after Thunderbird restarts, the Sends use the addresses kept from the last run, with a notice, until the full read ends", async () => {
  const book = [contact("c1", "pab", ["hanako.sato@partner.example"], "佐藤 花子"), contact("c2", "pab", ["Taro@Corp.example", "t@corp.example"], "Taro")];
  const tb = fakeThunderbird({ pab: book });
  const before = new AddressBooks(tb.messenger);
  before.watch();
  await before.contacts([]);
  // What is kept across restarts: the addresses, and nothing else of the cards.
  const stored = tb.local.get(LOCAL_KEY);
  assert.equal(typeof stored, "string");
  const kept = JSON.parse(/** @type {string} */ (stored));
  assert.deepEqual(Object.keys(kept), ["addresses"]);
  assert.deepEqual([...kept.addresses].sort(), ["Taro@Corp.example", "hanako.sato@partner.example", "t@corp.example"]);
  assert.ok(!/** @type {string} */ (stored).includes("佐藤") && !/** @type {string} */ (stored).includes("Taro\""), "no name is kept");

  // Thunderbird restarts: session storage is empty, and Thunderbird answers slowly.
  /** @type {() => void} */
  let answer = () => {};
  const restarted = fakeThunderbird(
    { pab: () => new Promise((resolve) => (answer = () => resolve(structuredClone(book)))) },
    { local: tb.local },
  );
  /** @type {unknown[][]} */
  const updates = [];
  const books = new AddressBooks(restarted.messenger, { onUpdated: (entries) => updates.push(entries) });
  books.watch();
  books.warm();
  for (const lang of ["en", "ja", "zh-CN"]) {
    const early = await send(books, lang);
    assert.deepEqual(early.addresses, ["Taro@Corp.example", "hanako.sato@partner.example", "t@corp.example"], lang);
    assert.deepEqual(early.problems, [], lang);
    assert.equal(early.notices?.length, 1, lang);
    assert.match(/** @type {string[]} */ (early.notices)[0], /3/, "the notice says how many addresses were used");
  }
  assert.equal(restarted.calls.contacts.length, 1, "the full read goes on meanwhile");
  assert.equal(books.complete, false, "a Send that waited for Thunderbird does not take the full copy yet");
  assert.deepEqual(updates.length, 1, "the engine is handed the kept addresses before the first Send");

  answer();
  await sleep(20);
  assert.equal(books.complete, true, "from now on a Send takes the full copy");
  const later = await send(books);
  assert.deepEqual(later, { addresses: ["Taro@Corp.example", "hanako.sato@partner.example", "t@corp.example"], problems: [] });
  const entries = await books.contacts([]);
  assert.ok(entries.includes('"佐藤 花子" <hanako.sato@partner.example>'), "the full read brings the names");
  assert.equal(updates.at(-1), entries, "and the engine gets them");
});

test("the kept addresses serve only a Thunderbird start: an event page that wakes uses its session copy", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"], "Taro")] });
  const first = new AddressBooks(tb.messenger);
  first.watch();
  await first.contacts([]);
  assert.ok(tb.local.has(LOCAL_KEY));
  const gets = tb.calls.local.gets;
  const woken = new AddressBooks(tb.messenger);
  woken.watch();
  assert.deepEqual(await send(woken), { addresses: ["a@x.example"], problems: [] });
  assert.equal(tb.calls.local.gets, gets, "the kept addresses were not even read");
});

test("a start with nothing kept waits for the full read, as before", async () => {
  /** @type {() => void} */
  let answer = () => {};
  const card = contact("c1", "pab", ["a@x.example"]);
  const tb = fakeThunderbird({ pab: () => new Promise((resolve) => (answer = () => resolve([card]))) });
  const books = new AddressBooks(tb.messenger);
  books.watch();
  const sending = send(books);
  await sleep(20);
  answer();
  assert.deepEqual(await sending, { addresses: ["a@x.example"], problems: [] });
});

test("restoring the kept copy reads no vCard: ical.js is imported only for a full read or a changed contact", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"], "Taro")] });
  const before = new AddressBooks(tb.messenger);
  before.watch();
  await before.contacts([]);
  const card = contact("c2", "pab", ["b@x.example"]).vCard;

  // A fresh copy of the module, as in an event page that wakes for a Send.
  /** @type {typeof import("../../extension/background/contacts.js")} */
  const woken = await import(`../../extension/background/contacts.js?woken=${Date.now()}`);
  const books = new woken.AddressBooks(tb.messenger);
  books.watch();
  assert.deepEqual((await send(/** @type {any} */ (books))).addresses, ["a@x.example"]);
  assert.equal(tb.calls.books, 1, "restored, not read again");
  assert.throws(() => woken.vCardEntries(card), /not loaded/, "the restore imported no vCard reader");

  // A contact created now is read with ical.js, imported on the way.
  tb.fire("contacts.created", contact("c2", "pab", ["b@x.example"]));
  await sleep(50);
  assert.deepEqual((await send(/** @type {any} */ (books))).addresses, ["a@x.example", "b@x.example"]);
  assert.deepEqual(woken.vCardEntries(card), ['"Someone" <b@x.example>']);
});

test("a contact created, changed or deleted is applied without reading everything again", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"])], history: [] });
  const books = new AddressBooks(tb.messenger);
  books.watch();
  await send(books);

  // Thunderbird collects the address of a mail to someone new.
  tb.fire("contacts.created", contact("c2", "history", ["new@y.example"]));
  assert.deepEqual((await send(books)).addresses, ["a@x.example", "new@y.example"]);
  tb.fire("contacts.updated", contact("c1", "pab", ["a@x.example", "second@x.example"]), "old vCard");
  assert.deepEqual((await send(books)).addresses, ["a@x.example", "new@y.example", "second@x.example"]);
  tb.fire("contacts.deleted", "pab", "c1");
  assert.deepEqual((await send(books)).addresses, ["new@y.example"]);
  assert.equal(tb.calls.books, 1, "one full read in all");

  // The changes reached the copy that outlives the event page.
  const woken = new AddressBooks(tb.messenger);
  woken.watch();
  assert.deepEqual((await send(woken)).addresses, ["new@y.example"]);
});

test("a burst of changes is stored once, by its last change", async () => {
  const tb = fakeThunderbird({ pab: [], history: [] });
  let stores = 0;
  const set = tb.messenger.storage.session.set;
  tb.messenger.storage.session.set = async (items) => {
    stores++;
    return set(items);
  };
  const books = new AddressBooks(tb.messenger);
  books.watch();
  await send(books);
  assert.equal(stores, 1, "the full read");
  // A mail to 100 new people: Thunderbird collects each of them, one event each.
  for (let i = 0; i < 100; i++) tb.fire("contacts.created", contact(`n${i}`, "history", [`n${i}@new.example`]));
  assert.equal((await send(books)).addresses.length, 100);
  assert.equal(stores, 2);
  const woken = new AddressBooks(tb.messenger);
  woken.watch();
  assert.equal((await send(woken)).addresses.length, 100, "the stored copy has all of them");
});

test("the listener hears of every copy that becomes current: read, changed by a burst, restored", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"])], history: [] });
  /** @type {string[][]} */
  const heard = [];
  const books = new AddressBooks(tb.messenger, { onUpdated: (addresses) => heard.push(addresses.map(addressOf).sort()) });
  books.watch();
  books.warm();
  await sleep(10);
  assert.deepEqual(heard, [["a@x.example"]], "after the read, before any Send");
  for (let i = 0; i < 3; i++) tb.fire("contacts.created", contact(`n${i}`, "history", [`n${i}@new.example`]));
  await sleep(10);
  assert.deepEqual(heard.at(-1), ["a@x.example", "n0@new.example", "n1@new.example", "n2@new.example"]);
  assert.equal(heard.length, 2, "once for the burst");

  // A new event page restores the copy, and hears of it too; a listener that throws harms nothing.
  let restored = 0;
  const woken = new AddressBooks(tb.messenger, {
    onUpdated: (addresses) => {
      restored = addresses.length;
      throw new Error("listener failed");
    },
  });
  woken.watch();
  assert.equal((await send(woken)).addresses.length, 4);
  assert.equal(restored, 4);
  assert.equal(tb.calls.books, 1, "restored, not read again");
});

test("a change while the event page slept is applied to the kept copy", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"])] });
  const before = new AddressBooks(tb.messenger);
  before.watch();
  await send(before);
  // The change wakes a new event page, whose first act is the listener.
  const woken = new AddressBooks(tb.messenger);
  woken.watch();
  tb.fire("contacts.deleted", "pab", "c1");
  assert.deepEqual((await send(woken)).addresses, []);
  assert.equal(tb.calls.books, 1);
});

test("a bulk import or a change of a book drops the copy, which is read again soon after", async () => {
  const data = { pab: [contact("c1", "pab", ["a@x.example"])] };
  const tb = fakeThunderbird(data);
  const books = new AddressBooks(tb.messenger, { rereadDelayMs: 20 });
  books.watch();
  await send(books);
  data.pab.push(contact("c2", "pab", ["b@x.example"]), contact("c3", "pab", ["c@x.example"]));
  // A burst of events costs one read.
  tb.fire("contacts.manyCreated", { id: "pab", type: "addressBook", name: "Book pab" });
  tb.fire("books.updated", { id: "pab", type: "addressBook", name: "Renamed" });
  await sleep(100);
  assert.equal(tb.calls.books, 2, "read again once, before any Send asked");
  assert.deepEqual((await send(books)).addresses, ["a@x.example", "b@x.example", "c@x.example"]);
  assert.equal(tb.calls.books, 2);
  tb.fire("books.deleted", "pab");
  delete (/** @type {any} */ (data)).pab;
  assert.deepEqual((await send(books)).addresses, []);
});

test("a Send after a read does not wait for the copy to be stored for the event page's next start", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"])] });
  /** @type {() => void} */
  let release = () => {};
  const set = tb.messenger.storage.session.set;
  tb.messenger.storage.session.set = async (items) => {
    await new Promise((resolve) => (release = () => resolve(undefined)));
    return set(items);
  };
  const books = new AddressBooks(tb.messenger, { waitMs: 200 });
  books.watch();
  assert.deepEqual(await send(books), { addresses: ["a@x.example"], problems: [] });
  assert.deepEqual(await send(books), { addresses: ["a@x.example"], problems: [] }, "nor does the next one");
  assert.ok(!tb.session.has(SESSION_KEY), "the copy is still being stored");
  release();
  await sleep(10);
  assert.ok(tb.session.has(SESSION_KEY));
  assert.equal(tb.calls.books, 1);
});

test("a slow read: the Send waits a bounded time, runs without the addresses and says so; the next Send has them", async () => {
  /** @type {(value: any[]) => void} */
  let finish = () => {};
  const tb = fakeThunderbird({ pab: () => new Promise((resolve) => (finish = resolve)) });
  const books = new AddressBooks(tb.messenger, { waitMs: 50 });
  books.watch();
  const started = Date.now();
  const late = await send(books);
  assert.ok(Date.now() - started < 1000, "the Send did not wait for the read");
  assert.deepEqual(late.addresses, []);
  assert.equal(late.problems.length, 1);
  assert.match(late.problems[0], /could not be read within 0\.05 s/);
  assert.match((await send(books, "ja-JP")).problems[0], /アドレス帳を 0\.05 秒以内に読み込めなかった/);
  assert.match((await send(books, "zh-CN")).problems[0], /未能在 0\.05 秒内读取通讯录/);
  finish([contact("c1", "pab", ["a@x.example"])]);
  assert.deepEqual(await send(books), { addresses: ["a@x.example"], problems: [] });
});

test("a read that fails is a problem in the dialog, and is tried again on the next Send", async () => {
  const tb = fakeThunderbird({});
  tb.messenger.addressBooks.list = async () => {
    tb.calls.books++;
    throw new Error("the address book service is not available");
  };
  const books = new AddressBooks(tb.messenger);
  books.watch();
  const failed = await send(books);
  assert.deepEqual(failed.addresses, []);
  assert.match(failed.problems[0], /^The address books could not be read \(the address book service is not available\)/);
  await send(books);
  assert.equal(tb.calls.books, 2);
});

test("one book that fails: the others still count, the problem names it, and nothing is kept", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"])], broken: new Error("database is locked") });
  const books = new AddressBooks(tb.messenger);
  books.watch();
  const partly = await send(books);
  assert.deepEqual(partly.addresses, ["a@x.example"]);
  assert.deepEqual(partly.problems, ['The address book "Book broken" could not be read (database is locked); its addresses count as unknown.']);
  assert.ok(!tb.session.has(SESSION_KEY), "a partial read is not kept");
  await send(books);
  assert.equal(tb.calls.books, 2, "the next Send tries again");
});

test("a card that cannot be read is reported, not skipped silently; the other cards count", async () => {
  const broken = { ...contact("c2", "pab", []), vCard: "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:lost@x.example\r\n" };
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"]), broken] });
  const books = new AddressBooks(tb.messenger);
  books.watch();
  const result = await send(books);
  assert.deepEqual(result.addresses, ["a@x.example"]);
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0], /^Contacts in the address books that could not be read: 1 \(.*did not end\)\. Their addresses count as unknown\.$/);
  // Kept with the copy, so that every Send says it until the card is fixed.
  assert.equal((await send(books)).problems.length, 1);
  tb.fire("contacts.updated", contact("c2", "pab", ["lost@x.example"]), broken.vCard);
  assert.deepEqual(await send(books), { addresses: ["a@x.example", "lost@x.example"], problems: [] });
});

test("without the change events nothing is kept: every Send reads the address books", async () => {
  const tb = fakeThunderbird({ pab: [contact("c1", "pab", ["a@x.example"])] }, { noEvents: true });
  const books = new AddressBooks(tb.messenger);
  books.watch();
  assert.deepEqual((await send(books)).addresses, ["a@x.example"]);
  assert.deepEqual((await send(books)).addresses, ["a@x.example"]);
  assert.equal(tb.calls.books, 2);
  assert.ok(!tb.session.has(SESSION_KEY));
});

test("the addresses reach the engine: new-recipient only on the address that is in no book", async () => {
  const e = await engine();
  const tb = fakeThunderbird({ pab: [{ ...contact("c1", "pab", []), vCard: THUNDERBIRD_CARD }] });
  const books = new AddressBooks(tb.messenger);
  books.watch();
  const contacts = await books.contacts([]);
  const draft = {
    to: ["山田 太郎 <Taro.Yamada@Partner.Example>", "stranger@newco.example"],
    cc: ["t.yamada+very-long-tag-to-force-folding-of-this-line@subsidiary.partner.example"],
  };
  const review = e.checker({ internalDomains: ["corp.example"] }, "en").check(draft, { contacts });
  const found = review.findings.filter((f) => f.code === "new-recipient");
  assert.equal(found.length, 1);
  assert.deepEqual(
    found[0].recipients.map((i) => review.recipients[i].address),
    ["stranger@newco.example"],
  );
});
