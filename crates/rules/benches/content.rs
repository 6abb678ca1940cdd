//! Benchmarks of the engine on the content side: a typical mail through `review()`, a 10 MB
//! body, and a typical mail whose workbook was inspected (a 5,000-row list of people), to show
//! that the checks stay linear and fast. Results go in `BENCHMARKS.md`.
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

/// The typical mail, its workbook inspected: a sheet of 5,000 people (氏名, 住所, 電話番号,
/// メール), every cell a text chunk as the inspector gives them, and a memo sheet.
fn inspected_draft() -> Draft {
    use misend_guard_rules::facts::{Column, ColumnClass, Facts, Kind, Table, TextChunk};
    let mut facts = Facts::new("製品仕様書.xlsx", 1_250_000, Kind::Xlsx);
    let header = ["氏名", "住所", "電話番号", "メール"];
    for row in 2..5002 {
        for (column, text) in [
            ('A', format!("佐藤 太郎{row}")),
            ('B', format!("東京都千代田区丸の内{}-{row}", row % 3 + 1)),
            ('C', format!("03-{:04}-{:04}", 1000 + row % 9000, 5000 + row % 5000)),
            ('D', format!("user{row}@example.co.jp")),
        ] {
            facts.text.push(TextChunk { place: format!("Sheet1!{column}{row}"), text });
        }
    }
    facts.tables.push(Table {
        place: "Sheet1".to_string(),
        header: header.iter().map(|h| h.to_string()).collect(),
        rows: 5000,
        columns: header
            .iter()
            .enumerate()
            .map(|(i, h)| Column {
                header: h.to_string(),
                class: [None, None, Some(ColumnClass::Phone), Some(ColumnClass::Email)][i],
                samples: Vec::new(),
            })
            .collect(),
    });
    let mut draft = typical_draft();
    draft.attachments[1].contents = misend_guard_rules::Contents::Inspected(Box::new(facts));
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

    let inspected = inspected_draft();
    let mut group = c.benchmark_group("review");
    group.sample_size(20);
    group.bench_function("typical mail with an inspected 5,000-row workbook", |b| {
        b.iter(|| review(black_box(&inspected), black_box(&policy), &context))
    });
    group.finish();
}

criterion_group!(content, benches);
criterion_main!(content);
