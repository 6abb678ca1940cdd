//! The worst cases of BENCHMARKS.md's reliability table: each builds one hostile input, loads
//! the policy and checks a mail, and prints the time of each step.
//! Peak memory is measured from outside (`/usr/bin/time -v`), one case per process:
//!
//! ```text
//! cargo build --release -p misend-guard-rules --example worst_case
//! /usr/bin/time -v target/release/examples/worst_case domains-100k
//! ```

use std::time::Instant;

use misend_guard_rules::{review, Contacts, Context, Draft, DraftRecipient, Field, Lang, Policy};
use serde_json::{json, Value};

/// A draft to `to`, with a subject and a body, and no attachment.
fn draft(to: Vec<String>, body: String) -> Draft {
    Draft {
        from: Some("me@corp.example".into()),
        recipients: to.into_iter().map(|raw| DraftRecipient::new(Field::To, raw)).collect(),
        subject: "Minutes".into(),
        body,
        attachments: Vec::new(),
    }
}

/// A typical mail: two recipients, 2 KB of Japanese and English text.
fn typical() -> Draft {
    let body = "お世話になっております。会議の議事録をお送りします。The minutes follow.\n".repeat(25);
    draft(vec!["a@corp.example".into(), "b@partner.example".into()], body)
}

/// Names of `len` letters that differ in their last three: every two are near-identical.
fn near_identical(n: usize) -> Vec<String> {
    let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789".chars().collect();
    (0..n)
        .map(|i| {
            let (a, b, c) = (i % 36, (i / 36) % 36, (i / 1296) % 36);
            format!("corporate{}{}{}.example", letters[a], letters[b], letters[c])
        })
        .collect()
}

fn time<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    println!("{what}: {:.1} ms", start.elapsed().as_secs_f64() * 1000.0);
    out
}

fn load_and_check(policy_text: &str, mail: &Draft, contacts: &Contacts) {
    println!("policy: {} bytes", policy_text.len());
    let loaded = time("load", || Policy::load_text(policy_text, Lang::En));
    println!("diagnostics: {}, degraded: {}", loaded.diagnostics.len(), loaded.policy.degraded);
    let context = Context { lang: Lang::En, contacts: contacts.clone(), sent: None };
    let r = time("check", || review(mail, &loaded.policy, &context));
    println!("findings: {}, verdict: {:?}", r.findings.len(), r.verdict);
    let r = time("check typical mail", || review(&typical(), &loaded.policy, &context));
    println!("findings: {}", r.findings.len());
}

fn main() {
    let case = std::env::args().nth(1).unwrap_or_default();
    let none = Contacts::default();
    match case.as_str() {
        "nested" => {
            let text = "{\"a\":".repeat(3100) + "1" + &"}".repeat(3100);
            load_and_check(&text, &typical(), &none);
        }
        "domains-100k" => {
            let domains: Vec<String> = (0..100_000).map(|i| format!("d{i}.corp.example")).collect();
            let text = json!({"internalDomains": domains, "knownDomains": domains}).to_string();
            load_and_check(&text, &typical(), &none);
        }
        "extensions-100k" => {
            let extensions: Vec<String> = (0..100_000).map(|i| format!("x{i}")).collect();
            let text = json!({"rules": {"attachment-blocked-type": {"extensions": extensions}}}).to_string();
            load_and_check(&text, &typical(), &none);
        }
        "policy-10mb" => {
            // Every list at once, plus broken entries and unknown keys: 10 MB in all.
            let domains: Vec<String> = (0..150_000).map(|i| format!("d{i}.corp.example")).collect();
            let mut policy = json!({"internalDomains": domains, "knownDomains": domains,
                "rules": {"blocked-domain": {"entries": domains}}});
            let object = policy.as_object_mut().unwrap();
            for i in 0..20_000 {
                object.insert(format!("z{i}"), Value::from(i));
            }
            let text = policy.to_string();
            load_and_check(&text, &typical(), &none);
        }
        "keywords-1000" => {
            // Valid patterns, each near the per-rule limit of 1 MB compiled.
            let rules: Vec<Value> =
                (0..1000).map(|i| json!({"id": format!("k{i}"), "pattern": format!("\\w{{1,10}}k{i}")})).collect();
            let text = json!({"keywords": rules}).to_string();
            let body = "社外秘の資料です。confidential data follows, word after word.\n".repeat(16_000);
            load_and_check(&text, &draft(vec!["x@partner.example".into()], body), &none);
        }
        "keywords-1000-too-complex" => {
            // Patterns each just over the per-rule limit: every one is compiled, then rejected.
            let rules: Vec<Value> = (0..1000)
                .map(|i| json!({"id": format!("k{i}"), "pattern": format!("\\w{{1,40}}k{i}\\w{{1,40}}")}))
                .collect();
            let text = json!({"keywords": rules}).to_string();
            let body = "社外秘の資料です。confidential data follows, word after word.\n".repeat(16_000);
            load_and_check(&text, &draft(vec!["x@partner.example".into()], body), &none);
        }
        "terms-10k" => {
            let terms: Vec<String> = (0..10_000).map(|i| format!("{}{i}", "a".repeat(40))).collect();
            let text = json!({"rules": {"attachment-forgotten": {"terms": terms}}}).to_string();
            let body = "a".repeat(100_000);
            load_and_check(&text, &draft(vec!["x@partner.example".into()], body), &none);
        }
        "lookalike-40k" => {
            // 40,000 near-identical known domains, 40,000 near-identical recipients.
            let names = near_identical(80_000);
            let text = json!({"knownDomains": names[..40_000]}).to_string();
            let to: Vec<String> = names[40_000..].iter().map(|d| format!("x@{d}")).collect();
            load_and_check(&text, &draft(to, "Hello".into()), &none);
        }
        "contacts-100k" => {
            // 100,000 near-identical address-book domains, 100,000 near-identical recipients.
            let names = near_identical(200_000);
            let contacts = Contacts::from_entries(names[..100_000].iter().map(|d| format!("x@{d}")));
            let to: Vec<String> = names[100_000..].iter().map(|d| format!("x@{d}")).collect();
            load_and_check("{}", &draft(to, "Hello".into()), &contacts);
        }
        "contacts-100k-typical" => {
            // The same address books, and only typical mails.
            let names = near_identical(100_000);
            let contacts = Contacts::from_entries(names.iter().map(|d| format!("x@{d}")));
            let context = Context { lang: Lang::En, contacts, sent: None };
            let policy = Policy::default();
            for _ in 0..3 {
                time("check typical mail", || review(&typical(), &policy, &context));
            }
        }
        _ => {
            eprintln!("cases: nested domains-100k extensions-100k policy-10mb keywords-1000 keywords-1000-too-complex terms-10k lookalike-40k contacts-100k");
            std::process::exit(2);
        }
    }
}
