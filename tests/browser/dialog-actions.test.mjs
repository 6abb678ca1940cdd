// @ts-check
/**
 * What the dialog does beyond ticks: one-click fixes through the background, the delayed
 * send, remembered bounds, retyped file names, large fonts, and the fail-closed review.
 *
 * The background's side of a fix is played by the test with the background's own module
 * (extension/background/fixes.js) and the real engine, exactly as background.js does it.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { useBrowser } from "./lib/browser.mjs";
import { calls, deliver, sent } from "./lib/fake-messenger.mjs";
import { readDialog, tickAll, waitForPosted, withDialog } from "./lib/dialog-page.mjs";
import { indexOf, realReview } from "./lib/reviews.mjs";
import { applyFix, recipientDetails } from "../../extension/background/fixes.js";
import { dialogBounds, MIN_HEIGHT, MIN_WIDTH } from "../../extension/background/bounds.js";
import { failClosedReview } from "../../extension/background/review.js";

const served = useBrowser();

const CORP = { internalDomains: ["corp.example"] };

/** @param {import("playwright-core").Page} page */
const answers = async (page) => (await sent(page)).filter((m) => m.type === "answer");

/**
 * @param {import("playwright-core").Page} page
 * @param {number} renders
 */
const waitForRender = (page, renders) =>
  page.waitForFunction((n) => Number(document.documentElement.dataset.renders) >= n, renders, { timeout: 5000 });

describe("one-click fixes", () => {
  const draft = {
    from: "me@corp.example",
    to: ["Boss <boss@corp.example>", "Alice <alice@a.example>", "bob@b.example"],
    cc: ["carol@c.example", "team@corp.example"],
    bcc: ["dave@d.example"],
    subject: "Event notice",
    body: "See you there.",
    attachments: [],
  };

  test("move the external To/Cc recipients to Bcc: the dialog asks, the new review shows them in Bcc", async () => {
    // Three external addresses of three domains see each other in To/Cc: with a threshold of 3,
    // both checks whose fix is Bcc fire.
    const policy = { ...CORP, rules: { "bulk-visible-recipients": { threshold: 3 } } };
    const review = await realReview(policy, draft, "en");
    const visible = ["alice@a.example", "bob@b.example", "carol@c.example"].map((a) => indexOf(review, a));
    assert.deepEqual(
      review.findings.filter((f) => f.severity === "warn").map((f) => [f.code, f.recipients]),
      [["bulk-visible-recipients", visible], ["mixed-external-domains", visible]],
    );
    await withDialog(served, { review }, async (page) => {
      await page.locator('[data-address="boss@corp.example"] input').click();
      // Offered once, though two findings call for it.
      assert.equal(await page.locator('button[data-fix="move-external-to-bcc"]').count(), 1);
      await page.locator('button[data-fix="move-external-to-bcc"]').click();
      const [request] = await waitForPosted(page, "fix");
      assert.deepEqual(request, { type: "fix", fix: { kind: "move-external-to-bcc" } });
      // Nothing can be sent or ticked while the background works.
      const locked = await readDialog(page);
      assert.equal(locked.sendDisabled, true);
      assert.ok(locked.recipients.every((r) => r.disabled));

      // The background's side.
      const next = applyFix(draft, review, request.fix);
      assert.ok(next);
      assert.deepEqual(recipientDetails(next.draft), {
        to: ['"Boss" <boss@corp.example>'],
        cc: ["team@corp.example"],
        bcc: ['"Alice" <alice@a.example>', "bob@b.example", "carol@c.example", "dave@d.example"],
      });
      const nextReview = await realReview(policy, next.draft, "en");
      await deliver(page, { type: "review", review: nextReview, problems: [], applied: [next.applied] });
      await waitForRender(page, 2);

      const state = await readDialog(page);
      assert.deepEqual(
        state.recipients.map((r) => [r.data.address, r.data.field]),
        [["boss@corp.example", "to"], ["team@corp.example", "cc"], ["alice@a.example", "bcc"], ["bob@b.example", "bcc"], ["carol@c.example", "bcc"], ["dave@d.example", "bcc"]],
      );
      assert.equal(state.recipients[0].ticked, true, "a tick the fix did not concern is kept");
      assert.deepEqual(state.findings.filter((f) => f.code === "bulk-visible-recipients" || f.code === "mixed-external-domains"), []);
      assert.equal(state.warnTicks.length, 0);
      assert.match(await page.locator("#applied").innerText(), /External recipients moved to Bcc: 3\.\s+These changes apply only when you press Send\. If you cancel, the compose window keeps the original recipients\./);
      await tickAll(page);
      await page.click("#send");
      assert.deepEqual(await waitForPosted(page, "answer"), [{ type: "answer", send: true }]);
    });
  });

  test("remove a look-alike recipient: the block goes away with it", async () => {
    const withLookalike = { ...draft, to: [...draft.to, "info@corp-exarnple.com"], cc: [], bcc: [] };
    const policy = { ...CORP, rules: { "lookalike-domain": { severity: "block" } } };
    const review = await realReview(policy, withLookalike, "ja");
    assert.equal(review.verdict, "block");
    await withDialog(served, { review, lang: "ja" }, async (page) => {
      const row = page.locator('[data-address="info@corp-exarnple.com"]');
      const before = await readDialog(page);
      assert.equal(before.blockReasonShown, true);
      // The look-alike, and the three outside domains (corp-exarnple.com one of them) in To.
      assert.deepEqual(before.recipients.find((r) => r.data.address === "info@corp-exarnple.com")?.marks, ["lookalike-domain", "mixed-external-domains"]);
      await row.locator('button[data-fix="remove-recipient"]').click();
      const [request] = await waitForPosted(page, "fix");
      assert.deepEqual(request.fix, { kind: "remove-recipient", address: "info@corp-exarnple.com" });
      const next = applyFix(withLookalike, review, request.fix);
      assert.ok(next);
      assert.deepEqual(next.applied, { kind: "remove-recipient", address: "info@corp-exarnple.com" });
      const nextReview = await realReview(policy, next.draft, "ja");
      await deliver(page, { type: "review", review: nextReview, problems: [], applied: [next.applied] });
      await waitForRender(page, 2);
      const state = await readDialog(page);
      assert.equal(state.recipients.some((r) => r.data.address === "info@corp-exarnple.com"), false);
      assert.equal(state.findings.some((f) => f.code === "lookalike-domain"), false);
      assert.equal(state.blockReasonShown, false);
      assert.match(await page.locator("#applied").innerText(), /info@corp-exarnple\.com を宛先から外しました。/);
      await tickAll(page);
      assert.equal((await readDialog(page)).sendDisabled, false);
    });
  });

  test("a fix that changes nothing, or an unknown one, is refused by the background", () => {
    const review = { recipients: [{ index: 0, field: "bcc", name: null, address: "x@partner.example", domain: "partner.example", class: "external", list: null, valid: true }] };
    const d = { bcc: ["x@partner.example"] };
    assert.equal(applyFix(d, /** @type {any} */ (review), { kind: "move-external-to-bcc" }), null);
    assert.equal(applyFix(d, /** @type {any} */ (review), { kind: "remove-recipient", address: "nobody@x.example" }), null);
    assert.equal(applyFix(d, /** @type {any} */ (review), { kind: "rm -rf" }), null);
    assert.equal(applyFix(d, /** @type {any} */ (review), null), null);
  });

  test("mailing-list members keep their list, text that is not an address is kept as typed", async () => {
    const d = { to: [{ value: "\"Sales, East\" <s@partner.example>", list: "Sales" }, "not an address"], cc: ["boss@corp.example"] };
    const review = await realReview(CORP, d, "en");
    const next = applyFix(d, review, { kind: "move-external-to-bcc" });
    assert.ok(next);
    assert.deepEqual(next.draft.to, []);
    assert.deepEqual(next.draft.cc, ["boss@corp.example"]);
    assert.deepEqual(next.draft.bcc, [{ value: '"Sales, East" <s@partner.example>', list: "Sales" }, "not an address"]);
    const again = await realReview(CORP, next.draft, "en");
    assert.deepEqual(again.recipients.map((r) => [r.address, r.field, r.list]), [["boss@corp.example", "cc", null], ["s@partner.example", "bcc", "Sales"], ["not an address", "bcc", null]]);
  });
});

describe("delayed send", () => {
  const mail = { to: ["x@partner.example"], attachments: [] };

  test("the countdown ends in a send", async () => {
    const review = await realReview({ ...CORP, dialog: { countdownSeconds: 1 } }, mail, "en");
    await withDialog(served, { review }, async (page) => {
      assert.equal((await readDialog(page)).sendText, "Send (in 1 s)");
      await tickAll(page);
      const started = Date.now();
      await page.click("#send");
      assert.equal(await page.locator("#countdown").isVisible(), true);
      assert.match(await page.locator("#countdown-text").innerText(), /^Sending in 1 s$/);
      assert.equal(await page.locator('[data-kind="recipient"] input').isDisabled(), true, "ticks are frozen during the countdown");
      assert.deepEqual(await answers(page), [], "nothing is answered before the countdown ends");
      assert.deepEqual(await waitForPosted(page, "answer", 5000), [{ type: "answer", send: true }]);
      assert.ok(Date.now() - started >= 900, `sent after ${Date.now() - started} ms`);
    });
  });

  test("Cancel during the countdown cancels the send; so does Esc", async () => {
    const review = await realReview({ ...CORP, dialog: { countdownSeconds: 30 } }, mail, "ja");
    for (const how of ["button", "Escape"]) {
      await withDialog(served, { review, lang: "ja" }, async (page) => {
        await tickAll(page);
        await page.keyboard.press("Enter");
        assert.match(await page.locator("#countdown-text").innerText(), /^30 秒後に送信します$/);
        assert.equal(await page.evaluate(() => document.activeElement?.id), "countdown-cancel", "the focus is on Cancel");
        if (how === "button") await page.click("#countdown-cancel");
        else await page.keyboard.press("Escape");
        assert.deepEqual(await waitForPosted(page, "answer"), [{ type: "answer", send: false }], how);
      });
    }
  });

  test("Send now skips the wait, when the policy allows it", async () => {
    const review = await realReview({ ...CORP, dialog: { countdownSeconds: 30 } }, mail, "en");
    await withDialog(served, { review }, async (page) => {
      await tickAll(page);
      await page.click("#send");
      await page.click("#send-now");
      assert.deepEqual(await waitForPosted(page, "answer"), [{ type: "answer", send: true }]);
    });
    const strict = await realReview({ ...CORP, dialog: { countdownSeconds: 30, allowSendNow: false } }, mail, "en");
    await withDialog(served, { review: strict }, async (page) => {
      await tickAll(page);
      await page.click("#send");
      assert.equal(await page.locator("#send-now").isVisible(), false);
      await page.evaluate(() => document.getElementById("send-now")?.click());
      await page.waitForTimeout(300);
      assert.deepEqual(await answers(page), [], "a hidden Send now does nothing");
    });
  });
});

describe("remembered bounds", () => {
  test("the dialog stores its bounds when resized and when answered", async () => {
    const review = await realReview(CORP, { to: ["x@partner.example"] }, "en");
    await withDialog(served, { review }, async (page) => {
      await page.setViewportSize({ width: 640, height: 580 });
      await page.waitForFunction(() => /** @type {any} */ (window).__fake.calls.some((/** @type {any} */ c) => c[0] === "storage.local.set" && c[1].dialogBounds?.width === window.outerWidth && window.outerWidth > 0), null, { timeout: 5000 });
      const stored = await page.evaluate(() => /** @type {any} */ (window).__fake.local.dialogBounds);
      const outer = await page.evaluate(() => ({ left: window.screenX, top: window.screenY, width: window.outerWidth, height: window.outerHeight }));
      assert.deepEqual(stored, outer);
      await page.keyboard.press("Escape");
      await waitForPosted(page, "answer");
      assert.ok((await calls(page)).some(([name]) => name === "storage.local.set"));
    });
  });

  test("the next dialog opens there, clamped to the screen and to a sane size", () => {
    const review = { recipients: [1, 2, 3], attachments: [], findings: [], groups: [1] };
    const screen = { availLeft: 0, availTop: 0, availWidth: 1920, availHeight: 1040 };
    /** @type {[unknown, ReturnType<typeof dialogBounds>][]} */
    const cases = [
      [{ left: 100, top: 50, width: 800, height: 700 }, { left: 100, top: 50, width: 800, height: 700 }],
      // From a screen that is gone: pulled back so that it is all on this one.
      [{ left: 3000, top: 2000, width: 800, height: 700 }, { left: 1120, top: 340, width: 800, height: 700 }],
      [{ left: -500, top: -20, width: 10, height: 10 }, { left: 0, top: 0, width: MIN_WIDTH, height: MIN_HEIGHT }],
      [{ left: 0, top: 0, width: 99999, height: 99999 }, { left: 0, top: 0, width: 1920, height: 1040 }],
      // Nothing, or nonsense, stored: a size that fits the mail, placed by Thunderbird.
      [null, { width: 760, height: 380 + 4 * 34 }],
      [{ left: "x", top: NaN, width: Infinity }, { width: 760, height: 380 + 4 * 34 }],
    ];
    for (const [saved, expected] of cases) assert.deepEqual(dialogBounds(saved, review, screen), expected, JSON.stringify(saved));
    assert.deepEqual(dialogBounds(null, { ...review, recipients: Array(1000) }, screen), { width: 760, height: 860 });
  });
});

describe("more of what the policy and the person can ask", () => {
  test("file names are retyped, not ticked, when the policy says so and the mail goes outside", async () => {
    const policy = { ...CORP, dialog: { retypeAttachmentNamesForExternal: true } };
    const mail = { subject: "Quote", body: "Here is our quote.", attachments: [{ name: "Quote 2024.pdf", size: 100 }] };
    const review = await realReview(policy, { ...mail, to: ["x@partner.example"] }, "en");
    assert.equal(review.verdict, "ok", "only the recipient and the file name need confirming");
    await withDialog(served, { review }, async (page) => {
      const field = page.locator("#attachment-0 input.retype");
      assert.equal(await field.getAttribute("aria-label"), "Type Quote 2024.pdf to confirm");
      await tickAll(page, ["recipient"]);
      assert.equal((await readDialog(page)).sendDisabled, true);
      const pasted = await field.evaluate((el) => {
        const event = new ClipboardEvent("paste", { clipboardData: new DataTransfer(), cancelable: true, bubbles: true });
        return !el.dispatchEvent(event);
      });
      assert.equal(pasted, true, "pasting is refused");
      await field.fill("Quote 2024.pd");
      assert.equal((await readDialog(page)).sendDisabled, true);
      // Full-width characters and another case are the same name, as an IME may type it.
      await field.fill("ｑｕｏｔｅ　２０２４.PDF ");
      assert.equal((await readDialog(page)).sendDisabled, false);
      await field.press("Enter");
      assert.deepEqual(await waitForPosted(page, "answer"), [{ type: "answer", send: true }]);
    });
    const internal = await realReview(policy, { ...mail, to: ["y@corp.example"] }, "en");
    await withDialog(served, { review: internal }, async (page) => {
      assert.equal(await page.locator("input.retype").count(), 0, "internal-only mail keeps the tick");
      assert.equal(await page.locator("#attachment-0 input.tick").count(), 1);
    });
  });

  test("large fonts make the whole dialog bigger", async () => {
    const review = await realReview(CORP, { to: ["x@partner.example"] }, "ja");
    await withDialog(served, { review, lang: "ja", display: { largeFonts: true } }, async (page) => {
      const size = await page.evaluate(() => getComputedStyle(/** @type {Element} */ (document.querySelector(".address"))).fontSize);
      assert.equal(size, "17px");
    });
    await withDialog(served, { review, lang: "ja" }, async (page) => {
      const size = await page.evaluate(() => getComputedStyle(/** @type {Element} */ (document.querySelector(".address"))).fontSize);
      assert.equal(size, "14px");
    });
  });

  test("when the engine cannot run and the admin allows a Send anyway, every entry is listed and needs its tick, the sender too", async () => {
    const review = failClosedReview(
      { from: "me@corp.example", to: ["a@corp.example", "b@partner.example"], attachments: [{ name: "x.zip", size: 5 }] },
      "en",
      { reason: "WebAssembly.instantiate(): out of memory", sendAllowed: true },
    );
    await withDialog(served, { review, problems: ["engine: WebAssembly.instantiate(): out of memory"] }, async (page) => {
      const state = await readDialog(page);
      assert.equal(state.recipients.length, 2);
      assert.equal(state.progress, "0 of 4 confirmed", "two recipients, one attachment, the sender");
      assert.match(await page.locator("#problems").innerText(), /out of memory/);
      assert.equal(await page.locator("input.check-all:visible").count(), 0);
      await tickAll(page);
      assert.equal((await readDialog(page)).sendDisabled, false);
    });
  });
});
