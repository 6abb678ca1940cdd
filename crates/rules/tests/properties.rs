//! Properties of the review that must hold for any recipients, whatever the user typed or
//! pasted: nothing is lost or listed twice, groups partition the recipients, and no input
//! makes the engine panic, with every recipient check switched on.

use std::collections::BTreeSet;

use misend_guard_rules::address::parse_mailboxes;
use misend_guard_rules::domain::Domain;
use misend_guard_rules::{review, Contacts, Context, Draft, DraftRecipient, Field, Lang, Policy};
use proptest::prelude::*;
use serde_json::json;

fn policy() -> Policy {
    let loaded = Policy::load(
        &json!({
            "internalDomains": ["corp.example", "*.corp.example"],
            "knownDomains": ["partner.example"],
            "rules": {
                "bulk-visible-recipients": {"threshold": 2},
                "blocked-domain": {"entries": ["evil.example", "*.evil.example", "x@partner.example"]},
                "new-recipient": {"severity": "warn"}
            }
        }),
        Lang::En,
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.policy
}

/// Recipient text as users produce it, and as an attacker might.
fn recipient_text() -> impl Strategy<Value = String> {
    let address = "[A-Za-z0-9._+-]{1,8}@[a-z0-9οаー.-]{1,14}";
    prop_oneof![
        any::<String>(),
        address.prop_map(String::from),
        (address, "[^<>\"\\\\]{0,12}").prop_map(|(a, n)| format!("\"{n}\" <{a}>")),
        (address, address).prop_map(|(a, b)| format!("{a}, {b}")),
        (address, address).prop_map(|(a, b)| format!("\"{a}\" <{b}>")),
        "[a-zA-Z0-9@<>\",;:()\\\\. \r\n]{0,30}".prop_map(String::from),
    ]
}

fn field() -> impl Strategy<Value = Field> {
    prop_oneof![Just(Field::To), Just(Field::Cc), Just(Field::Bcc)]
}

fn key(raw: &str) -> Vec<String> {
    parse_mailboxes(raw).iter().map(|m| m.key(&Domain::lossy(m.domain_part()))).collect()
}

/// The one check of this module: reviews the draft and asserts the invariants.
fn check(entries: &[(Field, String)], contacts: &[String]) {
    let draft = Draft {
        recipients: entries.iter().map(|(f, raw)| DraftRecipient::new(*f, raw.clone())).collect(),
        ..Draft::default()
    };
    let context = Context { lang: Lang::Ja, contacts: Contacts::from_entries(contacts), sent: None };
    let review = review(&draft, &policy(), &context);

    let expected: BTreeSet<String> = entries.iter().flat_map(|(_, raw)| key(raw)).collect();
    let listed: Vec<&str> = review.recipients.iter().map(|r| r.key.as_str()).collect();
    let unique: BTreeSet<String> = listed.iter().map(|k| k.to_string()).collect();
    assert_eq!(unique.len(), listed.len(), "a recipient is listed twice: {listed:?}");
    assert_eq!(unique, expected, "the review must list every recipient of the input");

    let mut grouped: Vec<usize> = review.groups.iter().flat_map(|g| g.members.iter().copied()).collect();
    grouped.sort_unstable();
    assert_eq!(grouped, (0..review.recipients.len()).collect::<Vec<_>>(), "each recipient in exactly one group");
    for (i, r) in review.recipients.iter().enumerate() {
        assert_eq!(r.index, i);
    }
    for finding in &review.findings {
        assert!(finding.recipients.iter().all(|&i| i < review.recipients.len()), "{finding:?}");
        assert!(!finding.message.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_recipient_once_and_no_panic(
        entries in prop::collection::vec((field(), recipient_text()), 0..12),
        contacts in prop::collection::vec(recipient_text(), 0..6),
    ) {
        check(&entries, &contacts);
    }
}

#[test]
fn the_same_address_in_several_fields_and_cases_is_listed_once() {
    let entries = [
        (Field::Bcc, "Taro <TARO@Corp.Example>".to_string()),
        (Field::To, "taro@corp.example, hanako@partner.example".to_string()),
        (Field::Cc, "\"Hanako\" <Hanako@PARTNER.example>".to_string()),
        (Field::To, "not an address".to_string()),
    ];
    check(&entries, &["hanako@partner.example".to_string()]);
}
