// @ts-check
/**
 * The policy playground: an admin edits a policy, writes or loads a test mail, and sees the
 * verdict, the findings and the confirmation dialog exactly as the add-on would show them.
 *
 * Architecture invariant: no rule is re-implemented here. The policy is validated and the
 * mail is checked by the add-on's own engine (the same wasm, through the same wrapper,
 * `engine/engine.js`), and the dialog is drawn by the add-on's own `dialog/render.js`.
 * Nothing leaves the browser: the page fetches only its own files.
 */
import { loadEngine } from "./engine/engine.js";
import { renderDialog } from "./dialog/render.js";
import { HTML_LANGS, applyTexts, isLang, loadTexts, preferredLang } from "./lib/i18n.js";
import { PolicyEditor } from "./lib/editor.js";
import { MailForm, emptyMail, normalizeMail, toContext, toDraft } from "./lib/mail-form.js";
import { EmlTooLarge, MAX_EML_BYTES, emlToMail } from "./lib/eml.js";
import { buildPoliciesJson, defaultInstallPath, readPolicyFile } from "./lib/policies-file.js";
import { decodeState, encodeState } from "./lib/share.js";
import { renderResult } from "./lib/result.js";
import { formatBytes } from "./dialog/format.js";

/**
 * @typedef {import("./lib/i18n.js").Lang} Lang
 * @typedef {import("./engine/engine.js").Engine} Engine
 * @typedef {import("./engine/engine.js").Diagnostic & { line?: number, column?: number }} Diagnostic
 * @typedef {import("./lib/mail-form.js").Mail} Mail
 * @typedef {{ title: Partial<Record<Lang, string>>, policy: unknown, mail: unknown }} Example
 */

/** How long typing may pause before the policy is checked again. */
const POLICY_DEBOUNCE_MS = 250;
/** The same for the mail, which is cheaper to check. */
const MAIL_DEBOUNCE_MS = 120;
/** The URL fragment follows the state this long after the last edit. */
const SAVE_DEBOUNCE_MS = 400;
/** Links longer than this may be cut by mail or chat programs. */
const LONG_LINK = 8000;

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const ui = {
  main: byId("policy").closest("main"),
  status: byId("status"),
  examples: /** @type {HTMLSelectElement} */ (byId("examples")),
  policySummary: byId("policy-summary"),
  diagnostics: /** @type {HTMLOListElement} */ (byId("diagnostics")),
  verdict: byId("verdict"),
  findings: /** @type {HTMLOListElement} */ (byId("findings")),
  preview: /** @type {HTMLIFrameElement} */ (byId("preview")),
  engineVersion: byId("engine-version"),
  exportDialog: /** @type {HTMLDialogElement} */ (byId("export-dialog")),
  installPath: /** @type {HTMLInputElement} */ (byId("install-path")),
  exportOutput: /** @type {HTMLTextAreaElement} */ (byId("export-output")),
  exportWarning: byId("export-warning"),
  exportDownload: /** @type {HTMLButtonElement} */ (byId("export-download")),
  exportCopy: /** @type {HTMLButtonElement} */ (byId("export-copy")),
  mailPanel: /** @type {HTMLElement} */ (document.querySelector(".mail-panel")),
  findingsCount: byId("findings-count"),
  tabs: /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll('.tabs [role="tab"]')]),
};

const editor = new PolicyEditor(byId("editor"));
const form = new MailForm(/** @type {HTMLFormElement} */ (byId("mail")), () => schedule("mail"), (file) => {
  /** @type {import("./engine/engine.js").AttachmentContents | undefined} */
  let contents;
  return job(async () => {
    contents = await inspectFile(file);
  }).then(() => contents ?? { state: "failed", reason: "error", detail: "not inspected" });
});

/**
 * The inspection settings of the policy last checked (`review.inspection`), so that a file
 * dropped now is read within the limits the add-on would use.
 * @type {{ enabled: boolean, limits: import("./inspect/inspector.js").Limits & { maxBytes?: number } } | null}
 */
let inspection = null;

/**
 * Inspects a real file in this page with the add-on's own inspector (the second wasm module,
 * loaded on the first file): the same facts as in Thunderbird, so the same findings. A file
 * over the policy's per-attachment limit is not read, as the add-on does.
 * @param {File} file
 * @returns {Promise<import("./engine/engine.js").AttachmentContents>}
 */
async function inspectFile(file) {
  const maxBytes = inspection?.limits?.maxBytes ?? 25 * 1024 * 1024;
  if (file.size > maxBytes) {
    return { state: "failed", reason: "too-large", detail: `${file.size} bytes, over the limit of ${maxBytes} bytes per attachment` };
  }
  try {
    const { loadInspector } = await import("./inspect/inspector.js");
    const inspector = await loadInspector();
    const facts = inspector.inspect(new Uint8Array(await file.arrayBuffer()), file.name, inspection?.limits ?? null);
    return { state: "inspected", facts };
  } catch (error) {
    return { state: "failed", reason: "error", detail: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * `example` is the example the policy and the mail were loaded from, with their text at that
 * moment, so that the examples menu can say when they no longer match it.
 * @type {{ lang: Lang, texts: Awaited<ReturnType<typeof loadTexts>> | null, engine: Engine | null,
 *           checker: import("./engine/engine.js").PolicyChecker | null, diagnostics: Diagnostic[],
 *           examples: Map<string, Example>, installPath: string, importedBase: unknown,
 *           example: { name: string, snapshot: string, edited: boolean } | null }} */
const state = {
  lang: "ja",
  texts: null,
  engine: null,
  checker: null,
  diagnostics: [],
  examples: new Map(),
  installPath: "",
  importedBase: undefined,
  example: null,
};

/** @type {import("./lib/i18n.js").Translate} */
const t = (key, ...subs) => (state.texts ? state.texts[state.lang].ui(key, ...subs) : key);

/** @type {number | undefined} */
let statusTimer;
/**
 * The message on the status line, as a function so that switching the language redraws it.
 * @type {(() => string) | null}
 */
let statusText = null;

/**
 * Shows a short message on the line under the header (in the page's flow, so that it covers no
 * field); it goes away by itself, an error later.
 * @param {() => string} text gives the message in the page's current language
 * @param {"info" | "error"} [kind]
 */
function setStatus(text, kind = "info") {
  statusText = text;
  ui.status.textContent = text();
  ui.status.dataset.kind = kind;
  clearTimeout(statusTimer);
  statusTimer = window.setTimeout(clearStatus, kind === "error" ? 15_000 : 6_000);
}

function clearStatus() {
  clearTimeout(statusTimer);
  statusText = null;
  ui.status.textContent = "";
}

// ---- Checking -------------------------------------------------------------------------------

/** @type {Record<string, number | undefined>} */
const timers = {};

/** Asynchronous work in flight (reading a file, writing the URL). */
let jobs = 0;

/**
 * `data-busy` on the body says whether a check, a file read or a URL update is still to come,
 * so that a test (or a screen reader's aria-busy) knows when the page has settled.
 */
function busy() {
  document.body.dataset.busy = jobs > 0 || Object.values(timers).some((v) => v !== undefined) ? "1" : "0";
}

/**
 * Runs asynchronous work while the page counts as busy.
 * @param {() => Promise<unknown>} work
 */
async function job(work) {
  jobs++;
  busy();
  try {
    await work();
  } finally {
    jobs--;
    busy();
  }
}

/**
 * Runs a step after its debounce delay; a policy change also rechecks the mail.
 * @param {"policy" | "mail" | "save"} what
 */
function schedule(what) {
  clearTimeout(timers[what]);
  const delay = what === "policy" ? POLICY_DEBOUNCE_MS : what === "mail" ? MAIL_DEBOUNCE_MS : SAVE_DEBOUNCE_MS;
  timers[what] = window.setTimeout(() => {
    timers[what] = undefined;
    if (what === "policy") checkPolicy();
    else if (what === "mail") checkMail();
    else job(saveState);
    busy();
  }, delay);
  busy();
}

/** Validates the policy with the engine, shows the diagnostics, then checks the mail. */
function checkPolicy() {
  if (!state.engine) return;
  clearTimeout(timers.policy);
  timers.policy = undefined;
  state.checker?.free();
  state.checker = state.engine.checkerFromText(editor.value, state.lang);
  state.diagnostics = state.checker.diagnostics();
  renderDiagnostics();
  checkMail();
}

/** @type {{ key: string, context: import("./engine/engine.js").CheckContext }} */
let known = { key: "", context: { contacts: [], sent: null } };

/**
 * The context of a mail, the same object while the address book and the Sent addresses are
 * unchanged, so that the engine parses them again only when they change (as in the add-on).
 * @param {import("./lib/mail-form.js").Mail} mail
 */
function knownContext(mail) {
  const key = JSON.stringify([mail.contacts, mail.sent]);
  if (key !== known.key) known = { key, context: toContext(mail) };
  return known.context;
}

/** Checks the mail under the current policy and shows the result and the dialog. */
function checkMail() {
  clearTimeout(timers.mail);
  timers.mail = undefined;
  if (!state.checker) return;
  let review;
  try {
    const mail = form.read();
    review = state.checker.check(toDraft(mail, form.contents()), knownContext(mail));
    const next = /** @type {any} */ (review).inspection ?? null;
    const changed = JSON.stringify(next?.limits) !== JSON.stringify(inspection?.limits);
    inspection = next;
    // The policy changed what the inspector is given: the files are read again under it.
    if (changed) form.reinspect();
  } catch (error) {
    setStatus(() => t("checkFailed", String(error)), "error");
    return;
  }
  renderResult(ui.verdict, ui.findings, review, state.engine?.codes(state.lang) ?? [], t);
  ui.findingsCount.textContent = String(review.findings.length);
  renderPreview(review);
  noteEdits();
  schedule("save");
}

function renderDiagnostics() {
  const errors = state.diagnostics.filter((d) => d.level === "error").length;
  const warnings = state.diagnostics.length - errors;
  ui.policySummary.textContent = state.diagnostics.length ? t("policyCounts", errors, warnings) : t("policyOk");
  ui.policySummary.dataset.state = errors ? "error" : warnings ? "warning" : "ok";
  editor.setMarks(
    state.diagnostics
      .filter((d) => typeof d.line === "number" && d.line >= 1)
      .map((d) => ({ line: /** @type {number} */ (d.line), level: d.level })),
  );
  const items = state.diagnostics.map((d) => {
    const li = document.createElement("li");
    li.className = `diagnostic ${d.level}`;
    li.dataset.path = d.path;
    const hasLine = typeof d.line === "number" && d.line >= 1;
    const box = document.createElement(hasLine ? "button" : "div");
    box.className = "diagnostic-box";
    const level = document.createElement("span");
    level.className = `level ${d.level}`;
    level.textContent = t(`level_${d.level}`);
    const where = document.createElement("span");
    where.className = "where";
    const path = document.createElement("code");
    path.className = "path";
    path.textContent = d.path || t("wholePolicy");
    where.append(path);
    if (hasLine) {
      const line = /** @type {number} */ (d.line);
      const column = typeof d.column === "number" ? d.column : 1;
      li.dataset.line = String(line);
      const pos = document.createElement("span");
      pos.className = "position";
      pos.textContent = t("position", line, column);
      where.append(pos);
      const button = /** @type {HTMLButtonElement} */ (box);
      button.type = "button";
      button.title = t("goToLine", line);
      button.addEventListener("click", () => editor.goTo(line, column));
    }
    const message = document.createElement("span");
    message.className = "message";
    message.textContent = d.message;
    box.append(level, where, message);
    if (d.hint) {
      const hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = d.hint;
      box.append(hint);
    }
    li.append(box);
    return li;
  });
  if (items.length === 0) {
    const ok = document.createElement("li");
    ok.className = "ok";
    ok.textContent = t("noDiagnostics");
    items.push(ok);
  }
  ui.diagnostics.replaceChildren(...items);
}

/** Resolves once the preview frame's document (preview.html) has loaded. */
const previewReady = new Promise((resolve) => {
  const doc = ui.preview.contentDocument;
  if (doc && doc.readyState === "complete" && doc.getElementById("app")) resolve(undefined);
  else ui.preview.addEventListener("load", () => resolve(undefined), { once: true });
});

/** @param {import("./engine/engine.js").Review} review */
async function renderPreview(review) {
  await previewReady;
  const doc = ui.preview.contentDocument;
  const app = doc?.getElementById("app");
  if (!doc || !app || !state.texts) return;
  doc.documentElement.lang = HTML_LANGS[state.lang];
  const addonT = state.texts[state.lang].addon;
  renderDialog(app, review, [], addonT);
  byId("preview-title").textContent = review.subject ? `${addonT("dialogTitle")}: ${review.subject}` : addonT("dialogTitle");
  fitPreview();
}

/** Grows or shrinks the frame to the dialog's height, so that the page scrolls, not the frame. */
function fitPreview() {
  const app = ui.preview.contentDocument?.getElementById("app");
  if (app) ui.preview.style.height = `${Math.ceil(app.getBoundingClientRect().height)}px`;
}

// ---- Result tabs ----------------------------------------------------------------------------

/**
 * Shows one view of the result: the findings, or the dialog preview. The preview has a tab of
 * its own so that it starts right under the verdict instead of below every finding.
 * @param {HTMLButtonElement} tab
 * @param {{ focus?: boolean }} [options]
 */
function selectTab(tab, { focus = false } = {}) {
  for (const other of ui.tabs) {
    const selected = other === tab;
    other.setAttribute("aria-selected", String(selected));
    other.tabIndex = selected ? 0 : -1;
    byId(/** @type {string} */ (other.getAttribute("aria-controls"))).hidden = !selected;
  }
  if (focus) tab.focus();
  fitPreview();
}

// ---- Language -------------------------------------------------------------------------------

/** @param {Lang} lang */
function setLang(lang) {
  state.lang = lang;
  if (statusText) ui.status.textContent = statusText();
  document.documentElement.lang = HTML_LANGS[lang];
  for (const radio of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[name="lang"]'))) {
    radio.checked = radio.value === lang;
  }
  applyTexts(document, t);
  document.title = t("documentTitle");
  form.setLanguage(t, lang);
  fillExampleList();
  if (state.engine) ui.engineVersion.textContent = t("engineVersion", state.engine.version);
  checkPolicy();
}

// ---- Examples -------------------------------------------------------------------------------

async function loadExamples() {
  const index = await (await fetch("examples/index.json")).json();
  const names = /** @type {string[]} */ (index.examples);
  const loaded = await Promise.all(names.map(async (name) => /** @type {Example} */ (await (await fetch(`examples/${name}.json`)).json())));
  names.forEach((name, i) => state.examples.set(name, loaded[i]));
  return /** @type {string} */ (index.default);
}

/**
 * An example's title in the page's language (English when it has none in that language).
 * @param {string} name
 */
function exampleTitle(name) {
  const title = state.examples.get(name)?.title;
  return title?.[state.lang] ?? title?.en ?? name;
}

/**
 * Fills the examples menu. While the policy and the mail are an example as loaded, the menu
 * shows that example; once either is edited, the menu says "Edited: <example>" and no example
 * is selected, so that choosing the example again loads it afresh.
 */
function fillExampleList() {
  const placeholder = document.createElement("option");
  placeholder.value = "";
  const edited = state.example?.edited ? state.example.name : null;
  placeholder.textContent = edited ? t("exampleEdited", exampleTitle(edited)) : t("examplesPlaceholder");
  const options = [placeholder];
  for (const name of state.examples.keys()) {
    const option = document.createElement("option");
    option.value = name;
    option.textContent = exampleTitle(name);
    options.push(option);
  }
  ui.examples.replaceChildren(...options);
  ui.examples.value = state.example && !edited ? state.example.name : "";
  ui.examples.dataset.edited = edited ? "1" : "0";
  ui.examples.title = edited ? t("exampleEditedHint", exampleTitle(edited)) : (ui.examples.selectedOptions[0]?.textContent ?? "");
}

/** What the policy and the mail hold now, to compare with the example they were loaded from. */
function snapshot() {
  return JSON.stringify([editor.value, form.read()]);
}

/** Updates the examples menu when the policy or the mail starts (or stops) differing from the example. */
function noteEdits() {
  if (!state.example) return;
  const edited = snapshot() !== state.example.snapshot;
  if (edited !== state.example.edited) {
    state.example.edited = edited;
    fillExampleList();
  }
}

/** The policy and the mail no longer come from an example (an import, a share link). */
function forgetExample() {
  state.example = null;
  fillExampleList();
}

/**
 * @param {string} name
 * @param {{ quiet?: boolean }} [options] quiet: keep the status line (it says something more important)
 */
function loadExample(name, { quiet = false } = {}) {
  const example = state.examples.get(name);
  if (!example) return;
  editor.value = `${JSON.stringify(example.policy, null, 2)}\n`;
  form.write(normalizeMail(example.mail));
  state.example = { name, snapshot: snapshot(), edited: false };
  fillExampleList();
  state.importedBase = undefined;
  checkPolicy();
  if (!quiet) setStatus(() => t("exampleLoaded", exampleTitle(name)));
}

// ---- .eml -----------------------------------------------------------------------------------

/**
 * @param {ArrayBuffer | string} source
 * @param {string} label the file's name, for the status line
 */
async function readEml(source, label) {
  try {
    const { contacts, sent } = form.read();
    form.write({ ...(await emlToMail(source, t)), contacts, sent });
    checkMail();
    setStatus(() => t("emlLoaded", label));
  } catch (error) {
    const text = () =>
      error instanceof EmlTooLarge ? t("emlTooLarge", formatBytes(MAX_EML_BYTES, state.lang) ?? "") : t("emlFailed", String(error));
    setStatus(text, "error");
  }
}

/** @param {File} file */
async function readEmlFile(file) {
  if (file.size > MAX_EML_BYTES) {
    setStatus(() => t("emlTooLarge", formatBytes(MAX_EML_BYTES, state.lang) ?? ""), "error");
    return;
  }
  await readEml(await file.arrayBuffer(), file.name);
}

// ---- Import and export ----------------------------------------------------------------------

/** @param {File} file */
async function importFile(file) {
  let read;
  try {
    read = readPolicyFile(await file.text());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    setStatus(() => t("importNotJson", reason), "error");
    return;
  }
  if (read.kind === "no-policy") {
    setStatus(() => t("importNoPolicy"), "error");
    return;
  }
  editor.value = `${JSON.stringify(read.policy, null, 2)}\n`;
  if (read.kind === "policies") {
    state.importedBase = read.base;
    if (read.installPath) state.installPath = read.installPath;
  } else {
    state.importedBase = undefined;
  }
  forgetExample();
  checkPolicy();
  setStatus(() => t("importLoaded", file.name));
}

function refreshExport() {
  let policy;
  try {
    policy = JSON.parse(editor.value);
  } catch {
    ui.exportOutput.value = "";
    ui.exportWarning.textContent = t("exportInvalid");
    ui.exportWarning.hidden = false;
    ui.exportDownload.disabled = true;
    ui.exportCopy.disabled = true;
    return;
  }
  state.installPath = ui.installPath.value;
  ui.exportOutput.value = buildPoliciesJson(policy, state.installPath, state.importedBase);
  const errors = state.diagnostics.filter((d) => d.level === "error").length;
  ui.exportWarning.textContent = errors ? t("exportHasErrors", errors) : "";
  ui.exportWarning.hidden = errors === 0;
  ui.exportDownload.disabled = false;
  ui.exportCopy.disabled = false;
}

function openExport() {
  checkPolicy();
  ui.installPath.value = state.installPath;
  refreshExport();
  ui.exportDialog.showModal();
  ui.installPath.focus();
}

function downloadExport() {
  const blob = new Blob([ui.exportOutput.value], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = "policies.json";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  setStatus(() => t("downloaded", "policies.json"));
}

/**
 * Copies text: the async clipboard where the page may use it, else the selection of a field.
 * @param {string} text
 * @param {HTMLTextAreaElement | HTMLInputElement | null} field a field that shows the text
 */
async function copyText(text, field) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (!field) return false;
    field.focus();
    field.select();
    return document.execCommand("copy");
  }
}

// ---- Shared state in the URL ----------------------------------------------------------------

async function saveState() {
  clearTimeout(timers.save);
  timers.save = undefined;
  const hash = await encodeState({ v: 1, lang: state.lang, policy: editor.value, mail: form.read() });
  if (hash !== location.hash) history.replaceState(null, "", hash);
}

/**
 * Applies the state in the URL fragment, if there is one.
 * @returns {Promise<"none" | "restored" | "broken">}
 */
async function restoreState() {
  let saved;
  try {
    saved = await decodeState(location.hash);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    setStatus(() => t("stateBroken", reason), "error");
    return "broken";
  }
  if (!saved) return "none";
  if (isLang(saved.lang)) state.lang = saved.lang;
  editor.value = saved.policy;
  form.write(normalizeMail(saved.mail));
  forgetExample();
  return "restored";
}

async function share() {
  await saveState();
  const link = location.href;
  const copied = await copyText(link, null);
  if (!copied) setStatus(() => t("shareCopyFailed"), "error");
  else if (link.length > LONG_LINK) setStatus(() => `${t("shareCopied")} ${t("shareLong", link.length)}`);
  else setStatus(() => t("shareCopied"));
}

// ---- Wiring ---------------------------------------------------------------------------------

editor.textarea.addEventListener("input", () => schedule("policy"));
for (const [i, tab] of ui.tabs.entries()) {
  tab.addEventListener("click", () => selectTab(tab));
  // The arrow keys move between tabs, as in every tab list (WAI-ARIA Authoring Practices).
  tab.addEventListener("keydown", (event) => {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    const to = event.key === "Home" ? 0 : event.key === "End" ? ui.tabs.length - 1 : step ? (i + step + ui.tabs.length) % ui.tabs.length : -1;
    if (to < 0) return;
    event.preventDefault();
    selectTab(ui.tabs[to], { focus: true });
  });
}
ui.examples.addEventListener("change", () => ui.examples.value && loadExample(ui.examples.value));
for (const radio of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[name="lang"]'))) {
  radio.addEventListener("change", () => radio.checked && setLang(/** @type {Lang} */ (radio.value)));
}

const importInput = /** @type {HTMLInputElement} */ (byId("import-file"));
byId("import-button").addEventListener("click", () => importInput.click());
importInput.addEventListener("change", () => {
  const file = importInput.files?.[0];
  importInput.value = "";
  if (file) job(() => importFile(file));
});

byId("export-button").addEventListener("click", openExport);
ui.installPath.addEventListener("input", refreshExport);
ui.exportDownload.addEventListener("click", downloadExport);
ui.exportCopy.addEventListener("click", async () => {
  const ok = await copyText(ui.exportOutput.value, ui.exportOutput);
  setStatus(() => (ok ? t("copied") : t("copyFailed")), ok ? "info" : "error");
});
byId("share-button").addEventListener("click", () => job(share));

const emlInput = /** @type {HTMLInputElement} */ (byId("eml-file"));
byId("eml-button").addEventListener("click", () => emlInput.click());
emlInput.addEventListener("change", () => {
  const file = emlInput.files?.[0];
  emlInput.value = "";
  if (file) job(() => readEmlFile(file));
});
byId("eml-read").addEventListener("click", () => {
  const text = /** @type {HTMLTextAreaElement} */ (byId("eml-text")).value;
  if (text.trim()) job(() => readEml(text, t("pasteEmlLabel")));
});
byId("clear-mail").addEventListener("click", () => {
  form.write(emptyMail());
  checkMail();
});

ui.mailPanel.addEventListener("dragover", (event) => {
  if (!event.dataTransfer?.types.includes("Files")) return;
  event.preventDefault();
  ui.mailPanel.classList.add("dropping");
});
ui.mailPanel.addEventListener("dragleave", (event) => {
  if (!ui.mailPanel.contains(/** @type {Node | null} */ (event.relatedTarget))) ui.mailPanel.classList.remove("dropping");
});
ui.mailPanel.addEventListener("drop", (event) => {
  const file = event.dataTransfer?.files[0];
  ui.mailPanel.classList.remove("dropping");
  if (!file) return;
  event.preventDefault();
  // A mail opens as the test mail; any other file is attached, its contents inspected.
  if (/\.eml$/i.test(file.name)) job(() => readEmlFile(file));
  else for (const each of event.dataTransfer?.files ?? []) form.addFile(each);
});

window.addEventListener("hashchange", () =>
  job(async () => {
    if ((await restoreState()) === "restored") setLang(state.lang);
  }),
);
window.addEventListener("resize", fitPreview);

async function start() {
  state.lang = preferredLang(navigator.languages?.length ? navigator.languages : [navigator.language]);
  document.body.dataset.busy = "1";
  try {
    state.texts = await loadTexts();
  } catch (error) {
    setStatus(() => String(error), "error");
    return;
  }
  applyTexts(document, t);
  try {
    state.engine = await loadEngine();
  } catch (error) {
    setStatus(() => t("engineFailed", String(error)), "error");
    return;
  }
  state.installPath = defaultInstallPath(state.engine.version);
  const defaultExample = await loadExamples().catch(() => "");
  const restored = await restoreState();
  setLang(state.lang);
  if (restored === "restored") {
    setStatus(() => t("stateRestored"));
  } else if (defaultExample) {
    loadExample(defaultExample, { quiet: restored === "broken" });
  }
  await previewReady;
  const frameWindow = /** @type {(Window & typeof globalThis) | null} */ (ui.preview.contentWindow);
  const app = ui.preview.contentDocument?.getElementById("app");
  if (frameWindow && app) new frameWindow.ResizeObserver(fitPreview).observe(app);
  ui.main?.setAttribute("aria-busy", "false");
  busy();
  document.documentElement.dataset.ready = "1";
}

start();
