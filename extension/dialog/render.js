// @ts-check
/**
 * Builds the confirmation dialog's DOM from a review. Pure DOM, no extension API, so that the
 * playground (www/) shows exactly the same dialog.
 *
 * Architecture invariant: every text that comes from the mail (names, addresses, subjects,
 * file names) or from a policy is set with `textContent` or an attribute, never as HTML.
 */
import { formatBytes } from "./format.js";

/** @typedef {(key: string, ...substitutions: (string | number)[]) => string} Translate */
/** @typedef {import("../engine/engine.js").Review} Review */

/**
 * @param {Document} doc
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {(Node | string | null)[]} [children]
 */
function el(doc, tag, attrs = {}, children = []) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null) continue;
    node.append(typeof child === "string" ? doc.createTextNode(child) : child);
  }
  return node;
}

/**
 * Renders the dialog into `root` and returns the controller of its ticks.
 * @param {HTMLElement} root
 * @param {Review} review
 * @param {string[]} problems problems of the add-on itself (storage, engine), already worded
 * @param {Translate} t
 * @returns {Ticks}
 */
export function renderDialog(root, review, problems, t) {
  const doc = root.ownerDocument;
  const lang = review.lang || doc.documentElement.lang || "en";
  root.replaceChildren();
  root.dataset.verdict = review.verdict;

  const header = el(doc, "header", { class: "header" }, [
    el(doc, "h1", { id: "title" }, [t("dialogTitle")]),
    el(doc, "dl", { class: "meta" }, [
      el(doc, "dt", {}, [t("from")]),
      el(doc, "dd", { id: "sender" }, [review.sender ? mailboxText(review.sender) : t("unknownSender")]),
      el(doc, "dt", {}, [t("subject")]),
      el(doc, "dd", { id: "subject" }, [review.subject || t("noSubject")]),
    ]),
  ]);
  root.append(header);

  const allProblems = [
    ...problems.map((text) => ({ level: "error", text, hint: "" })),
    ...review.diagnostics.map((d) => ({
      level: d.level,
      text: `${d.path ? `${d.path}: ` : ""}${d.message}`,
      hint: d.hint ?? "",
    })),
  ];
  const problemList = el(doc, "ul");
  for (const p of allProblems) {
    problemList.append(
      el(doc, "li", { class: `problem ${p.level}` }, [p.text, p.hint ? el(doc, "div", { class: "hint" }, [p.hint]) : null]),
    );
  }
  const problemsBox = el(doc, "section", { id: "problems", class: "problems", role: "alert" }, [
    el(doc, "h2", {}, [t("problemsTitle")]),
    review.degraded ? el(doc, "p", {}, [t("degradedExplain")]) : null,
    problemList,
  ]);
  problemsBox.hidden = allProblems.length === 0 && !review.degraded;
  root.append(problemsBox);

  const findingList = el(doc, "ul");
  for (const f of review.findings) {
    findingList.append(
      el(doc, "li", { class: `finding ${f.severity}`, "data-code": f.code }, [
        el(doc, "span", { class: `badge ${f.severity}` }, [t(`severity_${f.severity}`)]),
        " ",
        f.message,
      ]),
    );
  }
  const findings = el(doc, "section", { id: "findings", class: "findings", "aria-label": t("findingsTitle") }, [findingList]);
  findings.hidden = review.findings.length === 0;
  root.append(findings);

  const ticks = new Ticks();
  const byIndex = new Map(review.recipients.map((r) => [r.index, r]));
  const internal = review.groups.filter((g) => g.class === "internal").flatMap((g) => g.members);
  const externalGroups = review.groups.filter((g) => g.class === "external");
  const externalCount = externalGroups.reduce((n, g) => n + g.members.length, 0);

  const internalSection = el(doc, "section", { id: "internal", class: "recipients internal" }, [
    el(doc, "h2", {}, [t("internalSection", internal.length)]),
  ]);
  for (const i of internal) {
    const r = byIndex.get(i);
    if (r) internalSection.append(recipientRow(doc, r, t, ticks, review.dialog.requireInternalTick));
  }
  internalSection.hidden = internal.length === 0;

  const externalSection = el(doc, "section", { id: "external", class: "recipients external" }, [
    el(doc, "h2", {}, [t("externalSection", externalCount)]),
  ]);
  for (const group of externalGroups) {
    const domain = group.domain ?? "";
    const box = el(doc, "div", { class: "domain-group", "data-domain-group": domain }, [
      el(doc, "h3", {}, [domain || t("invalidAddresses"), " ", el(doc, "span", { class: "count" }, [t("count", group.members.length)])]),
    ]);
    for (const i of group.members) {
      const r = byIndex.get(i);
      if (r) box.append(recipientRow(doc, r, t, ticks, true));
    }
    externalSection.append(box);
  }
  externalSection.hidden = externalCount === 0;

  const attachmentSection = el(doc, "section", { id: "attachments", class: "attachments" }, [
    el(doc, "h2", {}, [t("attachmentsSection", review.attachments.length)]),
  ]);
  for (const a of review.attachments) {
    const size = formatBytes(a.size, lang);
    const box = el(doc, "input", { type: "checkbox", class: "tick" });
    const row = el(doc, "label", { class: "row", "data-kind": "attachment", "data-name": a.name, "data-size": String(a.size ?? "") }, [
      box,
      el(doc, "span", { class: "file-name" }, [a.name]),
      el(doc, "span", { class: "size" }, [size ?? t("sizeUnknown")]),
    ]);
    ticks.add(/** @type {HTMLInputElement} */ (box));
    attachmentSection.append(row);
  }
  attachmentSection.hidden = review.attachments.length === 0;

  if (review.recipients.length === 0) {
    root.append(el(doc, "p", { class: "empty" }, [t("noRecipients")]));
  }
  root.append(el(doc, "main", { class: "lists" }, [internalSection, externalSection, attachmentSection]));

  const progress = el(doc, "span", { id: "progress", "aria-live": "polite" });
  const blockReason = el(doc, "p", { id: "block-reason", class: "block-reason" }, [t("blocked")]);
  blockReason.hidden = review.verdict !== "block";
  const send = el(doc, "button", { id: "send", type: "button", class: "primary" }, [t("send")]);
  const cancel = el(doc, "button", { id: "cancel", type: "button" }, [t("cancel")]);
  root.append(
    el(doc, "footer", { class: "footer" }, [
      blockReason,
      el(doc, "div", { class: "actions" }, [
        progress,
        el(doc, "span", { class: "version" }, [review.engineVersion ? `Misend Guard ${review.engineVersion}` : ""]),
        cancel,
        send,
      ]),
    ]),
  );

  ticks.bind(/** @type {HTMLButtonElement} */ (send), progress, review.verdict === "block", t);
  return ticks;
}

/**
 * @param {{ name: string | null, address: string }} r
 */
function mailboxText(r) {
  return r.name ? `${r.name} <${r.address}>` : r.address;
}

/**
 * @param {Document} doc
 * @param {import("../engine/engine.js").ReviewRecipient} r
 * @param {Translate} t
 * @param {Ticks} ticks
 * @param {boolean} needsTick
 */
function recipientRow(doc, r, t, ticks, needsTick) {
  const box = /** @type {HTMLInputElement} */ (el(doc, "input", { type: "checkbox", class: "tick" }));
  if (needsTick) {
    ticks.add(box);
  } else {
    box.checked = true;
    box.disabled = true;
    box.title = t("tickedByPolicy");
  }
  const fieldLabel = t(`field_${r.field}`);
  return el(
    doc,
    "label",
    {
      class: `row recipient ${r.class}${r.valid ? "" : " invalid"}`,
      "data-kind": "recipient",
      "data-field": r.field,
      "data-address": r.address,
      "data-class": r.class,
      "data-domain": r.domain,
    },
    [
      box,
      el(doc, "span", { class: `field ${r.field}` }, [fieldLabel]),
      r.name ? el(doc, "span", { class: "name" }, [r.name]) : null,
      el(doc, "span", { class: "address" }, [r.address]),
      r.list ? el(doc, "span", { class: "list" }, [t("viaList", r.list)]) : null,
      r.valid ? null : el(doc, "span", { class: "warning" }, [t("invalidAddress")]),
    ],
  );
}

/** The ticks of a dialog, and the Send button they enable. */
export class Ticks {
  constructor() {
    /** @type {HTMLInputElement[]} */
    this.boxes = [];
    /** @type {HTMLButtonElement | null} */
    this.send = null;
    this.blocked = false;
  }

  /** @param {HTMLInputElement} box */
  add(box) {
    this.boxes.push(box);
  }

  /**
   * @param {HTMLButtonElement} send
   * @param {HTMLElement} progress
   * @param {boolean} blocked
   * @param {Translate} t
   */
  bind(send, progress, blocked, t) {
    this.send = send;
    this.blocked = blocked;
    const update = () => {
      const done = this.boxes.filter((b) => b.checked).length;
      progress.textContent = t("progress", done, this.boxes.length);
      send.disabled = !this.ready();
      send.title = blocked ? t("blocked") : this.ready() ? "" : t("tickAllHint");
    };
    for (const box of this.boxes) box.addEventListener("change", update);
    update();
  }

  /** Whether Send may be pressed: every box ticked and nothing blocks. */
  ready() {
    return !this.blocked && this.boxes.every((b) => b.checked);
  }
}
