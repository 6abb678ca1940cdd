// @ts-check
/**
 * Debian's Chromium, driven by playwright-core. Never a downloaded browser: the path is
 * /usr/bin/chromium (installed by `cargo xtask test` from Debian's package).
 */
import fs from "node:fs";
import path from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

import { serve } from "./server.mjs";

export const REPO_ROOT = path.resolve(new URL("../../..", import.meta.url).pathname);
export const SCREENSHOTS = path.join(REPO_ROOT, "target", "screenshots");

const EXECUTABLE = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** @returns {Promise<import("playwright-core").Browser>} */
export async function launch() {
  if (!fs.existsSync(EXECUTABLE)) {
    throw new Error(`${EXECUTABLE} is missing: install Debian's chromium (cargo xtask test does it)`);
  }
  return chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * @typedef {object} Served
 * @property {import("playwright-core").Browser} browser Chromium, started before the file's tests
 * @property {string} url the server's address, ending in "/"
 */

/**
 * Serves `root` and starts Chromium before the calling test file's tests, and closes both after
 * them. The fields are set once the `before` hook has run: read them inside the tests.
 * @param {string} [root] the folder to serve; the repository by default
 * @returns {Served}
 */
export function useBrowser(root = REPO_ROOT) {
  const served = /** @type {Served} */ ({});
  /** @type {{ url: string, close: () => Promise<void> } | undefined} */
  let server;
  before(async () => {
    server = await serve(root);
    served.url = server.url;
    served.browser = await launch();
  });
  after(async () => {
    await served.browser?.close();
    await server?.close();
  });
  return served;
}

/**
 * Writes a screenshot of the page to target/screenshots/<name>.png and returns its path.
 * @param {import("playwright-core").Page} page
 * @param {string} name
 */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/**
 * Fails the page on any uncaught error or CSP violation, so that a broken page cannot pass
 * by showing nothing.
 * @param {import("playwright-core").Page} page
 * @returns {string[]} the errors seen so far (the array fills as they come)
 */
export function collectErrors(page) {
  /** @type {string[]} */
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // Chromium asks every origin for a favicon; its 404 says nothing about the page.
    if (m.type() === "error" && !m.location().url.endsWith("/favicon.ico")) errors.push(`console: ${m.text()}`);
  });
  return errors;
}
