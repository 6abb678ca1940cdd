// @ts-check
/**
 * Reads the admin's policy from managed storage (Thunderbird's policies.json →
 * `3rdparty.Extensions["misend-guard@misend-guard.org"]`).
 *
 * A read can fail or hang in some Thunderbird versions, so it is bounded by a deadline and
 * tried twice. A missing policy is not an error: the defaults apply.
 *
 * Every policy read successfully is kept in `storage.local` (written when it differs from the
 * copy kept before). When managed storage cannot be read, that earlier copy applies, and the
 * dialog says so: the admin's rules keep working through a hiccup of Thunderbird's storage.
 * Only with no earlier copy is the failure returned as `error`, which makes the engine refuse
 * the Send (`Checker.unreadable`) and show why.
 */
import { withDeadline } from "./deadline.js";
import { errorText } from "./text.js";

/** How long one read of managed storage, or of the kept copy, may take. */
export const TIMEOUTS = { managedMs: 2000, copyMs: 2000 };

/** The `storage.local` key of the last policy read successfully. */
export const COPY_KEY = "adminPolicyCopy";

/**
 * @typedef {{ policy: unknown, error: string | null, earlierCopy?: { reason: string, savedAt: string | null } | null }} AdminPolicy
 *   `earlierCopy`: set when managed storage could not be read and `policy` is the copy kept
 *   from an earlier read; `reason` is why the read failed
 */

/** The policy as last written to the copy in this background's life, as JSON. */
let remembered = /** @type {string | null} */ (null);

/** @returns {Promise<AdminPolicy>} */
export async function readAdminPolicy() {
  let lastError = "";
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // What a faulty Thunderbird may answer is not what the types promise, so it is checked.
      const value = /** @type {unknown} */ (await withDeadline(() => messenger.storage.managed.get(null), TIMEOUTS.managedMs, "managed storage"));
      // Managed storage answers an object; anything else is a fault of the read, not "no policy".
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new Error(`managed storage answered ${typeof value === "string" ? JSON.stringify(value.slice(0, 80)) : String(value)}`);
      }
      const policy = Object.keys(value).length > 0 ? value : null;
      keep(policy);
      return { policy, error: null };
    } catch (error) {
      const message = errorText(error, globalThis.messenger?.i18n);
      // Firefox and Thunderbird report "no managed storage for this add-on" like this.
      if (/manifest not found/i.test(message)) {
        keep(null);
        return { policy: null, error: null };
      }
      lastError = message;
    }
  }
  const copy = await earlierCopy();
  if (copy) return { policy: copy.policy, error: null, earlierCopy: { reason: lastError, savedAt: copy.savedAt } };
  return { policy: null, error: lastError };
}

/**
 * Keeps the policy read now, unless it is the one kept before. The write is not awaited: a
 * Send never waits for it, and a failed write only leaves the older copy in place.
 * @param {unknown} policy
 */
function keep(policy) {
  const json = JSON.stringify(policy);
  if (json === remembered) return;
  remembered = json;
  try {
    messenger.storage.local.set({ [COPY_KEY]: { policy, savedAt: new Date().toISOString() } }).catch(() => {
      remembered = null;
    });
  } catch {
    remembered = null;
  }
}

/** @returns {Promise<{ policy: unknown, savedAt: string | null } | null>} */
async function earlierCopy() {
  try {
    const stored = await withDeadline(() => messenger.storage.local.get(COPY_KEY), TIMEOUTS.copyMs, "local storage");
    const copy = stored?.[COPY_KEY];
    if (copy && typeof copy === "object" && "policy" in copy) {
      return { policy: copy.policy ?? null, savedAt: typeof copy.savedAt === "string" ? copy.savedAt : null };
    }
  } catch {
    // No copy to fall back on: the caller refuses the Send and shows why.
  }
  return null;
}
