//! Benchmarks of the recipient checks, with the targets of the issue:
//! a typical mail through `review()` in under 50 µs, and 10,000 recipients against 10,000
//! known domains (look-alikes on) in under 200 ms. Results are recorded in BENCHMARKS.md.
//!
//! Run with `cargo bench -p misend-guard-rules --bench recipients`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use misend_guard_rules::{review, Contacts, Context, Draft, DraftAttachment, DraftRecipient, Field, Lang, Policy};
use serde_json::json;

fn policy() -> Policy {
    let loaded = Policy::load(
        &json!({
            "internalDomains": ["corp.example", "*.corp.example"],
            "knownDomains": ["partner.co.jp", "*.partner.co.jp"],
            "rules": {"blocked-domain": {"entries": ["evil.example", "*.evil.example", "someone@free.example"]}}
        }),
        Lang::Ja,
    );
    assert!(loaded.diagnostics.is_empty());
    loaded.policy
}

/// A mail as an office worker sends it: 10 recipients of 3 organisations, 2 attachments,
/// a 5 KB body.
fn typical_mail() -> Draft {
    let to = [
        "田中 太郎 <tanaka@partner.co.jp>",
        "\"Suzuki, Hanako\" <suzuki@partner.co.jp>",
        "Sato <sato@client.example>",
        "課長 <kacho@corp.example>",
    ];
    let cc = ["ito@corp.example", "kato@mail.corp.example", "Yamada <yamada@client.example>", "nakamura@partner.co.jp"];
    let bcc = ["archive@corp.example", "watanabe@other.example"];
    let mut recipients = Vec::new();
    for (field, list) in [(Field::To, &to[..]), (Field::Cc, &cc[..]), (Field::Bcc, &bcc[..])] {
        recipients.extend(list.iter().map(|r| DraftRecipient::new(field, *r)));
    }
    let line = "いつもお世話になっております。先日の打ち合わせの件、資料を添付いたします。ご確認のほどよろしくお願いいたします。\n";
    let body = line.repeat(5 * 1024 / line.len() + 1);
    Draft {
        from: Some("Me <me@corp.example>".into()),
        recipients,
        subject: "打ち合わせ資料の送付".into(),
        body,
        attachments: vec![
            DraftAttachment::new("見積書.pdf", Some(48_213)),
            DraftAttachment::new("議事録.docx", Some(120_004)),
        ],
    }
}

/// A small deterministic generator, so that every run measures the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn name(&mut self) -> String {
        let len = 5 + self.below(8);
        (0..len).map(|_| (b'a' + self.below(26) as u8) as char).collect()
    }
}

const SUFFIXES: &[&str] = &["co.jp", "jp", "com", "ne.jp", "or.jp", "example", "co.uk", "net"];

/// 10,000 address-book entries at 10,000 domains, and 10,000 recipients: 40% at those domains,
/// 20% one typo away from one of them, 40% elsewhere.
fn big() -> (Draft, Vec<String>) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let domains: Vec<String> =
        (0..10_000).map(|_| format!("{}.{}", rng.name(), SUFFIXES[rng.below(SUFFIXES.len())])).collect();
    let contacts: Vec<String> = domains.iter().enumerate().map(|(i, d)| format!("Person {i} <p{i}@{d}>")).collect();
    let mut recipients = Vec::new();
    for i in 0..10_000 {
        let domain = match i % 5 {
            0 | 1 => domains[rng.below(domains.len())].clone(),
            2 => {
                let mut typo: Vec<char> = domains[rng.below(domains.len())].chars().collect();
                let at = rng.below(4);
                typo[at] = if typo[at] == 'x' { 'y' } else { 'x' };
                typo.into_iter().collect()
            }
            _ => format!("{}.{}", rng.name(), SUFFIXES[rng.below(SUFFIXES.len())]),
        };
        let field = [Field::To, Field::Cc, Field::Bcc][i % 3];
        recipients.push(DraftRecipient::new(field, format!("User {i} <u{i}@{domain}>")));
    }
    (Draft { recipients, subject: "お知らせ".into(), body: "本文".into(), ..Draft::default() }, contacts)
}

fn benches(c: &mut Criterion) {
    let policy = policy();
    let draft = typical_mail();
    let context = Context { lang: Lang::Ja, ..Context::default() };
    let typical = review(&draft, &policy, &context);
    assert_eq!(typical.recipients.len(), 10);
    c.bench_function("typical mail: 10 recipients, 2 attachments, 5 KB body", |b| {
        b.iter(|| review(black_box(&draft), black_box(&policy), black_box(&context)))
    });

    let book: Vec<String> = (0..500).map(|i| format!("Person {i} <p{i}@company{}.co.jp>", i % 200)).collect();
    let with_book = Context { lang: Lang::Ja, contacts: Contacts::from_entries(&book), sent: None };
    c.bench_function("typical mail with a 500-address book", |b| {
        b.iter(|| review(black_box(&draft), black_box(&policy), black_box(&with_book)))
    });

    let (big_draft, book) = big();
    let big_context = Context { lang: Lang::Ja, contacts: Contacts::from_entries(&book), sent: None };
    let out = review(&big_draft, &policy, &big_context);
    let lookalikes = out.findings.iter().filter(|f| f.code.as_str() == "lookalike-domain").count();
    assert!(lookalikes > 1_000, "the typos must be found: {lookalikes}");
    let mut group = c.benchmark_group("large");
    group.sample_size(10);
    // The address books' index is kept with the contacts, as the add-on keeps them between mails.
    group.bench_function("10,000 recipients against 10,000 known domains", |b| {
        b.iter(|| review(black_box(&big_draft), black_box(&policy), black_box(&big_context)))
    });
    // The first mail after the address books changed also indexes their domains.
    group.bench_function("10,000 recipients against 10,000 known domains, indexing them", |b| {
        b.iter_batched(
            || Context { lang: Lang::Ja, contacts: Contacts::from_entries(&book), sent: None },
            |context| review(black_box(&big_draft), black_box(&policy), &context),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("10,000 address-book entries into Contacts", |b| {
        b.iter(|| Contacts::from_entries(black_box(&book)))
    });
    group.finish();
}

criterion_group!(recipients, benches);
criterion_main!(recipients);
