// @ts-check
/**
 * An .eml file into the test mail, with postal-mime (vendored from npm by `cargo xtask www`):
 * it decodes ISO-2022-JP, Shift_JIS and EUC-JP through the browser's TextDecoder, RFC 2047
 * and RFC 2231 names, multipart bodies, base64 and quoted-printable.
 *
 * Bcc stays a recipient (a saved draft has it); attachments keep their decoded names and real
 * sizes; inline images of an HTML body are part of the body, as in the compose window, and
 * are not attachments; an HTML-only body becomes plain text, which is what the engine reads.
 */
import "./text-decoder-fix.js";
import PostalMime from "../vendor/postal-mime/postal-mime.js";
import { htmlToText } from "../vendor/postal-mime/text-format.js";

/** Files larger than this are refused before parsing, so that a huge file cannot hang the tab. */
export const MAX_EML_BYTES = 30 * 1024 * 1024;

/** A header value is not an address list of reasonable size past this many entries. */
const MAX_ADDRESSES = 2000;

export class EmlTooLarge extends Error {}

/**
 * @typedef {import("./mail-form.js").Mail} Mail
 * @typedef {{ name?: string, address?: string, group?: { name?: string, address?: string }[] }} PostalAddress
 */

/**
 * A display name quoted when it holds characters that RFC 5322 only allows in a quoted
 * string, so that the engine's address parser reads it back as one name.
 * @param {string} name
 * @param {string} address
 */
export function formatMailbox(name, address) {
  const n = name.trim();
  if (!n) return address;
  const safe = /^[^"(),.:;<>@[\\\]]*$/.test(n) ? n : `"${n.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return address ? `${safe} <${address}>` : safe;
}

/**
 * @param {PostalAddress[] | PostalAddress | undefined} list
 * @returns {string[]}
 */
function mailboxes(list) {
  const out = [];
  for (const entry of Array.isArray(list) ? list : list ? [list] : []) {
    const members = Array.isArray(entry.group) ? entry.group : [entry];
    for (const m of members) {
      if (!m.address && !m.name) continue;
      out.push(formatMailbox(m.name ?? "", m.address ?? ""));
      if (out.length >= MAX_ADDRESSES) return out;
    }
  }
  return out;
}

/**
 * @param {unknown} content
 * @returns {number | null}
 */
function byteLength(content) {
  if (content instanceof ArrayBuffer) return content.byteLength;
  if (ArrayBuffer.isView(content)) return content.byteLength;
  if (typeof content === "string") return new TextEncoder().encode(content).byteLength;
  return null;
}

/**
 * Parses an .eml (bytes or text) into the test mail; a mail says nothing of the PC's address
 * books or Sent folders, so the caller keeps its own.
 * @param {ArrayBuffer | Uint8Array | string} source
 * @param {(key: string, ...subs: (string | number)[]) => string} t for the name of an unnamed attachment
 * @returns {Promise<Omit<Mail, "contacts" | "sent">>}
 */
export async function emlToMail(source, t) {
  const size = typeof source === "string" ? source.length : source.byteLength;
  if (size > MAX_EML_BYTES) throw new EmlTooLarge();
  const email = await PostalMime.parse(source, { attachmentEncoding: "arraybuffer" });
  const body = typeof email.text === "string" && email.text.trim() !== "" ? email.text : email.html ? htmlToText(email.html) : "";
  return {
    from: mailboxes(/** @type {any} */ (email.from))[0] ?? "",
    to: mailboxes(/** @type {any} */ (email.to)),
    cc: mailboxes(/** @type {any} */ (email.cc)),
    bcc: mailboxes(/** @type {any} */ (email.bcc)),
    subject: email.subject ?? "",
    body: body.replace(/\r\n/g, "\n").replace(/^\n+|\s+$/g, ""),
    attachments: email.attachments
      .filter((a) => !(a.related && a.contentId && a.disposition !== "attachment"))
      .map((a) => ({ name: a.filename || t("unnamedAttachment", a.mimeType), size: byteLength(a.content) })),
  };
}
