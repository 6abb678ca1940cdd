// @ts-check
/**
 * Starts Thunderbird with the add-on, an admin policy and a local SMTP sink, for trying it by hand.
 * `cargo xtask run` calls this after building the .xpi.
 *
 *     node tests/e2e/run-thunderbird.mjs [--xpi dist/misend-guard-0.1.0.xpi]
 *         [--policies extension/policies/example.policies.json] [--headless]
 *
 * The policies file is a whole policies.json; its `3rdparty.Extensions` entry for the add-on is used,
 * and its `Extensions.Install` is replaced by the --xpi path.
 * Mails that Thunderbird sends are printed here instead of leaving the machine.
 * Ctrl+C, or quitting Thunderbird, ends it and deletes the throwaway profile.
 */

import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";

import { ADDON_ID, findXpi, SENDER, startThunderbird } from "./lib/thunderbird.mjs";

const { values } = parseArgs({
  options: {
    xpi: { type: "string" },
    policies: { type: "string" },
    headless: { type: "boolean", default: false },
  },
});

const xpiPath = values.xpi ? path.resolve(values.xpi) : findXpi();
/** @type {object | null} */
let policy = null;
if (values.policies) {
  const file = JSON.parse(fs.readFileSync(values.policies, "utf8"));
  policy = file?.policies?.["3rdparty"]?.Extensions?.[ADDON_ID] ?? null;
  if (policy === null) {
    console.error(`${values.policies} has no policies.3rdparty.Extensions["${ADDON_ID}"]; starting without a policy.`);
  }
}
const headless = values.headless || !process.env.DISPLAY;

const tb = await startThunderbird({ xpiPath, policy, headless, name: "run", readyLine: null });
console.log(`Thunderbird ${headless ? "(headless) " : ""}runs with ${path.basename(xpiPath)} (add-on ${tb.addon.version}).`);
console.log(`Compose as ${SENDER.name} <${SENDER.email}>; mail goes to the SMTP sink on 127.0.0.1:${tb.sink.port}.`);
console.log(`Thunderbird's output: ${tb.logPath}`);

let shown = 0;
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await tb.stop({ failed: process.env.KEEP_TB_LOGS === "1" });
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

while (tb.isRunning() && !stopping) {
  for (; shown < tb.sink.messages.length; shown++) {
    const m = tb.sink.messages[shown];
    const subject = m.data.match(/^Subject: (.*)$/m)?.[1]?.trim() ?? "";
    console.log(`Sent: from ${m.mailFrom} to ${m.rcptTo.join(", ")}: ${subject}`);
  }
  await sleep(250);
}
await stop();
