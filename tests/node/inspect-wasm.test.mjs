// @ts-check
/**
 * The attachment inspector's wasm module (built by `cargo xtask dist` into extension/inspect/pkg/),
 * called as the add-on calls it: legacy Japanese charsets are decoded through the platform's
 * `TextDecoder`, passed as the optional fourth argument of `inspect()`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { defaultLimits, initSync, inspect } from "../../extension/inspect/pkg/misend_guard_inspect_wasm.js";

const wasmUrl = new URL("../../extension/inspect/pkg/misend_guard_inspect_wasm_bg.wasm", import.meta.url);
let wasm;
try {
  wasm = await readFile(wasmUrl);
} catch {
  throw new Error("the attachment inspector is not built: run `cargo xtask dist` first");
}
initSync({ module: wasm });

/** @param {string} name */
async function fixture(name) {
  return new Uint8Array(await readFile(new URL(`../attachments/${name}`, import.meta.url)));
}

/** The add-on's decoder. @param {string} label @param {Uint8Array} bytes */
const textDecoder = (label, bytes) => new TextDecoder(label).decode(bytes);

test("a Shift_JIS CSV is decoded through TextDecoder and read as a table of people", async () => {
  /** @type {string[]} */
  const labels = [];
  /** @param {string} label @param {Uint8Array} bytes */
  const recording = (label, bytes) => {
    labels.push(label);
    assert.ok(bytes instanceof Uint8Array);
    return textDecoder(label, bytes);
  };
  const facts = inspect(await fixture("customers-sjis.csv"), "customers-sjis.csv", undefined, recording);
  assert.deepEqual(labels, ["shift_jis"]);
  assert.deepEqual(facts.undecoded, []);
  assert.deepEqual(facts.tables[0].header, ["氏名", "住所", "電話番号"]);
  assert.equal(facts.tables[0].rows, 50);
  assert.equal(facts.tables[0].columns[2].class, "phone");
  assert.match(facts.text[0].place, /^lines 1-/);
});

test("an ISO-2022-JP text file is decoded in its place", () => {
  // 「社外秘」 in ISO-2022-JP: ESC $ B, the JIS X 0208 bytes, ESC ( B.
  const bytes = new Uint8Array([0x1b, 0x24, 0x42, 0x3c, 0x52, 0x33, 0x30, 0x48, 0x6b, 0x1b, 0x28, 0x42, 0x0a]);
  const facts = inspect(bytes, "memo.txt", null, textDecoder);
  assert.deepEqual(facts.undecoded, []);
  assert.deepEqual(facts.text, [{ place: "line 1", text: "社外秘" }]);
});

test("without a decoder, or with one that throws or returns no string, the text stays undecoded", async () => {
  const bytes = await fixture("customers-sjis.csv");
  const decoders = [
    undefined,
    () => {
      throw new RangeError("no such encoding");
    },
    () => 42,
  ];
  for (const decode of decoders) {
    const facts = inspect(bytes, "customers-sjis.csv", undefined, /** @type {any} */ (decode));
    assert.equal(facts.undecoded.length, 1);
    assert.equal(facts.undecoded[0].charset, "shift_jis");
    assert.deepEqual(facts.undecoded[0].bytes, Array.from(bytes));
    assert.deepEqual(facts.tables, []);
  }
  // The module is still usable after a decoder threw inside it.
  assert.equal(inspect(bytes, "customers-sjis.csv", undefined, textDecoder).tables[0].rows, 50);
});

test("limits are read from a plain object: the keys given apply, the rest keep their defaults", async () => {
  const defaults = defaultLimits();
  assert.deepEqual(Object.keys(defaults).sort(), [
    "maxBytes",
    "maxCells",
    "maxDepth",
    "maxEntries",
    "maxExpandedBytes",
    "maxRatio",
    "maxTextBytes",
    "minRows",
    "blockedExtensions",
  ].sort());
  assert.equal(defaults.maxDepth, 2);
  const zip = await fixture("ordinary.zip");
  const reasons = (/** @type {any} */ limits) =>
    inspect(zip, "ordinary.zip", limits).problems.map((/** @type {{ reason: string }} */ p) => p.reason);
  assert.deepEqual(reasons(undefined), []);
  assert.deepEqual(reasons(null), []);
  assert.deepEqual(reasons({ ...defaults, unknownKey: "ignored" }), []);
  assert.deepEqual(reasons({ maxEntries: 1 }), ["limit-entries"]);
  assert.deepEqual(reasons({ maxBytes: 10, maxEntries: null }), ["limit-bytes"]);
  // The settings of the checks the inspector judges: the deny list, and the rows of a list of people.
  const codes = (/** @type {Uint8Array} */ bytes, /** @type {string} */ name, /** @type {any} */ limits) =>
    inspect(bytes, name, limits).assessments?.map((/** @type {{ code: string }} */ a) => a.code) ?? [];
  const tools = await fixture("tools.zip");
  assert.deepEqual(codes(tools, "tools.zip", null), []);
  assert.deepEqual(codes(tools, "tools.zip", { blockedExtensions: ["exe"] }), ["attachment-blocked-type"]);
  const people = await fixture("customers.xlsx");
  assert.deepEqual(codes(people, "customers.xlsx", null), ["attachment-personal-data"]);
  assert.deepEqual(codes(people, "customers.xlsx", { minRows: 100000 }), []);
});

test("limits of the wrong shape throw, naming the key", async () => {
  const zip = await fixture("ordinary.zip");
  assert.throws(() => inspect(zip, "ordinary.zip", 5), /limits: expected an object/);
  for (const [key, value] of [
    ["maxBytes", "10"],
    ["maxDepth", -1],
    ["maxEntries", 1.5],
    ["maxCells", 2 ** 54],
    ["minRows", "10"],
  ]) {
    assert.throws(() => inspect(zip, "ordinary.zip", { [key]: value }), new RegExp(`limits\\.${key}: expected a whole number`));
  }
  assert.throws(() => inspect(zip, "ordinary.zip", { maxDepth: 2 ** 33 }), /limits\.maxDepth: 8589934592 is too large/);
  for (const blocked of ["exe", [1], {}]) {
    assert.throws(() => inspect(zip, "ordinary.zip", { blockedExtensions: blocked }), /limits\.blockedExtensions: expected an array/);
  }
});
