// @ts-check
/**
 * The add-on's own pages under a Simplified Chinese Thunderbird (UI language zh-CN, which
 * picks _locales/zh_CN): the confirmation dialog and the options page speak Chinese, and
 * screenshots (dialog-zh.png, options-zh.png) show them for review by eye. The engine's
 * findings are in English until it speaks Chinese itself.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import { collectErrors, REPO_ROOT, screenshot, useBrowser } from "./lib/browser.mjs";
import { installFakeMessenger } from "./lib/fake-messenger.mjs";
import { openDialog, readDialog } from "./lib/dialog-page.mjs";
import { realReview } from "./lib/reviews.mjs";

const served = useBrowser();

/** @type {Record<string, { message: string }>} */
const zh = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "extension", "_locales", "zh_CN", "messages.json"), "utf8"));
/** @param {string} key */
const text = (key) => zh[key].message;

/** Japanese kana: a text taken from the Japanese locale by mistake. */
const KANA = /[\u3040-\u30ff]/;

const POLICY = { internalDomains: ["corp.example"], dialog: { confirmSender: true } };

/** A mail from a Chinese office: a partner, a look-alike of the company's domain, an attachment. */
const MAIL = {
  from: "王芳 <wangfang@corp.example>",
  to: ["李明 <liming@corp.example>", "张伟 <zhangwei@partner.example>", "info@c0rp.example"],
  cc: ["client@other.example"],
  bcc: [],
  subject: "报价单（请确认）",
  body: "张总：\n您好！报价单见附件，请查收。",
  attachments: [{ name: "报价单_2026.pdf", size: 245760 }],
};

test("the confirmation dialog in Simplified Chinese", async () => {
  const review = await realReview(POLICY, MAIL, "zh-CN");
  const { page, errors } = await openDialog(served.browser, served.url, { review, lang: "zh-CN" });
  try {
    const shown = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      title: document.getElementById("title")?.textContent,
      send: document.getElementById("send")?.textContent,
      cancel: document.getElementById("cancel")?.textContent,
      // The dialog's own words, without what comes from the mail or the engine.
      chrome: [...document.querySelectorAll("h1, h2, h3, button, label, .section-title, .hint, .progress, .verdict")]
        .map((el) => /** @type {HTMLElement} */ (el).innerText)
        .join("\n"),
    }));
    assert.equal(shown.lang, "zh-CN");
    assert.equal(shown.title, text("dialogTitle"));
    assert.match(shown.send ?? "", new RegExp(text("send")));
    assert.match(shown.cancel ?? "", new RegExp(text("cancel")));
    assert.doesNotMatch(shown.chrome, KANA);
    const dialog = await readDialog(page);
    assert.equal(dialog.sendDisabled, true, "Send waits for every tick, in any language");
    assert.ok(dialog.recipients.length >= 4);
    const file = await screenshot(page, "dialog-zh");
    assert.ok(fs.statSync(file).size > 10_000);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test("the options page in Simplified Chinese", async () => {
  const page = await served.browser.newPage({ viewport: { width: 900, height: 1200 } });
  const errors = collectErrors(page);
  try {
    await installFakeMessenger(page, { lang: "zh-CN", managed: { internalDomains: ["corp.example"], rules: { "external-recipient": { severity: "warn" } } } });
    await page.goto(`${served.url}extension/options/options.html`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === "1", null, { timeout: 10000 });
    assert.equal(await page.title(), text("optionsTitle"));
    assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
    const body = await page.locator("body").innerText();
    for (const key of ["optStatus", "optAdminPolicy", "optDomains", "optRules", "optKeywords", "optDialog", "optSetByAdmin"]) {
      assert.ok(body.includes(text(key)), `${key}: ${text(key)}`);
    }
    // Only the engine's check summaries may be in another language; the page's own headings
    // and buttons are Chinese.
    const chrome = await page.evaluate(() =>
      [...document.querySelectorAll("h1, h2, h3, button, th, legend")].map((el) => /** @type {HTMLElement} */ (el).innerText).join("\n"),
    );
    assert.doesNotMatch(chrome, KANA);
    const file = await screenshot(page, "options-zh");
    assert.ok(fs.statSync(file).size > 10_000);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
