//! `attachment-blocked-type`: an attachment whose extension the policy denies.
//!
//! Why: programs, scripts and shortcuts are how malware travels by mail, and a mis-sent or
//! forwarded one can infect a partner. Nothing in ordinary office mail needs them, so the
//! default is `block`. The last extension decides, as it does for the operating system:
//! `invoice.pdf.exe` is a program, and the message says that it only looks like a PDF.
//! Trailing dots and spaces are ignored, as Windows ignores them (`run.exe.` is `exe`).
//! Extensions compare without regard to case.
//!
//! When the caller looked inside the attachment, what the bytes are counts too: a Windows
//! program named `invoice.pdf` is blocked with "this file is really a program", and an archive
//! that holds a denied type (by its name or by its bytes, at any depth) is blocked naming the
//! inner path (`tools/setup.exe`). Bytes count for the types the deny list names: a program
//! (Windows, Linux or macOS) when it lists `exe`, a shortcut for `lnk`, a disk image for `iso`,
//! `img`, `vhd` or `vhdx`, a script recognised by its first line for any script extension.
//!
//! Example policy: `{"rules": {"attachment-blocked-type": {"severity": "block",
//! "extensions": ["exe", "js", "zip"]}}}`

check! {
    code: "attachment-blocked-type",
    order: 90,
    default: Block,
    settings: RawAttachmentBlockedTypeRule,
    summary: {
        ja: "ポリシーで禁止された種類（拡張子）のファイルが添付されています。二重拡張子（invoice.pdf.exe）や、中身がプログラムのファイル（invoice.pdf という名前の実行ファイル、setup.exe を含む ZIP）も見抜きます。",
        en: "An attachment extension on the deny list, also behind a double extension (invoice.pdf.exe) or inside the file (a program named invoice.pdf, a ZIP holding setup.exe).",
        zh: "附件的扩展名在禁止列表中，包括伪装的双重扩展名（invoice.pdf.exe）以及文件内容（名为 invoice.pdf 的程序、含有 setup.exe 的 ZIP）。",
    },
    tag: {
        ja: "禁止された種類のファイル",
        en: "File type not allowed",
        zh: "禁止的文件类型",
    },
    how_to_fix: {
        ja: "このファイルは添付できません。外して、許可された方法で渡してください。",
        en: "This file type may not be attached. Remove it and share it in an approved way.",
        zh: "不允许添加此类文件。请删除它，并通过许可的方式共享。",
    },
}

use super::contents::push_assessed;
use super::{Code, Subject};
use crate::model::{Finding, Part};
use crate::text::excerpt;

/// Extensions people trust at a glance: a blocked type hiding behind one is a known trick.
const LOOKS_HARMLESS: &[&str] = &[
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "rtf", "jpg", "jpeg", "png", "gif", "zip", "htm",
    "html", "mp3", "mp4", "wav",
];

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let blocked = &subject.policy.content.blocked_extensions;
    for attachment in subject.attachments {
        let name = attachment.name.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
        let Some((stem, extension)) = name.rsplit_once('.').filter(|(_, e)| blocked.contains(&e.to_lowercase())) else {
            // Not denied by its name: by its bytes, or by what it holds, as the inspector judged
            // under the same deny list (`crates/inspect/src/assess.rs`).
            push_assessed(subject, Code::AttachmentBlockedType, attachment.index, out);
            continue;
        };
        let lower = extension.to_lowercase();
        let disguise = stem
            .rsplit_once('.')
            .map(|(_, previous)| previous.trim().to_lowercase())
            .filter(|previous| LOOKS_HARMLESS.contains(&previous.as_str()));
        // Direction controls can show `annual\u{202E}fdp.exe` as `annualexe.pdf`.
        let hidden_direction = name.contains([
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
        ]);
        let lang = subject.lang;
        let mut message = match &disguise {
            Some(previous) => lang.pick3(
                format!("「{}」は .{previous} に見えますが、実際は .{lower} ファイルです（二重拡張子）。この種類のファイルは送信できません。", attachment.name),
                format!("\"{}\" looks like .{previous} but is really .{lower} (a double extension). Files of this type may not be sent.", attachment.name), format!("“{}”看起来是 .{previous} 文件，实际上是 .{lower} 文件（双重扩展名）。不允许发送此类文件。", attachment.name)),
            None => lang.pick3(
                format!("「{}」は送信できない種類のファイル（.{lower}）です。", attachment.name),
                format!("\"{}\" is a type of file that may not be sent (.{lower}).", attachment.name), format!("“{}”是不允许发送的文件类型（.{lower}）。", attachment.name)),
        };
        if hidden_direction {
            message.push_str(lang.pick3(
                " ファイル名に文字の向きを変える制御文字が含まれ、表示される名前と実際の名前が異なります。",
                " The name contains characters that reverse the text direction, so it is shown differently from what it is.", " 文件名中含有改变文字方向的控制字符，显示的名称与实际名称不同。"));
        }
        let start = name.len() - extension.len() - 1;
        out.push(
            Finding::new(Code::AttachmentBlockedType, subject.severity(Code::AttachmentBlockedType), message)
                .with_attachments(vec![attachment.index])
                .with_excerpts(vec![excerpt(
                    &attachment.name,
                    start..name.len(),
                    Part::AttachmentName(attachment.index),
                )]),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, MailExt};
    use crate::Code;
    use serde_json::{json, Value};

    /// The attachment index, the excerpt's matched text and whether the message mentions a
    /// disguise, for each finding on these file names.
    fn check(policy: Value, names: &[&str], expected: &[(usize, &str, bool)]) {
        let mut draft = mail();
        for name in names {
            draft = draft.attach(name, 100);
        }
        let got: Vec<(usize, String, bool)> = findings(policy, &draft, Code::AttachmentBlockedType)
            .into_iter()
            .map(|f| (f.attachments[0], f.excerpts[0].matched.clone(), f.message.contains("looks like")))
            .collect();
        let expected: Vec<(usize, String, bool)> = expected.iter().map(|(i, m, d)| (*i, m.to_string(), *d)).collect();
        assert_eq!(got, expected, "{names:?}");
    }

    #[test]
    fn default_list() {
        check(
            Value::Null,
            &["report.pdf", "setup.exe", "SETUP.EXE", "run.Bat"],
            &[(1, ".exe", false), (2, ".EXE", false), (3, ".Bat", false)],
        );
        check(
            Value::Null,
            &["invoice.pdf.exe", "photo.JPG .scr", "a.exe.pdf", "exe", "notes.txt.js"],
            &[(0, ".exe", true), (1, ".scr", true), (4, ".js", true)],
        );
        check(
            Value::Null,
            &["run.exe.", "run.exe  ", ".exe"],
            &[(0, ".exe", false), (1, ".exe", false), (2, ".exe", false)],
        );
        check(Value::Null, &["data.json", "archive.tar.gz", "macro.xlsm", "x.exe2"], &[]);
    }

    #[test]
    fn the_policy_replaces_the_list() {
        check(
            json!({"rules": {"attachment-blocked-type": {"extensions": ["ZIP", ".7z"]}}}),
            &["a.exe", "b.zip", "c.7Z"],
            &[(1, ".zip", false), (2, ".7Z", false)],
        );
        check(json!({"rules": {"attachment-blocked-type": {"severity": "off"}}}), &["a.exe"], &[]);
    }

    #[test]
    fn contents_tell_what_a_file_really_is() {
        use crate::facts::{Entry, Facts, Kind};
        use crate::policy::Severity;
        use crate::Contents;
        let exe = Facts { mismatch: true, ..Facts::new("invoice.pdf", 300, Kind::Exe) };
        let mut zip = Facts::new("tools.zip", 300, Kind::Zip);
        let mut inner = Facts::new("inner.zip", 100, Kind::Zip);
        inner.entries.push(Entry {
            path: "run.lnk".into(),
            compressed_size: 1,
            size: 1,
            facts: Facts::new("run.lnk", 1, Kind::Unknown),
        });
        for (path, facts) in [
            ("readme.txt", Facts::new("readme.txt", 1, Kind::Text)),
            ("tools/setup.exe", Facts::new("setup.exe", 300, Kind::Exe)),
            ("tools/notes.dat", Facts::new("notes.dat", 300, Kind::Elf)),
            ("inner.zip", inner),
        ] {
            zip.entries.push(Entry { path: path.into(), compressed_size: 1, size: 1, facts });
        }
        let draft = mail()
            .attach_contents("invoice.pdf", Contents::Inspected(Box::new(exe)))
            .attach_contents("tools.zip", Contents::Inspected(Box::new(zip)))
            .attach_contents("report.pdf", Contents::Inspected(Box::new(Facts::new("report.pdf", 1, Kind::Pdf))))
            .attach_contents("setup.exe", Contents::Pending);
        let found = findings(Value::Null, &draft, Code::AttachmentBlockedType);
        let got: Vec<(Vec<usize>, Severity, Vec<String>)> = found
            .iter()
            .map(|f| (f.attachments.clone(), f.severity, f.excerpts.iter().map(|e| e.place.clone()).collect()))
            .collect();
        assert_eq!(
            got,
            [
                (vec![0], Severity::Block, vec![]),
                (
                    vec![1],
                    Severity::Block,
                    vec!["tools/setup.exe".into(), "tools/notes.dat".into(), "inner.zip › run.lnk".into()]
                ),
                (vec![3], Severity::Block, vec![String::new()]),
            ]
        );
        assert!(found[0].message.contains("really a program"), "{}", found[0].message);
        assert!(found[1].message.contains("tools/setup.exe"), "{}", found[1].message);
        // A policy that denies only archives does not deny programs by their bytes.
        let zips = json!({"rules": {"attachment-blocked-type": {"extensions": ["zip"]}}});
        let found = findings(zips, &draft, Code::AttachmentBlockedType);
        assert_eq!(found.iter().map(|f| f.attachments[0]).collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn reversed_names_are_explained() {
        let draft = mail().attach("annual\u{202E}fdp.exe", 1);
        let found = findings(Value::Null, &draft, Code::AttachmentBlockedType);
        assert!(found[0].message.contains("reverse the text direction"), "{found:?}");
    }
}
