//! `attachment-personal-data`: an attachment holds a table of people.
//!
//! Why: the leak this product exists for most often lives inside a file: a customer list
//! saved as `data_20261201.xlsx` and mailed to a contractor. The inspector reads the tables
//! of CSV and TSV files, every sheet of an `.xlsx` and the tables of a `.docx`, and judges
//! which of them list people, with the policy's `minRows`; this check decides whether that
//! matters for the mail (`when`) and how much (`severity`).
//!
//! A table lists people when its header names two or more person attributes (氏名, 名前,
//! フリガナ, 住所, 電話, 携帯, メール, 生年月日, 性別, 口座…; name, address, phone, e-mail,
//! birth, gender, account…, matched as parts of the header cell, so `電話番号` and
//! `E-mail address` count) and it has at least `minRows` data rows (default 10), or when one
//! of its columns holds mostly e-mail addresses or phone numbers and it has that many rows.
//! One attribute alone is not enough: a price list's 商品名 or a product list's 名前 column
//! is no list of people. The finding names the attachment, the sheet, the columns and the rows:
//! `Sheet1: 氏名, 住所, 電話番号 — 50 行`.
//!
//! By default it applies only when the mail has an external recipient (`"when": "external"`).
//!
//! Example policy: `{"rules": {"attachment-personal-data": {"severity": "block", "when": "always", "minRows": 20}}}`

check! {
    code: "attachment-personal-data",
    order: 102,
    default: Warn,
    settings: RawPersonalDataRule,
    summary: {
        ja: "添付ファイルに個人情報の一覧（氏名・住所・電話・メールなどの列がある表）が含まれています（既定では社外宛てのとき）。",
        en: "An attachment holds a list of people (a table with columns such as name, address, phone, e-mail), for mail that leaves the company by default.",
        zh: "附件中含有个人信息列表（带有姓名、地址、电话、邮箱等列的表格）；默认仅在发往公司外部时检查。",
    },
    tag: {
        ja: "個人情報の一覧",
        en: "List of people",
        zh: "个人信息列表",
    },
    how_to_fix: {
        ja: "送ってよい一覧か確認してください。不要な列や行を削除するか、決められた方法で渡してください。",
        en: "Make sure this list may be sent. Remove the columns and rows that are not needed, or share it in an approved way.",
        zh: "请确认此列表可以发送。删除不需要的列和行，或通过许可的方式共享。",
    },
}

use super::contents::push_assessed;
use super::{Code, Subject};
use crate::model::Finding;
use crate::policy::{Severity, When};

/// The inspector finds the lists of people (`crates/inspect/src/assess.rs`, with the policy's
/// `minRows`); this check decides whether they matter for this mail.
pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let severity = subject.severity(Code::AttachmentPersonalData);
    if severity == Severity::Off
        || (subject.policy.content.personal_data_when == When::External && !subject.has_external())
    {
        return;
    }
    for attachment in subject.attachments {
        push_assessed(subject, Code::AttachmentPersonalData, attachment.index, out);
    }
}
