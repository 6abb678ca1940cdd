// @ts-check
/**
 * No text is missing in any language: every text of the add-on (_locales) and of the
 * playground (www/i18n) exists in every language the product ships, with the same
 * substitutions, and the playground offers each language it has texts for.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ADDON_LOCALES, LANGS } from "../../www/lib/i18n.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const LOCALES = path.join(ROOT, "extension", "_locales");
const WWW = path.join(ROOT, "www");

/** The add-on's languages: Thunderbird's locale names. */
const ADDON_LANGS = ["en", "ja", "zh_CN"];

/** @param {string} file */
async function readJson(file) {
  return JSON.parse(await readFile(file, "utf8"));
}

/**
 * The substitutions a text uses: `$1`…`$9` and named `$NAME$` placeholders, sorted, with
 * `$$` (a dollar sign) left out.
 * @param {string} text
 */
function substitutions(text) {
  return [...text.replace(/\$\$/g, "").matchAll(/\$(?:[1-9]|[A-Za-z0-9_@]+\$)/g)].map((m) => m[0]).sort();
}

/** @returns {Promise<Record<string, Record<string, { message: string, placeholders?: Record<string, { content: string }> }>>>} */
async function addonTexts() {
  /** @type {Record<string, any>} */
  const out = {};
  for (const lang of ADDON_LANGS) out[lang] = await readJson(path.join(LOCALES, lang, "messages.json"));
  return out;
}

/** @returns {Promise<Record<string, Record<string, string>>>} */
async function playgroundTexts() {
  /** @type {Record<string, any>} */
  const out = {};
  for (const lang of LANGS) out[lang] = await readJson(path.join(WWW, "i18n", `${lang}.json`));
  return out;
}

/**
 * Every key of `en` is in every language and no language has a key `en` lacks; each text is
 * a non-empty string with the same substitutions as the English one.
 * @param {Record<string, Record<string, string>>} byLang the texts, by language
 */
function assertComplete(byLang) {
  const keys = Object.keys(byLang.en).sort();
  /** @type {string[]} */
  const problems = [];
  for (const [lang, texts] of Object.entries(byLang)) {
    for (const key of keys) if (!(key in texts)) problems.push(`${lang}: ${key} is missing`);
    for (const key of Object.keys(texts)) if (!(key in byLang.en)) problems.push(`${lang}: ${key} is not in en`);
    for (const [key, text] of Object.entries(texts)) {
      if (typeof text !== "string" || !text.trim()) {
        problems.push(`${lang}: ${key} is empty`);
        continue;
      }
      const want = substitutions(byLang.en[key] ?? "");
      const got = substitutions(text);
      if (key in byLang.en && want.join() !== got.join()) problems.push(`${lang}: ${key} has ${got.join(" ") || "no substitution"}, en has ${want.join(" ") || "none"}`);
    }
  }
  assert.deepEqual(problems, []);
}

test("the add-on ships exactly its languages, and Thunderbird's zh_CN is one of them", async () => {
  const dirs = (await readdir(LOCALES, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.deepEqual(dirs.sort(), [...ADDON_LANGS].sort());
});

test("every add-on text exists in every language, with the same substitutions", async () => {
  const texts = await addonTexts();
  /** @type {Record<string, Record<string, string>>} */
  const messages = {};
  /** @type {string[]} */
  const problems = [];
  for (const [lang, entries] of Object.entries(texts)) {
    messages[lang] = Object.fromEntries(Object.entries(entries).map(([key, entry]) => [key, entry?.message]));
    // Named placeholders are declared per message; each language declares the same names.
    for (const [key, entry] of Object.entries(entries)) {
      const names = Object.keys(entry?.placeholders ?? {}).map((n) => n.toLowerCase()).sort().join();
      const enNames = Object.keys(texts.en[key]?.placeholders ?? {}).map((n) => n.toLowerCase()).sort().join();
      if (names !== enNames) problems.push(`${lang}: ${key} declares placeholders ${names || "none"}, en ${enNames || "none"}`);
    }
  }
  assert.deepEqual(problems, []);
  assertComplete(messages);
});

test("the Chinese texts are Chinese: no Japanese kana, and none left in English", async () => {
  const { en, zh_CN: zh } = await addonTexts();
  const www = (await playgroundTexts()).zh;
  /** @type {string[]} */
  const problems = [];
  const texts = [
    ...Object.entries(zh).map(([key, e]) => /** @type {[string, string, string]} */ ([`_locales/zh_CN ${key}`, e.message, en[key]?.message ?? ""])),
    ...Object.entries(www).map(([key, text]) => /** @type {[string, string, string]} */ ([`www/i18n/zh ${key}`, text, ""])),
  ];
  for (const [where, text, english] of texts) {
    if (/[\u3040-\u30ff]/.test(text)) problems.push(`${where} has kana: ${text}`);
    // A text with English words and no Han character was not translated (names, file names
    // and placeholders alone are fine).
    const words = text.replace(/\$\d|[\w.-]+\.(json|eml|xpi)\b|Misend Guard|Thunderbird|JSON|URL|Bcc|Cc|Esc|Enter/g, "");
    if (/[A-Za-z]{3,}/.test(words) && !/\p{Script=Han}/u.test(text)) problems.push(`${where} looks English: ${text}`);
    if (english && text === english && /[A-Za-z]{3,}/.test(english)) problems.push(`${where} is the English text`);
  }
  assert.deepEqual(problems, []);
});

test("every playground text exists in every language, with the same substitutions", async () => {
  const files = (await readdir(path.join(WWW, "i18n"))).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, ""));
  assert.deepEqual(files.sort(), [...LANGS].sort(), "www/i18n has a file for each language of LANGS, and no other");
  assertComplete(await playgroundTexts());
});

test("each playground language shows the add-on's texts of that language in the dialog preview", async () => {
  assert.deepEqual(Object.keys(ADDON_LOCALES).sort(), [...LANGS].sort());
  for (const locale of Object.values(ADDON_LOCALES)) assert.ok(ADDON_LANGS.includes(locale), locale);
});

test("the playground offers every language in its selector, and every example is titled in each", async () => {
  const html = await readFile(path.join(WWW, "index.html"), "utf8");
  const offered = [...html.matchAll(/<input type="radio" name="lang" value="([a-z]+)"/g)].map((m) => m[1]);
  assert.deepEqual(offered, [...LANGS]);
  const index = await readJson(path.join(WWW, "examples", "index.json"));
  /** @type {string[]} */
  const missing = [];
  for (const name of index.examples) {
    const example = await readJson(path.join(WWW, "examples", `${name}.json`));
    for (const lang of LANGS) if (!example.title?.[lang]?.trim()) missing.push(`${name}: ${lang}`);
  }
  assert.deepEqual(missing, []);
});
