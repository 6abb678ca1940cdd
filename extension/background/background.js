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
import { readAdminPolicy } from "../common/admin-policy.js";
import { reviewDraft } from "./review.js";
import { DialogRequests } from "./dialog-requests.js";
import { applyFix, recipientDetails } from "./fixes.js";
import { readLocalSettings } from "./settings.js";
import { dialogBounds } from "./bounds.js";
import { AddressBooks } from "./contacts.js";
import { SentIndex } from "./sent-index.js";
import { loadEngine } from "../engine/engine.js";
import { errorText, localized } from "../common/text.js";
import { withDeadline } from "../common/deadline.js";

/** How long a Send waits for the stored Sent index to be read (not built). */
const SENT_INDEX_WAIT_MS = 1000;

const requests = new DialogRequests();
/** What the engine was last handed ahead of a Send, so that each hand-off brings both. */
const known = {
  /** @type {import("../engine/engine.js").ContactEntry[]} */
  contacts: [],
  /** @type {string[] | null} */
  sent: null,
};
const addressBooks = new AddressBooks(messenger, {
  onUpdated: (contacts) => {
    known.contacts = contacts;
    primeEngine();
  },
});
const sentIndex = new SentIndex(messenger, {
  onUpdated: (sent) => {
    known.sent = sent;
    primeEngine();
  },
});

// Thunderbird waits for the Promise the listener returns (the published types only know the
// plain answer).
messenger.compose.onBeforeSend.addListener((tab, details) => /** @type {any} */ (onBeforeSend(tab, details)));
messenger.runtime.onConnect.addListener((port) => requests.connect(port));
messenger.windows.onRemoved.addListener((windowId) => requests.windowClosed(windowId));
messenger.runtime.onMessage.addListener((/** @type {any} */ message) => onMessage(message));
addressBooks.watch();
sentIndex.watch();

// The engine is loaded now rather than on the first Send, so that the first dialog of a
// session does not wait for the WebAssembly module to compile. A failure here is not
// reported: the Send that needs the engine reports it in its dialog.
loadEngine().catch(() => {});
// Likewise the address books: read now (or restored from the copy kept while the event page
// slept), so that a Send does not wait for them.
addressBooks.warm();
// And the Sent index: loaded, then brought up to date page by page. A Send never waits for it.
sentIndex.start();

console.log("misend-guard: background ready");

/**
 * The options page's requests about the Sent index: its status, and Clear.
 * @param {any} message
 * @returns {Promise<unknown> | undefined}
 */
function onMessage(message) {
  if (message?.type === "sentIndex.status") return sentIndex.status();
  if (message?.type === "sentIndex.clear") return sentIndex.clear().then(() => sentIndex.status());
  return undefined;
}

/**
 * Hands the engine the address books and the Sent index as soon as they are read or change,
 * with an empty draft: it parses and indexes them now (about 60–100 ms for 10,000 addresses)
 * and keeps them, so that the next Send does not wait for that. Nothing is reported from here:
 * a Send that finds a problem reports it in its dialog.
 */
async function primeEngine() {
  try {
    const lang = messenger.i18n.getUILanguage();
    const [policy, local] = await Promise.all([readAdminPolicy(), readLocalSettings([])]);
    await reviewDraft({}, policy, lang, [], local.user, known.contacts, known.sent);
  } catch {
    // See above.
  }
}

/**
 * @param {messenger.tabs.Tab} tab the compose tab
 * @param {messenger.compose.ComposeDetails} details the compose details
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
 * @param {messenger.tabs.Tab} tab
 * @param {messenger.compose.ComposeDetails} details
 * @returns {Promise<{ cancel: boolean, details?: { to: string[], cc: string[], bcc: string[] } }>}
 */
async function reviewAndAsk(tab, details) {
  const started = performance.now();
  // A compose tab always has an id; without one the draft cannot be read, which is Cancel.
  if (tab.id === undefined) throw new Error("the compose tab has no id");
  const tabId = tab.id;
  const lang = messenger.i18n.getUILanguage();
  /** @type {string[]} */
  const problems = [];
  const [draft, policy, local, contacts] = await Promise.all([
    gatherDraft(tabId, details, problems),
    readAdminPolicy(),
    readLocalSettings(problems),
    addressBooks.contacts(problems),
    // The stored Sent index (one storage read), for a Send that woke the event page; never its
    // build. Late, the Send goes on without it and the dialog says so.
    withDeadline(() => sentIndex.loaded(), SENT_INDEX_WAIT_MS, "the Sent index").catch(() => {}),
  ]);
  if (policy.earlierCopy) problems.push(earlierCopyNotice(policy.earlierCopy));
  // The Sent index as it is now, without waiting: null while it is first built.
  const sent = sentIndex.forReview();
  const review = await reviewDraft(draft, policy, lang, problems, local.user, contacts, sent);
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
        const nextReview = await reviewDraft(next.draft, policy, lang, again, local.user, contacts, sent);
        current = { draft: next.draft, review: nextReview, problems: again, applied: [...current.applied, next.applied] };
      }
    } catch (error) {
      return { ...current, problems: [...current.problems, localized(messenger.i18n, "problemFixFailed", errorText(error, messenger.i18n))] };
    }
    return current;
  };
  try {
    const answer = await requests.open({
      review,
      draft,
      problems,
      composeTabId: tabId,
      composeWindowId: tab.windowId,
      notices: sent === null ? [sentIndexNotice(sentIndex.pending.error)] : [],
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
 * The notice that the Sent index is not ready, so that no recipient is judged first-time.
 * @param {string | null} error why the index could not be built, if it failed
 */
function sentIndexNotice(error) {
  return error ? localized(messenger.i18n, "noticeSentIndexFailed", error) : localized(messenger.i18n, "noticeSentIndexBuilding");
}

/**
 * The notice that the admin's policy could not be read now and the copy kept from an
 * earlier read applies.
 * @param {{ reason: string, savedAt: string | null }} copy
 */
function earlierCopyNotice(copy) {
  return localized(messenger.i18n, "policyEarlierCopy", copy.reason, copy.savedAt ?? "?");
}
