// @ts-check
/**
 * The background's side of the dialog channel (extension/background/dialog-requests.js),
 * with a fake `messenger` global: the window is opened where the bounds say, the page gets
 * its review, a fix is applied and answered with the new review, and the answer, a closed
 * window or a lost port resolve the send.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { DialogRequests } from "../../extension/background/dialog-requests.js";

/** @type {Record<string, { message: string }>} */
const ENGLISH = JSON.parse(readFileSync(new URL("../../extension/_locales/en/messages.json", import.meta.url), "utf8"));
/** @type {[string, any][]} */
let calls = [];
Object.assign(globalThis, {
  messenger: {
    windows: {
      create: async (/** @type {any} */ data) => (calls.push(["windows.create", data]), { id: 7 }),
      remove: async (/** @type {number} */ id) => calls.push(["windows.remove", id]),
    },
    runtime: { getPlatformInfo: async () => ({}) },
    // The English texts of the add-on's own locale file, as Thunderbird answers them.
    i18n: {
      getMessage: (/** @type {string} */ key, /** @type {string[]} */ subs = []) =>
        (ENGLISH[key]?.message ?? "").replace(/\$(\d)/g, (/** @type {string} */ _, /** @type {string} */ n) => subs[Number(n) - 1] ?? ""),
    },
  },
});

/** A port as runtime.onConnect gives it, recording what the background posts. */
function fakePort(name = "dialog") {
  /** @type {((m: any) => void)[]} */
  const onMessage = [];
  /** @type {(() => void)[]} */
  const onDisconnect = [];
  /** @type {any[]} */
  const posted = [];
  return {
    name,
    posted,
    postMessage: (/** @type {any} */ m) => posted.push(m),
    onMessage: { addListener: (/** @type {any} */ f) => onMessage.push(f) },
    onDisconnect: { addListener: (/** @type {any} */ f) => onDisconnect.push(f) },
    /** @param {any} m */
    send: (m) => onMessage.forEach((f) => f(m)),
    disconnect: () => onDisconnect.forEach((f) => f()),
  };
}

const review = /** @type {any} */ ({ recipients: [], attachments: [], findings: [], groups: [], dialog: { show: true } });

/**
 * Opens a dialog and connects its page; returns the answer's promise and the port.
 * @param {Partial<import("../../extension/background/dialog-requests.js").DialogData>} [extra]
 */
async function opened(extra = {}) {
  calls = [];
  const requests = new DialogRequests();
  const answer = requests.open({ review, draft: {}, problems: ["p"], composeTabId: 1, display: { largeFonts: true }, ...extra });
  await new Promise((r) => setTimeout(r, 0));
  const url = calls[0][1].url;
  const request = decodeURIComponent(/request=([^&]+)/.exec(url)?.[1] ?? "");
  const port = fakePort();
  requests.connect(port);
  port.send({ type: "hello", request });
  return { requests, answer, port, request };
}

test("the window opens where the bounds say; the page gets its review", async () => {
  const { answer, port, requests } = await opened({ bounds: { left: 10, top: 20, width: 700, height: 500 } });
  assert.deepEqual({ ...calls[0][1], url: undefined }, { type: "popup", url: undefined, left: 10, top: 20, width: 700, height: 500, allowScriptsToClose: true });
  assert.deepEqual(port.posted, [{ type: "review", review, problems: ["p"], applied: [], notices: [], display: { largeFonts: true } }]);
  port.send({ type: "answer", send: true });
  assert.deepEqual(await answer, { send: true, how: "sent" });
  assert.deepEqual(calls.at(-1), ["windows.remove", 7]);
  requests.stopKeepaliveIfIdle();
});

test("a page that took its review from the background's window is not sent it again, but is sent a newer one", async () => {
  calls = [];
  const requests = new DialogRequests();
  /** @type {(shown: any) => void} */
  let push = () => {};
  const notices = ["the Sent index is being built"];
  const answer = requests.open({ review, draft: {}, problems: [], notices, composeTabId: 1, updates: (p) => (push = p) });
  await new Promise((r) => setTimeout(r, 0));
  const request = decodeURIComponent(/request=([^&]+)/.exec(calls[0][1].url)?.[1] ?? "");
  const first = requests.first(request);
  assert.deepEqual(first, { type: "review", review, problems: [], applied: [], notices, display: undefined });
  assert.equal(requests.first("nope"), null, "an unknown request has nothing to take");
  const port = fakePort();
  requests.connect(port);
  port.send({ type: "hello", request, has: 0 });
  assert.deepEqual(port.posted, [], "the review taken is not sent twice");
  // A review pushed between the take and the hello reaches a page that says it has an older one.
  const inspected = { ...review, findings: [{ code: "attachment-personal-data" }] };
  const late = fakePort();
  push({ review: inspected, problems: [], applied: [], version: 1 });
  requests.connect(late);
  late.send({ type: "hello", request, has: 0 });
  assert.equal(late.posted[0]?.review, inspected);
  assert.deepEqual(late.posted[0]?.notices, notices, "a newer review keeps the dialog's notices");
  late.send({ type: "answer", send: false });
  assert.deepEqual(await answer, { send: false, how: "cancelled" });
  assert.equal(requests.first(request), null, "an answered request has nothing to take");
});

test("a fix is applied by the background and answered with the new review", async () => {
  const fixed = { ...review, recipients: [{ address: "x" }] };
  /** @type {unknown[]} */
  const asked = [];
  const { answer, port, request, requests } = await opened({
    fix: async (f) => (asked.push(f), { review: fixed, problems: [], applied: [{ kind: "move-external-to-bcc", count: 1 }] }),
  });
  port.send({ type: "fix", fix: { kind: "move-external-to-bcc" } });
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(asked, [{ kind: "move-external-to-bcc" }]);
  assert.deepEqual(port.posted[1], { type: "review", review: fixed, problems: [], applied: [{ kind: "move-external-to-bcc", count: 1 }], notices: [], display: { largeFonts: true } });
  // A page that connects again sees the fixed mail.
  const again = fakePort();
  requests.connect(again);
  again.send({ type: "hello", request });
  assert.equal(again.posted[0].review, fixed);
  port.send({ type: "answer", send: false });
  assert.deepEqual(await answer, { send: false, how: "cancelled" });
});

test("a failing fix shows the problem instead of leaving the dialog waiting", async () => {
  const { answer, port } = await opened({ fix: async () => { throw new Error("boom"); } });
  port.send({ type: "fix", fix: { kind: "move-external-to-bcc" } });
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(port.posted[1].problems, ["p", "The one-click fix could not be applied (boom); the recipients are as they were."]);
  port.disconnect();
  assert.deepEqual(await answer, { send: false, how: "closed" }, "a lost port is Cancel");
});

test("a closed window is Cancel; an unknown request is told it is gone", async () => {
  const { requests, answer } = await opened();
  requests.windowClosed(7);
  assert.deepEqual(await answer, { send: false, how: "closed" });
  const stray = fakePort();
  requests.connect(stray);
  stray.send({ type: "hello", request: "nope" });
  assert.deepEqual(stray.posted, [{ type: "gone" }]);
});

/** A review with a `block` finding, a failure that blocks, and one that the admin allows. */
const blockedReviews = {
  "a block verdict": { ...review, verdict: "block" },
  "a block finding": { ...review, verdict: "warn", findings: [{ code: "blocked-domain", severity: "block", message: "x", recipients: [], attachments: [], excerpts: [], ruleId: null }] },
  "a failure that blocks": { ...review, verdict: "warn", failure: { reason: "RuntimeError: unreachable", sendAllowed: false } },
};

for (const [name, blocked] of Object.entries(blockedReviews)) {
  test(`a Send answer for ${name} is Cancel: the background does not trust the page`, async () => {
    const { answer, port } = await opened({ review: /** @type {any} */ (blocked) });
    port.send({ type: "answer", send: true });
    assert.deepEqual(await answer, { send: false, how: "refused" });
  });
}

test("a Send answer is taken for a failure the admin allows, and after a fix that removed the block", async () => {
  const allowed = { ...review, verdict: "warn", failure: { reason: "x", sendAllowed: true } };
  const first = await opened({ review: /** @type {any} */ (allowed) });
  first.port.send({ type: "answer", send: true });
  assert.deepEqual(await first.answer, { send: true, how: "sent" });

  const fixed = { ...review, verdict: "warn" };
  const { answer, port } = await opened({
    review: /** @type {any} */ (blockedReviews["a block finding"]),
    fix: async () => ({ review: /** @type {any} */ (fixed), problems: [], applied: [{ kind: "remove-recipient", address: "x@rival.example" }] }),
  });
  port.send({ type: "fix", fix: { kind: "remove-recipient", address: "x@rival.example" } });
  await new Promise((r) => setTimeout(r, 0));
  port.send({ type: "answer", send: true });
  assert.deepEqual(await answer, { send: true, how: "sent" });
});

test("a Send answer while a fix is still being applied is Cancel", async () => {
  /** @type {(shown: any) => void} */
  let finishFix = () => {};
  const { answer, port } = await opened({ fix: () => new Promise((resolve) => (finishFix = resolve)) });
  port.send({ type: "fix", fix: { kind: "move-external-to-bcc" } });
  port.send({ type: "answer", send: true });
  assert.deepEqual(await answer, { send: false, how: "refused" });
  finishFix({ review, problems: [], applied: [] });
});

test("closing the compose window closes its dialog, and that is Cancel", async () => {
  const { answer, requests } = await opened({ composeWindowId: 3 });
  requests.windowClosed(3);
  assert.deepEqual(await answer, { send: false, how: "closed" });
  assert.deepEqual(calls.at(-1), ["windows.remove", 7], "the dialog window is closed");
  assert.equal(requests.keepalive, null, "the keepalive stops");
});

test("a dialog window closed before windows.create answers is Cancel, and the keepalive stops", async () => {
  /** @type {(win: any) => void} a window as windows.create answers it (only its id is read) */
  let created = () => {};
  const original = messenger.windows.create;
  messenger.windows.create = () => new Promise((resolve) => (created = resolve));
  try {
    const requests = new DialogRequests();
    const answer = requests.open({ review, draft: {}, problems: [], composeTabId: 1 });
    await new Promise((r) => setTimeout(r, 0));
    // The person closes the popup at once; Thunderbird reports it before create() resolves.
    requests.windowClosed(42);
    created({ id: 42 });
    assert.deepEqual(await answer, { send: false, how: "closed" });
    assert.equal(requests.keepalive, null, "the keepalive stops");
    assert.equal(requests.pending.size, 0);
  } finally {
    messenger.windows.create = original;
  }
});

test("a windows.create that never answers ends at its deadline, and the send is cancelled by the caller", async () => {
  const { TIMEOUTS } = await import("../../extension/background/dialog-requests.js");
  const saved = { ...TIMEOUTS };
  TIMEOUTS.createMs = 50;
  const original = messenger.windows.create;
  messenger.windows.create = () => new Promise(() => {});
  try {
    const requests = new DialogRequests();
    await assert.rejects(requests.open({ review, draft: {}, problems: [], composeTabId: 1 }), /no answer from the window manager/);
    assert.equal(requests.keepalive, null, "the keepalive stops");
  } finally {
    messenger.windows.create = original;
    Object.assign(TIMEOUTS, saved);
  }
});

test("a dialog page that never connects is Cancel after its deadline", async () => {
  const { TIMEOUTS } = await import("../../extension/background/dialog-requests.js");
  const saved = { ...TIMEOUTS };
  TIMEOUTS.helloMs = 50;
  try {
    calls = [];
    const requests = new DialogRequests();
    const answer = requests.open({ review, draft: {}, problems: [], composeTabId: 1 });
    assert.deepEqual(await answer, { send: false, how: "closed" });
    assert.deepEqual(calls.at(-1), ["windows.remove", 7]);
    assert.equal(requests.keepalive, null);
  } finally {
    Object.assign(TIMEOUTS, saved);
  }
});
