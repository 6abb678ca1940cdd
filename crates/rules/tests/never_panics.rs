//! The engine never panics, whatever the mail: subjects, bodies and file names come from
//! anywhere (product.md, "hostile input"), and a panic in the add-on would mean a mail checked
//! by nothing but the fail-closed fallback.

use misend_guard_rules::{review, Context, Draft, DraftAttachment, DraftRecipient, Field, Lang, Policy};
use proptest::prelude::*;
use serde_json::json;

/// A policy with every content check on, for internal mail too, and keyword rules on every part.
fn strict_policy() -> Policy {
    let loaded = Policy::load(
        &json!({
            "internalDomains": ["corp.example"],
            "rules": {
                "empty-body": {"severity": "warn"},
                "pii-my-number": {"when": "always"},
                "pii-credit-card": {"when": "always"},
                "attachment-too-large": {"maxBytes": 100}
            },
            "keywords": [
                {"id": "any", "pattern": "(?i)秘|x+|\\d{4}|^|$"},
                {"id": "names", "pattern": "\\.(exe|pdf)$", "in": ["attachment-name"], "when": "external"}
            ]
        }),
        Lang::Ja,
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.policy
}

/// Text that is likely to reach the checks' corners: digits of both widths, separators,
/// quote marks, placeholders, brackets, line breaks, and any character at all.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<String>(),
        proptest::sample::select(vec![
            "1234",
            "１２３４",
            " ",
            "-",
            "－",
            "\u{3000}",
            "\n",
            "\r\n",
            "> ",
            "-- \n",
            "On x wrote:\n",
            "〇〇",
            "XX",
            "x",
            "TODO",
            "[氏名]",
            "<<",
            ">>",
            "{{",
            "}}",
            "【要確認】",
            "添付",
            "attached",
            "なし",
            "4111",
            "\u{202E}",
            ".exe",
            ".",
            "送付",
            "資料を",
            "\u{200B}",
        ])
        .prop_map(str::to_string),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn arbitrary_json(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        proptest::sample::select(vec!["block", "warn", "off", "(", "x", "corp.example", "*.a", "keyword"])
            .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(depth, 32, 4, |inner| {
        let key = proptest::sample::select(vec![
            "rules",
            "keywords",
            "internalDomains",
            "severity",
            "id",
            "pattern",
            "in",
            "when",
            "keyword",
            "placeholder",
            "x",
        ]);
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::btree_map(key, inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn review_never_panics(
        subject in text(),
        body in text(),
        names in proptest::collection::vec((text(), proptest::option::of(any::<u64>())), 0..4),
        external in any::<bool>(),
        lang in proptest::sample::select(vec![Lang::Ja, Lang::En]),
    ) {
        let draft = Draft {
            from: None,
            recipients: vec![DraftRecipient::new(Field::To, if external { "x@partner.example" } else { "a@corp.example" })],
            subject,
            body,
            attachments: names.into_iter().map(|(name, size)| DraftAttachment::new(name, size)).collect(),
        };
        let policy = strict_policy();
        // `..Context::default()` keeps this compiling as Context gains fields.
        #[allow(clippy::needless_update)]
        let context = Context { lang, ..Context::default() };
        let review = review(&draft, &policy, &context);
        for finding in &review.findings {
            prop_assert!(finding.attachments.iter().all(|&i| i < draft.attachments.len()));
            prop_assert!(finding.excerpts.len() <= 5);
            prop_assert!(!finding.message.is_empty());
            for excerpt in &finding.excerpts {
                prop_assert!(excerpt.before.chars().count() <= 30 && excerpt.after.chars().count() <= 30);
                prop_assert!(!excerpt.before.contains('\n') && !excerpt.matched.contains('\n') && !excerpt.after.contains('\n'));
            }
        }
    }

    /// The user's settings, whatever their shape, never make loading panic or degrade the policy.
    #[test]
    fn any_user_settings_load(user in arbitrary_json(3)) {
        let loaded = Policy::load_with_user(&json!({"internalDomains": ["corp.example"]}), &user, Lang::En);
        prop_assert!(!loaded.policy.degraded);
    }
}
