// @ts-check
/**
 * The dialog for a mail that could not be checked at all (the review's `failure`): the notice
 * comes first, as an alert, says what happened, that nothing was checked and what to do, in
 * Japanese or English; Send stays disabled when the admin's policy does not allow a Send after
 * a failure, whatever is ticked, by click, Enter or countdown; when it allows one, every entry
 * still needs its tick.
 *
 * The reviews are the add-on's own fail-closed review (background/review.js).
 */
import { test } from "node:test";
import assert from "node:assert/strict";

import { useBrowser } from "./lib/browser.mjs";
import { sent } from "./lib/fake-messenger.mjs";
import { readDialog, tickAll, waitForPosted, withDialog } from "./lib/dialog-page.mjs";
import { failClosedReview } from "../../extension/background/review.js";

const served = useBrowser();

const DRAFT = {
  to: ["someone@rival.example", "boss@corp.example"],
  cc: [{ value: "m1@partner.example", list: "Partners" }],
  subject: "Numbers",
  attachments: [{ name: "numbers.xlsx", size: 2048 }],
};
const REASON = "RuntimeError: unreachable executed";

/** @param {import("playwright-core").Page} page */
function readFailure(page) {
  return page.evaluate(() => {
    const box = /** @type {HTMLElement | null} */ (document.getElementById("failure"));
    const body = document.querySelector(".body");
    return box && {
      shown: !box.hidden && getComputedStyle(box).display !== "none",
      role: box.getAttribute("role"),
      first: body?.firstElementChild === box,
      text: box.innerText.replace(/\s+/g, " ").trim(),
      blockReason: /** @type {HTMLElement} */ (document.getElementById("block-reason")).innerText.trim(),
      images: box.querySelectorAll("img").length,
    };
  });
}

/** @param {import("playwright-core").Page} page */
async function answers(page) {
  return (await sent(page)).filter((m) => m.type === "answer");
}

test("a failure that blocks: the notice comes first, says what to do, and Send stays disabled by click and Enter", async () => {
  const review = failClosedReview(DRAFT, "en", { reason: REASON, sendAllowed: false });
  await withDialog(served, { review }, async (page) => {
    const failure = await readFailure(page);
    assert.ok(failure?.shown, "the failure is shown");
    assert.equal(failure.role, "alert");
    assert.equal(failure.first, true, "it is the first thing in the dialog's body");
    assert.match(failure.text, /This mail was not checked/);
    assert.match(failure.text, /could not check this mail: RuntimeError: unreachable executed/);
    assert.match(failure.text, /None of the checks ran/);
    assert.match(failure.text, /Cancel, then press Send again; if this notice appears again, tell your administrator/);
    await tickAll(page);
    const state = await readDialog(page);
    assert.equal(state.recipients.length, 3, "every recipient is listed");
    assert.ok(state.recipients.every((r) => r.ticked), "and could be ticked");
    assert.equal(state.sendDisabled, true, "Send stays disabled with everything ticked");
    assert.equal(state.blockReasonShown, true);
    assert.match(failure.blockReason + (await readFailure(page))?.blockReason, /the mail could not be checked/);
    await page.keyboard.press("Enter");
    await page.locator("#send").click({ force: true }).catch(() => {});
    await page.waitForTimeout(200);
    assert.deepEqual(await answers(page), [], "nothing is answered");
    await page.keyboard.press("Escape");
    assert.deepEqual(await waitForPosted(page, "answer"), [{ type: "answer", send: false }], "Esc still cancels");
  });
});

test("a failure that blocks, with a countdown in the plan and a verdict that says warn: Send still cannot start", async () => {
  const base = failClosedReview(DRAFT, "ja", { reason: REASON, sendAllowed: false });
  // An engine may report the failure without a block verdict: the failure alone must block.
  const review = { ...base, verdict: "warn", dialog: { ...base.dialog, countdownSeconds: 1, allowSendNow: true } };
  await withDialog(served, { review, lang: "ja" }, async (page) => {
    const failure = await readFailure(page);
    assert.ok(failure?.shown);
    assert.match(failure.text, /このメールはチェックされていません/);
    assert.match(failure.text, /Misend Guard がこのメールをチェックできませんでした（RuntimeError: unreachable executed）/);
    assert.match(failure.text, /管理者のルールは宛先・添付ファイル・本文のどれにも適用されていません/);
    assert.match(failure.text, /キャンセルしてから、もう一度送信してください。再びこの表示が出る場合は、管理者に連絡してください/);
    await tickAll(page);
    assert.equal((await readDialog(page)).sendDisabled, true);
    await page.keyboard.press("Enter");
    await page.locator("#send").click({ force: true }).catch(() => {});
    await page.waitForTimeout(1500);
    assert.equal(await page.locator("#countdown").count(), 0, "no countdown starts");
    assert.deepEqual(await answers(page), []);
  });
});

test("a failure the admin allows (onFailure: confirm): every entry needs its tick, then Send sends", async () => {
  const review = failClosedReview(DRAFT, "en", { reason: REASON, sendAllowed: true });
  await withDialog(served, { review }, async (page) => {
    const failure = await readFailure(page);
    assert.ok(failure?.shown);
    assert.match(failure.text, /Your administrator allows sending it after you confirm every recipient and attachment yourself/);
    const initial = await readDialog(page);
    assert.equal(initial.sendDisabled, true);
    assert.equal(initial.progress, "0 of 5 confirmed", "the sender, three recipients and the attachment");
    await tickAll(page, ["sender", "recipient"]);
    assert.equal((await readDialog(page)).sendDisabled, true, "the attachment still needs its tick");
    await tickAll(page);
    assert.equal((await readDialog(page)).sendDisabled, false);
    await page.click("#send");
    assert.deepEqual(await waitForPosted(page, "answer"), [{ type: "answer", send: true }]);
  });
});

test("the reason is shown as text, never as HTML", async () => {
  const review = failClosedReview(DRAFT, "en", { reason: '<img src=x onerror="document.title=1">\u202Eexe.pdf', sendAllowed: false });
  await withDialog(served, { review }, async (page) => {
    const failure = await readFailure(page);
    assert.equal(failure?.images, 0);
    assert.match(failure?.text ?? "", /<img src=x onerror="document.title=1">⟦U\+202E⟧exe\.pdf/);
  });
});

test("a review without a failure shows no failure notice", async () => {
  const review = { ...failClosedReview(DRAFT, "en", { reason: "", sendAllowed: true }), failure: null };
  await withDialog(served, { review }, async (page) => {
    assert.equal((await readFailure(page))?.shown, false);
  });
});
