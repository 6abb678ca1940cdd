// @ts-check
/**
 * Who a mail is for, in a real Thunderbird: with contacts whose cards name their companies
 * (vCard `ORG`), a mail to 株式会社ベータ工業's 鈴木 that begins 「株式会社アルファ商事 山田様」
 * shows `salutation-mismatch` on that recipient, naming both companies; its one-click fix
 * removes the recipient, and Cancel still leaves the compose window as it was. The quotation
 * for アルファ商事 attached to it shows `attachment-for-other-party` on the attachment. The
 * same greeting to アルファ商事's 山田 has no `salutation-mismatch`.
 *
 * Run with `node --test --test-concurrency=1 tests/e2e/who-is-it-for.test.mjs` after `cargo xtask dist`.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { addContacts } from "./lib/address-book.mjs";
import { waitForDialog } from "./lib/dialog.mjs";
import { sharedThunderbird } from "./lib/scenario.mjs";

const POLICY = { internalDomains: ["corp.example"] };
const CHANGES_LINE = /misend-guard: address book changes applied: (\d+)/;

const crlf = (/** @type {string[]} */ lines) => [...lines, ""].join("\r\n");

/**
 * @param {string} fn
 * @param {string} org
 * @param {string} email
 */
const card = (fn, org, email) => crlf(["BEGIN:VCARD", "VERSION:4.0", `FN:${fn}`, `ORG:${org}`, `EMAIL;PREF=1:${email}`, "END:VCARD"]);

const BODY = ["株式会社アルファ商事", "山田様", "", "いつもお世話になっております。", "お見積りをお送りします。", "", "-- ", "Test Sender"].join("\n");

/**
 * Waits until the background applied `count` contact changes after line `from`.
 * @param {{ lines: string[] }} tb
 * @param {number} from
 * @param {number} count
 */
async function waitForChanges(tb, from, count, timeoutMs = 10000) {
  const applied = () => tb.lines.slice(from).reduce((sum, line) => sum + Number(CHANGES_LINE.exec(line)?.[1] ?? 0), 0);
  const deadline = Date.now() + timeoutMs;
  while (applied() < count) {
    if (Date.now() > deadline) throw new Error(`the background applied ${applied()} of ${count} changes within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/**
 * The dialog's findings on each recipient row, and the summary's texts by code.
 * @param {import("./lib/dialog.mjs").Dialog} dialog
 */
function readFindings(dialog) {
  return dialog.execute(`
    return {
      rows: Object.fromEntries([...document.querySelectorAll('[data-kind="recipient"]')].map((row) => [
        row.dataset.address,
        { codes: [...row.querySelectorAll("[data-code]")].map((el) => el.dataset.code),
          text: row.innerText,
          remove: !!row.querySelector(".row-actions button") }])),
      attachments: Object.fromEntries([...document.querySelectorAll('[data-kind="attachment"]')].map((row) => [
        row.dataset.name ?? row.innerText.trim(), [...row.querySelectorAll("[data-code]")].map((el) => el.dataset.code)])),
      summary: [...document.querySelectorAll('#findings [data-code]')].map((el) => ({ code: el.dataset.code, text: el.textContent })),
      renders: document.documentElement.dataset.renders,
    };`);
}

describe("who the mail is for", () => {
  const shared = sharedThunderbird({ name: "who-is-it-for", policy: POLICY });

  test(
    "a greeting to アルファ商事 is right for 山田 there, and shows salutation-mismatch on ベータ工業's 鈴木, whose removal is one click",
    shared.scenario(async (tb) => {
      const from = tb.lines.length;
      await addContacts(tb.marionette, [
        card("鈴木 一郎", "株式会社ベータ工業", "suzuki@beta-kogyo.example"),
        card("山田 太郎", "株式会社アルファ商事;営業部", "yamada@alpha-shoji.example"),
      ]);
      await waitForChanges(tb, from, 2);

      // The same greeting to アルファ商事's 山田 is right: no finding.
      const right = await shared.compose({ to: ["山田 太郎 <yamada@alpha-shoji.example>"], subject: "お見積り", body: BODY });
      await right.clickSend();
      const rightDialog = await waitForDialog(tb.marionette, { timeoutMs: 15000 });
      const rightSeen = await readFindings(rightDialog);
      assert.ok(rightSeen.rows["yamada@alpha-shoji.example"], JSON.stringify(rightSeen.rows));
      assert.ok(!rightSeen.summary.some((/** @type {any} */ f) => f.code === "salutation-mismatch"), JSON.stringify(rightSeen.summary));
      await rightDialog.clickCancel();
      await rightDialog.waitForClosed(5000);
      await right.discard();

      // The quotation for アルファ商事, attached to the mail for ベータ工業.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "misend-guard-who-"));
      const quotation = path.join(dir, "見積書_株式会社アルファ商事様.pdf");
      fs.writeFileSync(quotation, "%PDF-1.4\n% quotation\n");
      const draft = { to: ["鈴木 一郎 <suzuki@beta-kogyo.example>"], cc: ["colleague@corp.example"], subject: "お見積り", body: BODY, attachments: [quotation] };
      const compose = await shared.compose(draft);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette, { timeoutMs: 15000 });
      const seen = await readFindings(dialog);
      const suzuki = seen.rows["suzuki@beta-kogyo.example"];
      assert.ok(suzuki, JSON.stringify(seen.rows));
      assert.ok(suzuki.codes.includes("salutation-mismatch"), JSON.stringify(seen.rows));
      assert.ok(!seen.rows["colleague@corp.example"].codes.includes("salutation-mismatch"), "only on the recipient it concerns");
      const summary = seen.summary.find((/** @type {any} */ f) => f.code === "salutation-mismatch");
      assert.ok(summary, JSON.stringify(seen.summary));
      assert.match(summary.text, /アルファ商事/);
      assert.match(summary.text, /ベータ工業|beta-kogyo/);
      assert.ok(suzuki.remove, "the row offers the one-click removal");
      const attachmentCodes = Object.values(seen.attachments);
      assert.equal(attachmentCodes.length, 1, JSON.stringify(seen.attachments));
      assert.ok(attachmentCodes[0].includes("attachment-for-other-party"), JSON.stringify(seen.attachments));

      // The fix: the dialog shows the mail without 鈴木, and the finding is gone.
      const renders = Number(seen.renders);
      await dialog.click('[data-address="suzuki@beta-kogyo.example"] .row-actions button');
      const deadline = Date.now() + 10000;
      let fixed = await readFindings(dialog);
      while (Number(fixed.renders) === renders && Date.now() < deadline) {
        await sleep(50);
        fixed = await readFindings(dialog);
      }
      assert.deepEqual(Object.keys(fixed.rows), ["colleague@corp.example"]);
      assert.ok(!fixed.summary.some((/** @type {any} */ f) => f.code === "salutation-mismatch"), JSON.stringify(fixed.summary));

      // Cancel after a fix: the compose window is as the person left it.
      await dialog.clickCancel();
      await dialog.waitForClosed(5000);
      const state = await compose.waitForUnlocked(5000);
      assert.deepEqual(state.to, ["suzuki@beta-kogyo.example"], "鈴木 is still in the compose window's To");
      assert.deepEqual(state.cc, draft.cc);
      assert.equal(tb.sink.messages.length, 0);
    }),
  );
});
