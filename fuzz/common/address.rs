//! The address parser (`misend_guard_rules::address`) on any recipient text, as a person may
//! type or paste anything into To, Cc or Bcc.
//!
//! Shared by the fuzz target `address` and its replay on stable
//! (`crates/rules/tests/fuzz_corpus.rs`). Beyond "no panic", it checks the promise that
//! nothing typed is dropped: text that is not blank gives at least one mailbox, and every
//! mailbox has its normal form.

use misend_guard_rules::address::parse_mailboxes;
use misend_guard_rules::domain::Domain;

/// Inputs longer than this are cut (a recipient field is short; the sizes are for benchmarks).
const MAX_INPUT: usize = 16 * 1024;

/// Parses `data` (as UTF-8 text) as one recipient field.
pub fn run(data: &[u8]) {
    let data = &data[..data.len().min(MAX_INPUT)];
    let raw = String::from_utf8_lossy(data);
    let mailboxes = parse_mailboxes(&raw);
    let blank = raw.chars().all(|c| c.is_whitespace() || c == ',' || c == '\r' || c == '\n');
    assert!(blank || !mailboxes.is_empty(), "text that gave no mailbox: {raw:?}");
    for mailbox in &mailboxes {
        assert!(!mailbox.address.is_empty());
        let domain = Domain::lossy(mailbox.domain_part());
        let _ = mailbox.key(&domain);
    }
}
