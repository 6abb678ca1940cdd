//! The content checks never panic, whatever facts a caller gives: facts arrive as JSON from the
//! add-on's inspector module, from the CLI and from the playground, so a hostile or broken
//! caller may give any shape within the types, nested archives included.

use misend_guard_rules::facts::{
    Column, ColumnClass, Encrypted, EncryptionMethod, Entry, Facts, Kind, Problem, Reason, Table, TextChunk,
};
use misend_guard_rules::{
    review, Contents, Context, Draft, DraftAttachment, DraftRecipient, FailReason, Field, Lang, Policy,
};
use proptest::prelude::*;
use serde_json::json;

/// Every content check on, for internal mail too, with a keyword rule that searches contents.
fn policy() -> Policy {
    let loaded = Policy::load(
        &json!({
            "internalDomains": ["corp.example"],
            "rules": {
                "pii-my-number": {"when": "always"},
                "pii-credit-card": {"when": "always"},
                "attachment-personal-data": {"when": "always", "minRows": 1},
                "attachment-encrypted": {"severity": "warn"}
            },
            "keywords": [{"id": "any", "pattern": "(?i)秘|x+|\\d{4}|^|$"}]
        }),
        Lang::Ja,
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.policy
}

/// Text likely to reach the corners: places like cells and line ranges, labels, numbers of
/// both widths, separators, and any character at all.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        proptest::sample::select(vec![
            "Sheet1!C12",
            "lines 3-9",
            "paragraphs 1-2",
            "line",
            "s 1-",
            "!",
            "ZZZZ9",
            "マイナンバー",
            "カード番号",
            "123456789018",
            "4111 1111 1111 1111",
            "１２３４",
            "\n",
            " › ",
            "氏名",
            "電話",
            "e-mail",
            "tools/setup.exe",
            ".exe",
            "秘",
        ])
        .prop_map(str::to_string),
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|p| p.concat())
}

fn kind() -> impl Strategy<Value = Kind> {
    proptest::sample::select(Kind::ALL)
}

fn reason() -> impl Strategy<Value = Reason> {
    proptest::sample::select(Reason::ALL)
}

fn table() -> impl Strategy<Value = Table> {
    (
        text(),
        proptest::collection::vec(text(), 0..5),
        any::<u64>(),
        proptest::collection::vec(
            (text(), proptest::option::of(proptest::sample::select(vec![ColumnClass::Email, ColumnClass::Phone]))),
            0..5,
        ),
    )
        .prop_map(|(place, header, rows, columns)| Table {
            place,
            header,
            rows,
            columns: columns.into_iter().map(|(header, class)| Column { header, class, samples: Vec::new() }).collect(),
        })
}

/// Facts of a file and, up to `depth` levels down, of archive entries.
fn facts(depth: u32) -> BoxedStrategy<Facts> {
    let leaf = (
        text(),
        kind(),
        proptest::option::of(kind()),
        proptest::collection::vec((text(), text()), 0..4),
        proptest::collection::vec(table(), 0..2),
        proptest::collection::vec((text(), reason()), 0..3),
        proptest::collection::vec((text(), proptest::sample::select(EncryptionMethod::ALL)), 0..2),
    )
        .prop_map(|(name, kind, name_kind, text, tables, problems, encrypted)| Facts {
            name_kind,
            text: text.into_iter().map(|(place, text)| TextChunk { place, text }).collect(),
            tables,
            problems: problems
                .into_iter()
                .map(|(place, reason)| Problem { place, reason, detail: String::new() })
                .collect(),
            encrypted: encrypted.into_iter().map(|(place, method)| Encrypted { place, method }).collect(),
            ..Facts::new(&name, 0, kind)
        });
    leaf.prop_recursive(depth, 24, 3, |inner| {
        (inner.clone(), proptest::collection::vec((text(), inner), 0..3)).prop_map(|(mut facts, entries)| {
            facts.entries =
                entries.into_iter().map(|(path, facts)| Entry { path, compressed_size: 1, size: 1, facts }).collect();
            facts
        })
    })
    .boxed()
}

fn contents() -> impl Strategy<Value = Contents> {
    prop_oneof![
        Just(Contents::Off),
        Just(Contents::Pending),
        Just(Contents::Failed { reason: FailReason::Timeout, detail: String::new() }),
        facts(4).prop_map(|f| Contents::Inspected(Box::new(f))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_facts_are_reviewed_without_panic(
        attachments in proptest::collection::vec((text(), contents()), 0..4),
        lang in proptest::sample::select(vec![Lang::Ja, Lang::En, Lang::Zh]),
    ) {
        let draft = Draft {
            recipients: vec![DraftRecipient::new(Field::To, "x@partner.example")],
            attachments: attachments
                .into_iter()
                .map(|(name, contents)| DraftAttachment { contents, ..DraftAttachment::new(name, Some(1)) })
                .collect(),
            ..Draft::default()
        };
        let review = review(&draft, &policy(), &Context { lang, ..Context::default() });
        for finding in &review.findings {
            prop_assert!(finding.attachments.iter().all(|&i| i < draft.attachments.len()));
            prop_assert!(finding.excerpts.len() <= 5);
            prop_assert!(!finding.message.is_empty());
        }
        // A pending attachment never makes a finding of its own.
        for a in review.attachments.iter().filter(|a| a.inspection == misend_guard_rules::review::Inspection::Pending) {
            prop_assert!(review.findings.iter().all(|f| !f.attachments.contains(&a.index)
                || f.code.as_str() == "attachment-blocked-type" || f.code.as_str() == "keyword"));
        }
    }
}
