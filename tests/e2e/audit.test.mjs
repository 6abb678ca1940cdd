// @ts-check
/**
 * The confirmation record in a real Thunderbird (issue #10): with the admin's `auditLog` on,
 * a sent mail and a cancelled mail each leave one record in the add-on's IndexedDB with the
 * right action, the sent one `delivered: true` once Thunderbird reports it sent
 * (`compose.onAfterSend`); a record older than the retention is deleted by the next write; the
 * options page's JSON Lines export is what was recorded, and `misend-guard audit` reads it.
 *
 * Run with `node --test tests/e2e/audit.test.mjs` after `cargo xtask dist`.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

import { waitForDialog } from "./lib/dialog.mjs";
import { inBackground } from "./lib/background.mjs";
import { switchToMainWindow } from "./lib/compose.mjs";
import { asyncBody } from "./lib/marionette.mjs";
import { assertCancelled, sharedThunderbird } from "./lib/scenario.mjs";
import { ADDON_ID, REPO_ROOT } from "./lib/thunderbird.mjs";

const shared = sharedThunderbird({
  name: "audit",
  policy: { internalDomains: ["corp.example"], auditLog: { enabled: true, subjects: true } },
});

/**
 * The records in the add-on's store, newest first, once every write started has ended.
 * @param {import("./lib/marionette.mjs").Marionette} m
 * @returns {Promise<any[]>}
 */
function records(m) {
  return inBackground(m, `const audit = page.misendGuardAudit; await audit.idle; return JSON.parse(JSON.stringify(await audit.store.all()));`);
}

/**
 * Waits until `ok(records)` holds.
 * @param {import("./lib/marionette.mjs").Marionette} m
 * @param {(records: any[]) => boolean} ok
 */
async function waitForRecords(m, ok, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await records(m);
    if (ok(found)) return found;
    if (Date.now() > deadline) throw new Error(`the records never became as expected: ${JSON.stringify(found)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs a script in the add-on's options page (opened as a tab), like lib/background.mjs does in the background. */
const IN_OPTIONS = `
  const [addonId, script, args] = arguments;
  const { getMarionetteCommandsActorProxy } = ChromeUtils.importESModule(
    "chrome://remote/content/marionette/actors/MarionetteCommandsParent.sys.mjs");
  const extension = WebExtensionPolicy.getByID(addonId)?.extension;
  if (!extension) throw new Error("the add-on is not running");
  const view = [...extension.views].find((v) => v.xulBrowser && String(v.xulBrowser.currentURI?.spec ?? "").includes("/options/options.html"));
  if (!view) return { missing: true };
  const actor = getMarionetteCommandsActorProxy(() => view.xulBrowser.browsingContext);
  return { result: await actor.executeScript(script, args, { timeout: 20000 }) };
`;

/**
 * @param {import("./lib/marionette.mjs").Marionette} m
 * @param {string} script a function body; \`page\` is the options page's window
 */
async function inOptions(m, script, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await switchToMainWindow(m);
    const answer = await m.execute(IN_OPTIONS, [ADDON_ID, asyncBody(`const page = window.wrappedJSObject ?? window;\n${script}`), []]);
    if (!answer?.missing) return answer.result;
    if (Date.now() > deadline) throw new Error("the options page did not open");
    await new Promise((r) => setTimeout(r, 200));
  }
}

test(
  "a sent and a cancelled mail each leave one record; the export is what was recorded",
  shared.scenario(async (tb) => {
    const m = tb.marionette;
    assert.deepEqual(await records(m), [], "nothing is recorded before a Send");
    // A record from before the retention (90 days by default): the next write deletes it.
    const old = await inBackground(
      m,
      `const time = new Date(Date.now() - 91 * 24 * 60 * 60 * 1000);
       const record = { v: 1, id: time.toISOString() + "-0000", time: time.toISOString(), identity: "old@corp.example",
                        recipients: [], attachments: [], findings: [], verdict: "ok", action: "sent", fixes: [], dialogMs: 0, delivered: true };
       await page.misendGuardAudit.store.put(page.JSON.parse(JSON.stringify(record)));
       return record.id;`,
    );
    assert.deepEqual((await records(m)).map((r) => r.id), [old]);

    const sent = { to: ["tanaka@partner.example"], cc: ["sato@corp.example"], subject: "見積書 <b>v2</b>", body: "Hello." };
    let compose = await shared.compose(sent);
    await compose.clickSend();
    let dialog = await waitForDialog(m);
    await dialog.tickAll();
    await dialog.clickSend();
    await tb.sink.waitForMessage(10000);
    let found = await waitForRecords(m, (r) => r.length === 1 && r[0].delivered === true);
    const [first] = found;
    assert.equal(first.action, "sent");
    assert.equal(first.v, 1);
    assert.equal(first.identity, "sender@corp.example");
    assert.equal(first.subject, sent.subject);
    assert.deepEqual(
      first.recipients.map((/** @type {any} */ r) => [r.field, r.address, r.class]),
      [
        ["to", "tanaka@partner.example", "external"],
        ["cc", "sato@corp.example", "internal"],
      ],
    );
    assert.ok(first.findings.some((/** @type {any} */ f) => f.code === "external-recipient"));
    assert.ok(first.dialogMs > 0);

    tb.sink.clear();
    const cancelled = { to: ["suzuki@other.example"], subject: "Draft", body: "Not yet." };
    compose = await shared.compose(cancelled);
    await compose.clickSend();
    dialog = await waitForDialog(m);
    await dialog.clickCancel();
    await assertCancelled(tb, dialog, compose, cancelled);
    found = await waitForRecords(m, (r) => r.length === 2);
    assert.equal(found[0].action, "cancelled");
    assert.equal(found[0].delivered, null);
    assert.equal(found[0].recipients[0].address, "suzuki@other.example");
    assert.equal(found[1].id, first.id);
    assert.equal(found[1].delivered, true);

    // The options page shows both and exports them: the file's bytes are taken from the Blob
    // the page hands to its download link.
    await inBackground(m, `await page.messenger.runtime.openOptionsPage(); return true;`);
    const exported = await inOptions(
      m,
      `const deadline = Date.now() + 10000;
       while (page.document.querySelectorAll("#audit-table tbody tr").length < 2) {
         if (Date.now() > deadline) throw new Error("the records were not shown: " + (page.document.getElementById("audit")?.textContent ?? "no section"));
         await new Promise((r) => setTimeout(r, 100));
       }
       const blobs = [];
       const create = page.URL.createObjectURL;
       page.URL.createObjectURL = (blob) => { blobs.push(blob); return create.call(page.URL, blob); };
       page.HTMLAnchorElement.prototype.click = function () {};
       page.document.getElementById("audit-export-jsonl").click();
       page.URL.createObjectURL = create;
       const rows = [...page.document.querySelectorAll("#audit-table tbody tr")].map((r) => r.dataset.action);
       return { text: await blobs[0].text(), rows };`,
    );
    assert.deepEqual(exported.rows, ["cancelled", "sent"]);
    const lines = exported.text.split("\n");
    assert.equal(lines.pop(), "");
    assert.deepEqual(lines.map((/** @type {string} */ l) => JSON.parse(l)), found);

    // The admin's CLI reads the export as it is: both records, their actions and delivery.
    execFileSync("cargo", ["build", "-p", "misend-guard-cli", "--bin", "misend-guard"], { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "inherit"] });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-export-"));
    try {
      const file = path.join(dir, "record.jsonl");
      fs.writeFileSync(file, exported.text);
      const { auditSummary: summary } = JSON.parse(
        execFileSync(path.join(REPO_ROOT, "target", "debug", "misend-guard"), ["audit", "--format", "json", file], { encoding: "utf8" }),
      );
      assert.equal(summary.records, 2);
      assert.equal(summary.badLines, 0);
      assert.deepEqual(summary.actions, { cancelled: 1, sent: 1 });
      assert.deepEqual(summary.delivered, { true: 1, unknown: 1 });
      assert.equal(summary.domains["other.example"], 1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }),
);
