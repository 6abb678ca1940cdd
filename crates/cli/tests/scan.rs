//! `misend-guard scan` and `misend-guard audit`, run as an admin runs them: on folders of .eml files,
//! mbox files with a broken mail in the middle, Maildir folders and Thunderbird profile folders;
//! with `--compare`, `--merge` and every output format.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::scratch;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Runs the binary in English; returns the exit code, standard output and standard error.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_misend-guard"))
        .arg("--lang")
        .arg("en")
        .args(args)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    (out.status.code().expect("exited"), stdout, stderr)
}

/// Runs `scan --format json`: the mail lines and the summary line.
fn scan_json(args: &[&str]) -> (Vec<Value>, Value) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(&all);
    assert_eq!(code, 0, "{stderr}");
    let mut lines: Vec<Value> = stdout.lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let summary = lines.pop().expect("a summary line");
    assert!(summary.get("summary").is_some(), "the last line is the summary: {summary}");
    (lines, summary)
}

/// A typical mail, numbered, from inside the company to a partner.
fn mail(i: usize, to: &str, subject: &str) -> String {
    format!(
        "From: Sato <sato@corp.example>\nTo: {to}\nSubject: {subject} {i}\nDate: Mon, 7 Dec 2026 10:00:00 +0900\nMessage-ID: <{i}@corp.example>\nContent-Type: text/plain; charset=utf-8\n\nHello,\nFrom now on the meeting is at ten.\nThanks {i}\n"
    )
}

fn mbox_of(mails: &[String]) -> String {
    mails
        .iter()
        .map(|m| {
            let quoted = m.replace("\nFrom ", "\n>From ");
            format!("From sato@corp.example Mon Dec  7 10:00:00 2026\n{quoted}\n")
        })
        .collect()
}

const POLICY: &str = r#"{"internalDomains": ["corp.example"], "keywords": [{"id": "secret", "pattern": "confidential", "severity": "warn"}]}"#;

#[test]
fn a_folder_of_eml_files_counts_what_check_finds_in_each() {
    let dir = root().join("tests/eml");
    let (lines, summary) = scan_json(&[dir.to_str().unwrap()]);
    let summary = &summary["summary"];
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10);
    assert_eq!(lines.len(), files.len());
    let mut verdicts: BTreeMap<String, u64> = BTreeMap::new();
    let mut codes: BTreeMap<String, u64> = BTreeMap::new();
    for file in &files {
        let (code, stdout, stderr) = run(&["check", file.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
        let review: Value = serde_json::from_str(&stdout).unwrap();
        *verdicts.entry(review["verdict"].as_str().unwrap().to_string()).or_default() += 1;
        let mut seen: Vec<&str> =
            review["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        seen.sort();
        seen.dedup();
        for code in seen {
            *codes.entry(code.to_string()).or_default() += 1;
        }
        // The mail's own line holds the very review `check` gives.
        let line = lines.iter().find(|l| l["source"]["file"] == file.to_str().unwrap()).expect("a line per file");
        assert_eq!(line["review"]["findings"], review["findings"], "{file:?}");
    }
    assert_eq!(summary["mails"], files.len() as u64);
    assert_eq!(summary["unreadable"], 0);
    assert_eq!(serde_json::to_value(&verdicts).unwrap(), summary["verdicts"]);
    assert_eq!(serde_json::to_value(&codes).unwrap(), summary["codes"]);
    assert!(!codes.is_empty());
}

#[test]
fn a_broken_mail_in_an_mbox_is_counted_with_its_place_and_the_rest_are_read() {
    let dir = scratch("mbox");
    let mut mails: Vec<String> = (0..40).map(|i| mail(i, "Tanaka <tanaka@partner.example>", "Minutes")).collect();
    mails[20] = "\u{0}\u{1}\u{2} no header here at all\n\njust bytes\n".to_string();
    let text = mbox_of(&mails);
    let offset = text.match_indices("From sato@corp.example").nth(20).unwrap().0;
    let path = dir.join("Sent.mbox");
    write(&path, text.as_bytes());
    let (lines, summary) = scan_json(&[path.to_str().unwrap()]);
    let summary = &summary["summary"];
    assert_eq!(summary["mails"], 39);
    assert_eq!(summary["unreadable"], 1);
    assert_eq!(summary["errors"][0]["source"]["index"], 21);
    assert_eq!(summary["errors"][0]["source"]["offset"], offset as u64);
    assert_eq!(summary["errors"][0]["reason"], "not an e-mail message (no header found)");
    assert_eq!(summary["codes"]["external-recipient"], 39);
    assert_eq!(lines.len(), 40);
    // A body line starting with "From " stayed in its mail rather than starting a new one.
    let body_line = lines.iter().find(|l| l["source"]["index"] == 1).unwrap();
    assert_eq!(body_line["review"]["subject"], "Minutes 0");

    let (code, text, _) = run(&["scan", path.to_str().unwrap()]);
    assert_eq!(code, 0, "a broken mail is reported, not fatal");
    assert!(text.contains(&format!("Sent.mbox: mail 21 at byte {offset}: not an e-mail message")), "{text}");
}

#[test]
fn maildir_folders_and_thunderbird_profiles_are_found() {
    let dir = scratch("folders");
    let maildir = dir.join("Maildir");
    write(&maildir.join("cur/1.host:2,S"), mail(1, "a@partner.example", "Cur").as_bytes());
    write(&maildir.join("new/2.host"), mail(2, "b@partner.example", "New").as_bytes());
    // A mail still being delivered is not one yet.
    write(&maildir.join("tmp/3.host"), mail(3, "c@partner.example", "Tmp").as_bytes());
    std::fs::create_dir_all(maildir.join(".Sent/cur")).unwrap();
    std::fs::create_dir_all(maildir.join(".Sent/new")).unwrap();
    write(&maildir.join(".Sent/cur/4.host:2,S"), mail(4, "d@other.example", "Sub").as_bytes());
    let (_, summary) = scan_json(&[maildir.to_str().unwrap()]);
    assert_eq!(summary["summary"]["mails"], 3);
    assert_eq!(summary["summary"]["domains"]["other.example"], 1);

    let profile = dir.join("profile/Mail/Local Folders");
    let sent: Vec<String> = (0..5).map(|i| mail(i, "x@partner.example", "Sent")).collect();
    write(&profile.join("Sent"), mbox_of(&sent).as_bytes());
    write(&profile.join("Sent.msf"), b"// <!-- <mdb:mork:z v=\"1.4\"/> -->\n");
    let sub: Vec<String> = (0..3).map(|i| mail(i, "y@client.example", "Project")).collect();
    write(&profile.join("Sent.sbd/Project"), mbox_of(&sub).as_bytes());
    write(&profile.join("Sent.sbd/Project.msf"), b"index");
    // Folder names may hold dots; the index is named after the whole name.
    write(&profile.join("Archives.2026"), mbox_of(&sub[..1]).as_bytes());
    write(&profile.join("Archives.2026.msf"), b"index");
    // A link back to a parent folder is not followed.
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("profile"), profile.join("loop")).unwrap();
    // A file without an index beside it is not a mail folder.
    write(&profile.join("filterlog.html"), b"<p>log</p>");
    write(&profile.join("Notes"), mbox_of(&sent).as_bytes());
    let (lines, summary) = scan_json(&[dir.join("profile").to_str().unwrap()]);
    assert_eq!(summary["summary"]["mails"], 9);
    assert_eq!(summary["summary"]["unreadable"], 0);
    assert_eq!(summary["summary"]["domains"]["client.example"], 4);
    assert!(lines.iter().all(|l| !l["source"]["file"].as_str().unwrap().ends_with(".msf")));
}

#[test]
fn compare_shows_how_each_count_moves() {
    let dir = scratch("compare");
    let base = dir.join("base.json");
    write(&base, POLICY.as_bytes());
    let quiet = dir.join("quiet.json");
    write(
        &quiet,
        br#"{"internalDomains": ["corp.example"], "rules": {"external-recipient": {"severity": "off"}}}"#,
    );
    let mails: Vec<String> =
        (0..12).map(|i| mail(i, "p@partner.example", if i < 5 { "confidential plan" } else { "Minutes" })).collect();
    let path = dir.join("box");
    write(&path, mbox_of(&mails).as_bytes());
    let args =
        ["scan", "--policy", base.to_str().unwrap(), "--compare", quiet.to_str().unwrap(), path.to_str().unwrap()];
    let (code, text, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("external-recipient: 12 → 0 (\u{2212}12)"), "{text}");
    assert!(text.contains("keyword: 5 → 0 (\u{2212}5)"), "{text}");
    let (lines, summary) = scan_json(&args[1..]);
    assert_eq!(summary["summary"]["codes"]["external-recipient"], 12);
    assert_eq!(summary["summary"]["keywordRules"]["secret"], 5);
    assert_eq!(summary["compareSummary"]["codes"].get("external-recipient"), None);
    assert!(lines.iter().all(|l| l["compareReview"].is_object()));
}

#[test]
fn merged_shards_equal_one_run_over_all_and_text_says_what_json_says() {
    let dir = scratch("merge");
    let policy = dir.join("policy.json");
    write(&policy, POLICY.as_bytes());
    let mut mails: Vec<String> = (0..30)
        .map(|i| match i % 3 {
            0 => mail(i, "a@partner.example, b@other.example", "confidential"),
            1 => mail(i, "c@corp.example", "Lunch"),
            _ => mail(i, "d@client.example", ""),
        })
        .collect();
    mails[7] = "garbage\u{0}\n".to_string();
    write(&dir.join("one.mbox"), mbox_of(&mails[..15]).as_bytes());
    write(&dir.join("two.mbox"), mbox_of(&mails[15..]).as_bytes());
    let p = policy.to_str().unwrap();
    let one = dir.join("one.mbox");
    let two = dir.join("two.mbox");
    let (_, whole) = scan_json(&["--policy", p, one.to_str().unwrap(), two.to_str().unwrap()]);
    for (shard, out) in [(&one, "one.jsonl"), (&two, "two.jsonl")] {
        let (_, stdout, _) = run(&["scan", "--format", "json", "--policy", p, shard.to_str().unwrap()]);
        write(&dir.join(out), stdout.as_bytes());
    }
    let shards = [dir.join("one.jsonl"), dir.join("two.jsonl")];
    let shards: Vec<&str> = shards.iter().map(|p| p.to_str().unwrap()).collect();
    let (code, merged, stderr) = run(&[&["scan", "--merge", "--format", "json"][..], &shards].concat());
    assert_eq!(code, 0, "{stderr}");
    let merged: Value = serde_json::from_str(merged.trim()).unwrap();
    assert_eq!(merged, whole);
    assert_eq!(whole["summary"]["mails"], 29);
    assert_eq!(whole["summary"]["unreadable"], 1);
    assert!(whole["summary"]["codes"]["keyword"].as_u64().unwrap() > 0);

    // The text summary prints the same numbers as the JSON one.
    let (_, text, _) = run(&[&["scan", "--merge"][..], &shards].concat());
    let s = &whole["summary"];
    assert!(text.contains(&format!("mails read: {}  (unreadable: {})", s["mails"], s["unreadable"])), "{text}");
    for (verdict, n) in s["verdicts"].as_object().unwrap() {
        let row = text.lines().find(|l| l.split_whitespace().next() == Some(verdict.as_str())).unwrap();
        assert_eq!(row.split_whitespace().nth(1).unwrap(), n.to_string(), "{row}");
    }
    for (code, n) in s["codes"].as_object().unwrap() {
        let row = text.lines().find(|l| l.split_whitespace().next() == Some(code.as_str())).unwrap();
        let share = format!("{:.1}%", n.as_f64().unwrap() * 100.0 / 29.0);
        assert_eq!(row.split_whitespace().skip(1).collect::<Vec<_>>(), [n.to_string(), share], "{row}");
    }
    // A file without a summary line is an error, with its name.
    let (code, _, stderr) = run(&["scan", "--merge", one.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("one.mbox: error: no summary line"), "{stderr}");
}

#[test]
fn sent_history_lets_first_time_recipients_fire() {
    let dir = scratch("sent");
    // The Sent history is a Sent folder, as Thunderbird keeps it: an mbox.
    let sent = dir.join("Sent");
    write(&sent, mbox_of(&[mail(9, "Known <known@partner.example>", "Earlier")]).as_bytes());
    let mails = vec![mail(1, "known@partner.example", "Again"), mail(2, "stranger@partner.example", "Hello")];
    let path = dir.join("box");
    write(&path, mbox_of(&mails).as_bytes());
    let (_, without) = scan_json(&[path.to_str().unwrap()]);
    assert_eq!(without["summary"]["codes"].get("first-time-recipient"), None);
    let (_, with) = scan_json(&["--sent", sent.to_str().unwrap(), path.to_str().unwrap()]);
    assert_eq!(with["summary"]["codes"]["first-time-recipient"], 1);
}

#[test]
fn the_html_report_is_self_contained_and_shows_mail_text_as_text() {
    let dir = scratch("html");
    let mails = vec![mail(1, "a@partner.example", "<script>alert(1)</script><img src=x>")];
    let path = dir.join("box");
    write(&path, mbox_of(&mails).as_bytes());
    let (code, html, _) = run(&["scan", "--format", "html", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x&gt; 1"), "{html}");
    assert!(!html.contains("<script") && !html.contains("<img"));
    assert!(
        !html.contains("http://")
            && !html.contains("https://")
            && !html.contains(" src=\"")
            && !html.contains(" href=")
    );
    assert!(html.contains("data-code=\"external-recipient\" data-count=\"1\""));
}

#[test]
fn terminal_output_escapes_control_characters_from_mails() {
    let dir = scratch("escape");
    write(&dir.join("a.eml"), mail(1, "a@partner.example", "x").as_bytes());
    write(&dir.join("b\u{1b}[2J.eml"), b"\x00\x01 not a mail\n");
    let (_, text, _) = run(&["scan", dir.to_str().unwrap()]);
    assert!(text.contains("b\\x1b[2J.eml: not an e-mail message"), "{text}");
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn audit_counts_the_exported_record_and_reports_bad_lines() {
    let record = root().join("tests/audit/record.jsonl");
    let (code, stdout, stderr) = run(&["audit", "--format", "json", record.to_str().unwrap()]);
    assert_eq!(code, 1, "bad lines make the exit code 1");
    assert!(stderr.contains("record.jsonl:4: error: not a record"), "{stderr}");
    assert!(stderr.contains("record.jsonl:7: error: not a record: missing field `verdict`"), "{stderr}");
    let summary: Value = serde_json::from_str(stdout.trim()).unwrap();
    let s = &summary["auditSummary"];
    assert_eq!(s["records"], 6);
    assert_eq!(s["badLines"], 2);
    assert_eq!(s["verdicts"], serde_json::json!({"ok": 3, "warn": 2, "block": 1}));
    assert_eq!(s["actions"], serde_json::json!({"sent": 2, "cancelled": 1, "closed": 1, "refused": 1, "failed": 1}));
    assert_eq!(s["delivered"], serde_json::json!({"true": 2, "false": 1, "unknown": 3}));
    assert_eq!(s["codes"]["external-recipient"], 4);
    assert_eq!(s["fixes"]["move-external-to-bcc"], 1);
    assert_eq!(s["medianDialogMs"], 3500);

    let (_, text, _) = run(&["audit", record.to_str().unwrap()]);
    assert!(text.contains("records: 6  (bad lines: 2)"), "{text}");
    assert!(text.contains("median dialog time: 3.5 s"), "{text}");
    assert!(
        text.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["refused", "1", "16.7%"]),
        "{text}"
    );
}
