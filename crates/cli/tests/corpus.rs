//! The CLI on messages written by others: CPython's e-mail test corpus (`tests/corpus/`).
//! Every file must give a review or a one-line error, never a crash; the exit code is 1
//! exactly when some file failed.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn corpus() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/cpython-email");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the corpus is there")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("msg_"))
        .collect();
    files.sort();
    files
}

/// Runs `check` on files; returns the exit code, the JSON output and the error lines.
fn check(files: &[PathBuf]) -> (i32, Value, Vec<String>) {
    let out = Command::new(env!("CARGO_BIN_EXE_misend-guard"))
        .args(["--lang", "en", "check"])
        .args(files)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{files:?}: {stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let json = if stdout.is_empty() { Value::Null } else { serde_json::from_str(&stdout).expect("JSON output") };
    (out.status.code().expect("exited, not killed"), json, stderr.lines().map(str::to_string).collect())
}

/// The files the CLI refuses, with why. Anything else in the corpus must be reviewed.
const EXPECTED_ERRORS: &[(&str, &str)] = &[("msg_19.txt", "not an e-mail message (no header found)")];

#[test]
fn every_message_gives_a_review_or_a_one_line_error() {
    let files = corpus();
    assert!(files.len() >= 40, "the corpus is incomplete: {} files", files.len());
    let (code, json, errors) = check(&files);
    let entries = json.as_array().expect("an array for several mails");
    assert_eq!(entries.len(), files.len());
    let mut failed = Vec::new();
    for (entry, file) in entries.iter().zip(&files) {
        assert_eq!(entry["file"], file.display().to_string());
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        match (&entry["review"], &entry["error"]) {
            (Value::Object(review), Value::Null) => {
                assert!(["ok", "warn", "block"].contains(&review["verdict"].as_str().unwrap()), "{name}");
                assert!(review["recipients"].is_array() && review["attachments"].is_array(), "{name}");
            }
            (Value::Null, Value::String(error)) => {
                assert!(!error.contains('\n'), "{name}: {error:?}");
                failed.push((name, error.clone()));
            }
            other => panic!("{name}: neither a review nor an error: {other:?}"),
        }
    }
    let expected: Vec<(String, String)> = EXPECTED_ERRORS.iter().map(|(f, e)| (f.to_string(), e.to_string())).collect();
    assert_eq!(failed, expected);
    // One line on standard error per failed file, naming it.
    assert_eq!(errors.len(), failed.len(), "{errors:?}");
    for ((name, error), line) in failed.iter().zip(&errors) {
        assert!(line.ends_with(&format!("{name}: error: {error}")), "{line}");
    }
    assert_eq!(code, 1, "exit code 1 because some file failed");
}

#[test]
fn every_message_on_its_own() {
    for file in corpus() {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let expected_error = EXPECTED_ERRORS.iter().find(|(f, _)| *f == name);
        let (code, json, errors) = check(std::slice::from_ref(&file));
        match expected_error {
            Some(_) => {
                assert_eq!((code, json, errors.len()), (1, Value::Null, 1), "{name}");
            }
            None => {
                assert_eq!(code, 0, "{name}: {errors:?}");
                assert!(json["verdict"].is_string(), "{name}: {json}");
                assert!(errors.is_empty(), "{name}: {errors:?}");
            }
        }
    }
}

/// A few messages whose decoding is known, so that "no crash" is not all the corpus proves.
#[test]
fn known_messages_decode_as_python_reads_them() {
    let pick = |name: &str| corpus().into_iter().find(|p| p.ends_with(name)).unwrap();
    let (_, review, _) = check(&[pick("msg_07.txt")]);
    assert_eq!(review["attachments"][0]["name"], "dingusfish.gif");
    // Python's email package decodes this GIF to 3512 bytes too.
    assert_eq!(review["attachments"][0]["size"], 3512);
    let (_, review, _) = check(&[pick("msg_20.txt")]);
    // msg_20 has two Cc headers; every address of both counts.
    let cc: Vec<&str> = review["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["field"] == "cc")
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(cc.len(), 3, "{review}");
}
