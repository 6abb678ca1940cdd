// @ts-check
/**
 * The Sent index (extension/background/sent-index.js) against a fake of the few Thunderbird
 * calls it makes, for what a real Thunderbird cannot be made to do on demand: an event page
 * unloaded in the middle of a folder (resume), a page count that is known exactly (paging),
 * a stored index of another format. tests/e2e/sent-index.test.mjs runs the real path.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { INDEX_KEY, SentIndex, mailboxAddress, splitMailboxes } from "../../extension/background/sent-index.js";

/**
 * A `MessageHeader` whose recipient fields count how often they are read, and whose subject
 * throws when read: the index must read addresses only.
 * @param {number} i
 * @param {{ reads: number }} counter
 */
function header(i, counter) {
  return {
    id: i,
    date: new Date(Date.UTC(2026, 0, 1) + i * 3600000),
    get subject() {
      throw new Error("the index read a subject");
    },
    get recipients() {
      counter.reads++;
      return [`"Person ${i}" <P${i}@Partner${i % 7}.example>`];
    },
    ccList: i % 10 === 0 ? [`cc${i}@cc.example`] : [],
    bccList: i % 25 === 0 ? [`"Hidden, One" <bcc${i}@bcc.example>`] : [],
  };
}

/**
 * @param {{ folders?: Record<string, number>, pageSize?: number }} [options]
 *   `folders`: how many messages each Sent folder holds
 */
function fakeThunderbird({ folders = { "sent-1": 250 }, pageSize = 100 } = {}) {
  const counter = { reads: 0 };
  /** @type {Record<string, unknown>} */
  const local = {};
  /** @type {Record<string, Function[]>} */
  const listeners = {};
  const state = {
    /** After this many pages are served, every further call fails, as after an unloaded event page. */
    unloadAfterPages: Infinity,
    pagesServed: 0,
    lists: 0,
    queries: /** @type {any[]} */ ([]),
    /** @type {Record<string, any[]>} */
    content: Object.fromEntries(Object.entries(folders).map(([id, n]) => [id, Array.from({ length: n }, (_, i) => header(i, counter))])),
  };
  /** @type {Map<string, any[][]>} */
  const pending = new Map();
  let nextList = 0;
  /** @param {any[]} messages @param {number} [size] */
  const paged = (messages, size = pageSize) => {
    const pages = [];
    for (let i = 0; i < messages.length; i += size) pages.push(messages.slice(i, i + size));
    if (pages.length === 0) pages.push([]);
    const id = `list-${nextList++}`;
    pending.set(id, pages.slice(1));
    return serve(pages[0], id);
  };
  /** @param {any[]} messages @param {string} id */
  const serve = (messages, id) => {
    if (state.pagesServed >= state.unloadAfterPages) throw new Error("Extension context unloaded");
    state.pagesServed++;
    return { id: (pending.get(id) ?? []).length > 0 ? id : null, messages };
  };
  const event = (/** @type {string} */ name) => ({ addListener: (/** @type {Function} */ f) => (listeners[name] ??= []).push(f) });
  const messenger = {
    folders: {
      query: async (/** @type {any} */ q) => (q?.specialUse?.includes("sent") ? Object.keys(state.content).map((id) => ({ id, specialUse: ["sent"] })) : []),
      getFolderInfo: async (/** @type {string} */ id) => ({ totalMessageCount: state.content[id]?.length ?? 0 }),
    },
    messages: {
      list: async (/** @type {string} */ folderId) => {
        state.lists++;
        return paged(state.content[folderId] ?? []);
      },
      continueList: async (/** @type {string} */ id) => {
        const rest = pending.get(id) ?? [];
        const page = rest.shift() ?? [];
        return serve(page, id);
      },
      query: async (/** @type {any} */ q) => {
        state.queries.push(q);
        if (!q.fromDate) state.lists++;
        return paged((state.content[q.folderId] ?? []).filter((m) => !q.fromDate || m.date >= q.fromDate), q.messagesPerPage);
      },
      onNewMailReceived: event("messages.onNewMailReceived"),
    },
    compose: { onAfterSend: event("compose.onAfterSend") },
    messengerUtilities: {
      parseMailboxString: async (/** @type {string} */ text) =>
        text === "Team <Team>" ? [{ name: "A", email: "a@team.example" }, { name: "B", email: "B@Team.example" }] : splitMailboxes(text).map((m) => ({ email: mailboxAddress(m) ?? "" })),
    },
    storage: {
      local: {
        get: async (/** @type {string} */ key) => (key in local ? { [key]: local[key] } : {}),
        set: async (/** @type {Record<string, unknown>} */ items) => void Object.assign(local, items),
        remove: async (/** @type {string} */ key) => void delete local[key],
      },
    },
    i18n: { getMessage: () => "" },
  };
  return { messenger, counter, local, listeners, state };
}

const fast = { pauseMs: 0, saveEveryPages: 1, pageSize: 100 };

test("a mailbox's address: from Name <addr> or a bare address, in lower case; a group's name is none", () => {
  assert.equal(mailboxAddress('"Yamada, Taro" <Taro.Yamada@Alpha.example>'), "taro.yamada@alpha.example");
  assert.equal(mailboxAddress("  x@Y.example "), "x@y.example");
  assert.equal(mailboxAddress("山田 太郎 <yamada@alpha.example>"), "yamada@alpha.example");
  assert.equal(mailboxAddress("undisclosed-recipients:;"), null);
  assert.equal(mailboxAddress("Team <Team>"), null);
  assert.equal(mailboxAddress(42), null);
  assert.deepEqual(splitMailboxes('"Yamada, Taro" <a@x.example>, b@y.example; (c, d) e@z.example'), [
    '"Yamada, Taro" <a@x.example>',
    "b@y.example",
    "(c, d) e@z.example",
  ]);
});

test("paging: every page of every Sent folder is read, To, Cc and Bcc, addresses only", async () => {
  const tb = fakeThunderbird({ folders: { "sent-1": 250, "sent-2": 30 } });
  /** @type {(string[] | null)[]} */
  const announced = [];
  // Thunderbird's default page size here: 20 messages, asked for with messages.query.
  const index = new SentIndex(tb.messenger, { pauseMs: 0, saveEveryPages: 1, onUpdated: (list) => announced.push(list) });
  assert.equal(index.forReview(), null, "nothing before the build");
  await index.start();
  const list = index.forReview();
  assert.ok(list);
  // 250 + 30 To addresses (the second folder repeats the first 30), 25 Cc, 10 Bcc.
  assert.equal(list.length, 250 + 25 + 10);
  assert.ok(list.includes("p249@partner4.example"), "the last message of the third page");
  assert.ok(list.includes("bcc225@bcc.example"));
  assert.ok(list.every((a) => a === a.toLowerCase() && !a.includes("<") && !a.includes("Person")));
  assert.equal(tb.state.pagesServed, 13 + 2);
  assert.deepEqual(tb.state.queries.map((q) => q.messagesPerPage), [20, 20]);
  assert.equal(tb.counter.reads, 280, "each message read once");
  assert.deepEqual(announced.at(-1), list, "the engine is handed the list as soon as it is built");
  const stored = JSON.parse(String(tb.local[INDEX_KEY]));
  assert.deepEqual(Object.keys(stored).sort(), ["addresses", "built", "folders", "format", "updatedAt"]);
  assert.doesNotMatch(String(tb.local[INDEX_KEY]), /Person|Hidden/, "no names stored");
  const status = await index.status();
  assert.equal(status.state, "ready");
  assert.equal(status.addresses, 285);
  assert.equal(status.messages, 280);
  assert.ok(status.bytes > 0 && status.updatedAt);
});

test("resume: an event page unloaded in the middle of a folder goes on from the page it stored", async () => {
  const tb = fakeThunderbird({ folders: { "sent-1": 1000 } });
  tb.state.unloadAfterPages = 4;
  const first = new SentIndex(tb.messenger, fast);
  await first.start();
  assert.equal(first.forReview(), null, "not built: the first build did not finish");
  assert.equal((await first.status()).state, "failed");
  const readBefore = tb.counter.reads;
  assert.equal(readBefore, 400);

  // The next event page: the same storage, Thunderbird answering again.
  tb.state.unloadAfterPages = Infinity;
  const second = new SentIndex(tb.messenger, fast);
  await second.start();
  const list = second.forReview();
  assert.ok(list);
  assert.equal(list.filter((a) => a.startsWith("p")).length, 1000);
  assert.equal(tb.counter.reads - readBefore, 600, "the 400 messages read before are skipped");
  assert.equal(tb.state.lists, 2);
});

test("a folder read to its end is only asked for newer mail afterwards", async () => {
  const tb = fakeThunderbird({ folders: { "sent-1": 120 } });
  await new SentIndex(tb.messenger, fast).start();
  const reads = tb.counter.reads;
  tb.state.content["sent-1"].push(header(5000, tb.counter));
  const again = new SentIndex(tb.messenger, fast);
  await again.start();
  assert.equal(tb.state.lists, 1, "not listed again");
  const newer = tb.state.queries.filter((q) => q.fromDate);
  assert.equal(newer.length, 1);
  assert.equal(newer[0].folderId, "sent-1");
  assert.ok(tb.counter.reads - reads < 120, `read ${tb.counter.reads - reads} messages again`);
  assert.ok(again.forReview()?.includes("p5000@partner2.example"));
});

test("a catch-up that finds no new mail keeps the list the engine was handed; new mail makes a new one", async () => {
  const tb = fakeThunderbird({ folders: { "sent-1": 60, "sent-2": 10 } });
  await new SentIndex(tb.messenger, fast).start();
  /** @type {(string[] | null)[]} */
  const announced = [];
  // The next event page: the stored index is announced, then the catch-up of each folder.
  const again = new SentIndex(tb.messenger, { ...fast, onUpdated: (list) => announced.push(list) });
  await again.start();
  assert.ok(announced.length >= 2, `announced ${announced.length} times`);
  const first = announced[0];
  assert.ok(first);
  // The engine takes in a list again only when it is another array (engine.js): the same
  // addresses must not cost the address books' hand-off a second time.
  assert.ok(announced.every((list) => list === first), "one array while nothing was added");
  assert.equal(again.forReview(), first);
  tb.state.content["sent-1"].push(header(6000, tb.counter));
  const third = new SentIndex(tb.messenger, { ...fast, onUpdated: (list) => announced.push(list) });
  await third.start();
  const last = third.forReview();
  assert.ok(last?.includes("p6000@partner1.example"));
  assert.notEqual(last, first, "a new array for the new addresses");
  assert.ok(last && last.length > first.length);
});

test("a folder read to its end that grew by more than its newer mail (old mail imported) is read again from its start", async () => {
  const tb = fakeThunderbird({ folders: { "sent-1": 50 } });
  await new SentIndex(tb.messenger, fast).start();
  // 30 messages dated before everything else.
  for (let i = 0; i < 30; i++) tb.state.content["sent-1"].unshift({ id: 9000 + i, date: new Date(Date.UTC(2000, 0, 1)), recipients: [`old${i}@imported.example`], ccList: [], bccList: [] });
  const again = new SentIndex(tb.messenger, fast);
  await again.start();
  assert.equal(tb.state.lists, 2, "listed again");
  const list = again.forReview() ?? [];
  assert.equal(list.filter((a) => a.endsWith("@imported.example")).length, 30);
});

test("onAfterSend adds a sent mail's recipients at once, a mailing list's members too; a failed send adds nothing", async () => {
  const tb = fakeThunderbird({ folders: { "sent-1": 10 } });
  const index = new SentIndex(tb.messenger, fast);
  index.watch();
  await index.start();
  const [afterSend] = tb.listeners["compose.onAfterSend"];
  await index.addSent({ error: "SMTP refused", details: { to: ["refused@new.example"] } });
  assert.ok(!index.forReview()?.includes("refused@new.example"));
  await index.addSent({
    mode: "sendNow",
    details: { to: ["New Person <New.Person@NewCo.example>"], cc: ["Team <Team>"], bcc: [{ id: "contact-1", type: "contact" }] },
    messages: [{ recipients: ["copy@saved.example"], ccList: [], bccList: ["hidden@saved.example"] }],
  });
  const list = index.forReview() ?? [];
  for (const a of ["new.person@newco.example", "a@team.example", "b@team.example", "copy@saved.example", "hidden@saved.example"]) {
    assert.ok(list.includes(a), a);
  }
  assert.ok(JSON.parse(String(tb.local[INDEX_KEY])).addresses.includes("new.person@newco.example"), "stored at once");
  assert.equal(typeof afterSend, "function", "the listener is registered by watch()");
});

test("mail that arrives in a Sent folder is added; mail in other folders is not", async () => {
  const tb = fakeThunderbird({ folders: { "sent-1": 1 } });
  const index = new SentIndex(tb.messenger, fast);
  index.watch();
  await index.start();
  const [listener] = tb.listeners["messages.onNewMailReceived"];
  listener({ id: "inbox", specialUse: ["inbox"] }, { messages: [{ recipients: ["me@corp.example"], ccList: ["other@x.example"], bccList: [] }] });
  listener({ id: "sent-1", specialUse: ["sent"] }, { messages: [{ recipients: ["phone@y.example"], ccList: [], bccList: [] }] });
  await new Promise((resolve) => setTimeout(resolve, 10));
  const list = index.forReview() ?? [];
  assert.ok(list.includes("phone@y.example"));
  assert.ok(!list.includes("other@x.example"));
});

test("clear deletes the index from storage, a running build stops, and it is built again from the folders", async () => {
  const tb = fakeThunderbird({ folders: { "sent-1": 500 } });
  const index = new SentIndex(tb.messenger, { pauseMs: 5, saveEveryPages: 1, pageSize: 100 });
  const building = index.start();
  await new Promise((resolve) => setTimeout(resolve, 8));
  await index.addSent({ details: { to: ["only-in-the-old-index@x.example"] } });
  await index.clear();
  assert.equal(index.forReview(), null);
  await building;
  assert.equal(index.forReview(), null, "the build that was running stored nothing after the clear");
  // The build that clear() started.
  for (let i = 0; i < 200 && !index.forReview(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const list = index.forReview() ?? [];
  assert.equal(list.length, 500 + 50 + 20);
  assert.ok(!list.includes("only-in-the-old-index@x.example"), "what was added before the clear is gone");
  const stored = JSON.parse(String(tb.local[INDEX_KEY]));
  assert.equal(stored.addresses.length, list.length);
});

test("a stored index that cannot be read, or of another format, is built again", async () => {
  for (const text of ["{not json", JSON.stringify({ format: 99, built: true, addresses: ["old@x.example"], folders: {} })]) {
    const tb = fakeThunderbird({ folders: { "sent-1": 3 } });
    tb.local[INDEX_KEY] = text;
    const index = new SentIndex(tb.messenger, fast);
    await index.start();
    assert.deepEqual([...(index.forReview() ?? [])].sort(), ["cc0@cc.example", "p0@partner0.example", "p1@partner1.example", "p2@partner2.example", "bcc0@bcc.example"].sort());
  }
});

test("no Sent folder at all: the index is built, empty, and learns from each mail sent", async () => {
  const tb = fakeThunderbird({ folders: {} });
  const index = new SentIndex(tb.messenger, fast);
  await index.start();
  assert.deepEqual(index.forReview(), []);
  await index.addSent({ details: { to: ["first@new.example"] } });
  assert.deepEqual(index.forReview(), ["first@new.example"]);
});
