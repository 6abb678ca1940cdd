// @ts-check
/**
 * Runs first, while the dialog's modules are still loading. It takes the review to show from
 * the background's window (same process, no round trip: `extension.getBackgroundPage()` and
 * the background's `misendGuardDialogs.first`), then opens the port and says hello with the
 * version it has, so that the background sends only what is newer. Where the background's
 * window cannot be reached, the hello asks for the review instead.
 * Messages that arrive before dialog.js listens are kept, in order, and handed over by
 * `take`. A classic script, so that it runs as soon as it is parsed.
 */
(() => {
  performance.mark("misend-guard:connect");
  const request = new URLSearchParams(location.search).get("request") ?? "";
  const port = messenger.runtime.connect({ name: "dialog" });
  /** @type {unknown[]} */
  const early = [];
  /** @param {unknown} message */
  const keep = (message) => void early.push(message);
  port.onMessage.addListener(keep);
  /** @type {any} */
  let first = null;
  try {
    const background = /** @type {any} */ (messenger.extension?.getBackgroundPage?.());
    const taken = background?.misendGuardDialogs?.first(request);
    // Written out by the background's own JSON, in its own compartment, and read here: a
    // review of thousands of recipients copies in a few milliseconds, where a structured
    // clone reaches into the other window for every value.
    if (taken) first = JSON.parse(background.JSON.stringify(taken));
  } catch {
    first = null;
  }
  if (first) early.push(first);
  port.postMessage(first ? { type: "hello", request, has: first.version ?? 0 } : { type: "hello", request });
  /** @type {any} */ (globalThis).dialogChannel = {
    port,
    request,
    /** @param {(message: any) => void} listener  gets the kept messages, then every later one */
    take(listener) {
      port.onMessage.removeListener(keep);
      for (const message of early.splice(0)) listener(message);
      port.onMessage.addListener(listener);
    },
  };
})();
