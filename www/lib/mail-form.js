// @ts-check
/**
 * The test mail form: from, To/Cc/Bcc, subject, body, attachments with sizes.
 * It turns into the engine's draft as the add-on gathers it from the compose window: every
 * non-empty line of a recipient box is one entry, and the engine splits commas inside an entry
 * with its own address parser (no address parsing here).
 *
 * Attachments may also be real files, dropped on the attachments box or chosen with its file
 * button: their contents are inspected in the page (the caller's `inspect`, the add-on's own
 * inspector), and the draft carries what was found, as the add-on's does. The files stay in
 * the page: share links and the saved state keep only their names and sizes.
 *
 * Besides the mail, the form holds what the add-on knows on a person's PC: address-book
 * entries (for new-recipient, look-alike domains and the checks that ask who the mail is for)
 * and, once built, the addresses of the Sent folders (for first-time-recipient). An entry
 * `Name <addr> | Organisation` is a contact card with that organisation, as the address book's
 * ORG field gives it.
 */
import { formatBytes } from "../dialog/format.js";

/**
 * The mail as the playground keeps it (examples, share links): the draft shape with plain
 * strings for recipients, and what the PC knows (`contacts`, one entry per line; `sent`, null
 * while the Sent index is not built).
 * @typedef {{ from: string, to: string[], cc: string[], bcc: string[], subject: string, body: string,
 *             attachments: { name: string, size: number | null }[],
 *             contacts: string[], sent: string[] | null }} Mail
 * @typedef {import("./i18n.js").Translate} Translate
 * @typedef {import("../engine/engine.js").AttachmentContents} Contents
 * @typedef {(file: File) => Promise<Contents>} InspectFile
 */

/** @returns {Mail} */
export function emptyMail() {
  return { from: "", to: [], cc: [], bcc: [], subject: "", body: "", attachments: [], contacts: [], sent: null };
}

/**
 * A mail from untrusted data (a share link, an example file), with every field of the right type.
 * @param {any} value
 * @returns {Mail}
 */
export function normalizeMail(value) {
  const v = value && typeof value === "object" ? value : {};
  const str = (/** @type {unknown} */ x) => (typeof x === "string" ? x : "");
  const list = (/** @type {unknown} */ x) => (Array.isArray(x) ? x.filter((e) => typeof e === "string") : []);
  return {
    from: str(v.from),
    to: list(v.to),
    cc: list(v.cc),
    bcc: list(v.bcc),
    subject: str(v.subject),
    body: str(v.body),
    attachments: (Array.isArray(v.attachments) ? v.attachments : [])
      .filter((/** @type {any} */ a) => a && typeof a === "object")
      .map((/** @type {any} */ a) => ({
        name: str(a.name),
        size: typeof a.size === "number" && Number.isFinite(a.size) && a.size >= 0 ? a.size : null,
      })),
    contacts: list(v.contacts),
    sent: Array.isArray(v.sent) ? list(v.sent) : null,
  };
}

/**
 * What the engine is told besides the draft, as the add-on tells it: the address-book entries
 * (`Name <addr> | Organisation` becomes a card with that organisation) and the Sent index.
 * @param {Mail} mail
 * @returns {import("../engine/engine.js").CheckContext}
 */
export function toContext(mail) {
  const contacts = mail.contacts.map((line) => {
    const bar = line.lastIndexOf("|");
    if (bar < 0) return line;
    const org = line.slice(bar + 1).trim();
    const address = line.slice(0, bar).trim();
    return org ? { address, org } : address;
  });
  return { contacts, sent: mail.sent };
}

/**
 * The draft the engine checks.
 * @param {Mail} mail
 * @param {(Contents | undefined)[]} [contents] what was found inside each attachment that is a real file
 * @returns {import("../engine/engine.js").Draft}
 */
export function toDraft(mail, contents = []) {
  return {
    from: mail.from.trim() || null,
    to: mail.to,
    cc: mail.cc,
    bcc: mail.bcc,
    subject: mail.subject,
    body: mail.body,
    attachments: mail.attachments.map((a, i) => (contents[i] ? { name: a.name, size: a.size, contents: contents[i] } : { name: a.name, size: a.size })),
  };
}

const UNITS = /** @type {Record<string, number>} */ ({ "": 1, b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3 });

/**
 * Reads a size as an admin types it: `1234`, `2.5 MB`, `300KB`, `1,234,567`. Units are
 * powers of 1024, as the dialog shows sizes. Empty is "unknown" (`null`); nonsense is `NaN`.
 * @param {string} text
 * @returns {number | null}
 */
export function parseSize(text) {
  const t = text.trim().replace(/,/g, "").replace(/\s+/g, "").toLowerCase();
  if (t === "") return null;
  const m = /^(\d+(?:\.\d+)?)([kmg]i?b|b)?$/.exec(t);
  if (!m) return NaN;
  return Math.round(Number(m[1]) * UNITS[m[2] ?? ""]);
}

/** The recipient boxes, which hold one entry per line and grow with their entries. */
const RECIPIENT_BOXES = ["to", "cc", "bcc"];

/**
 * Shows every entry of a recipient box (up to eight lines; then it scrolls), since lines do
 * not wrap there: one line on screen is one entry.
 * @param {HTMLTextAreaElement} box
 */
function fitRows(box) {
  const count = box.value.split("\n").length;
  box.rows = Math.min(Math.max(count, 1), 8);
}

/** @param {string} text */
function lines(text) {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

export class MailForm {
  /**
   * @param {HTMLFormElement} form
   * @param {() => void} onChange called after every edit
   * @param {InspectFile | null} [inspect] inspects a real file's contents
   */
  constructor(form, onChange, inspect = null) {
    this.form = form;
    this.onChange = onChange;
    this.inspect = inspect;
    this.rows = /** @type {HTMLOListElement} */ (form.querySelector("#attachment-rows"));
    /** @type {WeakMap<Element, { file: File, contents: Contents, round?: number }>} the rows that are real files (`round` counts their inspections) */
    this.files = new WeakMap();
    this.inspecting = 0;
    const picker = /** @type {HTMLInputElement | null} */ (form.querySelector("#attachment-files"));
    const pick = /** @type {HTMLButtonElement | null} */ (form.querySelector("#add-files"));
    pick?.addEventListener("click", () => picker?.click());
    picker?.addEventListener("change", () => {
      for (const file of picker.files ?? []) this.addFile(file);
      picker.value = "";
    });
    const box = /** @type {HTMLElement | null} */ (form.querySelector("fieldset.attachments"));
    box?.addEventListener("dragover", (event) => {
      if (!event.dataTransfer?.types.includes("Files")) return;
      event.preventDefault();
      // The mail panel around takes a dropped .eml as the test mail; here every file is an attachment.
      event.stopPropagation();
      event.dataTransfer.dropEffect = "copy";
      box.classList.add("drop-target");
    });
    box?.addEventListener("dragleave", (event) => {
      if (!box.contains(/** @type {Node | null} */ (event.relatedTarget))) box.classList.remove("drop-target");
    });
    box?.addEventListener("drop", (event) => {
      box.classList.remove("drop-target");
      const files = event.dataTransfer?.files;
      if (!files?.length) return;
      event.preventDefault();
      event.stopPropagation();
      for (const file of files) this.addFile(file);
    });
    /** @type {Translate} */
    this.t = (key) => key;
    this.lang = "ja";
    form.addEventListener("input", (event) => {
      if (event.target instanceof HTMLTextAreaElement && RECIPIENT_BOXES.includes(event.target.id)) fitRows(event.target);
      onChange();
    });
    // A checkbox's change is not always an input event.
    this.field("sent-known").addEventListener("change", () => {
      this.showSentKnown();
      onChange();
    });
    form.addEventListener("submit", (e) => e.preventDefault());
    /** @type {HTMLButtonElement} */ (form.querySelector("#add-attachment")).addEventListener("click", () => {
      const row = this.addRow({ name: "", size: null });
      /** @type {HTMLInputElement} */ (row.querySelector("input.name")).focus();
      onChange();
    });
  }

  /** The Sent addresses can be typed only while the index counts as built. */
  showSentKnown() {
    this.field("sent").disabled = !(/** @type {HTMLInputElement} */ (this.field("sent-known")).checked);
  }

  /** @param {string} id */
  field(id) {
    return /** @type {HTMLInputElement | HTMLTextAreaElement} */ (this.form.querySelector(`#${id}`));
  }

  /**
   * @param {Translate} t
   * @param {string} lang
   */
  setLanguage(t, lang) {
    this.t = t;
    this.lang = lang;
    this.relabelRows();
  }

  /**
   * Adds a real file as an attachment and has its contents inspected; the mail is checked again
   * at once (the attachment pending) and once more when its contents are known.
   * @param {File} file
   */
  addFile(file) {
    const row = this.addRow({ name: file.name, size: file.size });
    row.classList.add("file");
    /** @type {{ file: File, contents: Contents, round?: number }} */
    const entry = { file, contents: { state: "pending" } };
    this.files.set(row, entry);
    const note = row.ownerDocument.createElement("output");
    note.className = "contents-state";
    row.append(note);
    this.showContents(row);
    this.onChange();
    this.inspectRow(row, entry);
  }

  /**
   * Inspects every real file again, as when it was added: the policy changed what the inspector
   * is given (its limits, `minRows`, the deny list), and so what it finds.
   */
  reinspect() {
    for (const row of this.rows.children) {
      const entry = this.files.get(row);
      if (!entry) continue;
      entry.contents = { state: "pending" };
      this.showContents(row);
      this.inspectRow(row, entry);
    }
  }

  /**
   * Has a real file's contents inspected, and checks the mail again once they are known.
   * @param {Element} row
   * @param {{ file: File, contents: Contents, round?: number }} entry
   */
  inspectRow(row, entry) {
    const round = (entry.round ?? 0) + 1;
    entry.round = round;
    if (!this.inspect) {
      entry.contents = { state: "failed", reason: "unavailable", detail: "the inspector is not available in this page" };
      this.showContents(row);
      return;
    }
    this.inspecting++;
    this.form.dataset.inspecting = String(this.inspecting);
    this.inspect(entry.file)
      .catch((error) => /** @type {Contents} */ ({ state: "failed", reason: "error", detail: String(error) }))
      .then((contents) => {
        // A newer inspection of this file (the policy changed again) has the last word.
        if (entry.round === round) entry.contents = contents;
        this.inspecting--;
        this.form.dataset.inspecting = String(this.inspecting);
        this.showContents(row);
        if (row.isConnected) this.onChange();
      });
  }

  /**
   * What was found inside each attachment of `read()`, in the same order: the contents of a
   * real file, nothing for a row typed by hand.
   * @returns {(Contents | undefined)[]}
   */
  contents() {
    /** @type {(Contents | undefined)[]} */
    const out = [];
    for (const row of this.rows.children) {
      if (!this.included(row)) continue;
      out.push(this.files.get(row)?.contents);
    }
    return out;
  }

  /** @param {Element} row */
  included(row) {
    const name = /** @type {HTMLInputElement} */ (row.querySelector("input.name")).value;
    const size = parseSize(/** @type {HTMLInputElement} */ (row.querySelector("input.size")).value);
    return !(name.trim() === "" && size === null);
  }

  /** @param {Element} row */
  showContents(row) {
    const note = /** @type {HTMLOutputElement | null} */ (row.querySelector("output.contents-state"));
    const entry = this.files.get(row);
    if (!note || !entry) return;
    const state = entry.contents.state;
    note.dataset.state = state;
    note.textContent = this.t(state === "pending" ? "contentsPending" : state === "inspected" ? "contentsInspected" : "contentsFailed");
  }

  /** @returns {Mail} */
  read() {
    const attachments = [];
    for (const row of this.rows.children) {
      const name = /** @type {HTMLInputElement} */ (row.querySelector("input.name")).value;
      const size = parseSize(/** @type {HTMLInputElement} */ (row.querySelector("input.size")).value);
      if (name.trim() === "" && size === null) continue;
      attachments.push({ name, size: size === null || Number.isNaN(size) ? null : size });
    }
    return {
      from: this.field("from").value,
      to: lines(this.field("to").value),
      cc: lines(this.field("cc").value),
      bcc: lines(this.field("bcc").value),
      subject: this.field("subject").value,
      body: this.field("body").value,
      attachments,
      contacts: lines(this.field("contacts").value),
      sent: /** @type {HTMLInputElement} */ (this.field("sent-known")).checked ? lines(this.field("sent").value) : null,
    };
  }

  /** @param {Mail} mail */
  write(mail) {
    this.field("from").value = mail.from;
    this.field("to").value = mail.to.join("\n");
    this.field("cc").value = mail.cc.join("\n");
    this.field("bcc").value = mail.bcc.join("\n");
    this.field("subject").value = mail.subject;
    this.field("body").value = mail.body;
    this.field("contacts").value = mail.contacts.join("\n");
    /** @type {HTMLInputElement} */ (this.field("sent-known")).checked = mail.sent !== null;
    this.field("sent").value = (mail.sent ?? []).join("\n");
    this.showSentKnown();
    // An example or a link that brings knowledge shows it; an empty one keeps the box as it is.
    if (mail.contacts.length || mail.sent) /** @type {HTMLDetailsElement} */ (this.form.querySelector("#known")).open = true;
    for (const id of RECIPIENT_BOXES) fitRows(/** @type {HTMLTextAreaElement} */ (this.field(id)));
    this.rows.replaceChildren();
    for (const a of mail.attachments) this.addRow(a);
  }

  /**
   * @param {{ name: string, size: number | null }} attachment
   * @returns {HTMLLIElement}
   */
  addRow(attachment) {
    const doc = this.form.ownerDocument;
    const row = doc.createElement("li");
    row.className = "attachment-row";
    const name = doc.createElement("input");
    name.type = "text";
    name.className = "name";
    name.value = attachment.name;
    name.spellcheck = false;
    const size = doc.createElement("input");
    size.type = "text";
    size.className = "size";
    size.inputMode = "decimal";
    size.value = attachment.size === null ? "" : String(attachment.size);
    const shown = doc.createElement("output");
    shown.className = "size-shown";
    const remove = doc.createElement("button");
    remove.type = "button";
    remove.className = "icon remove";
    remove.textContent = "×";
    remove.addEventListener("click", () => {
      const next = /** @type {HTMLElement | null} */ (row.nextElementSibling ?? row.previousElementSibling);
      row.remove();
      this.relabelRows();
      const focus = /** @type {HTMLElement | null | undefined} */ (next?.querySelector("input.name"));
      (focus ?? /** @type {HTMLElement} */ (this.form.querySelector("#add-attachment"))).focus();
      this.onChange();
    });
    size.addEventListener("input", () => this.showSize(row));
    row.append(name, size, shown, remove);
    this.rows.append(row);
    this.relabelRows();
    return row;
  }

  /** @param {Element} row */
  showSize(row) {
    const input = /** @type {HTMLInputElement} */ (row.querySelector("input.size"));
    const shown = /** @type {HTMLOutputElement} */ (row.querySelector("output"));
    const size = parseSize(input.value);
    const bad = size !== null && Number.isNaN(size);
    input.setAttribute("aria-invalid", String(bad));
    shown.classList.toggle("bad", bad);
    shown.textContent = bad ? this.t("sizeInvalid") : size === null ? "" : (formatBytes(size, this.lang) ?? "");
  }

  relabelRows() {
    [...this.rows.children].forEach((row, i) => {
      const n = i + 1;
      /** @type {HTMLElement} */ (row.querySelector("input.name")).setAttribute("aria-label", this.t("attachmentName", n));
      /** @type {HTMLElement} */ (row.querySelector("input.size")).setAttribute("aria-label", this.t("attachmentSize", n));
      this.showContents(row);
      const remove = /** @type {HTMLElement} */ (row.querySelector("button.remove"));
      remove.setAttribute("aria-label", this.t("attachmentRemove", n));
      remove.title = this.t("remove");
      this.showSize(row);
    });
  }
}
