//! `misend-guard check` looks inside attachments as the add-on does: the file a mail carries is
//! inspected, its findings name the place inside it, and `--no-inspect` judges it by name only.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/attachments").join(name)).unwrap()
}

fn base64_lines(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for line in bytes.chunks(57) {
        for chunk in line.chunks(3) {
            let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
                out.push(if i <= chunk.len() { ALPHABET[((n >> shift) & 63) as usize] as char } else { '=' });
            }
        }
        out.push_str("\r\n");
    }
    out
}

/// A mail to an outside address carrying `files` (name, bytes, content type) as attachments.
fn mail(files: &[(&str, &[u8], &str)]) -> PathBuf {
    let mut eml = String::from(
        "From: sato@corp.example\r\nTo: tanaka@partner.example\r\nSubject: 資料\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n\
         資料を添付します。\r\n",
    );
    for (name, bytes, ctype) in files {
        eml.push_str(&format!(
            "--b\r\nContent-Type: {ctype}; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}",
            base64_lines(bytes)
        ));
    }
    eml.push_str("--b--\r\n");
    let dir = std::env::temp_dir().join(format!("misend-guard-cli-attachments-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{}.eml", files.iter().map(|f| f.0).collect::<Vec<_>>().join("+")));
    fs::write(&path, eml).unwrap();
    path
}

fn run(args: &[&str], mail: &PathBuf) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_misend-guard")).args(args).arg(mail).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn findings_inside_a_file_name_the_file_and_the_place_in_it() {
    let docx = fixture("application.docx");
    let path = mail(&[("申込書.docx", &docx, "application/octet-stream")]);
    let text = run(&["--lang", "en", "check", "--format", "text"], &path);
    assert!(text.contains("pii-my-number"), "{text}");
    assert!(text.contains("申込書.docx › table 1 row 2: "), "{text}");
    let review: serde_json::Value = serde_json::from_str(&run(&["check"], &path)).unwrap();
    assert_eq!(review["attachments"][0]["inspection"], "inspected");
    let excerpt =
        &review["findings"].as_array().unwrap().iter().find(|f| f["code"] == "pii-my-number").unwrap()["excerpts"][0];
    assert_eq!(
        (excerpt["part"].as_str(), excerpt["place"].as_str()),
        (Some("attachment-content"), Some("table 1 row 2"))
    );

    // Judged by its name only, the same file says nothing about what it holds.
    let review: serde_json::Value = serde_json::from_str(&run(&["check", "--no-inspect"], &path)).unwrap();
    assert_eq!(review["attachments"][0]["inspection"], "off");
    assert!(review["findings"].as_array().unwrap().iter().all(|f| f["code"] != "pii-my-number"), "{review}");
}

#[test]
fn a_shift_jis_csv_sent_as_text_is_read_in_its_own_charset() {
    // Declared as UTF-8 text, as some clients wrongly send it: the bytes the recipient saves are read.
    let csv = fixture("customers-sjis.csv");
    let path = mail(&[("customers.csv", &csv, "text/csv; charset=UTF-8")]);
    let review: serde_json::Value = serde_json::from_str(&run(&["check"], &path)).unwrap();
    assert_eq!(review["attachments"][0]["size"], csv.len());
    let codes: Vec<&str> = review["findings"].as_array().unwrap().iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"attachment-personal-data"), "{codes:?}");
}
