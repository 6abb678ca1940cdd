// @ts-check
/**
 * Address autocomplete turned off by the admin, as the README shows: Thunderbird's
 * `Preferences` policy in policies.json sets and locks `mail.enable_autocomplete` to false,
 * and Thunderbird's own address-book autocomplete (the search behind the To field) then
 * finds nobody, although the contact is in the address book. The same search finds the
 * contact once the preference is true again, so the search itself works. The policy's
 * `Preferences` does not accept `ldap_2.` preferences, which the README says too.
 *
 * Run with `node --test tests/e2e/autocomplete-policy.test.mjs` after `cargo xtask dist`.
 */
import assert from "node:assert/strict";
import { test } from "node:test";

import { addContacts } from "./lib/address-book.mjs";
import { switchToMainWindow } from "./lib/compose.mjs";
import { withThunderbird } from "./lib/thunderbird.mjs";

/** The `policies` part of policies.json that the README shows admins. */
const PREFERENCES = {
  Preferences: {
    "mail.enable_autocomplete": { Value: false, Status: "locked" },
    "ldap_2.autoComplete.useDirectory": { Value: false, Status: "locked" },
  },
};

/**
 * What Thunderbird's address-book autocomplete offers for `text` in a To field: the addresses
 * of its matches.
 * @param {import("./lib/marionette.mjs").Marionette} m
 * @param {string} text
 * @returns {Promise<string[]>}
 */
async function autocomplete(m, text) {
  await switchToMainWindow(m);
  return m.execute(
    `const [text] = arguments;
     const search = Cc["@mozilla.org/autocomplete/search;1?name=addrbook"].getService(Ci.nsIAutoCompleteSearch);
     return await new Promise((resolve) => {
       search.startSearch(text, JSON.stringify({ type: "addr_to", idKey: "id1" }), null, {
         onSearchResult(_search, result) {
           if (result.searchResult === Ci.nsIAutoCompleteResult.RESULT_SEARCHING ||
               result.searchResult === Ci.nsIAutoCompleteResult.RESULT_NOMATCH_ONGOING ||
               result.searchResult === Ci.nsIAutoCompleteResult.RESULT_SUCCESS_ONGOING) return;
           const values = [];
           for (let i = 0; i < result.matchCount; i++) values.push(result.getValueAt(i));
           resolve(values);
         },
       });
     });`,
    [text],
  );
}

test("policies.json's Preferences policy turns address autocomplete off, locked", async () => {
  await withThunderbird({ name: "autocomplete-policy", policies: PREFERENCES }, async (tb) => {
    const m = tb.marionette;
    await addContacts(m, [["BEGIN:VCARD", "VERSION:4.0", "FN:山田 太郎", "EMAIL:yamada@alpha-shoji.example", "END:VCARD", ""].join("\r\n")]);
    await switchToMainWindow(m);
    const prefs = await m.execute(`return {
      value: Services.prefs.getBoolPref("mail.enable_autocomplete"),
      locked: Services.prefs.prefIsLocked("mail.enable_autocomplete"),
      ldapLocked: Services.prefs.prefIsLocked("ldap_2.autoComplete.useDirectory"),
    };`);
    assert.deepEqual(prefs, { value: false, locked: true, ldapLocked: false }, "set and locked; ldap_2. is not a prefix the policy accepts");
    assert.deepEqual(await autocomplete(m, "yamada"), [], "nothing is offered while the policy holds");

    // The same search with the preference on again offers the contact: the search works.
    await m.execute(`Services.prefs.unlockPref("mail.enable_autocomplete"); Services.prefs.setBoolPref("mail.enable_autocomplete", true); return true;`);
    const offered = await autocomplete(m, "yamada");
    assert.equal(offered.length, 1, JSON.stringify(offered));
    assert.match(offered[0], /yamada@alpha-shoji\.example/);
  });
});
