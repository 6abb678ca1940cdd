//! The `misend-guard` binary, run as an admin runs it: arguments, outputs and exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::scratch;

struct Output {
    stdout: String,
    stderr: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn eml(name: &str) -> String {
    root().join("tests/eml").join(name).display().to_string()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Runs the binary with a clean locale, checks its exit code and that it did not panic.
fn check(args: &[&str], env: &[(&str, &str)], code: i32) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_misend-guard"));
    command.args(args).env_remove("LC_ALL").env_remove("LC_MESSAGES").env_remove("LANG");
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().expect("the binary runs");
    let output = Output {
        stdout: String::from_utf8(out.stdout).expect("UTF-8 output"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 errors"),
    };
    assert!(!output.stderr.contains("panicked"), "{args:?} panicked:\n{}", output.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}\nstdout:\n{}\nstderr:\n{}", output.stdout, output.stderr);
    output
}

const POLICIES_JSON: &str = r#"{
  "policies": {
    "DisableAppUpdate": true,
    "3rdparty": {
      "Extensions": {
        "misend-guard@misend-guard.org": {
          "internalDomain": ["corp.example"],
          "internalDomains": ["corp.example", "*.corp.example", "bad*domain"],
          "rules": {
            "external-recipient": { "severity": "blok" }
          }
        }
      }
    }
  }
}
"#;

#[test]
fn policy_check_prints_compiler_style_diagnostics_at_lines_of_the_policies_json() {
    let dir = scratch("policy-check");
    let file = write(&dir, "policies.json", POLICIES_JSON);
    let out = check(&["--lang", "en", "policy", "check", &file], &[], 1);
    // The list of allowed keys grows with the policy; the suggestion is what matters here.
    let suggestion = "  hint: Did you mean \"internalDomains\"? Allowed: ";
    let lines: Vec<&str> = out.stderr.lines().map(|l| if l.starts_with(suggestion) { suggestion } else { l }).collect();
    let expected = [
        format!("{file}:7:11: error: internalDomain: unknown key \"internalDomain\". This key is ignored."),
        suggestion.to_string(),
        format!("{file}:10:49: error: rules.external-recipient.severity: \"blok\" is not an allowed value. This key is ignored."),
        "  hint: Did you mean \"block\"? Allowed: off, info, warn, block".to_string(),
        format!("{file}:8:65: error: internalDomains[2]: \"bad*domain\" cannot be used as a domain (a wildcard is only allowed as a leading \"*.\")."),
        "  hint: Write \"corp.example\" (that domain) or \"*.corp.example\" (its subdomains).".to_string(),
    ];
    assert_eq!(lines, expected);
    assert_eq!(
        out.stdout,
        format!("{file} (the Misend Guard entry of a policies.json): 3 error(s), 0 warning(s)\n")
    );
    // The same diagnostics in Japanese.
    let out = check(&["--lang", "ja", "policy", "check", &file], &[], 1);
    assert!(
        out.stderr
            .contains(&format!("{file}:7:11: error: internalDomain: \"internalDomain\" という項目はありません。")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("  hint: \"internalDomains\" の誤りではありませんか？"), "{}", out.stderr);
}

#[test]
fn policy_check_of_good_files() {
    let example = root().join("extension/policies/example.policies.json").display().to_string();
    let out = check(&["--lang", "en", "policy", "check", &example], &[], 0);
    assert_eq!(out.stdout, format!("{example} (the Misend Guard entry of a policies.json): ok\n"));
    assert_eq!(out.stderr, "");
    let dir = scratch("policy-good");
    let plain = write(&dir, "policy.json", "\u{feff}{\"internalDomains\": [\"corp.example\"]}");
    let out = check(&["--lang", "en", "policy", "check", &plain], &[], 0);
    assert_eq!(out.stdout, format!("{plain}: ok\n"));
}

#[test]
fn policy_files_that_cannot_be_used() {
    let dir = scratch("policy-bad");
    let missing = dir.join("missing.json").display().to_string();
    let out = check(&["--lang", "en", "policy", "check", &missing], &[], 1);
    assert!(out.stderr.starts_with(&format!("{missing}: error: cannot read: ")), "{}", out.stderr);

    let broken = write(&dir, "broken.json", "{\n  \"internalDomains\": [\"a.example\",]\n}\n");
    let out = check(&["--lang", "en", "policy", "check", &broken], &[], 1);
    assert!(
        out.stderr
            .starts_with(&format!("{broken}:2:35: error: not valid JSON: there is a comma after the last element")),
        "{}",
        out.stderr
    );

    let no_entry = write(
        &dir,
        "policies.json",
        "{\"policies\": {\"3rdparty\": {\"Extensions\": {\n  \"misend-guard@example.org\": {}}}}}",
    );
    let out = check(&["--lang", "en", "policy", "check", &no_entry], &[], 1);
    assert!(
        out.stderr.starts_with(&format!(
            "{no_entry}:1:28: error: this policies.json has no Misend Guard policy: it belongs at policies.3rdparty.Extensions[\"misend-guard@misend-guard.org\"]"
        )),
        "{}",
        out.stderr
    );
    // The check command refuses the same file, before reading any mail.
    let out = check(&["--lang", "en", "check", "--policy", &no_entry, &eml("bcc.eml")], &[], 1);
    assert_eq!(out.stdout, "");

    let latin1 = dir.join("latin1.json");
    std::fs::write(&latin1, b"{\"internalDomains\": [\"caf\xe9.example\"]}").unwrap();
    let latin1 = latin1.display().to_string();
    let out = check(&["--lang", "en", "policy", "check", &latin1], &[], 1);
    assert!(out.stderr.starts_with(&format!("{latin1}:1:26: error: not UTF-8")), "{}", out.stderr);
}

#[test]
fn one_mail_gives_one_review_document() {
    let policy = root().join("extension/policies/example.policies.json").display().to_string();
    let out = check(&["--lang", "en", "check", "--policy", &policy, &eml("bcc.eml")], &[], 0);
    let review: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(review["degraded"], false);
    // The verdict is the highest severity of the findings (other checks may add findings).
    let findings = review["findings"].as_array().unwrap();
    let highest = findings.iter().map(|f| f["severity"].as_str().unwrap()).fold("ok", |worst, s| match (worst, s) {
        (_, "block") | ("block", _) => "block",
        (_, "warn") | ("warn", _) => "warn",
        _ => worst,
    });
    assert_eq!(review["verdict"], highest);
    let recipients: Vec<(String, String, String)> = review["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["field"].as_str().unwrap().into(),
                r["address"].as_str().unwrap().into(),
                r["class"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected = [
        ("to", "sato@partner.example", "external"),
        ("to", "suzuki@corp.example", "internal"),
        ("cc", "kato@other.example", "external"),
        ("cc", "a@partner.example", "external"),
        ("cc", "b@partner.example", "external"),
        ("bcc", "boss@corp.example", "internal"),
    ];
    let expected: Vec<(String, String, String)> =
        expected.iter().map(|(f, a, c)| (f.to_string(), a.to_string(), c.to_string())).collect();
    assert_eq!(recipients, expected);
    assert_eq!(review["attachments"], Value::Array(vec![]));
    let finding = findings.iter().find(|f| f["code"] == "external-recipient").expect("an external-recipient finding");
    assert_eq!((finding["code"].as_str(), finding["severity"].as_str()), (Some("external-recipient"), Some("info")));
    assert!(finding["message"].as_str().unwrap().contains("4"), "{finding}");
}

#[test]
fn a_bad_mail_does_not_stop_the_others() {
    let dir = scratch("bad-mail");
    let not_mail = write(&dir, "notes.txt", "just some notes\nwithout any header\n");
    let missing = dir.join("missing.eml").display().to_string();
    let good = eml("multipart-mixed-two-attachments.eml");
    let out = check(&["--lang", "en", "check", &not_mail, &good, &missing], &[], 1);
    let entries: Value = serde_json::from_str(&out.stdout).unwrap();
    let entries = entries.as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["file"], not_mail.as_str());
    assert_eq!(entries[0]["error"], "not an e-mail message (no header found)");
    assert_eq!(entries[1]["file"], good.as_str());
    assert_eq!(entries[1]["review"]["attachments"][1]["name"], "chart.png");
    assert!(entries[2]["error"].as_str().unwrap().starts_with("cannot read"));
    let errors: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(errors.len(), 2, "one line per failed mail: {errors:?}");
    assert_eq!(errors[0], format!("{not_mail}: error: not an e-mail message (no header found)"));
    assert!(errors[1].starts_with(&format!("{missing}: error: cannot read")));
    // A single unreadable mail: nothing on standard output, the error on standard error.
    let out = check(&["--lang", "ja", "check", &not_mail], &[], 1);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, format!("{not_mail}: error: メールではありません（ヘッダーがありません）\n"));
}

#[test]
fn several_good_mails_exit_zero_whatever_the_verdict() {
    let dir = scratch("verdicts");
    let policy = write(
        &dir,
        "p.json",
        r#"{"internalDomains": ["corp.example"], "rules": {"external-recipient": {"severity": "block"}}}"#,
    );
    let out = check(
        &["--lang", "en", "check", "--policy", &policy, &eml("shift-jis.eml"), &eml("html-only.eml")],
        &[],
        0,
    );
    let entries: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(entries[0]["review"]["verdict"], "ok");
    assert_eq!(entries[1]["review"]["verdict"], "block");
    assert_eq!(out.stderr, "");
}

#[test]
fn an_invalid_policy_still_checks_mails_as_the_add_on_would_then_exits_one() {
    let dir = scratch("degraded");
    let policy = write(&dir, "policies.json", POLICIES_JSON);
    let out = check(&["--lang", "en", "check", "--policy", &policy, &eml("bcc.eml")], &[], 1);
    let review: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(review["degraded"], true);
    assert_eq!(review["diagnostics"].as_array().unwrap().len(), 3);
    assert!(
        out.stderr.contains(&format!("{policy}:10:49: error: rules.external-recipient.severity:")),
        "{}",
        out.stderr
    );
}

#[test]
fn text_format_summarizes_like_the_dialog() {
    let policy = root().join("extension/policies/example.policies.json").display().to_string();
    let out = check(
        &[
            "--lang",
            "en",
            "check",
            "--policy",
            &policy,
            "--format",
            "text",
            &eml("bcc.eml"),
            &eml("japanese-attachment-names.eml"),
        ],
        &[],
        0,
    );
    // The verdict and the other findings depend on every check; these lines do not.
    let verdict = out.stdout.lines().nth(1).unwrap();
    assert!(
        [
            "verdict: ok (nothing to stop the send)",
            "verdict: warn (needs a careful look)",
            "verdict: block (cannot be sent)"
        ]
        .contains(&verdict),
        "{verdict}"
    );
    let expected = format!(
        "== {}\n{verdict}
subject: Bcc copy
from: Yamada, Taro <yamada@corp.example>
recipients (6):
  internal (2)
    To  suzuki@corp.example
    Bcc boss@corp.example
  external: partner.example (3)
    To  Sato, Jiro <sato@partner.example>
    Cc  a@partner.example
    Cc  b@partner.example
  external: other.example (1)
    Cc  加藤 <kato@other.example>
attachments (0):
findings (",
        eml("bcc.eml")
    );
    assert!(out.stdout.starts_with(&expected), "{}", out.stdout);
    assert!(out.stdout.contains("\n  info  external-recipient: "), "{}", out.stdout);
    for line in [
        "attachments (3):",
        "  見積書.pdf  1.5 KB",
        "  顧客一覧_2025年12月.xlsx  1.0 KB",
        "  名簿.csv  10 B",
        // The example policy's personal-data rule, with the files it points at.
        "  warn  keyword: A file that looks like customer or personal data is going outside. Check that this recipient may receive it.",
        "        attachments: 顧客一覧_2025年12月.xlsx, 名簿.csv",
        "        recipients: sato@partner.example, kato@other.example, a@partner.example, b@partner.example",
    ] {
        assert!(out.stdout.lines().any(|l| l == line), "no line {line:?} in:\n{}", out.stdout);
    }
    let dir = scratch("text-degraded");
    let bad = write(&dir, "p.json", r#"{"internalDomains": ["a*"]}"#);
    let out = check(&["--lang", "ja", "check", "--policy", &bad, "--format", "text", &eml("bcc.eml")], &[], 1);
    assert!(out.stdout.contains("\n判定: "), "{}", out.stdout);
    assert!(
        out.stdout.contains("ポリシー: 誤りあり: 最も厳しい確認になります\n  error: internalDomains[0]: "),
        "{}",
        out.stdout
    );
}

#[test]
fn contacts_files_are_validated() {
    let dir = scratch("contacts");
    let good = write(&dir, "contacts.txt", "# partners\nSato <sato@partner.example>\nkato@other.example\n");
    check(&["--lang", "en", "check", "--contacts", &good, &eml("bcc.eml")], &[], 0);
    let vcf = write(&dir, "c.vcf", "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:sato@partner.example\r\nEND:VCARD\r\n");
    check(&["--lang", "en", "check", "--contacts", &vcf, &eml("bcc.eml")], &[], 0);
    let bad = write(&dir, "bad.txt", "sato@partner.example\nSato Jiro\n");
    let out = check(&["--lang", "en", "check", "--contacts", &bad, &eml("bcc.eml")], &[], 1);
    assert_eq!(out.stdout, "");
    assert!(
        out.stderr.starts_with(&format!("{bad}:2: error: \"Sato Jiro\" is not an e-mail address")),
        "{}",
        out.stderr
    );
}

#[test]
fn explain_lists_and_describes_codes() {
    let out = check(&["--lang", "en", "explain"], &[], 0);
    for &code in misend_guard_rules::Code::ALL {
        let info = code.info();
        let line =
            out.stdout.lines().find(|l| l.starts_with(code.as_str())).unwrap_or_else(|| panic!("{code:?} missing"));
        assert!(line.contains(&format!("  {}", info.default_severity.as_str())), "{line}");
        assert!(line.ends_with(info.summary.en), "{line}");
    }
    let out = check(&["explain", "external-recipient"], &[], 0);
    let info = misend_guard_rules::Code::ExternalRecipient.info();
    assert!(
        out.stdout
            .contains(&format!("  ja: {}\n  en: {}\n  zh: {}\n", info.summary.ja, info.summary.en, info.summary.zh)),
        "{}",
        out.stdout
    );
    let out = check(&["--lang", "ja", "explain", "external-recipient"], &[], 0);
    assert_eq!(
        out.stdout,
        format!(
            "external-recipient (既定の重要度: info)\n  {}\n\n{}\n",
            info.summary.ja,
            misend_guard_rules::Code::ExternalRecipient.doc()
        )
    );
    // The whole documentation, not one line: its why and its example policy.
    assert!(out.stdout.contains("Why: every external recipient") && out.stdout.contains("Example policy:"));
    let out = check(&["explain", "external-recipent"], &[], 2);
    assert!(out.stderr.contains("external-recipient"), "clap suggests the right code: {}", out.stderr);
}

#[test]
fn schema_is_the_committed_one() {
    let out = check(&["policy", "schema"], &[], 0);
    let committed = std::fs::read_to_string(root().join("extension/policies/schema.json")).unwrap();
    assert_eq!(out.stdout, committed);
}

#[test]
fn usage_errors_exit_two() {
    check(&[], &[], 2);
    check(&["check"], &[], 2);
    check(&["check", "--format", "xml", "a.eml"], &[], 2);
    check(&["--lang", "fr", "explain"], &[], 2);
    check(&["policy", "check"], &[], 2);
}

#[test]
fn the_language_follows_the_locale_unless_given() {
    let file = eml("bcc.eml");
    let out = check(&["check", "--format", "text", &file], &[("LANG", "ja_JP.UTF-8")], 0);
    assert!(out.stdout.contains("判定: "), "{}", out.stdout);
    let out = check(&["check", "--format", "text", &file], &[("LANG", "en_US.UTF-8")], 0);
    assert!(out.stdout.contains("verdict: "), "{}", out.stdout);
    let out = check(&["check", "--format", "text", &file], &[("LANG", "en_US.UTF-8"), ("LC_ALL", "ja_JP.UTF-8")], 0);
    assert!(out.stdout.contains("判定: "), "LC_ALL wins: {}", out.stdout);
    let out = check(&["--lang", "en", "check", "--format", "text", &file], &[("LANG", "ja_JP.UTF-8")], 0);
    assert!(out.stdout.contains("verdict: "), "--lang wins: {}", out.stdout);
    let out = check(&["check", "--format", "text", &file], &[("LANG", "zh_CN.UTF-8")], 0);
    assert!(out.stdout.contains("判定结果: "), "{}", out.stdout);
    assert!(out.stdout.contains("收件人 ("), "{}", out.stdout);
    let out =
        check(&["check", "--format", "text", &file], &[("LANG", "en_US.UTF-8"), ("LC_MESSAGES", "zh_CN.UTF-8")], 0);
    assert!(out.stdout.contains("判定结果: "), "LC_MESSAGES before LANG: {}", out.stdout);
    let out = check(&["--lang", "zh", "check", "--format", "text", &file], &[("LANG", "ja_JP.UTF-8")], 0);
    assert!(out.stdout.contains("判定结果: "), "--lang wins: {}", out.stdout);
    // No locale at all: Japanese, the product's first language.
    let out = check(&["check", "--format", "text", &file], &[], 0);
    assert!(out.stdout.contains("判定: "), "{}", out.stdout);
}

/// The contacts file reaches the engine's `new-recipient` check.
/// Engines without that check (before the recipient checks) have nothing to test here.
#[test]
fn contacts_reach_the_new_recipient_check() {
    if misend_guard_rules::Code::parse("new-recipient").is_none() {
        eprintln!("not run: this engine has no new-recipient check");
        return;
    }
    let dir = scratch("new-recipient");
    let policy = write(
        &dir,
        "p.json",
        r#"{"internalDomains": ["corp.example"], "rules": {"new-recipient": {"severity": "warn"}}}"#,
    );
    let new_recipients = |contacts: &str| -> Vec<String> {
        let file = write(&dir, "contacts.txt", contacts);
        let out = check(&["--lang", "en", "check", "--policy", &policy, "--contacts", &file, &eml("bcc.eml")], &[], 0);
        let review: Value = serde_json::from_str(&out.stdout).unwrap();
        let recipients = review["recipients"].as_array().unwrap().clone();
        review["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "new-recipient")
            .flat_map(|f| f["recipients"].as_array().unwrap().clone())
            .map(|i| recipients[i.as_u64().unwrap() as usize]["address"].as_str().unwrap().to_string())
            .collect()
    };
    let everyone = "Sato <sato@partner.example>\nsuzuki@corp.example\nkato@other.example\na@partner.example\nb@partner.example\nboss@corp.example\n";
    assert_eq!(new_recipients(everyone), Vec::<String>::new());
    assert_eq!(
        new_recipients("# only two\nSATO@partner.example\nboss@corp.example\n"),
        ["suzuki@corp.example", "kato@other.example", "a@partner.example", "b@partner.example"]
    );
}

#[test]
fn a_policy_broken_everywhere_prints_a_bounded_report() {
    let dir = scratch("many-errors");
    let domains: Vec<String> = (0..300).map(|i| format!("\"x*{i}\"")).collect();
    let policy = write(&dir, "p.json", &format!("{{\"internalDomains\": [\n{}\n]}}", domains.join(",\n")));
    let out = check(&["--lang", "en", "policy", "check", &policy], &[], 1);
    let errors: Vec<&str> = out.stderr.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 200);
    assert!(
        errors[199].starts_with(&format!("{policy}:201:1: error: internalDomains[199]: ")),
        "{}",
        errors[199]
    );
    assert_eq!(out.stderr.lines().last(), Some("… and 100 more"));
    assert_eq!(out.stdout, format!("{policy}: 300 error(s), 0 warning(s)\n"));
}

/// `--user-settings` merges a person's own settings over the policy as the add-on does:
/// a raised severity applies, a lowered one is a warning at its line and does not apply.
#[test]
fn user_settings_only_make_checks_stricter() {
    let dir = scratch("user-settings");
    let policy = write(&dir, "p.json", r#"{"internalDomains": ["corp.example"]}"#);
    let severity = |out: &Output, code: &str| -> Option<String> {
        let review: Value = serde_json::from_str(&out.stdout).unwrap();
        let findings = review["findings"].as_array().unwrap();
        findings.iter().find(|f| f["code"] == code).map(|f| f["severity"].as_str().unwrap().to_string())
    };
    let without = check(&["--lang", "en", "check", "--policy", &policy, &eml("bcc.eml")], &[], 0);
    assert_eq!(severity(&without, "external-recipient").as_deref(), Some("info"));

    let user = write(
        &dir,
        "u.json",
        "{\n  \"rules\": {\n    \"external-recipient\": {\"severity\": \"block\"},\n    \"mixed-external-domains\": {\"severity\": \"off\"}\n  }\n}\n",
    );
    let with =
        check(&["--lang", "en", "check", "--policy", &policy, "--user-settings", &user, &eml("bcc.eml")], &[], 0);
    assert_eq!(severity(&with, "external-recipient").as_deref(), Some("block"));
    assert_eq!(severity(&with, "mixed-external-domains"), severity(&without, "mixed-external-domains"));
    assert!(severity(&with, "mixed-external-domains").is_some());
    assert!(
        with.stderr.starts_with(&format!("{user}:4:44: warning: rules.mixed-external-domains.severity: the severity of mixed-external-domains cannot be lowered")),
        "{}",
        with.stderr
    );

    // A policies.json given as a person's settings is a mistake worth an error.
    let out = check(
        &["--lang", "en", "check", "--user-settings", &write(&dir, "policies.json", POLICIES_JSON), &eml("bcc.eml")],
        &[],
        1,
    );
    assert!(
        out.stderr.contains("this is a policies.json; --user-settings takes a person's own settings"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
}

fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn unnamed_inline_programs_are_attachments_and_blocked() {
    // An unnamed part with an inline disposition or a Content-ID was taken for an embedded
    // image and dropped: `attachments: []`, verdict ok (issue #11).
    let dir = scratch("hidden-attachments");
    let mail = write(
        &dir,
        "hidden.eml",
        "From: a@corp.example\r\nTo: b@partner.example\r\nSubject: files\r\n\
         Content-Type: multipart/related; boundary=b\r\n\r\n\
         --b\r\nContent-Type: text/html\r\n\r\n<p>see</p>\r\n\
         --b\r\nContent-Type: application/x-msdownload\r\nContent-ID: <x>\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAA==\r\n\
         --b\r\nContent-Type: application/zip\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n\
         --b--\r\n",
    );
    let policy =
        write(&dir, "p.json", r#"{"rules": {"attachment-blocked-type": {"extensions": ["exe", "bat", "zip"]}}}"#);
    let out = check(&["--lang", "en", "check", "--policy", &policy, &mail], &[], 0);
    let review: Value = serde_json::from_str(&out.stdout).unwrap();
    let names: Vec<&str> =
        review["attachments"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["(inline application/x-msdownload).bat", "(inline application/zip).zip"]);
    assert_eq!(review["verdict"], "block");
    let blocked = review["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "attachment-blocked-type");
    assert_eq!(blocked.count(), 2, "{review}");
}

#[test]
fn raw_shift_jis_subjects_meet_keyword_rules() {
    // Raw 8-bit Shift_JIS headers were read as UTF-8, so a keyword block on the subject was missed.
    let dir = scratch("raw-sjis");
    let subject: &[u8] = b"\x81y\x8e\xd0\x8aO\x94\xe9\x81z\x8c\xa9\x90\xcf\x8f\x91"; // 【社外秘】見積書 in Shift_JIS
    let mail = write_bytes(
        &dir,
        "raw.eml",
        &[b"From: a@corp.example\r\nTo: b@partner.example\r\nSubject: ".as_slice(), subject, b"\r\n\r\nhello\r\n"]
            .concat(),
    );
    let policy = write(&dir, "p.json", r#"{"keywords": [{"id": "secret", "pattern": "社外秘", "severity": "block"}]}"#);
    let out = check(&["--lang", "en", "check", "--policy", &policy, &mail], &[], 0);
    let review: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(review["subject"], "【社外秘】見積書");
    assert_eq!(review["verdict"], "block");
    assert!(review["findings"].as_array().unwrap().iter().any(|f| f["code"] == "keyword" && f["ruleId"] == "secret"));
}

#[test]
fn files_that_never_end_are_refused_with_their_name_and_limit() {
    // `/dev/zero` says it has 0 bytes; it was read until memory ran out.
    let out = check(&["--lang", "en", "policy", "check", "/dev/zero"], &[], 1);
    assert_eq!(
        out.stderr.lines().next().unwrap(),
        "/dev/zero: error: too large: it goes on past the limit of 10 MB (10485760 bytes)"
    );
    let mail = eml("bcc.eml");
    let out = check(&["--lang", "en", "check", "--user-settings", "/dev/zero", &mail], &[], 1);
    assert!(
        out.stderr.starts_with("/dev/zero: error: too large: it goes on past the limit of 10 MB"),
        "{}",
        out.stderr
    );
    let out = check(&["--lang", "en", "check", "--contacts", "/dev/zero", &mail], &[], 1);
    assert_eq!(out.stderr, "/dev/zero: error: too large: it goes on past the limit of 20 MB (20971520 bytes)\n");
    let out = check(&["--lang", "ja", "check", "/dev/zero"], &[], 1);
    assert_eq!(out.stderr, "/dev/zero: error: 大きすぎます: 上限の 50 MB（52428800 バイト）を超えて続いています\n");
}

#[test]
fn escape_sequences_never_reach_the_terminal_raw() {
    let dir = scratch("escapes");
    // A policy value, a file name, a subject, a display name and an attachment name that
    // each clear the screen or retitle the window when printed raw.
    let policy = write(
        &dir,
        "p\u{1b}[2J.json",
        "{\"rules\": {\"external-recipient\": {\"severity\": \"blo\\u001b[2Jck\"}},\n \"keywords\": [{\"id\": \"k\", \"pattern\": \"x\"}]}",
    );
    let mail = write(
        &dir,
        "m.eml",
        "From: =?UTF-8?B?G10wO293bmVkBw==?= <a@corp.example>\r\nTo: b@partner.example\r\n\
         Subject: =?UTF-8?B?G1syShtbMzFtc3ViamVjdA==?=\r\n\
         Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
         --b\r\nContent-Type: application/pdf; name=\"=?UTF-8?B?YRtbMkouZXhl?=\"\r\n\r\nxx\r\n--b--\r\n",
    );
    let out = check(&["--lang", "en", "policy", "check", &policy], &[], 1);
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains('\u{1b}'), "{text:?}");
    }
    assert!(
        out.stderr.contains("\\x1b[2J.json:1:47: error: rules.external-recipient.severity"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("\"blo\\x1b[2Jck\""), "{}", out.stderr);
    assert!(out.stdout.starts_with(&policy.replace('\u{1b}', "\\x1b")), "{}", out.stdout);

    let out = check(&["--lang", "en", "check", "--format", "text", "--policy", &policy, &mail], &[], 1);
    for text in [&out.stdout, &out.stderr] {
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
    }
    assert!(out.stdout.contains("subject: \\x1b[2J\\x1b[31msubject\n"), "{}", out.stdout);
    // The reader turns control characters in display names into spaces already, since a name
    // is written back as a quoted string for the engine's address parser.
    assert!(out.stdout.contains("from: ]0;owned <a@corp.example>"), "{}", out.stdout);
    assert!(out.stdout.contains("  a\\x1b[2J.exe  2 B"), "{}", out.stdout);
    assert!(out.stdout.contains("\"blo\\x1b[2Jck\""), "{}", out.stdout);

    // JSON keeps the exact values (serde_json writes them as \u001b).
    let out = check(&["--lang", "en", "check", "--policy", &policy, &mail], &[], 1);
    assert!(!out.stdout.contains('\u{1b}'));
    let review: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(review["subject"], "\u{1b}[2J\u{1b}[31msubject");
    assert_eq!(review["attachments"][0]["name"], "a\u{1b}[2J.exe");
}

#[test]
fn a_mail_that_trips_the_parser_is_reported_and_the_others_checked() {
    // mail-parser's debug assertion on this digest killed the debug build's whole run.
    let dir = scratch("parser-panic");
    let digest = write(
        &dir,
        "digest.eml",
        "Content-Type: multipart/digest; boundary=a\r\n\r\n--a\r\n\r\nContent-Type: message/rfc822\r\n\r\n--a\r\n\r\n--a--\r\n",
    );
    let good = eml("bcc.eml");
    let debug = cfg!(debug_assertions);
    let out = check(&["--lang", "en", "check", &digest, &good], &[], i32::from(debug));
    let entries: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(entries[1]["file"], good.as_str());
    assert!(entries[1]["review"]["verdict"].is_string());
    if debug {
        let error = "could not be read: the mail parser failed (Invalid part ID, could not find multipart.)";
        assert_eq!(entries[0]["error"], error);
        assert_eq!(out.stderr, format!("{digest}: error: {error}\n"));
    }
}

/// Issue #11: a key written twice in policies.json must not let a later "off" switch a
/// "block" off unseen. `policy check` reports it at its path, and the stricter severity is
/// the one that applies.
#[test]
fn policy_check_reports_a_key_written_twice_and_keeps_the_stricter_severity() {
    let dir = scratch("policy-duplicate");
    let text = r#"{"policies": {"3rdparty": {"Extensions": {"misend-guard@misend-guard.org": {
  "rules": {"blocked-domain": {"severity": "block", "severity": "off", "entries": ["rival.example"]}}
}}}}}"#;
    let file = write(&dir, "policies.json", text);
    let out = check(&["--lang", "en", "policy", "check", &file], &[], 1);
    assert!(out.stderr.contains("rules.blocked-domain.severity"), "{}", out.stderr);
    let mail = write(&dir, "to-rival.eml", "From: a@corp.example\nTo: x@rival.example\nSubject: hi\n\nhello\n");
    let out = check(&["--lang", "en", "check", "--policy", &file, &mail], &[], 1);
    let review: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let review = if review.is_array() { review[0]["review"].clone() } else { review };
    assert_eq!(review["verdict"], "block", "{}", out.stdout);
}
