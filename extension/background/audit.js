// @ts-check
/**
 * The local confirmation record (issue #10): one record per Send, written to IndexedDB after
 * the Send has been answered, so that an admin can see afterwards what the dialog showed and
 * what the person did.
 *
 * Architecture invariant: a record write never holds up a Send. The record is written only
 * after `onBeforeSend` has its answer, on a later task; the write has a deadline; its
 * failure is only logged. The answer given to Thunderbird is the same with or without the
 * record, whatever the store does.
 *
 * Whether to record, for how long, and with the subject or not come from the review
 * (`review.auditLog`), which the engine resolved from the admin's policy and the person's own
 * settings; the background never reads the policy itself. A review that could not apply the
 * policy (`failure`) carries no settings of its own: the ones last resolved by the engine
 * apply, kept in `storage.local` so that they outlive the event page.
 *
 * Nothing here leaves the PC: the records are in the add-on's own IndexedDB, and only the
 * options page reads them, to show and export them as files the person saves.
 */
import { withDeadline } from "../common/deadline.js";
import { AuditStore, recordId, retentionCutoff } from "../common/audit-store.js";

/** How long a record write may take; then it is given up (and only logged). */
export const TIMEOUTS = { writeMs: 5000, settingsMs: 2000 };

/** Sends awaiting Thunderbird's word on their delivery, at most. */
const MAX_AWAITING = 100;

/** Where the settings last resolved by the engine are kept. */
export const SETTINGS_KEY = "auditLogSettings";

/**
 * @typedef {{ enabled: boolean, retentionDays: number, subjects: boolean }} AuditSettings
 * @typedef {import("../common/audit-store.js").AuditAction} AuditAction
 * @typedef {import("../common/audit-store.js").AuditRecord} AuditRecord
 * @typedef {{ review: import("../engine/engine.js").Review, draft: import("../engine/engine.js").Draft,
 *             applied: import("./fixes.js").Applied[], action: AuditAction, dialogMs: number }} Outcome
 *   what the Send came to: the review as last shown, the mail as last changed, the fixes made
 */

/**
 * @param {unknown} value
 * @returns {AuditSettings | null}
 */
function settingsFrom(value) {
  const v = /** @type {any} */ (value);
  if (!v || typeof v !== "object" || typeof v.enabled !== "boolean") return null;
  const days = Number.isInteger(v.retentionDays) && v.retentionDays > 0 ? v.retentionDays : 90;
  return { enabled: v.enabled, retentionDays: days, subjects: v.subjects === true };
}

/**
 * The record of one Send.
 * @param {Outcome} outcome
 * @param {Date} time when Send was pressed
 * @param {AuditSettings} settings
 * @returns {AuditRecord}
 */
export function buildRecord(outcome, time, settings) {
  const { review, draft, applied, action, dialogMs } = outcome;
  /** @type {AuditRecord} */
  const record = {
    v: 1,
    id: recordId(time),
    time: time.toISOString(),
    identity: review.sender?.address ?? fromAddress(draft.from),
    recipients: (review.recipients ?? []).map((r) => ({ address: r.address, field: r.field, class: r.class })),
    attachments: (review.attachments ?? []).map((a) => ({ name: a.name, size: typeof a.size === "number" ? a.size : null })),
    findings: (review.findings ?? []).map((f) => ({ code: f.code, severity: f.severity })),
    verdict: review.verdict,
    action,
    fixes: applied.map((a) => a.kind),
    dialogMs: Math.max(0, Math.round(dialogMs)),
    delivered: null,
  };
  if (settings.subjects) record.subject = typeof draft.subject === "string" ? draft.subject : "";
  return record;
}

/**
 * The address of a From line (`Name <a@b>` or `a@b`).
 * @param {unknown} from
 */
function fromAddress(from) {
  if (typeof from !== "string") return "";
  return (/<([^>]*)>/.exec(from)?.[1] ?? from).trim();
}

export class AuditLog {
  /**
   * @param {{ store?: AuditStore, storage?: { get: Function, set: Function } | null, now?: () => Date }} [options]
   */
  constructor({ store = new AuditStore(), storage = globalThis.messenger?.storage?.local ?? null, now = () => new Date() } = {}) {
    this.store = store;
    this.storage = storage;
    this.now = now;
    /** @type {AuditSettings | null} the settings last resolved by the engine */
    this.last = null;
    /**
     * The record of each compose tab whose mail was let through, until Thunderbird says
     * whether it went out: the record's id and its write.
     * @type {Map<number, { id: string, written: Promise<boolean> }>}
     */
    this.awaiting = new Map();
    /** Every write started, for tests and for the start-up pruning to follow. @type {Promise<unknown>} */
    this.idle = Promise.resolve();
  }

  /**
   * The settings for a review: its own, or, when it could not apply the policy, the ones
   * last resolved by the engine.
   * @param {import("../engine/engine.js").Review} review
   * @returns {Promise<AuditSettings | null>}
   */
  async settingsFor(review) {
    const own = review.failure ? null : settingsFrom(review.auditLog);
    if (own) {
      if (JSON.stringify(own) !== JSON.stringify(this.last)) {
        this.last = own;
        await withDeadline(() => this.storage?.set({ [SETTINGS_KEY]: own }), TIMEOUTS.settingsMs, "storage.local").catch(() => {});
      }
      return own;
    }
    return this.last ?? (await this.savedSettings());
  }

  /** @returns {Promise<AuditSettings | null>} */
  async savedSettings() {
    try {
      const stored = await withDeadline(() => this.storage?.get(SETTINGS_KEY), TIMEOUTS.settingsMs, "storage.local");
      this.last ??= settingsFrom(stored?.[SETTINGS_KEY]);
    } catch {
      // No settings known: nothing is recorded, as with the defaults.
    }
    return this.last;
  }

  /**
   * Records one Send, on a later task, after its answer has gone back to Thunderbird. Never
   * throws and never rejects: a failed write is logged, and the Send is not affected.
   * @param {number | undefined} tabId
   * @param {Date} time when Send was pressed
   * @param {Outcome} outcome
   */
  afterSend(tabId, time, outcome) {
    /** @type {(written: boolean) => void} */
    let done = () => {};
    /** @type {Promise<boolean>} */
    const written = new Promise((resolve) => (done = resolve));
    // The id is reserved now, so that an `onAfterSend` that comes before the write finds it.
    const reserved = { id: "", written };
    if (outcome.action === "sent" && tabId !== undefined) {
      this.awaiting.set(tabId, reserved);
      // A Send whose delivery Thunderbird never reports (the window closed while sending) is
      // not kept waiting for ever: the oldest entries go.
      for (const key of this.awaiting.keys()) {
        if (this.awaiting.size <= MAX_AWAITING) break;
        this.awaiting.delete(key);
      }
    }
    const run = async () => {
      try {
        const settings = await this.settingsFor(outcome.review);
        if (!settings?.enabled) return false;
        const record = buildRecord(outcome, time, settings);
        reserved.id = record.id;
        await withDeadline(() => this.store.add(record), TIMEOUTS.writeMs, "the confirmation record");
        await withDeadline(() => this.store.deleteBefore(retentionCutoff(this.now(), settings.retentionDays)), TIMEOUTS.writeMs, "the confirmation record").catch(
          (error) => console.error("misend-guard: old confirmation records could not be deleted", error),
        );
        return true;
      } catch (error) {
        console.error("misend-guard: the confirmation record could not be written; the Send is not affected", error);
        return false;
      }
    };
    const task = new Promise((resolve) => setTimeout(resolve, 0)).then(run).then((ok) => {
      done(ok);
      return ok;
    });
    this.idle = Promise.all([this.idle, task]);
    return task;
  }

  /**
   * Thunderbird's word on a Send that was let through (`compose.onAfterSend`): the record of
   * that compose tab gets `delivered`.
   * @param {number | undefined} tabId
   * @param {{ mode?: string, error?: string } | undefined} info
   */
  delivered(tabId, info) {
    const task = this.markDelivered(tabId, info);
    this.idle = Promise.all([this.idle, task]);
    return task;
  }

  /**
   * @param {number | undefined} tabId
   * @param {{ mode?: string, error?: string } | undefined} info
   */
  async markDelivered(tabId, info) {
    if (tabId === undefined) return;
    const reserved = this.awaiting.get(tabId);
    if (!reserved) return;
    this.awaiting.delete(tabId);
    // Only sending now delivers; a mail put in the Outbox has not gone out yet.
    const delivered = info?.error ? false : info?.mode === "sendNow" || info?.mode === undefined ? true : null;
    if (delivered === null) return;
    try {
      if (!(await withDeadline(reserved.written, TIMEOUTS.writeMs, "the confirmation record"))) return;
      await withDeadline(() => this.store.update(reserved.id, { delivered }), TIMEOUTS.writeMs, "the confirmation record");
    } catch (error) {
      console.error("misend-guard: the confirmation record could not be updated with the delivery", error);
    }
  }

  /**
   * At start-up: deletes the records older than the retention last resolved by the engine.
   * Nothing is deleted before the engine has resolved settings once.
   */
  async pruneAtStartup() {
    try {
      const settings = await this.savedSettings();
      if (!settings) return;
      await withDeadline(() => this.store.deleteBefore(retentionCutoff(this.now(), settings.retentionDays)), TIMEOUTS.writeMs, "the confirmation record");
    } catch (error) {
      console.error("misend-guard: old confirmation records could not be deleted at start-up", error);
    }
  }
}
