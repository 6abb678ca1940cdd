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
 * @typedef {{ code: string, severity: "info" | "warn" | "block", message: string, recipients: number[], attachments: number[] }} Finding
 * @typedef {{ engineVersion: string, lang: string, verdict: "ok" | "warn" | "block", degraded: boolean,
 *             subject: string, sender: ReviewRecipient | null, recipients: ReviewRecipient[],
 *             groups: { class: "internal" | "external", domain: string | null, members: number[] }[],
 *             attachments: { index: number, name: string, size: number | null }[],
 *             findings: Finding[], dialog: { show: boolean, requireInternalTick: boolean },
 *             diagnostics: Diagnostic[] }} Review
 * @typedef {string | { value: string, list?: string | null }} DraftRecipient
 * @typedef {{ from?: string | null, to?: DraftRecipient[], cc?: DraftRecipient[], bcc?: DraftRecipient[],
 *             subject?: string, body?: string, attachments?: { name: string, size?: number | null }[] }} Draft
 * @typedef {{ diagnostics(): Diagnostic[], check(draft: Draft): Review, free(): void }} PolicyChecker
 * @typedef {{ code: string, defaultSeverity: "off" | "info" | "warn" | "block", summary: string }} CodeInfo
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
  loading ??= init(wasm ? { module_or_path: wasm } : undefined).then(() => new Engine());
  return loading;
}

export class Engine {
  /** The engine's version. */
  get version() {
    return version();
  }

  /**
   * Every check the engine has, with a one-line summary of what it detects, so that the
   * playground can say why a finding was raised without a second copy of the texts.
   * @param {string} lang
   * @returns {CodeInfo[]}
   */
  codes(lang) {
    return codes(lang);
  }

  /**
   * A checker for the admin's policy as a plain object (`null` for none).
   * @param {unknown} policy
   * @param {string} lang a BCP 47 tag; Japanese unless it starts with something else
   * @returns {PolicyChecker}
   */
  checker(policy, lang) {
    return wrap(new Checker(policy ?? null, lang));
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
    check: (draft) => checker.check(draft),
    free: () => checker.free(),
  };
}
