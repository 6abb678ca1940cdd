// @ts-check
/**
 * Gathers what the engine needs from a compose tab: recipients with address-book mailing
 * lists expanded into their members, the subject, the plain-text body and the attachments.
 */

/**
 * @param {number} tabId
 * @param {any} details compose details, as given to onBeforeSend
 * @param {string[]} problems where to report what could not be gathered
 * @returns {Promise<import("../engine/engine.js").Draft>}
 */
export async function gatherDraft(tabId, details, problems) {
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
    subject: details.subject ?? "",
    body: details.plainTextBody ?? "",
    attachments,
  };
}

/**
 * Mailing lists arrive as `ListName <ListName>`; their members are listed one by one,
 * each carrying the list's name.
 * @param {unknown} list
 * @param {string[]} problems
 * @returns {Promise<import("../engine/engine.js").DraftRecipient[]>}
 */
async function expand(list, problems) {
  const entries = Array.isArray(list) ? list : list ? [list] : [];
  /** @type {import("../engine/engine.js").DraftRecipient[]} */
  const out = [];
  for (const entry of entries) {
    if (typeof entry !== "string") {
      out.push(String(entry));
      continue;
    }
    if (!looksLikeList(entry)) {
      out.push(entry);
      continue;
    }
    try {
      const listName = entry.slice(0, entry.indexOf("<")).trim().replace(/^"|"$/g, "");
      const members = await messenger.messengerUtilities.parseMailboxString(entry, { expandMailingLists: true });
      const real = members.filter((m) => m.email && m.email.includes("@"));
      if (real.length === 0) {
        out.push(entry);
        continue;
      }
      for (const member of real) {
        out.push({ value: mailbox(member.name, member.email), list: listName });
      }
    } catch (error) {
      problems.push(`mailing list ${entry}: ${error}`);
      out.push(entry);
    }
  }
  return out;
}

/**
 * `Name <Name>`: the form Thunderbird gives a mailing list.
 * @param {string} entry
 */
function looksLikeList(entry) {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(entry);
  return match !== null && !match[2].includes("@") && match[1].trim() === match[2].trim();
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
    const attachments = await messenger.compose.listAttachments(tabId);
    return attachments.map((/** @type {{ name?: string, size?: number }} */ a) => ({ name: a.name ?? "", size: a.size ?? null }));
  } catch (error) {
    problems.push(`attachments could not be listed: ${error}`);
    return [];
  }
}
