// @ts-check
/**
 * Fault injection on the Send path: the add-on's real background (background.js and every
 * module it uses, with the real wasm engine) runs against a fake `messenger`, and each call
 * into Thunderbird that a Send depends on throws, hangs for ever, answers garbage, or throws
 * before it returns a promise, in turn.
 *
 * Whatever fails, a Send must end (never pending with the compose window locked), and it may
 * only go out through the person's own Send in a dialog that let them send: a dialog that
 * shows the problem, or a Cancel. The deadlines are shortened here so that the suite runs in
 * seconds; the code is the one that runs in Thunderbird.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { fakeMessenger } from "./lib/fake-messenger.mjs";
import { engine } from "./engine.mjs";
import { sendBlocked } from "../../extension/dialog/blocked.js";
import { TIMEOUTS as policyTimeouts, COPY_KEY } from "../../extension/common/admin-policy.js";
import { TIMEOUTS as settingsTimeouts } from "../../extension/background/settings.js";
import { TIMEOUTS as draftTimeouts } from "../../extension/background/draft.js";
import { TIMEOUTS as dialogTimeouts } from "../../extension/background/dialog-requests.js";

const fake = fakeMessenger();
Object.assign(globalThis, { messenger: fake.messenger, browser: fake.messenger });
Object.assign(policyTimeouts, { managedMs: 100, copyMs: 100 });
Object.assign(settingsTimeouts, { localMs: 100 });
Object.assign(draftTimeouts, { parseMs: 100, attachmentsMs: 100 });
Object.assign(dialogTimeouts, { createMs: 300, helloMs: 2000 });

/** Far above every shortened deadline (and the address books' 2 s): a Send still pending then is locked. */
const SETTLE_MS = 8000;

const MEMBERS = Array.from({ length: 12 }, (_, i) => ({ name: `Member ${i}`, email: `m${i}@partner${i}.example` }));

/** A mail to a partner, a mailing list, and an attachment. */
const DETAILS = {
  from: "Sender <sender@corp.example>",
  to: ["alice@partner.example"],
  cc: ["Partners <Everyone we work with>"],
  bcc: [],
  subject: "Quote",
  plainTextBody: "Please find the quote attached.",
};

before(async () => {
  // The engine's bytes are given once; every later instance (after a failure) reuses them.
  await engine();
  fake.state.lists = { Partners: MEMBERS };
  fake.state.managed = { internalDomains: ["corp.example"], rules: { "blocked-domain": { entries: ["rival.example"] } } };
  await import("../../extension/background/background.js");
  // Let the start-up work (engine, address books, the policy copy) finish.
  await new Promise((r) => setTimeout(r, 300));
});

let tabs = 0;

/**
 * Sends DETAILS (or `details`) through the background's onBeforeSend and waits for the end.
 * @param {object} [details]
 */
async function send(details = DETAILS) {
  const shownBefore = fake.person.shown.length;
  const openedBefore = fake.person.opened;
  const tab = { id: ++tabs, windowId: 1000 + tabs };
  const started = Date.now();
  /** @type {any} */
  const result = await Promise.race([
    fake.fire("compose.onBeforeSend", tab, structuredClone(details)),
    new Promise((resolve) => setTimeout(() => resolve("pending"), SETTLE_MS)),
  ]);
  const shown = fake.person.shown.slice(shownBefore);
  return { result, shown, last: shown.at(-1), opened: fake.person.opened - openedBefore, ms: Date.now() - started };
}

/**
 * The invariant: the Send ended; it went out only through the person's Send in a dialog
 * whose review let them send.
 * @param {Awaited<ReturnType<typeof send>>} outcome
 * @param {string} label
 */
function assertFailsClosed(outcome, label) {
  assert.notEqual(outcome.result, "pending", `${label}: the Send is still pending after ${SETTLE_MS} ms (the compose window would stay locked)`);
  assert.equal(typeof outcome.result?.cancel, "boolean", `${label}: onBeforeSend answers {cancel}`);
  if (outcome.result.cancel === false) {
    assert.ok(outcome.last, `${label}: sent without a dialog`);
    assert.equal(fake.person.answer, "send", `${label}: sent without the person's Send`);
    assert.equal(sendBlocked(outcome.last.review), false, `${label}: sent although the dialog's review blocks`);
  }
}

/**
 * The dialog was shown and says what went wrong (a problem, a failure or a degraded review).
 * @param {Awaited<ReturnType<typeof send>>} outcome
 * @param {RegExp} pattern what the problem says
 * @param {string} label
 */
function assertProblemShown(outcome, pattern, label) {
  assert.ok(outcome.last, `${label}: a dialog is shown`);
  const { review, problems } = outcome.last;
  const text = [...problems, review.failure?.reason ?? "", ...review.diagnostics.map((/** @type {any} */ d) => d.message)].join("\n");
  assert.match(text, pattern, `${label}: the dialog shows the problem`);
}

test("without faults: the dialog lists the described list's members, and the person's Send sends", async () => {
  const outcome = await send();
  assertFailsClosed(outcome, "no fault");
  assert.deepEqual(outcome.result, { cancel: false });
  const addresses = outcome.last.review.recipients.map((/** @type {any} */ r) => r.address);
  for (const m of MEMBERS) assert.ok(addresses.includes(m.email), `${m.email} is listed`);
  assert.ok(!addresses.some((/** @type {string} */ a) => a.includes("Everyone")), "the list is not one unexpanded row");
  const bulk = outcome.last.review.findings.find((/** @type {any} */ f) => f.code === "bulk-visible-recipients");
  assert.ok(bulk, "12 visible external members raise bulk-visible-recipients");
});

test("a blocked domain is refused even when the page answers Send", async () => {
  const outcome = await send({ ...DETAILS, to: ["someone@rival.example"] });
  assertFailsClosed(outcome, "blocked domain");
  assert.equal(outcome.result.cancel, true);
});

/**
 * The calls that feed the review: each fault must end with the dialog showing the problem
 * (and never a Send the review does not allow).
 * @type {[string, RegExp, unknown][]}
 */
const REVIEW_CALLS = [
  ["storage.local.get", /local storage|own settings/, ["not", "an", "object"]],
  ["messengerUtilities.parseMailboxString", /mailing list|address book/, [{ email: 42 }]],
  ["compose.listAttachments", /attachment/, { attachments: "garbage" }],
];

for (const [name, pattern, junk] of REVIEW_CALLS) {
  for (const fault of /** @type {const} */ (["throw", "hang", "garbage", "sync-throw"])) {
    test(`${name} ${fault === "garbage" ? "answers garbage" : fault === "hang" ? "hangs" : fault === "throw" ? "rejects" : "throws"}: the dialog shows the problem`, async () => {
      fake.faults[name] = fault;
      fake.garbage[name] = junk;
      try {
        const outcome = await send();
        assertFailsClosed(outcome, `${name} ${fault}`);
        assertProblemShown(outcome, pattern, `${name} ${fault}`);
        if (name === "messengerUtilities.parseMailboxString") {
          // The list that could not be expanded is still listed, as typed, for a tick.
          assert.ok(outcome.last.review.recipients.some((/** @type {any} */ r) => r.address.includes("Everyone")), "the list is listed as typed");
        }
      } finally {
        delete fake.faults[name];
        fake.release();
      }
    });
  }
}

for (const fault of /** @type {const} */ (["throw", "hang", "garbage", "sync-throw"])) {
  test(`storage.managed.get ${fault}: the policy read earlier applies, and the dialog says so; the blocked domain still blocks`, async () => {
    fake.faults["storage.managed.get"] = fault;
    fake.garbage["storage.managed.get"] = "garbage";
    try {
      const outcome = await send({ ...DETAILS, to: ["someone@rival.example"] });
      assertFailsClosed(outcome, `managed ${fault}`);
      assert.equal(outcome.result.cancel, true, "the earlier copy's blocked domain blocks");
      assert.ok(outcome.last.review.findings.some((/** @type {any} */ f) => f.code === "blocked-domain" && f.severity === "block"));
      assertProblemShown(outcome, /policy could not be read now/, `managed ${fault}`);
    } finally {
      delete fake.faults["storage.managed.get"];
      fake.release();
    }
  });
}

test("storage.managed.get fails and no copy was kept: the review refuses the Send and says why", async () => {
  fake.faults["storage.managed.get"] = "throw";
  const kept = fake.local[COPY_KEY];
  delete fake.local[COPY_KEY];
  try {
    const outcome = await send();
    assertFailsClosed(outcome, "managed throw, no copy");
    assert.equal(outcome.result.cancel, true, "a mail checked without the admin's policy is not sent");
    assertProblemShown(outcome, /storage\.managed\.get failed \(injected\)/, "managed throw, no copy");
  } finally {
    delete fake.faults["storage.managed.get"];
    fake.local[COPY_KEY] = kept;
  }
});

test("a policy read successfully is kept in storage.local, and only written again when it changes", async () => {
  const writes = () => fake.calls.filter(([name, [items]]) => name === "storage.local.set" && COPY_KEY in /** @type {any} */ (items)).length;
  const before = writes();
  await send();
  assert.equal(writes(), before, "the same policy is not written again");
  fake.state.managed = { ...fake.state.managed, knownDomains: ["partner.example"] };
  await send();
  assert.equal(writes(), before + 1);
  assert.deepEqual(/** @type {any} */ (fake.local[COPY_KEY]).policy, fake.state.managed);
});

for (const fault of /** @type {const} */ (["throw", "hang", "garbage", "sync-throw"])) {
  test(`windows.create ${fault}: the Send is cancelled or waits for the person, never sent by itself`, async () => {
    fake.faults["windows.create"] = fault;
    try {
      const outcome = await send();
      assertFailsClosed(outcome, `windows.create ${fault}`);
      if (fault !== "garbage") assert.equal(outcome.result.cancel, true);
    } finally {
      delete fake.faults["windows.create"];
      fake.release();
    }
  });
}

for (const name of ["windows.remove", "runtime.getPlatformInfo"]) {
  for (const fault of /** @type {const} */ (["throw", "hang", "sync-throw"])) {
    test(`${name} ${fault}: the Send still ends with the person's answer`, async () => {
      fake.faults[name] = fault;
      try {
        fake.person.answer = "cancel";
        const cancelled = await send();
        assertFailsClosed(cancelled, `${name} ${fault}`);
        assert.equal(cancelled.result.cancel, true);
        fake.person.answer = "send";
        const sent = await send();
        assertFailsClosed(sent, `${name} ${fault}`);
        assert.equal(sent.result.cancel, false);
      } finally {
        delete fake.faults[name];
        fake.person.answer = "send";
      }
    });
  }
}

test("the dialog page never connects: the Send is cancelled at the deadline", async () => {
  const original = fake.messenger.windows.create;
  fake.messenger.windows.create = async () => ({ id: 999 });
  try {
    const outcome = await send();
    assertFailsClosed(outcome, "no page");
    assert.equal(outcome.result.cancel, true);
  } finally {
    fake.messenger.windows.create = original;
  }
});

test("onBeforeSend with garbage details still shows a dialog or cancels", async () => {
  for (const details of [null, "garbage", { to: 42, cc: [null, 7], subject: { a: 1 }, plainTextBody: [] }]) {
    const outcome = await send(/** @type {any} */ (details));
    assertFailsClosed(outcome, `details ${JSON.stringify(details)}`);
  }
});

// Last: a hung address book read stays in its queue for a minute, which would slow the rest.
for (const name of ["addressBooks.list", "addressBooks.contacts.list", "storage.session.get"]) {
  for (const fault of /** @type {const} */ (["throw", "hang", "garbage"])) {
    test(`${name} ${fault}: the dialog shows the problem or the review runs without the address books`, async () => {
      fake.faults[name] = fault;
      fake.garbage[name] = 42;
      // A change of a book drops the kept copy, so that this Send reads them again.
      fake.fire("addressBooks.onCreated", { id: "book2" });
      await new Promise((r) => setTimeout(r, 10));
      try {
        const outcome = await send();
        assertFailsClosed(outcome, `${name} ${fault}`);
        if (name !== "storage.session.get") assertProblemShown(outcome, /address book/i, `${name} ${fault}`);
      } finally {
        delete fake.faults[name];
        fake.release();
      }
    });
  }
}

test("the Sent index built: an address never written to is first-time, one in a Sent folder is not, and no notice is shown", async () => {
  const outcome = await send({ ...DETAILS, to: ["alice@partner.example", "known@partner.example"], cc: [] });
  assertFailsClosed(outcome, "sent index built");
  const firstTime = outcome.last.review.findings.find((/** @type {any} */ f) => f.code === "first-time-recipient");
  assert.ok(firstTime, JSON.stringify(outcome.last.review.findings.map((/** @type {any} */ f) => f.code)));
  assert.deepEqual(firstTime.recipients.map((/** @type {number} */ i) => outcome.last.review.recipients[i].address), ["alice@partner.example"]);
  assert.deepEqual(outcome.last.notices, []);
});

for (const [name, fault, notice] of /** @type {const} */ ([
  ["messages.query", "hang", /being built/],
  ["messages.query", "throw", /could not be built/],
  ["folders.query", "garbage", /could not be built/],
  ["messages.query", "garbage", /could not be built/],
])) {
  test(`${name} ${fault} while the Sent index is built again: the Send does not wait for it, says so, and calls nobody first-time`, async () => {
    fake.faults[name] = fault;
    fake.garbage[name] = 42;
    try {
      // Deleted from the options page: built again, with the fault.
      await fake.fire("runtime.onMessage", { type: "sentIndex.clear" });
      await new Promise((r) => setTimeout(r, 50));
      const outcome = await send({ ...DETAILS, to: ["alice@partner.example", "known@partner.example"], cc: [] });
      assertFailsClosed(outcome, `${name} ${fault}`);
      assert.ok(outcome.ms < SETTLE_MS, "the Send ended");
      assert.ok(!outcome.last.review.findings.some((/** @type {any} */ f) => f.code === "first-time-recipient"), "nobody is first-time");
      assert.equal(outcome.last.notices.length, 1, JSON.stringify(outcome.last.notices));
      assert.match(outcome.last.notices[0], notice);
    } finally {
      delete fake.faults[name];
      fake.release();
    }
    // Without the fault it is built again (here by the next clear), and first-time works again.
    await fake.fire("runtime.onMessage", { type: "sentIndex.clear" });
    await new Promise((r) => setTimeout(r, 100));
    const again = await send({ ...DETAILS, to: ["alice@partner.example", "known@partner.example"], cc: [] });
    assert.deepEqual(again.last.notices, []);
  });
}

test("storage.local.set throws while the Sent index is built: it is kept in memory and used, only not stored", async () => {
  fake.faults["storage.local.set"] = "throw";
  try {
    await fake.fire("runtime.onMessage", { type: "sentIndex.clear" });
    await new Promise((r) => setTimeout(r, 100));
    const outcome = await send({ ...DETAILS, to: ["alice@partner.example", "known@partner.example"], cc: [] });
    assertFailsClosed(outcome, "storage.local.set throw");
    const firstTime = outcome.last.review.findings.find((/** @type {any} */ f) => f.code === "first-time-recipient");
    assert.deepEqual(firstTime?.recipients.map((/** @type {number} */ i) => outcome.last.review.recipients[i].address), ["alice@partner.example"]);
    assert.deepEqual(outcome.last.notices, []);
  } finally {
    delete fake.faults["storage.local.set"];
  }
});
