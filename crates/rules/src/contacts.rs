//! The user's address books, as the caller knows them: the addresses, their domains, and
//! what a contact card says about the person (name, organisation).
//!
//! `new-recipient` asks whether a recipient's address was ever seen; `lookalike-domain`
//! compares recipient domains with the domains the user already writes to.
//! Entries are parsed with the engine's own address parser and normalized exactly like
//! recipients (see [`Mailbox::key`]), so that `Taro <TARO@Partner.Example>` in an address
//! book is the same as `taro@partner.example` in the draft.

use std::sync::{Arc, OnceLock};

use crate::address::{parse_mailboxes_with, Domains, Mailbox};
use crate::domain::Domain;
use crate::orgs::{split_keyed, OrgIndex, PersonKey, Split};
use crate::resemblance::{FastSet, Resemblance, Source};
use crate::similar::{Entry, SimilarIndex};

/// Known addresses and their domains.
///
/// Cloning is cheap (the data is shared), so that a caller can keep one `Contacts` for as
/// long as the address books do not change, and give it to every review; the look-alike
/// index of its domains is then built once, on first use.
#[derive(Clone, Debug, Default)]
pub struct Contacts {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    addresses: FastSet<String>,
    domains: Vec<Domain>,
    domain_set: FastSet<Domain>,
    resemblance: OnceLock<Resemblance>,
    /// Each address once, with its name and organisation, in the order first seen.
    cards: Vec<Card>,
    /// Each card's name split into person and organisation, for both indexes below: built
    /// with the first of them, so that no name is split twice.
    splits: OnceLock<Vec<Option<CardName>>>,
    orgs: OnceLock<OrgIndex>,
    similar: OnceLock<SimilarIndex>,
}

/// A copy is made only to add entries (`Arc::make_mut`), which empties the indexes anyway: they
/// are not copied, so that their copying code is not in the module.
impl Clone for Inner {
    fn clone(&self) -> Inner {
        Inner {
            addresses: self.addresses.clone(),
            domains: self.domains.clone(),
            domain_set: self.domain_set.clone(),
            resemblance: OnceLock::new(),
            cards: self.cards.clone(),
            splits: OnceLock::new(),
            orgs: OnceLock::new(),
            similar: OnceLock::new(),
        }
    }
}

/// One address of the address books, with what its card says.
#[derive(Clone, Debug)]
struct Card {
    key: String,
    address: String,
    registrable: String,
    name: Option<String>,
    org: Option<String>,
}

/// A card's name, split once for both indexes that need it.
#[derive(Debug)]
struct CardName {
    split: Split,
    /// The key of the person's name, when the name has a person.
    person: Option<PersonKey>,
}

/// A contact card's fields besides the address (vCard `FN`/`N`, `ORG`, a reading).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardFields {
    /// The person's name.
    pub name: Option<String>,
    /// The organisation's name.
    pub org: Option<String>,
    /// How the name is read (`すずき いちろう`).
    pub reading: Option<String>,
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
        let mut domains = Domains::default();
        for entry in entries {
            contacts.add_with(entry.as_ref(), &mut domains);
        }
        contacts
    }

    /// Adds the addresses of one raw entry.
    pub fn add(&mut self, raw: &str) {
        self.add_with(raw, &mut Domains::default());
    }

    /// [`Contacts::add`] for one of many entries, with the facts of their domains kept in
    /// `domains`: the thousands of entries of an address book share far fewer domains, each
    /// normalised once.
    pub fn add_with(&mut self, raw: &str, domains: &mut Domains) {
        for mailbox in parse_mailboxes_with(raw, domains) {
            let domain = domains.get(mailbox.domain_part()).normal.clone();
            self.add_mailbox(&mailbox, domain);
        }
    }

    /// Adds a contact card: the addresses of `raw` with the card's name and organisation
    /// (a display name in `raw` is used when the card has no name).
    pub fn add_card(&mut self, raw: &str, fields: &CardFields) {
        self.add_card_with(raw, fields, &mut Domains::default());
    }

    /// [`Contacts::add_card`] for one of many entries, as [`Contacts::add_with`].
    pub fn add_card_with(&mut self, raw: &str, fields: &CardFields, domains: &mut Domains) {
        for mailbox in parse_mailboxes_with(raw, domains) {
            let name = fields.name.clone().filter(|n| !n.trim().is_empty()).or(mailbox.name.clone());
            let domain = domains.get(mailbox.domain_part()).normal.clone();
            self.add_mailbox(&Mailbox { name, ..mailbox }, domain);
            if let (Some(org), Some(card)) = (&fields.org, Arc::make_mut(&mut self.inner).cards.last_mut()) {
                if card.org.is_none() && !org.trim().is_empty() {
                    card.org = Some(org.clone());
                }
            }
        }
    }

    /// `domain` is [`Domain::lossy`] of the mailbox's domain part.
    fn add_mailbox(&mut self, mailbox: &Mailbox, domain: Domain) {
        if !mailbox.valid {
            return;
        }
        let inner = Arc::make_mut(&mut self.inner);
        inner.resemblance = OnceLock::new();
        inner.splits = OnceLock::new();
        inner.orgs = OnceLock::new();
        inner.similar = OnceLock::new();
        let key = mailbox.key(&domain);
        if inner.addresses.insert(key.clone()) {
            inner.cards.push(Card {
                key,
                address: mailbox.address.clone(),
                registrable: domain.registrable().to_string(),
                name: mailbox.name.clone(),
                org: None,
            });
        }
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

    /// What the address books say about organisations and people (see [`crate::orgs`]);
    /// built on first use and kept with the contacts.
    pub fn orgs(&self) -> &OrgIndex {
        self.inner.orgs.get_or_init(|| {
            let mut index = OrgIndex::new();
            for (card, split) in self.inner.cards.iter().zip(self.splits()) {
                let (split, person) = split.as_ref().map_or((None, None), |n| (Some(&n.split), n.person.as_ref()));
                index.add_split(&card.key, &card.registrable, split, person, card.org.as_deref());
            }
            index
        })
    }

    /// Each card's name split ([`crate::orgs::split_display_name`]), with its person's key, in
    /// the order of the cards.
    fn splits(&self) -> &[Option<CardName>] {
        self.inner.splits.get_or_init(|| {
            let split = |name| {
                let split = split_keyed(name);
                CardName { person: split.person_key(), split }
            };
            self.inner.cards.iter().map(|card| card.name.as_deref().map(split)).collect()
        })
    }

    /// The contacts indexed for `similar-recipient`; built on first use and kept.
    pub fn similar(&self) -> &SimilarIndex {
        self.inner.similar.get_or_init(|| {
            SimilarIndex::new_keyed(self.inner.cards.iter().zip(self.splits()).map(|(card, split)| {
                let entry = Entry {
                    key: card.key.clone(),
                    address: card.address.clone(),
                    name: split.as_ref().and_then(|n| n.split.parts.person.clone()),
                    registrable: card.registrable.clone(),
                };
                (entry, split.as_ref().and_then(|n| n.person.as_ref()).map(|p| p.key.clone()))
            }))
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

    #[test]
    fn cards_keep_their_name_and_organisation() {
        let mut contacts = Contacts::default();
        let card = CardFields {
            name: Some("鈴木 一郎".into()), org: Some("株式会社ベータ工業".into()), reading: None
        };
        contacts.add_card("suzuki@beta.example", &card);
        contacts.add("山田 太郎（株式会社アルファ商事） <yamada@alpha.example>");
        let orgs = crate::orgs::Knowledge::new(OrgIndex::new(), vec![contacts.orgs()]);
        assert_eq!(orgs.org_of("suzuki@beta.example", "beta.example"), Some("ベータ工業"));
        assert_eq!(orgs.org_of("yamada@alpha.example", "alpha.example"), Some("アルファ商事"));
        assert_eq!(orgs.name_of("suzuki@beta.example"), Some("鈴木 一郎"));
        assert_eq!(contacts.similar().get("yamada@alpha.example").and_then(|e| e.name.as_deref()), Some("山田 太郎"));
    }
}
