// @ts-check
/**
 * The background: gathers the draft, asks the engine, opens the dialog, answers `{cancel}`.
 *
 * One-click fixes (fixes.js) edit the background's copy of the draft while the dialog is
 * open; the compose window is only changed by the final Send, which returns the edited
 * recipients as `details`. Cancel after a fix therefore leaves the draft as it was.
 *
 * It holds no rule logic. Listeners are registered at the top level so that an event page
 * woken by a Send finds them.
 *
 * Architecture invariant (fail closed): whatever fails here (the engine, the policy, the
 * storage, the address book) the dialog is still shown with the problem, and a send is only
 * let through by the user's explicit Send in the dialog, or by a review that says no dialog
 * is needed. If not even the dialog can be opened, the send is cancelled and the draft stays.
 * Every await on the way to the dialog has a deadline (common/deadline.js), and anything that
 * throws on the way is Cancel, so a Send is never left pending with the compose window locked.
 *
 * Architecture invariant (a record write never holds up a Send): the confirmation record
 * (audit.js) is written after the answer has been returned, on a later task, with a deadline;
 * whatever the store does, the answer is the same.
 */
import { gatherDraft } from "./draft.js";
import { readAdminPolicy } from "../common/admin-policy.js";
import { reviewDraft } from "./review.js";
import { DialogRequests } from "./dialog-requests.js";
import { applyFix, recipientDetails } from "./fixes.js";
import { inspectAttachments } from "./inspection.js";
import { readLocalSettings } from "./settings.js";
import { dialogBounds } from "./bounds.js";
import { AddressBooks } from "./contacts.js";
import { SentIndex } from "./sent-index.js";
import { loadEngine } from "../engine/engine.js";
import { errorText, localized } from "../common/text.js";
import { AuditLog } from "./audit.js";
import { withDeadline } from "../common/deadline.js";

/** How long a Send waits for the stored Sent index to be read (not built). */
const SENT_INDEX_WAIT_MS = 1000;
/**
 * How long after the event page starts the housekeeping waits: the Sent index's catch-up (its
 * folder queries) and the pruning of old confirmation records. An event page is most often
 * woken by a Send, whose calls into Thunderbird and whose engine compile would otherwise share
 * the two cores with them (the cold Send measured 6–14 ms shorter, BENCHMARKS.md).
 */
const HOUSEKEEPING_DELAY_MS = 3000;

const requests = new DialogRequests();
// The dialog page takes its first review from here, in the same process (dialog/connect.js).
/** @type {any} */ (globalThis).misendGuardDialogs = { first: (/** @type {string} */ id) => requests.first(id) };
/** What the engine was last handed ahead of a Send, so that each hand-off brings both. */
const known = {
  /** @type {import("../engine/engine.js").ContactEntry[]} */
  contacts: [],
  /** @type {string[] | null} */
  sent: null,
};
const addressBooks = new AddressBooks(messenger, {
  onUpdated: (contacts) => {
    known.contacts = contacts;
    primeEngine();
  },
});
const sentIndex = new SentIndex(messenger, {
  onUpdated: (sent) => {
    known.sent = sent;
    primeEngine();
  },
});
const audit = new AuditLog();
/** @type {any} */ (globalThis).misendGuardAudit = audit;

// Thunderbird waits for the Promise the listener returns (the published types only know the
// plain answer).
messenger.compose.onBeforeSend.addListener((tab, details) => /** @type {any} */ (onBeforeSend(tab, details)));
messenger.runtime.onConnect.addListener((port) => requests.connect(port));
messenger.windows.onRemoved.addListener((windowId) => requests.windowClosed(windowId));
messenger.compose.onAfterSend.addListener((tab, info) => void audit.delivered(tab.id, info));
messenger.runtime.onMessage.addListener((/** @type {any} */ message) => onMessage(message));
addressBooks.watch();
sentIndex.watch();

// The engine is loaded now rather than on the first Send, so that the first dialog of a
// session does not wait for the WebAssembly module to compile. A failure here is not
// reported: the Send that needs the engine reports it in its dialog.
loadEngine().catch(() => {});
// Likewise the address books: read now (or restored from the copy kept while the event page
// slept), so that a Send does not wait for them.
addressBooks.warm();
// And the Sent index: loaded now, then brought up to date page by page: at once when it was
// never built, a few seconds later when only a catch-up is due. A Send never waits for it.
sentIndex.loaded().then(() => (sentIndex.pending.building ? sentIndex.start() : later(() => sentIndex.start())));
// Records older than the retention last resolved are deleted soon; a Send does not wait for it.
later(() => audit.pruneAtStartup());

console.log("misend-guard: background ready");

/**
 * The options page's requests about the Sent index: its status, and Clear.
 * @param {any} message
 * @returns {Promise<unknown> | undefined}
 */
function onMessage(message) {
  if (message?.type === "sentIndex.status") return sentIndex.status();
  if (message?.type === "sentIndex.clear") return sentIndex.clear().then(() => sentIndex.status());
  return undefined;
}

/**
 * Hands the engine the address books and the Sent index as soon as they are read or change,
 * with an empty draft: it parses and indexes them now (about 60–100 ms for 10,000 addresses)
 * and keeps them, so that the next Send does not wait for that. Nothing is reported from here:
 * a Send that finds a problem reports it in its dialog.
 */
async function primeEngine() {
  try {
    const lang = messenger.i18n.getUILanguage();
    const [policy, local] = await Promise.all([readAdminPolicy(), readLocalSettings([])]);
    await reviewDraft({}, policy, lang, [], local.user, known.contacts, known.sent);
  } catch {
    // See above.
  }
}

/**
 * @param {messenger.tabs.Tab} tab the compose tab
 * @param {messenger.compose.ComposeDetails} details the compose details
 * @returns {Promise<{ cancel: boolean, details?: { to: string[], cc: string[], bcc: string[] } }>}
 */
async function onBeforeSend(tab, details) {
  const time = new Date();
  /** @type {{ outcome: import("./audit.js").Outcome | null }} */
  const trace = { outcome: null };
  /** @type {{ cancel: boolean, details?: { to: string[], cc: string[], bcc: string[] } }} */
  let result;
  try {
    result = await reviewAndAsk(tab, details, trace);
  } catch (error) {
    console.error("misend-guard: the send could not be reviewed; it is cancelled and the draft stays", error);
    result = { cancel: true };
  }
  // Recorded after the answer, on a later task; nothing here can throw or wait.
  if (trace.outcome) {
    try {
      audit.afterSend(tab.id, time, { ...trace.outcome, action: result.cancel && trace.outcome.action === "sent" ? "failed" : trace.outcome.action });
    } catch (error) {
      console.error("misend-guard: the confirmation record could not be started", error);
    }
  }
  return result;
}

/**
 * @param {messenger.tabs.Tab} tab
 * @param {messenger.compose.ComposeDetails} details
 * @param {{ outcome: import("./audit.js").Outcome | null }} trace  what the Send came to, for the record
 * @returns {Promise<{ cancel: boolean, details?: { to: string[], cc: string[], bcc: string[] } }>}
 */
async function reviewAndAsk(tab, details, trace) {
  const started = performance.now();
  // A compose tab always has an id; without one the draft cannot be read, which is Cancel.
  if (tab.id === undefined) throw new Error("the compose tab has no id");
  const tabId = tab.id;
  const lang = messenger.i18n.getUILanguage();
  /** @type {string[]} */
  const problems = [];
  /** @type {string[]} what the dialog says about checks that ran with less than usual */
  const notices = [];
  const [gathered, policy, local, early] = await Promise.all([
    gatherDraft(tabId, details, problems),
    readAdminPolicy(),
    readLocalSettings(problems),
    addressBooks.contacts(problems, notices),
    // The stored Sent index (one storage read), for a Send that woke the event page; never its
    // build. Late, the Send goes on without it and the dialog says so.
    withDeadline(() => sentIndex.loaded(), SENT_INDEX_WAIT_MS, "the Sent index").catch(() => {}),
  ]);
  // The addresses kept from the last run, taken while the address books' full read ran, give
  // way to the full copy if that read has ended since: Thunderbird converts every card in its
  // own process for it, and may answer the Send's other calls only after it.
  let contacts = early;
  if (notices.length > 0 && addressBooks.complete) {
    notices.length = 0;
    contacts = await addressBooks.contacts(problems, notices);
  }
  // Until here the Send waits for Thunderbird's answers (the attachments' list and managed
  // storage): with many recipients Thunderbird's own process is busy for a while after it
  // fires onBeforeSend (a bare popup's windows.create waits as long), which the log tells apart
  // from the check's own time.
  const gatheredAt = performance.now();
  if (policy.earlierCopy) problems.push(earlierCopyNotice(policy.earlierCopy));
  // The first review goes out with every attachment pending, so that the dialog opens at once;
  // the findings about their contents follow when the inspection is done.
  const sources = (gathered.attachments ?? []).map((a) => ({ id: a.id ?? null, name: a.name, size: a.size ?? null }));
  const draft = withContents(gathered, sources.map(() => ({ state: "pending" })));
  // The Sent index as it is now, without waiting: null while it is first built.
  const sent = sentIndex.forReview();
  const review = await reviewDraft(draft, policy, lang, problems, local.user, contacts, sent);
  const reviewedAt = performance.now();
  console.log(
    `misend-guard: reviewed in ${(reviewedAt - started).toFixed(1)} ms ` +
      `(gathering ${(gatheredAt - started).toFixed(1)} ms, the check ${(reviewedAt - gatheredAt).toFixed(1)} ms): ` +
      `verdict ${review.verdict}, ${review.recipients.length} recipients, dialog ${review.dialog.show ? "shown" : "skipped"}`,
  );
  const inspecting = sources.length > 0 && review.inspection?.enabled === true;
  const abort = new AbortController();
  /** @type {Promise<import("./inspection.js").Contents[]> | null} */
  const inspected = inspecting ? inspect(sources, review, abort.signal) : null;

  // The mail as the dialog shows it: the original, the attachments' contents once inspected,
  // and the fixes applied to it. Every change goes through `change`, one at a time, so that a
  // fix and the inspection's result never overwrite each other.
  let current = { draft, review, problems, applied: /** @type {import("./fixes.js").Applied[]} */ ([]), version: 0 };
  /** @type {Promise<unknown>} */
  let queue = Promise.resolve();
  /**
   * @template T
   * @param {() => Promise<T>} step
   * @returns {Promise<T>}
   */
  const change = (step) => {
    const next = queue.then(step);
    queue = next.catch(() => {});
    return next;
  };

  /** @type {(action: import("./audit.js").AuditAction, dialogMs: number) => void} */
  const note = (action, dialogMs) => {
    // A failure the dialog showed is recorded as such unless the person sent anyway.
    const failed = current.review.failure && action !== "sent";
    trace.outcome = { review: current.review, draft: current.draft, applied: current.applied, action: failed ? "failed" : action, dialogMs };
  };
  if (review.dialog?.show === false && !review.failure && review.verdict !== "block" && problems.length === 0) {
    note("sent", 0);
    if (!inspected) return { cancel: false };
    // Nothing to confirm so far, but the contents are not known yet: the mail goes only if
    // the review of its inspected attachments says no dialog is needed either.
    const contents = await inspected;
    /** @type {string[]} */
    const again = [...problems];
    const final = await reviewDraft(withContents(draft, contents), policy, lang, again, local.user, contacts, sent);
    logInspection(contents, started);
    current = { ...current, draft: withContents(draft, contents), review: final, problems: again, version: 1 };
    note("sent", 0);
    if (final.dialog?.show === false && !final.failure && final.verdict !== "block" && again.length === 0) return { cancel: false };
  }

  const fix = (/** @type {unknown} */ requested) =>
    change(async () => {
      try {
        const next = applyFix(current.draft, current.review, requested);
        if (next) {
          /** @type {string[]} */
          const again = [...problems];
          const nextReview = await reviewDraft(next.draft, policy, lang, again, local.user, contacts, sent);
          current = { draft: next.draft, review: nextReview, problems: again, applied: [...current.applied, next.applied], version: current.version + 1 };
        }
      } catch (error) {
        return { ...current, problems: [...current.problems, localized(messenger.i18n, "problemFixFailed", errorText(error, messenger.i18n))] };
      }
      return current;
    });
  /** @type {(push: (shown: import("./dialog-requests.js").Shown) => void) => void} */
  const updates = (push) => {
    if (!inspected || current.version > 0) return;
    inspected
      .then((contents) =>
        change(async () => {
          logInspection(contents, started);
          const edited = withContents(current.draft, contents);
          /** @type {string[]} */
          const again = [...problems];
          const nextReview = await reviewDraft(edited, policy, lang, again, local.user, contacts, sent);
          current = { ...current, draft: edited, review: nextReview, problems: again, version: current.version + 1 };
          push(current);
        }),
      )
      .catch((error) => {
        // Not expected (every attachment ends inspected or failed, and the engine's own failure
        // is a review): the dialog keeps Send disabled on the pending attachments, and says why.
        console.error("misend-guard: the attachments' findings could not be shown", error);
        push({ ...current, problems: [...current.problems, localized(messenger.i18n, "problemInspection", errorText(error, messenger.i18n))], version: current.version + 1 });
      });
  };
  const opened = performance.now();
  try {
    const answer = await requests.open({
      review: current.review,
      draft: current.draft,
      problems: current.problems,
      composeTabId: tabId,
      composeWindowId: tab.windowId,
      notices: sent === null ? [...notices, sentIndexNotice(sentIndex.pending.error)] : notices,
      display: local.display,
      bounds: dialogBounds(local.dialogBounds, current.review, globalThis.screen ?? null),
      fix,
      updates,
    });
    note(answer.how ?? (answer.send ? "sent" : "cancelled"), performance.now() - opened);
    if (!answer.send) return { cancel: true };
    if (current.applied.length > 0) {
      console.log(`misend-guard: sending with ${current.applied.length} fix(es) applied to the recipients`);
      return { cancel: false, details: recipientDetails(current.draft) };
    }
    return { cancel: false };
  } catch (error) {
    console.error("misend-guard: the confirmation dialog could not be shown; the send is cancelled", error);
    note("failed", performance.now() - opened);
    return { cancel: true };
  } finally {
    // A dialog answered (or closed) before the inspection ended: the worker is stopped.
    abort.abort();
  }
}

/**
 * The draft with each attachment's `contents` set, in order.
 * @param {import("../engine/engine.js").Draft} draft
 * @param {import("../engine/engine.js").AttachmentContents[]} contents
 * @returns {import("../engine/engine.js").Draft}
 */
function withContents(draft, contents) {
  return { ...draft, attachments: (draft.attachments ?? []).map((a, i) => (contents[i] ? { ...a, contents: contents[i] } : a)) };
}

/**
 * Inspects the attachments in a worker, within the limits and the deadline of the review's
 * `inspection`.
 * @param {import("./inspection.js").Source[]} sources
 * @param {import("../engine/engine.js").Review} review
 * @param {AbortSignal} signal
 */
function inspect(sources, review, signal) {
  const inspection = /** @type {import("./inspection.js").Inspection} */ (/** @type {unknown} */ (review.inspection));
  return inspectAttachments(sources, inspection, {
    read: (id) => messenger.compose.getAttachmentFile(id),
    startWorker: typeof Worker === "function" ? startInspectionWorker : null,
    signal,
  });
}

/**
 * What the background has done that tests of a real Thunderbird observe from outside (the
 * e2e suite reads it through the background page's globals): how many inspection workers it
 * started, each of which loads the inspector's wasm module.
 */
const stats = { inspectionWorkers: 0, inspections: 0 };
/** @type {any} */ (globalThis).misendGuardStats = stats;

function startInspectionWorker() {
  stats.inspectionWorkers++;
  return new Worker(new URL("../inspect/worker.js", import.meta.url), { type: "module" });
}

/**
 * @param {import("./inspection.js").Contents[]} contents
 * @param {number} started
 */
function logInspection(contents, started) {
  stats.inspections++;
  const states = contents.map((c) => (c.state === "failed" ? `failed (${c.reason}: ${c.detail})` : c.state));
  console.log(`misend-guard: attachments inspected ${(performance.now() - started).toFixed(1)} ms after Send: ${states.join(", ")}`);
}

/**
 * Runs `task` once the event page has been up for `HOUSEKEEPING_DELAY_MS`.
 * @param {() => unknown} task
 */
function later(task) {
  setTimeout(task, Math.max(0, HOUSEKEEPING_DELAY_MS - performance.now()));
}

/**
 * The notice that the Sent index is not ready, so that no recipient is judged first-time.
 * @param {string | null} error why the index could not be built, if it failed
 */
function sentIndexNotice(error) {
  return error ? localized(messenger.i18n, "noticeSentIndexFailed", error) : localized(messenger.i18n, "noticeSentIndexBuilding");
}

/**
 * The notice that the admin's policy could not be read now and the copy kept from an
 * earlier read applies.
 * @param {{ reason: string, savedAt: string | null }} copy
 */
function earlierCopyNotice(copy) {
  return localized(messenger.i18n, "policyEarlierCopy", copy.reason, copy.savedAt ?? "?");
}
