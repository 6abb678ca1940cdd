// @ts-check
/**
 * The background's attachment path, end to end in node: the add-on's real background (with the
 * real engine) against the fake `messenger`, and a `Worker` that runs the real inspector in this
 * process. The first review the dialog gets has every attachment pending and Send waiting; the
 * next one, pushed unasked, has the findings about their contents; a Send answered while an
 * attachment is pending is refused; a mail without attachments starts no worker.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { fakeMessenger } from "./lib/fake-messenger.mjs";
import { engine } from "./engine.mjs";
import { inspector } from "./inspector.mjs";

const fake = fakeMessenger();
Object.assign(globalThis, { messenger: fake.messenger, browser: fake.messenger });

/** What the workers were asked, and how they were started. */
const workers = { started: /** @type {{ url: string, type: string | undefined }[]} */ ([]), files: /** @type {string[]} */ ([]), hang: false };

/** A dedicated worker as the background starts it, running inspect/worker.js's work in this process. */
class InProcessWorker {
  /**
   * @param {URL | string} url
   * @param {{ type?: string }} [options]
   */
  constructor(url, options) {
    workers.started.push({ url: String(url), type: options?.type });
    /** @type {Record<string, ((event: any) => void)[]>} */
    this.listeners = {};
    this.dead = false;
  }
  /** @param {string} type @param {(event: any) => void} f */
  addEventListener(type, f) {
    (this.listeners[type] ??= []).push(f);
  }
  terminate() {
    this.dead = true;
  }
  /** @param {any} message */
  postMessage(message) {
    workers.files.push(message.name);
    if (workers.hang) return;
    inspector().then((ready) => {
      const facts = ready.inspect(new Uint8Array(message.bytes), message.name, message.limits);
      if (!this.dead) for (const f of this.listeners.message ?? []) f({ data: { seq: message.seq, facts } });
    });
  }
}
Object.assign(globalThis, { Worker: InProcessWorker });

const DETAILS = {
  from: "Sender <sender@corp.example>",
  to: ["tanaka@partner.example"],
  cc: [],
  bcc: [],
  subject: "顧客リスト",
  plainTextBody: "田中様\n\nご依頼の資料です。",
};

let customers = new Uint8Array();

before(async () => {
  await engine();
  customers = new Uint8Array(await readFile(new URL("../attachments/customers.xlsx", import.meta.url)));
  fake.state.managed = { internalDomains: ["corp.example"], inspection: { timeoutSeconds: 1 } };
  await import("../../extension/background/background.js");
  await new Promise((r) => setTimeout(r, 300));
});

let tabs = 0;

/** @param {object} [details] */
async function send(details = DETAILS) {
  const shownBefore = fake.person.shown.length;
  const tab = { id: ++tabs, windowId: 1000 + tabs };
  /** @type {any} */
  const result = await Promise.race([
    fake.fire("compose.onBeforeSend", tab, structuredClone(details)),
    new Promise((resolve) => setTimeout(() => resolve("pending"), 8000)),
  ]);
  return { result, shown: fake.person.shown.slice(shownBefore) };
}

test("a mail without attachments: one review, no worker", async () => {
  fake.state.attachments = [];
  fake.person.answer = "send";
  const { result, shown } = await send();
  assert.deepEqual(result, { cancel: false });
  assert.equal(shown.length, 1);
  assert.equal(workers.started.length, 0, "the inspector is never loaded");
});

test("a customer list: pending first, then the finding on the attachment, and the person's Send goes through", async () => {
  fake.state.attachments = [{ id: 7, name: "customers.xlsx", size: customers.length }];
  fake.state.files = { 7: customers };
  fake.person.answer = "send";
  const { result, shown } = await send();
  assert.deepEqual(result, { cancel: false });
  assert.equal(shown.length, 2, "the dialog got the first review, then the inspected one");
  const [first, second] = shown;
  assert.deepEqual(first.review.attachments.map((/** @type {any} */ a) => a.inspection), ["pending"]);
  assert.ok(!first.review.findings.some((/** @type {any} */ f) => f.code === "attachment-personal-data"));
  assert.deepEqual(second.review.attachments.map((/** @type {any} */ a) => a.inspection), ["inspected"]);
  const finding = second.review.findings.find((/** @type {any} */ f) => f.code === "attachment-personal-data");
  assert.ok(finding, `the inspected review has the finding (${second.review.findings.map((/** @type {any} */ f) => f.code).join(", ")})`);
  assert.deepEqual(finding.attachments, [0]);
  assert.ok(second.version > (first.version ?? 0), "the pushed review is newer");
  assert.deepEqual(workers.started.at(-1), { url: workers.started.at(-1)?.url, type: "module" });
  assert.match(workers.started.at(-1)?.url ?? "", /\/inspect\/worker\.js$/);
  assert.ok(fake.calls.some(([name, args]) => name === "compose.getAttachmentFile" && args[0] === 7), "the bytes were read by the attachment's id");
});

test("a Send answered while an attachment is still pending is refused: Cancel, the draft stays", async () => {
  fake.state.attachments = [{ id: 7, name: "customers.xlsx", size: customers.length }];
  fake.person.answer = "send-at-once";
  // The worker holds its answer, so the attachment is surely still pending when Send is pressed.
  workers.hang = true;
  try {
    const { result, shown } = await send();
    assert.deepEqual(result, { cancel: true });
    assert.deepEqual(shown[0].review.attachments.map((/** @type {any} */ a) => a.inspection), ["pending"]);
  } finally {
    workers.hang = false;
  }
});

test("a worker that never answers: at the policy's deadline the attachment is not inspected, visibly, and can be sent by hand", async () => {
  fake.state.attachments = [{ id: 7, name: "customers.xlsx", size: customers.length }];
  fake.person.answer = "send";
  workers.hang = true;
  try {
    const { result, shown } = await send();
    assert.deepEqual(result, { cancel: false });
    const last = shown.at(-1);
    assert.deepEqual(last.review.attachments.map((/** @type {any} */ a) => a.inspection), ["failed"]);
    const finding = last.review.findings.find((/** @type {any} */ f) => f.code === "attachment-not-inspected");
    assert.ok(finding, "the attachment says it was not inspected");
    assert.deepEqual(finding.attachments, [0]);
  } finally {
    workers.hang = false;
  }
});
