//! The CLI and the add-on give the same review for the same mail under the same policy.
//!
//! For some fixtures in `tests/eml/`, the draft is written here by hand as the add-on would
//! build it from Thunderbird's compose window (plain JSON, recipients as Thunderbird writes
//! them), and reviewed with `CheckerCore::check`, the call behind the add-on's wasm.
//! The CLI's JSON review of the .eml file must be equal to it, field for field.

use std::path::PathBuf;
use std::process::Command;

use misend_guard_dto::{CheckerCore, ContextDto, DraftDto};
use serde_json::{json, Value};

const POLICY: &str = r#"{"internalDomains": ["corp.example"], "rules": {"external-recipient": {"severity": "warn"}}}"#;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn cli(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_misend-guard")).args(args).output().expect("the binary runs");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// The review as the add-on's wasm facade makes it: `CheckerCore::check` on a JSON draft.
fn addon_review(core: &CheckerCore, draft: Value) -> Value {
    let draft: DraftDto = serde_json::from_value(draft).expect("the add-on's draft shape");
    serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap()
}

/// Reviews the fixture with the CLI and the hand-written draft with the add-on's core.
fn check(fixture: &str, addon_draft: Value) {
    let policy_file =
        std::env::temp_dir().join(format!("misend-guard-agreement-{}-{fixture}.json", std::process::id()));
    std::fs::write(&policy_file, POLICY).unwrap();
    let mail = root().join("tests/eml").join(fixture).display().to_string();
    // The hand-written drafts are those of an add-on that does not look inside attachments.
    let from_cli =
        cli(&["--lang", "ja", "check", "--no-inspect", "--policy", &policy_file.display().to_string(), &mail]);
    std::fs::remove_file(&policy_file).unwrap();

    let from_addon = addon_review(&CheckerCore::from_text(POLICY, "ja"), addon_draft);

    // The comparison is only worth something when the review has content.
    assert!(!from_addon["recipients"].as_array().unwrap().is_empty(), "{fixture}");
    assert_eq!(from_cli["verdict"], from_addon["verdict"], "{fixture}: verdict");
    assert_eq!(from_cli["findings"], from_addon["findings"], "{fixture}: findings");
    assert_eq!(from_cli["recipients"], from_addon["recipients"], "{fixture}: recipients");
    assert_eq!(from_cli["attachments"], from_addon["attachments"], "{fixture}: attachments");
    assert_eq!(from_cli, from_addon, "{fixture}: the whole review");
}

#[test]
fn bcc_copy_with_groups_and_quoted_names() {
    check(
        "bcc.eml",
        json!({
            "from": "\"Yamada, Taro\" <yamada@corp.example>",
            "to": ["\"Sato, Jiro\" <sato@partner.example>", "suzuki@corp.example"],
            "cc": ["加藤 <kato@other.example>", "a@partner.example", "b@partner.example"],
            "bcc": ["boss@corp.example"],
            "subject": "Bcc copy",
            "body": "Hello.\n",
            "attachments": []
        }),
    );
}

#[test]
fn iso_2022_jp_mail() {
    check(
        "iso-2022-jp.eml",
        json!({
            "from": "山田 太郎 <yamada@corp.example>",
            "to": ["佐藤 次郎 <sato@partner.example>"],
            "subject": "見積書の件",
            "body": "佐藤様\n\nいつもお世話になっております。\n見積書をお送りします。\n",
            "attachments": []
        }),
    );
}

#[test]
fn japanese_attachment_names_and_sizes() {
    check(
        "japanese-attachment-names.eml",
        json!({
            "from": "yamada@corp.example",
            "to": ["sato@partner.example"],
            "subject": "資料送付",
            "body": "資料を添付します。",
            "attachments": [
                {"name": "見積書.pdf", "size": 1536},
                {"name": "顧客一覧_2025年12月.xlsx", "size": 1024},
                {"name": "名簿.csv", "size": 10}
            ]
        }),
    );
}

#[test]
fn forwarded_message_attachment() {
    check(
        "nested-message.eml",
        json!({
            "from": "yamada@corp.example",
            "to": ["suzuki@corp.example"],
            "subject": "Fw: Original question",
            "body": "Forwarding the customer's mail.",
            "attachments": [{"name": "Original question.eml", "size": 404}]
        }),
    );
}

/// `misend-guard draft` prints the add-on's draft shape: fed back to the core, it gives the
/// review that `check` prints, for every fixture.
#[test]
fn the_printed_draft_is_what_check_reviews() {
    let dir = root().join("tests/eml");
    let mut fixtures: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .map(|p| p.display().to_string())
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 10);
    let core = CheckerCore::new(Ok(Value::Null), "en");
    for mail in fixtures {
        let reviewed = cli(&["--lang", "en", "check", &mail]);
        assert_eq!(reviewed, addon_review(&core, cli(&["draft", &mail])), "{mail}");
    }
}
