// @ts-check
/**
 * Times the wasm engine as the add-on calls it: through `extension/engine/engine.js`,
 * including the conversion of the draft into wasm and of the review back into JavaScript.
 * Results go in BENCHMARKS.md.
 *
 * Run `cargo xtask dist` first, then `node tests/bench/engine-bench.mjs`.
 * Targets: a typical mail in under 250 µs per check; a 10 MB body at 200 MB/s or more.
 *
 * `--baseline DIR` also times another build on the typical mail, its rounds alternating with
 * this one's: DIR holds that build's `engine.js` and `pkg/`, as for boundary-bench.mjs.
 */
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { engine } from "../node/engine.mjs";
import { baselineEngine } from "./baseline.mjs";
import { policy, typicalBody, typicalDraft } from "./typical-mail.mjs";

const wasmUrl = new URL("../../extension/engine/pkg/misend_guard_wasm_bg.wasm", import.meta.url);

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The time of each of `rounds` checks of one draft, in milliseconds, after one check to warm up.
 * @param {{ check(draft: any): any }} checker
 * @param {any} draft
 * @param {number} rounds
 * @param {(review: any) => void} [verify] throws when the review is not the one being timed
 */
function timeChecks(checker, draft, rounds, verify = () => {}) {
  checker.check(draft);
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    const review = checker.check(draft);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    verify(review);
  }
  return times;
}

const e = await engine();
const checker = e.checker(policy, "ja");

/** The other build's checker, with `--baseline DIR`. */
const baseline = (await baselineEngine())?.checker(policy, "ja");

/**
 * The time of one check of `draft`, in microseconds, over a round of 500.
 * @param {{ check(draft: any): any }} c
 * @param {any} draft
 */
function typicalRound(c, draft) {
  const n = 500;
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) c.check(draft);
  return Number(process.hrtime.bigint() - start) / 1000 / n;
}

// A typical mail: many rounds of many checks; the median round gives the time per check.
const draft = typicalDraft();
if (baseline && JSON.stringify(baseline.check(draft)) !== JSON.stringify(checker.check(draft))) {
  throw new Error("the baseline build gives another review of the typical mail");
}
for (let i = 0; i < 2000; i++) {
  checker.check(draft);
  baseline?.check(draft);
}
const rounds = [];
/** @type {number[]} */
const baselineRounds = [];
for (let r = 0; r < 30; r++) {
  rounds.push(typicalRound(checker, draft));
  if (baseline) baselineRounds.push(typicalRound(baseline, draft));
}
const typical = median(rounds);

// A 10 MB body, without a reply header or signature that would end the author's part early.
const paragraph = typicalBody().replace("On 2026/11/20 10:00, Taro Yamada wrote:\n", "").replace("-- \n", "");
let huge = "";
while (Buffer.byteLength(huge) < 10_000_000) huge += paragraph;
const hugeDraft = { ...typicalDraft(), body: huge, attachments: [] };
const hugeBytes = Buffer.byteLength(huge);
const times = timeChecks(checker, hugeDraft, 7);
const hugeMs = median(times);

// The same body with one keyword match at its start: the rule's own search then reads it whole too.
const matchingDraft = { ...hugeDraft, body: `社外秘\n${huge}` };
const matchingTimes = timeChecks(checker, matchingDraft, 7, (review) => {
  if (!review.findings.some((/** @type {{code: string}} */ f) => f.code === "keyword")) throw new Error("the keyword rule did not match");
});
const matchingMs = median(matchingTimes);

// A rule with a Unicode word boundary: next to Japanese text the lazy DFA cannot decide it, so
// the regex crate's slower fallback (the PikeVM) reads the body. The worst case of an admin's rule.
const boundary = e.checker({ ...policy, keywords: [{ id: "word", pattern: "(?i)\\bconfidential\\b" }] }, "ja");
const boundaryTimes = timeChecks(boundary, hugeDraft, 3);
const boundaryMs = median(boundaryTimes);
boundary.free();

const wasm = await readFile(wasmUrl);
const gzipped = gzipSync(wasm, { level: 9 }).length;

console.log(`node ${process.version}`);
console.log(`typical mail (10 recipients, 5 KB body, 2 attachments, 4 keyword rules): ${typical.toFixed(1)} µs per check (median of ${rounds.length} rounds; target < 250 µs)`);
if (baseline) console.log(`typical mail, baseline build: ${median(baselineRounds).toFixed(1)} µs per check (rounds alternating with the above)`);
console.log(`10 MB body (${(hugeBytes / 1e6).toFixed(1)} MB): ${hugeMs.toFixed(1)} ms per check, ${(hugeBytes / 1e6 / (hugeMs / 1000)).toFixed(0)} MB/s (median of ${times.length}; target ≥ 200 MB/s)`);
console.log(`10 MB body with one keyword match: ${matchingMs.toFixed(1)} ms per check, ${(hugeBytes / 1e6 / (matchingMs / 1000)).toFixed(0)} MB/s (median of ${matchingTimes.length})`);
console.log(`10 MB body, one rule with \\b (Unicode word boundary): ${boundaryMs.toFixed(0)} ms per check, ${(hugeBytes / 1e6 / (boundaryMs / 1000)).toFixed(0)} MB/s (median of ${boundaryTimes.length})`);
console.log(`wasm: ${(wasm.length / 1024).toFixed(0)} KB raw, ${(gzipped / 1024).toFixed(0)} KB gzipped (the 550 KB budget is judged by cargo xtask dist on the shipped files)`);
checker.free();
baseline?.free();
