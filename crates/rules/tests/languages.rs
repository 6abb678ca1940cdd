//! Every finding a check gives and every policy diagnostic is written in every language: the
//! same mail reviewed, or the same policy loaded, in Japanese, English and Chinese gives three
//! different texts for each finding and each diagnostic.

use misend_guard_rules::policy::{InputProblem, InputProblemKind, PolicyInput};
use misend_guard_rules::{
    review, Code, Contacts, Context, Draft, DraftAttachment, DraftRecipient, Field, Lang, LoadedPolicy, Policy,
};
use serde_json::{json, Value};

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

/// A named way to load a policy, in the language it is given.
type Loader = (&'static str, Box<dyn Fn(Lang) -> LoadedPolicy>);

/// Policies that between them reach every diagnostic a policy can cheaply reach.
fn broken_policies() -> Vec<Loader> {
    let deep = format!("{{\"keywords\": {}0{}, \"dialog\": {{}}, \"dialog\": {{}}}}", "[".repeat(40), "]".repeat(40));
    let many_bad_entries: Vec<String> = (0..1100).map(|i| format!("bad*{i}.example")).collect();
    let many_rules: Vec<Value> = (0..1001).map(|i| json!({"id": format!("k{i}"), "pattern": "a"})).collect();
    let many_domains: Vec<String> = (0..10_001).map(|i| format!("d{i}.example")).collect();
    let admin = json!({
        "internalDomain": ["corp.example"],
        "internalDomains": ["@corp.example", "bad*domain", "someone@corp.example", "localhost", "a..b"],
        "knownDomains": "partner.example",
        "rules": {
            "external-recipient": {"severity": "warning"},
            "bulk-visible-recipients": {"threshold": 1},
            "blocked-domain": {"entries": ["x*.example", "not an address@"]},
            "attachment-forgotten": {"terms": ["", "x".repeat(101)]},
            "attachment-blocked-type": {"extensions": ["", "tar.gz"]},
        },
        "dialog": {"countdownSeconds": 600},
        "keywords": [
            {"pattern": "a"},
            {"id": "user:mine", "pattern": "a"},
            {"id": "twice", "pattern": "a"},
            {"id": "twice", "pattern": "b"},
            {"id": "no-pattern"},
            {"id": "bad", "pattern": "(a"},
            {"id": "huge", "pattern": "(\\w{100}){100}"},
            {"id": "nowhere", "pattern": "a", "in": []},
        ],
    });
    vec![
        ("a JSON syntax error", Box::new(|lang| Policy::load_text("{\"internalDomains\": [}", lang))),
        ("not an object", Box::new(|lang| Policy::load_text("[1]", lang))),
        ("unreadable", Box::new(|lang| Policy::unreadable("storage failed", lang))),
        ("deep nesting, as text", Box::new(move |lang| Policy::load_text(&deep, lang))),
        (
            "what only a JavaScript value can hold",
            Box::new(|lang| {
                let problem = |path: &str, kind| InputProblem { path: path.to_string(), kind };
                let problems = vec![
                    problem("rules", InputProblemKind::TooDeep),
                    problem("dialog.countdownSeconds", InputProblemKind::NotFinite("Infinity".into())),
                    problem("knownDomains", InputProblemKind::NotJson("function".into())),
                    problem("internalDomains", InputProblemKind::DuplicateKey),
                ];
                Policy::load_input(PolicyInput { value: json!({}), problems }, lang)
            }),
        ),
        ("most keys", Box::new(move |lang| Policy::load(&admin, lang))),
        (
            "too many entries",
            Box::new(move |lang| Policy::load(&json!({"internalDomains": many_domains, "keywords": many_rules}), lang)),
        ),
        (
            "too many problems",
            Box::new(move |lang| {
                Policy::load(&json!({"rules": {"blocked-domain": {"entries": many_bad_entries}}}), lang)
            }),
        ),
        (
            "a person's settings",
            Box::new(|lang| {
                Policy::load_with_user(
                    &json!({"rules": {"external-recipient": {"severity": "block"}}}),
                    &json!({"internalDomains": ["bad*domain"], "rules": {"no-such-check": {"severity": "warn"},
                            "external-recipient": {"severity": "info"}}}),
                    lang,
                )
            }),
        ),
        (
            "a person's domains, not allowed",
            Box::new(|lang| {
                Policy::load_with_user(
                    &json!({"userMayAddInternalDomains": false}),
                    &json!({"internalDomains": ["corp.example"]}),
                    lang,
                )
            }),
        ),
    ]
}

/// Whether a text has a letter of any script: a text of only codes, numbers and symbols
/// needs no translation.
fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}

#[test]
fn every_policy_diagnostic_is_written_in_every_language() {
    let mut seen = 0;
    for (name, load) in broken_policies() {
        let texts =
            |lang: Lang| load(lang).diagnostics.into_iter().map(|d| (d.path, d.message, d.hint)).collect::<Vec<_>>();
        let (ja, en, zh) = (texts(Lang::Ja), texts(Lang::En), texts(Lang::Zh));
        assert!(!en.is_empty(), "{name}: the policy has problems");
        assert_eq!((ja.len(), zh.len()), (en.len(), en.len()), "{name}");
        // The first problems of each kind, and the last (the count of the rest), are enough.
        let sample = en.len().min(60);
        for i in (0..sample).chain([en.len() - 1]) {
            let (ja, en, zh) = (&ja[i], &en[i], &zh[i]);
            assert_eq!((&ja.0, &zh.0), (&en.0, &en.0), "{name}: the same path in every language");
            let pairs = [("message", &ja.1, &en.1, &zh.1), ("hint", &opt(&ja.2), &opt(&en.2), &opt(&zh.2))];
            for (what, ja, en, zh) in pairs {
                if !has_words(en) {
                    continue;
                }
                assert_ne!(zh, en, "{name}: {} {what} has no Chinese text", en);
                assert_ne!(zh, ja, "{name}: {} {what} has no Chinese text", en);
                assert_ne!(ja, en, "{name}: {} {what} has no Japanese text", en);
            }
            seen += 1;
        }
    }
    assert!(seen >= 40, "the policies reach many diagnostics: {seen}");
}

fn opt(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

/// A keyword rule's own message: Chinese readers get `zh`, else `en`, else `ja`.
#[test]
fn a_keyword_message_falls_back_from_chinese_to_english_to_japanese() {
    let draft = Draft { subject: "社外秘".into(), ..Draft::default() };
    let message = |texts: Value, lang: Lang| {
        let policy = Policy::load(&json!({"keywords": [{"id": "k", "pattern": "社外秘", "message": texts}]}), lang);
        assert_eq!(policy.diagnostics, vec![]);
        let context = Context { lang, contacts: Contacts::default(), sent: None };
        let review = review(&draft, &policy.policy, &context);
        review.findings.into_iter().find(|f| f.code == Code::Keyword).expect("the rule matches").message
    };
    let all = json!({"ja": "日本語", "en": "English", "zh": "中文"});
    assert_eq!(message(all.clone(), Lang::Ja), "日本語");
    assert_eq!(message(all.clone(), Lang::En), "English");
    assert_eq!(message(all, Lang::Zh), "中文");
    assert_eq!(message(json!({"ja": "日本語", "en": "English"}), Lang::Zh), "English");
    assert_eq!(message(json!({"ja": "日本語"}), Lang::Zh), "日本語");
    assert_eq!(message(json!({"zh": "中文"}), Lang::Ja), "中文");
    assert_eq!(message(json!({"zh": "中文"}), Lang::En), "中文");
    assert_eq!(message(json!({"en": "English", "zh": "中文"}), Lang::Ja), "English");
}
