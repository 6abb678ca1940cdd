//! `attachment-encrypted`: an attachment, or something inside it, is encrypted.
//!
//! Why: an encrypted file cannot be looked inside, so nothing in it was checked; and many
//! organisations forbid the password ZIP sent with its password in the next mail (PPAP).
//! The inspector reads every entry of a ZIP's central directory (ZipCrypto and AES, not only
//! the first entry), password-protected Office files (`EncryptedPackage`) and encrypted PDFs
//! (`/Encrypt`). The default is `info`; admins who forbid password ZIPs set `warn` or `block`.
//!
//! Example policy: `{"rules": {"attachment-encrypted": {"severity": "block"}}}`

check! {
    code: "attachment-encrypted",
    order: 104,
    default: Info,
    settings: RawRule,
    summary: {
        ja: "暗号化（パスワード付き）された添付ファイルがあり、中身を確認できません（パスワード付き ZIP、Office、PDF）。",
        en: "An attachment is encrypted (a password ZIP, Office file or PDF), so its contents could not be checked.",
        zh: "附件已加密（带密码的 ZIP、Office 文件或 PDF），无法检查其内容。",
    },
    tag: {
        ja: "暗号化されたファイル",
        en: "Encrypted file",
        zh: "加密文件",
    },
    how_to_fix: {
        ja: "中身を確認できません。送ってよい内容か自分で確かめてください。パスワード付き ZIP が禁止されていれば、決められた方法で渡してください。",
        en: "Its contents could not be checked: make sure they may be sent. Where password ZIPs are not allowed, share the file in an approved way.",
        zh: "无法检查其内容：请自行确认可以发送。如果禁止使用带密码的 ZIP，请通过许可的方式共享。",
    },
}

use super::contents::{join, walk};
use super::{content_excerpt, push_about_attachment, shortlist, Code, Subject, MAX_EXCERPTS};
use crate::facts::EncryptionMethod;
use crate::i18n::Lang;
use crate::model::{Excerpt, Finding};

/// How a method is named to the person.
fn method_name(method: EncryptionMethod, lang: Lang) -> &'static str {
    match method {
        EncryptionMethod::ZipCrypto => lang.pick3("パスワード付き ZIP", "password ZIP", "带密码的 ZIP"),
        EncryptionMethod::ZipAes => {
            lang.pick3("パスワード付き ZIP（AES）", "password ZIP (AES)", "带密码的 ZIP（AES）")
        }
        EncryptionMethod::Office => {
            lang.pick3("パスワード付き Office 文書", "password-protected Office file", "带密码的 Office 文件")
        }
        EncryptionMethod::LegacyOffice => lang.pick3(
            "パスワード付き Office 文書（旧形式）",
            "password-protected Office file (legacy format)",
            "带密码的 Office 文件（旧格式）",
        ),
        EncryptionMethod::Pdf => lang.pick3("暗号化された PDF", "encrypted PDF", "加密的 PDF"),
    }
}

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let lang = subject.lang;
    for attachment in subject.attachments {
        let Some(facts) = subject.facts(attachment.index) else { continue };
        // Each encrypted thing at any depth: where it is, and how.
        let mut found: Vec<(String, EncryptionMethod)> = Vec::new();
        for (facts, path) in walk(facts) {
            for e in &facts.encrypted {
                found.push((join(&path, &e.place), e.method));
            }
        }
        if found.is_empty() {
            continue;
        }
        let mut methods: Vec<&str> = Vec::new();
        for (_, method) in &found {
            let name = method_name(*method, lang);
            if !methods.contains(&name) {
                methods.push(name);
            }
        }
        let methods = methods.join(", ");
        let mut places: Vec<&str> = Vec::new();
        for (place, _) in &found {
            if !place.is_empty() {
                places.push(place);
            }
        }
        let name = &attachment.name;
        let message = if places.is_empty() {
            lang.pick3(
                format!("「{name}」は暗号化されています（{methods}）。中身を確認できませんでした。"),
                format!("\"{name}\" is encrypted ({methods}); its contents could not be checked."),
                format!("“{name}”已加密（{methods}），无法检查其内容。"),
            )
        } else {
            let places = shortlist(&places, lang);
            lang.pick3(
                format!("「{name}」の中に暗号化されたファイルがあります（{methods}: {places}）。その中身は確認できませんでした。"),
                format!("\"{name}\" holds encrypted files ({methods}: {places}); their contents could not be checked."),
                format!("“{name}”中含有加密文件（{methods}：{places}），无法检查其内容。"),
            )
        };
        let mut excerpts: Vec<Excerpt> = Vec::new();
        for (place, method) in &found {
            if !place.is_empty() && excerpts.len() < MAX_EXCERPTS {
                excerpts.push(content_excerpt(attachment.index, place, method_name(*method, lang).to_string()));
            }
        }
        let severity = subject.severity(Code::AttachmentEncrypted);
        push_about_attachment(out, Code::AttachmentEncrypted, severity, message, attachment.index, excerpts);
    }
}
