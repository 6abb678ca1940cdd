// @ts-check
/**
 * Send → dialog visible in a real Thunderbird, against its baseline measured in the same run:
 * a bare add-on whose `compose.onBeforeSend` opens a popup with one line of static text and
 * does nothing else, as large as Misend Guard's dialog for the same mail (its window's size is
 * read from Misend Guard's first Send; `--bare-size 640x480` gives it a size of its own).
 * Run after `cargo xtask dist`:
 *
 *     node tests/bench/dialog-bench.mjs [--rounds 3] [--sends 7] [--recipients 1000] [--xpi file] [--bare-size dialog|WxH]
 *
 * Each round starts one Thunderbird with the bare add-on and one with Misend Guard (in turns, so
 * that the machine's load falls on both alike) and presses Send `--sends` times in each. A
 * third instance, with a 2 s background idle timeout, measures the cold Send: the first Send
 * after Thunderbird has unloaded the idle background; a fourth, the bare popup's cold Send (what
 * waking an event page costs any add-on), each round. `--recipients N` adds three Sends with N
 * recipients to each instance of each round, the bare popup's included: what Thunderbird itself
 * takes for that many (it is busy for a while after it fires `onBeforeSend`, and the bare
 * popup's `windows.create` waits as long). `--xpi` measures another build of the add-on;
 * `--versus file` adds a third instance to each round with that build (an earlier one), and with
 * `--cold` an idle instance of each build in each round, so that both are measured in turns on
 * the same load.
 * For Misend Guard's Sends the background's own log line is read too: `reviewed in` (from
 * `onBeforeSend` to the review), split into gathering (mostly waiting for Thunderbird's answers)
 * and the check.
 *
 * "Visible" is the page's own clock: the `misend-guard:ready` performance mark that both pages
 * set once their content is in the document (Misend Guard's after it has rendered the review;
 * of a long list, the first rows, the rest being built after the first paint), or the first
 * contentful paint if that came later. The time starts when the Send button is clicked. The
 * numbers are appended to target/e2e-timings.txt and printed as a table. With
 * `DIALOG_BENCH_STEPS=1` each Send's steps are printed too, in milliseconds from the page's
 * start: the document's own, and the dialog's marks (`connect`: its script runs; `review`: it
 * has the review; `rendered`: the DOM is built; the visible moment as `ready`). A dialog shown
 * without its style sheet fails the run.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";

import { openCompose } from "../e2e/lib/compose.mjs";
import { closeAllDialogs, waitForDialog } from "../e2e/lib/dialog.mjs";
import { writeZip } from "../e2e/lib/stub-addon.mjs";
import { ADDON_ID, findXpi, READY_LINE, REPO_ROOT, startThunderbird } from "../e2e/lib/thunderbird.mjs";

const { values: options } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    sends: { type: "string", default: "7" },
    cold: { type: "string", default: "5" },
    recipients: { type: "string", default: "0" },
    xpi: { type: "string" },
    versus: { type: "string" },
    "bare-size": { type: "string", default: "dialog" },
  },
});
const ROUNDS = Number(options.rounds);
const SENDS = Number(options.sends);
const COLD = Number(options.cold);
const MANY = Number(options.recipients);

/**
 * The baseline: a popup and nothing else, as large as Misend Guard's dialog for the same mail
 * (the size of the window is Thunderbird's work, painted pixel by pixel in a headless run), or
 * `--bare-size WxH`.
 * @param {{ width: number, height: number }} size
 */
const bare = (size) => ({
  "manifest.json": JSON.stringify({
    manifest_version: 3,
    name: "Bare popup (benchmark baseline)",
    version: "1.0",
    browser_specific_settings: { gecko: { id: ADDON_ID, strict_min_version: "128.0" } },
    background: { scripts: ["background.js"] },
    permissions: ["compose"],
  }),
  "background.js": `
const open = new Map();
messenger.compose.onBeforeSend.addListener(async () => {
  const win = await messenger.windows.create({ type: "popup", url: "bare.html", width: ${size.width}, height: ${size.height} });
  return new Promise((resolve) => open.set(win.id, resolve));
});
messenger.windows.onRemoved.addListener((id) => {
  open.get(id)?.({ cancel: true });
  open.delete(id);
});
console.log(${JSON.stringify(READY_LINE)});
`,
  "bare.html": `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bare</title></head>
<body><p>Bare popup</p><script src="bare.js"></script></body></html>`,
  "bare.js": `performance.mark("misend-guard:ready"); document.documentElement.dataset.ready = "1";`,
});

const POLICY = { internalDomains: ["corp.example"] };

/** @param {number} n */
function draft(n = 3) {
  const to = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `staff${i}@corp.example` : `guest${i}@partner${i % 50}.example`));
  return { to, subject: "Benchmark", body: "お世話になっております。\n\n資料をお送りします。\n" };
}

/** @type {{ width: number, height: number } | null} the window of Misend Guard's dialog for the small mail */
let dialogSize = null;
/** @type {[number, number][]} each timed Send's time until the page starts loading, and in the page */
let parts = [];
/** @type {number[][]} each timed Send's background times: reviewed in, gathering, the check */
let logged = [];
const REVIEWED = /misend-guard: reviewed in ([\d.]+) ms(?: \(gathering ([\d.]+) ms, the check ([\d.]+) ms\))?/;

/**
 * Presses Send and returns the milliseconds until the dialog was visible.
 *
 * @param {Awaited<ReturnType<typeof startThunderbird>>} tb
 * @param {number} recipients
 */
async function oneSend(tb, recipients) {
  const compose = await openCompose(tb.marionette, draft(recipients));
  const from = tb.lines.length;
  try {
    const clickedAt = await compose.clickSend();
    const dialog = await waitForDialog(tb.marionette, { timeoutMs: 30000 });
    const page = await dialog.execute(`
      const mark = performance.getEntriesByName("misend-guard:ready")[0];
      const paint = performance.getEntriesByName("first-contentful-paint")[0];
      const nav = /** @type {any} */ (performance.getEntriesByType("navigation")[0]);
      const loaded = Math.max(0, ...performance.getEntriesByType("resource").map((r) => r.responseEnd));
      const marks = Object.fromEntries(performance.getEntriesByType("mark").filter((m) => m.name.startsWith("misend-guard:")).map((m) => [m.name.slice(13), Math.round(m.startTime)]));
      const steps = nav && { interactive: nav.domInteractive, domContentLoaded: nav.domContentLoadedEventEnd, resourcesLoaded: loaded, paint: paint?.startTime, ...marks };
      // A dialog shown without its style sheet would be quick and wrong: such a Send fails the run.
      const styled = document.getElementById("app") === null || getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() !== "";
      const size = { width: window.outerWidth, height: window.outerHeight };
      return mark ? { origin: performance.timeOrigin, at: Math.max(mark.startTime, paint ? paint.startTime : 0), steps, styled, size } : null;
    `);
    if (!page) throw new Error("the page set no misend-guard:ready mark");
    if (!page.styled) throw new Error("the dialog is shown without its style sheet");
    // Until the bare add-on is written: the Sends of the first instance, the last one's size.
    if (recipients === 3 && !fs.existsSync(bareXpi)) dialogSize = page.size;
    // Until the page starts loading (the add-on's work and the window), and in the page.
    parts.push([page.origin - clickedAt, page.at]);
    const line = tb.lines.slice(from).map((l) => REVIEWED.exec(l)).find(Boolean);
    if (line) logged.push(line.slice(1).filter((x) => x !== undefined).map(Number));
    if (process.env.DIALOG_BENCH_STEPS) console.log(JSON.stringify({ ...page.steps, ready: page.at, ...(line ? { background: line[0].slice(14) } : {}) }));
    return page.origin + page.at - clickedAt;
  } finally {
    await closeAllDialogs(tb.marionette).catch(() => {});
    await compose.discard().catch(() => {});
  }
}

/**
 * @param {{ name: string, xpiPath: string, prefs?: Record<string, number> }} addon
 * @param {(tb: Awaited<ReturnType<typeof startThunderbird>>) => Promise<void>} body
 */
async function withInstance(addon, body) {
  const tb = await startThunderbird({ name: `bench-${addon.name}`, xpiPath: addon.xpiPath, policy: POLICY, prefs: addon.prefs ?? {} });
  try {
    // The first compose window of an instance is slow for reasons of its own; it is not timed.
    await oneSend(tb, 3);
    await body(tb);
  } finally {
    await tb.stop();
  }
}

/** @param {number[]} xs */
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const bareXpi = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bare-popup-")), "bare.xpi");
const fixedSize = /^(\d+)x(\d+)$/.exec(options["bare-size"] ?? "");
if (!fixedSize && options["bare-size"] !== "dialog") throw new Error("--bare-size is `dialog` or WxH, such as 640x480");
/** The bare add-on, written once the size of its popup is known. */
const bareAddon = () => {
  const size = fixedSize ? { width: Number(fixedSize[1]), height: Number(fixedSize[2]) } : dialogSize;
  if (!size) throw new Error("the dialog's size is not known yet");
  if (!fs.existsSync(bareXpi)) {
    writeZip(bareXpi, bare(size));
    console.log(`the bare popup opens at ${size.width}×${size.height}`);
  }
  return bareXpi;
};
const ours = options.xpi ?? findXpi();

/** @type {Record<string, number[]>} */
const times = { bare: [], warm: [], versus: [], cold: [], "bare-cold": [], "versus-cold": [], "bare-many": [], many: [], "versus-many": [] };
/** @type {Record<string, [number, number][]>} */
const split = { bare: [], warm: [], versus: [], cold: [], "bare-cold": [], "versus-cold": [], "bare-many": [], many: [], "versus-many": [] };
/** @type {Record<string, number[][]>} */
const background = { warm: [], versus: [], cold: [], "versus-cold": [], many: [], "versus-many": [] };
// An instance that is not timed: the first Thunderbird of a run starts slower than the rest,
// and its Sends give the size of Misend Guard's dialog for the bare popup (the second one's:
// during the first the Sent index may still be built, which leaves one finding out).
if (!fixedSize) await withInstance({ name: "size", xpiPath: ours }, (tb) => oneSend(tb, 3).then(() => {}));
for (let round = 0; round < ROUNDS; round++) {
  /** @type {[string, string | null][]} */
  const instances = [["bare", null], ["misend-guard", ours]];
  if (options.versus) instances.push(["versus", options.versus]);
  if (round % 2) instances.reverse();
  for (const [name, xpi] of instances) {
    await withInstance({ name, xpiPath: xpi ?? bareAddon() }, async (tb) => {
      const kind = name === "bare" ? "bare" : name === "versus" ? "versus" : "warm";
      parts = [];
      logged = [];
      for (let i = 0; i < SENDS; i++) times[kind].push(await oneSend(tb, 3));
      split[kind].push(...parts);
      background[kind]?.push(...logged);
      if (MANY > 0) {
        const many = kind === "warm" ? "many" : `${kind}-many`;
        parts = [];
        logged = [];
        for (let i = 0; i < 3; i++) times[many].push(await oneSend(tb, MANY));
        split[many].push(...parts);
        background[many]?.push(...logged);
      }
    });
  }
}
if (COLD > 0) {
  // The bare popup's cold Sends too (what waking an event page costs any add-on), and with
  // --versus the earlier build's; in turns, one instance per build and round.
  /** @type {[string, string][]} */
  const builds = [["cold", ours], ["bare-cold", bareAddon()]];
  if (options.versus) builds.push(["versus-cold", options.versus]);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [kind, xpiPath] of round % 2 ? [...builds].reverse() : builds) {
      await withInstance({ name: `${kind}-idle`, xpiPath, prefs: { "extensions.background.idle.timeout": 2000 } }, async (tb) => {
        parts = [];
        logged = [];
        for (let i = 0; i < COLD; i++) {
          // Twice the idle timeout: Thunderbird has unloaded the background by then.
          await sleep(4500);
          times[kind].push(await oneSend(tb, 3));
        }
        split[kind].push(...parts);
        background[kind]?.push(...logged);
      });
    }
  }
}

const base = median(times.bare);
// Set by the Sends above (TypeScript does not see assignments made in a function).
const shownSize = /** @type {{ width: number, height: number } | null} */ (dialogSize);
const warm = median(times.warm);
const rows = [
  [`bare popup (baseline), ${fixedSize ? options["bare-size"] : `${shownSize?.width}x${shownSize?.height}`}`, base, "", times.bare],
  ["Misend Guard, small mail", warm, `${(warm / base).toFixed(2)}× the baseline`, times.warm],
];
if (times.versus.length) rows.push([`--versus ${path.basename(options.versus ?? "")}, small mail`, median(times.versus), `${(median(times.versus) / base).toFixed(2)}× the baseline`, times.versus]);
if (times.cold.length) rows.push(["Misend Guard, cold (background unloaded)", median(times.cold), `${(median(times.cold) / warm).toFixed(2)}× the warm Send`, times.cold]);
if (times["bare-cold"].length) rows.push(["bare popup, cold (background unloaded)", median(times["bare-cold"]), `${(median(times["bare-cold"]) / base).toFixed(2)}× its warm Send`, times["bare-cold"]]);
if (times["versus-cold"].length) rows.push(["--versus, cold", median(times["versus-cold"]), `${(median(times["versus-cold"]) / median(times.versus)).toFixed(2)}× its warm Send`, times["versus-cold"]]);
if (times["bare-many"].length) rows.push([`bare popup, ${MANY} recipients`, median(times["bare-many"]), "", times["bare-many"]]);
if (times.many.length) rows.push([`Misend Guard, ${MANY} recipients`, median(times.many), "", times.many]);
if (times["versus-many"].length) rows.push([`--versus, ${MANY} recipients`, median(times["versus-many"]), "", times["versus-many"]]);
console.log(`Send → dialog visible, median of each (ms), ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
for (const [label, m, ratio, all] of rows) {
  console.log(`${String(label).padEnd(44)} ${String(Math.round(Number(m))).padStart(6)}  ${String(ratio).padEnd(22)} [${/** @type {number[]} */ (all).map(Math.round).join(", ")}]`);
}
for (const [label, xs] of Object.entries(split)) {
  if (xs.length === 0) continue;
  console.log(`${label}: until the page loads ${Math.round(median(xs.map((x) => x[0])))} ms, in the page ${Math.round(median(xs.map((x) => x[1])))} ms (medians)`);
}
for (const [label, xs] of Object.entries(background)) {
  if (xs.length === 0) continue;
  const col = (/** @type {number} */ i) => xs.map((x) => x[i]).filter((x) => x !== undefined);
  const parts = [`reviewed in ${median(col(0)).toFixed(1)} ms`];
  if (col(1).length) parts.push(`gathering ${median(col(1)).toFixed(1)} ms`, `the check ${median(col(2)).toFixed(1)} ms`);
  console.log(`${label}: the background's log, ${parts.join(", ")} (medians)`);
}
const file = path.join(REPO_ROOT, "target", "e2e-timings.txt");
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.appendFileSync(
  file,
  `${new Date().toISOString()} dialog-bench bare-ms=${base} warm-ms=${warm} ratio=${(warm / base).toFixed(2)}` +
    (times.cold.length ? ` cold-ms=${median(times.cold)}` : "") +
    (times.many.length ? ` recipients-${MANY}-ms=${median(times.many)}` : "") +
    ` load=${os.loadavg()[0].toFixed(1)}\n`,
);
