// @ts-check
/**
 * The background: gathers the draft, asks the engine, opens the dialog, answers `{cancel}`.
 *
 * It holds no rule logic. Listeners are registered at the top level so that an event page
 * woken by a Send finds them.
 *
 * Architecture invariant (fail closed): whatever fails here (the engine, the policy, the
 * storage, the address book) the dialog is still shown with the problem, and a send is only
 * let through by the user's explicit Send in the dialog, or by a review that says no dialog
 * is needed. If not even the dialog can be opened, the send is cancelled and the draft stays.
 */
import { gatherDraft } from "./draft.js";
import { readAdminPolicy } from "./policy.js";
import { reviewDraft } from "./review.js";
import { DialogRequests } from "./dialog-requests.js";

const requests = new DialogRequests();

messenger.compose.onBeforeSend.addListener(onBeforeSend);
messenger.runtime.onConnect.addListener((port) => requests.connect(port));
messenger.windows.onRemoved.addListener((windowId) => requests.windowClosed(windowId));

console.log("misend-guard: background ready");

/**
 * @param {{ id: number, windowId?: number }} tab the compose tab
 * @param {any} details the compose details
 * @returns {Promise<{ cancel: boolean }>}
 */
async function onBeforeSend(tab, details) {
  const started = performance.now();
  const lang = messenger.i18n.getUILanguage();
  /** @type {string[]} */
  const problems = [];
  const draft = await gatherDraft(tab.id, details, problems);
  const policy = await readAdminPolicy();
  const review = await reviewDraft(draft, policy, lang, problems);
  console.log(
    `misend-guard: reviewed in ${(performance.now() - started).toFixed(1)} ms: ` +
      `verdict ${review.verdict}, ${review.recipients.length} recipients, dialog ${review.dialog.show ? "shown" : "skipped"}`,
  );
  if (!review.dialog.show && problems.length === 0) {
    return { cancel: false };
  }
  try {
    const answer = await requests.open({ review, draft, problems, composeTabId: tab.id, composeWindowId: tab.windowId });
    return { cancel: !answer.send };
  } catch (error) {
    console.error("misend-guard: the confirmation dialog could not be shown; the send is cancelled", error);
    return { cancel: true };
  }
}
