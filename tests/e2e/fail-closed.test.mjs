// @ts-check
/**
 * Failing closed in a real Thunderbird: a mailing list with a description is expanded into
 * its members; a hung attachment list ends at its deadline with the problem in the dialog; a
 * trapped engine is replaced and still blocks, and when every instance traps, the dialog says
 * the mail was not checked and Send stays disabled; a managed policy nested 3,100 levels deep
 * next to a blocked domain still blocks that domain.
 *
 * Run with `node --test tests/e2e/fail-closed.test.mjs` after `cargo xtask dist`.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { PERSONAL } from "./lib/address-book.mjs";
import { switchToMainWindow } from "./lib/compose.mjs";
import { waitForDialog } from "./lib/dialog.mjs";
import { exhaustMemory, hangAttachments, releaseAttachments, restoreMemory, watchMemory } from "./lib/background.mjs";
import { assertCancelled, QUIET_MS, sharedThunderbird } from "./lib/scenario.mjs";

const INTERNAL = ["corp.example", "*.corp.example"];

/**
 * The body of the Send that notes the engine's memory: big enough (about 0.5 MB) that the
 * engine grows its memory for it, which makes the bindings read the memory's buffer again.
 */
const WARM_BODY = "A first mail, line by line.\n".repeat(18000);
const POLICY = { internalDomains: INTERNAL, rules: { "blocked-domain": { entries: ["rival.example"] } } };

/** @param {import("./lib/dialog.mjs").Dialog} dialog */
function findings(dialog) {
  return /** @type {Promise<{ code: string, severity: string }[]>} */ (dialog.execute(
    `return [...document.querySelectorAll("#findings .finding")].map((f) => ({ code: f.dataset.code, severity: f.dataset.severity }));`,
  ));
}

/**
 * @param {import("./lib/dialog.mjs").Dialog} dialog
 */
function failureNotice(dialog) {
  return dialog.execute(
    `const box = document.getElementById("failure");
     return box && !box.hidden ? { role: box.getAttribute("role"), text: box.innerText.trim() } : null;`,
  );
}

/**
 * Adds a mailing list with a description to the personal address book, with its members.
 * @param {import("./lib/marionette.mjs").Marionette} m
 * @param {{ name: string, description: string, members: string[] }} list
 */
async function addDescribedList(m, list) {
  await switchToMainWindow(m);
  return m.execute(
    `const [uri, list] = arguments;
     const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
     const book = MailServices.ab.getDirectory(uri);
     const made = Cc["@mozilla.org/addressbook/directoryproperty;1"].createInstance(Ci.nsIAbDirectory);
     made.isMailList = true;
     made.dirName = list.name;
     made.listNickName = list.name.toLowerCase();
     made.description = list.description;
     const added = book.addMailList(made);
     for (const email of list.members) {
       const card = Cc["@mozilla.org/addressbook/cardproperty;1"].createInstance(Ci.nsIAbCard);
       card.primaryEmail = email;
       card.displayName = email.split("@")[0];
       added.addCard(book.addCard(card));
     }
     return added.childCards.length;`,
    [PERSONAL, list],
  );
}

// The trap scenarios need a mail bigger than any the engine's instance has checked (an instance
// keeps the room a big mail needed), so the one whose instances all trap runs first, and its
// last Send leaves a fresh instance that has only seen small mails.
describe("with a blocked domain", () => {
  const shared = sharedThunderbird({ name: "fail-closed", policy: POLICY });

  test(
    "a mailing list with a description is expanded: 12 members in Cc raise bulk-visible-recipients, and every member gets the mail",
    shared.scenario(async (tb) => {
      const members = Array.from({ length: 12 }, (_, i) => `member${i}@partner${i}.example`);
      assert.equal(await addDescribedList(tb.marionette, { name: "Partners", description: "Everyone we work with", members }), 12);
      const d = { to: ["boss@corp.example"], cc: ["Partners <Everyone we work with>"], subject: "Event notice", body: "See you." };
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      const state = await dialog.read();
      const addresses = state.recipients.map((r) => r.data.address);
      for (const member of members) assert.ok(addresses.includes(member), `${member} is listed (${addresses.join(", ")})`);
      assert.ok(!addresses.some((a) => /Everyone|Partners/.test(a ?? "")), "the list is not one unexpanded row");
      // Rows far down the list are not laid out (innerText is empty there), so the list's
      // name is read from the DOM's text.
      const listed = await dialog.execute(
        `return [...document.querySelectorAll('[data-kind="recipient"]')]
           .filter((row) => arguments[0].includes(row.dataset.address))
           .map((row) => row.textContent);`,
        [members],
      );
      assert.equal(listed.length, 12);
      assert.ok(listed.every((/** @type {string} */ text) => /Partners/.test(text)), `each member row names its list: ${JSON.stringify(listed)}`);
      assert.ok((await findings(dialog)).some((f) => f.code === "bulk-visible-recipients"), "12 visible external members raise bulk-visible-recipients");
      await dialog.tickAll();
      await dialog.clickSend();
      const message = await tb.sink.waitForMessage(10000);
      assert.deepEqual([...message.rcptTo].sort(), ["boss@corp.example", ...members].sort(), "the members, not the list, got the mail");
      await compose.waitForClosed(10000);
    }),
  );

  test(
    "a hung attachment list: the dialog opens at the deadline and shows the problem; Cancel keeps the draft",
    shared.scenario(async (tb) => {
      assert.equal(await hangAttachments(tb.marionette), "function");
      try {
        const d = { to: ["x@partner.example"], subject: "Hung", body: "The attachment list will not answer." };
        const compose = await shared.compose(d);
        const clickedAt = await compose.clickSend();
        const dialog = await waitForDialog(tb.marionette, { timeoutMs: 20000 });
        const waited = Date.now() - clickedAt;
        assert.ok(waited >= 4500, `the Send waited for the attachment list's deadline (${waited} ms)`);
        const state = await dialog.read();
        assert.equal(state.problems?.hidden, false, "the problem is shown");
        assert.match(state.problems?.text ?? "", /The attachments could not be listed \(no answer within 5 s\)|添付ファイルの一覧を取得できなかったため（5 秒以内に応答がありませんでした）/);
        await dialog.clickCancel();
        await assertCancelled(tb, dialog, compose, d);
      } finally {
        await releaseAttachments(tb.marionette);
      }
    }),
  );

  test(
    "closing the compose window while its dialog is open closes the dialog, and nothing is sent",
    shared.scenario(async (tb) => {
      const compose = await shared.compose({ to: ["x@partner.example"], subject: "Closed", body: "Never mind." });
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      await compose.discard();
      await dialog.waitForClosed(5000);
      await sleep(QUIET_MS);
      assert.equal(tb.sink.messages.length, 0, "nothing is sent");
    }),
  );

  test(
    "an engine that traps on every instance: the dialog says the mail was not checked and Send stays disabled",
    shared.scenario(async (tb) => {
      await watchMemory(tb.marionette);
      const warm = await shared.compose({ to: ["x@partner.example"], subject: "First", body: WARM_BODY });
      await warm.clickSend();
      const warmDialog = await waitForDialog(tb.marionette);
      await warmDialog.clickCancel();
      await warmDialog.waitForClosed(5000);
      await exhaustMemory(tb.marionette, { andNew: true });
      try {
        const d = { to: ["x@partner.example"], subject: "Numbers", body: "Numbers of the quarter, line by line.\n".repeat(55000) };
        const compose = await shared.compose(d);
        await compose.clickSend();
        const dialog = await waitForDialog(tb.marionette, { timeoutMs: 30000 });
        const notice = await failureNotice(dialog);
        assert.ok(notice, "the failure notice is shown");
        assert.equal(notice.role, "alert");
        assert.match(notice.text, /could not check this mail: RuntimeError/);
        assert.match(notice.text, /tell your administrator/);
        await dialog.tickAll();
        const state = await dialog.read();
        assert.equal(state.send?.disabled, true, "Send stays disabled with everything ticked");
        await dialog.clickSend().catch(() => {});
        await dialog.inPage("key", "Enter");
        await sleep(QUIET_MS);
        assert.equal(tb.sink.messages.length, 0, "nothing is sent");
        await dialog.clickCancel();
        await dialog.waitForClosed(5000);
        await compose.discard();
      } finally {
        await restoreMemory(tb.marionette);
      }
      // With the fault gone, the next Send is checked again.
      const after = await shared.compose({ to: ["someone@rival.example"], subject: "After", body: "Hello." });
      await after.clickSend();
      const afterDialog = await waitForDialog(tb.marionette);
      assert.equal(await failureNotice(afterDialog), null);
      assert.ok((await findings(afterDialog)).some((f) => f.code === "blocked-domain"));
    }),
  );
  test(
    "a trapped engine is replaced: the Send after the trap is checked by a fresh instance, and the blocked domain blocks",
    shared.scenario(async (tb) => {
      await watchMemory(tb.marionette);
      // One Send to note the engine's memory (of the instance that replaced the last one).
      const first = await shared.compose({ to: ["x@partner.example"], subject: "First", body: WARM_BODY });
      await first.clickSend();
      const firstDialog = await waitForDialog(tb.marionette);
      await firstDialog.clickCancel();
      await firstDialog.waitForClosed(5000);
      assert.ok((await exhaustMemory(tb.marionette)) >= 1, "the engine's memory was noted");

      // A body of 2 MB needs memory the engine can no longer get: the real module traps.
      const from = tb.lines.length;
      const d = { to: ["someone@rival.example", "boss@corp.example"], subject: "Numbers", body: "Numbers of the quarter, line by line.\n".repeat(55000) };
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette, { timeoutMs: 30000 });
      await tb.waitForLine(/the engine failed \(attempt 1 of 2\)/, { from, timeoutMs: 5000 });
      assert.equal(await failureNotice(dialog), null, "the fresh instance checked the mail");
      assert.ok((await findings(dialog)).some((f) => f.code === "blocked-domain" && f.severity === "block"), "the blocked domain blocks");
      await dialog.tickAll();
      const state = await dialog.read();
      assert.equal(state.send?.disabled, true);
      await dialog.clickSend().catch(() => {});
      await sleep(QUIET_MS);
      assert.equal(tb.sink.messages.length, 0);
      await dialog.clickCancel();
      await dialog.waitForClosed(5000);
      await compose.discard();
    }),
  );

});

/** @param {number} depth */
function nested(depth) {
  /** @type {unknown} */
  let value = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe("with a managed policy nested 3,100 levels deep next to a blocked domain", () => {
  const shared = sharedThunderbird({ name: "fail-closed-nested", policy: { ...POLICY, extra: nested(3100) } });

  test(
    "the blocked domain still blocks, and the dialog shows the policy's problem",
    shared.scenario(async (tb) => {
      const d = { to: ["someone@rival.example"], subject: "Nested", body: "Hello." };
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      assert.ok((await findings(dialog)).some((f) => f.code === "blocked-domain" && f.severity === "block"), "the blocked domain blocks");
      const state = await dialog.read();
      assert.equal(state.problems?.hidden, false, "the policy's problem is shown");
      await dialog.tickAll();
      assert.equal((await dialog.read()).send?.disabled, true);
      await dialog.clickCancel();
      await assertCancelled(tb, dialog, compose, d);
    }),
  );
});
