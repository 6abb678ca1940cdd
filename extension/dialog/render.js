// @ts-check
/**
 * Builds the confirmation dialog's DOM from a review. Pure DOM, no extension API, so that the
 * playground (www/) shows exactly the same dialog.
 *
 * Layout, top to bottom: the sender and the subject; the failure notice when the mail could
 * not be checked at all (what happened, that nothing was checked, what to do); problems of
 * the add-on or the policy;
 * the findings, most severe first, each with what to do (a tick for `warn`, how to fix and a
 * one-click fix for `block`); the passages of the subject and body that findings point at;
 * the recipients (internal, then external by domain) and the attachments, each with its own
 * tick and the findings that concern it; and the footer with the progress, Cancel and Send.
 *
 * A long list is shown at once and completed after: the first rows (a window's worth and a
 * little more) are built before the first paint, the rest in slices of a few milliseconds
 * after it, in page order, so that 10,000 recipients neither delay the dialog nor freeze it.
 * The count and Send know every item from the start (ticks.js); "tick all" and the keys first
 * have the rest built.
 *
 * While the attachments' contents are being inspected (issue #14), each attachment says so
 * with a small spinner, and Send stays disabled with the reason in the footer; the review
 * that follows shows the findings on their attachment, with the place inside the file.
 *
 * Architecture invariant: every text that comes from the mail (names, addresses, subjects,
 * file names, excerpts) or from a policy is set with `textContent` or an attribute, never as
 * HTML. Invisible direction and format characters are shown as visible codes, so that a file
 * name like `report<U+202E>fdp.exe` cannot pass for `reportexe.pdf`.
 */
import { clip, fileType, formatBytes, normalizeFileName, visible } from "./format.js";
import { Ticks } from "./ticks.js";
import { inspectionPending, sendBlocked } from "./blocked.js";

/** @typedef {(key: string, ...substitutions: (string | number)[]) => string} Translate */
/** @typedef {import("../engine/engine.js").Review} Review */
/** @typedef {import("../engine/engine.js").Finding} Finding */
/** @typedef {import("../engine/engine.js").ReviewRecipient} ReviewRecipient */
/** @typedef {{ kind: "move-external-to-bcc" } | { kind: "remove-recipient", address: string }} Fix */
/** @typedef {{ kind: string, count?: number, address?: string }} AppliedFix */

/**
 * @typedef {object} RenderOptions
 * @property {import("./ticks.js").Snapshot | null} [previous]  ticks to carry over (after a fix)
 * @property {((fix: Fix) => void) | null} [onFix]  applies a one-click fix; without it the fix
 *   buttons are shown disabled (the playground shows what the dialog offers)
 * @property {AppliedFix[]} [applied]  fixes already applied to this mail, to say so
 * @property {string[]} [notices]  what the add-on could not judge this time, already worded (the
 *   Sent index still being built): said quietly, not as a problem
 */

/**
 * @typedef {object} DialogView
 * @property {Ticks} ticks
 * @property {HTMLButtonElement} send
 * @property {HTMLButtonElement} cancel
 * @property {HTMLElement} footer
 * @property {{ countdownSeconds: number, allowSendNow: boolean }} plan
 * @property {() => void} focusFirst  puts the focus where the person has to start
 * @property {() => void} complete  builds every row still to come, now
 * @property {Promise<void>} whenComplete  resolves once every row is built
 */

/** Severity order of the summary: the worst first. */
const RANK = { block: 0, warn: 1, info: 2 };

/** Codes whose meaning the layout already shows on every row (the External section). */
const SHOWN_BY_LAYOUT = new Set(["external-recipient"]);

/** A finding that concerns at most this many items says its whole message on each of them. */
const FULL_MESSAGE_UP_TO = 3;

/** Summary items offer a "remove" button for at most this many recipients each. */
const REMOVE_BUTTONS_IN_SUMMARY = 3;

/** Rows of recipients and attachments built before the first paint: more than a window shows. */
const FIRST_ROWS = 60;

/** The longest one slice of the later rows runs, in milliseconds, well under a frame. */
const SLICE_MS = 8;

/** The rows still to build of the dialog last rendered into a root, stopped when it is rendered again. */
const unfinished = new WeakMap();

/**
 * A translation that falls back when the key is unknown (a code newer than the locales).
 * @param {Translate} t
 * @param {string} key
 * @param {string} fallback
 */
function tOr(t, key, fallback) {
  const text = t(key);
  return text && text !== key ? text : fallback;
}

/**
 * @param {Document} doc
 * @param {string} tag
 * @param {Record<string, string | null | undefined>} [attrs]
 * @param {(Node | string | null | undefined | false)[]} [children]
 */
function el(doc, tag, attrs = {}, children = []) {
  const node = doc.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? doc.createTextNode(child) : child);
  }
  return node;
}

/**
 * Renders the dialog into `root`.
 * @param {HTMLElement} root
 * @param {Review} review
 * @param {string[]} problems problems of the add-on itself (storage, engine), already worded
 * @param {Translate} t
 * @param {RenderOptions} [options]
 * @returns {DialogView}
 */
export function renderDialog(root, review, problems, t, options = {}) {
  unfinished.get(root)?.();
  unfinished.delete(root);
  const doc = root.ownerDocument;
  const lang = review.lang || doc.documentElement.lang || "en";
  // The engine sends the whole plan, resolved for this mail (the policy's defaults, the
  // strictest settings of a degraded policy, the countdown's cap), and so does the fail-closed
  // review; the dialog reads it as given.
  const plan = review.dialog;
  const recipients = review.recipients ?? [];
  const attachments = review.attachments ?? [];
  const findings = [...(review.findings ?? [])]
    .filter((f) => f.severity in RANK)
    .sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  // A failure that the admin does not let the person send past blocks like a `block` finding.
  const blocked = sendBlocked(review);
  const waiting = inspectionPending(review);
  const ticks = new Ticks({ blocked, waiting, hasRecipients: recipients.length > 0, previous: options.previous });
  const onFix = options.onFix ?? null;
  /** @type {Ctx} */
  const ctx = { doc, t, lang, plan, ticks, onFix, findings, built: 0, later: [], cursor: 0, complete: () => {} };

  root.replaceChildren();
  root.dataset.verdict = review.verdict;

  // Which findings concern which item, for the marks on the rows.
  /** @type {Map<number, number[]>} */
  const byRecipient = new Map();
  /** @type {Map<number, number[]>} */
  const byAttachment = new Map();
  findings.forEach((f, i) => {
    for (const r of f.recipients ?? []) byRecipient.set(r, [...(byRecipient.get(r) ?? []), i]);
    for (const a of f.attachments ?? []) byAttachment.set(a, [...(byAttachment.get(a) ?? []), i]);
  });

  root.append(renderHeader(ctx, review));
  // Everything between the header and the footer scrolls as one, so that a long list of
  // findings never squeezes the recipients into a slit.
  const body = el(doc, "div", { class: "body" });
  body.append(renderFailure(ctx, review));
  body.append(renderProblems(ctx, review, problems));
  body.append(renderNotices(ctx, options.notices ?? []));
  body.append(renderApplied(ctx, options.applied ?? []));
  body.append(renderSummary(ctx, review));
  body.append(renderExcerpts(ctx, attachments.length));
  const lists = el(doc, "main", { class: "lists", id: "lists" });
  if (recipients.length === 0) lists.append(el(doc, "p", { class: "empty", role: "alert" }, [t("noRecipients")]));
  lists.append(renderRecipients(ctx, review, byRecipient));
  lists.append(renderAttachments(ctx, review, byAttachment));
  body.append(lists);
  root.append(body);

  const footer = renderFooter(ctx, review, blocked, waiting);
  root.append(footer.element);
  ticks.bind(root);
  const rest = buildLater(root, ctx);

  return {
    ticks,
    send: footer.send,
    cancel: footer.cancel,
    footer: footer.element,
    plan,
    complete: rest.complete,
    whenComplete: rest.whenComplete,
    focusFirst() {
      const pending = ticks.firstPending();
      const fixButton = /** @type {HTMLButtonElement | null} */ (root.querySelector("#findings button.fix:not(:disabled)"));
      const target = blocked ? fixButton ?? footer.cancel : pending?.control ?? (footer.send.disabled ? footer.cancel : footer.send);
      target.focus();
    },
  };
}

/**
 * @typedef {{ doc: Document, t: Translate, lang: string, plan: import("../engine/engine.js").DialogPlan, ticks: Ticks,
 *             onFix: ((fix: Fix) => void) | null, findings: Finding[],
 *             built: number, later: (() => void)[], cursor: number, complete: () => void }} Ctx
 *   `built`: rows built before the first paint; `later`: the rows (and domain groups) after them,
 *   in page order; `cursor`: the next of those to build (a group puts its rows right there);
 *   `complete`: builds the rest now
 */

/**
 * Puts a row of the lists into its container: now, while the first rows are built, or else
 * later, counted by the ticks meanwhile when it has one.
 * @param {Ctx} ctx
 * @param {HTMLElement} container
 * @param {boolean} counted  the row has a tick to confirm
 * @param {import("./ticks.js").Group | null} group
 * @param {() => HTMLElement} build
 */
function place(ctx, container, counted, group, build) {
  if (ctx.later.length === 0 && ctx.built < FIRST_ROWS) {
    ctx.built++;
    container.append(build());
    return;
  }
  if (counted) ctx.ticks.expect(group);
  ctx.later.push(() => {
    if (counted) ctx.ticks.arrive(group);
    container.append(build());
  });
}

/**
 * Builds the rows `place` put off, after the first paint, in slices that leave the page free
 * to answer between them; `complete` builds the rest at once (a "tick all", a key, a "show").
 * @param {HTMLElement} root
 * @param {Ctx} ctx
 * @returns {{ complete: () => void, whenComplete: Promise<void> }}
 */
function buildLater(root, ctx) {
  const { later, ticks } = ctx;
  if (later.length === 0) return { complete: () => {}, whenComplete: Promise.resolve() };
  let stopped = false;
  /** @type {() => void} */
  let resolve = () => {};
  /** @type {Promise<void>} */
  const whenComplete = new Promise((r) => (resolve = r));
  const complete = () => {
    if (stopped) return;
    while (ctx.cursor < later.length) later[ctx.cursor++]();
    stopped = true;
    unfinished.delete(root);
    ticks.complete = () => {};
    ctx.complete = () => {};
    ticks.settled();
    resolve();
  };
  const slice = () => {
    if (stopped) return;
    const deadline = performance.now() + SLICE_MS;
    while (ctx.cursor < later.length && performance.now() < deadline) later[ctx.cursor++]();
    if (ctx.cursor < later.length) setTimeout(slice, 0);
    else complete();
  };
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    setTimeout(slice, 0);
  };
  ticks.complete = complete;
  ctx.complete = complete;
  unfinished.set(root, () => (stopped = true));
  // The frame that shows the first rows is painted before the rest is built; a page that gets
  // no frames (hidden) starts anyway.
  requestAnimationFrame(start);
  setTimeout(start, 100);
  return { complete, whenComplete };
}

/**
 * The sender and the subject.
 * @param {Ctx} ctx
 * @param {Review} review
 */
function renderHeader(ctx, review) {
  const { doc, t, plan, ticks } = ctx;
  const sender = review.sender;
  const senderText = sender ? mailboxText(sender) : t("unknownSender");
  /** @type {HTMLElement} */
  let senderCell;
  if (plan.confirmSender) {
    const box = /** @type {HTMLInputElement} */ (
      el(doc, "input", { type: "checkbox", class: "tick", "aria-label": t("confirmSenderLabel", senderText) })
    );
    ticks.addBox(`sender:${sender?.address.toLowerCase() ?? ""}`, box);
    senderCell = el(doc, "div", { class: "row sender", "data-kind": "sender", "data-address": sender?.address ?? "" }, [
      el(doc, "label", { class: "tick-label" }, [
        box,
        el(doc, "span", { class: "main" }, [
          ...spaced(sender ? mailboxParts(doc, sender) : [t("unknownSender")]),
          el(doc, "span", { class: "hint" }, [t("confirmSenderHint")]),
        ]),
      ]),
    ]);
  } else {
    senderCell = el(doc, "div", { class: "sender plain", "data-address": sender?.address ?? "" },
      spaced(sender ? mailboxParts(doc, sender) : [t("unknownSender")]));
  }
  return el(doc, "header", { class: "header" }, [
    el(doc, "div", { class: "title-row" }, [
      el(doc, "h1", { id: "title" }, [t("dialogTitle")]),
      el(doc, "span", { class: "version" }, [review.engineVersion ? `Misend Guard ${review.engineVersion}` : ""]),
    ]),
    el(doc, "dl", { class: "meta" }, [
      el(doc, "dt", {}, [t("from")]),
      el(doc, "dd", { id: "sender" }, [senderCell]),
      el(doc, "dt", {}, [t("subject")]),
      el(doc, "dd", { id: "subject", class: review.subject ? "" : "muted" }, [
        review.subject ? visible(review.subject) : t("noSubject"),
      ]),
    ]),
  ]);
}

/**
 * The mail could not be checked at all: what happened, that no rule was applied, and what to
 * do. Shown first, as an alert, so that it is the first thing read and announced.
 * @param {Ctx} ctx
 * @param {Review} review
 */
function renderFailure(ctx, review) {
  const { doc, t } = ctx;
  const failure = review.failure;
  const allowed = failure?.sendAllowed === true;
  const box = el(doc, "section", { id: "failure", class: `failure ${allowed ? "allowed" : "blocked"}`, role: "alert", "aria-labelledby": "failure-title" }, failure
    ? [
        el(doc, "h2", { id: "failure-title" }, [t("failureTitle")]),
        el(doc, "p", { class: "what" }, [t("failureWhat", visible(String(failure.reason ?? "")))]),
        el(doc, "p", { class: "not-checked" }, [t("failureNotChecked")]),
        el(doc, "p", { class: "advice" }, [t(allowed ? "failureAllowedAdvice" : "failureBlockedAdvice")]),
      ]
    : []);
  box.hidden = !failure;
  return box;
}

/**
 * What the add-on could not judge this time, such as first-time recipients while the Sent
 * index is built: a status line, not an alert.
 * @param {Ctx} ctx
 * @param {string[]} notices
 */
function renderNotices(ctx, notices) {
  const { doc } = ctx;
  const box = el(doc, "section", { id: "notices", class: "notices", role: "status" }, notices.map((text) => el(doc, "p", { class: "notice" }, [text])));
  box.hidden = notices.length === 0;
  return box;
}

/**
 * Problems of the add-on (engine, storage) and of the policy.
 * @param {Ctx} ctx
 * @param {Review} review
 * @param {string[]} problems
 */
function renderProblems(ctx, review, problems) {
  const { doc, t } = ctx;
  const all = [
    ...problems.map((text) => ({ level: "error", text, hint: "" })),
    ...(review.diagnostics ?? []).map((d) => ({
      level: d.level,
      text: `${d.path ? `${d.path}: ` : ""}${d.message}`,
      hint: d.hint ?? "",
    })),
  ];
  const list = el(doc, "ul");
  for (const p of all) {
    list.append(el(doc, "li", { class: `problem ${p.level}` }, [p.text, p.hint ? el(doc, "div", { class: "hint" }, [p.hint]) : null]));
  }
  const box = el(doc, "section", { id: "problems", class: "problems", role: "alert" }, [
    el(doc, "h2", {}, [t("problemsTitle")]),
    review.degraded ? el(doc, "p", {}, [t("degradedExplain")]) : null,
    list,
  ]);
  box.hidden = all.length === 0 && !review.degraded;
  return box;
}

/**
 * What the one-click fixes changed, and that Cancel leaves the compose window as it was.
 * @param {Ctx} ctx
 * @param {AppliedFix[]} applied
 */
function renderApplied(ctx, applied) {
  const { doc, t } = ctx;
  const list = el(doc, "ul");
  for (const fix of applied) {
    const text =
      fix.kind === "move-external-to-bcc"
        ? t("appliedMoveToBcc", fix.count ?? 0)
        : fix.kind === "remove-recipient"
          ? t("appliedRemove", visible(fix.address ?? ""))
          : fix.kind;
    list.append(el(doc, "li", {}, [text]));
  }
  const box = el(doc, "section", { id: "applied", class: "applied", role: "status" }, [
    list,
    el(doc, "p", { class: "hint" }, [t("appliedCancelKeepsDraft")]),
  ]);
  box.hidden = applied.length === 0;
  return box;
}

/**
 * The findings, most severe first.
 * @param {Ctx} ctx
 * @param {Review} review
 */
function renderSummary(ctx, review) {
  const { doc, t, findings } = ctx;
  const counts = { block: 0, warn: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  const list = el(doc, "ul", { class: "finding-list" });
  /** @type {Set<string>} */
  const offered = new Set();
  findings.forEach((f, i) => list.append(renderFinding(ctx, review, f, i, offered)));

  const verdictText =
    counts.block > 0 ? t("verdictBlock", counts.block) : counts.warn > 0 ? t("verdictWarn", counts.warn) : t("verdictOk");
  const section = el(doc, "section", { id: "findings", class: `findings verdict-${review.verdict}`, "aria-labelledby": "findings-title" }, [
    el(doc, "h2", { id: "findings-title", class: "verdict" }, [verdictText]),
    list,
  ]);
  section.hidden = findings.length === 0 && review.verdict === "ok";
  return section;
}

/**
 * One finding of the summary.
 * @param {Ctx} ctx
 * @param {Review} review
 * @param {Finding} f
 * @param {number} i
 * @param {Set<string>} offered  the one-click fixes already offered by a finding above this one:
 *   each fix is offered once, on the most severe finding that calls for it
 *   (bulk-visible-recipients and mixed-external-domains often come together)
 */
function renderFinding(ctx, review, f, i, offered) {
  const { doc, t, ticks } = ctx;
  const messageId = `finding-${i}-msg`;
  const item = el(doc, "li", {
    class: `finding ${f.severity}`,
    id: `finding-${i}`,
    "data-code": f.code,
    "data-severity": f.severity,
    "data-rule-id": f.ruleId ?? null,
    "data-kind": f.severity === "warn" ? "finding" : null,
  });
  const head = el(doc, "div", { class: "finding-head" }, [
    el(doc, "span", { class: `badge ${f.severity}` }, [t(`severity_${f.severity}`)]),
    el(doc, "span", { class: "message", id: messageId }, [visible(f.message)]),
    f.ruleId ? el(doc, "span", { class: "rule-id", title: t("ruleId") }, [f.ruleId]) : null,
  ]);
  item.append(head);
  if (f.severity === "warn") {
    const box = /** @type {HTMLInputElement} */ (
      el(doc, "input", { type: "checkbox", class: "tick", "aria-describedby": messageId, "aria-label": `${t("acknowledge")}: ${f.message}` })
    );
    ticks.addBox(`finding:${f.code}:${f.ruleId ?? ""}:${f.message}`, box);
    head.append(el(doc, "label", { class: "ack" }, [box, t("acknowledge")]));
  }

  if (f.severity === "block") {
    const how = f.howToFix || t("fixGeneric");
    item.append(el(doc, "p", { class: "fix-hint" }, [el(doc, "strong", {}, [t("howToFix")]), " ", how]));
  }

  const actions = el(doc, "div", { class: "finding-actions" });
  const fixes = f.fixes ?? [];
  if (fixes.includes("move-external-to-bcc") && hasVisibleExternal(review) && !offered.has("move-external-to-bcc")) {
    offered.add("move-external-to-bcc");
    actions.append(fixButton(ctx, { kind: "move-external-to-bcc" }, t("fixMoveToBcc"), messageId));
  }
  if (fixes.includes("remove-recipient")) {
    for (const r of (f.recipients ?? []).slice(0, REMOVE_BUTTONS_IN_SUMMARY)) {
      const recipient = review.recipients[r];
      const key = `remove-recipient:${recipient?.address.toLowerCase()}`;
      if (recipient && !offered.has(key)) {
        offered.add(key);
        actions.append(fixButton(ctx, { kind: "remove-recipient", address: recipient.address }, t("fixRemoveNamed", visible(recipient.address)), messageId));
      }
    }
  }
  const first = (f.recipients ?? [])[0] ?? null;
  const firstAttachment = (f.attachments ?? [])[0] ?? null;
  if (first !== null || firstAttachment !== null) {
    const target = first !== null ? `recipient-${first}` : `attachment-${firstAttachment}`;
    const count = (f.recipients?.length ?? 0) + (f.attachments?.length ?? 0);
    const show = el(doc, "button", { type: "button", class: "link show", "data-target": target, "aria-describedby": messageId }, [
      count > 1 ? t("showItems", count) : t("showItem"),
    ]);
    show.addEventListener("click", () => {
      ctx.complete();
      const row = doc.getElementById(target);
      row?.scrollIntoView({ block: "center" });
      /** @type {HTMLElement | null | undefined} */ (row?.querySelector("input, button"))?.focus({ preventScroll: true });
      row?.classList.add("flash");
      setTimeout(() => row?.classList.remove("flash"), 1200);
    });
    actions.append(show);
  }
  if (actions.childElementCount > 0) item.append(actions);
  return item;
}

/**
 * @param {Ctx} ctx
 * @param {Fix} fix
 * @param {string} label
 * @param {string} describedBy
 */
function fixButton(ctx, fix, label, describedBy) {
  const { doc, t, onFix } = ctx;
  const button = /** @type {HTMLButtonElement} */ (
    el(doc, "button", { type: "button", class: "fix", "data-fix": fix.kind, "data-address": "address" in fix ? fix.address : null, "aria-describedby": describedBy }, [label])
  );
  if (onFix) {
    button.addEventListener("click", () => onFix(fix));
  } else {
    button.disabled = true;
    button.title = t("fixUnavailable");
  }
  return button;
}

/** @param {Review} review */
function hasVisibleExternal(review) {
  return review.recipients.some((r) => r.class === "external" && r.field !== "bcc");
}

/**
 * The passages of the subject and the body that findings point at, the match highlighted.
 * Passages of attachment names are shown on their attachment's row instead.
 * @param {Ctx} ctx
 * @param {number} attachmentCount
 */
function renderExcerpts(ctx, attachmentCount) {
  const { doc, t, findings } = ctx;
  const list = el(doc, "ul", { class: "excerpt-list" });
  findings.forEach((f, i) => {
    for (const x of f.excerpts ?? []) {
      // A passage of an attachment's name or contents is shown on the attachment's own row.
      const onRow = isAttachmentPart(x) && Number.isInteger(x.attachment) && /** @type {number} */ (x.attachment) < attachmentCount;
      if (onRow) continue;
      list.append(
        el(doc, "li", { class: `excerpt ${f.severity}`, "data-code": f.code, "data-part": x.part }, [
          el(doc, "span", { class: "part" }, [tOr(t, `part_${x.part.replace(/-/g, "_")}`, x.part)]),
          excerptText(ctx, x, `finding-${i}-msg`),
          el(doc, "span", { class: `mark ${f.severity}`, title: f.message }, [f.tag || visible(f.message)]),
        ]),
      );
    }
  });
  const section = el(doc, "section", { id: "excerpts", class: "excerpts", "aria-labelledby": "excerpts-title" }, [
    el(doc, "h2", { id: "excerpts-title" }, [t("excerptsSection")]),
    list,
  ]);
  section.hidden = list.childElementCount === 0;
  return section;
}

/**
 * Whether an excerpt is of an attachment: its name, or its contents (with the place inside).
 * @param {import("../engine/engine.js").Excerpt} x
 */
function isAttachmentPart(x) {
  return x.part === "attachment" || x.part === "attachment-content";
}

/**
 * `…before <mark>text</mark> after…`, on one line.
 * @param {Ctx} ctx
 * @param {import("../engine/engine.js").Excerpt} x
 * @param {string} describedBy
 */
function excerptText(ctx, x, describedBy) {
  const { doc } = ctx;
  const flat = (/** @type {unknown} */ s) => visible(String(s ?? "").replace(/\s+/g, " "));
  const quote = el(doc, "q", { class: "text", "aria-describedby": describedBy }, [
    clip(flat(x.before), 40, "end"),
    el(doc, "mark", {}, [clip(flat(x.text), 80, "start")]),
    clip(flat(x.after), 40, "start"),
  ]);
  // Where inside an attachment the passage is (`Sheet1!C12`, `slide 3`, `tools/setup.exe`).
  const place = x.place;
  if (!place) return quote;
  const fragment = doc.createDocumentFragment();
  fragment.append(el(doc, "span", { class: "place" }, [clip(flat(place), 60, "start")]), " ", quote);
  return fragment;
}

/**
 * The internal section and the external one, grouped by domain.
 * @param {Ctx} ctx
 * @param {Review} review
 * @param {Map<number, number[]>} byRecipient
 */
function renderRecipients(ctx, review, byRecipient) {
  const { doc, t, plan, ticks } = ctx;
  const byIndex = new Map(review.recipients.map((r) => [r.index, r]));
  const internal = review.groups.filter((g) => g.class === "internal").flatMap((g) => g.members);
  const externalGroups = review.groups.filter((g) => g.class === "external");
  const externalCount = externalGroups.reduce((n, g) => n + g.members.length, 0);
  const fragment = doc.createDocumentFragment();

  const internalNeedsTicks = plan.requireInternalTick && internal.length > 0;
  const internalHeader = checkAllBox(ctx, "internal", null, internal.length, internalNeedsTicks && plan.allowCheckAll.internal);
  const internalGroup = internalNeedsTicks ? ticks.group("internal", internalHeader.box, plan.allowCheckAll.internal) : null;
  const internalSection = el(doc, "section", { id: "internal", class: "recipients internal", "aria-labelledby": "internal-title" }, [
    el(doc, "h2", { class: "section-head" }, [
      internalHeader.label,
      el(doc, "span", { id: "internal-title" }, [t("internalSection", internal.length)]),
      internalNeedsTicks ? null : el(doc, "span", { class: "section-note" }, [t("tickedByPolicy")]),
    ]),
  ]);
  const internalShared = sharedMarks(ctx, internal, byRecipient, "internal");
  if (internalShared.element) internalSection.append(internalShared.element);
  const internalRows = el(doc, "div", { class: "rows" });
  for (const i of internal) {
    const r = byIndex.get(i);
    if (r) place(ctx, internalRows, internalNeedsTicks, internalGroup, () => recipientRow(ctx, r, byRecipient.get(i) ?? [], internalNeedsTicks, internalGroup, internalShared));
  }
  internalSection.append(internalRows);
  internalSection.hidden = internal.length === 0;
  fragment.append(internalSection);

  const externalSection = el(doc, "section", { id: "external", class: "recipients external", "aria-labelledby": "external-title" }, [
    el(doc, "h2", { class: "section-head", id: "external-title" }, [t("externalSection", externalCount, externalGroups.length)]),
  ]);
  externalGroups.forEach((group, g) => {
    const members = group.members.flatMap((i) => byIndex.get(i) ?? []);
    const build = () => {
      const domain = group.domain ?? "";
      const header = checkAllBox(ctx, "external", domain, group.members.length, plan.allowCheckAll.external);
      const tickGroup = ticks.group(`external:${domain}`, header.box, plan.allowCheckAll.external);
      const box = el(doc, "div", { class: "domain-group", "data-domain-group": domain }, [
        el(doc, "h3", { class: "group-head" }, [
          header.label,
          el(doc, "span", { class: "domain" }, [domain ? visible(domain) : t("invalidAddresses")]),
          el(doc, "span", { class: "count" }, [t("count", group.members.length)]),
          plan.allowCheckAll.external ? null : el(doc, "span", { class: "section-note" }, [t("tickEachOne")]),
        ]),
      ]);
      const shared = sharedMarks(ctx, group.members, byRecipient, `group-${g}`);
      if (shared.element) box.append(shared.element);
      const rows = el(doc, "div", { class: "rows" });
      box.append(rows);
      externalSection.append(box);
      return { rows, tickGroup, shared };
    };
    /** @param {ReviewRecipient} r @param {{ tickGroup: import("./ticks.js").Group, shared: SharedMarks }} at */
    const row = (r, { tickGroup, shared }) => recipientRow(ctx, r, byRecipient.get(r.index) ?? [], true, tickGroup, shared);
    if (ctx.later.length === 0 && ctx.built < FIRST_ROWS) {
      const built = build();
      for (const r of members) place(ctx, built.rows, true, built.tickGroup, () => row(r, built));
      return;
    }
    // The whole group comes later, its head too, so that a mail to thousands of domains costs
    // nothing more before the first paint; its rows follow it at once, in page order.
    ticks.expect(null, members.length);
    ctx.later.push(() => {
      const built = build();
      // Counted in the dialog's total above already; now in the group's too.
      built.tickGroup.expected = members.length;
      const rows = members.map((r) => () => {
        ticks.arrive(built.tickGroup);
        built.rows.append(row(r, built));
      });
      ctx.later.splice(ctx.cursor, 0, ...rows);
    });
  });
  externalSection.hidden = externalCount === 0;
  fragment.append(externalSection);
  return fragment;
}

/**
 * @typedef {{ indices: Set<number>, ids: string[], worst: "block" | "warn" | "info" | null,
 *             element: HTMLElement | null }} SharedMarks
 */

/**
 * The findings that concern every member of a group (of two or more): their marks are shown
 * once, under the group's head, instead of on each row (twelve rows of a bulk mail would
 * otherwise repeat the same two marks twelve times, a thousand rows a thousand times). Each
 * row's tick still names them (`aria-describedby`) and its colour still says the worst.
 * @param {Ctx} ctx
 * @param {number[]} members
 * @param {Map<number, number[]>} byRecipient
 * @param {string} groupId
 * @returns {SharedMarks}
 */
function sharedMarks(ctx, members, byRecipient, groupId) {
  const none = { indices: new Set(), ids: [], worst: null, element: null };
  if (members.length < 2) return none;
  const shared = (byRecipient.get(members[0]) ?? []).filter((i) => members.every((m) => (byRecipient.get(m) ?? []).includes(i)));
  const marks = findingMarks(ctx, shared, groupId, (f) => (f.recipients?.length ?? 0) + (f.attachments?.length ?? 0));
  if (!marks.element) return none;
  const element = el(ctx.doc, "div", { class: "group-marks", role: "group", "aria-label": ctx.t("groupMarksLabel") }, [marks.element]);
  return { indices: new Set(shared), ids: marks.ids, worst: marks.worst, element };
}

/**
 * The "tick all" checkbox of a section or a domain. It is always built, so that the rule is
 * enforced by the tick logic rather than by its absence; when the policy does not allow it,
 * it is hidden and disabled, and the tick logic refuses it anyway.
 * @param {Ctx} ctx
 * @param {"internal" | "external"} section
 * @param {string | null} domain
 * @param {number} count
 * @param {boolean} allowed
 */
function checkAllBox(ctx, section, domain, count, allowed) {
  const { doc, t } = ctx;
  const label = domain === null ? t("checkAllInternal", count) : t("checkAllDomain", visible(domain || t("invalidAddresses")), count);
  const box = /** @type {HTMLInputElement} */ (
    el(doc, "input", { type: "checkbox", class: "check-all", "data-check-all": section, "data-domain": domain, "aria-label": label, title: label })
  );
  const wrapper = el(doc, "label", { class: "check-all-label" }, [box]);
  if (!allowed) {
    box.disabled = true;
    wrapper.hidden = true;
  }
  return { box, label: wrapper };
}

/**
 * One recipient: its tick, To/Cc/Bcc, name, address, list, and the findings on it.
 * @param {Ctx} ctx
 * @param {ReviewRecipient} r
 * @param {number[]} findingIndices
 * @param {boolean} needsTick
 * @param {import("./ticks.js").Group | null} group
 * @param {SharedMarks | null} [shared] the marks its group shows once for all its rows
 */
function recipientRow(ctx, r, findingIndices, needsTick, group, shared = null) {
  const { doc, t, ticks } = ctx;
  const rowId = `recipient-${r.index}`;
  const box = /** @type {HTMLInputElement} */ (el(doc, "input", { type: "checkbox", class: "tick", id: `${rowId}-tick` }));
  const fieldLabel = t(`field_${r.field}`);
  box.setAttribute("aria-label", `${fieldLabel}: ${mailboxText(r)}${r.list ? ` (${t("viaList", r.list)})` : ""}`);
  const own = shared ? findingIndices.filter((i) => !shared.indices.has(i)) : findingIndices;
  const marks = findingMarks(ctx, own, rowId, (f) => (f.recipients?.length ?? 0) + (f.attachments?.length ?? 0));
  const describedBy = [...marks.ids, ...(shared?.ids ?? [])];
  if (describedBy.length) box.setAttribute("aria-describedby", describedBy.join(" "));
  const worst = [marks.worst, shared?.worst ?? null].reduce((a, b) => (a === null || (b !== null && RANK[b] < RANK[a]) ? b : a), null);
  const row = el(doc, "div", {
    class: `row recipient ${r.class}${r.valid ? "" : " invalid"}${worst ? ` has-${worst}` : ""}`,
    id: rowId,
    "data-kind": "recipient",
    "data-field": r.field,
    "data-address": r.address,
    "data-name": r.name ?? null,
    "data-class": r.class,
    "data-domain": r.domain,
    "data-list": r.list ?? null,
  });
  if (needsTick) {
    ticks.addBox(`recipient:${r.address.toLowerCase()}`, box, group);
  } else {
    box.checked = true;
    box.disabled = true;
    box.title = t("tickedByPolicy");
    row.classList.add("confirmed");
  }
  row.append(
    el(doc, "label", { class: "tick-label" }, [
      box,
      el(doc, "span", { class: `field ${r.field}` }, [fieldLabel]),
      el(doc, "span", { class: "main" }, spaced([
        ...mailboxParts(doc, r),
        r.list ? el(doc, "span", { class: "list" }, [t("viaList", visible(r.list))]) : null,
        r.valid ? null : el(doc, "span", { class: "warning" }, [t("invalidAddress")]),
      ])),
    ]),
  );
  if (marks.element) row.append(marks.element);
  const removable = findingIndices.some((i) => (ctx.findings[i].fixes ?? []).includes("remove-recipient"));
  if (removable) {
    const actions = el(doc, "div", { class: "row-actions" }, [
      fixButton(ctx, { kind: "remove-recipient", address: r.address }, t("fixRemove"), marks.ids[0] ?? rowId),
    ]);
    row.append(actions);
  }
  return row;
}

/**
 * The marks of the findings that concern one row: the whole one-line message when the
 * finding is about a few items, a short tag (with the message as its tooltip) when it is
 * about many, so that a finding about 500 recipients does not print its sentence 500 times.
 * @param {Ctx} ctx
 * @param {number[]} indices
 * @param {string} rowId
 * @param {(f: Finding) => number} size
 */
function findingMarks(ctx, indices, rowId, size) {
  const { doc, t, findings } = ctx;
  /** @type {string[]} */
  const ids = [];
  /** @type {"block" | "warn" | "info" | null} */
  let worst = null;
  /** @type {HTMLElement | null} made for the first mark: most rows have none */
  let list = null;
  for (const i of indices) {
    const f = findings[i];
    if (SHOWN_BY_LAYOUT.has(f.code)) continue;
    list ??= el(doc, "ul", { class: "marks" });
    const id = `${rowId}-f${i}`;
    ids.push(id);
    if (worst === null || RANK[f.severity] < RANK[worst]) worst = f.severity;
    const text = size(f) <= FULL_MESSAGE_UP_TO ? visible(f.message) : f.tag || visible(f.message);
    list.append(
      el(doc, "li", { class: `mark ${f.severity}`, id, "data-code": f.code, title: f.message }, [
        el(doc, "span", { class: "mark-severity" }, [t(`severity_${f.severity}`)]),
        " ",
        text,
      ]),
    );
  }
  return { ids, worst, element: list };
}

/**
 * The attachments: name, type, size, each with a tick (or its name to retype), and the
 * findings and passages that concern it.
 * @param {Ctx} ctx
 * @param {Review} review
 * @param {Map<number, number[]>} byAttachment
 */
function renderAttachments(ctx, review, byAttachment) {
  const { doc, t, plan } = ctx;
  const section = el(doc, "section", { id: "attachments", class: "attachments", "aria-labelledby": "attachments-title" }, [
    el(doc, "h2", { class: "section-head" }, [
      el(doc, "span", { id: "attachments-title" }, [t("attachmentsSection", review.attachments.length)]),
      plan.retypeAttachmentNames ? el(doc, "span", { class: "section-note" }, [t("retypeExplain")]) : null,
    ]),
  ]);
  const rows = el(doc, "div", { class: "rows" });
  for (const a of review.attachments) place(ctx, rows, true, null, () => attachmentRow(ctx, a, byAttachment));
  section.append(rows);
  section.hidden = review.attachments.length === 0;
  return section;
}

/**
 * One attachment: its tick (or its name to retype), what it is, the findings and passages on it.
 * @param {Ctx} ctx
 * @param {import("../engine/review").AttachmentOut} a
 * @param {Map<number, number[]>} byAttachment
 */
function attachmentRow(ctx, a, byAttachment) {
  const { doc, t, plan, lang, ticks, findings } = ctx;
  const rowId = `attachment-${a.index}`;
  const size = formatBytes(a.size, lang);
  const type = fileType(a.name);
  const indices = byAttachment.get(a.index) ?? [];
  const marks = findingMarks(ctx, indices, rowId, (f) => (f.recipients?.length ?? 0) + (f.attachments?.length ?? 0));
  const inspection = a.inspection ?? "off";
  const row = el(doc, "div", {
    class: `row attachment${marks.worst ? ` has-${marks.worst}` : ""}${inspection === "pending" ? " inspecting" : ""}`,
    id: rowId,
    "data-kind": "attachment",
    "data-name": a.name,
    "data-size": String(a.size ?? ""),
    "data-type": type ?? "",
    "data-inspection": inspection,
  });
  const description = spaced([
    el(doc, "span", { class: "file-name" }, [visible(a.name)]),
    el(doc, "span", { class: "type" }, [type ?? t("typeUnknown")]),
    el(doc, "span", { class: "size" }, [size ?? t("sizeUnknown")]),
  ]);
  const key = `attachment:${a.index}:${a.name}`;
  if (plan.retypeAttachmentNames) {
    const field = /** @type {HTMLInputElement} */ (
      el(doc, "input", {
        type: "text",
        class: "retype",
        id: `${rowId}-retype`,
        autocomplete: "off",
        spellcheck: "false",
        placeholder: t("retypePlaceholder"),
        "aria-label": t("retypeLabel", visible(a.name)),
      })
    );
    if (marks.ids.length) field.setAttribute("aria-describedby", marks.ids.join(" "));
    // Pasting or dropping the name would defeat the point, which is to read it.
    for (const kind of ["paste", "drop"]) field.addEventListener(kind, (event) => event.preventDefault());
    const expected = normalizeFileName(a.name);
    ticks.addRetype(key, field, (value) => normalizeFileName(value) === expected);
    row.append(el(doc, "div", { class: "retype-row" }, [el(doc, "span", { class: "main" }, description), field, el(doc, "span", { class: "retype-ok", "aria-hidden": "true" }, ["✓"])]));
  } else {
    const box = /** @type {HTMLInputElement} */ (el(doc, "input", { type: "checkbox", class: "tick", id: `${rowId}-tick` }));
    box.setAttribute("aria-label", `${t("attachment")}: ${visible(a.name)}, ${type ?? t("typeUnknown")}, ${size ?? t("sizeUnknown")}`);
    if (marks.ids.length) box.setAttribute("aria-describedby", marks.ids.join(" "));
    ticks.addBox(key, box);
    row.append(el(doc, "label", { class: "tick-label" }, [box, el(doc, "span", { class: "main" }, description)]));
  }
  if (inspection === "pending") {
    row.append(
      el(doc, "p", { class: "inspecting-note", id: `${rowId}-inspecting`, role: "status" }, [
        el(doc, "span", { class: "spinner", "aria-hidden": "true" }),
        t("inspectingAttachment"),
      ]),
    );
  }
  if (marks.element) row.append(marks.element);
  const excerpts = el(doc, "ul", { class: "row-excerpts" });
  findings.forEach((f, i) => {
    for (const x of f.excerpts ?? []) {
      if (isAttachmentPart(x) && x.attachment === a.index) {
        excerpts.append(el(doc, "li", { class: `excerpt ${f.severity}`, "data-code": f.code, "data-part": x.part }, [excerptText(ctx, x, `finding-${i}-msg`)]));
      }
    }
  });
  if (excerpts.childElementCount) row.append(excerpts);
  return row;
}

/**
 * The progress, why Send is blocked, Cancel and Send.
 * @param {Ctx} ctx
 * @param {Review} review
 * @param {boolean} blocked
 * @param {boolean} waiting  an attachment is still being inspected
 */
function renderFooter(ctx, review, blocked, waiting) {
  const { doc, t, plan, ticks } = ctx;
  const progress = el(doc, "span", { id: "progress", "aria-live": "polite" });
  const blockCount = ctx.findings.filter((f) => f.severity === "block").length;
  const failed = review.failure !== null && review.failure !== undefined && review.failure.sendAllowed !== true;
  const blockReason = el(doc, "p", { id: "block-reason", class: "block-reason", role: "alert" }, [
    blockCount > 0 ? t("blockedBy", blockCount) : failed ? t("failureFooter") : t("blocked"),
  ]);
  blockReason.hidden = !blocked;
  const pendingReason = el(doc, "p", { id: "pending-reason", class: "pending-reason", role: "status" }, [t("inspectingFooter")]);
  pendingReason.hidden = blocked || !waiting;
  const describedBy = blocked ? "block-reason progress" : waiting ? "pending-reason progress" : "progress";
  const send = /** @type {HTMLButtonElement} */ (
    el(doc, "button", { type: "button", id: "send", class: "primary", "aria-describedby": describedBy, "aria-keyshortcuts": "Enter" }, [
      plan.countdownSeconds > 0 ? t("sendWithCountdown", plan.countdownSeconds) : t("send"),
    ])
  );
  const cancel = /** @type {HTMLButtonElement} */ (
    el(doc, "button", { type: "button", id: "cancel", "aria-keyshortcuts": "Escape", title: t("cancelHint") }, [t("cancel")])
  );
  const element = el(doc, "footer", { class: "footer" }, [
    blockReason,
    pendingReason,
    el(doc, "div", { class: "actions" }, [
      el(doc, "div", { class: "status" }, [
        progress,
        // Enter sends only a mail that nothing blocks; while something does, the hint leaves it out.
        el(doc, "span", { class: "keys" }, [t(blocked ? "keyHintsBlocked" : "keyHints")]),
      ]),
      cancel,
      send,
    ]),
  ]);
  const update = () => {
    const { done, total } = ticks.progress();
    progress.textContent = total === 0 ? "" : t("progress", done, total);
    const ready = ticks.ready();
    send.disabled = !ready;
    send.title = blocked ? t("blocked") : waiting ? t("inspectingFooter") : ready ? "" : t("tickAllHint");
    element.classList.toggle("ready", ready);
  };
  ticks.onChange(update);
  return { element, send, cancel };
}

/**
 * The name and the address as text a person can also copy: `Name <address>`.
 * @param {Document} doc
 * @param {{ name: string | null, address: string }} r
 * @returns {(Node | string)[]}
 */
function mailboxParts(doc, r) {
  if (!r.name) return [el(doc, "span", { class: "address" }, [visible(r.address)])];
  return [el(doc, "span", { class: "name" }, [visible(r.name)]), el(doc, "span", { class: "address" }, [`<${visible(r.address)}>`])];
}

/**
 * The parts with a space between each two, so that the text reads (and copies) as words.
 * @param {(Node | string | null)[]} parts
 * @returns {(Node | string)[]}
 */
function spaced(parts) {
  /** @type {(Node | string)[]} */
  const out = [];
  for (const part of parts) {
    if (part === null) continue;
    if (out.length) out.push(" ");
    out.push(part);
  }
  return out;
}

/**
 * @param {{ name: string | null, address: string }} r
 */
function mailboxText(r) {
  return r.name ? `${visible(r.name)} <${visible(r.address)}>` : visible(r.address);
}

export { Ticks };
