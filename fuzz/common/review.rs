//! The review of any draft, as the add-on, the playground and the CLI ask for it: through
//! `CheckerCore`, the one engine call of every surface.
//!
//! Shared by the fuzz target `review` and its replay on stable
//! (`crates/cli/tests/fuzz_corpus.rs`). An input is JSON: a golden case
//! (`{"policy", "user", "draft", "context", "lang"}`, see tests/cases/README.md), or a draft
//! alone, reviewed under a policy that turns every check on. Anything else is not a draft and
//! is skipped, as the DTO layer refuses it before the engine runs.

use std::sync::OnceLock;

use misend_guard_dto::{CheckerCore, ContextDto, DraftDto};
use serde_json::{json, Value};

/// Inputs longer than this are cut.
const MAX_INPUT: usize = 256 * 1024;

/// A policy with every check on, for internal mail too.
fn strict() -> &'static CheckerCore {
    static CORE: OnceLock<CheckerCore> = OnceLock::new();
    CORE.get_or_init(|| {
        let policy = json!({
            "internalDomains": ["corp.example", "*.corp.example"],
            "knownDomains": ["partner.example"],
            "rules": {
                "empty-body": {"severity": "warn"},
                "pii-my-number": {"when": "always"},
                "pii-credit-card": {"when": "always"},
                "attachment-too-large": {"maxBytes": 1000}
            },
            "keywords": [
                {"id": "secret", "pattern": "社外秘|(?i)confidential", "severity": "block"},
                {"id": "names", "pattern": "\\.(exe|zip)$", "in": ["attachment-name"]}
            ]
        });
        CheckerCore::new(Ok(policy), "ja")
    })
}

/// Reviews the draft in `data`.
pub fn run(data: &[u8]) {
    let data = &data[..data.len().min(MAX_INPUT)];
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return };
    let case = value.get("draft").is_some();
    let draft = if case { &value["draft"] } else { &value };
    let Ok(draft) = serde_json::from_value::<DraftDto>(draft.clone()) else { return };
    let context = value.get("context").cloned().and_then(|c| serde_json::from_value::<ContextDto>(c).ok());
    let context = context.unwrap_or_default();
    let owned;
    let core = if case {
        let lang = value["lang"].as_str().unwrap_or("en");
        owned = CheckerCore::with_user(Ok(value["policy"].clone()), Ok(value["user"].clone()), lang);
        &owned
    } else {
        strict()
    };
    let review = serde_json::to_value(core.check(&draft, &context)).expect("a review is JSON");
    assert!(matches!(review["verdict"].as_str(), Some("ok" | "warn" | "block")), "{review}");
    let has_errors = core.diagnostics().iter().any(|d| d.level == "error" && d.source == "admin");
    assert!(!has_errors || review["degraded"] == true, "an admin error that does not degrade: {review}");
    // Every recipient is in exactly one group.
    let recipients = review["recipients"].as_array().map_or(0, Vec::len);
    let mut grouped: Vec<u64> = review["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["members"].as_array().cloned().unwrap_or_default())
        .filter_map(|m| m.as_u64())
        .collect();
    grouped.sort_unstable();
    assert_eq!(grouped, (0..recipients as u64).collect::<Vec<_>>(), "{review}");
}
