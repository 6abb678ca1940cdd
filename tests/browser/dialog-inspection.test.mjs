// @ts-check
/**
 * The dialog while the attachments' contents are inspected (issue #14), in Debian's Chromium:
 * each attachment says it is being checked, with a small spinner that stands still for a
 * person who asked for reduced motion, and Send stays disabled with the reason in the footer
 * whatever is ticked; the review that follows shows the finding on its attachment with the
 * place inside the file, keeps the ticks of what did not change, and lets the person send.
 *
 * Both reviews are the real engine's, of the draft as the background passes it: every
 * attachment `pending` first, then with the facts of the add-on's own inspector.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import { REPO_ROOT, screenshot, useBrowser } from "./lib/browser.mjs";
import { deliver } from "./lib/fake-messenger.mjs";
import { openDialog, readDialog, tickAll, waitForPosted } from "./lib/dialog-page.mjs";
import { realReview } from "./lib/reviews.mjs";
import { inspectedFile } from "../node/inspector.mjs";

const served = useBrowser();

const POLICY = { internalDomains: ["corp.example"] };
const SIZE = fs.statSync(path.join(REPO_ROOT, "tests", "attachments", "customers.xlsx")).size;
const DRAFT = {
  from: "Sato <sato@corp.example>",
  to: ["tanaka@partner.example"],
  subject: "顧客リスト",
  body: "田中様\n\nご依頼の資料です。\n",
  attachments: [
    { name: "customers.xlsx", size: SIZE },
    { name: "notes.txt", size: 120 },
  ],
};

/** @param {import("../../extension/engine/engine.js").AttachmentContents[]} contents */
const withContents = (contents) => ({ ...DRAFT, attachments: DRAFT.attachments.map((a, i) => ({ ...a, contents: contents[i] })) });

const PENDING = withContents([{ state: "pending" }, { state: "pending" }]);

const TEXTS = {
  ja: { checking: "添付ファイルの中身を確認しています…" },
  en: { checking: "Checking contents…" },
  "zh-CN": { checking: "正在检查附件内容…" },
};

describe("while the attachments are inspected", () => {
  for (const lang of /** @type {const} */ (["ja", "en", "zh-CN"])) {
    test(`${lang}: each attachment says it is being checked, and Send waits with the reason in the footer`, async () => {
      const review = await realReview(POLICY, PENDING, lang);
      assert.deepEqual(review.attachments.map((a) => a.inspection), ["pending", "pending"]);
      const { page, errors } = await openDialog(served.browser, served.url, { review, lang });
      try {
        const notes = await page.locator("[data-kind=attachment] .inspecting-note").allTextContents();
        assert.deepEqual(notes, [TEXTS[lang].checking, TEXTS[lang].checking]);
        assert.equal(await page.locator("[data-kind=attachment] .inspecting-note .spinner").count(), 2);
        await tickAll(page);
        const state = await readDialog(page);
        assert.equal(state.sendDisabled, true, "Send waits for the inspection, whatever is ticked");
        assert.equal(await page.locator("#pending-reason").isVisible(), true);
        assert.equal(await page.getAttribute("#send", "aria-describedby"), "pending-reason progress");
        // Enter does not send either.
        await page.keyboard.press("Enter");
        await page.click("#send", { force: true }).catch(() => {});
        assert.equal((await page.evaluate(() => /** @type {any} */ (window).__fake.sent)).filter((/** @type {any} */ m) => m.type === "answer").length, 0);
        if (lang === "ja") await screenshot(page, "dialog-attachments-pending-ja");
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    });
  }

  test("the spinner stands still for a person who asked for reduced motion", async () => {
    const review = await realReview(POLICY, PENDING, "en");
    const { page: dialog } = await openDialog(served.browser, served.url, { review, lang: "en" });
    try {
      const turning = await dialog.evaluate(() => getComputedStyle(/** @type {Element} */ (document.querySelector(".spinner"))).animationName);
      assert.equal(turning, "spin", "it turns by default");
      await dialog.emulateMedia({ reducedMotion: "reduce" });
      const still = await dialog.evaluate(() => getComputedStyle(/** @type {Element} */ (document.querySelector(".spinner"))).animationName);
      assert.equal(still, "none");
    } finally {
      await dialog.close();
    }
  });
});

test("the inspected review: the finding on its attachment with the place inside, the ticks kept, Send once confirmed", async () => {
  const first = await realReview(POLICY, PENDING, "ja");
  const contents = [await inspectedFile("attachments/customers.xlsx", "customers.xlsx"), /** @type {const} */ ({ state: "failed", reason: "timeout", detail: "took longer than 3 s" })];
  const second = await realReview(POLICY, withContents(contents), "ja");
  assert.deepEqual(second.attachments.map((a) => a.inspection), ["inspected", "failed"]);
  const { page, errors } = await openDialog(served.browser, served.url, { review: first, lang: "ja" });
  try {
    await tickAll(page, ["sender", "recipient", "attachment"]);
    await deliver(page, { type: "review", review: second, problems: [], applied: [] });
    await page.waitForFunction(() => Number(document.documentElement.dataset.renders) >= 2, null, { timeout: 5000 });
    const state = await readDialog(page);
    assert.equal(await page.locator(".inspecting-note").count(), 0, "nothing says it is being checked any more");
    assert.equal(await page.locator("#pending-reason").isVisible(), false);
    const [customers, notes] = state.attachments;
    assert.ok(customers.marks.includes("attachment-personal-data"), `the finding is on customers.xlsx (${customers.marks.join(", ")})`);
    assert.ok(notes.marks.includes("attachment-not-inspected"), `the attachment not inspected says so (${notes.marks.join(", ")})`);
    assert.equal(customers.data.inspection, "inspected");
    assert.equal(notes.data.inspection, "failed");
    assert.match(customers.text, /Sheet1/, "the place inside the file is named");
    const places = await page.locator('[data-kind=attachment][data-name="customers.xlsx"] .row-excerpts .place').allTextContents();
    assert.ok(places.includes("Sheet1"), `the passages inside the file are on its row, with their place (${places.join(", ")})`);
    assert.equal(await page.locator('#excerpts [data-part="attachment-content"]').count(), 0, "not among the subject's and body's passages");
    assert.ok(state.recipients.every((r) => r.ticked), "the recipients' ticks are kept");
    assert.ok(state.attachments.every((a) => a.ticked), "the attachments' ticks are kept: they are the same files");
    assert.equal(state.sendDisabled, true, "the new warning still needs its own tick");
    await tickAll(page);
    assert.equal((await readDialog(page)).sendDisabled, false);
    await screenshot(page, "dialog-attachment-personal-data-ja");
    await page.click("#send");
    assert.deepEqual(await waitForPosted(page, "answer"), [{ type: "answer", send: true }]);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("hostile text inside a file stays text in the dialog", async () => {
  const facts = {
    name: "evil.csv",
    size: 64,
    kind: "text",
    nameKind: "text",
    mismatch: false,
    encrypted: [],
    text: [{ place: '<img src=x onerror="window.__pwned=1">', text: "マイナンバー 1234 5678 9018 <b>bold</b>" }],
    undecoded: [],
    tables: [],
    entries: [],
    problems: [],
  };
  const review = await realReview(POLICY, { ...DRAFT, attachments: [{ name: "evil.csv", size: 64, contents: { state: "inspected", facts } }] }, "en");
  const { page, errors } = await openDialog(served.browser, served.url, { review, lang: "en" });
  try {
    assert.equal(await page.locator("#app img, #app b").count(), 0, "no element is made from the file's text");
    assert.equal(await page.evaluate(() => /** @type {any} */ (window).__pwned), undefined);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
