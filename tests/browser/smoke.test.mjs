// @ts-check
/** The browser harness itself: Debian's Chromium loads the engine through the add-on's wrapper. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, REPO_ROOT, collectErrors } from "./lib/browser.mjs";
import { serve } from "./lib/server.mjs";

test("a page served from the repository loads the wasm engine in Chromium", async () => {
  const server = await serve(REPO_ROOT);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.url}tests/browser/fixtures/engine.html`);
    await page.waitForFunction(() => document.body.dataset.done === "1", null, { timeout: 10000 });
    const text = await page.textContent("#out");
    assert.match(text ?? "", /^engine \d+\.\d+\.\d+: 1 recipient, external$/);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
