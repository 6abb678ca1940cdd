// @ts-check
/**
 * Times how the wasm engine takes in a large address book (issue #13), as a cold Send does:
 * in a fresh process (the module just compiled, as an event page that was unloaded compiles
 * it again), the first check with 5,000 vCards' 10,000 entries (the address book of
 * tests/e2e/address-books.test.mjs, as contacts.js hands it over: `"Name" <addr>`), which
 * hands the context over (`setContext`) and builds the contacts' indexes; then the same with
 * the engine warm. Results go in BENCHMARKS.md.
 *
 * Run `cargo xtask dist` first, then `node tests/bench/context-bench.mjs [MODULE.wasm]`; run it
 * in turns with another build's module to compare (each run is one fresh process).
 */
import { readFile } from "node:fs/promises";
import { loadEngine } from "../../extension/engine/engine.js";
import { policy, typicalDraft } from "./typical-mail.mjs";

const path = process.argv[2] ?? new URL("../../extension/engine/pkg/misend_guard_wasm_bg.wasm", import.meta.url);
const bytes = await readFile(path);

/** The entries of the Thunderbird test's 5,000 vCards, each with two addresses. */
const contacts = Array.from({ length: 5000 }, (_, i) => {
  const name = `山田 太郎 ${i} (営業部 第一グループ 課長代理 兼 海外事業推進室 担当)`;
  return [`"${name}" <taro.yamada.${i}@partner${i % 300}.example>`, `"${name}" <t.yamada.${i}@branch.partner${i % 300}.example>`];
}).flat();
const draft = typicalDraft();
draft.to = [...draft.to, "taro.yamada.4999@partner199.example", "t.yamada.17@branch.partner17.example"];

const ms = (/** @type {bigint} */ start) => Number(process.hrtime.bigint() - start) / 1e6;

let start = process.hrtime.bigint();
const e = await loadEngine(bytes);
const checker = e.checker(policy, "ja");
const loaded = ms(start);
checker.check(draft, null);
start = process.hrtime.bigint();
const review = checker.check(draft, { contacts });
const cold = ms(start);
start = process.hrtime.bigint();
checker.check(draft, { contacts });
const held = ms(start);
const warm = [];
for (let i = 0; i < 9; i++) {
  start = process.hrtime.bigint();
  checker.check(draft, { contacts: [...contacts] });
  warm.push(ms(start));
}
warm.sort((a, b) => a - b);
const findings = review.findings.map((/** @type {any} */ f) => f.code).join(",");
console.log(
  `${path}: load ${loaded.toFixed(1)} ms; first check with 10,000 entries ${cold.toFixed(1)} ms, ` +
    `the next (context held) ${held.toFixed(2)} ms; warm, context handed over: median ${warm[4].toFixed(1)} ms; findings ${findings}`,
);
checker.free();
