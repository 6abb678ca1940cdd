// @ts-check
/**
 * The texts the background shows, from `_locales` in Thunderbird's UI language, and the one
 * way an error becomes text.
 *
 * Every problem the background adds to the dialog is `localized(i18n, key, …)`: the key names
 * a text of `_locales/<lang>/messages.json`, which exists in every language the add-on ships
 * (tests/node/locales.test.mjs), so no problem is shown in a language the person did not
 * choose. `tests/node/background-texts.test.mjs` checks that every problem the background can
 * push is worded this way, with a key that exists.
 */
import { DeadlineError } from "./deadline.js";

/** @typedef {{ getMessage(key: string, substitutions?: string | string[]): string }} I18n */

/**
 * The text `key` in the UI language, with its substitutions. When the locale lookup gives
 * nothing (an API missing in a test page, a key newer than the locales), the key and the
 * substitutions are shown as they are: a problem is never dropped for want of its wording.
 * @param {I18n | undefined | null} i18n  `messenger.i18n`
 * @param {string} key
 * @param {...(string | number)} substitutions
 */
export function localized(i18n, key, ...substitutions) {
  const subs = substitutions.map(String);
  let text = "";
  try {
    text = i18n?.getMessage(key, subs) ?? "";
  } catch {
    // As if the text were missing: the fallback below still shows the problem.
  }
  return text || [key, ...subs].join(": ");
}

/**
 * What an error says, as the detail a problem shows in brackets: a deadline in the UI
 * language (how long the call was given; the problem around it names the call), any other
 * error's own message (Thunderbird's or the engine's wording, which the person may need to
 * report as it is).
 * @param {unknown} error
 * @param {I18n | undefined | null} [i18n]  without it, a deadline is said in English
 */
export function errorText(error, i18n) {
  if (error instanceof DeadlineError) {
    return i18n ? localized(i18n, "errorNoAnswer", error.ms / 1000) : error.message;
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
