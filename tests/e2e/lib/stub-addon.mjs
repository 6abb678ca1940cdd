// @ts-check
/**
 * A throwaway stand-in for the real add-on, used only to check the harness itself.
 *
 * It follows the same contract as Misend Guard (gecko id, ready line, popup,
 * dialog DOM, managed-storage internalDomains) with none of its rules, so the
 * harness and the scenarios can be exercised before `cargo xtask dist` exists:
 *
 *     MISEND_GUARD_XPI=$(node tests/e2e/lib/stub-addon.mjs) node --test tests/e2e/
 *
 * Passing scenarios against this stub prove nothing about the product.
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

import { ADDON_ID } from "./thunderbird.mjs";

export const STUB_FILES = {
  "manifest.json": JSON.stringify(
    {
      manifest_version: 3,
      name: "Misend Guard e2e stub",
      version: "0.0.0.1",
      browser_specific_settings: { gecko: { id: ADDON_ID, strict_min_version: "128.0" } },
      background: { scripts: ["background.js"] },
      permissions: ["compose", "storage"],
      default_locale: "en",
    },
    null,
    2,
  ),
  "_locales/en/messages.json": JSON.stringify({ send: { message: "Send" }, cancel: { message: "Cancel" } }),
  "_locales/ja/messages.json": JSON.stringify({ send: { message: "送信" }, cancel: { message: "キャンセル" } }),
  "background.js": `
const pending = new Map();
messenger.compose.onBeforeSend.addListener(async (tab, details) => {
  let policy = {};
  try { policy = await messenger.storage.managed.get(); } catch (e) { policy = {}; }
  const attachments = await messenger.compose.listAttachments(tab.id);
  const id = String(Date.now()) + Math.random().toString(36).slice(2);
  const request = {
    details: { to: details.to, cc: details.cc, bcc: details.bcc },
    attachments: attachments.map(a => ({ name: a.name, size: a.size })),
    internalDomains: policy.internalDomains || [],
  };
  let resolve;
  const decided = new Promise(r => { resolve = r; });
  pending.set(id, { resolve, request, windowId: null });
  const win = await messenger.windows.create({ type: "popup", url: "dialog/dialog.html?request=" + id, width: 640, height: 480 });
  if (pending.has(id)) pending.get(id).windowId = win.id;
  return decided;
});
messenger.windows.onRemoved.addListener(windowId => {
  for (const [id, p] of pending) {
    if (p.windowId === windowId) { pending.delete(id); p.resolve({ cancel: true }); }
  }
});
messenger.runtime.onMessage.addListener(msg => {
  const p = pending.get(msg.request);
  if (!p) return undefined;
  if (msg.type === "get") return Promise.resolve(p.request);
  if (msg.type === "decide") {
    pending.delete(msg.request);
    p.resolve({ cancel: !msg.send });
    if (p.windowId !== null) messenger.windows.remove(p.windowId);
  }
  return undefined;
});
// Keep the event page alive while a dialog is pending (see thunderbird-facts.md).
setInterval(() => { if (pending.size) messenger.runtime.getPlatformInfo(); }, 1000);
console.log("misend-guard: background ready");
`,
  "dialog/dialog.html": `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Misend Guard</title></head>
<body>
<ul id="problems" hidden></ul>
<section id="internal"><h2>Internal</h2></section>
<section id="external"><h2>External</h2></section>
<section id="attachments"><h2>Attachments</h2></section>
<button id="cancel"></button> <button id="send" disabled></button>
<script src="dialog.js"></script>
</body></html>
`,
  "dialog/dialog.js": `
const request = new URLSearchParams(location.search).get("request");
const address = s => (s.match(/<([^>]+)>/) || [null, s])[1].trim();
function row(kind, data, text) {
  const label = document.createElement("label");
  label.dataset.kind = kind;
  Object.assign(label.dataset, data);
  const box = document.createElement("input");
  box.type = "checkbox";
  box.addEventListener("change", update);
  label.append(box, " " + text);
  const li = document.createElement("div");
  li.append(label);
  return li;
}
function update() {
  document.getElementById("send").disabled = [...document.querySelectorAll("input[type=checkbox]")].some(b => !b.checked);
}
function decide(send) { messenger.runtime.sendMessage({ type: "decide", request, send }); }
(async () => {
  const r = await messenger.runtime.sendMessage({ type: "get", request });
  document.documentElement.lang = messenger.i18n.getUILanguage();
  document.getElementById("send").textContent = messenger.i18n.getMessage("send");
  document.getElementById("cancel").textContent = messenger.i18n.getMessage("cancel");
  const internal = d => r.internalDomains.some(p => p === d || (p.startsWith("*.") && d.endsWith(p.slice(1))));
  for (const field of ["to", "cc", "bcc"]) {
    for (const entry of r.details[field] || []) {
      const addr = address(entry);
      const domain = addr.split("@")[1] || "";
      const cls = internal(domain) ? "internal" : "external";
      const el = row("recipient", { field, address: addr, class: cls, domain }, field + ": " + addr);
      if (cls === "internal") {
        document.getElementById("internal").append(el);
      } else {
        let group = document.querySelector('[data-domain-group="' + CSS.escape(domain) + '"]');
        if (!group) {
          group = document.createElement("div");
          group.dataset.domainGroup = domain;
          document.getElementById("external").append(group);
        }
        group.append(el);
      }
    }
  }
  for (const a of r.attachments) {
    document.getElementById("attachments").append(row("attachment", { name: a.name, size: String(a.size) }, a.name));
  }
  document.getElementById("send").addEventListener("click", () => decide(true));
  document.getElementById("cancel").addEventListener("click", () => decide(false));
  document.addEventListener("keydown", e => { if (e.key === "Escape") decide(false); });
  update();
  document.documentElement.dataset.ready = "1";
})();
`,
};

/**
 * Writes a stored (uncompressed) zip; enough for an .xpi.
 *
 * @param {string} file
 * @param {Record<string, string>} entries  name -> UTF-8 text
 */
export function writeZip(file, entries) {
  /** @type {Buffer[]} */
  const parts = [];
  /** @type {Buffer[]} */
  const central = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const nameBuf = Buffer.from(name, "utf8");
    const data = Buffer.from(text, "utf8");
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(0, 10);
    header.writeUInt32LE(0, 12);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(data.length, 20);
    header.writeUInt32LE(data.length, 24);
    header.writeUInt16LE(nameBuf.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, nameBuf);
    parts.push(local, nameBuf, data);
    offset += local.length + nameBuf.length + data.length;
  }
  const centralBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  fs.writeFileSync(file, Buffer.concat([...parts, centralBuf, end]));
}

/**
 * Builds the stub .xpi and returns its path.
 * `files` lets a harness check break the stub on purpose, to see a scenario fail.
 *
 * @param {string} [file]
 * @param {Record<string, string>} [files]
 */
export function buildStubXpi(
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "misend-guard-stub-")), "stub.xpi"),
  files = STUB_FILES,
) {
  writeZip(file, files);
  return file;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(buildStubXpi(process.argv[2] ? path.resolve(process.argv[2]) : undefined));
}
