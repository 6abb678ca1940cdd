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
use crate::resemblance::{FastMap, FastSet, Resemblance, Source};
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
    /// The cards' names split into person and organisation, for both indexes below: built
    /// with the first of them, so that no name is split twice.
    splits: OnceLock<Splits>,
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

/// The cards' names, each split once: a card with several addresses is several entries
/// with one name, and the name is split for the first of them only.
#[derive(Debug, Default)]
struct Splits {
    /// Each name once.
    names: Vec<CardName>,
    /// For each card, its name in `names`.
    of_card: Vec<Option<u32>>,
}

impl Splits {
    /// The name of card `i`, split, when the card has one.
    fn get(&self, i: usize) -> Option<&CardName> {
        self.of_card[i].map(|n| &self.names[n as usize])
    }
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
            let splits = self.splits();
            for (i, card) in self.inner.cards.iter().enumerate() {
                let (split, person) = splits.get(i).map_or((None, None), |n| (Some(&n.split), n.person.as_ref()));
                index.add_split(&card.key, &card.registrable, split, person, card.org.as_deref());
            }
            index
        })
    }

    /// The cards' names split ([`crate::orgs::split_display_name`]), with their persons' keys.
    fn splits(&self) -> &Splits {
        self.inner.splits.get_or_init(|| {
            let mut splits = Splits::default();
            let mut seen: FastMap<&str, u32> = FastMap::default();
            for card in &self.inner.cards {
                let name = card.name.as_deref().map(|name| {
                    *seen.entry(name).or_insert_with(|| {
                        let split = split_keyed(name);
                        splits.names.push(CardName { person: split.person_key(), split });
                        (splits.names.len() - 1) as u32
                    })
                });
                splits.of_card.push(name);
            }
            splits
        })
    }

    /// The contacts indexed for `similar-recipient`; built on first use and kept.
    pub fn similar(&self) -> &SimilarIndex {
        self.inner.similar.get_or_init(|| {
            let splits = self.splits();
            SimilarIndex::new_keyed(self.inner.cards.iter().enumerate().map(|(i, card)| {
                let split = splits.get(i);
                let entry = Entry {
                    key: card.key.clone(),
                    address: card.address.clone(),
                    name: split.and_then(|n| n.split.parts.person.clone()),
                    registrable: card.registrable.clone(),
                };
                (entry, split.and_then(|n| n.person.as_ref()).map(|p| p.key.clone()))
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
    fn a_name_of_several_addresses_is_known_at_each() {
        let contacts = Contacts::from_entries([
            "\"鈴木 一郎（株式会社ベータ工業）\" <suzuki@beta.example>",
            "佐藤 <sato@gamma.example>",
            "\"鈴木 一郎（株式会社ベータ工業）\" <i.suzuki@branch.beta.example>",
        ]);
        let orgs = crate::orgs::Knowledge::new(OrgIndex::new(), vec![contacts.orgs()]);
        for (key, registrable) in
            [("suzuki@beta.example", "beta.example"), ("i.suzuki@branch.beta.example", "beta.example")]
        {
            assert_eq!(orgs.org_of(key, registrable), Some("ベータ工業"), "{key}");
            assert_eq!(orgs.name_of(key), Some("鈴木 一郎"), "{key}");
            assert_eq!(contacts.similar().get(key).and_then(|e| e.name.as_deref()), Some("鈴木 一郎"), "{key}");
        }
        assert_eq!(orgs.name_of("sato@gamma.example"), Some("佐藤"));
        let found = contacts.similar().similar("suzuki@other.example", "other.example", Some("鈴木 一郎"));
        assert_eq!(found.len(), 2, "{found:?}");
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
