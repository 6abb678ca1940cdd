// @ts-check
/**
 * The worst cases of BENCHMARKS.md's reliability table, through the wasm engine as the add-on
 * calls it (`extension/engine/engine.js`). One case per run, so that the peak memory of the
 * process (`/usr/bin/time -v`) is the case's own.
 *
 * Run `cargo xtask dist` first, then `node tests/bench/worst-case.mjs <case>`.
 * The native counterpart is `crates/rules/examples/worst_case.rs`.
 */
import { engine } from "../node/engine.mjs";

/** Names that differ in their last three letters: every two are near-identical. */
function nearIdentical(/** @type {number} */ n) {
  const letters = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(
    { length: n },
    (_, i) => `corporate${letters[i % 36]}${letters[Math.floor(i / 36) % 36]}${letters[Math.floor(i / 1296) % 36]}.example`,
  );
}

/** A typical mail: two recipients, 2 KB of Japanese and English text. */
const typical = {
  from: "me@corp.example",
  to: ["a@corp.example", "b@partner.example"],
  subject: "Minutes",
  body: "お世話になっております。会議の議事録をお送りします。The minutes follow.\n".repeat(25),
  attachments: [],
};

/** @template T @param {string} what @param {() => T} f @returns {T} */
function time(what, f) {
  const start = performance.now();
  const out = f();
  console.log(`${what}: ${(performance.now() - start).toFixed(1)} ms`);
  return out;
}

/** The policy, how it is given (object or text), the case's mail and the address books. */
function build(/** @type {string} */ name) {
  switch (name) {
    case "nested": {
      /** @type {unknown} */
      let value = 1;
      for (let i = 0; i < 3100; i++) value = { a: value };
      return { policy: value, mail: typical };
    }
    case "domains-100k": {
      const domains = Array.from({ length: 100_000 }, (_, i) => `d${i}.corp.example`);
      return { policy: { internalDomains: domains, knownDomains: domains }, mail: typical };
    }
    case "extensions-100k":
      return {
        policy: { rules: { "attachment-blocked-type": { extensions: Array.from({ length: 100_000 }, (_, i) => `x${i}`) } } },
        mail: typical,
      };
    case "keywords-1000":
      return {
        policy: { keywords: Array.from({ length: 1000 }, (_, i) => ({ id: `k${i}`, pattern: `\\w{1,10}k${i}` })) },
        mail: { ...typical, to: ["x@partner.example"], body: "社外秘の資料です。confidential data follows, word after word.\n".repeat(16_000) },
      };
    case "terms-10k":
      return {
        policy: { rules: { "attachment-forgotten": { terms: Array.from({ length: 10_000 }, (_, i) => `${"a".repeat(40)}${i}`) } } },
        mail: { ...typical, to: ["x@partner.example"], body: "a".repeat(100_000) },
      };
    case "lookalike-40k": {
      const names = nearIdentical(80_000);
      return { policy: { knownDomains: names.slice(0, 40_000) }, mail: { ...typical, to: names.slice(40_000).map((d) => `x@${d}`) } };
    }
    default:
      throw new Error("cases: nested domains-100k extensions-100k keywords-1000 terms-10k lookalike-40k");
  }
}

const { policy, mail } = build(process.argv[2] ?? "");
const e = await engine();
const checker = time("load", () => e.checker(policy, "en"));
const diagnostics = checker.diagnostics();
console.log(`diagnostics: ${diagnostics.length}, first: ${diagnostics[0]?.path} ${diagnostics[0]?.message}`);
const review = time("check", () => checker.check(mail));
console.log(`verdict: ${review.verdict}, degraded: ${review.degraded}`);
time("check typical mail", () => checker.check(typical));
