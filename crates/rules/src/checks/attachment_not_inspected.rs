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

use super::contents::{join, walk};
use super::{content_excerpt, push_about_attachment, shortlist, Code, Subject, MAX_EXCERPTS};
use crate::draft::{Contents, FailReason};
use crate::facts::{Kind, Reason};
use crate::i18n::Lang;
use crate::model::{Excerpt, Finding};

/// Why something was not looked inside, in the person's words.
fn reason_text(reason: Reason, lang: Lang) -> &'static str {
    match reason {
        Reason::LimitBytes => lang.pick3(
            "大きすぎるため先頭だけを確認しました",
            "too large: only its start was checked",
            "文件过大：只检查了开头部分",
        ),
        Reason::LimitDepth => lang.pick3(
            "ZIP の入れ子が深すぎて開けませんでした",
            "archives nested too deep to open",
            "压缩包嵌套过深，无法打开",
        ),
        Reason::LimitEntries => lang.pick3(
            "ファイルが多すぎて一部だけを確認しました",
            "too many files: only some were checked",
            "文件过多：只检查了一部分",
        ),
        Reason::LimitExpanded | Reason::LimitRatio => lang.pick3(
            "展開すると大きくなりすぎるため開けませんでした（ZIP 爆弾の疑い）",
            "it would expand too much to open (possibly a zip bomb)",
            "解压后会过大，无法打开（可能是 ZIP 炸弹）",
        ),
        Reason::LimitText | Reason::LimitCells => lang.pick3(
            "文字や表が多すぎて一部だけを確認しました",
            "too much text or too many cells: only part was checked",
            "文字或单元格过多：只检查了一部分",
        ),
        Reason::Corrupt => lang.pick3("ファイルが壊れています", "the file is damaged", "文件已损坏"),
        Reason::Unknown => lang.pick3(
            "名前の示す形式として読めませんでした",
            "it could not be read as the format its name says",
            "无法按文件名所示的格式读取",
        ),
        Reason::Unsupported => lang.pick3(
            "この形式の中身は確認できません",
            "the contents of this format are not read",
            "无法检查此格式的内容",
        ),
        Reason::Encrypted => lang.pick3("暗号化されています", "it is encrypted", "已加密"),
    }
}

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

/// Whether a problem is worth telling: see the module's documentation.
fn worth_telling(reason: Reason, kind: Kind, name_kind: Option<Kind>) -> bool {
    match reason {
        Reason::Encrypted => false,
        // A file whose name claims no format the inspector reads, with bytes of none: nothing
        // these checks would read was missed. A name that claims one (a `.xlsx` of unknown bytes) is.
        Reason::Unknown => name_kind.is_some_and(|k| k != Kind::Image && k != Kind::Unknown),
        Reason::Unsupported => !matches!(kind, Kind::Pdf | Kind::Image),
        _ => true,
    }
}

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let lang = subject.lang;
    for attachment in subject.attachments {
        // (place, reason) of what was not looked inside.
        let mut found: Vec<(String, &'static str)> = Vec::new();
        match subject.contents(attachment.index) {
            Contents::Failed { reason, .. } => found.push((String::new(), fail_text(*reason, lang))),
            Contents::Inspected(facts) => {
                for (facts, path) in walk(facts) {
                    for problem in &facts.problems {
                        if worth_telling(problem.reason, facts.kind, facts.name_kind) {
                            let text = reason_text(problem.reason, lang);
                            let place = join(&path, &problem.place);
                            if !found.iter().any(|(p, t)| *p == place && *t == text) {
                                found.push((place, text));
                            }
                        }
                    }
                }
            }
            Contents::Off | Contents::Pending => {}
        }
        if found.is_empty() {
            continue;
        }
        let mut reasons: Vec<String> = Vec::new();
        for (place, text) in &found {
            let said = if place.is_empty() { text.to_string() } else { format!("{place}: {text}") };
            if !reasons.contains(&said) {
                reasons.push(said);
            }
        }
        let reasons = shortlist(&reasons, lang);
        let name = &attachment.name;
        let message = lang.pick3(
            format!("「{name}」の中身を確認できませんでした（{reasons}）。"),
            format!("\"{name}\" could not be checked inside ({reasons})."),
            format!("未能检查“{name}”的内容（{reasons}）。"),
        );
        let mut excerpts: Vec<Excerpt> = Vec::new();
        for (place, text) in &found {
            if !place.is_empty() && excerpts.len() < MAX_EXCERPTS {
                excerpts.push(content_excerpt(attachment.index, place, text.to_string()));
            }
        }
        let severity = subject.severity(Code::AttachmentNotInspected);
        push_about_attachment(out, Code::AttachmentNotInspected, severity, message, attachment.index, excerpts);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, MailExt};
    use super::*;
    use crate::facts::{Entry, Facts};
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
