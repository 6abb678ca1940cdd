//! The policy loader on any text, as an admin's `policies.json` entry may hold anything.
//!
//! Shared by the fuzz target `policy` and its replay on stable
//! (`crates/rules/tests/fuzz_corpus.rs`), so that both call exactly this.
//! It loads the text in both languages, places every diagnostic in the text as the CLI and the
//! options page do, and reviews a mail that every check can look at under the loaded policy.
//! Beyond "no panic, no hang", it checks the promise of the loader: any error degrades the policy.

use misend_guard_rules::policy::Locator;
use misend_guard_rules::{review, Context, Draft, DraftAttachment, DraftRecipient, Field, Lang, Policy};

/// Inputs longer than this are cut: the loader's cost on huge policies is measured by the
/// benchmarks, and a fuzzer's time is better spent on shapes than on sizes.
const MAX_INPUT: usize = 64 * 1024;

/// Loads `data` (as UTF-8 text) as a policy and reviews one mail under it.
pub fn run(data: &[u8]) {
    let data = &data[..data.len().min(MAX_INPUT)];
    let text = String::from_utf8_lossy(data);
    for lang in [Lang::Ja, Lang::En] {
        let loaded = Policy::load_text(&text, lang);
        assert!(
            !loaded.has_errors() || loaded.policy.degraded,
            "an error that does not degrade the policy: {text:?}"
        );
        let locator = Locator::new(&text);
        for diagnostic in &loaded.diagnostics {
            let _ = locator.locate(&diagnostic.path);
        }
        let draft = Draft {
            from: Some("Sato <sato@corp.example>".to_string()),
            recipients: vec![
                DraftRecipient::new(Field::To, "Tanaka <tanaka@partner.example>"),
                DraftRecipient::new(Field::Cc, "suzuki@corp.example"),
                DraftRecipient::new(Field::Bcc, "x@c0rp.example"),
            ],
            subject: "【社外秘】見積書 TODO".to_string(),
            body: "資料を添付します。カード 4111-1111-1111-1111\n〇〇様\n-- \nSato".to_string(),
            attachments: vec![DraftAttachment::new("見積書.pdf.exe", Some(20_000_000))],
        };
        // `..Context::default()` keeps this compiling as Context gains fields.
        #[allow(clippy::needless_update)]
        let context = Context { lang, ..Context::default() };
        let review = review(&draft, &loaded.policy, &context);
        for finding in &review.findings {
            assert!(finding.attachments.iter().all(|&i| i < draft.attachments.len()));
        }
    }
}
