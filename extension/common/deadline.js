// @ts-check
/**
 * Deadlines for the awaits on the Send path.
 *
 * A pending `onBeforeSend` locks the compose window, so no call into Thunderbird that a Send
 * waits for may wait for ever: a call that hangs ends at its deadline with an error that says
 * which call it was and how long it was given, and the caller turns that error into a problem
 * shown in the dialog (or into Cancel when not even the dialog can open).
 */

/** The error of a call that did not answer in time. */
export class DeadlineError extends Error {
  /**
   * @param {string} what  the call, as a person reading the dialog would name it
   * @param {number} ms
   */
  constructor(what, ms) {
    super(`no answer from ${what} within ${ms / 1000} s`);
    this.name = "DeadlineError";
    this.what = what;
    this.ms = ms;
  }
}

/**
 * Settles like `promise`, or rejects with a `DeadlineError` once `ms` have passed. The timer
 * is cleared as soon as the promise settles, so that a quick answer leaves nothing running.
 * A call that throws synchronously (an API missing in this Thunderbird) rejects the same way.
 * @template T
 * @param {Promise<T> | (() => Promise<T>)} promise  the promise, or a function that starts the call
 * @param {number} ms
 * @param {string} what  the call, for the error
 * @returns {Promise<T>}
 */
export function withDeadline(promise, ms, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<never>} */
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
  });
  /** @type {Promise<T>} */
  let started;
  try {
    started = Promise.resolve(typeof promise === "function" ? promise() : promise);
  } catch (error) {
    started = Promise.reject(error);
  }
  return Promise.race([started, late]).finally(() => clearTimeout(timer));
}
