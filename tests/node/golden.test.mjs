// @ts-check
/**
 * Every golden case of tests/cases/, through the built wasm and the add-on's wrapper.
 * `crates/dto/tests/golden.rs` runs the same files natively; both compare the same
 * projection, so the add-on and the CLI cannot disagree on a case.
 *
 * An attachment that names a `file` (relative to tests/) is read and inspected here with the
 * add-on's inspector (the second wasm module, through extension/inspect/inspector.js, with the
 * platform's TextDecoder for legacy charsets), and checked with what it holds, as the add-on
 * does; the Rust runner inspects the same file natively.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { engine } from "./engine.mjs";
import { inspectedFile } from "./inspector.mjs";

const dir = new URL("../cases/", import.meta.url);

/**
 * @param {any} v
 * @param {string[]} keys
 */
const pick = (v, keys) => Object.fromEntries(keys.map((k) => [k, v?.[k] ?? null]));

/** The same projection as `project` in crates/dto/tests/golden.rs. @param {any} review */
function project(review) {
  /** @param {string} key @param {string[]} keys */
  const each = (key, keys) => (review[key] ?? []).map((/** @type {any} */ v) => pick(v, keys));
  return {
    verdict: review.verdict,
    degraded: review.degraded,
    dialog: pick(review.dialog, ["show", "requireInternalTick"]),
    recipients: each("recipients", ["field", "address", "name", "domain", "class", "list", "valid"]),
    groups: each("groups", ["class", "domain", "members"]),
    attachments: each("attachments", ["name", "size", "inspection"]),
    findings: each("findings", ["code", "severity", "recipients", "attachments", "ruleId"]),
    diagnostics: each("diagnostics", ["level", "path"]),
  };
}

const files = (await readdir(dir)).filter((f) => f.endsWith(".json")).sort();

/**
 * The draft with each attachment that names a `file` inspected, as the add-on passes it: with
 * the limits the case's policy resolves to (the review's `inspection.limits`), and the file's
 * size when the case gives none. The Rust runner does the same natively.
 * @param {any} draft
 * @param {import("../../extension/engine/engine.js").PolicyChecker} checker
 */
async function inspected(draft, checker) {
  const attachments = draft?.attachments ?? [];
  if (!attachments.some((/** @type {any} */ a) => typeof a?.file === "string")) return draft;
  const limits = checker.check({}).inspection.limits;
  return {
    ...draft,
    attachments: await Promise.all(
      attachments.map(async (/** @type {any} */ a) => {
        if (typeof a?.file !== "string") return a;
        const { file, ...rest } = a;
        const contents = await inspectedFile(file, a.name, limits);
        return { ...rest, size: rest.size ?? contents.facts.size, contents };
      }),
    ),
  };
}

for (const file of files) {
  test(`golden: ${file}`, async () => {
    const kase = JSON.parse(await readFile(new URL(file, dir), "utf8"));
    assert.ok(kase.expect, `${file} has no expect: run UPDATE_GOLDEN=1 cargo test -p misend-guard-dto --test golden`);
    const checker = (await engine()).checker(kase.policy, kase.lang ?? "en", kase.user);
    try {
      assert.deepStrictEqual(project(checker.check(await inspected(kase.draft, checker), kase.context)), kase.expect);
    } finally {
      checker.free();
    }
  });
}
