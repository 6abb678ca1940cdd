// @ts-check
/**
 * The only module that imports the wasm bindings. The background, the dialog preview in the
 * playground (www/) and the node tests all go through it, so that no JavaScript anywhere
 * re-implements a rule.
 *
 * Architecture invariant: every call into the engine goes through `loadEngine()`.
 *
 * An engine that fails is replaced. A WebAssembly trap (a `RuntimeError`: a stack overflow,
 * an allocation that fails) leaves the instance's memory in whatever state the trap found
 * it, so no later call into that instance can be trusted. So every call goes through
 * `guard`: when a call throws, the next `loadEngine()` instantiates a fresh engine, and
 * unless the throw was an error the engine reported itself, the old instance is never called
 * again (see `drop`). The bindings that
 * wasm-bindgen generates keep their instance in module-level variables, so a fresh instance
 * needs a fresh copy of the bindings module: it is imported again under another URL (a query
 * string), which gives a new module record in Thunderbird, browsers and Node alike. The
 * compiled `WebAssembly.Module` is kept and instantiated again, which takes a few
 * milliseconds instead of a new compile.
 */
/**
 * What the engine sends is declared in review.d.ts, which `cargo xtask codegen` generates from
 * crates/dto: the JavaScript is type-checked against the Rust types themselves.
 * @typedef {import("./review").DiagnosticDto} Diagnostic `line` and `column` (1-based) only for a policy given as text
 * @typedef {import("./review").RecipientOut} ReviewRecipient
 * @typedef {import("./review").ExcerptOut} Excerpt
 * @typedef {import("./review").FindingOut} Finding
 * @typedef {import("./review").DialogOut} DialogPlan
 * @typedef {import("./review").ReviewDto} Review
 * @typedef {import("./review").FailureDto} Failure why the mail could not be checked at all (the
 *   engine failed, or the admin's policy could not be applied), and whether the admin's policy
 *   lets the person send it all the same after ticking every entry (`onFailure: "confirm"`)
 * @typedef {import("./review").EffectiveDialogOut} EffectiveDialog
 * @typedef {import("./review").EffectivePolicyDto} EffectivePolicy
 * @typedef {import("./review").CodeDto} CodeInfo
 * @typedef {{ id: string, pattern: string, in?: ("subject" | "body" | "attachment-name" | "attachment-content")[], when?: "always" | "external",
 *             severity?: "off" | "info" | "warn" | "block", message?: { ja?: string, en?: string, zh?: string } }} KeywordRule
 * @typedef {{ internalDomains?: string[], keywords?: KeywordRule[],
 *             rules?: Record<string, { severity?: "off" | "info" | "warn" | "block" }>,
 *             auditLog?: { enabled?: boolean, retentionDays?: number, subjects?: boolean } }} UserSettings
 * @typedef {string | { value: string, list?: string | null }} DraftRecipient
 * @typedef {{ state: "pending" } | { state: "inspected", facts: unknown }
 *   | { state: "failed", reason: "timeout" | "error" | "too-large" | "unavailable", detail: string }} AttachmentContents
 *   what the caller found inside an attachment (issue #14): still inspecting, the inspector's facts, or why it
 *   could not; absent when the caller does not inspect
 * @typedef {{ id?: number | null, name: string, size?: number | null, contents?: AttachmentContents }} DraftAttachment
 *   `id` is the caller's own handle on the file (Thunderbird's attachment id); the engine ignores it
 * @typedef {{ from?: string | null, to?: DraftRecipient[], cc?: DraftRecipient[], bcc?: DraftRecipient[],
 *             subject?: string, body?: string, attachments?: DraftAttachment[] }} Draft
 * @typedef {string | { address: string, name?: string | null, org?: string | null, reading?: string | null }} ContactEntry
 *   an address-book entry: `addr` or `Name <addr>`, or a card with the contact's name (`FN`),
 *   organisation (`ORG`) and how the name is read
 * @typedef {{ contacts?: ContactEntry[], sent?: string[] | null }} CheckContext what the caller knows besides the draft:
 *   `contacts` are the entries of the user's address books;
 *   `sent` the addresses mail was sent to before (`null` or absent: not known yet, and
 *   `first-time-recipient` stays silent).
 *   Without them, `new-recipient` stays silent and `lookalike-domain` compares only with the policy's domains.
 *   A checker keeps the arrays it was given and takes them in again only when it is given
 *   other ones: give a new array when the addresses change, never change one in place.
 * @typedef {{ diagnostics(): Diagnostic[], check(draft: Draft, context?: CheckContext | null): Review,
 *             effectivePolicy(): EffectivePolicy, free(): void }} PolicyChecker
 */

/** The context of a caller that gives none. */
const NO_ADDRESSES = Object.freeze(/** @type {string[]} */ ([]));

/**
 * A value as JSON text for the engine. Text that is not well-formed UTF-16 (a lone surrogate,
 * which pasted or hostile text can hold) is escaped by `JSON.stringify` as `\udXXX`, which the
 * engine's JSON reader refuses; it becomes U+FFFD, as it did when strings crossed one by one.
 * `JSON.stringify` writes paired surrogates as they are, so every such escape is a lone one.
 * @param {unknown} value
 * @returns {string}
 */
function toJson(value) {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("the engine was given a value JSON cannot hold");
  // A `\\` is consumed as a pair, so that an escaped backslash before `ud800` is not read as an escape.
  return text.includes("\\ud") ? text.replace(/\\(?:\\|u[dD][89a-fA-F][0-9a-fA-F]{2})/g, (m) => (m === "\\\\" ? m : "\\ufffd")) : text;
}

/** @type {Record<string, "to" | "cc" | "bcc">} */
const FIELDS = { t: "to", c: "cc", b: "bcc" };

/**
 * The draft's recipient entries as the engine read them: its To, Cc and Bcc entries in that
 * order, each the text of a string entry or the `value` of a mailing list's member. The
 * engine refers to them instead of sending their names and addresses back (see `fromCompact`).
 * @param {unknown} draft the draft as given
 * @param {string} text the JSON text the engine was given
 * @returns {unknown[]}
 */
function entriesOf(draft, text) {
  // A lone surrogate became U+FFFD in the text (`toJson`): the engine's entries are the text's.
  const given = /** @type {Draft} */ (text.includes("\\ufffd") ? JSON.parse(text) : draft);
  const entries = [];
  for (const list of [given.to, given.cc, given.bcc]) {
    if (Array.isArray(list)) for (const e of list) entries.push(typeof e === "string" ? e : e?.value);
  }
  return entries;
}

/**
 * A list of places in the review's recipients (a group's members, a finding's recipients) as
 * the engine wrote it: the list itself, or for a long one a string of one letter per recipient,
 * `1` for those in the list (see `Indices` in crates/dto).
 * @param {number[] | string} list
 * @returns {number[]}
 */
function places(list) {
  if (typeof list !== "string") return list;
  const out = [];
  for (let i = 0; i < list.length; i++) if (list.charCodeAt(i) === 49 /* 1 */) out.push(i);
  return out;
}

/**
 * The review from the engine's JSON text, where its recipients come in columns (a third of the
 * text of one object each, see `CompactReview` in crates/dto); they are made into
 * the objects review.d.ts declares here. A recipient whose entry in the draft is its address,
 * or exactly `name <address>`, has neither sent back (`from` is `a` or `n`): they are cut from
 * the entry at the place the engine names, the last ` <`. Long lists of recipients' places come
 * as strings of letters (`places`).
 * @param {string} text
 * @param {() => unknown[]} entries the draft's entries as the engine read them
 * @returns {Review}
 */
function fromCompact(text, entries) {
  const { review, recipients: c } = JSON.parse(text);
  const from = c.from;
  /** @type {unknown[] | undefined} */
  let given;
  /** @type {ReviewRecipient[]} */
  const recipients = new Array(from.length);
  for (let i = 0; i < recipients.length; i++) {
    /** @type {string | null} */
    let name = null;
    let address = "";
    const kind = from.charCodeAt(i);
    if (kind !== 116 /* t */) {
      given ??= entries();
      const entry = given[c.entry ? c.entry[i] : i];
      if (typeof entry !== "string") throw new Error("the review refers to a recipient entry the draft does not have");
      if (kind === 97 /* a */) {
        address = entry;
      } else {
        const at = entry.lastIndexOf(" <");
        name = entry.slice(0, at);
        address = entry.slice(at + 2, -1);
      }
    }
    recipients[i] = {
      index: c.index ? c.index[i] : i,
      field: FIELDS[c.field[i]],
      name,
      address,
      domain: c.domains[c.domain[i]],
      class: c.class[i] === "i" ? "internal" : "external",
      list: null,
      valid: c.valid[i] === "1",
    };
  }
  for (const [i, name, address] of c.text) {
    recipients[i].name = name;
    recipients[i].address = address;
  }
  for (const [i, list] of c.list) recipients[i].list = list;
  review.recipients = recipients;
  for (const group of review.groups) group.members = places(group.members);
  for (const finding of review.findings) finding.recipients = places(finding.recipients);
  return review;
}

/**
 * The bindings' URL, relative to this module: through `../engine/`, so that it holds from the
 * background's one script too (`background/background.bundle.js`, see xtask/src/bundle.rs).
 */
const BINDINGS = "../engine/pkg/misend_guard_wasm.js";

/** @type {Promise<Engine> | undefined} the engine in use, or being loaded */
let loading;
/** @type {Promise<WebAssembly.Module> | undefined} the compiled module, kept across instances */
let compiled;
/** @type {BufferSource | URL | string | undefined} where the module comes from, as first given */
let source;
/** How many instances were made, for the bindings' URL of the next one. */
let instances = 0;
/** @type {Engine | undefined} the engine `loading` resolved to */
let currentEngine;

/**
 * @typedef {{ default: (init: { module_or_path: WebAssembly.Module }) => Promise<unknown>,
 *             Checker: any, codes: (lang: string) => string, version: () => string }} Bindings
 *   the reviews, the codes and the diagnostics come as JSON text (see crates/wasm)
 */

/**
 * Loads the engine, or returns the one loaded before if it has not failed since.
 * @param {BufferSource | URL | string} [wasm] the module's bytes or URL; by default it is
 *   fetched next to the bindings, which is right for extension pages and the playground.
 *   Given once, it is kept for the instances that replace a failed one.
 * @returns {Promise<Engine>}
 */
export function loadEngine(wasm) {
  if (wasm !== undefined && source === undefined) source = wasm;
  if (!loading) {
    const attempt = instantiate().then(
      (engine) => engine,
      (error) => {
        // A failed load is tried again by the next caller instead of failing for good.
        if (loading === attempt) loading = undefined;
        throw error;
      },
    );
    loading = attempt;
  }
  return loading;
}

/** @returns {Promise<Engine>} */
async function instantiate() {
  const n = instances++;
  compiled ??= compile(source).catch((error) => {
    compiled = undefined;
    throw error;
  });
  const module = await compiled;
  // The first instance uses the bindings' own URL; each later one a fresh copy of them.
  const bindings = /** @type {Bindings} */ (await import(n === 0 ? BINDINGS : `${BINDINGS}?instance=${n}`));
  await bindings.default({ module_or_path: module });
  return new Engine(bindings);
}

/**
 * @param {BufferSource | URL | string | undefined} wasm
 * @returns {Promise<WebAssembly.Module>}
 */
async function compile(wasm) {
  if (wasm !== undefined && typeof wasm !== "string" && !(wasm instanceof URL)) return WebAssembly.compile(wasm);
  const response = await fetch(wasm ?? new URL("../engine/pkg/misend_guard_wasm_bg.wasm", import.meta.url));
  if (!response.ok) throw new Error(`the engine could not be fetched: ${response.status} ${response.statusText}`);
  if (response.headers.get("Content-Type") === "application/wasm" && typeof WebAssembly.compileStreaming === "function") {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * Drops an engine that failed, so that the next `loadEngine()` makes a fresh instance.
 * An engine already replaced is left alone.
 * @param {Engine} engine
 * @param {unknown} error what the failed call threw
 */
function drop(engine, error) {
  // An error the engine reported itself (a `Result` turned into a plain `Error`, such as a
  // draft of the wrong shape) leaves the instance sound, so a checker in hand may go on; a
  // trap (`WebAssembly.RuntimeError`), a stack overflow or anything else may have left its
  // memory half-changed, so it is never called again.
  if (!(error instanceof Error) || error.constructor !== Error) engine.broken = true;
  if (loading && currentEngine === engine) {
    loading = undefined;
    currentEngine = undefined;
  }
}

export class Engine {
  /** @param {Bindings} bindings a module record of its own, instantiated */
  constructor(bindings) {
    this.bindings = bindings;
    /** Whether a call into this instance trapped; a broken engine is never called again. */
    this.broken = false;
    currentEngine = this;
  }

  /**
   * Runs a call into this instance. A call that throws drops the instance, so that the next
   * `loadEngine()` makes a fresh one; a broken instance is not called at all.
   * @template T
   * @param {() => T} call
   * @returns {T}
   */
  guard(call) {
    if (this.broken) throw new Error("the engine failed before and has been replaced; load it again");
    try {
      return call();
    } catch (error) {
      drop(this, error);
      throw error;
    }
  }

  /** The engine's version. */
  get version() {
    return this.guard(() => this.bindings.version());
  }

  /**
   * Every check, with its default severity and its summary in `lang`.
   * @param {string} lang
   * @returns {CodeInfo[]}
   */
  codes(lang) {
    return JSON.parse(this.guard(() => this.bindings.codes(lang)));
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
    return this.wrap(this.guard(() => new this.bindings.Checker(policy ?? null, lang, user ?? null)));
  }

  /**
   * A checker for a policy given as JSON text, so that syntax errors have a line and column.
   * @param {string} text
   * @param {string} lang
   * @returns {PolicyChecker}
   */
  checkerFromText(text, lang) {
    return this.wrap(this.guard(() => this.bindings.Checker.fromText(text, lang)));
  }

  /**
   * The checker to use when the admin's policy could not be read: the strictest checks,
   * with the reason shown in the dialog.
   * @param {string} reason
   * @param {string} lang
   * @returns {PolicyChecker}
   */
  unreadablePolicy(reason, lang) {
    return this.wrap(this.guard(() => this.bindings.Checker.unreadable(reason, lang)));
  }

  /**
   * @param {any} checker a `Checker` of this instance
   * @returns {PolicyChecker}
   */
  wrap(checker) {
    /**
     * The context this checker holds: the arrays last handed to it, and their lengths. It is
     * handed over again only when the caller gives other arrays (contacts.js makes a new one
     * when the address books change), so that 5,000 addresses do not cross into the engine on
     * every Send. A checker of a fresh instance (after a failure) starts with none, and gets
     * the context with its first check.
     * @type {{ contacts: readonly ContactEntry[], sent: readonly string[] | null, lengths: string } | null}
     */
    let held = null;
    return {
      diagnostics: () => JSON.parse(this.guard(() => checker.diagnostics())),
      check: (draft, context) => {
        // Turned into text before the call: a draft JSON cannot hold (a cycle, a BigInt) is the
        // caller's error, not the instance's.
        const text = toJson(draft ?? null);
        const contacts = context?.contacts ?? NO_ADDRESSES;
        const sent = context?.sent ?? null;
        const lengths = `${contacts.length}/${sent?.length ?? -1}`;
        const given = held && held.contacts === contacts && held.sent === sent && held.lengths === lengths ? null : toJson({ contacts, sent });
        return fromCompact(
          this.guard(() => {
            if (given !== null) {
              held = null;
              checker.setContext(given);
              held = { contacts, sent, lengths };
            }
            return checker.check(text);
          }),
          () => entriesOf(draft, text),
        );
      },
      effectivePolicy: () => JSON.parse(this.guard(() => checker.effectivePolicy())),
      // Freeing a checker of a replaced instance would touch the memory of a broken one.
      free: () => {
        if (!this.broken) this.guard(() => checker.free());
      },
    };
  }
}
