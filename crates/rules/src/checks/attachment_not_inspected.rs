//! `attachment-not-inspected`: an attachment, or a part of it, could not be looked inside.
//!
//! Why: a check that silently skips what it cannot read gives a false sense of safety. When
//! the inspection failed (a timeout, an error, over the bytes the policy lets be read) or the
//! inspector met a limit (archive depth, entries, expansion, a zip bomb), a damaged file, or a
//! format whose contents are not read (7-Zip, RAR, gzip, cabinets), the person is told which
//! attachment and why, in one finding per attachment, the reasons listed.
//!
//! What does not count: pictures and files of no known format whose name claims none either
//! (there is nothing in them these checks would read); the text of a PDF, which is not read
//! (a finding on every PDF would teach people to ignore this one), though an encrypted or
//! damaged PDF is reported; and encryption, which `attachment-encrypted` reports.
//!
//! Example policy: `{"rules": {"attachment-not-inspected": {"severity": "warn"}}}`

check! {
    code: "attachment-not-inspected",
    order: 106,
    default: Info,
    settings: RawRule,
    summary: {
        ja: "添付ファイル（またはその一部）の中身を確認できませんでした（上限超過・破損・未対応の形式・時間切れ）。理由を示します。",
        en: "An attachment (or part of it) could not be looked inside (a limit, a damaged file, an unsupported format, a timeout); the reason is given.",
        zh: "无法检查附件（或其一部分）的内容（超出上限、文件损坏、不支持的格式、超时）；会说明原因。",
    },
    tag: {
        ja: "中身を確認できず",
        en: "Not checked inside",
        zh: "未能检查内容",
    },
    how_to_fix: {
        ja: "中身を確認できなかったファイルです。送ってよい内容か自分で確かめてください。",
        en: "This file's contents could not be checked: make sure they may be sent.",
        zh: "未能检查此文件的内容：请自行确认可以发送。",
    },
}

use super::contents::push_assessed;
use super::{push_about_attachment, Code, Subject};
use crate::draft::{Contents, FailReason};
use crate::i18n::Lang;
use crate::model::Finding;

/// Why an inspection did not finish, in the person's words.
fn fail_text(reason: FailReason, lang: Lang) -> &'static str {
    match reason {
        FailReason::Timeout => lang.pick3("確認が時間内に終わりませんでした", "checking it took too long", "检查超时"),
        FailReason::Error => {
            lang.pick3("確認中にエラーが起きました", "an error occurred while checking it", "检查时发生错误")
        }
        FailReason::TooLarge => lang.pick3(
            "添付ファイルが大きすぎるため確認しませんでした",
            "the attachments are too large to check",
            "附件过大，未检查",
        ),
        FailReason::Unavailable => {
            lang.pick3("ファイルを読み込めませんでした", "the file could not be read", "无法读取文件")
        }
    }
}

/// An attachment the inspection did not finish is told here; what the inspector could not read
/// inside a file it judges itself (`crates/inspect/src/assess.rs`).
pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let lang = subject.lang;
    for attachment in subject.attachments {
        let Contents::Failed { reason, .. } = subject.contents(attachment.index) else {
            push_assessed(subject, Code::AttachmentNotInspected, attachment.index, out);
            continue;
        };
        let name = &attachment.name;
        let reasons = fail_text(*reason, lang);
        let message = lang.pick3(
            format!("「{name}」の中身を確認できませんでした（{reasons}）。"),
            format!("\"{name}\" could not be checked inside ({reasons})."),
            format!("未能检查“{name}”的内容（{reasons}）。"),
        );
        let severity = subject.severity(Code::AttachmentNotInspected);
        push_about_attachment(out, Code::AttachmentNotInspected, severity, message, attachment.index, Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, MailExt};
    use super::*;
    use crate::facts::{Entry, Facts, Kind, Reason};
    use serde_json::Value;

    fn with_problem(name: &str, kind: Kind, name_kind: Option<Kind>, reason: Reason) -> Contents {
        let mut facts = Facts { name_kind, ..Facts::new(name, 10, kind) };
        facts.problem("", reason, "detail".to_string());
        Contents::Inspected(Box::new(facts))
    }

    #[test]
    fn what_could_not_be_read_is_told_once_per_attachment_and_harmless_kinds_do_not_nag() {
        let mut zip = Facts::new("a.zip", 10, Kind::Zip);
        let mut inner = Facts::new("b.xlsx", 10, Kind::Unknown);
        inner.name_kind = Some(Kind::Xlsx);
        inner.problem("", Reason::Corrupt, "bad zip".into());
        inner.problem("xl/worksheets/sheet2.xml", Reason::Corrupt, "bad xml".into());
        zip.entries.push(Entry { path: "data/b.xlsx".into(), compressed_size: 1, size: 1, facts: inner });
        zip.problem("", Reason::LimitEntries, "2000 entries".into());
        let draft = mail()
            .attach_contents("a.zip", Contents::Inspected(Box::new(zip)))
            .attach_contents("photo.png", with_problem("photo.png", Kind::Image, Some(Kind::Image), Reason::Unknown))
            .attach_contents("data.bin", with_problem("data.bin", Kind::Unknown, None, Reason::Unknown))
            .attach_contents("plain.pdf", with_problem("plain.pdf", Kind::Pdf, Some(Kind::Pdf), Reason::Unsupported))
            .attach_contents(
                "broken.xlsx",
                with_problem("broken.xlsx", Kind::Unknown, Some(Kind::Xlsx), Reason::Unknown),
            )
            .attach_contents("a.rar", with_problem("a.rar", Kind::Rar, None, Reason::Unsupported))
            .attach_contents("s.zip", with_problem("s.zip", Kind::Zip, Some(Kind::Zip), Reason::Encrypted))
            .attach_contents(
                "late.docx",
                Contents::Failed { reason: FailReason::Timeout, detail: "no answer in 3000 ms".into() },
            )
            .attach_contents("soon.docx", Contents::Pending);
        let found = findings(Value::Null, &draft, Code::AttachmentNotInspected);
        let got: Vec<usize> = found.iter().map(|f| f.attachments[0]).collect();
        assert_eq!(got, [0, 4, 5, 7]);
        assert_eq!(
            found[0].message,
            "\"a.zip\" could not be checked inside (too many files: only some were checked, data/b.xlsx: the file is \
             damaged, data/b.xlsx › xl/worksheets/sheet2.xml: the file is damaged)."
        );
        assert!(found[3].message.contains("took too long"), "{}", found[3].message);
        assert!(found.iter().all(|f| f.severity == crate::policy::Severity::Info));
    }
}
