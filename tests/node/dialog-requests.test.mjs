// @ts-check
/**
 * The background's side of the dialog channel (extension/background/dialog-requests.js),
 * with a fake `messenger` global: the window is opened where the bounds say, the page gets
 * its review, a fix is applied and answered with the new review, and the answer, a closed
 * window or a lost port resolve the send.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { DialogRequests } from "../../extension/background/dialog-requests.js";

/** @type {[string, any][]} */
let calls = [];
Object.assign(globalThis, {
  messenger: {
    windows: {
      create: async (/** @type {any} */ data) => (calls.push(["windows.create", data]), { id: 7 }),
      remove: async (/** @type {number} */ id) => calls.push(["windows.remove", id]),
    },
    runtime: { getPlatformInfo: async () => ({}) },
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
  assert.deepEqual(port.posted, [{ type: "review", review, problems: ["p"], applied: [], display: { largeFonts: true } }]);
  port.send({ type: "answer", send: true });
  assert.deepEqual(await answer, { send: true });
  assert.deepEqual(calls.at(-1), ["windows.remove", 7]);
  requests.stopKeepaliveIfIdle();
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
  assert.deepEqual(port.posted[1], { type: "review", review: fixed, problems: [], applied: [{ kind: "move-external-to-bcc", count: 1 }], display: { largeFonts: true } });
  // A page that connects again sees the fixed mail.
  const again = fakePort();
  requests.connect(again);
  again.send({ type: "hello", request });
  assert.equal(again.posted[0].review, fixed);
  port.send({ type: "answer", send: false });
  assert.deepEqual(await answer, { send: false });
});

test("a failing fix shows the problem instead of leaving the dialog waiting", async () => {
  const { answer, port } = await opened({ fix: async () => { throw new Error("boom"); } });
  port.send({ type: "fix", fix: { kind: "move-external-to-bcc" } });
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(port.posted[1].problems, ["p", "fix: boom"]);
  port.disconnect();
  assert.deepEqual(await answer, { send: false }, "a lost port is Cancel");
});

test("a closed window is Cancel; an unknown request is told it is gone", async () => {
  const { requests, answer } = await opened();
  requests.windowClosed(7);
  assert.deepEqual(await answer, { send: false });
  const stray = fakePort();
  requests.connect(stray);
  stray.send({ type: "hello", request: "nope" });
  assert.deepEqual(stray.posted, [{ type: "gone" }]);
});
