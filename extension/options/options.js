// @ts-check
/**
 * The options page: every setting, who set it, and the person's own additions.
 *
 * - What the admin's policy (storage.managed) sets is shown read-only, marked "set by your
 *   administrator". The dialog's keys are the admin's alone; the person sees their values.
 * - The person may add internal domains (only when the policy allows it:
 *   `userMayAddInternalDomains`, as the engine resolves it), keyword rules, raise the
 *   severity of checks the admin did not set, and choose large fonts.
 *   They are stored in `storage.local.userSettings` in the shape of the policy subset
 *   `{internalDomains, keywords, rules: {<code>: {severity}}}`; the background passes them
 *   to the engine on each send (`checker(policy, lang, user)`), and the engine lets nothing
 *   the admin set get weaker. Large fonts are stored apart, in `storage.local.display`.
 * - The effective policy and the policy's diagnostics come from the engine itself, so the
 *   page shows what the checks will really use.
 * - The confirmation record (audit-view.js), when the policy or the person turned it on: the
 *   records kept on this PC, filtered, exported, deleted. The person may turn it on
 *   (`userSettings.auditLog.enabled`), never off when the admin turned it on.
 *
 * Architecture invariant: every text from a policy or from the person is set with
 * `textContent`, never as HTML.
 */
import { Engine, loadEngine } from "../engine/engine.js";
import { errorText } from "../common/text.js";
import { withDeadline } from "../common/deadline.js";
import { readAdminPolicy } from "../common/admin-policy.js";
import { AuditView } from "./audit-view.js";

/** @typedef {import("../engine/engine.js").UserSettings} UserSettings */
/** @typedef {import("../engine/engine.js").KeywordRule} UserKeyword */
/** @typedef {NonNullable<UserKeyword["severity"]>} Severity */

const SEVERITIES = /** @type {const} */ (["off", "info", "warn", "block"]);
const RANK = { off: 0, info: 1, warn: 2, block: 3 };

/** The dialog's keys, in the order the page lists them, as paths into `dialog`. */
const DIALOG_KEYS = [
  "skipWhenInternalOnly",
  "requireInternalTick",
  "confirmSender",
  "allowCheckAll.internal",
  "allowCheckAll.external",
  "retypeAttachmentNamesForExternal",
  "countdownSeconds",
  "allowSendNow",
];

/**
 * The keys a policy with errors sets to their strictest value (the engine's
 * `DialogSettings::tighten`); only used to label them so.
 */
const TIGHTENED = new Set(["skipWhenInternalOnly", "requireInternalTick", "confirmSender", "allowCheckAll.internal", "allowCheckAll.external"]);

/** @type {(key: string, ...subs: (string | number)[]) => string} */
const t = (key, ...subs) => messenger.i18n.getMessage(key, subs.map(String)) || key;
const lang = messenger.i18n.getUILanguage();
const app = /** @type {HTMLElement} */ (document.getElementById("app"));
document.documentElement.lang = lang;
document.title = t("optionsTitle");

/**
 * @typedef {object} State
 * @property {import("../common/admin-policy.js").AdminPolicy} admin
 * @property {UserSettings} user
 * @property {{ largeFonts: boolean }} display
 * @property {import("../engine/engine.js").Engine | null} engine
 * @property {string | null} engineError
 * @property {string | null} storageError
 * @property {import("../background/sent-index.js").Status | { error: string, state: "unavailable" }} sentIndex
 */
/** @type {State} */
let state;
/** @type {AuditView | null} made on the first render, kept across the later ones */
let auditView = null;

/**
 * @param {string} tag
 * @param {Record<string, string | null | undefined>} [attrs]
 * @param {(Node | string | null | undefined | false)[]} [children]
 */
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== null && value !== undefined) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

async function main() {
  /** @type {string | null} */
  let storageError = null;
  const [admin, stored, engine] = await Promise.all([
    readAdminPolicy(),
    messenger.storage.local.get(["userSettings", "display"]).catch((/** @type {unknown} */ e) => {
      storageError = errorText(e, messenger.i18n);
      return /** @type {{ [key: string]: any }} */ ({});
    }),
    loadEngine().catch((/** @type {unknown} */ e) => e),
  ]);
  const sentIndex = await sentIndexRequest("sentIndex.status");
  const user = stored.userSettings && typeof stored.userSettings === "object" ? stored.userSettings : {};
  state = {
    admin,
    user,
    display: { largeFonts: stored.display?.largeFonts === true },
    engine: engine instanceof Engine ? engine : null,
    engineError: engine instanceof Engine ? null : errorText(engine, messenger.i18n),
    storageError,
    sentIndex,
  };
  render();
  // While the index is built, its line follows it.
  setInterval(async () => {
    if (state.sentIndex.state !== "building") return;
    state.sentIndex = await sentIndexRequest("sentIndex.status");
    document.getElementById("sent-index")?.replaceWith(renderSentIndex());
  }, 2000);
}

/**
 * Asks the background about the Sent index (it holds it).
 * @param {"sentIndex.status" | "sentIndex.clear"} type
 * @returns {Promise<State["sentIndex"]>}
 */
async function sentIndexRequest(type) {
  try {
    const answer = await withDeadline(() => messenger.runtime.sendMessage({ type }), 10000, "the Sent index");
    if (!answer || typeof answer !== "object" || typeof answer.state !== "string") throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    return answer;
  } catch (error) {
    return { state: "unavailable", error: errorText(error, messenger.i18n) };
  }
}

/**
 * What the engine makes of the admin's policy, with or without the person's settings.
 * @param {UserSettings | null} user
 */
function resolve(user) {
  const engine = state.engine;
  if (!engine) return null;
  const checker = state.admin.error
    ? engine.unreadablePolicy(state.admin.error, lang)
    : engine.checker(state.admin.policy, lang, user);
  try {
    return { effective: checker.effectivePolicy(), diagnostics: checker.diagnostics() };
  } finally {
    checker.free();
  }
}

function render() {
  const adminOnly = resolve(null);
  const withUser = resolve(state.user);
  document.documentElement.classList.toggle("large", state.display.largeFonts);
  const scroll = window.scrollY;
  app.replaceChildren(
    el("header", { class: "page-header" }, [
      el("h1", {}, [t("optionsTitle")]),
      el("span", { class: "version" }, [state.engine ? `Misend Guard ${state.engine.version}` : ""]),
    ]),
    el("p", { id: "save-status", class: "save-status", role: "status" }),
    renderStatus(withUser),
    renderDomains(withUser),
    renderRules(adminOnly, withUser),
    renderKeywords(),
    renderDialogSettings(withUser),
    renderSentIndex(),
    renderAudit(adminOnly, withUser),
    renderEffective(withUser),
  );
  window.scrollTo(0, scroll);
  app.setAttribute("aria-busy", "false");
  document.documentElement.dataset.ready = "1";
}

/**
 * Where the policy comes from, and its diagnostics.
 * @param {ReturnType<typeof resolve>} resolved
 */
function renderStatus(resolved) {
  const policy = state.admin.policy;
  const section = el("section", { id: "status", class: "card", "aria-labelledby": "status-title" }, [el("h2", { id: "status-title" }, [t("optStatus")])]);
  /** @type {string} */
  let text;
  let level = "ok";
  if (state.admin.error) {
    text = t("optAdminUnreadable", state.admin.error);
    level = "error";
  } else if (policy && typeof policy === "object" && Object.keys(policy).length > 0) {
    text = t("optAdminPolicy");
  } else {
    text = t("optNoAdminPolicy");
  }
  section.append(el("p", { id: "admin-status", class: `status-line ${level}` }, [text]));
  if (state.engineError) section.append(el("p", { class: "status-line error", role: "alert" }, [t("optEngineError", state.engineError)]));
  if (state.storageError) section.append(el("p", { class: "status-line error", role: "alert" }, [t("optStorageError", state.storageError)]));
  if (resolved?.effective.degraded) section.append(el("p", { class: "status-line error" }, [t("degradedExplain")]));
  const diagnostics = resolved?.diagnostics ?? [];
  const list = el("ul", { id: "diagnostics", class: "diagnostics" });
  for (const d of diagnostics) {
    list.append(
      el("li", { class: `diagnostic ${d.level}`, "data-path": d.path, "data-source": d.source }, [
        el("span", { class: "source" }, [t(d.source === "user" ? "optSourceUser" : "optSourceAdmin")]),
        " ",
        d.path ? el("code", {}, [d.path]) : null,
        d.path ? " " : null,
        d.message,
        d.hint ? el("div", { class: "hint" }, [d.hint]) : null,
      ]),
    );
  }
  if (diagnostics.length > 0) section.append(el("h3", {}, [t("optDiagnostics", diagnostics.length)]), list);
  return section;
}

/**
 * The internal domains: the admin's (read-only), the person's (removable), and the form to
 * add one when the policy allows it.
 * @param {ReturnType<typeof resolve>} resolved
 */
function renderDomains(resolved) {
  const adminDomains = adminList("internalDomains");
  const userDomains = stringList(state.user.internalDomains);
  const allowed = resolved?.effective.userMayAddInternalDomains === true;
  const section = el("section", { id: "domains", class: "card", "aria-labelledby": "domains-title" }, [
    el("h2", { id: "domains-title" }, [t("optDomains")]),
    el("p", { class: "explain" }, [t("optDomainsExplain")]),
    // Without internal domains from the admin, the engine counts the sending identity's own
    // domain as internal, so that a mail to a colleague is not one to an outside organisation.
    !state.admin.error && adminDomains.length === 0 ? el("p", { id: "own-domain-internal", class: "explain note" }, [t("optOwnDomainInternal")]) : null,
  ]);
  const list = el("ul", { id: "domain-list", class: "item-list" });
  for (const domain of adminDomains) {
    list.append(el("li", { "data-domain": domain, "data-owner": "admin" }, [el("code", {}, [domain]), lockBadge()]));
  }
  userDomains.forEach((domain, i) => {
    const remove = el("button", { type: "button", class: "remove", "aria-label": t("optRemoveNamed", domain) }, [t("optRemove")]);
    remove.addEventListener("click", () => {
      const next = userDomains.filter((_, j) => j !== i);
      save({ ...state.user, internalDomains: next }, t("optRemoved", domain));
    });
    list.append(el("li", { "data-domain": domain, "data-owner": "user" }, [el("code", {}, [domain]), el("span", { class: "owner" }, [t("optYours")]), remove]));
  });
  if (adminDomains.length + userDomains.length === 0) list.append(el("li", { class: "none" }, [t("optNoDomains")]));
  section.append(list);

  const input = /** @type {HTMLInputElement} */ (
    el("input", { id: "domain-input", type: "text", autocomplete: "off", spellcheck: "false", placeholder: "corp.example, *.corp.example", "aria-label": t("optDomainInput") })
  );
  const error = el("p", { id: "domain-error", class: "field-error", role: "alert" });
  const form = el("form", { id: "add-domain", class: "add-form" }, [input, el("button", { type: "submit", id: "domain-add" }, [t("optAdd")])]);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const domain = input.value.trim().toLowerCase();
    const problem = domainProblem(domain, [...adminDomains, ...userDomains]);
    if (problem) {
      error.textContent = problem;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    save({ ...state.user, internalDomains: [...userDomains, domain] }, t("optAdded", domain), "domain-input");
  });
  if (!allowed) {
    for (const control of form.querySelectorAll("input, button")) /** @type {HTMLInputElement} */ (control).disabled = true;
    section.append(form, el("p", { id: "domain-locked", class: "locked-note" }, [t("optDomainsLocked")]));
  } else {
    section.append(form, error);
  }
  return section;
}

/**
 * A quick shape check of a domain typed by the person, so that a typo is caught at once;
 * the engine's own check (its diagnostics, shown above) is the authority.
 * @param {string} domain
 * @param {string[]} existing
 */
function domainProblem(domain, existing) {
  if (!domain) return t("optDomainEmpty");
  if (domain.includes("@")) return t("optDomainIsAddress");
  if (!/^(\*\.)?[^\s*@/]+\.[^\s*@/.]+$/u.test(domain)) return t("optDomainInvalid");
  if (existing.map((d) => d.toLowerCase()).includes(domain)) return t("optDomainDuplicate");
  return null;
}

/**
 * Every check: what it detects, its severity, and who decides it.
 * @param {ReturnType<typeof resolve>} adminOnly
 * @param {ReturnType<typeof resolve>} withUser
 */
function renderRules(adminOnly, withUser) {
  const section = el("section", { id: "rules", class: "card", "aria-labelledby": "rules-title" }, [
    el("h2", { id: "rules-title" }, [t("optRules")]),
    el("p", { class: "explain" }, [t("optRulesExplain")]),
  ]);
  if (!state.engine) return section;
  const table = el("table", { class: "rules" }, [
    el("thead", {}, [el("tr", {}, [el("th", {}, [t("optCheck")]), el("th", {}, [t("optSeverity")]), el("th", {}, [t("optSetBy")])])]),
  ]);
  const body = el("tbody");
  const adminRules = /** @type {Record<string, any>} */ (objectAt(state.admin.policy, "rules"));
  for (const code of state.engine.codes(lang)) {
    const baseline = /** @type {keyof typeof RANK} */ (adminOnly?.effective.rules[code.code]?.severity ?? code.defaultSeverity);
    const effective = withUser?.effective.rules[code.code]?.severity ?? baseline;
    const adminSet = typeof adminRules?.[code.code]?.severity === "string";
    const row = el("tr", { "data-code": code.code }, [
      el("td", {}, [el("code", { class: "code" }, [code.code]), el("div", { class: "summary" }, [code.summary])]),
    ]);
    if (adminSet) {
      row.append(el("td", {}, [el("span", { class: `severity ${effective}` }, [severityName(effective)])]), el("td", {}, [lockBadge()]));
    } else {
      const mine = state.user.rules?.[code.code]?.severity;
      const select = /** @type {HTMLSelectElement} */ (
        el("select", { class: "rule-severity", "data-code": code.code, "aria-label": t("optSeverityFor", code.code) })
      );
      select.append(el("option", { value: "" }, [t("optDefaultSeverity", severityName(baseline))]));
      // Only stricter than what applies without the person: users never make a check weaker.
      for (const s of SEVERITIES) if (RANK[s] > RANK[baseline]) select.append(el("option", { value: s }, [severityName(s)]));
      select.value = mine && RANK[/** @type {keyof typeof RANK} */ (mine)] > RANK[baseline] ? mine : "";
      select.addEventListener("change", () => {
        const rules = { ...(state.user.rules ?? {}) };
        if (select.value) rules[code.code] = { severity: /** @type {Severity} */ (select.value) };
        else delete rules[code.code];
        save({ ...state.user, rules }, t("optSaved"), `select[data-code="${code.code}"]`);
      });
      row.append(el("td", {}, [select]), el("td", {}, [el("span", { class: "owner" }, [select.value ? t("optYours") : t("optDefault")])]));
    }
    body.append(row);
  }
  table.append(body);
  section.append(table);
  return section;
}

/** Where a keyword rule can search, in the engine's names and the order the page shows them. */
const PARTS = /** @type {const} */ (["subject", "body", "attachment-name"]);
const PART_MESSAGE = { subject: "optPartSubject", body: "optPartBody", "attachment-name": "optPartAttachment" };

/** The keyword rules: the admin's (read-only) and the person's. */
function renderKeywords() {
  const adminKeywords = /** @type {unknown[]} */ (Array.isArray(objectAt(state.admin.policy, "keywords")) ? objectAt(state.admin.policy, "keywords") : []);
  const userKeywords = /** @type {UserKeyword[]} */ (Array.isArray(state.user.keywords) ? state.user.keywords : []);
  const section = el("section", { id: "keywords", class: "card", "aria-labelledby": "keywords-title" }, [
    el("h2", { id: "keywords-title" }, [t("optKeywords")]),
    el("p", { class: "explain" }, [t("optKeywordsExplain")]),
  ]);
  const list = el("ul", { id: "keyword-list", class: "item-list" });
  for (const k of adminKeywords) {
    const parts = keywordParts(k);
    list.append(el("li", { "data-owner": "admin", "data-pattern": parts.pattern }, [...keywordCells(parts), lockBadge()]));
  }
  userKeywords.forEach((k, i) => {
    const parts = keywordParts(k);
    const remove = el("button", { type: "button", class: "remove", "aria-label": t("optRemoveNamed", parts.pattern) }, [t("optRemove")]);
    remove.addEventListener("click", () => save({ ...state.user, keywords: userKeywords.filter((_, j) => j !== i) }, t("optRemoved", parts.pattern)));
    list.append(el("li", { "data-owner": "user", "data-pattern": parts.pattern }, [...keywordCells(parts), el("span", { class: "owner" }, [t("optYours")]), remove]));
  });
  if (adminKeywords.length + userKeywords.length === 0) list.append(el("li", { class: "none" }, [t("optNoKeywords")]));
  section.append(list);

  const pattern = /** @type {HTMLInputElement} */ (
    el("input", { id: "keyword-pattern", type: "text", autocomplete: "off", spellcheck: "false", placeholder: t("optKeywordPlaceholder"), "aria-label": t("optKeywordInput"), "aria-describedby": "keyword-error" })
  );
  const severity = /** @type {HTMLSelectElement} */ (el("select", { id: "keyword-severity", "aria-label": t("optSeverity") }));
  for (const s of ["info", "warn", "block"]) severity.append(el("option", { value: s }, [severityName(s)]));
  severity.value = "warn";
  const when = /** @type {HTMLSelectElement} */ (el("select", { id: "keyword-when", "aria-label": t("optKeywordWhen") }));
  when.append(el("option", { value: "always" }, [t("optWhenAlways")]), el("option", { value: "external" }, [t("optWhenExternal")]));
  const note = /** @type {HTMLInputElement} */ (
    el("input", { id: "keyword-message", type: "text", autocomplete: "off", placeholder: t("optKeywordMessagePlaceholder"), "aria-label": t("optKeywordMessage") })
  );
  const boxes = PARTS.map((part) => /** @type {HTMLInputElement} */ (el("input", { type: "checkbox", id: `keyword-in-${part}`, value: part, checked: "" })));
  const where = el("fieldset", { class: "keyword-where" }, [
    el("legend", {}, [t("optKeywordWhere")]),
    ...PARTS.map((part, i) => el("label", {}, [boxes[i], t(PART_MESSAGE[part])])),
  ]);
  const error = el("p", { id: "keyword-error", class: "field-error", role: "alert" });
  const form = el("form", { id: "add-keyword", class: "add-form" }, [pattern, severity, when, note, where, el("button", { type: "submit", id: "keyword-add" }, [t("optAdd")])]);
  pattern.addEventListener("input", () => pattern.removeAttribute("aria-invalid"));
  /** @param {string} text @param {HTMLElement} focus */
  const refuse = (text, focus) => {
    error.textContent = text;
    if (focus === pattern) pattern.setAttribute("aria-invalid", "true");
    focus.focus();
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = pattern.value.trim();
    if (!text) return refuse(t("optKeywordEmpty"), pattern);
    const places = boxes.filter((box) => box.checked).map((box) => /** @type {(typeof PARTS)[number]} */ (box.value));
    if (places.length === 0) return refuse(t("optKeywordNowhere"), boxes[0]);
    const taken = new Set(userKeywords.map((k) => k.id));
    let n = userKeywords.length + 1;
    while (taken.has(`keyword-${n}`)) n += 1;
    /** @type {UserKeyword} */
    const rule = { id: `keyword-${n}`, pattern: text, severity: /** @type {Severity} */ (severity.value) };
    if (places.length < PARTS.length) rule.in = places;
    if (when.value === "external") rule.when = "external";
    // The person's own words, shown in the dialog whatever its language.
    const message = note.value.trim();
    if (message) rule.message = { ja: message, en: message, zh: message };
    // The engine judges the rule as it will on every send: a pattern it cannot use is
    // refused here, with its reason, instead of being saved and ignored.
    const next = { ...state.user, keywords: [...userKeywords, rule] };
    const problem = resolve(next)?.diagnostics.find((d) => d.source === "user" && d.path.startsWith(`keywords[${userKeywords.length}]`));
    if (problem) return refuse(problem.hint ? `${problem.message} ${problem.hint}` : problem.message, pattern);
    save(next, t("optAdded", text), "keyword-pattern");
  });
  section.append(form, error);
  return section;
}

/**
 * The cells of a keyword rule's row: its pattern, where and when it searches, its severity.
 * @param {ReturnType<typeof keywordParts>} parts
 */
function keywordCells({ pattern, severity, places, external }) {
  const scope = [places.map((part) => t(PART_MESSAGE[part])).join(t("optListSeparator")), external ? t("optWhenExternal") : null].filter(Boolean).join(" / ");
  return [
    el("code", {}, [pattern]),
    el("span", { class: "scope" }, [scope]),
    severity ? el("span", { class: `severity ${severity}` }, [severityName(severity)]) : null,
  ];
}

/** @param {unknown} k */
function keywordParts(k) {
  if (typeof k === "string") return { pattern: k, severity: null, places: [...PARTS], external: false };
  const o = /** @type {Record<string, unknown>} */ (k && typeof k === "object" ? k : {});
  const places = Array.isArray(o.in) ? PARTS.filter((part) => /** @type {unknown[]} */ (o.in).includes(part)) : [...PARTS];
  return {
    pattern: typeof o.pattern === "string" ? o.pattern : JSON.stringify(k),
    severity: typeof o.severity === "string" ? o.severity : null,
    places,
    external: o.when === "external",
  };
}

/**
 * The dialog's settings, all the admin's, and the person's large fonts.
 * @param {ReturnType<typeof resolve>} resolved
 */
function renderDialogSettings(resolved) {
  const section = el("section", { id: "dialog-settings", class: "card", "aria-labelledby": "dialog-title" }, [
    el("h2", { id: "dialog-title" }, [t("optDialog")]),
  ]);
  const large = /** @type {HTMLInputElement} */ (el("input", { id: "large-fonts", type: "checkbox" }));
  large.checked = state.display.largeFonts;
  large.addEventListener("change", async () => {
    state.display = { largeFonts: large.checked };
    try {
      await messenger.storage.local.set({ display: state.display });
      render();
      status(t("optSaved"), "large-fonts");
    } catch (error) {
      status(t("optSaveFailed", String(error)));
    }
  });
  section.append(el("label", { class: "large-fonts" }, [large, t("optLargeFonts")]));
  const list = el("dl", { class: "dialog-keys" });
  const dialog = resolved?.effective.dialog ?? {};
  const adminDialog = objectAt(state.admin.policy, "dialog");
  for (const key of DIALOG_KEYS) {
    const value = valueAt(dialog, key);
    const adminSet = valueAt(adminDialog, key) !== undefined;
    list.append(
      el("dt", { "data-key": key }, [t(`dialogKey_${key.replace(".", "_")}`)]),
      el("dd", { "data-key": key }, [
        el("span", { class: "value" }, [formatValue(key, value)]),
        adminSet
          ? lockBadge()
          : el("span", { class: "owner" }, [t(resolved?.effective.degraded && TIGHTENED.has(key) ? "optStrictest" : "optDefaultAdminOnly")]),
      ]),
    );
  }
  section.append(el("p", { class: "explain" }, [t("optDialogExplain")]), list);
  return section;
}

/**
 * The confirmation record: the person's switch, and the records when recording is on.
 * @param {ReturnType<typeof resolve>} adminOnly
 * @param {ReturnType<typeof resolve>} withUser
 */
function renderAudit(adminOnly, withUser) {
  auditView ??= new AuditView({ t, el, lang });
  const byAdmin = adminOnly?.effective.auditLog?.enabled === true;
  /** @type {HTMLElement} */
  let control;
  if (byAdmin) {
    control = el("p", { id: "audit-locked", class: "locked-note" }, [t("optAuditByAdmin"), " ", lockBadge()]);
  } else {
    const box = /** @type {HTMLInputElement} */ (el("input", { id: "audit-mine", type: "checkbox" }));
    box.checked = state.user.auditLog?.enabled === true;
    box.addEventListener("change", () => {
      const { enabled: _, ...rest } = state.user.auditLog ?? {};
      save({ ...state.user, auditLog: box.checked ? { ...rest, enabled: true } : rest }, t("optSaved"), "audit-mine");
    });
    control = el("label", { class: "large-fonts" }, [box, t("optAuditMine")]);
  }
  return auditView.element(withUser?.effective.auditLog, control);
}

/**
 * The effective policy, as the checks will use it, and the person's own settings.
 * @param {ReturnType<typeof resolve>} resolved
 */
function renderEffective(resolved) {
  const reset = el("button", { type: "button", id: "reset" }, [t("optReset")]);
  reset.addEventListener("click", () => save({}, t("optResetDone")));
  return el("section", { id: "effective", class: "card", "aria-labelledby": "effective-title" }, [
    el("h2", { id: "effective-title" }, [t("optEffective")]),
    el("p", { class: "explain" }, [t("optEffectiveExplain")]),
    el("pre", { id: "effective-json", tabindex: "0", "aria-label": t("optEffective") }, [resolved ? JSON.stringify(resolved.effective, null, 2) : t("optEngineMissing")]),
    el("h3", {}, [t("optYourSettings")]),
    el("pre", { id: "user-json", tabindex: "0", "aria-label": t("optYourSettings") }, [JSON.stringify(state.user, null, 2)]),
    reset,
  ]);
}

/**
 * Stores the person's settings, then shows them.
 * @param {UserSettings} next
 * @param {string} message
 * @param {string} [focus] the id or selector of the control to focus again
 */
async function save(next, message, focus) {
  const cleaned = clean(next);
  try {
    await messenger.storage.local.set({ userSettings: cleaned });
    state.user = cleaned;
    render();
    status(message, focus);
  } catch (error) {
    status(t("optSaveFailed", errorText(error, messenger.i18n)));
  }
}

/**
 * The settings without empty lists and maps, so that what is stored is what was chosen.
 * @param {UserSettings} user
 * @returns {UserSettings}
 */
function clean(user) {
  /** @type {UserSettings} */
  const out = {};
  if (user.internalDomains?.length) out.internalDomains = user.internalDomains;
  if (user.keywords?.length) out.keywords = user.keywords;
  if (user.rules && Object.keys(user.rules).length) out.rules = user.rules;
  if (user.auditLog && Object.keys(user.auditLog).length) out.auditLog = user.auditLog;
  return out;
}

/**
 * The Sent index: what it keeps, how big it is, when it changed, and the button that deletes it.
 */
function renderSentIndex() {
  const index = state.sentIndex;
  const section = el("section", { id: "sent-index", class: "card", "aria-labelledby": "sent-index-title" }, [
    el("h2", { id: "sent-index-title" }, [t("optSentIndex")]),
    el("p", { class: "explain" }, [t("optSentIndexExplain")]),
  ]);
  /** @type {string} */
  let line;
  let level = "ok";
  if (index.state === "unavailable") {
    line = t("optSentIndexUnavailable", index.error);
    level = "error";
  } else if (index.state === "failed") {
    line = t("optSentIndexFailed", index.error ?? "");
    level = "error";
  } else if (index.state === "building") {
    line = t("optSentIndexBuilding", index.messages, index.addresses);
    level = "warn";
  } else {
    const when = index.updatedAt ? new Date(index.updatedAt).toLocaleString(lang) : t("optNever");
    line = t("optSentIndexReady", index.addresses, index.messages, index.bytes, when);
  }
  section.append(el("p", { id: "sent-index-status", class: `status-line ${level}`, role: "status" }, [line]));
  const clear = el("button", { type: "button", id: "sent-index-clear" }, [t("optSentIndexClear")]);
  clear.addEventListener("click", async () => {
    clear.setAttribute("disabled", "");
    state.sentIndex = await sentIndexRequest("sentIndex.clear");
    document.getElementById("sent-index")?.replaceWith(renderSentIndex());
    status(state.sentIndex.state === "unavailable" ? t("optSentIndexUnavailable", state.sentIndex.error) : t("optSentIndexCleared"), "#sent-index-clear");
  });
  section.append(clear);
  return section;
}

/**
 * @param {string} message
 * @param {string} [focus]
 */
function status(message, focus) {
  const line = document.getElementById("save-status");
  if (line) line.textContent = message;
  if (focus) /** @type {HTMLElement | null} */ (document.getElementById(focus) ?? document.querySelector(focus))?.focus();
}

function lockBadge() {
  return el("span", { class: "lock", title: t("optSetByAdminHint") }, [t("optSetByAdmin")]);
}

/** @param {string} severity */
function severityName(severity) {
  return t(`severityName_${severity}`);
}

/**
 * @param {string} key
 * @param {unknown} value
 */
function formatValue(key, value) {
  if (value === undefined) return "—";
  if (key === "countdownSeconds") return Number(value) > 0 ? t("optSeconds", Number(value)) : t("optNoCountdown");
  if (typeof value === "boolean") return value ? t("optYes") : t("optNo");
  return String(value);
}

/**
 * @param {unknown} object
 * @param {string} key
 * @returns {any}
 */
function objectAt(object, key) {
  return object && typeof object === "object" ? /** @type {Record<string, unknown>} */ (object)[key] : undefined;
}

/**
 * @param {unknown} object
 * @param {string} path  `a.b`
 */
function valueAt(object, path) {
  return path.split(".").reduce((/** @type {unknown} */ o, k) => objectAt(o, k), object);
}

/** @param {string} key */
function adminList(key) {
  return stringList(objectAt(state.admin.policy, key));
}

/** @param {unknown} value */
function stringList(value) {
  return Array.isArray(value) ? value.filter((v) => typeof v === "string") : [];
}

main().catch((error) => {
  app.replaceChildren(el("p", { class: "status-line error", role: "alert" }, [t("optEngineError", String(error))]));
  document.documentElement.dataset.ready = "1";
});
