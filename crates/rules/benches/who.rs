//! Benchmarks of the checks that ask who a mail is for, with the targets of issue #12: the
//! greeting and organisation checks (`salutation-mismatch`, `attachment-for-other-party`) add
//! at most 20 µs to a typical mail with 5,000 contacts already indexed, and `similar-recipient`
//! with 10,000 contacts at most 1 ms.
//! Each target is measured as the difference between the same review with the checks off and
//! on. Results are recorded in BENCHMARKS.md.
//!
//! Run with `cargo bench -p misend-guard-rules --bench who`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use misend_guard_rules::{
    review, Code, Contacts, Context, Draft, DraftAttachment, DraftRecipient, Field, Lang, Policy,
};
use serde_json::json;

/// The policy with the three checks of this benchmark at the given severities.
fn policy(greeting: &str, similar: &str) -> Policy {
    policy_with(greeting, similar, "warn")
}

/// [`policy`] with `lookalike-domain` at the given severity too.
fn policy_with(greeting: &str, similar: &str, lookalike: &str) -> Policy {
    let loaded = Policy::load(
        &json!({
            "internalDomains": ["corp.example"],
            "organizations": [{"name": ["株式会社アルファ商事"], "domains": ["alpha-shoji.example"]}],
            "rules": {
                "salutation-mismatch": {"severity": greeting},
                "attachment-for-other-party": {"severity": greeting},
                "similar-recipient": {"severity": similar},
                "lookalike-domain": {"severity": lookalike}
            }
        }),
        Lang::Ja,
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.policy
}

/// A typical mail to ベータ工業 that begins with a greeting to アルファ商事 and carries
/// アルファ商事's quotation: 4 recipients, 2 attachments, a 5 KB body.
fn mail() -> Draft {
    let line = "先日の打ち合わせの件、資料を添付いたします。ご確認のほどよろしくお願いいたします。\n";
    let body = format!(
        "株式会社アルファ商事\n営業部 山田様\n\nいつもお世話になっております。\n{}",
        line.repeat(5 * 1024 / line.len())
    );
    Draft {
        from: Some("佐藤 <sato@corp.example>".into()),
        recipients: vec![
            DraftRecipient::new(Field::To, "鈴木 一郎（株式会社ベータ工業） <suzuki@beta-kogyo.example>"),
            DraftRecipient::new(Field::Cc, "田中 <tanaka@beta-kogyo.example>"),
            DraftRecipient::new(Field::Cc, "課長 <kacho@corp.example>"),
            DraftRecipient::new(Field::Bcc, "archive@corp.example"),
        ],
        subject: "お見積りの件".into(),
        body,
        attachments: vec![
            DraftAttachment::new("見積書_株式会社アルファ商事様.pdf", Some(48_213)),
            DraftAttachment::new("議事録.docx", Some(120_004)),
        ],
    }
}

/// `n` contacts with names and organisations, at `n / 5` companies.
fn book(n: usize) -> Vec<String> {
    let family = ["鈴木", "佐藤", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];
    (0..n)
        .map(|i| {
            let company = i / 5;
            format!(
                "{} {}郎（株式会社カンパニー{company}） <person{i}.{}@company{company}.example>",
                family[i % family.len()],
                i,
                family[(i / 10) % family.len()].len()
            )
        })
        .collect()
}

fn count(draft: &Draft, policy: &Policy, context: &Context, code: Code) -> usize {
    review(draft, policy, context).findings.iter().filter(|f| f.code == code).count()
}

fn benches(c: &mut Criterion) {
    let draft = mail();
    let off = policy("off", "off");
    let greeting_on = policy("warn", "off");
    let small = Context { lang: Lang::Ja, contacts: Contacts::from_entries(book(5000)), sent: None };
    assert_eq!(count(&draft, &greeting_on, &small, Code::SalutationMismatch), 1);
    assert_eq!(count(&draft, &greeting_on, &small, Code::AttachmentForOtherParty), 1);
    let mut group = c.benchmark_group("who the mail is for");
    group.bench_function("typical mail, 5,000 contacts, greeting and organisation checks off", |b| {
        b.iter(|| review(black_box(&draft), black_box(&off), black_box(&small)))
    });
    group.bench_function("typical mail, 5,000 contacts, greeting and organisation checks on", |b| {
        b.iter(|| review(black_box(&draft), black_box(&greeting_on), black_box(&small)))
    });

    let similar_on = policy("off", "warn");
    let mut entries = book(10_000);
    entries.push("鈴木 一郎 <i.suzuki@alpha-shoji.example>".into());
    let big = Context { lang: Lang::Ja, contacts: Contacts::from_entries(&entries), sent: None };
    // The index is built with the contacts' first review and kept, as the add-on keeps them.
    assert_eq!(count(&draft, &similar_on, &big, Code::SimilarRecipient), 1);
    group.bench_function("typical mail, 10,000 contacts, similar-recipient off", |b| {
        b.iter(|| review(black_box(&draft), black_box(&off), black_box(&big)))
    });
    group.bench_function("typical mail, 10,000 contacts, similar-recipient on", |b| {
        b.iter(|| review(black_box(&draft), black_box(&similar_on), black_box(&big)))
    });
    group.finish();

    // The target itself: with `lookalike-domain` and `similar-recipient` off in both runs, the
    // difference between these two is what the greeting and organisation checks add. Run the
    // pair several times in turns (`-- "greeting A/B"`) on a shared machine.
    let bare_off = policy_with("off", "off", "off");
    let bare_on = policy_with("warn", "off", "off");
    assert_eq!(count(&draft, &bare_on, &small, Code::SalutationMismatch), 1);
    assert_eq!(count(&draft, &bare_on, &small, Code::AttachmentForOtherParty), 1);
    let mut group = c.benchmark_group("greeting A/B");
    group.bench_function("A: typical mail, 5,000 contacts, lookalike and similar off, greeting checks off", |b| {
        b.iter(|| review(black_box(&draft), black_box(&bare_off), black_box(&small)))
    });
    group.bench_function("B: typical mail, 5,000 contacts, lookalike and similar off, greeting checks on", |b| {
        b.iter(|| review(black_box(&draft), black_box(&bare_on), black_box(&small)))
    });
    group.finish();
}

criterion_group!(who, benches);
criterion_main!(who);
