// @ts-check
/**
 * A minimal Marionette client: TCP, packets framed as `<byte length>:<json>`.
 *
 * Commands are `[0, id, name, params]`, replies are `[1, id, error, result]`.
 * Every command has a client-side timeout so that a wedged Thunderbird fails
 * the test instead of hanging it.
 */

import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/** The key under which WebDriver serialises an element reference. */
export const ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf";

/**
 * Wraps a function body so that `await` works in it.
 * Marionette evaluates scripts as a plain function and awaits a returned promise;
 * an arrow function shares that function's `arguments`.
 *
 * @param {string} script
 */
export function asyncBody(script) {
  return `return (async () => {\n${script}\n})();`;
}

export class MarionetteError extends Error {
  /**
   * @param {string} command
   * @param {{error?: string, message?: string, stacktrace?: string}} err
   */
  constructor(command, err) {
    super(`${command}: ${err.error ?? "error"}: ${err.message ?? ""}`);
    this.name = "MarionetteError";
    this.error = err.error;
    this.stacktrace = err.stacktrace;
  }
}

export class Marionette {
  /** @type {net.Socket | null} */
  #socket = null;
  #buffer = Buffer.alloc(0);
  #nextId = 1;
  /** @type {Map<number, {resolve: (v: any) => void, reject: (e: Error) => void, timer: NodeJS.Timeout}>} */
  #pending = new Map();
  /** @type {((packet: any) => void) | null} */
  #onHello = null;
  #closed = false;

  /**
   * Connects once; rejects when nothing listens or no hello arrives.
   *
   * @param {number} port
   * @param {{host?: string, timeoutMs?: number}} [opts]
   */
  static async connect(port, { host = "127.0.0.1", timeoutMs = 5000 } = {}) {
    const client = new Marionette();
    await client.#open(host, port, timeoutMs);
    return client;
  }

  /**
   * Retries `connect` until Marionette listens, for a freshly launched browser.
   *
   * @param {number} port
   * @param {{timeoutMs?: number, isAlive?: () => boolean}} [opts]
   */
  static async connectWithRetry(port, { timeoutMs = 30000, isAlive = () => true } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    while (Date.now() < deadline) {
      if (!isAlive()) {
        throw new Error("Thunderbird exited before Marionette was reachable");
      }
      try {
        return await Marionette.connect(port, { timeoutMs: 3000 });
      } catch (e) {
        lastError = e;
        await sleep(150);
      }
    }
    throw new Error(`Marionette on port ${port} not reachable after ${timeoutMs} ms: ${lastError}`);
  }

  /**
   * @param {string} host
   * @param {number} port
   * @param {number} timeoutMs
   */
  #open(host, port, timeoutMs) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no Marionette hello within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.on("data", (chunk) => this.#onData(chunk));
      socket.on("close", () => this.#onClose());
      this.#onHello = (hello) => {
        clearTimeout(timer);
        if (hello.marionetteProtocol !== 3) {
          reject(new Error(`unexpected Marionette hello: ${JSON.stringify(hello)}`));
          return;
        }
        socket.on("error", () => {});
        resolve(undefined);
      };
      this.#socket = socket;
    });
  }

  /** @param {Buffer} chunk */
  #onData(chunk) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const colon = this.#buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.#buffer.subarray(0, colon).toString("ascii"));
      if (this.#buffer.length < colon + 1 + length) return;
      const body = this.#buffer.subarray(colon + 1, colon + 1 + length).toString("utf8");
      this.#buffer = this.#buffer.subarray(colon + 1 + length);
      this.#onPacket(JSON.parse(body));
    }
  }

  /** @param {any} packet */
  #onPacket(packet) {
    if (!Array.isArray(packet)) {
      const onHello = this.#onHello;
      this.#onHello = null;
      onHello?.(packet);
      return;
    }
    const [type, id, error, result] = packet;
    if (type !== 1) return;
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (error) {
      pending.reject(error);
    } else {
      pending.resolve(result);
    }
  }

  #onClose() {
    this.#closed = true;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`Marionette connection closed (command ${id} unanswered)`));
    }
    this.#pending.clear();
  }

  get closed() {
    return this.#closed;
  }

  /**
   * Sends one command and waits for its reply.
   *
   * @param {string} name
   * @param {object} [params]
   * @param {{timeoutMs?: number}} [opts]
   * @returns {Promise<any>}
   */
  send(name, params = {}, { timeoutMs = 30000 } = {}) {
    const socket = this.#socket;
    if (!socket || this.#closed) {
      return Promise.reject(new Error(`Marionette connection closed (sending ${name})`));
    }
    const id = this.#nextId++;
    const body = Buffer.from(JSON.stringify([0, id, name, params]), "utf8");
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`Marionette ${name} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve,
        reject: (err) =>
          reject(err instanceof Error ? err : new MarionetteError(name, err)),
        timer,
      });
      socket.write(Buffer.concat([Buffer.from(`${body.length}:`, "ascii"), body]));
    });
  }

  /** @param {object} [capabilities] */
  async newSession(capabilities = {}) {
    return this.send("WebDriver:NewSession", { capabilities: { alwaysMatch: capabilities } });
  }

  /** @param {"chrome" | "content"} context */
  async setContext(context) {
    await this.send("Marionette:SetContext", { value: context });
  }

  /** @param {{script?: number, implicit?: number, pageLoad?: number}} timeouts */
  async setTimeouts(timeouts) {
    await this.send("WebDriver:SetTimeouts", timeouts);
  }

  /** @returns {Promise<string[]>} */
  async getWindowHandles() {
    const r = await this.send("WebDriver:GetWindowHandles");
    return Array.isArray(r) ? r : r.value;
  }

  /** @returns {Promise<string>} */
  async getWindowHandle() {
    const r = await this.send("WebDriver:GetWindowHandle");
    return typeof r === "string" ? r : r.value;
  }

  /** @param {string} handle */
  async switchToWindow(handle) {
    await this.send("WebDriver:SwitchToWindow", { handle, focus: false });
  }

  /** @returns {Promise<string>} */
  async getCurrentUrl() {
    const r = await this.send("WebDriver:GetCurrentURL");
    return typeof r === "string" ? r : r.value;
  }

  /**
   * Runs `script` as the body of an async function, so it may use `await`
   * and `arguments`; the returned promise is awaited.
   *
   * @param {string} script
   * @param {unknown[]} [args]
   * @param {{timeoutMs?: number}} [opts]
   */
  async execute(script, args = [], { timeoutMs = 30000 } = {}) {
    const r = await this.send(
      "WebDriver:ExecuteScript",
      { script: asyncBody(script), args },
      { timeoutMs: timeoutMs + 5000 },
    );
    return r?.value;
  }

  /**
   * Runs `script` with a `resolve` callback as its last argument.
   *
   * @param {string} script
   * @param {unknown[]} [args]
   * @param {{timeoutMs?: number}} [opts]
   */
  async executeAsync(script, args = [], { timeoutMs = 30000 } = {}) {
    const r = await this.send("WebDriver:ExecuteAsyncScript", { script, args }, { timeoutMs: timeoutMs + 5000 });
    return r?.value;
  }

  /**
   * @param {string} selector
   * @param {string} [using]
   * @returns {Promise<{[ELEMENT_KEY]: string}>}
   */
  async findElement(selector, using = "css selector") {
    const r = await this.send("WebDriver:FindElement", { using, value: selector });
    return r.value;
  }

  /** @param {{[ELEMENT_KEY]: string}} element */
  async clickElement(element) {
    await this.send("WebDriver:ElementClick", { id: element[ELEMENT_KEY] });
  }

  /**
   * A PNG of the current window (chrome context: the whole chrome window).
   *
   * @returns {Promise<Buffer>}
   */
  async takeScreenshot() {
    const r = await this.send("WebDriver:TakeScreenshot", { full: false, hash: false });
    return Buffer.from(typeof r === "string" ? r : r.value, "base64");
  }

  /** Asks the application to quit; resolves when it answered or the socket closed. */
  async quit({ timeoutMs = 10000 } = {}) {
    try {
      await this.send("Marionette:Quit", { flags: ["eForceQuit"] }, { timeoutMs });
    } catch {
      // The socket usually closes before or right after the answer.
    }
  }

  close() {
    this.#socket?.destroy();
  }
}
