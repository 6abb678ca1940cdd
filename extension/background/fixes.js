// @ts-check
/**
 * One-click fixes: the dialog asks, the background edits its copy of the draft, the engine
 * checks the edited draft again, and the dialog shows the new review.
 *
 * The edited draft is built from the review's recipients, which list every address once, in
 * its most visible field, classified by the engine; so no classification happens here.
 * Thunderbird's compose window is not touched while the dialog is open: the edited
 * recipients are handed back only with the final Send (`onBeforeSend` may return
 * `details`), and Cancel leaves the compose window exactly as the person left it.
 */
import { mailbox } from "./draft.js";

/**
 * @typedef {import("../engine/engine.js").Draft} Draft
 * @typedef {import("../engine/engine.js").Review} Review
 * @typedef {import("../engine/engine.js").DraftRecipient} DraftRecipient
 * @typedef {{ kind: "move-external-to-bcc" } | { kind: "remove-recipient", address: string }} Fix
 * @typedef {{ kind: "move-external-to-bcc", count: number } | { kind: "remove-recipient", address: string }} Applied
 */

/**
 * Applies a fix. Returns null when the fix changes nothing (or is unknown).
 * @param {Draft} draft
 * @param {Review} review  the review of `draft`
 * @param {unknown} fix  as the dialog sent it; checked here, since it crosses a port
 * @returns {{ draft: Draft, applied: Applied } | null}
 */
export function applyFix(draft, review, fix) {
  const f = /** @type {any} */ (fix);
  if (f?.kind === "move-external-to-bcc") {
    let count = 0;
    const edited = rebuild(draft, review, (r) => {
      if (r.class === "external" && r.field !== "bcc") {
        count++;
        return "bcc";
      }
      return r.field;
    });
    return count > 0 ? { draft: edited, applied: { kind: "move-external-to-bcc", count } } : null;
  }
  if (f?.kind === "remove-recipient" && typeof f.address === "string") {
    const target = f.address.toLowerCase();
    let removed = false;
    const edited = rebuild(draft, review, (r) => {
      if (r.address.toLowerCase() === target) {
        removed = true;
        return null;
      }
      return r.field;
    });
    return removed ? { draft: edited, applied: { kind: "remove-recipient", address: f.address } } : null;
  }
  return null;
}

/**
 * The draft with its recipients rebuilt from the review, each put in the field `place` says
 * (or left out for null). Everything else of the draft stays as it was.
 * @param {Draft} draft
 * @param {Review} review
 * @param {(r: import("../engine/engine.js").ReviewRecipient) => "to" | "cc" | "bcc" | null} place
 * @returns {Draft}
 */
function rebuild(draft, review, place) {
  /** @type {{ to: DraftRecipient[], cc: DraftRecipient[], bcc: DraftRecipient[] }} */
  const fields = { to: [], cc: [], bcc: [] };
  for (const r of review.recipients) {
    const field = place(r);
    if (field === null) continue;
    // Text that is not an address is kept as it was typed.
    const value = r.valid ? mailbox(r.name ?? undefined, r.address) : r.address;
    fields[field].push(r.list ? { value, list: r.list } : value);
  }
  return { ...draft, ...fields };
}

/**
 * The recipients to hand back to Thunderbird with the send, as compose details.
 * @param {Draft} draft
 * @returns {{ to: string[], cc: string[], bcc: string[] }}
 */
export function recipientDetails(draft) {
  const values = (/** @type {DraftRecipient[] | undefined} */ list) =>
    (list ?? []).map((entry) => (typeof entry === "string" ? entry : entry.value));
  return { to: values(draft.to), cc: values(draft.cc), bcc: values(draft.bcc) };
}
