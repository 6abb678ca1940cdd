// @ts-check
/**
 * Every text the background shows comes from `_locales`: each problem it can add to the
 * dialog is `localized(i18n, "key", …)` (extension/common/text.js) with a key that exists in
 * every language, and no file of the background words a problem itself.
 *
 * The check reads the sources: a problem is added by `problems.push(…)` or by building a
 * `problems: [...]` list, and each such statement must name its text by a literal key.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { errorText, localized } from "../../extension/common/text.js";
import { DeadlineError } from "../../extension/common/deadline.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const FOLDERS = ["extension/background", "extension/common"];
const LANGS = ["en", "ja", "zh_CN"];

/** @returns {Promise<{ file: string, text: string }[]>} */
async function sources() {
  const out = [];
  for (const folder of FOLDERS) {
    for (const name of await readdir(path.join(ROOT, folder))) {
      if (name.endsWith(".js")) out.push({ file: `${folder}/${name}`, text: await readFile(path.join(ROOT, folder, name), "utf8") });
    }
  }
  return out;
}

/**
 * The statement that starts at `start`: up to the first `;` or new line outside brackets.
 * @param {string} text
 * @param {number} start
 */
function statement(text, start) {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) {
      depth--;
      if (depth < 0) return text.slice(start, i);
    } else if ((c === ";" || c === "\n") && depth === 0) return text.slice(start, i);
  }
  return text.slice(start);
}

/** @param {string} lang */
async function messages(lang) {
  return JSON.parse(await readFile(path.join(ROOT, "extension/_locales", lang, "messages.json"), "utf8"));
}

test("every problem the background can add is a locale text, and no problem is worded in the code", async () => {
  /** @type {string[]} */
  const wrong = [];
  let seen = 0;
  for (const { file, text } of await sources()) {
    for (const m of text.matchAll(/problems\.push\(|problems: \[\.\.\./g)) {
      const s = statement(text, /** @type {number} */ (m.index));
      // Passing on a list of problems already worded is not adding one.
      if (/^problems: \[\.\.\.[\w.]+\]$/.test(s.trim())) continue;
      seen++;
      if (!/localized\([^,]+, "[A-Za-z]\w*"/.test(s) && !/earlierCopyNotice\(/.test(s)) wrong.push(`${file}: ${s.trim()}`);
      if (/`/.test(s.replace(/localized\([^)]*\)/g, ""))) wrong.push(`${file}: a template string in ${s.trim()}`);
    }
  }
  assert.deepEqual(wrong, []);
  // background.js, draft.js, settings.js, contacts.js (4), dialog-requests.js: the places
  // where something can go wrong on the way to the dialog. Fewer means the scan missed them.
  assert.ok(seen >= 8, `only ${seen} places that add a problem were found`);
});

test("every key the background and common code ask for exists in every language", async () => {
  /** @type {Set<string>} */
  const keys = new Set();
  for (const { text } of await sources()) {
    for (const m of text.matchAll(/localized\([^,]+, "([A-Za-z]\w*)"/g)) keys.add(m[1]);
    for (const m of text.matchAll(/getMessage\("([A-Za-z]\w*)"/g)) keys.add(m[1]);
  }
  assert.ok(keys.has("problemContactsLate") && keys.has("errorNoAnswer"), `the scan found the keys: ${[...keys].join(", ")}`);
  /** @type {string[]} */
  const missing = [];
  for (const lang of LANGS) {
    const texts = await messages(lang);
    for (const key of keys) if (!texts[key]?.message) missing.push(`${lang}: ${key}`);
  }
  assert.deepEqual(missing, []);
});

test("localized() words a text in the UI language and never loses a problem for want of its text", async () => {
  const ja = await messages("ja");
  const i18n = {
    getMessage: (/** @type {string} */ key, /** @type {string | string[]} */ subs = []) =>
      (ja[key]?.message ?? "").replace(/\$(\d)/g, (/** @type {string} */ _, /** @type {string} */ n) => [subs].flat()[Number(n) - 1] ?? ""),
  };
  assert.equal(localized(i18n, "problemContactsLate", 2), "アドレス帳を 2 秒以内に読み込めなかったため、アドレス帳を使う確認（アドレス帳にない宛先、よく似たドメイン）はアドレス帳なしで行いました。");
  assert.equal(localized(i18n, "noSuchKey", "detail"), "noSuchKey: detail");
  assert.equal(localized(undefined, "problemFixFailed", "x"), "problemFixFailed: x");
  const throwing = { getMessage: () => { throw new Error("no i18n here"); } };
  assert.equal(localized(throwing, "problemFixFailed", "x"), "problemFixFailed: x");
  assert.equal(errorText(new DeadlineError("the attachment list", 5000), i18n), "5 秒以内に応答がありませんでした");
  assert.equal(errorText(new Error("database is locked"), i18n), "database is locked");
  assert.equal(errorText("plain", i18n), "plain");
});
