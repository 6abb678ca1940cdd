//! Benchmarks of the engine on the content side: a typical mail through `review()`, and a
//! 10 MB body, to show that the checks stay linear and fast. Results go in `BENCHMARKS.md`.
//!
//! Run with `cargo bench -p misend-guard-rules --bench content`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use misend_guard_rules::{review, Context, Draft, DraftAttachment, DraftRecipient, Field, Lang, Policy};
use serde_json::json;

/// The policy of a typical office: internal domains, a few keyword rules, defaults elsewhere.
fn policy() -> Policy {
    let loaded = Policy::load(
        &json!({
            "internalDomains": ["corp.example", "*.corp.example"],
            "keywords": [
                {"id": "confidential", "pattern": "社外秘|取扱注意|(?i)confidential", "when": "external"},
                {"id": "project", "pattern": "Project\\s+Falcon|ファルコン計画", "severity": "block"},
                {"id": "salary", "pattern": "給与|賞与|salary", "in": ["subject", "attachment-name"]},
                {"id": "password", "pattern": "(?i)password\\s*[:：]", "in": ["body"]}
            ]
        }),
        Lang::Ja,
    );
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    loaded.policy
}

/// About 5 KB of a Japanese and English business mail, with a quoted reply and a signature.
fn typical_body() -> String {
    let own = "山田様\n\nいつもお世話になっております。株式会社サンプルの佐藤です。\n\
        先日ご相談いただいた件について、見積書を添付いたします。ご確認のほどよろしくお願いいたします。\n\
        納期は来月末を予定しております。ご不明な点がございましたら、お気軽にお問い合わせください。\n\
        Please find the quotation attached. The delivery is planned for the end of next month.\n\
        If you have any questions, feel free to contact me at any time.\n\n";
    let quoted = "> 佐藤様\n> お見積もりをお願いできますでしょうか。数量は 120 個、納品先は本社です。\n\
        > Could you send us a quotation for 120 units, delivered to our head office?\n";
    let signature = "-- \n佐藤 花子 / Hanako Sato\n株式会社サンプル 営業部\nTel 03-1234-5678\n";
    let mut body = String::new();
    while body.len() < 2_500 {
        body.push_str(own);
    }
    body.push_str("On 2026/11/20 10:00, Taro Yamada wrote:\n");
    while body.len() < 4_900 {
        body.push_str(quoted);
    }
    body.push_str(signature);
    body
}

fn typical_draft() -> Draft {
    let mut recipients = Vec::new();
    for i in 0..6 {
        recipients.push(DraftRecipient::new(Field::To, format!("Person {i} <p{i}@partner.example>")));
    }
    for i in 0..3 {
        recipients.push(DraftRecipient::new(Field::Cc, format!("同僚{i} <c{i}@corp.example>")));
    }
    recipients.push(DraftRecipient::new(Field::Bcc, "archive@corp.example"));
    Draft {
        from: Some("佐藤 花子 <sato@corp.example>".to_string()),
        recipients,
        subject: "Re: お見積もりのご依頼（120 個）".to_string(),
        body: typical_body(),
        attachments: vec![
            DraftAttachment::new("見積書_2026-11.pdf", Some(182_000)),
            DraftAttachment::new("製品仕様書.xlsx", Some(1_250_000)),
        ],
    }
}

/// A 10 MB body of ordinary text, own and quoted lines mixed, without a reply header or a
/// signature that would end the author's part early: every check reads all of it.
fn huge_draft() -> Draft {
    let mut draft = typical_draft();
    let paragraph = typical_body().replace("On 2026/11/20 10:00, Taro Yamada wrote:\n", "").replace("-- \n", "");
    let mut body = String::with_capacity(10_500_000);
    while body.len() < 10_000_000 {
        body.push_str(&paragraph);
    }
    draft.body = body;
    draft.attachments.clear();
    draft
}

fn benches(c: &mut Criterion) {
    let policy = policy();
    // `..Context::default()` keeps this compiling as Context gains fields.
    #[allow(clippy::needless_update)]
    let context = Context { lang: Lang::Ja, ..Context::default() };

    let draft = typical_draft();
    let mut group = c.benchmark_group("review");
    group.bench_function("typical mail (10 recipients, 5 KB body, 2 attachments, 4 keyword rules)", |b| {
        b.iter(|| review(black_box(&draft), black_box(&policy), &context))
    });
    group.finish();

    let huge = huge_draft();
    let mut group = c.benchmark_group("review");
    group.throughput(Throughput::Bytes(huge.body.len() as u64));
    group.sample_size(10);
    group.bench_function("10 MB body", |b| b.iter(|| review(black_box(&huge), black_box(&policy), &context)));
    group.finish();
}

criterion_group!(content, benches);
criterion_main!(content);
