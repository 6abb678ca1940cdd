// @ts-check
/**
 * The playground's three languages: its own texts (www/i18n/{ja,en,zh}.json) and, for the
 * dialog preview, the add-on's own texts (_locales/{ja,en,zh_CN}/messages.json), read the way
 * `browser.i18n.getMessage` reads them, so that the preview says exactly what the dialog says.
 */

/** @typedef {"ja" | "en" | "zh"} Lang */
/** @typedef {(key: string, ...substitutions: (string | number)[]) => string} Translate */

export const LANGS = /** @type {const} */ (["ja", "en", "zh"]);

/**
 * The add-on's locale folder for each language: Thunderbird picks `zh_CN` for a Simplified
 * Chinese user interface, and the playground shows the same texts.
 * @type {Record<Lang, string>}
 */
export const ADDON_LOCALES = { ja: "ja", en: "en", zh: "zh_CN" };

/**
 * The `lang` attribute of the page in each language: `zh-CN` (not `zh`) so that the browser
 * picks Simplified Chinese glyphs and fonts.
 * @type {Record<Lang, string>}
 */
export const HTML_LANGS = { ja: "ja", en: "en", zh: "zh-CN" };

/**
 * @param {unknown} value
 * @returns {value is Lang}
 */
export function isLang(value) {
  return typeof value === "string" && /** @type {readonly string[]} */ (LANGS).includes(value);
}

/**
 * The language to start in: the first of the browser's languages that is Japanese, English or
 * Chinese; Japanese when there is none, since the product is made for Japanese offices.
 * Every Chinese tag (zh-CN, zh-TW, zh-Hant) gets the Simplified Chinese texts, which a reader of
 * Traditional Chinese reads better than Japanese.
 * @param {readonly string[]} languages usually `navigator.languages`
 * @returns {Lang}
 */
export function preferredLang(languages) {
  for (const tag of languages) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if (isLang(primary)) return primary;
  }
  return "ja";
}

/**
 * Replaces `$1`…`$9` with the substitutions and `$$` with `$`, as `browser.i18n.getMessage` does.
 * @param {string} text
 * @param {(string | number)[]} subs
 */
export function substitute(text, subs) {
  return text.replace(/\$([1-9$])/g, (_, d) => (d === "$" ? "$" : String(subs[Number(d) - 1] ?? "")));
}

/**
 * @param {string} url
 * @returns {Promise<any>}
 */
async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/**
 * Loads every language of both sets of texts.
 * @returns {Promise<Record<Lang, { ui: Translate, addon: Translate }>>}
 */
export async function loadTexts() {
  const entries = await Promise.all(
    LANGS.map(async (lang) => {
      const [ui, addon] = await Promise.all([fetchJson(`i18n/${lang}.json`), fetchJson(`_locales/${ADDON_LOCALES[lang]}/messages.json`)]);
      /** @type {Translate} */
      const uiT = (key, ...subs) => (typeof ui[key] === "string" ? substitute(ui[key], subs) : key);
      /** @type {Translate} */
      const addonT = (key, ...subs) => {
        const entry = addon[key];
        // getMessage gives "" for an unknown key and the dialog page falls back to the key.
        return entry && typeof entry.message === "string" ? substitute(entry.message, subs) : key;
      };
      return [lang, { ui: uiT, addon: addonT }];
    }),
  );
  return /** @type {any} */ (Object.fromEntries(entries));
}

/**
 * Sets every static text of the page: `data-i18n="key"` sets the text, and
 * `data-i18n-attr="attr:key;attr:key"` sets attributes.
 * @param {ParentNode} root
 * @param {Translate} t
 */
export function applyTexts(root, t) {
  for (const node of root.querySelectorAll("[data-i18n]")) {
    node.textContent = t(/** @type {string} */ (node.getAttribute("data-i18n")));
  }
  for (const node of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of (node.getAttribute("data-i18n-attr") ?? "").split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) node.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}
