// @ts-check
/**
 * Opens the add-on's confirmation dialog (extension/dialog/dialog.html) in Chromium with the
 * fake messenger API, and reads back what a person would see.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import { collectErrors, REPO_ROOT } from "./browser.mjs";
import { installFakeMessenger, sent } from "./fake-messenger.mjs";

/**
 * The page loads the script and style sheet `cargo xtask dist` bundles from the dialog's
 * sources with esbuild (xtask/src/bundle.rs): a test of a stale bundle would test old code.
 */
function assertBundleFresh() {
  const dir = path.join(REPO_ROOT, "extension", "dialog");
  const sources = fs.readdirSync(dir).filter((f) => /\.(js|css)$/.test(f) && !f.includes(".bundle."));
  const newest = Math.max(...sources.map((f) => fs.statSync(path.join(dir, f)).mtimeMs));
  for (const bundle of ["dialog.bundle.js", "dialog.bundle.css"]) {
    const file = path.join(dir, bundle);
    if (!fs.existsSync(file) || fs.statSync(file).mtimeMs < newest) {
      throw new Error(`extension/dialog/${bundle} is missing or older than the dialog's sources: run \`cargo xtask dist\``);
    }
  }
}
assertBundleFresh();

/**
 * @typedef {object} DialogOptions
 * @property {any} review
 * @property {"ja" | "en" | "zh-CN"} [lang]
 * @property {"light" | "dark"} [colorScheme]
 * @property {string[]} [problems]
 * @property {{ largeFonts?: boolean }} [display]
 * @property {Record<string, unknown>} [local]
 * @property {{ width: number, height: number }} [viewport]
 * @property {boolean} [fromBackground]  the page takes its review from the background's window
 */

/**
 * @param {import("playwright-core").Browser} browser
 * @param {string} baseUrl  the static server's URL (the repository root)
 * @param {DialogOptions} options
 */
export async function openDialog(browser, baseUrl, options) {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 760, height: 900 } });
  const errors = collectErrors(page);
  await page.emulateMedia({ colorScheme: options.colorScheme ?? "light" });
  await installFakeMessenger(page, {
    lang: options.lang ?? "en",
    review: options.review,
    problems: options.problems,
    display: options.display,
    local: options.local,
    fromBackground: options.fromBackground,
  });
  await page.goto(`${baseUrl}extension/dialog/dialog.html?request=test-request`);
  // Shown, and every row built (a long list is completed after the first paint).
  await page.waitForFunction(() => document.documentElement.dataset.ready === "1" && document.documentElement.dataset.complete === "1", null, { timeout: 10000 });
  return { page, errors };
}

/**
 * Opens the dialog for a review and runs `body` with its page; the page must not log an error
 * or break its CSP. The page is closed afterwards, whatever `body` does.
 * @param {import("./browser.mjs").Served} served  the browser and server of `useBrowser()`
 * @param {DialogOptions} options
 * @param {(page: import("playwright-core").Page) => Promise<void>} body
 */
export async function withDialog(served, options, body) {
  const { page, errors } = await openDialog(served.browser, served.url, options);
  try {
    await body(page);
    assert.deepEqual(errors, [], "the page logged no error");
  } finally {
    await page.close();
  }
}

/**
 * What the dialog shows, as plain data.
 * @param {import("playwright-core").Page} page
 */
export function readDialog(page) {
  return page.evaluate(() => {
    const send = /** @type {HTMLButtonElement} */ (document.getElementById("send"));
    const rows = (/** @type {string} */ kind) =>
      [...document.querySelectorAll(`[data-kind="${kind}"]`)].map((el) => {
        const box = /** @type {HTMLInputElement | null} */ (el.querySelector("input.tick, input.retype"));
        return {
          data: { .../** @type {HTMLElement} */ (el).dataset },
          text: /** @type {HTMLElement} */ (el).innerText.replace(/\s+/g, " ").trim(),
          ticked: box ? (box.type === "text" ? el.classList.contains("confirmed") : box.checked) : false,
          disabled: box ? box.disabled : true,
          marks: [...el.querySelectorAll(".mark")].map((m) => m.getAttribute("data-code")),
        };
      });
    return {
      sendDisabled: send.disabled,
      sendText: send.textContent,
      progress: document.getElementById("progress")?.textContent ?? "",
      blockReasonShown: !(/** @type {HTMLElement} */ (document.getElementById("block-reason")).hidden),
      verdict: document.querySelector("#findings .verdict")?.textContent ?? "",
      findings: [...document.querySelectorAll("#findings .finding")].map((f) => ({
        code: f.getAttribute("data-code"),
        severity: f.getAttribute("data-severity"),
        text: /** @type {HTMLElement} */ (f).innerText.replace(/\s+/g, " ").trim(),
      })),
      recipients: rows("recipient"),
      attachments: rows("attachment"),
      sender: rows("sender")[0] ?? null,
      warnTicks: rows("finding"),
      renders: Number(document.documentElement.dataset.renders ?? 0),
    };
  });
}

/**
 * Clicks every unticked checkbox of the given kinds, one real click each.
 * @param {import("playwright-core").Page} page
 * @param {string[]} [kinds]
 */
export async function tickAll(page, kinds = ["sender", "finding", "recipient", "attachment"]) {
  for (const kind of kinds) {
    const boxes = page.locator(`[data-kind="${kind}"] input.tick:not(:checked):not(:disabled)`);
    while ((await boxes.count()) > 0) await boxes.first().click();
  }
}

/**
 * Waits until the page posted a message of this type, and returns it.
 * @param {import("playwright-core").Page} page
 * @param {string} type
 * @param {number} [timeout]
 */
export async function waitForPosted(page, type, timeout = 5000) {
  await page.waitForFunction((t) => /** @type {any} */ (window).__fake.sent.some((/** @type {any} */ m) => m.type === t), type, { timeout });
  return (await sent(page)).filter((m) => m.type === type);
}
