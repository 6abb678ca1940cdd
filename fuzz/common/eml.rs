//! The CLI's .eml reader on any bytes, as an admin may point it at any saved file.
//!
//! Shared by the fuzz target `eml` and its replay on stable (`crates/cli/tests/fuzz_corpus.rs`).
//! A mail that reads is reviewed under a policy with every check on and rendered as
//! `--format text` does. Beyond "no panic, no hang", it checks that the text for the terminal
//! holds no control character but its line breaks, whatever the mail holds.

use std::sync::OnceLock;

use misend_guard_cli::engine::Engine;
use misend_guard_cli::{cli, eml, text};
use misend_guard_rules::policy::PolicyInput;
use misend_guard_rules::Lang;
use serde_json::json;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let policy = json!({
            "internalDomains": ["corp.example"],
            "rules": {"empty-body": {"severity": "warn"}, "pii-credit-card": {"when": "always"}},
            "keywords": [{"id": "secret", "pattern": "社外秘|(?i)confidential", "severity": "block"}]
        });
        Engine::new(Some(PolicyInput::from_value(&policy)), None, Lang::Ja, None)
    })
}

/// Reads `data` as an .eml file, then reviews and renders it.
pub fn run(data: &[u8]) {
    let Ok(draft) = eml::parse(data) else { return };
    let _ = cli::draft_json(&draft);
    let review = serde_json::to_value(engine().check(&draft)).expect("a review is JSON");
    let rendered = text::render("mail.eml", &review, Lang::En);
    assert!(
        rendered.chars().all(|c| c == '\n' || !c.is_control()),
        "a control character reaches the terminal: {rendered:?}"
    );
}
