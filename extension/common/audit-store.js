// @ts-check
/**
 * The confirmation record's storage: IndexedDB database `misend-guard-audit`, object store
 * `records`, one record per Send, keyed by `id`.
 *
 * A record's id starts with its time (ISO 8601, UTC) and ends with a few random hex digits,
 * so the store's own key order is the time order: the oldest records are the first keys, and
 * "older than" is one key range, with no index to keep.
 *
 * Shared by the background (which writes) and the options page (which reads, exports and
 * deletes). Nothing here leaves the PC.
 *
 * The record's shape is fixed by the export format that `misend-guard audit` reads
 * (`v`, `id`, `time`, `identity`, `recipients`, `attachments`, `findings`, `verdict`,
 * `action`, `fixes`, `dialogMs`, `delivered`, and `subject` only when the policy says so).
 */

export const DB_NAME = "misend-guard-audit";
export const STORE = "records";
export const DB_VERSION = 1;

/**
 * @typedef {{ address: string, field: string, class: string }} AuditRecipient
 * @typedef {{ name: string, size: number | null }} AuditAttachment
 * @typedef {{ code: string, severity: string }} AuditFinding
 * @typedef {"sent" | "cancelled" | "closed" | "refused" | "failed"} AuditAction
 * @typedef {{ v: 1, id: string, time: string, identity: string, recipients: AuditRecipient[],
 *             attachments: AuditAttachment[], findings: AuditFinding[], verdict: string,
 *             action: AuditAction, fixes: string[], dialogMs: number,
 *             delivered: boolean | null, subject?: string }} AuditRecord
 */

/**
 * Share of the records deleted, oldest first, when the store is full, before the write is
 * tried again: enough that the next writes do not hit the quota at once.
 */
const QUOTA_PRUNE_SHARE = 0.1;

/**
 * A new record id: the time, then four random hex digits so that two Sends in the same
 * millisecond do not collide.
 * @param {Date} time
 */
export function recordId(time) {
  const random = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `${time.toISOString()}-${random}`;
}

/**
 * @template T
 * @param {IDBRequest<T>} request
 * @returns {Promise<T>}
 */
function settled(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Resolves when the transaction commits, rejects with its error when it aborts (a full store
 * aborts the transaction with a `QuotaExceededError`).
 * @param {IDBTransaction} tx
 * @returns {Promise<void>}
 */
function committed(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException("the transaction was aborted", "AbortError"));
  });
}

/** @param {unknown} error */
export function isQuotaError(error) {
  return error instanceof Object && "name" in error && /** @type {{ name: unknown }} */ (error).name === "QuotaExceededError";
}

export class AuditStore {
  /**
   * @param {IDBFactory} [factory] IndexedDB (the page's own by default)
   */
  constructor(factory = globalThis.indexedDB) {
    this.factory = factory;
    /** @type {Promise<IDBDatabase> | null} */
    this.opened = null;
  }

  /** @returns {Promise<IDBDatabase>} */
  db() {
    this.opened ??= new Promise((resolve, reject) => {
      if (!this.factory) {
        reject(new Error("IndexedDB is not available here"));
        return;
      }
      const request = this.factory.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another page (the options page deleting the database, a newer version) asks us to
        // close: the next call opens it again.
        db.onversionchange = () => {
          db.close();
          this.opened = null;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("the confirmation record's database is blocked by another page"));
    });
    // A failed open is not kept: the next write tries again.
    this.opened.catch(() => {
      this.opened = null;
    });
    return this.opened;
  }

  /**
   * Writes one record. A full store is pruned oldest first and the write tried once more.
   * @param {AuditRecord} record
   */
  async add(record) {
    try {
      await this.put(record);
    } catch (error) {
      if (!isQuotaError(error)) throw error;
      const count = await this.count();
      await this.deleteOldest(Math.max(1, Math.ceil(count * QUOTA_PRUNE_SHARE)));
      await this.put(record);
    }
  }

  /**
   * One write, in its own transaction.
   * @param {AuditRecord} record
   */
  async put(record) {
    const db = await this.db();
    const tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).put(record);
    await committed(tx);
  }

  /**
   * Changes the fields of one record, if it is still there.
   * @param {string} id
   * @param {Partial<AuditRecord>} fields
   * @returns {Promise<boolean>} whether the record was there
   */
  async update(id, fields) {
    const db = await this.db();
    const tx = db.transaction(STORE, "readwrite");
    const store = tx.objectStore(STORE);
    const found = await settled(store.get(id));
    if (found) store.put({ ...found, ...fields, id });
    await committed(tx);
    return Boolean(found);
  }

  /** @returns {Promise<number>} */
  async count() {
    const db = await this.db();
    return settled(db.transaction(STORE).objectStore(STORE).count());
  }

  /**
   * Deletes every record older than `cutoff`.
   * @param {Date} cutoff
   */
  async deleteBefore(cutoff) {
    const db = await this.db();
    const tx = db.transaction(STORE, "readwrite");
    // An id starts with its time, so every id below the cutoff's time is older.
    tx.objectStore(STORE).delete(IDBKeyRange.upperBound(cutoff.toISOString(), true));
    await committed(tx);
  }

  /**
   * Deletes the `n` oldest records.
   * @param {number} n
   */
  async deleteOldest(n) {
    const db = await this.db();
    const tx = db.transaction(STORE, "readwrite");
    const keys = await settled(tx.objectStore(STORE).getAllKeys(null, n));
    if (keys.length > 0) tx.objectStore(STORE).delete(IDBKeyRange.bound(keys[0], keys[keys.length - 1]));
    await committed(tx);
  }

  /**
   * Every record, newest first.
   * @returns {Promise<AuditRecord[]>}
   */
  async all() {
    const db = await this.db();
    const records = await settled(db.transaction(STORE).objectStore(STORE).getAll());
    return /** @type {AuditRecord[]} */ (records).reverse();
  }

  /** Deletes every record. */
  async clear() {
    const db = await this.db();
    const tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).clear();
    await committed(tx);
  }
}

/**
 * The time before which records are deleted.
 * @param {Date} now
 * @param {number} retentionDays
 */
export function retentionCutoff(now, retentionDays) {
  return new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
}
