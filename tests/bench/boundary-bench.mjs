// @ts-check
/**
 * Times the whole check through the add-on's own wrapper (`extension/engine/engine.js`: the
 * draft into wasm, every check, the review back as JavaScript objects) against FlexConfirmMail's
 * `RecipientClassifier`, on the same recipient lists in one node process (issue #13).
 * Results go in BENCHMARKS.md.
 *
 * Run `cargo xtask dist` first, then `node tests/bench/boundary-bench.mjs`.
 * FlexConfirmMail's classifier is read from tests/bench/anchor/ (see its README for where it
 * comes from); without it, only the engine is timed.
 * Target: the engine at least 2× faster than the classifier at 1,000 and 10,000 recipients.
 *
 * `--baseline DIR` also times another build in the same rounds: DIR holds that build's
 * `engine.js` and its `pkg/` (for example `git show <commit>:extension/engine/engine.js` and the
 * `extension/engine/pkg` that `cargo xtask dist` built at that commit), so that a change is
 * measured against what it replaces on the same machine at the same moment.
 *
 * `--cpu` times the process's CPU time (user and system) instead of the wall clock: on a machine
 * shared with other builds, the wall clock also counts the moments the process waits for a core.
 */
import { access } from "node:fs/promises";
import { engine } from "../node/engine.mjs";
import { baselineEngine } from "./baseline.mjs";

const anchorUrl = new URL("./anchor/recipient-classifier.js", import.meta.url);

/** The internal domains of both sides. */
const INTERNAL = ["corp.example", "*.corp.example"];

/**
 * ⅓ internal `社員N <staffN@corp.example>`, ⅔ `Guest N <guestN@partnerK.example>` over 50 partner domains.
 * @param {number} n
 */
export function recipients(n) {
  return Array.from({ length: n }, (_, i) =>
    i % 3 === 0 ? `社員${i} <staff${i}@corp.example>` : `Guest ${i} <guest${i}@partner${i % 50}.example>`,
  );
}

/** Whether rounds are timed in CPU time rather than on the wall clock. */
const cpu = process.argv.includes("--cpu");

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * How many calls make one timed round of a list of `n`, so that a round lasts a few milliseconds.
 * @param {number} n
 */
const perRound = (n) => Math.max(1, Math.round(2000 / n));

/**
 * The median time of one call, in microseconds, over `rounds` rounds of `calls` calls each.
 * @param {() => unknown} call
 * @param {number} calls
 * @returns {number}
 */
function round(call, calls) {
  if (cpu) {
    const start = process.cpuUsage();
    for (let i = 0; i < calls; i++) call();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / calls;
  }
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) call();
  return Number(process.hrtime.bigint() - start) / 1000 / calls;
}

let Classifier;
try {
  await access(anchorUrl);
  ({ RecipientClassifier: Classifier } = await import(anchorUrl.href));
} catch {
  console.log("FlexConfirmMail's classifier is not in tests/bench/anchor/ (see its README): timing the engine alone");
}

const e = await engine();
const checker = e.checker({ internalDomains: INTERNAL }, "ja");
const anchor = Classifier ? new Classifier({ internalDomains: INTERNAL }) : undefined;

/** The other build's checker, with `--baseline DIR`. */
const baseline = (await baselineEngine())?.checker({ internalDomains: INTERNAL }, "ja");

console.log(`node ${process.version}, engine ${e.version}${cpu ? ", CPU time" : ""}`);
for (const n of [10, 1000, 10000]) {
  const list = recipients(n);
  const draft = { from: "自分 <me@corp.example>", to: list, subject: "打ち合わせの件", body: "よろしくお願いいたします。" };
  const internal = Math.ceil(n / 3);

  // Both give the same classification, or the comparison means nothing.
  const review = checker.check(draft);
  const ours = review.recipients.filter((/** @type {{ class: string }} */ r) => r.class === "internal").length;
  if (ours !== internal) throw new Error(`the engine found ${ours} internal recipients of ${n}, not ${internal}`);
  if (anchor) {
    const theirs = anchor.classify(list).internals.length;
    if (theirs !== internal) throw new Error(`the classifier found ${theirs} internal recipients of ${n}, not ${internal}`);
  }
  if (baseline && JSON.stringify(baseline.check(draft)) !== JSON.stringify(review)) {
    throw new Error(`the baseline build gives another review of ${n} recipients`);
  }

  const calls = perRound(n);
  const rounds = n >= 10000 ? 15 : 31;
  // Warm both up, then alternate their rounds so that a busy moment of the machine hits both.
  for (let i = 0; i < 3; i++) {
    round(() => checker.check(draft), calls);
    if (anchor) round(() => anchor.classify(list), calls);
    if (baseline) round(() => baseline?.check(draft), calls);
  }
  /** @type {number[]} */
  const engineTimes = [];
  /** @type {number[]} */
  const anchorTimes = [];
  /** @type {number[]} */
  const baselineTimes = [];
  for (let r = 0; r < rounds; r++) {
    engineTimes.push(round(() => checker.check(draft), calls));
    if (anchor) anchorTimes.push(round(() => anchor.classify(list), calls));
    if (baseline) baselineTimes.push(round(() => baseline?.check(draft), calls));
  }
  const ourMedian = median(engineTimes);
  const format = (/** @type {number} */ us) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`);
  let line = `${String(n).padStart(6)} recipients: engine ${format(ourMedian)}`;
  if (anchor) {
    const theirMedian = median(anchorTimes);
    line += `, FlexConfirmMail ${format(theirMedian)}, engine ${(theirMedian / ourMedian).toFixed(2)}× as fast`;
  }
  if (baseline) {
    const baselineMedian = median(baselineTimes);
    line += `; baseline ${format(baselineMedian)}`;
    if (anchor) line += ` (${(median(anchorTimes) / baselineMedian).toFixed(2)}× as fast as FlexConfirmMail)`;
    line += `, ${(baselineMedian / ourMedian).toFixed(2)}× faster now`;
  }
  console.log(`${line} (median of ${rounds} rounds of ${calls})`);
}
checker.free();
baseline?.free();
