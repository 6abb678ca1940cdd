// @ts-check
/**
 * Times the checks that ask who a mail is for through the wasm engine, as the add-on calls it
 * (`extension/engine/engine.js`): the typical mail of engine-bench.mjs, alone and with an
 * address book of 5,000 contact cards (name and organisation) held by the checker, as the add-on
 * hands its address books over once, when they change (`setContext`); and the time of that
 * handing over itself. Results go in BENCHMARKS.md.
 *
 * Run `cargo xtask dist` first, then `node tests/bench/who-bench.mjs [MODULE.wasm]`; the
 * optional path times another build of the module (an earlier one, to compare) through the
 * same bindings.
 */
import { readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { loadEngine } from "../../extension/engine/engine.js";
import { policy, typicalDraft } from "./typical-mail.mjs";

const path = process.argv[2] ?? new URL("../../extension/engine/pkg/misend_guard_wasm_bg.wasm", import.meta.url);
const bytes = await readFile(path);
const e = await loadEngine(bytes);

const draft = typicalDraft();

/** 5,000 cards at 1,000 companies, as the add-on reads them from the address books. */
const family = ["鈴木", "佐藤", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];
const cards = Array.from({ length: 5000 }, (_, i) => ({
  address: `person${i}@company${Math.floor(i / 5)}.example`,
  name: `${family[i % 10]} ${i}郎`,
  org: `株式会社カンパニー${Math.floor(i / 5)}`,
}));

/**
 * The median time of one check, in µs, over rounds of many checks after a warm-up.
 * @param {any} checker
 * @param {any} context
 */
function time(checker, context) {
  for (let i = 0; i < 300; i++) checker.check(draft, context);
  const rounds = [];
  for (let r = 0; r < 15; r++) {
    const n = 100;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) checker.check(draft, context);
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / n);
  }
  return [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
}

/**
 * The median time, in ms, of handing an address book over: a check with a new array each time
 * (the engine keeps the context until the caller gives another array).
 * @param {any} checker
 * @param {readonly unknown[]} contacts
 */
function handOver(checker, contacts) {
  const rounds = [];
  for (let r = 0; r < 9; r++) {
    const given = { contacts: [...contacts] };
    const start = process.hrtime.bigint();
    checker.check(draft, given);
    rounds.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)];
}

const checker = e.checker(policy, "ja");
const strings = cards.map((c) => `${c.name}（${c.org}） <${c.address}>`);
const alone = time(checker, null);
const withStrings = time(checker, { contacts: strings });
const withCards = time(checker, { contacts: cards });
const cardsOver = handOver(checker, cards);
const stringsOver = handOver(checker, strings);
console.log(`node ${process.version}, module ${path}`);
console.log(`typical mail, no address book: ${alone.toFixed(1)} µs per check`);
console.log(`typical mail, 5,000 contact cards held: ${withCards.toFixed(1)} µs per check`);
console.log(`typical mail, 5,000 contacts as strings held: ${withStrings.toFixed(1)} µs per check`);
console.log(`handing over 5,000 contact cards, with one check: ${cardsOver.toFixed(1)} ms`);
console.log(`handing over 5,000 contacts as strings, with one check: ${stringsOver.toFixed(1)} ms`);
console.log(`module: ${(bytes.length / 1024).toFixed(0)} KB raw, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KB gzipped`);
checker.free();
