// @ts-check
/**
 * The add-on's pages, read as source: every text they show exists in both languages, and
 * no page builds HTML from strings (hostile names, subjects and file names stay text).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { engine as testEngine } from "./engine.mjs";

const extension = new URL("../../extension/", import.meta.url).pathname;

/** Every .js file of the add-on, without the generated bindings. */
async function sources() {
  /** @type {{ file: string, text: string }[]} */
  const out = [];
  for (const entry of await readdir(extension, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && file.endsWith(".js") && !file.includes(`${path.sep}pkg${path.sep}`)) {
      out.push({ file: path.relative(extension, file), text: await readFile(file, "utf8") });
    }
  }
  return out;
}

/** @param {"ja" | "en"} lang @returns {Promise<Record<string, { message: string }>>} */
async function messages(lang) {
  return JSON.parse(await readFile(path.join(extension, "_locales", lang, "messages.json"), "utf8"));
}

test("Japanese and English have the same texts, with the same substitutions", async () => {
  const ja = await messages("ja");
  const en = await messages("en");
  assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
  const subs = (/** @type {string} */ m) => [...m.matchAll(/\$(\d)/g)].map((x) => x[1]).sort().join();
  for (const key of Object.keys(ja)) {
    assert.match(key, /^[A-Za-z0-9_@]+$/, `${key}: message names allow only letters, digits, _ and @`);
    assert.equal(subs(ja[key].message), subs(en[key].message), `${key} has the same $1…$9 in both languages`);
    assert.ok(ja[key].message.trim() && en[key].message.trim(), `${key} is not empty`);
  }
});

test("every text a page asks for by name exists", async () => {
  const en = await messages("en");
  const missing = [];
  for (const { file, text } of await sources()) {
    for (const match of text.matchAll(/\bt(?:Or)?\(\s*(?:t,\s*)?"([A-Za-z0-9_@]+)"/g)) {
      if (!(match[1] in en)) missing.push(`${file}: ${match[1]}`);
    }
  }
  assert.deepEqual(missing, []);
  // Texts named from data: every severity, field and excerpt part the engine can give.
  for (const key of ["severity_info", "severity_warn", "severity_block", "field_to", "field_cc", "field_bcc", "part_subject", "part_body", "part_attachment"]) {
    assert.ok(key in en, key);
  }
});

test("every check the engine has gives its short tag and its how-to-fix text in every language", async () => {
  const engine = await testEngine();
  const listed = engine.codes("en");
  assert.ok(listed.length >= 17, "the engine lists its checks");
  for (const lang of ["ja", "en", "zh-CN"]) {
    for (const info of engine.codes(lang)) {
      assert.ok(info.tag.trim() && info.howToFix.trim() && info.summary.trim(), `${info.code} in ${lang}`);
    }
  }
});

test("no page builds HTML from strings", async () => {
  const offenders = [];
  for (const { file, text } of await sources()) {
    for (const pattern of [/\.innerHTML\b/, /\.outerHTML\s*=/, /insertAdjacentHTML/, /document\.write/, /createContextualFragment/]) {
      if (pattern.test(text)) offenders.push(`${file}: ${pattern}`);
    }
  }
  assert.deepEqual(offenders, []);
});
