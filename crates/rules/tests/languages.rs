//! Every finding a check gives is written in every language: the same mail reviewed in
//! Japanese, English and Chinese gives three different messages for each finding.

use misend_guard_rules::{review, Contacts, Context, Draft, DraftAttachment, DraftRecipient, Field, Lang, Policy};
use serde_json::json;

/// A mail that sets off as many checks as one mail can.
fn everything() -> (Draft, Policy) {
    let mut recipients: Vec<DraftRecipient> =
        (0..12).map(|i| DraftRecipient::new(Field::To, format!("p{i}@partner{}.example", i % 2))).collect();
    recipients.push(DraftRecipient::new(Field::Cc, "\"boss@corp.example\" <x@evil.example>"));
    recipients.push(DraftRecipient::new(Field::Cc, "y@c0rp.example"));
    recipients.push(DraftRecipient::new(Field::Cc, "z@blocked.example"));
    let draft = Draft {
        from: Some("Me <me@corp.example>".into()),
        recipients,
        subject: String::new(),
        body: "〇〇様\n社外秘の資料を添付します。\nマイナンバー 1234 5678 9018、カード 4111 1111 1111 1111\nTODO\n"
            .into(),
        attachments: vec![
            DraftAttachment::new("invoice.pdf.exe", Some(1)),
            DraftAttachment::new("big.zip", Some(50 * 1024 * 1024)),
        ],
    };
    let policy = Policy::load(
        &json!({"internalDomains": ["corp.example"],
                "rules": {"blocked-domain": {"entries": ["blocked.example"]}, "new-recipient": {"severity": "info"}},
                "keywords": [{"id": "secret", "pattern": "社外秘"}]}),
        Lang::En,
    )
    .policy;
    (draft, policy)
}

#[test]
fn every_finding_is_written_in_every_language() {
    let (draft, policy) = everything();
    let messages = |lang: Lang| {
        let context = Context {
            lang,
            contacts: Contacts::from_entries(["someone@partner0.example"]),
            sent: Some(Contacts::from_entries(["p0@partner0.example"])),
        };
        review(&draft, &policy, &context).findings.into_iter().map(|f| (f.code, f.message)).collect::<Vec<_>>()
    };
    let (ja, en, zh) = (messages(Lang::Ja), messages(Lang::En), messages(Lang::Zh));
    assert!(ja.len() >= 12, "the mail sets off most checks: {:?}", ja.iter().map(|f| f.0).collect::<Vec<_>>());
    for ((ja, en), zh) in ja.iter().zip(&en).zip(&zh) {
        assert_eq!((ja.0, en.0), (zh.0, zh.0));
        assert_ne!(zh.1, en.1, "{:?} has no Chinese message", zh.0);
        assert_ne!(zh.1, ja.1, "{:?} has no Chinese message", zh.0);
        assert_ne!(ja.1, en.1, "{:?} has no Japanese message", ja.0);
    }
}
