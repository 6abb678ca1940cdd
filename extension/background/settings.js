// @ts-check
/**
 * What the person set in the options page, read on each send from `storage.local`:
 * - `userSettings`: their own checks, in the shape of the policy subset
 *   `{internalDomains, keywords, rules: {<code>: {severity}}}`; the engine merges them with
 *   the admin's policy and lets nothing the admin set get weaker;
 * - `display`: `{largeFonts}`, for the dialog only;
 * - `dialogBounds`: where the dialog was last (see bounds.js).
 *
 * A failed read is a problem shown in the dialog, never a reason to skip it; the admin's
 * policy still applies. A read that hangs ends at its deadline the same way.
 */
import { withDeadline } from "../common/deadline.js";
import { errorText, localized } from "../common/text.js";

/** How long the Send waits for the person's settings. */
export const TIMEOUTS = { localMs: 2000 };

/**
 * @typedef {{ user: import("../engine/engine.js").UserSettings | null, display: { largeFonts: boolean },
 *             dialogBounds: unknown }} LocalSettings
 */

/**
 * @param {string[]} problems where to report a failed read
 * @returns {Promise<LocalSettings>}
 */
export async function readLocalSettings(problems) {
  try {
    const stored = await withDeadline(
      () => messenger.storage.local.get(["userSettings", "display", "dialogBounds"]),
      TIMEOUTS.localMs,
      "local storage",
    );
    if (!stored || typeof stored !== "object" || Array.isArray(stored)) throw new Error(`local storage answered ${String(JSON.stringify(stored)).slice(0, 120)}`);
    const user =
      stored.userSettings && typeof stored.userSettings === "object" && !Array.isArray(stored.userSettings) ? stored.userSettings : null;
    return {
      user,
      display: { largeFonts: stored.display?.largeFonts === true },
      dialogBounds: stored.dialogBounds ?? null,
    };
  } catch (error) {
    problems.push(localized(messenger.i18n, "problemUserSettings", errorText(error, messenger.i18n)));
    return { user: null, display: { largeFonts: false }, dialogBounds: null };
  }
}
