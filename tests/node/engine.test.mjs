// @ts-check
/** The engine as the add-on calls it: languages, diagnostics, bad input, fail-closed paths. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { engine } from "./engine.mjs";
import { failClosedReview } from "../../extension/background/review.js";

test("the engine reports its version, equal to the manifest's", async () => {
  const manifest = JSON.parse(await readFile(new URL("../../extension/manifest.json", import.meta.url), "utf8"));
  assert.equal((await engine()).version, manifest.version);
});

test("messages follow the language: Japanese and English", async () => {
  const e = await engine();
  const draft = { to: ["x@partner.example"] };
  const ja = e.checker({ internalDomains: ["corp.example"] }, "ja-JP").check(draft);
  const en = e.checker({ internalDomains: ["corp.example"] }, "en-US").check(draft);
  assert.equal(ja.lang, "ja");
  assert.match(ja.findings[0].message, /社外の宛先が 1 件/);
  assert.match(en.findings[0].message, /1 external recipient \(partner\.example\)/);
});

test("policy diagnostics name the path and suggest the fix, in the admin's language", async () => {
  const e = await engine();
  const en = e.checker({ internalDomian: ["corp.example"] }, "en").diagnostics();
  assert.equal(en.length, 1);
  assert.equal(en[0].path, "internalDomian");
  assert.equal(en[0].level, "error");
  assert.match(en[0].hint ?? "", /Did you mean "internalDomains"\?/);
  const ja = e.checker({ rules: { "external-recipient": { severity: "warning" } } }, "ja").diagnostics();
  assert.equal(ja[0].path, "rules.external-recipient.severity");
  assert.match(ja[0].message, /使えない値/);
  assert.match(ja[0].hint ?? "", /"warn" の誤りではありませんか/);
});

test("a policy given as text reports a syntax error with its line", async () => {
  const e = await engine();
  const d = e.checkerFromText('{\n  "internalDomains": ["corp.example",]\n}', "en").diagnostics();
  assert.equal(d.length, 1);
  assert.match(d[0].message, /line 2/);
});

test("an unreadable admin policy gives the strictest review with the reason", async () => {
  const e = await engine();
  const review = e.unreadablePolicy("no answer from managed storage within 2000 ms", "en").check({ to: ["a@b.example"] });
  assert.equal(review.degraded, true);
  assert.equal(review.dialog.show, true);
  assert.equal(review.dialog.requireInternalTick, true);
  assert.match(review.diagnostics[0].message, /could not be read: no answer from managed storage/);
});

test("a draft of the wrong shape is an error the background can catch, not a crash", async () => {
  const e = await engine();
  const checker = e.checker(null, "en");
  assert.throws(() => checker.check(/** @type {any} */ ({ to: 42 })), /draft does not have the expected shape/);
  // The engine still works after the error.
  assert.equal(checker.check({ to: ["a@b.example"] }).recipients.length, 1);
});

test("hostile text passes through as data", async () => {
  const e = await engine();
  const name = '<img src=x onerror="alert(1)">';
  const review = e.checker(null, "en").check({
    to: [`"${name.replace(/"/g, '\\"')}" <a@b.example>`],
    subject: "<script>alert(1)</script>",
    attachments: [{ name: "<b>x</b>.pdf", size: 1 }],
  });
  assert.equal(review.recipients[0].name, name);
  assert.equal(review.subject, "<script>alert(1)</script>");
  assert.equal(review.attachments[0].name, "<b>x</b>.pdf");
});

test("the fail-closed review lists every entry raw and asks for every tick", () => {
  const review = failClosedReview(
    { to: ["a@b.example", { value: "c@d.example", list: "L" }], bcc: ["x"], attachments: [{ name: "f.pdf", size: 3 }] },
    "en",
  );
  assert.deepEqual(review.recipients.map((r) => [r.field, r.address, r.list]), [["to", "a@b.example", null], ["to", "c@d.example", "L"], ["bcc", "x", null]]);
  assert.equal(review.dialog.show, true);
  assert.equal(review.degraded, true);
  assert.equal(review.attachments.length, 1);
  assert.deepEqual(review.groups[0].members, [0, 1, 2]);
});

test("a big mail is checked quickly enough to never delay the dialog", async () => {
  const e = await engine();
  const to = Array.from({ length: 5000 }, (_, i) => `Person ${i} <p${i}@d${i % 50}.example>`);
  const review = e.checker({ internalDomains: ["d0.example"] }, "en").check({ to, body: "x".repeat(1_000_000) });
  assert.equal(review.recipients.length, 5000);
  assert.equal(review.groups.length, 50);
});

test("the engine describes every check it has, in the admin's language", async () => {
  const e = await engine();
  const ja = e.codes("ja");
  const en = e.codes("en");
  assert.ok(ja.length >= 1);
  assert.deepEqual(ja.map((c) => c.code), en.map((c) => c.code));
  const external = en.find((c) => c.code === "external-recipient");
  assert.equal(external?.defaultSeverity, "info");
  assert.match(external?.summary ?? "", /outside the internal domains/);
  assert.match(ja.find((c) => c.code === "external-recipient")?.summary ?? "", /社内ドメイン以外/);
});
