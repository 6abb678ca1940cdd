// @ts-check
/**
 * Reads the admin's policy from managed storage (Thunderbird's policies.json →
 * `3rdparty.Extensions["misend-guard@misend-guard.org"]`).
 *
 * A read can fail or hang in some Thunderbird versions, so it is bounded by a timeout and
 * tried twice. A missing policy is not an error: the defaults apply. Any other failure is
 * returned as `error`, which makes the engine apply the strictest checks and show why.
 */

const TIMEOUT_MS = 2000;

/** @typedef {{ policy: unknown, error: string | null }} AdminPolicy */

/** @returns {Promise<AdminPolicy>} */
export async function readAdminPolicy() {
  let lastError = "";
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const value = await withTimeout(messenger.storage.managed.get(null), TIMEOUT_MS);
      const policy = value && Object.keys(value).length > 0 ? value : null;
      return { policy, error: null };
    } catch (error) {
      const message = String(error instanceof Error ? error.message : error);
      // Firefox and Thunderbird report "no managed storage for this add-on" like this.
      if (/manifest not found/i.test(message)) {
        return { policy: null, error: null };
      }
      lastError = message;
    }
  }
  return { policy: null, error: lastError };
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer from managed storage within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
