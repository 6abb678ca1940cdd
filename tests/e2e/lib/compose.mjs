// @ts-check
/**
 * Drives Thunderbird's compose window the way a person does:
 * open it with recipients, subject, body and attachments, then click Send.
 *
 * All scripts run in Marionette's chrome context.
 */

import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { SENDER } from "./thunderbird.mjs";

const COMPOSE_URL = "chrome://messenger/content/messengercompose/messengercompose.xhtml";

/**
 * @typedef {object} Draft
 * @property {string[]} [to]
 * @property {string[]} [cc]
 * @property {string[]} [bcc]
 * @property {string} [subject]
 * @property {string} [body]  plain text
 * @property {string[]} [attachments]  absolute file paths
 * @property {string} [from]  the identity's address; default the test sender
 */

/**
 * @typedef {object} ComposeState
 * @property {string[]} to
 * @property {string[]} cc
 * @property {string[]} bcc
 * @property {string} subject
 * @property {string} body
 * @property {string[]} attachments  file names
 * @property {boolean} locked  true while Thunderbird holds the window for sending
 */

/**
 * Finds the window handle whose chrome window carries `marker`.
 *
 * @param {import("./marionette.mjs").Marionette} m
 * @param {string} marker
 */
async function handleWithMarker(m, marker) {
  for (const handle of await m.getWindowHandles()) {
    await m.switchToWindow(handle);
    if ((await m.execute("return window.__misendGuardE2e ?? null;")) === marker) return handle;
  }
  return null;
}

/** The main window's handle per connection, to avoid probing every window each time. */
const mainHandles = new WeakMap();

/**
 * Switches to the main window (messenger.xhtml) to run scripts from,
 * or to any open chrome window other than `except` if it is gone.
 *
 * @param {import("./marionette.mjs").Marionette} m
 * @param {string} [except]
 */
export async function switchToMainWindow(m, except) {
  const handles = await m.getWindowHandles();
  const cached = mainHandles.get(m);
  if (cached && cached !== except && handles.includes(cached)) {
    await m.switchToWindow(cached);
    return cached;
  }
  for (const handle of handles) {
    if (handle === except) continue;
    await m.switchToWindow(handle);
    if ((await m.getCurrentUrl()) === "chrome://messenger/content/messenger.xhtml") {
      mainHandles.set(m, handle);
      return handle;
    }
  }
  const fallback = handles.find((h) => h !== except);
  if (!fallback) throw new Error("no chrome window left to run scripts in");
  await m.switchToWindow(fallback);
  return fallback;
}

export class ComposeWindow {
  /**
   * @param {import("./marionette.mjs").Marionette} marionette
   * @param {string} handle
   * @param {string} marker
   */
  constructor(marionette, handle, marker) {
    this.marionette = marionette;
    this.handle = handle;
    this.marker = marker;
  }

  /** True while this compose window exists. */
  async isOpen() {
    return (await this.marionette.getWindowHandles()).includes(this.handle);
  }

  /** Waits until Thunderbird closed the window (it does so after sending). */
  async waitForClosed(timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!(await this.isOpen())) return;
      await sleep(100);
    }
    throw new Error(`compose window still open after ${timeoutMs} ms`);
  }

  /**
   * Clicks the toolbar's Send button with a WebDriver element click.
   *
   * @returns {Promise<number>} Date.now() just before the click
   */
  async clickSend() {
    const m = this.marionette;
    await m.switchToWindow(this.handle);
    const button = await m.findElement("#button-send");
    const clickedAt = Date.now();
    await m.clickElement(button);
    return clickedAt;
  }

  /**
   * Reads back what the compose window holds.
   *
   * @returns {Promise<ComposeState>}
   */
  async read() {
    const m = this.marionette;
    await m.switchToWindow(this.handle);
    return m.execute(`
      const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
      const fields = Cc["@mozilla.org/messengercompose/composefields;1"].createInstance(Ci.nsIMsgCompFields);
      Recipients2CompFields(fields);
      const emails = (header) => header ? MailServices.headerParser.parseDecodedHeader(header).map(a => a.email) : [];
      const editor = document.getElementById("messageEditor");
      return {
        to: emails(fields.to),
        cc: emails(fields.cc),
        bcc: emails(fields.bcc),
        subject: document.getElementById("msgSubject").value,
        body: editor.contentDocument.body.innerText.replace(/\\n+$/, ""),
        attachments: gAttachmentBucket.itemChildren.map(item => item.attachment.name),
        locked: Boolean(gWindowLocked),
      };
    `);
  }

  /** Closes the window without Thunderbird's "save draft?" question (cleanup between tests). */
  async discard() {
    const m = this.marionette;
    if (!(await this.isOpen())) return;
    await m.switchToWindow(this.handle);
    await m.execute("gContentChanged = false; if (gMsgCompose) gMsgCompose.bodyModified = false; setTimeout(() => window.close(), 0);");
    await this.waitForClosed(5000);
  }

  /** Waits until the window is no longer locked by a send in progress. */
  async waitForUnlocked(timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    /** @type {ComposeState | null} */
    let state = null;
    while (Date.now() < deadline) {
      state = await this.read();
      if (!state.locked) return state;
      await sleep(100);
    }
    throw new Error(`compose window still locked after ${timeoutMs} ms: ${JSON.stringify(state)}`);
  }
}

/**
 * Opens a compose window with the draft and waits until it is ready to send.
 *
 * @param {import("./marionette.mjs").Marionette} m  in chrome context
 * @param {Draft} draft
 * @returns {Promise<ComposeWindow>}
 */
export async function openCompose(m, draft) {
  const marker = `compose-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const spec = {
    to: draft.to ?? [],
    cc: draft.cc ?? [],
    bcc: draft.bcc ?? [],
    subject: draft.subject ?? "",
    body: draft.body ?? "",
    attachments: (draft.attachments ?? []).map((p) => path.resolve(p)),
    from: draft.from ?? SENDER.email,
    marker,
  };
  await switchToMainWindow(m);
  await m.execute(
    `
    const [spec] = arguments;
    const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
    const identity = MailServices.accounts.allIdentities.find(i => i.email === spec.from);
    if (!identity) throw new Error("no identity for " + spec.from);
    const fields = Cc["@mozilla.org/messengercompose/composefields;1"].createInstance(Ci.nsIMsgCompFields);
    fields.to = spec.to.join(", ");
    fields.cc = spec.cc.join(", ");
    fields.bcc = spec.bcc.join(", ");
    fields.subject = spec.subject;
    fields.body = spec.body;
    for (const filePath of spec.attachments) {
      const file = Cc["@mozilla.org/file/local;1"].createInstance(Ci.nsIFile);
      file.initWithPath(filePath);
      const attachment = Cc["@mozilla.org/messengercompose/attachment;1"].createInstance(Ci.nsIMsgAttachment);
      attachment.url = Services.io.newFileURI(file).spec;
      attachment.name = file.leafName;
      attachment.size = file.fileSize;
      fields.addAttachment(attachment);
    }
    const params = Cc["@mozilla.org/messengercompose/composeparams;1"].createInstance(Ci.nsIMsgComposeParams);
    params.type = Ci.nsIMsgCompType.New;
    params.format = Ci.nsIMsgCompFormat.PlainText;
    params.identity = identity;
    params.composeFields = fields;
    // Mark the new window so the harness can find its Marionette handle.
    const observer = {
      observe(subject) {
        const win = subject;
        win.addEventListener("load", () => {
          if (win.location.href === ${JSON.stringify(COMPOSE_URL)} && !win.__misendGuardE2e) {
            win.__misendGuardE2e = spec.marker;
            Services.ww.unregisterNotification(observer);
          }
        }, { once: true });
      },
    };
    Services.ww.registerNotification(observer);
    MailServices.compose.OpenComposeWindowWithParams(null, params);
    return true;
    `,
    [spec],
  );

  // Wait for the window, then for its editor and fields to be filled in.
  const deadline = Date.now() + 20000;
  /** @type {string | null} */
  let handle = null;
  while (!handle && Date.now() < deadline) {
    handle = await handleWithMarker(m, marker);
    if (!handle) await sleep(100);
  }
  if (!handle) throw new Error("compose window did not open within 20 s");
  await m.switchToWindow(handle);
  const ready = await m.execute(
    `
    const [expectedAttachments, timeoutMs] = arguments;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (window.composeEditorReady && window.gLoadingComplete && !window.gWindowLocked &&
          window.gAttachmentBucket && gAttachmentBucket.itemChildren.length === expectedAttachments) {
        return true;
      }
      await new Promise(r => setTimeout(r, 50));
    }
    return false;
    `,
    [spec.attachments.length, 15000],
    { timeoutMs: 20000 },
  );
  if (!ready) throw new Error("compose window did not become ready within 15 s");
  return new ComposeWindow(m, handle, marker);
}
