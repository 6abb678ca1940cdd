// @ts-check
/**
 * Whether a review leaves something no tick can pass: a `block` verdict or finding, or a
 * failure to check the mail that the admin's policy does not let the person send past.
 *
 * The dialog disables Send on it, and the background refuses a Send answer on it, so that a
 * page that is tampered with or out of step still cannot send a blocked mail.
 * Pure, no extension API: the playground uses it through render.js.
 */

/**
 * @param {import("../engine/engine.js").Review | null | undefined} review
 * @returns {boolean}
 */
export function sendBlocked(review) {
  if (!review || typeof review !== "object") return true;
  if (review.verdict === "block") return true;
  if ((review.findings ?? []).some((f) => f?.severity === "block")) return true;
  const failure = review.failure;
  return failure !== null && failure !== undefined && failure.sendAllowed !== true;
}

/**
 * Whether an attachment of the review is still being inspected (issue #14): its findings
 * are not known yet, so Send waits, in the dialog and in the background alike. An attachment
 * that could not be inspected is not pending: it is shown as such, for the person to decide.
 * @param {import("../engine/engine.js").Review | null | undefined} review
 * @returns {boolean}
 */
export function inspectionPending(review) {
  return (review?.attachments ?? []).some((a) => a?.inspection === "pending");
}
