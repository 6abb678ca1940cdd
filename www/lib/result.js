// @ts-check
/**
 * The right-hand panel: the verdict, and every finding with what the check detects, what it
 * points at, and where its severity is set. Everything from the mail or the policy is set as
 * text, never as HTML.
 */

/**
 * @typedef {import("../engine/engine.js").Review} Review
 * @typedef {import("../engine/engine.js").CodeInfo} CodeInfo
 * @typedef {import("./i18n.js").Translate} Translate
 */

/**
 * @param {Document} doc
 * @param {string} tag
 * @param {string} [className]
 * @param {(Node | string | null)[]} [children]
 */
function el(doc, tag, className, children = []) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

/** A finding's targets beyond this many are folded behind a "+N" button. */
export const TARGETS_SHOWN = 3;

/**
 * Folds a long list of targets: the first `TARGETS_SHOWN` stay, the rest are hidden behind a
 * "+N" button (a real button, so Enter and Space open it, with `aria-expanded`) that shows
 * them, and then folds them again.
 * @param {HTMLUListElement} list
 * @param {Translate} t
 */
function foldTargets(list, t) {
  const items = [...list.children];
  const extra = items.slice(TARGETS_SHOWN);
  if (extra.length === 0) return;
  for (const item of extra) /** @type {HTMLElement} */ (item).hidden = true;
  const doc = list.ownerDocument;
  const button = doc.createElement("button");
  button.type = "button";
  button.className = "targets-more";
  button.setAttribute("aria-expanded", "false");
  button.textContent = t("targetsMore", extra.length);
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    for (const item of extra) /** @type {HTMLElement} */ (item).hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? t("targetsFewer") : t("targetsMore", extra.length);
  });
  list.append(el(doc, "li", "target-toggle", [button]));
}

/**
 * @param {HTMLElement} verdictBox
 * @param {HTMLOListElement} findingsList
 * @param {Review} review
 * @param {CodeInfo[]} codes
 * @param {Translate} t
 */
export function renderResult(verdictBox, findingsList, review, codes, t) {
  const doc = verdictBox.ownerDocument;
  const internal = review.recipients.filter((r) => r.class === "internal").length;
  const external = review.recipients.length - internal;
  verdictBox.dataset.verdict = review.verdict;
  const parts = [
    el(doc, "div", "verdict-main", [
      el(doc, "span", "verdict-icon", [review.verdict === "ok" ? "✓" : review.verdict === "warn" ? "!" : "×"]),
      el(doc, "div", "", [
        el(doc, "strong", "verdict-text", [t(`verdict_${review.verdict}`)]),
        el(doc, "span", "verdict-explain", [t(`verdictExplain_${review.verdict}`)]),
      ]),
    ]),
    el(doc, "ul", "verdict-facts", [
      el(doc, "li", review.dialog.show ? "dialog-shown" : "dialog-skipped", [t(review.dialog.show ? "dialogShown" : "dialogSkipped")]),
      el(doc, "li", "", [t("counts", review.recipients.length, internal, external, review.attachments.length)]),
    ]),
  ];
  if (review.degraded) parts.push(el(doc, "p", "degraded", [t("degraded")]));
  verdictBox.replaceChildren(...parts);

  const byCode = new Map(codes.map((c) => [c.code, c]));
  const byIndex = new Map(review.recipients.map((r) => [r.index, r]));
  const attachments = new Map(review.attachments.map((a) => [a.index, a]));
  const items = review.findings.map((f) => {
    const info = byCode.get(f.code);
    const targets = el(doc, "ul", "targets");
    for (const i of f.recipients) {
      const r = byIndex.get(i);
      if (!r) continue;
      targets.append(
        el(doc, "li", `target recipient ${r.class}`, [
          el(doc, "span", "target-kind", [t(`field_${r.field}`)]),
          r.name ? `${r.name} <${r.address}>` : r.address,
        ]),
      );
    }
    for (const i of f.attachments) {
      const a = attachments.get(i);
      if (!a) continue;
      targets.append(el(doc, "li", "target attachment", [el(doc, "span", "target-kind", [t("attachmentTarget")]), a.name]));
    }
    foldTargets(/** @type {HTMLUListElement} */ (targets), t);
    const details = el(doc, "dl", "finding-details", [
      info ? el(doc, "dt", "", [t("findingWhy")]) : null,
      info ? el(doc, "dd", "", [info.summary]) : null,
      targets.childElementCount ? el(doc, "dt", "", [t("findingTargets")]) : null,
      targets.childElementCount ? el(doc, "dd", "", [targets]) : null,
    ]);
    const setting = info
      ? el(doc, "p", "finding-setting", [
          t("findingSetting", f.code === "keyword" ? "keywords[].severity" : `rules.${f.code}.severity`, t(`severity_${info.defaultSeverity}`)),
        ])
      : null;
    const item = el(doc, "li", `result-finding ${f.severity}`, [
      el(doc, "div", "finding-head", [
        el(doc, "span", `severity ${f.severity}`, [t(`severity_${f.severity}`)]),
        el(doc, "code", "finding-code", [f.code]),
      ]),
      el(doc, "p", "finding-message", [f.message]),
      details.childElementCount ? details : null,
      setting,
    ]);
    item.dataset.code = f.code;
    item.dataset.severity = f.severity;
    return item;
  });
  if (items.length === 0) items.push(el(doc, "li", "none", [t("noFindings")]));
  findingsList.replaceChildren(...items);
}
