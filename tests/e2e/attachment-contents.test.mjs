// @ts-check
/**
 * Attachment contents in a real Thunderbird (issue #14): the dialog opens at once with every
 * attachment being checked, the background reads the files (`compose.getAttachmentFile`) and
 * inspects them in its worker, and the dialog then shows what was found on the attachment.
 * (a) a customer list to an outside address: `attachment-personal-data` on that attachment;
 * (b) an attachment over the admin's `inspection.maxBytes`: `attachment-not-inspected` on it, and
 *     the person can still tick it and send (fail closed: visible, decided by the person);
 * (c) a mail without attachments never loads the inspector: the background starts no worker.
 *
 * Run with `node --test tests/e2e/attachment-contents.test.mjs` after `cargo xtask dist`.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";

import { waitForDialog } from "./lib/dialog.mjs";
import { inBackground } from "./lib/background.mjs";
import { appendTiming, sharedThunderbird } from "./lib/scenario.mjs";
import { REPO_ROOT } from "./lib/thunderbird.mjs";

const CUSTOMERS = path.join(REPO_ROOT, "tests", "attachments", "customers.xlsx");
const SCREENSHOT = path.join(REPO_ROOT, "target", "screenshots", "e2e-attachment-personal-data.png");

/**
 * What the background has done, as it counts it.
 * @param {import("./lib/marionette.mjs").Marionette} m
 * @returns {Promise<{ inspectionWorkers: number, inspections: number }>}
 */
function stats(m) {
  return inBackground(m, `const s = page.misendGuardStats; return { inspectionWorkers: s.inspectionWorkers, inspections: s.inspections };`);
}

/**
 * The attachment rows: their inspection state, the codes of their marks and their text.
 * @param {import("./lib/dialog.mjs").Dialog} dialog
 * @returns {Promise<{ name: string, inspection: string, marks: string[], text: string, checking: boolean }[]>}
 */
function attachmentRows(dialog) {
  return dialog.execute(
    `return [...document.querySelectorAll('[data-kind="attachment"]')].map((row) => ({
       name: row.dataset.name,
       inspection: row.dataset.inspection,
       marks: [...row.querySelectorAll(".mark")].map((m) => m.dataset.code),
       text: row.textContent,
       checking: !!row.querySelector(".inspecting-note"),
     }));`,
  );
}

/**
 * Waits until the dialog shows no attachment being checked; returns how many renders it took.
 * @param {import("./lib/dialog.mjs").Dialog} dialog
 * @param {number} timeoutMs
 */
async function waitForInspected(dialog, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rows = await attachmentRows(dialog);
    if (rows.length > 0 && rows.every((r) => r.inspection !== "pending")) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the attachments were still being checked after ${timeoutMs} ms`);
}

describe("with the default inspection limits", () => {
  const shared = sharedThunderbird({ name: "attachment-contents", policy: { internalDomains: ["corp.example"] } });

  test(
    "(c) a mail without attachments never starts the inspection worker",
    shared.scenario(async (tb) => {
      const compose = await shared.compose({ to: ["tanaka@partner.example"], subject: "No files", body: "Just text." });
      const clickedAt = await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      appendTiming(`send-click-to-dialog-ready-ms-no-attachment=${Date.now() - clickedAt} (first Send of the instance)`);
      await dialog.tickAll();
      await dialog.clickSend();
      await tb.sink.waitForMessage(10000);
      assert.deepEqual(await stats(tb.marionette), { inspectionWorkers: 0, inspections: 0 }, "the inspector was never loaded");
    }),
  );

  test(
    "(a) a customer list to an outside address: checking first, then attachment-personal-data on that attachment",
    shared.scenario(async (tb) => {
      const before = await stats(tb.marionette);
      const compose = await shared.compose({
        to: ["tanaka@partner.example"],
        subject: "顧客リスト",
        body: "田中様\n\nご依頼の資料です。",
        attachments: [CUSTOMERS],
      });
      const clickedAt = await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      const readyMs = Date.now() - clickedAt;
      const rows = await waitForInspected(dialog);
      const inspectedMs = Date.now() - clickedAt;
      assert.equal(rows.length, 1);
      assert.equal(rows[0].name, "customers.xlsx");
      assert.equal(rows[0].inspection, "inspected");
      assert.ok(rows[0].marks.includes("attachment-personal-data"), `the finding is on the attachment (${rows[0].marks.join(", ")})`);
      assert.match(rows[0].text, /Sheet1/, "it names the sheet inside the file");
      const after = await stats(tb.marionette);
      assert.equal(after.inspectionWorkers - before.inspectionWorkers, 1, "one worker for the mail");
      const findings = await dialog.execute(`return [...document.querySelectorAll("#findings .finding")].map((f) => f.dataset.code);`);
      assert.ok(findings.includes("attachment-personal-data"));
      await dialog.execute(`document.querySelector('[data-kind="attachment"]').scrollIntoView({ block: "center" });`);
      await dialog.screenshot(SCREENSHOT);
      appendTiming(`send-click-to-dialog-ready-ms-with-attachment=${readyMs} send-click-to-attachments-inspected-ms=${inspectedMs} file=customers.xlsx`);
      await dialog.tickAll();
      await dialog.clickSend();
      const message = await tb.sink.waitForMessage(10000);
      assert.ok(message.data.includes("customers.xlsx"), "the mail went out with its attachment, by the person's Send");
      await compose.waitForClosed(10000);
    }),
  );
});

describe("with an admin's inspection limit of 1 KB per attachment", () => {
  const shared = sharedThunderbird({
    name: "attachment-contents-limit",
    policy: { internalDomains: ["corp.example"], inspection: { maxBytes: 1024 } },
  });

  test(
    "(b) an attachment over the limit is shown as not inspected, and the person can still tick it and send",
    shared.scenario(async (tb) => {
      const compose = await shared.compose({ to: ["tanaka@partner.example"], subject: "Big file", body: "Attached.", attachments: [CUSTOMERS] });
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      const rows = await waitForInspected(dialog);
      assert.equal(rows[0].inspection, "failed");
      assert.ok(rows[0].marks.includes("attachment-not-inspected"), `the attachment says it was not inspected (${rows[0].marks.join(", ")})`);
      assert.ok(!rows[0].marks.includes("attachment-personal-data"), "nothing is claimed about a file that was not read");
      assert.equal((await stats(tb.marionette)).inspectionWorkers, 0, "a file over the limit is never read, so no worker starts");
      const state = await dialog.read();
      assert.equal(state.send?.disabled, true);
      await dialog.tickAll();
      assert.equal((await dialog.read()).send?.disabled, false, "ticked by hand, it can be sent");
      await dialog.clickSend();
      const message = await tb.sink.waitForMessage(10000);
      assert.ok(message.data.includes("customers.xlsx"));
      await compose.waitForClosed(10000);
    }),
  );
});
