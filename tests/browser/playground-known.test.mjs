// @ts-check
/**
 * What the PC knows, in the playground (issue #12), in Debian's Chromium: every golden case that
 * brings address books or a Sent history (tests/cases, `context`) is typed into the page as an
 * admin would, its address book into the "address book" box (a card's organisation after a |),
 * its Sent addresses into the Sent box, and its real files chosen with the file button; the page
 * must show exactly the findings the case expects, as the add-on and the CLI do.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, screenshot } from "./lib/browser.mjs";
import { buildPlayground, settled, shown, typePolicy, usePlayground } from "./lib/playground.mjs";

buildPlayground();

const CASES = path.join(REPO_ROOT, "tests", "cases");

const playground = usePlayground();

/**
 * The golden cases with a context that the page can take: recipients as text and no person's
 * own settings (the playground has a policy, not a person).
 */
const cases = fs
  .readdirSync(CASES)
  .filter((name) => name.endsWith(".json"))
  .sort()
  .map((name) => ({ name, c: JSON.parse(fs.readFileSync(path.join(CASES, name), "utf8")) }))
  .filter(({ c }) => c.context && !c.user)
  .filter(({ c }) => ["to", "cc", "bcc"].every((f) => (c.draft[f] ?? []).every((/** @type {unknown} */ r) => typeof r === "string")));

test("the golden cases that know something are all run here", () => {
  assert.ok(cases.length >= 20, `only ${cases.length} cases`);
  for (const code of ["salutation-mismatch", "similar-recipient", "first-time-recipient", "attachment-for-other-party"]) {
    assert.ok(
      cases.some(({ c }) => c.expect.findings.some((/** @type {{ code: string }} */ f) => f.code === code)),
      `a case where ${code} fires`,
    );
  }
});

/**
 * An address-book entry as a line of the page's box: `Name <addr> | Organisation` for a card.
 * @param {string | { address: string, name?: string | null, org?: string | null }} entry
 */
function contactLine(entry) {
  if (typeof entry === "string") return entry;
  const who = entry.name ? `"${entry.name}" <${entry.address}>` : entry.address;
  return entry.org ? `${who} | ${entry.org}` : who;
}

for (const { name, c } of cases) {
  test(`the page shows what the case expects: ${name}`, async () => {
    const { page, done } = await playground.open({ locale: "en-US" });
    await typePolicy(page, JSON.stringify(c.policy ?? {}, null, 2));
    const d = c.draft;
    await page.fill("#from", d.from ?? "");
    for (const field of ["to", "cc", "bcc"]) await page.fill(`#${field}`, (d[field] ?? []).join("\n"));
    await page.fill("#subject", d.subject ?? "");
    await page.fill("#body", d.body ?? "");
    await page.click("#known summary");
    await page.fill("#contacts", (c.context.contacts ?? []).map(contactLine).join("\n"));
    if (Array.isArray(c.context.sent)) {
      await page.check("#sent-known");
      await page.fill("#sent", c.context.sent.join("\n"));
    }
    for (const a of d.attachments ?? []) {
      if (a.file) {
        const buffer = fs.readFileSync(path.join(REPO_ROOT, "tests", a.file));
        await page.setInputFiles("#attachment-files", { name: a.name, mimeType: "application/octet-stream", buffer });
      } else {
        await page.click("#add-attachment");
        const row = page.locator(".attachment-row").last();
        await row.locator("input.name").fill(a.name);
        await row.locator("input.size").fill(a.size === null || a.size === undefined ? "" : String(a.size));
      }
    }
    await page.waitForFunction(() => (document.getElementById("mail")?.dataset.inspecting ?? "0") === "0");
    await settled(page);
    const s = await shown(page);
    const found = await page.$$eval("#findings li[data-code]", (items) =>
      items.map((li) => `${/** @type {HTMLElement} */ (li).dataset.code} ${/** @type {HTMLElement} */ (li).dataset.severity}`).sort(),
    );
    const expected = c.expect.findings.map((/** @type {{ code: string, severity: string }} */ f) => `${f.code} ${f.severity}`).sort();
    assert.deepEqual(found, expected);
    assert.equal(s.verdict, c.expect.verdict);
    if (name === "salutation-mismatch-card-organisation-wrong-company-fires.json") await screenshot(page, "playground-known");
    await done();
  });
}
