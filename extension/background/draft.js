// @ts-check
/**
 * Gathers what the engine needs from a compose tab: recipients with address-book mailing
 * lists expanded into their members, the subject, the plain-text body and the attachments.
 *
 * Every call into Thunderbird here has a deadline, and whatever it answers is checked before
 * it is used: a call that hangs, throws or answers nonsense becomes a problem shown in the
 * dialog, and the entry is kept as it was typed, so that it is still listed for a tick.
 */
import { withDeadline } from "../common/deadline.js";
import { errorText, localized } from "../common/text.js";

/** How long one call may take before the Send goes on without its answer. */
export const TIMEOUTS = { parseMs: 2000, attachmentsMs: 5000 };

/**
 * @param {number} tabId
 * @param {any} details compose details, as given to onBeforeSend
 * @param {string[]} problems where to report what could not be gathered
 * @returns {Promise<import("../engine/engine.js").Draft>}
 */
export async function gatherDraft(tabId, details, problems) {
  details = details && typeof details === "object" ? details : {};
  const [to, cc, bcc, attachments] = await Promise.all([
    expand(details.to, problems),
    expand(details.cc, problems),
    expand(details.bcc, problems),
    listAttachments(tabId, problems),
  ]);
  return {
    from: typeof details.from === "string" ? details.from : null,
    to,
    cc,
    bcc,
    subject: typeof details.subject === "string" ? details.subject : "",
    body: typeof details.plainTextBody === "string" ? details.plainTextBody : "",
    attachments,
  };
}

/**
 * Mailing lists arrive as `ListName <ListName>`, or as `ListName <Description>` when the list
 * has a description; their members are listed one by one, each carrying the list's name.
 * Any entry whose address part is not an address is asked about, so that no form of a list
 * gets through as one unexpanded row while its members receive the mail unchecked.
 * The entries are expanded at the same time, so that the Send waits for one deadline at most.
 * @param {unknown} list
 * @param {string[]} problems
 * @returns {Promise<import("../engine/engine.js").DraftRecipient[]>}
 */
async function expand(list, problems) {
  const entries = Array.isArray(list) ? list : list ? [list] : [];
  const expanded = await Promise.all(entries.map((entry) => expandEntry(entry, problems)));
  return expanded.flat();
}

/**
 * @param {unknown} entry
 * @param {string[]} problems
 * @returns {Promise<import("../engine/engine.js").DraftRecipient[]>}
 */
async function expandEntry(entry, problems) {
  if (typeof entry !== "string") return [String(entry)];
  const listName = mayBeList(entry);
  if (listName === null) return [entry];
  try {
    // Thunderbird expands only an entry whose name and address part are the same, looked up
    // by that name (`getMailListFromName`), so the list is asked for in that form whatever
    // form the entry has.
    const members = await withDeadline(
      () => messenger.messengerUtilities.parseMailboxString(listForm(listName), { expandMailingLists: true }),
      TIMEOUTS.parseMs,
      "the address book (mailing list)",
    );
    const wellFormed = (/** @type {any} */ m) => m && typeof m === "object" && (m.email === undefined || typeof m.email === "string");
    if (!Array.isArray(members) || !members.every(wellFormed)) throw new Error(`unexpected answer ${clip(JSON.stringify(members))}`);
    /** @type {{ name?: string, email: string }[]} */
    const real = [];
    for (const m of members) if (typeof m.email === "string" && m.email.includes("@")) real.push({ name: m.name, email: m.email });
    if (real.length === 0) return [entry];
    return real.map((member) => ({ value: mailbox(typeof member.name === "string" ? member.name : undefined, member.email), list: listName }));
  } catch (error) {
    problems.push(localized(messenger.i18n, "problemMailingList", listName, errorText(error, messenger.i18n)));
    return [entry];
  }
}

/**
 * The list's name when the entry may be a mailing list: `Name <Name>`, `Name <Description>`,
 * or a bare name, that is any entry without an address in it.
 * @param {string} entry
 * @returns {string | null}
 */
export function mayBeList(entry) {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(entry);
  if (match) return match[2].includes("@") ? null : (match[1].trim() || match[2].trim());
  return entry.includes("@") || entry.trim() === "" ? null : entry.trim();
}

/**
 * `Name <Name>`, the form in which Thunderbird expands the mailing list called `name`.
 * @param {string} name
 */
function listForm(name) {
  return /[",<>()\\;:@[\]]/.test(name) ? `"${name.replace(/["\\]/g, "\\$&")}" <${name}>` : `${name} <${name}>`;
}

/**
 * @param {string | undefined} name
 * @param {string} email
 */
export function mailbox(name, email) {
  if (!name || name === email) return email;
  return `"${name.replace(/["\\]/g, "\\$&")}" <${email}>`;
}

/**
 * @param {number} tabId
 * @param {string[]} problems
 */
async function listAttachments(tabId, problems) {
  try {
    const attachments = await withDeadline(() => messenger.compose.listAttachments(tabId), TIMEOUTS.attachmentsMs, "the attachment list");
    if (!Array.isArray(attachments)) throw new Error(`unexpected answer ${clip(JSON.stringify(attachments))}`);
    // The id is Thunderbird's, for reading the file's bytes (`compose.getAttachmentFile`); the
    // engine ignores it.
    return attachments.map((/** @type {any} */ a) => ({
      id: typeof a?.id === "number" && Number.isInteger(a.id) ? a.id : null,
      name: typeof a?.name === "string" ? a.name : "",
      size: typeof a?.size === "number" && Number.isFinite(a.size) ? a.size : null,
    }));
  } catch (error) {
    problems.push(localized(messenger.i18n, "problemAttachments", errorText(error, messenger.i18n)));
    return [];
  }
}

/**
 * An answer as shown in a problem: short, whatever its size.
 * @param {string | undefined} text
 */
function clip(text) {
  const s = String(text);
  return s.length > 120 ? `${s.slice(0, 120)}…` : s;
}
