// @ts-check
/**
 * Every golden case of tests/cases/, through the built wasm and the add-on's wrapper.
 * `crates/dto/tests/golden.rs` runs the same files natively; both compare the same
 * projection, so the add-on and the CLI cannot disagree on a case.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { engine } from "./engine.mjs";

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

test("there are golden cases", () => {
  assert.ok(files.length >= 10, `only ${files.length} cases found in tests/cases`);
});

for (const file of files) {
  test(`golden: ${file}`, async () => {
    const kase = JSON.parse(await readFile(new URL(file, dir), "utf8"));
    assert.ok(kase.expect, `${file} has no expect: run UPDATE_GOLDEN=1 cargo test -p misend-guard-dto --test golden`);
    const checker = (await engine()).checker(kase.policy, kase.lang ?? "en", kase.user);
    try {
      assert.deepStrictEqual(project(checker.check(kase.draft, kase.context)), kase.expect);
    } finally {
      checker.free();
    }
  });
}
