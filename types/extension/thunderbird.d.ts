// What @types/thunderbird-webext-browser (written for Thunderbird 127) lacks of the
// Thunderbird 153 API that the add-on uses, as Thunderbird's WebExtension reference describes it.

declare namespace messenger.messengerUtilities {
  /** A mailbox of `parseMailboxString`: a group has `group` instead of `email`. */
  interface ParsedMailbox {
    name?: string;
    email?: string;
    group?: ParsedMailbox[];
  }
  /** Splits a header value into mailboxes; `expandMailingLists` expands the address book's lists. */
  function parseMailboxString(text: string, options?: { expandMailingLists?: boolean }): Promise<ParsedMailbox[]>;
}

declare namespace messenger.storage {
  interface StorageArea {
    /** `null` gets the whole area (the reference documents it; the published types omit it). */
    get(keys: null): Promise<{ [key: string]: any }>;
  }
}
