// @ts-check
/**
 * Debian's Chromium, driven by playwright-core. Never a downloaded browser: the path is
 * /usr/bin/chromium (installed by `cargo xtask test` from Debian's package).
 */
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

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
