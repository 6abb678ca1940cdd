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

use super::contents::push_assessed;
use super::{Code, Subject};
use crate::model::Finding;

/// The inspector judges this check (`crates/inspect/src/assess.rs`): its finding on each attachment.
pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    for attachment in subject.attachments {
        push_assessed(subject, Code::AttachmentEncrypted, attachment.index, out);
    }
}
