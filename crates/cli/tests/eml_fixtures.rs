//! Decoding of the hand-written fixtures in `tests/eml/`: charsets, transfer encodings,
//! encoded headers and file names, HTML-only bodies, Bcc, attachments and nested messages.
//! Each fixture is described in `tests/eml/README.md`.

use std::path::PathBuf;

use misend_guard_cli::eml;
use misend_guard_cli::files::ReadError;
use misend_guard_dto::{DraftDto, RecipientDto};

/// What a fixture must decode to. Recipients are `field raw`, as the engine receives them.
struct Expected<'a> {
    subject: &'a str,
    body_contains: &'a [&'a str],
    recipients: &'a [&'a str],
    attachments: &'a [(&'a str, u64)],
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/eml").join(name)
}

fn check(name: &str, expected: Expected<'_>) {
    let draft: DraftDto = eml::read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(draft.subject, expected.subject, "{name}: subject");
    for fragment in expected.body_contains {
        assert!(draft.body.contains(fragment), "{name}: body {:?} lacks {fragment:?}", draft.body);
    }
    let mut recipients = Vec::new();
    for (field, list) in [("to", &draft.to), ("cc", &draft.cc), ("bcc", &draft.bcc)] {
        for r in list {
            let RecipientDto::Plain(raw) = r else { panic!("{name}: a mail has no mailing-list entries") };
            recipients.push(format!("{field} {raw}"));
        }
    }
    assert_eq!(recipients, expected.recipients, "{name}: recipients");
    let attachments: Vec<(String, u64)> =
        draft.attachments.iter().map(|a| (a.name.clone(), a.size.expect("a decoded size") as u64)).collect();
    let expected_attachments: Vec<(String, u64)> =
        expected.attachments.iter().map(|(n, s)| (n.to_string(), *s)).collect();
    assert_eq!(attachments, expected_attachments, "{name}: attachments");
}

#[test]
fn iso_2022_jp_subject_body_and_names() {
    check(
        "iso-2022-jp.eml",
        Expected {
            subject: "見積書の件",
            body_contains: &["佐藤様", "いつもお世話になっております。", "見積書をお送りします。"],
            recipients: &["to \"佐藤 次郎\" <sato@partner.example>"],
            attachments: &[],
        },
    );
    let draft = eml::read(&fixture("iso-2022-jp.eml")).unwrap();
    assert_eq!(draft.from.as_deref(), Some("\"山田 太郎\" <yamada@corp.example>"));
}

#[test]
fn shift_jis_body() {
    check(
        "shift-jis.eml",
        Expected {
            subject: "会議室の予約",
            // "ソ" is 0x835C in Shift_JIS: its second byte is a backslash in ASCII.
            body_contains: &["鈴木さん", "明日の会議室を予約しました。", "「ソ」も化けません"],
            recipients: &["to suzuki@corp.example"],
            attachments: &[],
        },
    );
}

#[test]
fn euc_jp_body() {
    check(
        "euc-jp.eml",
        Expected {
            subject: "サーバー停止のお知らせ",
            body_contains: &["田中さん", "今夜二十二時にサーバーを停止します。"],
            recipients: &["to tanaka@corp.example"],
            attachments: &[],
        },
    );
}

#[test]
fn quoted_printable_utf8_with_soft_line_breaks() {
    check(
        "quoted-printable-utf8.eml",
        Expected {
            subject: "契約書のご確認",
            body_contains: &["ご担当者様", "七十六文字を超えるので quoted-printable のソフト改行で折り返されます。"],
            recipients: &["to client@customer.example"],
            attachments: &[],
        },
    );
}

#[test]
fn base64_utf8_body() {
    check(
        "base64-utf8.eml",
        Expected {
            subject: "請求書送付のご案内",
            body_contains: &["お客様各位", "今月分の請求書をお送りします。"],
            recipients: &["to client@customer.example"],
            attachments: &[],
        },
    );
}

#[test]
fn japanese_attachment_names_rfc_2231_and_rfc_2047() {
    check(
        "japanese-attachment-names.eml",
        Expected {
            subject: "資料送付",
            body_contains: &["資料を添付します。"],
            recipients: &["to sato@partner.example"],
            attachments: &[
                // RFC 2231 `filename*=UTF-8''...`.
                ("見積書.pdf", 1536),
                // RFC 2231 continuations that split a character's bytes between segments.
                ("顧客一覧_2025年12月.xlsx", 1024),
                // An RFC 2047 encoded word in a quoted name, as older Japanese clients write;
                // the size is that of the Shift_JIS file, not of its UTF-8 decoding.
                ("名簿.csv", 10),
            ],
        },
    );
}

#[test]
fn html_only_body_is_checked_as_text() {
    check(
        "html-only.eml",
        Expected {
            subject: "HTML only",
            body_contains: &["佐藤様", "お見積もりは<別紙>のとおりです。", "よろしくお願いします。"],
            recipients: &["to sato@partner.example"],
            attachments: &[],
        },
    );
    let draft = eml::read(&fixture("html-only.eml")).unwrap();
    assert!(!draft.body.contains("<p>") && !draft.body.contains("color: red"), "{:?}", draft.body);
}

#[test]
fn bcc_recipients_of_the_senders_copy_are_recipients() {
    check(
        "bcc.eml",
        Expected {
            subject: "Bcc copy",
            body_contains: &["Hello."],
            recipients: &[
                "to \"Sato, Jiro\" <sato@partner.example>",
                "to suzuki@corp.example",
                "cc \"加藤\" <kato@other.example>",
                // A group is flattened into its members.
                "cc a@partner.example",
                "cc b@partner.example",
                "bcc boss@corp.example",
            ],
            attachments: &[],
        },
    );
}

#[test]
fn multipart_mixed_with_two_attachments() {
    check(
        "multipart-mixed-two-attachments.eml",
        Expected {
            subject: "Two files",
            body_contains: &["Please find the two files attached."],
            recipients: &["to sato@partner.example"],
            attachments: &[("report.pdf", 1536), ("chart.png", 100)],
        },
    );
}

#[test]
fn a_nested_message_is_one_attachment() {
    check(
        "nested-message.eml",
        Expected {
            subject: "Fw: Original question",
            body_contains: &["Forwarding the customer's mail."],
            recipients: &["to suzuki@corp.example"],
            // Named after its subject; its size is the forwarded message's 404 bytes;
            // the zip inside it is not an attachment of this mail.
            attachments: &[("Original question.eml", 404)],
        },
    );
    let draft = eml::read(&fixture("nested-message.eml")).unwrap();
    assert!(!draft.body.contains("Inner body text."), "the forwarded body is not this mail's body");
}

#[test]
fn files_over_the_limit_are_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("misend-guard-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.eml");
    // A sparse file: nothing is written, so the test is fast.
    std::fs::File::create(&path).unwrap().set_len(eml::MAX_MAIL_BYTES + 1).unwrap();
    let result = eml::read(&path);
    std::fs::remove_dir_all(&dir).unwrap();
    match result {
        Err(e @ eml::MailError::Read(ReadError::TooLarge { .. })) => {
            assert_eq!(e.to_string(), "too large: 52428801 bytes, over the limit of 50 MB (52428800 bytes)")
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}
