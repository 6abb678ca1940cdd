// @ts-check
/**
 * The dialog's layout where a first-time user found it rough (issue #9), measured in Chromium
 * on the real page with reviews of the real engine: the focus ring of a tick covers no
 * character of its label, the Remove button keeps clear of the marks, the marks every row of a
 * group shares are shown once for the group, and the footer does not offer Enter to send a
 * mail that cannot be sent. Each case also leaves a screenshot in target/screenshots/.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import { REPO_ROOT, useBrowser } from "./lib/browser.mjs";
import { withDialog } from "./lib/dialog-page.mjs";
import { realReview } from "./lib/reviews.mjs";

const served = useBrowser();
const SHOTS = path.join(REPO_ROOT, "target", "screenshots");
before(() => {
  fs.mkdirSync(SHOTS, { recursive: true });
});

/** Look-alike domains block; the mail also has warnings, each with its 「確認しました」 tick. */
const POLICY = { internalDomains: ["corp.example"], rules: { "lookalike-domain": { severity: "block" } } };

const MAIL = {
  from: "山田 太郎 <yamada@corp.example>",
  to: ["佐藤 花子 <sato@corp.example>", "田中 一郎 <tanaka@partner.example>", "info@corp-exarnple.com"],
  cc: ["client@other.example"],
  subject: "【ご確認】お見積書の送付（〇〇様）",
  body: "〇〇様\nお見積書を添付いたします。",
  attachments: [{ name: "お見積書.pdf", size: 245760 }],
};

/**
 * A mail to `n` people of one outside company and one of another, all visible in To.
 * @param {number} n
 */
function bulkMail(n) {
  return {
    from: "yamada@corp.example",
    to: [...Array.from({ length: n }, (_, i) => `person${i}@partner.example`), "someone@other.example"],
    subject: "Seminar",
    body: "Hello all.",
  };
}

test("the focus ring of the first 「確認しました」 tick covers no character of its label", async () => {
  const review = await realReview(POLICY, MAIL, "ja");
  await withDialog(served, { review, lang: "ja" }, async (page) => {
    await page.keyboard.press("Tab");
    await page.focus("#findings .ack input");
    const m = await page.evaluate(() => {
      const input = /** @type {HTMLInputElement} */ (document.querySelector("#findings .ack input"));
      const label = /** @type {HTMLElement} */ (input.closest("label"));
      const text = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim());
      const range = document.createRange();
      range.selectNodeContents(/** @type {Node} */ (text));
      const style = getComputedStyle(input);
      return {
        focusVisible: input.matches(":focus-visible"),
        text: text?.textContent,
        ringRight: input.getBoundingClientRect().right + parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth),
        textLeft: range.getBoundingClientRect().left,
      };
    });
    assert.equal(m.focusVisible, true, "the tick shows its focus ring");
    assert.equal(m.text, "確認しました");
    assert.ok(m.ringRight < m.textLeft, `the ring ends at ${m.ringRight}px, before the label's first character at ${m.textLeft}px`);
    await page.locator("#findings .finding:has(.ack)").first().screenshot({ path: path.join(SHOTS, "layout-ack-focus-ja.png") });
  });
});

test("the Remove button of a look-alike recipient keeps clear of the row's marks", async () => {
  const review = await realReview(POLICY, MAIL, "ja");
  for (const width of [520, 760]) {
    await withDialog(served, { review, lang: "ja", viewport: { width, height: 900 } }, async (page) => {
      const row = page.locator('[data-kind="recipient"][data-address="info@corp-exarnple.com"]');
      const gaps = await row.evaluate((r) => {
        const button = /** @type {HTMLElement} */ (r.querySelector(".row-actions button")).getBoundingClientRect();
        return [...r.querySelectorAll(".mark")].map((mark) => {
          const m = mark.getBoundingClientRect();
          const overlapsVertically = m.top < button.bottom && button.top < m.bottom;
          return overlapsVertically ? button.left - m.right : Infinity;
        });
      });
      assert.ok(gaps.length > 0, "the row has its look-alike mark");
      for (const gap of gaps) assert.ok(gap >= 6, `at ${width}px the button is ${gap}px from a mark beside it`);
      await row.screenshot({ path: path.join(SHOTS, `layout-remove-button-${width}.png`) });
    });
  }
});

test("the marks every recipient of a group shares are shown once for the group, not on each row", async () => {
  for (const n of [12, 1000]) {
    const review = await realReview({ internalDomains: ["corp.example"] }, bulkMail(n), "ja");
    const codes = review.findings.map((/** @type {any} */ f) => f.code);
    assert.ok(codes.includes("bulk-visible-recipients") && codes.includes("mixed-external-domains"), codes.join(", "));
    await withDialog(served, { review, lang: "ja" }, async (page) => {
      const counts = await page.evaluate(() => {
        const group = /** @type {HTMLElement} */ (document.querySelector('[data-domain-group="partner.example"]'));
        const firstTick = /** @type {HTMLInputElement} */ (group.querySelector(".rows .tick"));
        const described = (firstTick.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
        return {
          onRows: group.querySelectorAll(".rows .mark").length,
          onGroup: [...group.querySelectorAll(".group-marks .mark")].map((m) => /** @type {HTMLElement} */ (m).dataset.code).sort(),
          total: document.querySelectorAll("#external .mark").length,
          describedByGroup: described.every((id) => document.getElementById(id)?.closest(".group-marks")) && described.length === 2,
          worstOnRow: firstTick.closest(".row")?.classList.contains("has-warn"),
        };
      });
      assert.equal(counts.onRows, 0, `${n} rows repeat no shared mark`);
      assert.deepEqual(counts.onGroup, ["bulk-visible-recipients", "mixed-external-domains"]);
      assert.ok(counts.total <= 4, `${counts.total} marks in the external section for ${n + 1} recipients (two groups, two marks each at most)`);
      assert.ok(counts.describedByGroup, "each row's tick is still described by the group's marks");
      assert.ok(counts.worstOnRow, "each row still shows the worst severity that concerns it");
      if (n === 12) await page.locator("#external").screenshot({ path: path.join(SHOTS, "layout-bulk-group-marks-ja.png") });
    });
  }
});

test("the footer offers Enter to send only when something could be sent", async () => {
  const blocked = await realReview(POLICY, MAIL, "ja");
  assert.equal(blocked.verdict, "block");
  await withDialog(served, { review: blocked, lang: "ja" }, async (page) => {
    const keys = await page.locator(".footer .keys").textContent();
    assert.doesNotMatch(keys ?? "", /Enter/);
    assert.match(keys ?? "", /Esc: キャンセル/);
    await page.locator(".footer").screenshot({ path: path.join(SHOTS, "layout-footer-blocked-ja.png") });
  });
  const open = await realReview({ internalDomains: ["corp.example"] }, { ...MAIL, to: ["sato@corp.example"], cc: [] }, "ja");
  assert.notEqual(open.verdict, "block");
  await withDialog(served, { review: open, lang: "ja" }, async (page) => {
    assert.match((await page.locator(".footer .keys").textContent()) ?? "", /Enter: 送信/);
  });
});
