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
  const draft = { to: ["x@partner.example"], subject: "議事録", body: "本日の議事録です。" };
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

test("the context brings the address books; without it nobody is new", async () => {
  const e = await engine();
  const checker = e.checker({ internalDomains: ["corp.example"] }, "en");
  const draft = { to: ["Tanaka <TANAKA@partner.example>", "sato@partner.example"] };
  const codes = (/** @type {import("../../extension/engine/engine.js").Review} */ review) =>
    review.findings.filter((f) => f.code === "new-recipient").map((f) => f.recipients);
  assert.deepEqual(codes(checker.check(draft, { contacts: ["Tanaka Taro <tanaka@partner.example>"] })), [[1]]);
  assert.deepEqual(codes(checker.check(draft)), []);
  assert.deepEqual(codes(checker.check(draft, null)), []);
  assert.deepEqual(codes(checker.check(draft, {})), []);
  assert.throws(() => checker.check(draft, /** @type {any} */ ({ contacts: "tanaka@partner.example" })), /context does not have the expected shape/);
  const review = checker.check({ to: ["boss@xn--crp-9yc.example"] });
  const lookalike = review.findings.find((f) => f.code === "lookalike-domain");
  assert.match(lookalike?.message ?? "", /resembles the internal domain corp\.example/);
});

test("the address books cross into the engine once while they stay the same array (issue #13)", async () => {
  const e = await engine();
  const checker = e.checker({ internalDomains: ["corp.example"] }, "en");
  const prototype = e.bindings.Checker.prototype;
  const setContext = prototype.setContext;
  let crossings = 0;
  prototype.setContext = function (/** @type {string} */ text) {
    crossings++;
    return setContext.call(this, text);
  };
  try {
    const newcomers = (/** @type {import("../../extension/engine/engine.js").Review} */ review) =>
      review.findings.filter((f) => f.code === "new-recipient").map((f) => f.recipients);
    const draft = { to: ["tanaka@partner.example", "sato@partner.example"] };
    const contacts = ["Tanaka <tanaka@partner.example>"];
    for (let i = 0; i < 3; i++) assert.deepEqual(newcomers(checker.check(draft, { contacts })), [[1]]);
    assert.equal(crossings, 1, "the same array crosses once");

    // Another array crosses again, and so does one changed in place despite the rule.
    const more = [...contacts, "sato@partner.example"];
    assert.deepEqual(newcomers(checker.check(draft, { contacts: more })), []);
    assert.equal(crossings, 2);
    more.pop();
    assert.deepEqual(newcomers(checker.check(draft, { contacts: more })), [[1]]);
    assert.equal(crossings, 3);

    // No context is a context too: nobody is known, and the address books held before are dropped.
    assert.deepEqual(newcomers(checker.check(draft)), []);
    assert.equal(crossings, 4);
    assert.deepEqual(newcomers(checker.check(draft, { contacts: more })), [[1]]);

    // A context of the wrong shape is refused, and the one held before stays.
    assert.throws(() => checker.check(draft, /** @type {any} */ ({ contacts: [42] })), /context does not have the expected shape/);
    assert.deepEqual(newcomers(checker.check(draft, { contacts: more })), [[1]]);

    // A checker of its own gets the context with its first check.
    const other = e.checker({ internalDomains: ["corp.example"] }, "en");
    assert.deepEqual(newcomers(other.check(draft, { contacts: more })), [[1]]);
    other.free();
  } finally {
    prototype.setContext = setContext;
    checker.free();
  }
});

test("text with a lone surrogate is checked, the surrogate read as U+FFFD", async () => {
  const e = await engine();
  const checker = e.checker(null, "en");
  const review = checker.check({ to: ["Ta\ud800ro <taro@b.example>"], subject: "a\udc00b \\ud800 \\\\ud800 \ud83d\ude00", body: "x" });
  assert.equal(review.recipients[0].name, "Ta\ufffdro");
  assert.equal(review.subject, "a\ufffdb \\ud800 \\\\ud800 \ud83d\ude00", "escaped backslashes and pairs are left as they are");
  checker.free();
});

test("the recipients' names and addresses are the engine's, whether cut from the draft's entries or sent back", async () => {
  const e = await engine();
  const checker = e.checker({ internalDomains: ["corp.example"] }, "en");
  const review = checker.check({
    to: ["Boss <boss@corp.example>", { value: "x@partner.example", list: "Partners" }, "Yamada, Taro <t@corp.example>"],
    cc: ["p@x.example, Q <q@y.example>", "  Spaced  <s@x.example> ", '"Quoted, Name" <qn@x.example>'],
    bcc: ["BOSS@corp.example", "山田 太郎 <taro@例え.jp>", "a <b> <c@x.example>", "not an address"],
  });
  const got = review.recipients.map((r) => [r.index, r.field, r.name, r.address, r.list, r.valid]);
  // The same as when every name and address came back as text (the build before, 2026-12-07).
  assert.deepEqual(got, [
    [0, "to", "Boss", "boss@corp.example", null, true],
    [1, "to", null, "x@partner.example", "Partners", true],
    [2, "to", "Taro", "t@corp.example", null, true],
    [3, "cc", null, "p@x.example", null, true],
    [4, "cc", "Q", "q@y.example", null, true],
    [5, "cc", "Spaced", "s@x.example", null, true],
    [6, "cc", "Quoted, Name", "qn@x.example", null, true],
    [7, "bcc", "山田 太郎", "taro@例え.jp", null, true],
    [8, "bcc", "a", "bc@x.example", null, true],
    [9, "bcc", null, "not an address", null, false],
  ]);
  checker.free();
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
    { reason: "RuntimeError: unreachable", sendAllowed: false },
  );
  assert.deepEqual(review.failure, { reason: "RuntimeError: unreachable", sendAllowed: false });
  assert.equal(review.verdict, "block", "nothing was checked and the admin did not allow a Send anyway");
  assert.deepEqual(review.recipients.map((r) => [r.field, r.address, r.list]), [["to", "a@b.example", null], ["to", "c@d.example", "L"], ["bcc", "x", null]]);
  assert.equal(review.dialog.show, true);
  assert.equal(review.dialog.confirmSender, true);
  assert.deepEqual(review.dialog.allowCheckAll, { internal: false, external: false });
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

test("findings show where they are: excerpts and the keyword rule's id", async () => {
  const e = await engine();
  const review = e
    .checker({ internalDomains: ["corp.example"], keywords: [{ id: "secret", pattern: "社外秘" }] }, "ja")
    .check({ to: ["x@partner.example"], subject: "社外秘の件", body: "〇〇様\n資料を添付します。", attachments: [] });
  const keyword = review.findings.find((f) => f.code === "keyword");
  assert.equal(keyword?.ruleId, "secret");
  assert.deepEqual(keyword?.excerpts, [{ part: "subject", before: "", text: "社外秘", after: "の件" }]);
  const forgotten = review.findings.find((f) => f.code === "attachment-forgotten");
  assert.deepEqual(forgotten?.excerpts, [{ part: "body", before: "資料を", text: "添付", after: "します。" }]);
  assert.equal(review.findings.find((f) => f.code === "external-recipient")?.ruleId, null);
});

test("the user's own settings only make checks stricter, with warnings for the rest", async () => {
  const e = await engine();
  const checker = e.checker({ rules: { "empty-subject": { severity: "block" } } }, "en", {
    rules: { "empty-subject": { severity: "info" }, "empty-body": { severity: "block" } },
  });
  const review = checker.check({ to: ["a@b.example"], subject: "", body: "" });
  assert.deepEqual(
    review.findings.filter((f) => f.code.startsWith("empty-")).map((f) => [f.code, f.severity]),
    [["empty-subject", "block"], ["empty-body", "block"]],
  );
  assert.equal(review.degraded, false);
  assert.deepEqual(review.diagnostics.map((d) => [d.source, d.level, d.path]), [["user", "warning", "rules.empty-subject.severity"]]);
});

test("the dialog plan carries the policy's dialog keys, strictest when the policy is broken", async () => {
  const e = await engine();
  const draft = { to: ["x@partner.example"], attachments: [{ name: "a.pdf", size: 1 }] };
  const good = e.checker({ dialog: { countdownSeconds: 5, allowCheckAll: { external: true } } }, "en").check(draft);
  assert.deepEqual(good.dialog, {
    show: true,
    requireInternalTick: true,
    confirmSender: false,
    allowCheckAll: { internal: true, external: true },
    retypeAttachmentNames: false,
    countdownSeconds: 5,
    allowSendNow: true,
  });
  const broken = e.checker({ internalDomain: [], dialog: { countdownSeconds: 5, allowCheckAll: { external: true } } }, "en");
  const plan = broken.check(draft).dialog;
  assert.equal(plan.confirmSender, true);
  assert.deepEqual(plan.allowCheckAll, { internal: false, external: false });
  assert.equal(plan.countdownSeconds, 5, "a broken key elsewhere keeps the countdown");
  const late = e.checker({ dialog: { countdownSeconds: 61 } }, "en").diagnostics();
  assert.deepEqual(late.map((d) => d.path), ["dialog.countdownSeconds"]);
});

test("the effective policy and the list of checks, for the options page", async () => {
  const e = await engine();
  const effective = e.checker({ internalDomains: ["corp.example"], dialog: { confirmSender: true } }, "ja").effectivePolicy();
  assert.deepEqual(effective.internalDomains, ["corp.example"]);
  assert.equal(effective.dialog.confirmSender, true);
  assert.equal(effective.userMayAddInternalDomains, false);
  const codes = e.codes("ja");
  assert.ok(codes.length >= 1);
  for (const c of codes) {
    assert.equal(effective.rules[c.code]?.severity, c.defaultSeverity, c.code);
    assert.match(c.summary, /[ぁ-んァ-ヶ一-龠]/, "the summary is in Japanese");
  }
});

test("the example policy for admins loads without a diagnostic", async () => {
  const text = await readFile(new URL("../../extension/policies/example.policies.json", import.meta.url), "utf8");
  const policy = JSON.parse(text).policies["3rdparty"].Extensions["misend-guard@misend-guard.org"];
  assert.deepEqual((await engine()).checker(policy, "en").diagnostics(), []);
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
