// @ts-check
/**
 * A local SMTP server that accepts everything and records each message.
 *
 * It speaks just enough SMTP for Thunderbird with `authMethod=1` and no TLS:
 * no AUTH, no STARTTLS, no PIPELINING.
 */

import net from "node:net";

/**
 * @typedef {object} SinkMessage
 * @property {string} mailFrom  the envelope sender, without angle brackets
 * @property {string[]} rcptTo  every envelope recipient, without angle brackets
 * @property {string} data      the raw DATA, dot-unstuffed, CRLF line ends kept
 * @property {number} receivedAt  Date.now() when the final dot arrived
 */

export class SmtpSink {
  /** @type {SinkMessage[]} */
  messages = [];
  /** @type {net.Server} */
  #server;
  /** @type {Set<net.Socket>} */
  #sockets = new Set();
  /** @type {Set<() => void>} */
  #waiters = new Set();
  port = 0;

  constructor() {
    this.#server = net.createServer((socket) => this.#session(socket));
  }

  /** Listens on 127.0.0.1 with a port the system picks. */
  async start() {
    await new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(0, "127.0.0.1", () => resolve(undefined));
    });
    const address = this.#server.address();
    if (!address || typeof address === "string") throw new Error("SMTP sink has no port");
    this.port = address.port;
    return this;
  }

  async stop() {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(() => resolve(undefined)));
  }

  /** Forgets the messages received so far. */
  clear() {
    this.messages = [];
  }

  /**
   * Resolves with the message number `index` (default: the next one not yet
   * seen when the call was made), or rejects after `timeoutMs`.
   *
   * @param {number} [timeoutMs]
   * @param {{index?: number}} [opts]
   * @returns {Promise<SinkMessage>}
   */
  waitForMessage(timeoutMs = 10000, { index = this.messages.length } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.messages.length > index) {
          clearTimeout(timer);
          this.#waiters.delete(check);
          resolve(this.messages[index]);
        }
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`SMTP sink: no message #${index + 1} within ${timeoutMs} ms (have ${this.messages.length})`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  /** @param {net.Socket} socket */
  #session(socket) {
    this.#sockets.add(socket);
    socket.on("close", () => this.#sockets.delete(socket));
    socket.on("error", () => {});
    const reply = (/** @type {string} */ line) => socket.write(`${line}\r\n`);

    /** @type {{mailFrom: string, rcptTo: string[]}} */
    let envelope = { mailFrom: "", rcptTo: [] };
    let inData = false;
    /** @type {Buffer[]} */
    let dataChunks = [];
    let pending = Buffer.alloc(0);

    const finishData = () => {
      const raw = Buffer.concat(dataChunks).toString("utf8");
      dataChunks = [];
      inData = false;
      // Undo dot-stuffing (RFC 5321 4.5.2).
      const data = raw.replace(/^\.\./gm, ".");
      this.messages.push({ ...envelope, rcptTo: [...envelope.rcptTo], data, receivedAt: Date.now() });
      envelope = { mailFrom: "", rcptTo: [] };
      reply("250 2.0.0 OK queued");
      for (const waiter of [...this.#waiters]) waiter();
    };

    /** @param {string} line */
    const command = (line) => {
      const verb = line.slice(0, 4).toUpperCase();
      const arg = line.slice(4).trim();
      const address = () => (arg.match(/<([^>]*)>/)?.[1] ?? arg.replace(/^(FROM|TO):/i, "").trim());
      switch (verb) {
        case "EHLO":
          reply("250-localhost");
          reply("250-8BITMIME");
          reply("250-SIZE 104857600");
          reply("250 SMTPUTF8");
          break;
        case "HELO":
          reply("250 localhost");
          break;
        case "MAIL":
          envelope = { mailFrom: address(), rcptTo: [] };
          reply("250 2.1.0 OK");
          break;
        case "RCPT":
          envelope.rcptTo.push(address());
          reply("250 2.1.5 OK");
          break;
        case "DATA":
          inData = true;
          dataChunks = [];
          reply("354 End data with <CR><LF>.<CR><LF>");
          break;
        case "RSET":
          envelope = { mailFrom: "", rcptTo: [] };
          reply("250 OK");
          break;
        case "NOOP":
          reply("250 OK");
          break;
        case "QUIT":
          reply("221 Bye");
          socket.end();
          break;
        default:
          reply("502 5.5.2 Command not implemented");
      }
    };

    socket.on("data", (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (inData) {
          // DATA ends with CRLF "." CRLF; the CRLF before the dot belongs to the body.
          // An empty body is just "." CRLF.
          const text = pending.toString("latin1");
          const empty = text.startsWith(".\r\n");
          const end = empty ? 0 : text.indexOf("\r\n.\r\n");
          if (end < 0) return;
          dataChunks = [pending.subarray(0, empty ? 0 : end + 2)];
          pending = pending.subarray(empty ? 3 : end + 5);
          finishData();
          continue;
        }
        const eol = pending.indexOf("\r\n");
        if (eol < 0) return;
        const line = pending.subarray(0, eol).toString("utf8");
        pending = pending.subarray(eol + 2);
        command(line);
      }
    });

    reply("220 localhost misend-guard e2e SMTP sink");
  }
}

/** Creates and starts a sink. */
export async function startSmtpSink() {
  return new SmtpSink().start();
}
