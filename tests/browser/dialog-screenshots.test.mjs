// @ts-check
/**
 * Screenshots of the dialog as people see it, in Japanese and English, light and dark, with
 * the engine's findings of every severity, written to target/screenshots/ for review by eye:
 * dialog-{ja,en}-{light,dark}.png, dialog-ja-countdown.png, dialog-ja-large.png,
 * dialog-en-fixed.png, dialog-ja-retype.png.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";

import { screenshot, useBrowser } from "./lib/browser.mjs";
import { deliver } from "./lib/fake-messenger.mjs";
import { openDialog, tickAll } from "./lib/dialog-page.mjs";
import { realReview } from "./lib/reviews.mjs";

const served = useBrowser();

/** A strict admin: look-alike domains block, and confidential attachments are named. */
const POLICY = {
  internalDomains: ["corp.example"],
  dialog: { confirmSender: true, countdownSeconds: 5 },
  rules: { "lookalike-domain": { severity: "block" } },
  keywords: [
    {
      id: "confidential",
      pattern: "社外秘|(?i)confidential",
      in: ["attachment-name"],
      severity: "warn",
      message: { ja: "添付ファイル名に「社外秘」が含まれています。", en: "An attachment name contains “CONFIDENTIAL”." },
    },
  ],
};

/**
 * A realistic mail in each language, with findings of every severity: a look-alike domain
 * (block), outside domains that see each other, a placeholder left in, a confidential
 * attachment (warn), and external recipients (info).
 */
const MAILS = {
  ja: {
    from: "山田 太郎 <yamada@corp.example>",
    to: ["佐藤 花子 <sato@corp.example>", "田中 一郎 <tanaka@partner.example>", "suzuki@partner.example", "info@corp-exarnple.com"],
    cc: [{ value: "営業一課 <sales1@corp.example>", list: "営業部" }, "client@other.example"],
    bcc: ["archive@corp.example"],
    subject: "【ご確認】お見積書の送付（〇〇様）",
    body: "〇〇様\nいつもお世話になっております。\nお見積書を添付いたします。",
    attachments: [{ name: "お見積書_2024年度.pdf", size: 245760 }, { name: "顧客リスト_社外秘.xlsx", size: 1536000 }],
  },
  en: {
    from: "Taro Yamada <yamada@corp.example>",
    to: ["Hanako Sato <sato@corp.example>", "Ichiro Tanaka <tanaka@partner.example>", "suzuki@partner.example", "info@corp-exarnple.com"],
    cc: [{ value: "Sales One <sales1@corp.example>", list: "Sales" }, "client@other.example"],
    bcc: ["archive@corp.example"],
    subject: "Your quote for XX Corp.",
    body: "Dear XX,\nPlease find our quote attached.",
    attachments: [{ name: "Quote_2024.pdf", size: 245760 }, { name: "customers_CONFIDENTIAL.xlsx", size: 1536000 }],
  },
};

/** @param {"ja" | "en"} lang */
async function richReview(lang) {
  const review = await realReview(POLICY, MAILS[lang], lang);
  const codes = review.findings.map((f) => `${f.severity} ${f.code}`);
  assert.deepEqual(codes.sort(), ["block lookalike-domain", "info external-recipient", "warn keyword", "warn mixed-external-domains", "warn placeholder"]);
  return review;
}

/**
 * @param {import("./lib/dialog-page.mjs").DialogOptions} options
 * @param {string} name
 * @param {(page: import("playwright-core").Page) => Promise<void>} [before]
 */
async function shoot(options, name, before) {
  const { page, errors } = await openDialog(served.browser, served.url, options);
  try {
    if (before) await before(page);
    const file = await screenshot(page, name);
    assert.ok(fs.statSync(file).size > 10_000, `${file} is not empty`);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
}

for (const lang of /** @type {const} */ (["ja", "en"])) {
  for (const colorScheme of /** @type {const} */ (["light", "dark"])) {
    test(`screenshot: dialog-${lang}-${colorScheme}.png`, async () => {
      await shoot({ review: await richReview(lang), lang, colorScheme }, `dialog-${lang}-${colorScheme}`);
    });
  }
}

test("screenshot: the countdown, large fonts, a fix applied, retyped names", async () => {
  const plain = await realReview(POLICY, { ...MAILS.ja, to: MAILS.ja.to.slice(0, 3) }, "ja");
  await shoot({ review: plain, lang: "ja" }, "dialog-ja-countdown", async (page) => {
    await tickAll(page);
    await page.click("#send");
    await page.waitForTimeout(1300);
  });
  await shoot({ review: await richReview("ja"), lang: "ja", display: { largeFonts: true } }, "dialog-ja-large");
  const en = await richReview("en");
  await shoot({ review: en, lang: "en", colorScheme: "dark" }, "dialog-en-fixed", async (page) => {
    const fixed = await realReview(POLICY, { ...MAILS.en, to: MAILS.en.to.slice(0, 1), cc: MAILS.en.cc.slice(0, 1), bcc: [...MAILS.en.bcc, ...MAILS.en.to.slice(1, 3), MAILS.en.cc[1]] }, "en");
    await deliver(page, { type: "review", review: fixed, problems: [], applied: [{ kind: "move-external-to-bcc", count: 3 }, { kind: "remove-recipient", address: "info@corp-exarnple.com" }] });
    await page.waitForFunction(() => document.documentElement.dataset.renders === "2");
  });
  const retype = await realReview({ ...POLICY, dialog: { retypeAttachmentNamesForExternal: true } }, MAILS.ja, "ja");
  await shoot({ review: retype, lang: "ja" }, "dialog-ja-retype", async (page) => {
    await page.locator("#attachment-0 input.retype").fill("お見積書_2024年度.pdf");
    await page.locator("#attachment-1 input.retype").fill("顧客リスト");
    await page.evaluate(() => document.querySelector("#attachments")?.scrollIntoView());
  });
});
