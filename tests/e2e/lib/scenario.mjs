// @ts-check
/**
 * One Thunderbird shared by the scenarios of a `describe` block, the draft checks every
 * cancel scenario needs, and the timings file.
 *
 * Each scenario leaves no dialog or compose window behind. After a failed scenario the
 * instance is replaced, so that a stray dialog or a late mail cannot fail the next one too;
 * its log is kept. (send-flow.test.mjs has the same logic inline.)
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { openCompose } from "./compose.mjs";
import { closeAllDialogs } from "./dialog.mjs";
import { findXpi, REPO_ROOT, startThunderbird } from "./thunderbird.mjs";

/** How long "nothing was sent" has to hold before we believe it. */
export const QUIET_MS = 1500;

/** @typedef {Awaited<ReturnType<typeof startThunderbird>>} Thunderbird */

/**
 * @param {Omit<import("./thunderbird.mjs").StartOptions, "xpiPath">} options
 */
export function sharedThunderbird(options) {
  const xpiPath = findXpi();
  /** @type {Thunderbird | null} */
  let tb = null;
  /** @type {unknown} */
  let startError = null;
  let failed = false;
  let tainted = false;
  /** @type {import("./compose.mjs").ComposeWindow[]} */
  const composeWindows = [];
  const start = async () => {
    try {
      tb = await startThunderbird({ xpiPath, ...options });
    } catch (e) {
      startError = e;
    }
  };
  // Started by the first scenario that runs, so that a --test-name-pattern run starts only what it needs.
  after(async () => {
    await tb?.stop({ failed });
  });
  const cleanup = async () => {
    if (!tb) return;
    await closeAllDialogs(tb.marionette).catch(() => {});
    for (const compose of composeWindows.splice(0)) await compose.discard().catch(() => {});
  };
  return {
    xpiPath,
    /** @param {(tb: Thunderbird) => Promise<void>} body */
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
    /** @param {import("./compose.mjs").Draft} d */
    async compose(d) {
      if (!tb) throw new Error("Thunderbird did not start");
      const compose = await openCompose(tb.marionette, d);
      composeWindows.push(compose);
      return compose;
    },
  };
}

/**
 * Asserts the send was cancelled: the dialog is gone, nothing reached the sink, and the
 * compose window is open, unlocked and still holds the whole draft.
 *
 * @param {Thunderbird} tb
 * @param {import("./dialog.mjs").Dialog} dialog
 * @param {import("./compose.mjs").ComposeWindow} compose
 * @param {import("./compose.mjs").Draft} d
 */
export async function assertCancelled(tb, dialog, compose, d) {
  await dialog.waitForClosed(5000);
  await sleep(QUIET_MS);
  assert.equal(tb.sink.messages.length, 0, "a cancelled send must not reach the SMTP server");
  assert.ok(await compose.isOpen(), "the compose window stays open after a cancel");
  const state = await compose.waitForUnlocked(5000);
  assert.deepEqual(
    { to: state.to, cc: state.cc, bcc: state.bcc, subject: state.subject, body: state.body, attachments: state.attachments },
    {
      to: d.to ?? [],
      cc: d.cc ?? [],
      bcc: d.bcc ?? [],
      subject: d.subject ?? "",
      body: d.body ?? "",
      attachments: (d.attachments ?? []).map((p) => path.basename(p)),
    },
    "the draft is intact after a cancel",
  );
}

/** @param {string} line */
export function appendTiming(line) {
  const file = path.join(REPO_ROOT, "target", "e2e-timings.txt");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}

/**
 * The addresses of a header of a delivered message (unfolded), lower-cased.
 * @param {string} data  the raw message
 * @param {string} name  `To`, `Cc`
 */
export function headerAddresses(data, name) {
  const head = data.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (!line) return [];
  return [...line.slice(name.length + 1).matchAll(/[^\s<>,"]+@[^\s<>,"]+/g)].map((m) => m[0].toLowerCase());
}
