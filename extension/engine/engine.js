// @ts-check
/**
 * The only module that imports the wasm bindings. The background, the dialog preview in the
 * playground (www/) and the node tests all go through it, so that no JavaScript anywhere
 * re-implements a rule.
 *
 * Architecture invariant: every call into the engine goes through `loadEngine()`.
 */
import init, { Checker, codes, version } from "./pkg/misend_guard_wasm.js";

/**
 * @typedef {{ level: "error" | "warning", source: string, path: string, message: string, hint: string | null }} Diagnostic
 * @typedef {{ index: number, field: "to" | "cc" | "bcc", name: string | null, address: string, domain: string,
 *             class: "internal" | "external", list: string | null, valid: boolean }} ReviewRecipient
 * @typedef {{ part: "subject" | "body" | "attachment", attachment?: number, before: string, text: string, after: string }} Excerpt
 * @typedef {{ code: string, severity: "info" | "warn" | "block", message: string, recipients: number[], attachments: number[],
 *             excerpts: Excerpt[], ruleId: string | null }} Finding
 * @typedef {{ show: boolean, requireInternalTick: boolean, confirmSender: boolean,
 *             allowCheckAll: { internal: boolean, external: boolean }, retypeAttachmentNames: boolean,
 *             countdownSeconds: number, allowSendNow: boolean }} DialogPlan
 * @typedef {{ id: string, pattern: string, in?: ("subject" | "body" | "attachment-name")[], when?: "always" | "external",
 *             severity?: "off" | "info" | "warn" | "block", message?: { ja?: string, en?: string } }} KeywordRule
 * @typedef {{ internalDomains?: string[], keywords?: KeywordRule[],
 *             rules?: Record<string, { severity?: "off" | "info" | "warn" | "block" }> }} UserSettings
 * @typedef {{ engineVersion: string, lang: string, verdict: "ok" | "warn" | "block", degraded: boolean,
 *             subject: string, sender: ReviewRecipient | null, recipients: ReviewRecipient[],
 *             groups: { class: "internal" | "external", domain: string | null, members: number[] }[],
 *             attachments: { index: number, name: string, size: number | null }[],
 *             findings: Finding[], dialog: DialogPlan,
 *             diagnostics: Diagnostic[] }} Review
 * @typedef {string | { value: string, list?: string | null }} DraftRecipient
 * @typedef {{ from?: string | null, to?: DraftRecipient[], cc?: DraftRecipient[], bcc?: DraftRecipient[],
 *             subject?: string, body?: string, attachments?: { name: string, size?: number | null }[] }} Draft
 * @typedef {{ contacts?: string[] }} CheckContext what the caller knows besides the draft:
 *   `contacts` are the addresses of the user's address books (`addr` or `Name <addr>`).
 *   Without them, `new-recipient` stays silent and `lookalike-domain` compares only with the policy's domains.
 * @typedef {{ internalDomains: string[], rules: Record<string, { severity: string }>,
 *             dialog: Record<string, unknown>, userMayAddInternalDomains: boolean, degraded: boolean }} EffectivePolicy
 * @typedef {{ code: string, defaultSeverity: "off" | "info" | "warn" | "block", summary: string }} CodeInfo
 * @typedef {{ diagnostics(): Diagnostic[], check(draft: Draft, context?: CheckContext | null): Review,
 *             effectivePolicy(): EffectivePolicy, free(): void }} PolicyChecker
 */

/** @type {Promise<Engine> | undefined} */
let loading;

/**
 * Loads the engine once.
 * @param {BufferSource | URL | string} [wasm] the module's bytes or URL; by default it is
 *   fetched next to the bindings, which is right for extension pages and the playground.
 * @returns {Promise<Engine>}
 */
export function loadEngine(wasm) {
  loading ??= init(wasm ? { module_or_path: wasm } : undefined).then(
    () => new Engine(),
    (error) => {
      // A failed load is tried again by the next caller instead of failing for good.
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

export class Engine {
  /** The engine's version. */
  get version() {
    return version();
  }

  /**
   * Every check, with its default severity and its summary in `lang`.
   * @param {string} lang
   * @returns {CodeInfo[]}
   */
  codes(lang) {
    return codes(lang);
  }

  /**
   * A checker for the admin's policy as a plain object (`null` for none), with the user's own
   * settings from the options page merged over it. The user's settings can only make checks
   * stricter; what they try beyond that becomes a warning diagnostic with source "user".
   * @param {unknown} policy
   * @param {string} lang a BCP 47 tag; Japanese unless it starts with something else
   * @param {UserSettings | null} [user] `{ internalDomains?, keywords?, rules?: { [code]: { severity } } }`
   * @returns {PolicyChecker}
   */
  checker(policy, lang, user) {
    return wrap(new Checker(policy ?? null, lang, user ?? null));
  }

  /**
   * A checker for a policy given as JSON text, so that syntax errors have a line and column.
   * @param {string} text
   * @param {string} lang
   * @returns {PolicyChecker}
   */
  checkerFromText(text, lang) {
    return wrap(Checker.fromText(text, lang));
  }

  /**
   * The checker to use when the admin's policy could not be read: the strictest checks,
   * with the reason shown in the dialog.
   * @param {string} reason
   * @param {string} lang
   * @returns {PolicyChecker}
   */
  unreadablePolicy(reason, lang) {
    return wrap(Checker.unreadable(reason, lang));
  }
}

/**
 * @param {Checker} checker
 * @returns {PolicyChecker}
 */
function wrap(checker) {
  return {
    diagnostics: () => checker.diagnostics(),
    check: (draft, context) => checker.check(draft, context ?? null),
    effectivePolicy: () => checker.effectivePolicy(),
    free: () => checker.free(),
  };
}
