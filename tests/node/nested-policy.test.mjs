// @ts-check
/**
 * A managed policy nested 3,100 levels deep under one key, next to a blocked domain: the
 * engine reports the nesting and degrades the policy, and the blocked domain still blocks.
 * Before the engine limited nesting, this policy made `new Checker()` trap, and every Send
 * fell back to a review without findings, where the blocked domain needed only a tick.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { engine } from "./engine.mjs";
import { reviewDraft } from "../../extension/background/review.js";
import { sendBlocked } from "../../extension/dialog/blocked.js";

/** @param {number} depth */
function nested(depth) {
  /** @type {unknown} */
  let value = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

test("a policy nested 3,100 levels deep under one key does not switch off a blocked domain", async () => {
  await engine();
  const policy = { internalDomains: ["corp.example"], rules: { "blocked-domain": { entries: ["rival.example"] } }, extra: nested(3100) };
  const review = await reviewDraft({ to: ["someone@rival.example"], subject: "s", body: "b" }, { policy, error: null }, "en", []);
  assert.ok(
    review.findings.some((f) => f.code === "blocked-domain" && f.severity === "block"),
    `the blocked domain blocks (failure: ${JSON.stringify(review.failure ?? null)})`,
  );
  assert.equal(sendBlocked(review), true);
  assert.equal(review.degraded, true, "the nested policy is reported and degraded");
  assert.ok(review.diagnostics.some((d) => d.level === "error"), "a diagnostic says where");
});
