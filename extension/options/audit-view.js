// @ts-check
/**
 * The options page's "Confirmation record" section: the records kept on this PC (newest
 * first, a page at a time so that 10,000 records stay quick), filters (date range, code,
 * verdict, action), export as CSV or JSON Lines (the records the filters select), and
 * Delete all with a confirmation.
 *
 * The section keeps its own element and state across the page's re-renders, so that a
 * setting saved elsewhere on the page does not reset the filters or the page shown.
 *
 * Architecture invariant: subjects, file names and addresses are hostile text, set with
 * `textContent` only.
 */
import { AuditStore } from "../common/audit-store.js";
import { exportFileName, toCsv, toJsonLines } from "../common/audit-export.js";
import { errorText } from "../common/text.js";

/** Rows shown per page. */
export const PAGE_SIZE = 100;

const VERDICTS = ["ok", "warn", "block"];
const ACTIONS = ["sent", "cancelled", "closed", "refused", "failed"];

/** @typedef {import("../common/audit-store.js").AuditRecord} AuditRecord */
/** @typedef {{ from: string, to: string, code: string, verdict: string, action: string }} Filters */

/**
 * The records the filters select. Dates are the person's local calendar days, both ends
 * included.
 * @param {AuditRecord[]} records
 * @param {Filters} filters
 */
export function filterRecords(records, { from, to, code, verdict, action }) {
  const start = from ? new Date(`${from}T00:00:00`).getTime() : -Infinity;
  const end = to ? new Date(`${to}T00:00:00`).getTime() + 24 * 60 * 60 * 1000 : Infinity;
  return records.filter((r) => {
    const time = Date.parse(r.time);
    if (!(time >= start && time < end)) return false;
    if (verdict && r.verdict !== verdict) return false;
    if (action && r.action !== action) return false;
    if (code && !(r.findings ?? []).some((f) => f.code === code)) return false;
    return true;
  });
}

export class AuditView {
  /**
   * @param {{ t: (key: string, ...subs: (string | number)[]) => string,
   *           el: (tag: string, attrs?: Record<string, string | null | undefined>, children?: (Node | string | null | undefined | false)[]) => HTMLElement,
   *           store?: AuditStore, lang: string }} options
   */
  constructor({ t, el, store = new AuditStore(), lang }) {
    this.t = t;
    this.el = el;
    this.store = store;
    this.lang = lang;
    /** @type {AuditRecord[] | null} */
    this.records = null;
    /** @type {string | null} */
    this.error = null;
    /** @type {Filters} */
    this.filters = { from: "", to: "", code: "", verdict: "", action: "" };
    this.page = 0;
    this.confirming = false;
    this.section = el("section", { id: "audit", class: "card", "aria-labelledby": "audit-title" });
    this.body = el("div", { class: "audit-body" });
    /** @type {Promise<void> | null} */
    this.loading = null;
  }

  /**
   * The section, for a page rendered with recording on or off.
   * @param {{ enabled: boolean, retentionDays: number, subjects: boolean } | undefined} settings
   * @param {HTMLElement | null} control the person's own switch (options.js), or null
   */
  element(settings, control) {
    const { t, el } = this;
    const enabled = settings?.enabled === true;
    this.section.replaceChildren(
      el("h2", { id: "audit-title" }, [t("optAudit")]),
      el("p", { class: "explain" }, [t("optAuditExplain")]),
      enabled ? el("p", { id: "audit-settings", class: "explain" }, [t(settings?.subjects ? "optAuditOnWithSubjects" : "optAuditOn", settings?.retentionDays ?? 90)]) : "",
      control ?? "",
    );
    if (!enabled) return this.section;
    this.section.append(this.body);
    if (this.records === null && !this.loading) this.loading = this.load();
    else this.draw();
    return this.section;
  }

  async load() {
    try {
      this.records = await this.store.all();
      this.error = null;
    } catch (error) {
      this.records = [];
      this.error = errorText(error, globalThis.messenger?.i18n);
    }
    this.loading = null;
    this.draw();
  }

  /** Draws the filters, the table of the current page and the buttons. */
  draw() {
    const { t, el } = this;
    /** @type {AuditRecord[]} */
    const records = this.records ?? [];
    const selected = filterRecords(records, this.filters);
    const pages = Math.max(1, Math.ceil(selected.length / PAGE_SIZE));
    this.page = Math.min(this.page, pages - 1);
    const shown = selected.slice(this.page * PAGE_SIZE, (this.page + 1) * PAGE_SIZE);
    const focused = document.activeElement?.id ?? null;

    const codes = [...new Set(records.flatMap((r) => (r.findings ?? []).map((f) => f.code)))].sort();
    const filters = el("form", { id: "audit-filters", class: "audit-filters", role: "search", "aria-label": t("optAuditFilters") }, [
      this.dateInput("audit-from", "from", t("optAuditFrom")),
      this.dateInput("audit-to", "to", t("optAuditTo")),
      this.select("audit-code", "code", t("optAuditCode"), codes.map((c) => [c, c])),
      this.select("audit-verdict", "verdict", t("optAuditVerdict"), VERDICTS.map((v) => [v, t(`optAuditVerdict_${v}`)])),
      this.select("audit-action", "action", t("optAuditAction"), ACTIONS.map((a) => [a, t(`optAuditAction_${a}`)])),
    ]);
    filters.addEventListener("submit", (event) => event.preventDefault());

    const count = el("p", { id: "audit-count", class: "audit-count", role: "status", tabindex: "-1" }, [
      selected.length === 0
        ? t("optAuditNone")
        : t("optAuditCount", this.page * PAGE_SIZE + 1, this.page * PAGE_SIZE + shown.length, selected.length, records.length),
    ]);

    const table = el("table", { id: "audit-table", class: "audit-table" }, [
      el("thead", {}, [
        el(
          "tr",
          {},
          ["optAuditTime", "optAuditIdentity", "optAuditRecipients", "optAuditAttachments", "optAuditFindings", "optAuditVerdict", "optAuditAction", "optAuditDelivered"].map((k) =>
            el("th", { scope: "col" }, [t(k)]),
          ),
        ),
      ]),
    ]);
    const tbody = el("tbody");
    for (const r of shown) tbody.append(this.row(r));
    table.append(tbody);

    const prev = /** @type {HTMLButtonElement} */ (el("button", { type: "button", id: "audit-prev" }, [t("optAuditPrev")]));
    const next = /** @type {HTMLButtonElement} */ (el("button", { type: "button", id: "audit-next" }, [t("optAuditNext")]));
    prev.disabled = this.page === 0;
    next.disabled = this.page >= pages - 1;
    prev.addEventListener("click", () => this.go(this.page - 1, "audit-prev"));
    next.addEventListener("click", () => this.go(this.page + 1, "audit-next"));

    const csv = el("button", { type: "button", id: "audit-export-csv" }, [t("optAuditExportCsv")]);
    const jsonl = el("button", { type: "button", id: "audit-export-jsonl" }, [t("optAuditExportJsonl")]);
    csv.addEventListener("click", () => this.download(toCsv(selected), "csv", "text/csv;charset=utf-8"));
    jsonl.addEventListener("click", () => this.download(toJsonLines(selected), "jsonl", "application/x-ndjson;charset=utf-8"));
    const remove = el("button", { type: "button", id: "audit-delete-all", class: "danger" }, [t("optAuditDeleteAll")]);
    remove.addEventListener("click", () => {
      this.confirming = true;
      this.draw();
      document.getElementById("audit-delete-confirm")?.focus();
    });
    /** @type {Node[]} */
    const confirm = [];
    if (this.confirming) {
      const yes = el("button", { type: "button", id: "audit-delete-confirm", class: "danger" }, [t("optAuditDeleteConfirm")]);
      const no = el("button", { type: "button", id: "audit-delete-cancel" }, [t("optAuditDeleteKeep")]);
      yes.addEventListener("click", () => this.deleteAll());
      no.addEventListener("click", () => {
        this.confirming = false;
        this.draw();
        document.getElementById("audit-delete-all")?.focus();
      });
      confirm.push(el("div", { id: "audit-delete-question", class: "audit-confirm", role: "alertdialog", "aria-labelledby": "audit-delete-text" }, [
        el("p", { id: "audit-delete-text" }, [t("optAuditDeleteQuestion", records.length)]),
        yes,
        no,
      ]));
    }

    this.body.replaceChildren(
      ...(this.error ? [el("p", { id: "audit-error", class: "status-line error", role: "alert" }, [t("optAuditUnreadable", this.error)])] : []),
      filters,
      count,
      el("div", { class: "audit-scroll" }, [table]),
      el("div", { class: "audit-pages" }, [prev, next]),
      el("div", { class: "audit-actions" }, [csv, jsonl, remove]),
      ...confirm,
    );
    if (focused) document.getElementById(focused)?.focus();
  }

  /** @param {AuditRecord} r */
  row(r) {
    const { t, el } = this;
    const time = new Date(r.time);
    const list = (/** @type {string[]} */ items) => el("ul", { class: "audit-list" }, items.map((item) => el("li", {}, [item])));
    return el("tr", { "data-id": r.id, "data-action": r.action, "data-verdict": r.verdict }, [
      el("td", { class: "audit-time" }, [
        el("time", { datetime: r.time }, [Number.isNaN(time.getTime()) ? String(r.time) : time.toLocaleString(this.lang)]),
        typeof r.subject === "string" ? el("div", { class: "audit-subject" }, [r.subject]) : null,
      ]),
      el("td", {}, [String(r.identity ?? "")]),
      el("td", {}, [list((r.recipients ?? []).map((x) => `${x.field}: ${x.address} (${x.class})`))]),
      el("td", {}, [list((r.attachments ?? []).map((a) => (typeof a.size === "number" ? `${a.name} (${a.size})` : a.name)))]),
      el("td", {}, [list((r.findings ?? []).map((f) => `${f.code} (${f.severity})`)), (r.fixes ?? []).length ? el("div", { class: "audit-fixes" }, [t("optAuditFixes", r.fixes.join(", "))]) : null]),
      el("td", {}, [el("span", { class: `severity ${r.verdict}` }, [VERDICTS.includes(r.verdict) ? t(`optAuditVerdict_${r.verdict}`) : String(r.verdict)])]),
      el("td", {}, [ACTIONS.includes(r.action) ? t(`optAuditAction_${r.action}`) : String(r.action), r.dialogMs > 0 ? el("div", { class: "audit-ms" }, [t("optSeconds", (r.dialogMs / 1000).toFixed(1))]) : null]),
      el("td", {}, [r.delivered === true ? t("optYes") : r.delivered === false ? t("optNo") : "—"]),
    ]);
  }

  /**
   * @param {string} id
   * @param {keyof Filters} key
   * @param {string} label
   */
  dateInput(id, key, label) {
    const { el } = this;
    const input = /** @type {HTMLInputElement} */ (el("input", { id, type: "date" }));
    input.value = this.filters[key];
    input.addEventListener("change", () => this.filter(key, input.value));
    return el("label", { class: "audit-filter" }, [label, input]);
  }

  /**
   * @param {string} id
   * @param {keyof Filters} key
   * @param {string} label
   * @param {[string, string][]} options
   */
  select(id, key, label, options) {
    const { el, t } = this;
    const select = /** @type {HTMLSelectElement} */ (el("select", { id }));
    select.append(el("option", { value: "" }, [t("optAuditAll")]));
    for (const [value, text] of options) select.append(el("option", { value }, [text]));
    // A code filter kept from before is still offered even when no record has it now.
    if (this.filters[key] && ![...select.options].some((o) => o.value === this.filters[key])) select.append(el("option", { value: this.filters[key] }, [this.filters[key]]));
    select.value = this.filters[key];
    select.addEventListener("change", () => this.filter(key, select.value));
    return el("label", { class: "audit-filter" }, [label, select]);
  }

  /**
   * @param {keyof Filters} key
   * @param {string} value
   */
  filter(key, value) {
    this.filters = { ...this.filters, [key]: value };
    this.page = 0;
    this.draw();
  }

  /**
   * @param {number} page
   * @param {string} focus
   */
  go(page, focus) {
    this.page = Math.max(0, page);
    this.draw();
    const button = /** @type {HTMLButtonElement | null} */ (document.getElementById(focus));
    // At the first or last page the button pressed is disabled: the focus goes to the table.
    if (button && !button.disabled) button.focus();
    else document.getElementById("audit-count")?.focus();
  }

  /**
   * Saves `text` as a file through a Blob URL and an `<a download>`: nothing leaves the PC.
   * @param {string} text
   * @param {"csv" | "jsonl"} extension
   * @param {string} type
   */
  download(text, extension, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = /** @type {HTMLAnchorElement} */ (this.el("a", { href: url, download: exportFileName(new Date(), extension), hidden: "" }));
    document.body.append(link);
    link.click();
    link.remove();
    // The download has taken its copy; the URL is released a little later.
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  async deleteAll() {
    this.confirming = false;
    try {
      await this.store.clear();
      this.records = [];
      this.error = null;
    } catch (error) {
      this.error = errorText(error, globalThis.messenger?.i18n);
    }
    this.page = 0;
    this.draw();
    document.getElementById("audit-delete-all")?.focus();
  }
}
