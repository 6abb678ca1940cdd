//! Runs every golden case in `tests/cases/` through the DTOs: the JSON the add-on, the
//! playground and the CLI receive. The node tests run the same files through the built wasm.
//!
//! `UPDATE_GOLDEN=1` writes the actual projection into each case's `expect`.

use std::fs;
use std::path::{Path, PathBuf};

use misend_guard_dto::{CheckerCore, ContextDto, DraftDto};
use serde_json::{json, Map, Value};

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

/// Inspects the real files a case's attachments name (`"file": "attachments/x.xlsx"`, relative
/// to `tests/`), as the CLI does: natively, with the limits the case's policy resolves to, and
/// with legacy Japanese charsets decoded by `encoding_rs`. Each such attachment gets
/// `contents: {state: "inspected", facts}` and, when the case gives none, the file's size.
fn inspect_files(draft: &mut Value, limits: &Value) -> Result<(), String> {
    let limits: misend_guard_inspect::Limits =
        serde_json::from_value(limits.clone()).map_err(|e| format!("inspection limits: {e}"))?;
    let tests = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    for attachment in draft.get_mut("attachments").and_then(Value::as_array_mut).into_iter().flatten() {
        let Some(file) = attachment.get("file").and_then(Value::as_str).map(str::to_string) else { continue };
        let bytes = fs::read(tests.join(&file)).map_err(|e| format!("{file}: {e}"))?;
        let name = attachment["name"].as_str().unwrap_or(&file).to_string();
        let facts = inspect(&bytes, &name, &limits);
        if attachment.get("size").is_none() {
            attachment["size"] = json!(bytes.len());
        }
        attachment["contents"] = json!({"state": "inspected", "facts": facts});
        attachment.as_object_mut().map(|a| a.remove("file"));
    }
    Ok(())
}

/// Inspects a file; text in a legacy charset is decoded and inspected as text in its place.
fn inspect(bytes: &[u8], name: &str, limits: &misend_guard_inspect::Limits) -> misend_guard_inspect::Facts {
    let mut facts = misend_guard_inspect::inspect(bytes, name, limits);
    if let [undecoded] = &facts.undecoded[..] {
        if undecoded.place.is_empty() {
            if let Some(encoding) = encoding_rs::Encoding::for_label(undecoded.charset.as_bytes()) {
                let (text, _, _) = encoding.decode(&undecoded.bytes);
                let mut decoded = misend_guard_inspect::inspect_text(&text, name, limits);
                decoded.size = facts.size;
                decoded.problems.append(&mut facts.problems);
                facts = decoded;
            }
        }
    }
    facts
}

/// The part of a review that a golden case pins down: everything but the wording.
/// `tests/node/golden.test.mjs` has the same projection.
fn project(review: &Value) -> Value {
    let pick = |v: &Value, keys: &[&str]| -> Value {
        let mut out = Map::new();
        for key in keys {
            out.insert(key.to_string(), v.get(*key).cloned().unwrap_or(Value::Null));
        }
        Value::Object(out)
    };
    let each = |key: &str, keys: &[&str]| -> Value {
        Value::Array(review[key].as_array().into_iter().flatten().map(|v| pick(v, keys)).collect())
    };
    json!({
        "verdict": review["verdict"],
        "degraded": review["degraded"],
        "dialog": pick(&review["dialog"], &["show", "requireInternalTick"]),
        "recipients": each("recipients", &["field", "address", "name", "domain", "class", "list", "valid"]),
        "groups": each("groups", &["class", "domain", "members"]),
        "attachments": each("attachments", &["name", "size", "inspection"]),
        "findings": each("findings", &["code", "severity", "recipients", "attachments", "ruleId"]),
        "diagnostics": each("diagnostics", &["level", "path"]),
    })
}

fn check(path: &Path, update: bool) -> Result<(), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut case: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let lang = case["lang"].as_str().unwrap_or("en").to_string();
    // `user` is optional: the user's own settings from the options page.
    let core = CheckerCore::with_user(Ok(case["policy"].clone()), Ok(case["user"].clone()), &lang);
    let mut draft = case["draft"].clone();
    let limits = serde_json::to_value(core.check(&DraftDto::default(), &ContextDto::default()))
        .map_err(|e| e.to_string())?["inspection"]["limits"]
        .clone();
    inspect_files(&mut draft, &limits)?;
    let draft: DraftDto = serde_json::from_value(draft).map_err(|e| format!("draft: {e}"))?;
    let context: ContextDto = match case.get("context") {
        Some(context) => serde_json::from_value(context.clone()).map_err(|e| format!("context: {e}"))?,
        None => ContextDto::default(),
    };
    let review = serde_json::to_value(core.check(&draft, &context)).map_err(|e| e.to_string())?;
    let actual = project(&review);
    if update {
        case["expect"] = actual;
        fs::write(path, serde_json::to_string_pretty(&case).unwrap() + "\n").map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = case.get("expect").ok_or("no `expect`: run with UPDATE_GOLDEN=1, then check the result")?;
    if *expected != actual {
        return Err(format!(
            "expected:\n{}\nactual:\n{}",
            serde_json::to_string_pretty(expected).unwrap(),
            serde_json::to_string_pretty(&actual).unwrap()
        ));
    }
    Ok(())
}

#[test]
fn golden_cases() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut paths: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "the golden cases are missing");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| check(p, update).err().map(|e| format!("{}: {e}", p.file_name().unwrap().to_string_lossy())))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} golden cases failed:\n\n{}",
        failures.len(),
        paths.len(),
        failures.join("\n\n")
    );
}

/// The review of one real file mailed outside, in `lang`, with the case's inspection.
fn review_file(file: &str, name: &str, lang: &str, policy: Value) -> Value {
    let core = CheckerCore::new(Ok(policy), lang);
    let limits = serde_json::to_value(core.check(&DraftDto::default(), &ContextDto::default())).unwrap()["inspection"]
        ["limits"]
        .clone();
    let mut draft = json!({"to": ["x@partner.example"], "subject": "s", "body": "b",
                           "attachments": [{"name": name, "file": format!("attachments/{file}")}]});
    inspect_files(&mut draft, &limits).unwrap();
    let draft: DraftDto = serde_json::from_value(draft).unwrap();
    serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap()
}

/// The message and the excerpts' places of the finding of `code`.
fn said(review: &Value, code: &str) -> (String, Vec<String>) {
    let finding = review["findings"].as_array().unwrap().iter().find(|f| f["code"] == code).expect(code);
    let places = finding["excerpts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{} {}", e["part"].as_str().unwrap(), e["place"].as_str().unwrap_or("")))
        .collect();
    (finding["message"].as_str().unwrap().to_string(), places)
}

#[test]
fn content_findings_name_the_file_and_the_places_inside() {
    let policy = json!({"internalDomains": ["corp.example"], "keywords": [{"id": "secret", "pattern": "社外秘"}]});
    let review = review_file("customers.xlsx", "data.xlsx", "ja", policy.clone());
    let (message, places) = said(&review, "attachment-personal-data");
    assert!(
        message.contains("「data.xlsx」") && message.contains("Sheet1: 氏名, 住所, 電話番号, メール — 50 行"),
        "{message}"
    );
    assert_eq!(places, ["attachment-content Sheet1"]);
    let (_, places) = said(&review, "pii-my-number");
    assert_eq!(places, ["attachment-content メモ!C12"]);

    let review = review_file("slides.pptx", "plan.pptx", "en", policy.clone());
    let (_, places) = said(&review, "keyword");
    assert_eq!(places, ["attachment-content slide 1"]);

    let review = review_file("invoice.pdf", "invoice.pdf", "ja", policy.clone());
    let (message, _) = said(&review, "attachment-blocked-type");
    assert!(message.contains("このファイルの中身はプログラムです"), "{message}");
    let review = review_file("invoice.pdf", "invoice.pdf", "en", policy.clone());
    assert!(said(&review, "attachment-blocked-type").0.contains("this file is really a program"));

    let review = review_file("tools.zip", "tools.zip", "en", policy.clone());
    let (message, places) = said(&review, "attachment-blocked-type");
    assert!(message.contains("tools/setup.exe"), "{message}");
    assert_eq!(places, ["attachment-content tools/setup.exe"]);

    let review = review_file("second-entry-encrypted.zip", "a.zip", "en", policy.clone());
    let (message, places) = said(&review, "attachment-encrypted");
    assert!(message.contains("could not be checked") && message.contains("secret.txt"), "{message}");
    assert_eq!(places, ["attachment-content secret.txt"]);

    let review = review_file("bomb.zip", "bomb.zip", "ja", policy.clone());
    let (message, _) = said(&review, "attachment-not-inspected");
    assert!(message.contains("ZIP 爆弾"), "{message}");

    let review = review_file("notes-utf16.txt", "notes.txt", "en", policy);
    let (message, places) = said(&review, "pii-my-number");
    assert!(message.contains("order number"), "{message}");
    assert_eq!(places, ["attachment-content line 2"]);
}
