//! Times what a checker does with a new context (issue #13): the context's JSON read, the
//! address books parsed, and the first check, which builds the indexes of the contacts
//! (similar-recipient, organisations, look-alike domains). The address books are shaped as
//! the add-on hands them over: 10,000 entries of 5,000 vCards with a long name and two
//! addresses (`tests/e2e/address-books.test.mjs`), and 5,000 cards with an organisation
//! (`tests/bench/who-bench.mjs`).
//!
//! Run with `cargo run --release -p misend-guard-dto --example set_context [ROUNDS]`.

use std::time::Instant;

use misend_guard_dto::{contacts_of, CheckerCore, ContextDto, DraftDto};
use misend_guard_rules::Contacts;
use serde_json::json;

/// The context JSON of the Thunderbird test's 5,000 vCards: each card's two addresses, as
/// `"Name" <addr>` (a card without an organisation crosses as a string).
fn vcards() -> String {
    let entries: Vec<String> = (0..5000)
        .flat_map(|i| {
            let name = format!("山田 太郎 {i} (営業部 第一グループ 課長代理 兼 海外事業推進室 担当)");
            [
                format!("\"{name}\" <taro.yamada.{i}@partner{}.example>", i % 300),
                format!("\"{name}\" <t.yamada.{i}@branch.partner{}.example>", i % 300),
            ]
        })
        .collect();
    json!({ "contacts": entries, "sent": null }).to_string()
}

/// The context JSON of who-bench's 5,000 cards at 1,000 companies.
fn cards() -> String {
    let family = ["鈴木", "佐藤", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];
    let entries: Vec<_> = (0..5000)
        .map(|i| {
            json!({
                "address": format!("person{i}@company{}.example", i / 5),
                "name": format!("{} {i}郎", family[i % 10]),
                "org": format!("株式会社カンパニー{}", i / 5),
            })
        })
        .collect();
    json!({ "contacts": entries, "sent": null }).to_string()
}

fn draft() -> DraftDto {
    serde_json::from_value(json!({
        "from": "佐藤 <sato@corp.example>",
        "to": ["鈴木 一郎（株式会社ベータ工業） <suzuki@beta-kogyo.example>", "taro.yamada.4999@partner199.example"],
        "cc": ["t.yamada.17@branch.partner17.example", "nobody@nowhere.example"],
        "bcc": [],
        "subject": "お見積りの件",
        "body": "株式会社アルファ商事\n営業部 山田様\n\nいつもお世話になっております。\n",
        "attachments": [{"name": "見積書.pdf", "size": 48213}]
    }))
    .unwrap()
}

fn ms(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Each step of taking in a context in a function of its own, so that an instruction count
/// (`valgrind --tool=callgrind`) shows what each costs.
#[inline(never)]
fn phases(core: &CheckerCore, draft: &DraftDto, text: &str) -> String {
    let context = phase_read(text);
    let contacts = phase_parse(&context);
    phase_similar(&contacts);
    phase_orgs(&contacts);
    phase_resemblance(&contacts);
    phase_check(core, draft, &contacts)
}

#[inline(never)]
fn phase_read(text: &str) -> ContextDto {
    serde_json::from_str(text).unwrap()
}

#[inline(never)]
fn phase_parse(context: &ContextDto) -> Contacts {
    contacts_of(&context.contacts)
}

#[inline(never)]
fn phase_similar(contacts: &Contacts) {
    std::hint::black_box(contacts.similar());
}

#[inline(never)]
fn phase_orgs(contacts: &Contacts) {
    std::hint::black_box(contacts.orgs());
}

#[inline(never)]
fn phase_resemblance(contacts: &Contacts) {
    std::hint::black_box(contacts.resemblance());
}

#[inline(never)]
fn phase_check(core: &CheckerCore, draft: &DraftDto, contacts: &Contacts) -> String {
    serde_json::to_string(&core.check_known(draft, contacts, None)).unwrap()
}

fn main() {
    if std::env::var_os("PHASES").is_some() {
        let core = CheckerCore::new(Ok(json!({"internalDomains": ["corp.example"]})), "ja");
        for text in [vcards(), cards()] {
            // The reviews themselves, to compare two builds' findings.
            println!("{}", phases(&core, &draft(), &text));
        }
        return;
    }
    let rounds: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(15);
    let core = CheckerCore::new(Ok(json!({"internalDomains": ["corp.example"]})), "ja");
    let draft = draft();
    for (label, text) in [("10,000 entries of 5,000 vCards", vcards()), ("5,000 cards with organisations", cards())] {
        let (mut read, mut parsed, mut first, mut next) = (vec![], vec![], vec![], vec![]);
        let mut findings = 0;
        for _ in 0..rounds {
            let start = Instant::now();
            let context: ContextDto = serde_json::from_str(&text).unwrap();
            read.push(ms(start));
            let start = Instant::now();
            let contacts = contacts_of(&context.contacts);
            parsed.push(ms(start));
            let start = Instant::now();
            let review = core.check_known(&draft, &contacts, None);
            first.push(ms(start));
            let start = Instant::now();
            let again = core.check_known(&draft, &contacts, None);
            next.push(ms(start));
            let review = serde_json::to_string(&review).unwrap();
            assert_eq!(serde_json::to_string(&again).unwrap(), review);
            findings = review.len();
        }
        println!(
            "{label} ({} KB): JSON read {:.2} ms, parsed {:.2} ms, first check {:.2} ms (the next {:.3} ms), review of {findings} bytes",
            text.len() / 1024,
            median(read),
            median(parsed),
            median(first),
            median(next)
        );
    }
}
