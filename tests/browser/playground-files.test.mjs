// @ts-check
/**
 * Real files as attachments in the playground (issue #14), in Debian's Chromium: a workbook of
 * customers dropped on the attachments box, and one chosen with the file button from the
 * keyboard, are inspected in the page with the add-on's own inspector, and the result and the
 * dialog preview show `attachment-personal-data` on that attachment, as Thunderbird does.
 * The page still asks nothing of any host but its own (lib/playground.mjs checks every request).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, screenshot } from "./lib/browser.mjs";
import { buildPlayground, settled, shown, typePolicy, usePlayground } from "./lib/playground.mjs";

buildPlayground();

const CUSTOMERS = path.join(REPO_ROOT, "tests", "attachments", "customers.xlsx");
const PRICES = path.join(REPO_ROOT, "tests", "attachments", "price-list.xlsx");

const playground = usePlayground();

/**
 * A mail to a partner with nothing attached yet, under a policy that knows the internal domain.
 * @param {import("playwright-core").Page} page
 */
async function mailToPartner(page) {
  await typePolicy(page, JSON.stringify({ internalDomains: ["corp.example"] }, null, 2));
  await page.fill("#from", "Sato <sato@corp.example>");
  await page.fill("#to", "tanaka@partner.example");
  await page.fill("#subject", "資料の送付");
  await page.fill("#body", "田中様\n\n資料をお送りします。\n");
  await page.evaluate(() => {
    for (const button of document.querySelectorAll(".attachment-row button.remove")) /** @type {HTMLButtonElement} */ (button).click();
  });
  await settled(page);
}

/**
 * Waits until every dropped or chosen file is inspected and the mail checked with it.
 * @param {import("playwright-core").Page} page
 */
async function inspected(page) {
  await page.waitForFunction(() => (document.getElementById("mail")?.dataset.inspecting ?? "0") === "0", null, { timeout: 15000 });
  await settled(page);
}

/**
 * The preview's attachment rows with the codes of their marks and their texts.
 * @param {import("playwright-core").Page} page
 */
function previewAttachments(page) {
  return page.evaluate(() => {
    const frame = /** @type {HTMLIFrameElement} */ (document.getElementById("preview")).contentDocument;
    return [...(frame?.querySelectorAll("[data-kind=attachment]") ?? [])].map((row) => ({
      name: /** @type {HTMLElement} */ (row).dataset.name,
      inspection: /** @type {HTMLElement} */ (row).dataset.inspection,
      marks: [...row.querySelectorAll(".mark")].map((m) => /** @type {HTMLElement} */ (m).dataset.code),
      text: row.textContent ?? "",
    }));
  });
}

test("a customer list dropped on the attachments box is inspected in the page: attachment-personal-data on that file", async () => {
  const { page, done } = await playground.open({ locale: "ja-JP", width: 1366, height: 900 });
  await mailToPartner(page);
  assert.ok(!(await shown(page)).codes.includes("attachment-personal-data"));
  const bytes = [...fs.readFileSync(CUSTOMERS)];
  await page.evaluate((bytes) => {
    const box = /** @type {HTMLElement} */ (document.querySelector("fieldset.attachments"));
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], "customers.xlsx", { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }));
    box.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
    box.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, bytes);
  await inspected(page);
  const s = await shown(page);
  assert.ok(s.codes.includes("attachment-personal-data"), `the result lists the finding (${s.codes.join(", ")})`);
  const rows = await previewAttachments(page);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].name, "customers.xlsx");
  assert.equal(rows[0].inspection, "inspected");
  assert.ok(rows[0].marks.includes("attachment-personal-data"), `the preview marks that attachment (${rows[0].marks.join(", ")})`);
  assert.match(rows[0].text, /Sheet1/, "the finding names the sheet inside the file");
  const state = await page.textContent(".attachment-row output.contents-state");
  assert.equal(state, "中身を確認しました");
  // The size field shows the file's real size.
  assert.equal(await page.inputValue(".attachment-row input.size"), String(bytes.length));
  await page.locator(".mail-panel fieldset.attachments").scrollIntoViewIfNeeded();
  await screenshot(page, "playground-dropped-customers-xlsx");
  // The policy's `minRows` is the inspector's to apply: changing it reads the file again under it.
  const policy = (/** @type {number} */ minRows) =>
    JSON.stringify({ internalDomains: ["corp.example"], rules: { "attachment-personal-data": { minRows } } }, null, 2);
  await typePolicy(page, policy(100));
  await inspected(page);
  assert.ok(!(await shown(page)).codes.includes("attachment-personal-data"), "50 rows are fewer than minRows 100");
  await typePolicy(page, policy(20));
  await inspected(page);
  assert.ok((await shown(page)).codes.includes("attachment-personal-data"), "50 rows are a list again with minRows 20");
  await done();
});

test("the file button works from the keyboard; a price list gives no personal-data finding", async () => {
  const { page, done } = await playground.open({ locale: "en-US" });
  await mailToPartner(page);
  await page.focus("#add-attachment");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "add-files", "the file button is the next stop after “Add an attachment”");
  // Waiting for the chooser turns on Chromium's interception of file dialogs with a protocol command of
  // its own; one round trip to the page after it makes sure the command took effect before the key is
  // pressed, or the key would open an ordinary (invisible) dialog instead.
  const chosen = page.waitForEvent("filechooser");
  await page.evaluate(() => 0);
  await page.keyboard.press("Enter");
  const chooser = await chosen;
  assert.ok(chooser.isMultiple(), "several files may be chosen at once");
  await chooser.setFiles([PRICES, CUSTOMERS]);
  await inspected(page);
  const rows = await previewAttachments(page);
  assert.deepEqual(rows.map((r) => [r.name, r.inspection]), [["price-list.xlsx", "inspected"], ["customers.xlsx", "inspected"]]);
  assert.deepEqual(rows[0].marks.filter((c) => c === "attachment-personal-data"), [], "a price list is not a table of people");
  assert.ok(rows[1].marks.includes("attachment-personal-data"));
  // A share link carries the names and sizes, never the files' contents.
  const hash = await page.evaluate(() => location.hash);
  assert.ok(hash.length < 4000, `the link stays short (${hash.length} characters)`);
  await done();
});
