// @ts-check
/**
 * Puts contacts into Thunderbird's address books and takes them out again, from Marionette's
 * chrome context, the way Thunderbird's own address book does it: a vCard made into a card by
 * `VCardUtils.vCardToAbCard`, stored by the book (`MailServices.ab`). One card at a time fires
 * the add-on's `contacts.onCreated`; `bulk` stores them in one transaction and fires
 * `contacts.onManyCreated`, as an import does.
 */

import { switchToMainWindow } from "./compose.mjs";

/** The personal address book, which every profile has. */
export const PERSONAL = "jsaddrbook://abook.sqlite";
/** Where Thunderbird collects the addresses a person sends to. */
export const COLLECTED = "jsaddrbook://history.sqlite";

/**
 * Adds contacts; returns their UIDs.
 *
 * @param {import("./marionette.mjs").Marionette} m
 * @param {string[]} vCards
 * @param {{ book?: string, bulk?: boolean }} [options]
 * @returns {Promise<string[]>}
 */
export async function addContacts(m, vCards, { book = PERSONAL, bulk = false } = {}) {
  await switchToMainWindow(m);
  return m.execute(
    `const [uri, vCards, bulk] = arguments;
     const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
     const { VCardUtils } = ChromeUtils.importESModule("resource:///modules/VCardUtils.sys.mjs");
     const book = MailServices.ab.getDirectory(uri);
     const cards = vCards.map((v) => VCardUtils.vCardToAbCard(v));
     if (bulk) {
       // bulkAddCards is not on the XPCOM interface, only on the JavaScript object behind it.
       await book.wrappedJSObject.bulkAddCards(cards);
       return cards.map((c) => c.UID);
     }
     return cards.map((c) => book.addCard(c).UID);`,
    [book, vCards, bulk],
  );
}

/**
 * Deletes contacts by UID.
 *
 * @param {import("./marionette.mjs").Marionette} m
 * @param {string[]} uids
 * @param {{ book?: string }} [options]
 */
export async function deleteContacts(m, uids, { book = PERSONAL } = {}) {
  await switchToMainWindow(m);
  await m.execute(
    `const [uri, uids] = arguments;
     const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
     const book = MailServices.ab.getDirectory(uri);
     const cards = book.childCards.filter((c) => uids.includes(c.UID));
     if (cards.length !== uids.length) throw new Error("only " + cards.length + " of " + uids.length + " contacts found");
     book.deleteCards(cards);`,
    [book, uids],
  );
}

/**
 * The e-mail addresses of every card in a book.
 *
 * @param {import("./marionette.mjs").Marionette} m
 * @param {string} [book]
 * @returns {Promise<string[]>}
 */
export async function bookAddresses(m, book = PERSONAL) {
  await switchToMainWindow(m);
  return m.execute(
    `const { MailServices } = ChromeUtils.importESModule("resource:///modules/MailServices.sys.mjs");
     return MailServices.ab.getDirectory(arguments[0]).childCards.flatMap((c) => c.emailAddresses);`,
    [book],
  );
}
