// @ts-check
/**
 * The background: gathers the draft, asks the engine, opens the dialog, answers `{cancel}`.
 *
 * One-click fixes (fixes.js) edit the background's copy of the draft while the dialog is
 * open; the compose window is only changed by the final Send, which returns the edited
 * recipients as `details`. Cancel after a fix therefore leaves the draft as it was.
 *
 * It holds no rule logic. Listeners are registered at the top level so that an event page
 * woken by a Send finds them.
 *
 * Architecture invariant (fail closed): whatever fails here (the engine, the policy, the
 * storage, the address book) the dialog is still shown with the problem, and a send is only
 * let through by the user's explicit Send in the dialog, or by a review that says no dialog
 * is needed. If not even the dialog can be opened, the send is cancelled and the draft stays.
 * Every await on the way to the dialog has a deadline (common/deadline.js), and anything that
 * throws on the way is Cancel, so a Send is never left pending with the compose window locked.
 */
import { gatherDraft } from "./draft.js";
import { readAdminPolicy } from "./policy.js";
import { reviewDraft } from "./review.js";
import { DialogRequests } from "./dialog-requests.js";
import { applyFix, recipientDetails } from "./fixes.js";
import { readLocalSettings } from "./settings.js";
import { dialogBounds } from "./bounds.js";
import { AddressBooks } from "./contacts.js";
import { loadEngine } from "../engine/engine.js";

const requests = new DialogRequests();
const addressBooks = new AddressBooks(messenger, { onUpdated: primeEngine });

messenger.compose.onBeforeSend.addListener(onBeforeSend);
messenger.runtime.onConnect.addListener((port) => requests.connect(port));
messenger.windows.onRemoved.addListener((windowId) => requests.windowClosed(windowId));
addressBooks.watch();

// The engine is loaded now rather than on the first Send, so that the first dialog of a
// session does not wait for the WebAssembly module to compile. A failure here is not
// reported: the Send that needs the engine reports it in its dialog.
loadEngine().catch(() => {});
// Likewise the address books: read now (or restored from the copy kept while the event page
// slept), so that a Send does not wait for them.
addressBooks.warm();

console.log("misend-guard: background ready");

/**
 * Hands the engine the address books as soon as they are read or change, with an empty
 * draft: it parses and indexes them now (about 60–100 ms for 10,000 addresses) and keeps
 * them, so that the next Send does not wait for that. Nothing is reported from here: a Send
 * that finds a problem reports it in its dialog.
 * @param {string[]} contacts
 */
async function primeEngine(contacts) {
  try {
    const lang = messenger.i18n.getUILanguage();
    const [policy, local] = await Promise.all([readAdminPolicy(), readLocalSettings([])]);
    await reviewDraft({}, policy, lang, [], local.user, contacts);
  } catch {
    // See above.
  }
}

/**
 * @param {{ id: number, windowId?: number }} tab the compose tab
 * @param {any} details the compose details
 * @returns {Promise<{ cancel: boolean, details?: { to: string[], cc: string[], bcc: string[] } }>}
 */
async function onBeforeSend(tab, details) {
  try {
    return await reviewAndAsk(tab, details);
  } catch (error) {
    console.error("misend-guard: the send could not be reviewed; it is cancelled and the draft stays", error);
    return { cancel: true };
  }
}

/**
 * @param {{ id: number, windowId?: number }} tab
 * @param {any} details
 * @returns {Promise<{ cancel: boolean, details?: { to: string[], cc: string[], bcc: string[] } }>}
 */
async function reviewAndAsk(tab, details) {
  const started = performance.now();
  const lang = messenger.i18n.getUILanguage();
  /** @type {string[]} */
  const problems = [];
  const [draft, policy, local, contacts] = await Promise.all([
    gatherDraft(tab.id, details, problems),
    readAdminPolicy(),
    readLocalSettings(problems),
    addressBooks.contacts(lang, problems),
  ]);
  if (policy.earlierCopy) problems.push(earlierCopyNotice(policy.earlierCopy));
  const review = await reviewDraft(draft, policy, lang, problems, local.user, contacts);
  console.log(
    `misend-guard: reviewed in ${(performance.now() - started).toFixed(1)} ms: ` +
      `verdict ${review.verdict}, ${review.recipients.length} recipients, dialog ${review.dialog.show ? "shown" : "skipped"}`,
  );
  if (review.dialog?.show === false && !review.failure && review.verdict !== "block" && problems.length === 0) {
    return { cancel: false };
  }
  // The mail as the dialog shows it: the original, or the last fix applied to it.
  let current = { draft, review, problems, applied: /** @type {import("./fixes.js").Applied[]} */ ([]) };
  const fix = async (/** @type {unknown} */ requested) => {
    try {
      const next = applyFix(current.draft, current.review, requested);
      if (next) {
        /** @type {string[]} */
        const again = [...problems];
        const nextReview = await reviewDraft(next.draft, policy, lang, again, local.user, contacts);
        current = { draft: next.draft, review: nextReview, problems: again, applied: [...current.applied, next.applied] };
      }
    } catch (error) {
      return { ...current, problems: [...current.problems, `fix: ${error instanceof Error ? error.message : String(error)}`] };
    }
    return current;
  };
  try {
    const answer = await requests.open({
      review,
      draft,
      problems,
      composeTabId: tab.id,
      composeWindowId: tab.windowId,
      display: local.display,
      bounds: dialogBounds(local.dialogBounds, review, globalThis.screen ?? null),
      fix,
    });
    if (!answer.send) return { cancel: true };
    if (current.applied.length > 0) {
      console.log(`misend-guard: sending with ${current.applied.length} fix(es) applied to the recipients`);
      return { cancel: false, details: recipientDetails(current.draft) };
    }
    return { cancel: false };
  } catch (error) {
    console.error("misend-guard: the confirmation dialog could not be shown; the send is cancelled", error);
    return { cancel: true };
  }
}

/**
 * The notice that the admin's policy could not be read now and the copy kept from an
 * earlier read applies.
 * @param {{ reason: string, savedAt: string | null }} copy
 */
function earlierCopyNotice(copy) {
  const text = messenger.i18n.getMessage("policyEarlierCopy", [copy.reason, copy.savedAt ?? "?"]);
  return text || `The admin's policy could not be read (${copy.reason}); the copy read earlier (${copy.savedAt ?? "?"}) applies.`;
}
