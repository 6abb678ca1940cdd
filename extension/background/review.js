// @ts-check
/**
 * Asks the engine for the review, and builds the fail-closed review when the engine itself
 * cannot run: every recipient and attachment listed raw, all to be ticked, the error shown.
 */
import { loadEngine } from "../engine/engine.js";

/** @type {{ key: string, checker: import("../engine/engine.js").PolicyChecker } | undefined} */
let cached;

/**
 * @param {import("../engine/engine.js").Draft} draft
 * @param {import("./policy.js").AdminPolicy} admin
 * @param {string} lang
 * @param {string[]} problems
 * @param {import("../engine/engine.js").UserSettings | null} [user] the person's own settings,
 *   which the engine merges so that nothing the admin set gets weaker
 * @param {string[]} [contacts] the addresses of the address books (contacts.js), for
 *   `new-recipient` and `lookalike-domain`; the engine keeps them parsed while they are the same
 * @returns {Promise<import("../engine/engine.js").Review>}
 */
export async function reviewDraft(draft, admin, lang, problems, user = null, contacts = []) {
  try {
    const engine = await loadEngine();
    const key = JSON.stringify([admin.policy, admin.error, lang, user]);
    if (cached?.key !== key) {
      cached?.checker.free();
      cached = {
        key,
        // @ts-ignore: the third argument is the user's settings (checker(policy, lang, user)).
        checker: admin.error ? engine.unreadablePolicy(admin.error, lang) : engine.checker(admin.policy, lang, user),
      };
    }
    return cached.checker.check(draft, { contacts });
  } catch (error) {
    cached = undefined;
    problems.push(`engine: ${error instanceof Error ? error.message : String(error)}`);
    return failClosedReview(draft, lang);
  }
}

/**
 * The review shown when the engine could not check the mail. It classifies nothing: every
 * entry is listed as given and must be ticked.
 * @param {import("../engine/engine.js").Draft} draft
 * @param {string} lang
 * @returns {import("../engine/engine.js").Review}
 */
export function failClosedReview(draft, lang) {
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
    verdict: "warn",
    degraded: true,
    subject: draft.subject ?? "",
    sender: null,
    recipients,
    groups: recipients.length ? [{ class: "external", domain: null, members: recipients.map((r) => r.index) }] : [],
    attachments: (draft.attachments ?? []).map((a, index) => ({ index, name: a.name, size: a.size ?? null })),
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
  };
}
