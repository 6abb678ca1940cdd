// @ts-check
/**
 * The confirmation record (issue #10): the add-on's real background (background.js, with the
 * real wasm engine) runs against the fake `messenger`, and writes to IndexedDB as
 * fake-indexeddb provides it in Node (the real thing runs in the browser and e2e suites).
 *
 * Each Send leaves one record with the right action; `delivered` follows
 * `compose.onAfterSend`; a store that hangs or fails never delays or changes the answer;
 * old records are deleted; subjects are kept only when the policy says so; the export
 * formats are what `misend-guard audit` and a spreadsheet read.
 */
import "fake-indexeddb/auto";
import { test, before, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { fakeMessenger } from "./lib/fake-messenger.mjs";
import { engine } from "./engine.mjs";
import { AuditStore, recordId } from "../../extension/common/audit-store.js";
import { AuditLog, SETTINGS_KEY, TIMEOUTS } from "../../extension/background/audit.js";
import { toCsv, toJsonLines, csvField } from "../../extension/common/audit-export.js";

const fake = fakeMessenger();
Object.assign(globalThis, { messenger: fake.messenger, browser: fake.messenger });
TIMEOUTS.writeMs = 300;

const DETAILS = {
  from: "Sender <sender@corp.example>",
  to: ["alice@partner.example"],
  cc: ["bob@corp.example"],
  bcc: [],
  subject: "=HYPERLINK(\"http://x\") 見積書",
  plainTextBody: "Please find the quote attached.",
};

/** @type {AuditLog} */
let audit;
const store = new AuditStore();

before(async () => {
  await engine();
  fake.state.managed = { internalDomains: ["corp.example"], auditLog: { enabled: true } };
  await import("../../extension/background/background.js");
  audit = /** @type {any} */ (globalThis).misendGuardAudit;
  await new Promise((r) => setTimeout(r, 300));
});

beforeEach(async () => {
  audit.store = store;
  await audit.idle;
  await store.clear();
  fake.person.answer = "send";
  fake.state.managed = { internalDomains: ["corp.example"], auditLog: { enabled: true } };
});

let tabs = 0;

/** Sends DETAILS through onBeforeSend; returns the answer and the tab. */
async function send(details = DETAILS) {
  const tab = { id: ++tabs, windowId: 1000 + tabs };
  const result = await fake.fire("compose.onBeforeSend", tab, structuredClone(details));
  return { tab, result };
}

test("a sent mail leaves one record with action sent, and delivered once Thunderbird says so", async () => {
  const { tab, result } = await send();
  assert.equal(result.cancel, false);
  await audit.idle;
  let records = await store.all();
  assert.equal(records.length, 1);
  const [r] = records;
  assert.equal(r.v, 1);
  assert.equal(r.action, "sent");
  assert.equal(r.delivered, null);
  assert.equal(r.identity, "sender@corp.example");
  assert.match(r.id, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z-[0-9a-f]{4}$/);
  assert.ok(r.id.startsWith(r.time));
  assert.deepEqual(
    r.recipients.map((x) => [x.field, x.address, x.class]),
    [
      ["to", "alice@partner.example", "external"],
      ["cc", "bob@corp.example", "internal"],
    ],
  );
  assert.deepEqual(r.attachments, [{ name: "quote.pdf", size: 1200 }]);
  assert.ok(r.findings.some((f) => f.code === "external-recipient"), JSON.stringify(r.findings));
  assert.ok(["ok", "warn", "block"].includes(r.verdict));
  assert.deepEqual(r.fixes, []);
  assert.ok(r.dialogMs >= 0);
  assert.equal("subject" in r, false, "subjects are off by default");

  fake.fire("compose.onAfterSend", tab, { mode: "sendNow", messages: [] });
  await audit.idle;
  records = await store.all();
  assert.equal(records[0].delivered, true);
});

test("a mail that fails to go out is recorded as not delivered", async () => {
  const { tab } = await send();
  fake.fire("compose.onAfterSend", tab, { mode: "sendNow", error: "SMTP refused", messages: [] });
  await audit.idle;
  const [r] = await store.all();
  assert.equal(r.delivered, false);
});

test("a cancelled mail leaves one record with action cancelled, and no delivery", async () => {
  fake.person.answer = "cancel";
  const { tab, result } = await send();
  assert.equal(result.cancel, true);
  await audit.idle;
  fake.fire("compose.onAfterSend", tab, { mode: "sendNow", messages: [] });
  await audit.idle;
  const records = await store.all();
  assert.equal(records.length, 1);
  assert.equal(records[0].action, "cancelled");
  assert.equal(records[0].delivered, null);
});

test("a fix applied in the dialog is recorded, with the recipients as last shown", async () => {
  // This Send's dialog is played here, on its own port, instead of by the fake person.
  const create = fake.messenger.windows.create;
  /** @type {any[]} */
  const shown = [];
  /** @type {Function[]} */
  const onMessage = [];
  fake.messenger.windows.create = async (/** @type {any} */ data) => {
    const request = decodeURIComponent(/request=([^&]+)/.exec(data.url)?.[1] ?? "");
    const port = {
      name: "dialog",
      postMessage: (/** @type {any} */ m) => {
        if (m?.type !== "review") return;
        shown.push(m);
        // The first review asks for the fix; the one with the fix applied (and no attachment
        // still being checked) is sent.
        if (shown.length === 1) setTimeout(() => onMessage.forEach((f) => f({ type: "fix", fix: { kind: "move-external-to-bcc" } })), 0);
        else if (m.applied.length > 0 && !m.review.attachments.some((/** @type {any} */ a) => a.inspection === "pending")) {
          setTimeout(() => onMessage.forEach((f) => f({ type: "answer", send: true })), 0);
        }
      },
      onMessage: { addListener: (/** @type {Function} */ f) => onMessage.push(f) },
      onDisconnect: { addListener: () => {} },
    };
    setTimeout(() => {
      fake.fire("runtime.onConnect", port);
      onMessage.forEach((f) => f({ type: "hello", request }));
    }, 0);
    return { id: 555 };
  };
  try {
    const { result } = await send();
    assert.equal(result.cancel, false);
    assert.deepEqual(result.details?.bcc, ["alice@partner.example"]);
  } finally {
    fake.messenger.windows.create = create;
  }
  await audit.idle;
  const [r] = await store.all();
  assert.equal(r.action, "sent");
  assert.deepEqual(r.fixes, ["move-external-to-bcc"]);
  assert.deepEqual(
    r.recipients.map((x) => [x.field, x.address]),
    [
      ["cc", "bob@corp.example"],
      ["bcc", "alice@partner.example"],
    ],
  );
});

test("a dialog window closed is recorded as closed", async () => {
  fake.person.answer = "none";
  const opened = fake.person.opened;
  const tab = { id: ++tabs, windowId: 1000 + tabs };
  const pending = fake.fire("compose.onBeforeSend", tab, structuredClone(DETAILS));
  while (fake.person.opened === opened) await new Promise((r) => setTimeout(r, 5));
  fake.fire("windows.onRemoved", fake.state.nextWindowId - 1);
  assert.equal((await pending).cancel, true);
  await audit.idle;
  const [r] = await store.all();
  assert.equal(r.action, "closed");
});

test("each Send is one record, newest first", async () => {
  await send();
  fake.person.answer = "cancel";
  await send();
  await audit.idle;
  const records = await store.all();
  assert.deepEqual(
    records.map((r) => r.action),
    ["cancelled", "sent"],
  );
});

test("nothing is recorded when the policy leaves the record off", async () => {
  fake.state.managed = { internalDomains: ["corp.example"] };
  await send();
  await audit.idle;
  assert.equal(await store.count(), 0);
});

test("the subject is recorded only when the policy says so", async () => {
  fake.state.managed = { internalDomains: ["corp.example"], auditLog: { enabled: true, subjects: true } };
  await send();
  await audit.idle;
  const [r] = await store.all();
  assert.equal(r.subject, DETAILS.subject);
});

test("a person's own settings turn recording on", async () => {
  fake.state.managed = { internalDomains: ["corp.example"] };
  fake.local.userSettings = { auditLog: { enabled: true } };
  try {
    await send();
    await audit.idle;
    assert.equal(await store.count(), 1);
  } finally {
    delete fake.local.userSettings;
  }
});

test("a store that hangs never delays or changes the Send's answer", async () => {
  /** @type {Function[]} */
  const hung = [];
  let started = 0;
  audit.store = /** @type {any} */ ({
    add: () => {
      started++;
      return new Promise((resolve) => hung.push(resolve));
    },
    deleteBefore: () => new Promise(() => {}),
    update: () => new Promise(() => {}),
  });
  const { result } = await send();
  // The answer is there before the write has even started: it is written on a later task.
  assert.equal(result.cancel, false);
  assert.equal(started, 0);
  await new Promise((r) => setTimeout(r, 0));
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(started, 1);
  // The write is given up at its deadline, and only logged.
  assert.equal(await audit.idle.then(() => "settled"), "settled");
  hung.forEach((f) => f());
});

test("a store that throws never changes the Send's answer, sent or cancelled", async () => {
  let calls = 0;
  audit.store = /** @type {any} */ ({
    add: () => {
      calls++;
      throw new Error("the disk is gone (injected)");
    },
    deleteBefore: async () => {},
  });
  assert.equal((await send()).result.cancel, false);
  fake.person.answer = "cancel";
  assert.equal((await send()).result.cancel, true);
  await audit.idle;
  assert.equal(calls, 2);
});

test("IndexedDB missing altogether never changes the answer", async () => {
  audit.store = new AuditStore(/** @type {any} */ (null));
  assert.equal((await send()).result.cancel, false);
  await audit.idle;
});

test("records older than the retention are deleted after a write and at start-up", async () => {
  fake.state.managed = { internalDomains: ["corp.example"], auditLog: { enabled: true, retentionDays: 30 } };
  const now = Date.now();
  const day = 24 * 60 * 60 * 1000;
  const old = oldRecord(new Date(now - 31 * day));
  const recent = oldRecord(new Date(now - 29 * day));
  await store.put(old);
  await store.put(recent);
  await send();
  await audit.idle;
  const ids = (await store.all()).map((r) => r.id);
  assert.equal(ids.length, 2);
  assert.ok(ids.includes(recent.id));
  assert.ok(!ids.includes(old.id));

  // At start-up, with the retention last resolved (kept in storage.local).
  assert.deepEqual(fake.local[SETTINGS_KEY], { enabled: true, retentionDays: 30, subjects: false });
  const later = new AuditLog({ store, storage: fake.messenger.storage.local, now: () => new Date(now + 2 * day) });
  await later.pruneAtStartup();
  const left = (await store.all()).map((r) => r.id);
  assert.ok(!left.includes(recent.id), "29 days old two days later is 31 days old");
  assert.equal(left.length, 1);
});

test("a full store is pruned oldest first and the write tried once more", async () => {
  const records = Array.from({ length: 20 }, (_, i) => oldRecord(new Date(Date.UTC(2026, 0, 1 + i))));
  for (const r of records) await store.put(r);
  let quota = 1;
  const full = new AuditStore();
  const put = full.put.bind(full);
  full.put = async (record) => {
    if (quota-- > 0) throw new DOMException("the quota is exceeded (injected)", "QuotaExceededError");
    return put(record);
  };
  const fresh = oldRecord(new Date());
  await full.add(fresh);
  const ids = (await store.all()).map((r) => r.id);
  // 10 % of 20: the two oldest went, and the new record is in.
  assert.equal(ids.length, 19);
  assert.ok(ids.includes(fresh.id));
  assert.ok(!ids.includes(records[0].id) && !ids.includes(records[1].id));
  assert.ok(ids.includes(records[2].id));

  // Full again after the pruning: the write fails (and the caller only logs it).
  quota = 2;
  await assert.rejects(full.add(oldRecord(new Date())), { name: "QuotaExceededError" });
});

test("a review that could not apply the policy is recorded with the settings last resolved by the engine", async () => {
  /** @type {Record<string, unknown>} */
  const saved = {};
  const storage = { get: async () => structuredClone(saved), set: async (/** @type {Record<string, unknown>} */ items) => void Object.assign(saved, structuredClone(items)) };
  const first = new AuditLog({ store, storage });
  const on = { enabled: true, retentionDays: 45, subjects: false };
  assert.deepEqual(await first.settingsFor(/** @type {any} */ ({ auditLog: on, failure: null })), on);
  // The next event page knows them from storage.local, and a failed review's own (off) are not used.
  const next = new AuditLog({ store, storage });
  const failed = /** @type {any} */ ({ auditLog: { enabled: false, retentionDays: 90, subjects: false }, failure: { reason: "x", sendAllowed: false } });
  assert.deepEqual(await next.settingsFor(failed), on);
  // Without anything resolved before, nothing is recorded.
  assert.equal(await new AuditLog({ store, storage: { get: async () => ({}), set: async () => {} } }).settingsFor(failed), null);
});

test("JSON Lines is one record per line, exactly as stored", () => {
  const records = [oldRecord(new Date(Date.UTC(2026, 11, 7))), { ...oldRecord(new Date(Date.UTC(2026, 11, 6))), subject: "改行\nと \"引用\"" }];
  const text = toJsonLines(records);
  assert.ok(text.endsWith("\n"));
  const lines = text.split("\n");
  assert.equal(lines.length, 3);
  assert.equal(lines[2], "");
  assert.deepEqual(lines.slice(0, 2).map((l) => JSON.parse(l)), records);
});

test("CSV has a BOM, a header, quoted fields and no formulas", () => {
  const record = {
    ...oldRecord(new Date(Date.UTC(2026, 11, 7, 3, 12, 45, 123))),
    attachments: [{ name: "=cmd|' /C calc'!A0.xlsx", size: 10 }, { name: "a,\"b\".txt", size: null }],
    subject: "行1\r\n行2 \"x\"",
  };
  const csv = toCsv([record]);
  assert.ok(csv.startsWith("\uFEFF\"v\",\"id\",\"time\""));
  assert.ok(csv.endsWith("\r\n"));
  const rows = parseCsv(csv.slice(1));
  assert.equal(rows.length, 2);
  const [header, row] = rows;
  const cell = (/** @type {string} */ name) => row[header.indexOf(name)];
  assert.equal(cell("id"), record.id);
  assert.equal(cell("recipients"), "to:a@partner.example (external); bcc:b@corp.example (internal)");
  assert.equal(cell("attachments"), "'=cmd|' /C calc'!A0.xlsx (10); a,\"b\".txt");
  assert.equal(cell("findings"), "external-recipient:warn");
  assert.equal(cell("fixes"), "move-external-to-bcc");
  assert.equal(cell("delivered"), "true");
  assert.equal(cell("subject"), "行1\r\n行2 \"x\"");
  assert.equal(csvField("-1"), "\"'-1\"");
  assert.equal(csvField("@SUM(A1)"), "\"'@SUM(A1)\"");
  assert.equal(csvField("plain"), "\"plain\"");
});

/**
 * A record as the background writes it, at `time`.
 * @param {Date} time
 * @returns {import("../../extension/common/audit-store.js").AuditRecord}
 */
function oldRecord(time) {
  return {
    v: 1,
    id: recordId(time),
    time: time.toISOString(),
    identity: "sender@corp.example",
    recipients: [
      { address: "a@partner.example", field: "to", class: "external" },
      { address: "b@corp.example", field: "bcc", class: "internal" },
    ],
    attachments: [{ name: "customers.xlsx", size: 12345 }],
    findings: [{ code: "external-recipient", severity: "warn" }],
    verdict: "warn",
    action: "sent",
    fixes: ["move-external-to-bcc"],
    dialogMs: 5123,
    delivered: true,
  };
}

/**
 * RFC 4180, enough to read back what toCsv wrote (every field quoted).
 * @param {string} text
 */
function parseCsv(text) {
  /** @type {string[][]} */
  const rows = [];
  let row = /** @type {string[]} */ ([]);
  let i = 0;
  while (i < text.length) {
    assert.equal(text[i], '"', `a quoted field at ${i}`);
    let value = "";
    i++;
    for (;;) {
      if (text[i] === '"' && text[i + 1] === '"') {
        value += '"';
        i += 2;
      } else if (text[i] === '"') {
        i++;
        break;
      } else {
        value += text[i++];
      }
    }
    row.push(value);
    if (text[i] === ",") i++;
    else if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
    }
  }
  return rows;
}
