// @ts-check
/**
 * Asks the engine for the review, and builds the fail-closed review when the engine itself
 * cannot run: every recipient and attachment listed raw, all to be ticked, the error shown.
 *
 * An engine call that fails (a trap, any throw) is tried once more on a fresh instance
 * (engine.js replaces a failed one). If that fails too, the review says so in `failure`,
 * and the Send stays disabled unless the admin's policy says `onFailure: "confirm"`.
 */
import { loadEngine } from "../engine/engine.js";
import { DeadlineError, withDeadline } from "../common/deadline.js";
import { errorText } from "../common/text.js";

/**
 * The inspection limits a fail-closed review names: it turns inspection off, so they are never
 * used; they are the inspector's defaults, for a reader of the review.
 */
const NO_INSPECTION_LIMITS = {
  maxBytes: 25 * 1024 * 1024,
  maxDepth: 2,
  maxEntries: 1000,
  maxExpandedBytes: 100 * 1024 * 1024,
  maxRatio: 200,
  maxTextBytes: 8 * 1024 * 1024,
  maxCells: 500000,
  minRows: 10,
  blockedExtensions: [],
};

/** How long loading the engine may take before the Send goes on without it. */
export const ENGINE_LOAD_MS = 10000;

/** @type {{ key: string, engine: import("../engine/engine.js").Engine, checker: import("../engine/engine.js").PolicyChecker } | undefined} */
let cached;

/**
 * @param {import("../engine/engine.js").Draft} draft
 * @param {import("../common/admin-policy.js").AdminPolicy} admin
 * @param {string} lang
 * @param {string[]} _problems kept for the callers' shape: an engine failure is the review's `failure`
 * @param {import("../engine/engine.js").UserSettings | null} [user] the person's own settings,
 *   which the engine merges so that nothing the admin set gets weaker
 * @param {import("../engine/engine.js").ContactEntry[]} [contacts] the entries of the address
 *   books (contacts.js), for `new-recipient`, `lookalike-domain` and the checks that ask who the
 *   mail is for; the checker takes them in once and keeps them parsed while it is given the same
 *   array (contacts.js gives a new one when the address books change)
 * @param {string[] | null} [sent] the addresses of the Sent index (sent-index.js), or null while
 *   it is being built (then `first-time-recipient` gives no finding)
 * @returns {Promise<import("../engine/engine.js").Review>}
 */
export async function reviewDraft(draft, admin, lang, _problems, user = null, contacts = [], sent = null) {
  let reason = "";
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const engine = await withDeadline(() => loadEngine(), ENGINE_LOAD_MS, "the engine");
      const key = JSON.stringify([admin.policy, admin.error, lang, user]);
      if (cached?.key !== key || cached.engine !== engine) {
        const previous = cached;
        cached = undefined;
        previous?.checker.free();
        cached = {
          key,
          engine,
          checker: admin.error ? engine.unreadablePolicy(admin.error, lang) : engine.checker(admin.policy, lang, user),
        };
      }
      const review = cached.checker.check(draft, { contacts, sent });
      // Without the admin's policy the mail is not checked as the admin meant: that blocks,
      // whether or not this engine says so itself.
      if (admin.error && !review.failure) {
        return { ...review, verdict: "block", failure: { reason: admin.error, sendAllowed: false } };
      }
      return review;
    } catch (error) {
      cached = undefined;
      // A trap's name (RuntimeError) is part of what a person reports; a deadline is said in
      // the UI language.
      reason =
        error instanceof Error && !(error instanceof DeadlineError)
          ? `${error.name}: ${error.message}`
          : errorText(error, globalThis.messenger?.i18n);
      console.error(`misend-guard: the engine failed (attempt ${attempt + 1} of 2)`, error);
    }
  }
  // The reason is shown by the dialog's failure notice, at the top, not again among the problems.
  return failClosedReview(draft, lang, { reason, sendAllowed: onFailure(admin.policy) === "confirm" });
}

/**
 * The admin's `onFailure`: what a Send may do when the mail could not be checked at all.
 * Read straight from the raw policy (the engine that would validate it is what failed): only
 * the exact string `"confirm"` allows the Send after every entry is ticked; anything else,
 * a missing or unreadable policy included, keeps the Send disabled.
 * @param {unknown} policy
 * @returns {"block" | "confirm"}
 */
export function onFailure(policy) {
  const value = policy && typeof policy === "object" && !Array.isArray(policy) ? /** @type {any} */ (policy).onFailure : undefined;
  return value === "confirm" ? "confirm" : "block";
}

/**
 * The review shown when the engine could not check the mail. It classifies nothing: every
 * entry is listed as given and must be ticked.
 * @param {import("../engine/engine.js").Draft} draft
 * @param {string} lang
 * @param {import("../engine/engine.js").Failure} failure why, and whether the admin allows a Send anyway
 * @returns {import("../engine/engine.js").Review}
 */
export function failClosedReview(draft, lang, failure) {
  /** @type {import("../engine/engine.js").ReviewRecipient[]} */
  const recipients = [];
  for (const field of /** @type {const} */ (["to", "cc", "bcc"])) {
    for (const entry of draft[field] ?? []) {
      const value = typeof entry === "string" ? entry : entry.value;
      recipients.push({
        index: recipients.length,
        field,
        name: null,
        address: value,
        domain: "",
        class: "external",
        list: typeof entry === "string" ? null : entry.list ?? null,
        valid: false,
      });
    }
  }
  return {
    engineVersion: "",
    lang,
    // Nothing was checked: unless the admin allows it, that is a block no tick can pass.
    verdict: failure.sendAllowed ? "warn" : "block",
    degraded: true,
    subject: draft.subject ?? "",
    sender: null,
    recipients,
    groups: recipients.length ? [{ class: "external", domain: null, members: recipients.map((r) => r.index) }] : [],
    // Nothing can be said about the contents without the engine: each attachment is ticked by
    // hand, and no inspection is started for a review that could not use it.
    attachments: (draft.attachments ?? []).map((a, index) => ({ index, name: a.name, size: a.size ?? null, inspection: "off" })),
    findings: [],
    // The strictest dialog: every item ticked one by one, the sender too, no countdown
    // (nothing is known of the admin's wish, and a countdown only delays).
    dialog: {
      show: true,
      requireInternalTick: true,
      confirmSender: true,
      allowCheckAll: { internal: false, external: false },
      retypeAttachmentNames: false,
      countdownSeconds: 0,
      allowSendNow: true,
    },
    diagnostics: [],
    inspection: { enabled: false, limits: { ...NO_INSPECTION_LIMITS, blockedExtensions: [] }, maxTotalBytes: 0, timeoutMs: 0 },
    // Not read: a review with a `failure` is recorded with the settings last resolved by the
    // engine (background/audit.js).
    auditLog: { enabled: false, retentionDays: 90, subjects: false },
    failure: { reason: failure.reason, sendAllowed: failure.sendAllowed === true },
  };
}
