// @ts-check
/**
 * Runs first, while the dialog's modules are still loading: opens the port to the background
 * and says hello, so that the review is on its way while the page gets ready to show it.
 * Messages that arrive before dialog.js listens are kept, in order, and handed over by
 * `take`. A classic script, so that it runs as soon as it is parsed.
 */
(() => {
  const request = new URLSearchParams(location.search).get("request") ?? "";
  const port = messenger.runtime.connect({ name: "dialog" });
  /** @type {unknown[]} */
  const early = [];
  /** @param {unknown} message */
  const keep = (message) => void early.push(message);
  port.onMessage.addListener(keep);
  port.postMessage({ type: "hello", request });
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
