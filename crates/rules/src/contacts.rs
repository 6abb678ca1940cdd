//! The user's address books, as the caller knows them: the addresses, and their domains.
//!
//! `new-recipient` asks whether a recipient's address was ever seen; `lookalike-domain`
//! compares recipient domains with the domains the user already writes to.
//! Entries are parsed with the engine's own address parser and normalized exactly like
//! recipients (see [`Mailbox::key`]), so that `Taro <TARO@Partner.Example>` in an address
//! book is the same as `taro@partner.example` in the draft.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use crate::address::{parse_mailboxes, parse_mailboxes_with, Domains, Mailbox};
use crate::domain::Domain;
use crate::resemblance::{Resemblance, Source};

/// Known addresses and their domains.
///
/// Cloning is cheap (the data is shared), so that a caller can keep one `Contacts` for as
/// long as the address books do not change, and give it to every review; the look-alike
/// index of its domains is then built once, on first use.
#[derive(Clone, Debug, Default)]
pub struct Contacts {
    inner: Arc<Inner>,
}

#[derive(Clone, Debug, Default)]
struct Inner {
    addresses: HashSet<String>,
    domains: Vec<Domain>,
    domain_set: HashSet<Domain>,
    resemblance: OnceLock<Resemblance>,
}

impl Contacts {
    /// Contacts from raw entries (`Name <addr>`, bare addresses, or lists of them).
    /// Entries that hold no valid address are skipped: they cannot match a recipient.
    pub fn from_entries<I, S>(entries: I) -> Contacts
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut contacts = Contacts::default();
        // The address books' thousands of entries share far fewer domains.
        let mut domains = Domains::default();
        for entry in entries {
            for mailbox in parse_mailboxes_with(entry.as_ref(), &mut domains) {
                let domain = domains.get(mailbox.domain_part()).normal.clone();
                contacts.add_mailbox(&mailbox, domain);
            }
        }
        contacts
    }

    /// Adds the addresses of one raw entry.
    pub fn add(&mut self, raw: &str) {
        for mailbox in parse_mailboxes(raw) {
            let domain = Domain::lossy(mailbox.domain_part());
            self.add_mailbox(&mailbox, domain);
        }
    }

    /// `domain` is [`Domain::lossy`] of the mailbox's domain part.
    fn add_mailbox(&mut self, mailbox: &Mailbox, domain: Domain) {
        if !mailbox.valid {
            return;
        }
        let inner = Arc::make_mut(&mut self.inner);
        inner.resemblance = OnceLock::new();
        inner.addresses.insert(mailbox.key(&domain));
        if !inner.domain_set.contains(&domain) {
            inner.domain_set.insert(domain.clone());
            inner.domains.push(domain);
        }
    }

    /// Whether an address (its normal-form key) is known.
    pub fn knows_address(&self, key: &str) -> bool {
        self.inner.addresses.contains(key)
    }

    /// Whether a domain is the domain of a known address.
    pub fn knows_domain(&self, domain: &Domain) -> bool {
        self.inner.domain_set.contains(domain)
    }

    /// The known domains, each once, in the order first seen.
    pub fn domains(&self) -> &[Domain] {
        &self.inner.domains
    }

    /// The registrable parts of the known domains, indexed for `lookalike-domain`;
    /// built on first use and kept with the contacts.
    pub fn resemblance(&self) -> &Resemblance {
        self.inner.resemblance.get_or_init(|| {
            let mut index = Resemblance::new();
            for domain in &self.inner.domains {
                index.add(domain.registrable(), Source::Contact);
            }
            index
        })
    }

    /// How many distinct addresses are known.
    pub fn len(&self) -> usize {
        self.inner.addresses.len()
    }

    /// Whether nothing is known: the caller gave no address book.
    pub fn is_empty(&self) -> bool {
        self.inner.addresses.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_normalized_like_recipients() {
        let contacts = Contacts::from_entries([
            "Taro <TARO@Partner.Example>",
            "hanako@例え.jp, \"Sato, Jiro\" <jiro@partner.example>",
            "not an address",
            "",
        ]);
        assert_eq!(contacts.len(), 3);
        assert!(contacts.knows_address("taro@partner.example"));
        assert!(contacts.knows_address("hanako@xn--r8jz45g.jp"));
        assert!(contacts.knows_address("jiro@partner.example"));
        assert!(!contacts.knows_address("not an address"));
        let domains: Vec<&str> = contacts.domains().iter().map(Domain::as_str).collect();
        assert_eq!(domains, ["partner.example", "xn--r8jz45g.jp"]);
        assert!(contacts.knows_domain(&Domain::parse("PARTNER.example").unwrap()));
        assert!(Contacts::default().is_empty());
    }
}
