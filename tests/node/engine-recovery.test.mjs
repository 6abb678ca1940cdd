// @ts-check
/**
 * The engine after a trap: the real wasm module traps (its allocator finds no memory, see
 * lib/wasm-memory.mjs), the broken instance is dropped, and the next call gets a fresh one.
 * The review retries once on a fresh instance; when that fails too, the fail-closed review
 * lists every entry, says why, and keeps Send disabled unless the policy says
 * `onFailure: "confirm"`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { exhaust, restore, memoryCount } from "./lib/wasm-memory.mjs";
import { engine } from "./engine.mjs";
import { loadEngine } from "../../extension/engine/engine.js";
import { reviewDraft } from "../../extension/background/review.js";
import { sendBlocked } from "../../extension/dialog/blocked.js";

const POLICY = { internalDomains: ["corp.example"], rules: { "blocked-domain": { entries: ["rival.example"] } } };

/**
 * A mail big enough that checking it needs fresh memory: each one bigger than the last (from
 * 8 MB), because an instance that checked a big mail keeps that room in its heap.
 */
let size = 1_600_000;
const big = () => ({
  from: "sender@corp.example",
  to: ["someone@rival.example", "boss@corp.example"],
  cc: [{ value: "m1@partner.example", list: "Partners" }],
  subject: "Numbers",
  body: "数字です。".repeat((size = Math.round(size * 1.3))),
  attachments: [{ name: "numbers.xlsx", size: 2048 }],
});
const SMALL = { ...big(), body: "small" };

/** @param {import("../../extension/engine/engine.js").Review} review */
const blockedDomain = (review) => review.findings.some((f) => f.code === "blocked-domain" && f.severity === "block");

test("a trap drops the instance; the next load instantiates a fresh one that checks correctly", async () => {
  const first = await engine();
  const checker = first.checker(POLICY, "en");
  assert.ok(blockedDomain(checker.check(SMALL)), "the engine works before the trap");
  const before = memoryCount();
  exhaust();
  assert.throws(() => checker.check(big()), WebAssembly.RuntimeError, "the real engine traps");
  restore();

  const second = await loadEngine();
  assert.notEqual(second, first, "a fresh instance");
  assert.throws(() => checker.check(SMALL), /replaced/, "the broken instance is never called again");
  const fresh = second.checker(POLICY, "en");
  const review = fresh.check(big());
  assert.ok(blockedDomain(review), "the fresh instance checks the big mail");
  assert.ok(memoryCount() > before, "with memory of its own");
  assert.equal(await loadEngine(), second, "a working instance is kept");
  fresh.free();
});

test("the review retries once on a fresh instance: the blocked domain still blocks", async () => {
  await engine();
  await reviewDraft({ to: ["a@corp.example"] }, { policy: POLICY, error: null }, "en", []);
  exhaust();
  const review = await reviewDraft(big(), { policy: POLICY, error: null }, "en", []);
  restore();
  assert.equal(review.failure ?? null, null, "the retry on a fresh instance succeeded");
  assert.ok(blockedDomain(review));
  assert.equal(sendBlocked(review), true);
});

test("the fresh instance gets the address books again: a known recipient stays known after a trap (issue #13)", async () => {
  await engine();
  const contacts = ["Known <known@partner.example>"];
  const mail = (/** @type {string} */ body) => ({ ...big(), to: ["known@partner.example", "stranger@partner.example"], body });
  const newcomers = (/** @type {import("../../extension/engine/engine.js").Review} */ review) =>
    review.findings.filter((f) => f.code === "new-recipient").map((f) => f.recipients);
  const admin = { policy: POLICY, error: null };
  assert.deepEqual(newcomers(await reviewDraft(mail("small"), admin, "en", [], null, contacts)), [[1]]);
  const before = await loadEngine();
  exhaust();
  const review = await reviewDraft(mail(big().body), admin, "en", [], null, contacts);
  restore();
  assert.notEqual(await loadEngine(), before, "the trap replaced the instance");
  assert.equal(review.failure ?? null, null, "the retry on a fresh instance succeeded");
  assert.deepEqual(newcomers(review), [[1]], "the retry knew the address books");
  assert.deepEqual(newcomers(await reviewDraft(mail("small"), admin, "en", [], null, contacts)), [[1]], "and so does the next Send");
});

for (const [onFailure, sendAllowed] of /** @type {const} */ ([[undefined, false], ["block", false], ["confirm", true], ["CONFIRM", false], [true, false]])) {
  test(`every instance traps, onFailure ${JSON.stringify(onFailure)}: the fail-closed review lists everything and ${sendAllowed ? "allows a Send after every tick" : "keeps Send disabled"}`, async () => {
    const policy = onFailure === undefined ? POLICY : { ...POLICY, onFailure };
    await engine();
    await reviewDraft({ to: ["a@corp.example"] }, { policy, error: null }, "en", []);
    exhaust({ andNew: true });
    /** @type {string[]} */
    const problems = [];
    let review;
    try {
      review = await reviewDraft(big(), { policy, error: null }, "en", problems);
    } finally {
      restore();
    }
    assert.ok(review.failure, "the review carries the failure");
    assert.match(review.failure.reason, /RuntimeError/);
    assert.equal(review.failure.sendAllowed, sendAllowed);
    assert.equal(review.verdict, sendAllowed ? "warn" : "block");
    assert.equal(sendBlocked(review), !sendAllowed);
    assert.equal(review.degraded, true);
    assert.deepEqual(
      review.recipients.map((r) => [r.field, r.address, r.list]),
      [["to", "someone@rival.example", null], ["to", "boss@corp.example", null], ["cc", "m1@partner.example", "Partners"]],
      "every recipient is listed for a tick",
    );
    assert.deepEqual(review.attachments.map((a) => a.name), ["numbers.xlsx"]);
    assert.equal(review.dialog.allowCheckAll.internal || review.dialog.allowCheckAll.external, false, "no tick-all");

    // Once the fault is gone, the next Send is checked again by a fresh instance.
    const again = await reviewDraft(SMALL, { policy, error: null }, "en", []);
    assert.equal(again.failure ?? null, null);
    assert.ok(blockedDomain(again));
  });
}

test("an unreadable admin policy with no earlier copy blocks, whatever the engine says", async () => {
  await engine();
  const review = await reviewDraft({ to: ["a@partner.example"] }, { policy: null, error: "no answer from managed storage within 2 s" }, "en", []);
  assert.equal(review.verdict, "block");
  assert.equal(review.failure?.sendAllowed, false);
  assert.match(review.failure?.reason ?? "", /no answer from managed storage within 2 s/);
});
