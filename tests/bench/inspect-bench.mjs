// @ts-check
/**
 * Times the attachment inspector's wasm module as the add-on calls it (`inspect(bytes, name, limits,
 * decode)`), including the conversion of the facts into JavaScript objects. Results go in BENCHMARKS.md.
 *
 * Run `cargo xtask dist` first, then `node tests/bench/inspect-bench.mjs`. The workbook and the document
 * are the criterion benchmark's inputs (crates/inspect/benches/inputs.rs), written by
 * `cargo run --release -p misend-guard-inspect --example bench_inputs -- target/bench-inputs`, which this
 * script runs when they are missing.
 * Targets: a 1 MB .xlsx of 5,000 rows ≤ 50 ms; a 10 MB .docx ≤ 300 ms; a 42 KB zip bomb ≤ 10 ms.
 *
 * The machine may be shared: besides the wall time, the CPU time of this process per inspection is
 * given, which other work on the machine does not inflate as much.
 */
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { initSync, inspect } from "../../extension/inspect/pkg/misend_guard_inspect_wasm.js";

const root = new URL("../../", import.meta.url);
const wasm = await readFile(new URL("extension/inspect/pkg/misend_guard_inspect_wasm_bg.wasm", root));
initSync({ module: wasm });

const inputs = new URL("target/bench-inputs/", root);
if (!existsSync(new URL("people.xlsx", inputs))) {
  execFileSync(
    "cargo",
    ["run", "--release", "-p", "misend-guard-inspect", "--example", "bench_inputs", "--", "target/bench-inputs"],
    { cwd: root, stdio: "inherit" },
  );
}

/** The add-on's decoder. @param {string} label @param {Uint8Array} bytes */
const decode = (label, bytes) => new TextDecoder(label).decode(bytes);

/** @param {number[]} xs */
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Inspects `bytes` `rounds` times after two warm-up runs.
 * @param {Uint8Array} bytes @param {string} name @param {number} rounds
 * @param {(facts: any) => void} verify throws when the facts are not the ones being timed
 * @returns {{ wall: number, cpu: number }} the median wall time and the mean CPU time, in ms
 */
function time(bytes, name, rounds, verify) {
  verify(inspect(bytes, name, undefined, decode));
  inspect(bytes, name, undefined, decode);
  const walls = [];
  const cpu = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    inspect(bytes, name, undefined, decode);
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const used = process.cpuUsage(cpu);
  return { wall: median(walls), cpu: (used.user + used.system) / 1000 / rounds };
}

/** @param {string} file */
const bytesOf = async (file) => new Uint8Array(await readFile(file));
const xlsx = await bytesOf(new URL("people.xlsx", inputs).pathname);
const docx = await bytesOf(new URL("contract.docx", inputs).pathname);
const bomb = await bytesOf(new URL("tests/attachments/bomb.zip", root).pathname);

const results = [
  {
    what: `.xlsx, 5,000 rows (${(xlsx.length / 1e6).toFixed(2)} MB)`,
    target: 50,
    ...time(xlsx, "people.xlsx", 30, (f) => {
      if (f.tables[0].rows !== 4999 || f.problems.length) throw new Error("the workbook was not read whole");
    }),
  },
  {
    what: `.docx, 10 MB of document.xml (${(docx.length / 1e6).toFixed(2)} MB)`,
    target: 300,
    ...time(docx, "contract.docx", 10, (f) => {
      if (f.kind !== "docx" || f.problems.length) throw new Error("the document was not read whole");
    }),
  },
  {
    what: `42.zip-style bomb (${(bomb.length / 1e3).toFixed(0)} KB)`,
    target: 10,
    ...time(bomb, "bomb.zip", 200, (f) => {
      if (!JSON.stringify(f.entries).includes("limit-ratio")) throw new Error("the bomb was not refused");
    }),
  },
];

console.log(`node ${process.version}`);
for (const r of results) {
  console.log(`${r.what}: ${r.wall.toFixed(1)} ms wall (median), ${r.cpu.toFixed(1)} ms CPU (mean); target ≤ ${r.target} ms`);
}
const gzipped = gzipSync(wasm, { level: 9 }).length;
console.log(`wasm: ${(wasm.length / 1024).toFixed(0)} KB raw, ${gzipped} B = ${(gzipped / 1024).toFixed(1)} KB gzipped (budget ≤ 150 KB)`);
