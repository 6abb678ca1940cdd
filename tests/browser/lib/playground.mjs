// @ts-check
/**
 * The policy playground (dist/www/, as `cargo xtask www` builds it) in Debian's Chromium, for
 * the playground's test files: opening the page, waiting for it to settle, and reading what it
 * shows.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { REPO_ROOT, collectErrors, useBrowser } from "./browser.mjs";

export const WWW = path.join(REPO_ROOT, "dist", "www");
export const FIXTURES = path.join(REPO_ROOT, "tests", "browser", "fixtures", "eml");

/** Builds the page the way `cargo xtask www` serves it. */
export function buildPlayground() {
  execFileSync("cargo", ["xtask", "www", "--build-only"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/**
 * @typedef {{ locale?: string, hash?: string, width?: number, height?: number }} OpenOptions
 * @typedef {{ page: import("playwright-core").Page, done: () => Promise<void> }} OpenPage
 */

/**
 * Serves dist/www/ and starts Chromium before the calling test file's tests, and closes both
 * after them; `open` opens a page (inside the tests, once the `before` hook has run).
 * @returns {{ open: (options?: OpenOptions) => Promise<OpenPage> }}
 */
export function usePlayground() {
  const served = useBrowser(WWW);
  return { open: (options) => open(served.browser, served.url, options) };
}

/**
 * Opens the playground and records its errors and requests. `done()` asserts that the page
 * threw nothing, broke no CSP rule, and asked nothing of any host but the local server.
 * @param {import("playwright-core").Browser} browser
 * @param {string} url
 * @param {OpenOptions} [options]
 * @returns {Promise<OpenPage>}
 */
async function open(browser, url, { locale = "ja-JP", hash = "", width = 1366, height = 768 } = {}) {
  const context = await browser.newContext({ locale, viewport: { width, height }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  /** @type {string[]} */
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${url}${hash}`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === "1", null, { timeout: 15000 });
  await settled(page);
  return {
    page,
    done: async () => {
      const origin = new URL(url).origin;
      const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`) && !u.startsWith("data:"));
      assert.deepEqual(foreign, [], "every request stays on the local server");
      assert.ok(requests.every((u) => u.startsWith("data:") || new URL(u.replace(/^blob:/, "")).hostname === "127.0.0.1"));
      assert.deepEqual(errors, []);
      await context.close();
    },
  };
}

/** @param {import("playwright-core").Page} page waits until no check, file read or URL update is pending */
export async function settled(page) {
  await page.waitForFunction(() => document.body.dataset.busy === "0", null, { timeout: 10000 });
}

/**
 * What the page shows: the diagnostics, the verdict, the findings and the preview's rows.
 * @param {import("playwright-core").Page} page
 */
export async function shown(page) {
  return page.evaluate(() => {
    const frame = /** @type {HTMLIFrameElement} */ (document.getElementById("preview")).contentDocument;
    const all = (/** @type {ParentNode} */ root, /** @type {string} */ sel) => [...root.querySelectorAll(sel)];
    return {
      diagnostics: all(document, "#diagnostics li.diagnostic").map((li) => ({
        path: /** @type {HTMLElement} */ (li).dataset.path,
        line: /** @type {HTMLElement} */ (li).dataset.line ?? null,
        text: li.textContent,
      })),
      summary: document.getElementById("policy-summary")?.dataset.state,
      verdict: document.getElementById("verdict")?.dataset.verdict,
      codes: all(document, "#findings li[data-code]").map((li) => /** @type {HTMLElement} */ (li).dataset.code),
      previewCodes: all(/** @type {Document} */ (frame), "li.finding").map((li) => /** @type {HTMLElement} */ (li).dataset.code),
      previewRecipients: all(/** @type {Document} */ (frame), "[data-kind=recipient]").map((r) => ({
        field: /** @type {HTMLElement} */ (r).dataset.field,
        address: /** @type {HTMLElement} */ (r).dataset.address,
      })),
      previewAttachments: all(/** @type {Document} */ (frame), "[data-kind=attachment]").map((r) => ({
        name: /** @type {HTMLElement} */ (r).dataset.name,
        size: /** @type {HTMLElement} */ (r).dataset.size,
      })),
      previewTitle: frame?.getElementById("title")?.textContent,
    };
  });
}

/**
 * The mail form's values.
 * @param {import("playwright-core").Page} page
 */
export async function form(page) {
  return page.evaluate(() => {
    const value = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ (document.getElementById(id)).value;
    return {
      from: value("from"),
      to: value("to"),
      cc: value("cc"),
      bcc: value("bcc"),
      subject: value("subject"),
      body: value("body"),
      attachments: [...document.querySelectorAll(".attachment-row")].map((row) => ({
        name: /** @type {HTMLInputElement} */ (row.querySelector("input.name")).value,
        size: /** @type {HTMLInputElement} */ (row.querySelector("input.size")).value,
      })),
    };
  });
}

/**
 * Types a policy into the editor as a user would (an input event per change) and waits for
 * the check.
 * @param {import("playwright-core").Page} page
 * @param {string} text
 */
export async function typePolicy(page, text) {
  await page.fill("#policy", text);
  await settled(page);
}
