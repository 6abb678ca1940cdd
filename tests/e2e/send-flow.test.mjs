// @ts-check
/**
 * The Send flow in a real Thunderbird: the toolbar's Send opens the dialog,
 * and the person's answer decides whether the mail reaches the SMTP sink.
 *
 * Run with `node --test tests/e2e/` after `cargo xtask dist` (see README.md).
 */

import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { openCompose } from "./lib/compose.mjs";
import { anyDialogOpen, closeAllDialogs, waitForDialog } from "./lib/dialog.mjs";
import { findXpi, REPO_ROOT, SENDER, startThunderbird } from "./lib/thunderbird.mjs";

/** How long "nothing was sent" has to hold before we believe it. */
const QUIET_MS = 1500;
const POLICY = { internalDomains: ["corp.example", "*.corp.example"] };

const xpiPath = findXpi();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "misend-guard-e2e-files-"));
const attachmentPath = path.join(tmp, "quarterly-report.txt");
fs.writeFileSync(attachmentPath, "Quarterly numbers, not for partners.\n");
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** @returns {import("./lib/compose.mjs").Draft} */
const draft = () => ({
  to: ["someone@corp.example"],
  cc: ["x@partner.example"],
  bcc: ["hidden@other.example"],
  subject: "Q3 numbers",
  body: "Hello, here are the numbers.",
  attachments: [attachmentPath],
});

/**
 * One Thunderbird shared by the tests of a `describe` block, started by the first of them.
 * Each test leaves no dialog or compose window behind.
 * After a failed test the instance is replaced, so that a stray dialog or a late mail
 * cannot make the next test fail too; its log is kept.
 *
 * @param {import("./lib/thunderbird.mjs").StartOptions} options
 */
function sharedThunderbird(options) {
  /** @type {Awaited<ReturnType<typeof startThunderbird>> | null} */
  let tb = null;
  /** @type {unknown} */
  let startError = null;
  let failed = false;
  let tainted = false;
  /** @type {import("./lib/compose.mjs").ComposeWindow[]} */
  const composeWindows = [];
  const start = async () => {
    try {
      tb = await startThunderbird({ xpiPath, ...options });
    } catch (e) {
      startError = e;
    }
  };
  // Started by the first test that runs, so that a --test-name-pattern run starts only what it needs.
  after(async () => {
    await tb?.stop({ failed });
  });
  const cleanup = async () => {
    if (!tb) return;
    // Closing a leftover dialog cancels its send, which unlocks its compose window.
    await closeAllDialogs(tb.marionette).catch(() => {});
    for (const compose of composeWindows.splice(0)) {
      await compose.discard().catch(() => {});
    }
  };
  return {
    /**
     * Wraps a test body: a fresh instance after a failure, cleanup either way.
     *
     * @param {(tb: Awaited<ReturnType<typeof startThunderbird>>) => Promise<void>} body
     */
    scenario(body) {
      return async () => {
        if (tainted && tb) {
          await tb.stop({ failed: true });
          tb = null;
          tainted = false;
          await start();
        }
        if (!tb && !startError) await start();
        if (!tb) throw startError ?? new Error("Thunderbird did not start");
        tb.sink.clear();
        try {
          await body(tb);
        } catch (e) {
          failed = true;
          tainted = true;
          throw e;
        } finally {
          await cleanup();
        }
      };
    },
    /** @param {import("./lib/compose.mjs").Draft} d */
    async compose(d) {
      if (!tb) throw new Error("Thunderbird did not start");
      const compose = await openCompose(tb.marionette, d);
      composeWindows.push(compose);
      return compose;
    },
  };
}

/**
 * Asserts the send was cancelled: the dialog is gone, nothing reached the sink,
 * and the compose window is open, unlocked and still holds the whole draft.
 *
 * @param {import("./lib/thunderbird.mjs").Thunderbird} tb
 * @param {import("./lib/dialog.mjs").Dialog} dialog
 * @param {import("./lib/compose.mjs").ComposeWindow} compose
 * @param {import("./lib/compose.mjs").Draft} d
 */
async function assertCancelled(tb, dialog, compose, d) {
  await dialog.waitForClosed(5000);
  await sleep(QUIET_MS);
  assert.equal(tb.sink.messages.length, 0, "a cancelled send must not reach the SMTP server");
  assert.ok(await compose.isOpen(), "the compose window stays open after a cancel");
  const state = await compose.waitForUnlocked(5000);
  assert.deepEqual(
    {
      to: state.to,
      cc: state.cc,
      bcc: state.bcc,
      subject: state.subject,
      body: state.body,
      attachments: state.attachments,
    },
    {
      to: d.to,
      cc: d.cc,
      bcc: d.bcc,
      subject: d.subject,
      body: d.body,
      attachments: (d.attachments ?? []).map((p) => path.basename(p)),
    },
    "the draft is intact after a cancel",
  );
}

/** @param {string} line */
function appendTiming(line) {
  const file = path.join(REPO_ROOT, "target", "e2e-timings.txt");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}

describe("send flow with the corp.example policy", () => {
  const shared = sharedThunderbird({ name: "send-flow", policy: POLICY });

  test(
    "(f) the toolbar's Send opens the dialog",
    shared.scenario(async (tb) => {
      const d = draft();
      const compose = await shared.compose(d);
      const clickedAt = await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette, { timeoutMs: 10000 });
      const readyMs = Date.now() - clickedAt;
      const state = await dialog.read();
      assert.equal(state.ready, "1");
      assert.match(state.url, /^moz-extension:\/\/[^/]+\/dialog\/dialog\.html\?request=/);
      assert.equal(state.recipients.length, 3, "one row per recipient");
      assert.equal(tb.sink.messages.length, 0, "nothing is sent while the dialog is open");
      assert.ok((await compose.read()).locked, "Thunderbird holds the compose window while the dialog is open");
      appendTiming(
        `send-click-to-dialog-ready-ms=${readyMs} startup-to-addon-ready-ms=${tb.startupMs} ` +
          `xpi=${path.basename(xpiPath)}`,
      );
      await dialog.clickCancel();
      await assertCancelled(tb, dialog, compose, d);
    }),
  );

  test(
    "(a) ticking everything and Send delivers to every recipient with the attachment",
    shared.scenario(async (tb) => {
      const d = draft();
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      const initial = await dialog.read();
      assert.equal(initial.attachments.length, 1);
      assert.equal(initial.attachments[0].data.name, "quarterly-report.txt");
      assert.equal(initial.attachments[0].data.size, String(fs.statSync(attachmentPath).size));
      assert.equal(initial.send?.disabled, true, "Send is disabled until every box is ticked");

      // A click on the disabled Send must not send.
      await dialog.clickSend().catch(() => {});
      await sleep(500);
      assert.equal(tb.sink.messages.length, 0, "a disabled Send must not send");
      assert.ok(await dialog.isOpen(), "the dialog stays open after a click on a disabled Send");

      const ticked = await dialog.tickAll();
      assert.ok(ticked >= 3, `the two external recipients and the attachment need a tick (clicked ${ticked})`);
      const afterTicks = await dialog.read();
      assert.ok(
        [...afterTicks.recipients, ...afterTicks.attachments].every((row) => row.checked),
        "every row is ticked",
      );
      assert.equal(afterTicks.send?.disabled, false, "Send is enabled once everything is ticked");
      const sentAt = Date.now();
      await dialog.clickSend();

      const message = await tb.sink.waitForMessage(10000);
      appendTiming(`dialog-send-to-smtp-ms=${message.receivedAt - sentAt} xpi=${path.basename(xpiPath)}`);
      assert.equal(message.mailFrom, SENDER.email);
      assert.deepEqual(
        [...message.rcptTo].sort(),
        [...(d.to ?? []), ...(d.cc ?? []), ...(d.bcc ?? [])].sort(),
        "To, Cc and Bcc are all envelope recipients",
      );
      assert.match(message.data, /^Subject: Q3 numbers\r?$/m);
      assert.ok(message.data.includes("quarterly-report.txt"), "the attachment is in the sent mail");
      await compose.waitForClosed(10000);
      await dialog.waitForClosed(5000);
      await sleep(300);
      assert.equal(tb.sink.messages.length, 1, "exactly one mail is sent");
    }),
  );

  test(
    "(b) Cancel sends nothing and keeps the draft",
    shared.scenario(async (tb) => {
      const d = draft();
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      await dialog.tickAll();
      await dialog.clickCancel();
      await assertCancelled(tb, dialog, compose, d);
    }),
  );

  test(
    "(c) closing the dialog window is the same as Cancel",
    shared.scenario(async (tb) => {
      const d = draft();
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      await dialog.tickAll();
      await dialog.closeWindow();
      await assertCancelled(tb, dialog, compose, d);
    }),
  );

  test(
    "Esc in the dialog is the same as Cancel",
    shared.scenario(async (tb) => {
      const d = draft();
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      await dialog.pressEscape();
      await assertCancelled(tb, dialog, compose, d);
    }),
  );

  test(
    "(d) the policy's internal domain is shown as internal, others as external by domain",
    shared.scenario(async (tb) => {
      const compose = await shared.compose(draft());
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      const state = await dialog.read();
      const row = (/** @type {string} */ address) => {
        const found = state.recipients.find((r) => r.data.address === address);
        assert.ok(found, `a row for ${address}; rows: ${JSON.stringify(state.recipients.map((r) => r.data))}`);
        return found;
      };
      const inside = row("someone@corp.example");
      assert.equal(inside.data.class, "internal");
      assert.equal(inside.data.field, "to");
      assert.equal(inside.data.domain, "corp.example");
      assert.equal(inside.section, "internal");
      const partner = row("x@partner.example");
      assert.equal(partner.data.class, "external");
      assert.equal(partner.data.field, "cc");
      assert.equal(partner.data.domain, "partner.example");
      assert.equal(partner.section, "external");
      assert.equal(partner.domainGroup, "partner.example");
      const hidden = row("hidden@other.example");
      assert.equal(hidden.data.field, "bcc");
      assert.equal(hidden.data.class, "external");
      assert.equal(hidden.domainGroup, "other.example");
      assert.ok(!state.problems || state.problems.hidden || state.problems.items.length === 0,
        `a valid policy shows no problems: ${JSON.stringify(state.problems)}`);
      await dialog.clickCancel();
      await dialog.waitForClosed(5000);
    }),
  );
});

describe("send flow with a 2 s background idle timeout", () => {
  // The MV3 event page must survive a person who reads the dialog for a while
  // (thunderbird-facts.md, "MV3 deadlock hazard").
  const shared = sharedThunderbird({
    name: "send-flow-idle",
    policy: POLICY,
    prefs: { "extensions.background.idle.timeout": 2000 },
  });

  test(
    "(e) Send still works after 10 s in the dialog",
    shared.scenario(async (tb) => {
      const d = draft();
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      await sleep(10000);
      await dialog.tickAll();
      await dialog.clickSend();
      const message = await tb.sink.waitForMessage(10000);
      assert.equal(message.rcptTo.length, 3);
      await compose.waitForClosed(10000);
    }),
  );
});

describe("dialog in Japanese", () => {
  const shared = sharedThunderbird({
    name: "send-flow-ja",
    policy: POLICY,
    prefs: { "intl.locale.requested": "ja" },
  });

  test(
    "the dialog follows Thunderbird's UI language; screenshot to target/screenshots/dialog-ja.png",
    shared.scenario(async (tb) => {
      const locales = await tb.marionette.execute("return Services.locale.availableLocales;");
      assert.ok(
        locales.includes("ja"),
        `Thunderbird has no Japanese language pack (available: ${locales}); install thunderbird-l10n-ja`,
      );
      const d = draft();
      const compose = await shared.compose(d);
      await compose.clickSend();
      const dialog = await waitForDialog(tb.marionette);
      const state = await dialog.read();
      assert.equal(state.lang, "ja");
      const file = path.join(REPO_ROOT, "target", "screenshots", "dialog-ja.png");
      const bytes = await dialog.screenshot(file);
      assert.ok(bytes > 1000, "the screenshot is not empty");
      await dialog.clickCancel();
      await assertCancelled(tb, dialog, compose, d);
      assert.equal(await anyDialogOpen(tb.marionette), false);
    }),
  );
});
