// @ts-check
/**
 * The background's attachment inspection (extension/background/inspection.js): every attachment
 * ends inspected or failed with its reason, within the limits and the mail's deadline; files
 * over the limits are never read; a worker that hangs is terminated, one that fails is replaced.
 *
 * The workers here run the real inspector (the second wasm module) in this process, or misbehave
 * on purpose; the logic under test is the one the background runs in Thunderbird.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { inspectAttachments } from "../../extension/background/inspection.js";
import { inspector as loadInspector } from "./inspector.mjs";

const ATTACHMENTS = new URL("../attachments/", import.meta.url);

/** @type {import("../../extension/inspect/inspector.js").Inspector} */
let inspector;

before(async () => {
  inspector = await loadInspector();
});

/** @param {Partial<import("../../extension/background/inspection.js").Inspection>} [over] */
const inspection = (over = {}) => ({ enabled: true, limits: { maxBytes: 1_000_000 }, maxTotalBytes: 2_000_000, timeoutMs: 3000, ...over });

/**
 * A worker double: `behaviour` decides what each message gets.
 * @param {"inspect" | "hang" | "error" | "crash"} behaviour
 * @param {{ started: number, terminated: number, messages: number }} log
 */
function workerOf(behaviour, log) {
  log.started++;
  /** @type {Record<string, ((event: any) => void)[]>} */
  const listeners = {};
  let dead = false;
  const emit = (/** @type {string} */ type, /** @type {any} */ event) => {
    if (!dead) for (const f of listeners[type] ?? []) f(event);
  };
  return {
    addEventListener: (/** @type {string} */ type, /** @type {(event: any) => void} */ f) => (listeners[type] ??= []).push(f),
    terminate: () => {
      dead = true;
      log.terminated++;
    },
    postMessage: (/** @type {any} */ message) => {
      log.messages++;
      setTimeout(() => {
        if (behaviour === "hang") return;
        if (behaviour === "crash") return emit("error", { message: "RuntimeError: unreachable", preventDefault() {} });
        if (behaviour === "error") return emit("message", { data: { seq: message.seq, error: "RuntimeError: unreachable" } });
        const facts = inspector.inspect(new Uint8Array(message.bytes), message.name, message.limits);
        emit("message", { data: { seq: message.seq, facts } });
      }, 0);
    },
  };
}

/**
 * Reads fixtures by id: `files[id]` is a file of tests/attachments/.
 * @param {string[]} files
 * @param {number[]} reads  the ids read, in order
 */
function reader(files, reads) {
  return async (/** @type {number} */ id) => {
    reads.push(id);
    const bytes = await readFile(new URL(files[id], ATTACHMENTS));
    return new Blob([bytes]);
  };
}

test("a workbook of customers is inspected: its table comes back as facts", async () => {
  const log = { started: 0, terminated: 0, messages: 0 };
  /** @type {number[]} */
  const reads = [];
  const size = (await readFile(new URL("customers.xlsx", ATTACHMENTS))).length;
  const [contents] = await inspectAttachments([{ id: 0, name: "customers.xlsx", size }], inspection(), {
    read: reader(["customers.xlsx"], reads),
    startWorker: () => workerOf("inspect", log),
  });
  assert.equal(contents.state, "inspected");
  const facts = /** @type {any} */ (contents).facts;
  assert.equal(facts.kind, "xlsx");
  assert.deepEqual(facts.tables[0].header, ["氏名", "住所", "電話番号", "メール"]);
  assert.equal(facts.tables[0].rows, 50);
  assert.deepEqual(JSON.parse(JSON.stringify(facts)), facts, "the facts are plain JSON, as the engine reads them");
  assert.equal(log.started, 1);
  assert.equal(log.terminated, 1, "the worker is stopped once the mail is done");
});

test("no attachment to read: no worker is started, nothing is read", async () => {
  const log = { started: 0, terminated: 0, messages: 0 };
  /** @type {number[]} */
  const reads = [];
  const io = { read: reader([], reads), startWorker: () => workerOf("inspect", log) };
  assert.deepEqual(await inspectAttachments([], inspection(), io), []);
  const over = await inspectAttachments([{ id: 0, name: "big.xlsx", size: 5_000_000 }], inspection(), io);
  assert.equal(over[0].state, "failed");
  assert.equal(/** @type {any} */ (over[0]).reason, "too-large");
  assert.equal(log.started, 0, "no worker, so the inspector is never loaded");
  assert.deepEqual(reads, [], "a file over the limit is not read");
});

test("the mail's byte budget: what no longer fits is too large, unread; the rest is inspected", async () => {
  const log = { started: 0, terminated: 0, messages: 0 };
  /** @type {number[]} */
  const reads = [];
  const size = (await readFile(new URL("price-list.csv", ATTACHMENTS))).length;
  const out = await inspectAttachments(
    [
      { id: 0, name: "price-list.csv", size },
      { id: 1, name: "price-list-2.csv", size },
      { id: 2, name: "price-list-3.csv", size },
    ],
    inspection({ maxTotalBytes: 2 * size + 1 }),
    { read: reader(["price-list.csv", "price-list.csv", "price-list.csv"], reads), startWorker: () => workerOf("inspect", log) },
  );
  assert.deepEqual(out.map((c) => c.state), ["inspected", "inspected", "failed"]);
  assert.equal(/** @type {any} */ (out[2]).reason, "too-large");
  assert.deepEqual(reads, [0, 1], "the third file is never read");
});

test("a file whose real size is over the limit (the list said less) is not inspected", async () => {
  const log = { started: 0, terminated: 0, messages: 0 };
  const out = await inspectAttachments([{ id: 0, name: "customers.xlsx", size: 10 }], inspection({ limits: { maxBytes: 100 } }), {
    read: reader(["customers.xlsx"], []),
    startWorker: () => workerOf("inspect", log),
  });
  assert.equal(out[0].state, "failed");
  assert.equal(/** @type {any} */ (out[0]).reason, "too-large");
  assert.equal(log.messages, 0);
});

test("a worker that never answers: the mail's deadline terminates it, and every file left is a timeout", async () => {
  const log = { started: 0, terminated: 0, messages: 0 };
  const out = await inspectAttachments(
    [
      { id: 0, name: "a.csv", size: 10 },
      { id: 1, name: "b.csv", size: 10 },
    ],
    inspection({ timeoutMs: 50 }),
    { read: reader(["price-list.csv", "price-list.csv"], []), startWorker: () => workerOf("hang", log) },
  );
  assert.deepEqual(out.map((c) => [c.state, /** @type {any} */ (c).reason]), [["failed", "timeout"], ["failed", "timeout"]]);
  assert.equal(log.terminated, log.started, "the hung worker is terminated");
  assert.equal(log.messages, 1, "the second file is not sent to a worker after the deadline");
});

test("a read that never ends is a timeout too", async () => {
  const out = await inspectAttachments([{ id: 0, name: "a.csv", size: 10 }], inspection({ timeoutMs: 50 }), {
    read: () => new Promise(() => {}),
    startWorker: () => workerOf("inspect", { started: 0, terminated: 0, messages: 0 }),
  });
  assert.equal(/** @type {any} */ (out[0]).reason, "timeout");
});

test("a worker that fails on a file: that file is an error, the next one gets a fresh worker", async () => {
  const log = { started: 0, terminated: 0, messages: 0 };
  const behaviours = /** @type {("error" | "crash" | "inspect")[]} */ (["error", "crash", "inspect"]);
  const out = await inspectAttachments(
    [
      { id: 0, name: "a.csv", size: 10 },
      { id: 1, name: "b.csv", size: 10 },
      { id: 2, name: "price-list.csv", size: null },
    ],
    inspection(),
    { read: reader(["price-list.csv", "price-list.csv", "price-list.csv"], []), startWorker: () => workerOf(behaviours[log.started], log) },
  );
  assert.deepEqual(out.map((c) => c.state), ["failed", "failed", "inspected"]);
  assert.deepEqual(out.slice(0, 2).map((c) => /** @type {any} */ (c).reason), ["error", "error"]);
  assert.equal(log.started, 3);
});

test("a read that fails, an attachment without an id, no worker possible: each is failed with its reason", async () => {
  const failing = await inspectAttachments([{ id: 0, name: "a.csv", size: 1 }], inspection(), {
    read: async () => {
      throw new Error("gone");
    },
    startWorker: () => workerOf("inspect", { started: 0, terminated: 0, messages: 0 }),
  });
  assert.deepEqual([failing[0].state, /** @type {any} */ (failing[0]).reason], ["failed", "error"]);
  const noId = await inspectAttachments([{ id: null, name: "a.csv", size: 1 }], inspection(), { read: reader([], []), startWorker: null });
  assert.equal(/** @type {any} */ (noId[0]).reason, "unavailable");
  const noWorker = await inspectAttachments([{ id: 0, name: "a.csv", size: 1 }], inspection(), { read: reader([], []), startWorker: null });
  assert.equal(/** @type {any} */ (noWorker[0]).reason, "unavailable");
});

test("the dialog closed while inspecting: the worker is stopped and nothing is left pending", async () => {
  const log = { started: 0, terminated: 0, messages: 0 };
  const abort = new AbortController();
  const running = inspectAttachments([{ id: 0, name: "a.csv", size: 10 }], inspection({ timeoutMs: 60000 }), {
    read: reader(["price-list.csv"], []),
    startWorker: () => workerOf("hang", log),
    signal: abort.signal,
  });
  setTimeout(() => abort.abort(), 20);
  const out = await running;
  assert.equal(out[0].state, "failed");
  assert.equal(log.terminated, log.started);
});
