//! `pii-my-number`: a 12-digit Japanese Individual Number (マイナンバー) whose check digit holds.
//!
//! Why: product.md names personal data (My Number, card numbers) sent to outsiders among the
//! incidents to stop. The number carries a checksum, so the check can tell it from the many
//! other long numbers of business mail (order numbers, tracking numbers, phone numbers) far
//! better than a pattern of digits alone.
//!
//! The check reads the subject and the whole body, quoted text included, because quoted
//! text is sent too. By default it applies only when the mail has an external recipient
//! (`"when": "external"`); `"when": "always"` applies it to internal mail too. How numbers
//! are found is in [`super::pii`].
//!
//! A My Number has 12 digits, written as one group or as 4-4-4, whose check digit holds
//! (the official algorithm: weights 2 to 7 cycling from the right over the first 11 digits,
//! r = sum mod 11, check digit = 0 when r ≤ 1, else 11 − r). Numbers whose first 11 digits
//! are all the same (`0000 0000 0000`) are left out as dummies. About one random 12-digit
//! number in ten passes the check digit, so a lone 12-digit number still fires now and then.
//!
//! Inside attachments (cells, paragraphs, lines, at any archive depth) the same numbers are
//! looked for, one finding per attachment that points at it and at the places inside. There a
//! number is reported at the configured severity only when a label says what it is
//! (マイナンバー, 個人番号, My Number, Individual Number within about 300 characters, or in its
//! column's header); without one it is `info` at most, so an order number labelled 注文番号
//! that happens to pass the check digit does not hold the mail back. The subject and the body
//! keep the configured severity whatever the words around the number.
//!
//! Example policy: `{"rules": {"pii-my-number": {"severity": "block", "when": "always"}}}`

check! {
    code: "pii-my-number",
    order: 120,
    default: Warn,
    settings: RawPiiRule,
    summary: {
        ja: "チェックディジットが正しい 12 桁のマイナンバー（個人番号）が件名・本文・添付ファイルにあります（既定では社外宛てのとき）。",
        en: "A 12-digit Japanese Individual Number (My Number) whose check digit holds, in the text or the attachments, for mail that leaves the company by default.",
        zh: "主题、正文或附件中含有校验位正确的 12 位日本个人编号（My Number）；默认仅在发往公司外部时检查。",
    },
    tag: {
        ja: "マイナンバー",
        en: "My Number",
        zh: "个人编号",
    },
    how_to_fix: {
        ja: "個人番号（マイナンバー）を件名・本文・添付ファイルから削除してください。",
        en: "Remove the Individual Number (My Number) from the subject, the body and the attachments.",
        zh: "请从主题、正文和附件中删除个人编号（My Number）。",
    },
}

use super::pii::in_attachment;
use super::{Code, Subject};
use crate::model::Finding;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let found = subject.numbers();
    let lang = subject.lang;
    for inside in found.attachments.iter().filter(|a| a.my_numbers.count > 0) {
        let count = inside.my_numbers.count;
        let name = subject.attachments.get(inside.index).map_or("", |a| a.name.as_str());
        let message = lang.pick3(
            format!("「{name}」の中に、マイナンバー（個人番号）と思われる 12 桁の番号が {count} 件あります。"),
            format!(
                "\"{name}\" holds {count} twelve-digit number{} that look{} like a My Number (Japanese Individual Number).",
                if count == 1 { "" } else { "s" },
                if count == 1 { "s" } else { "" }
            ),
            format!("“{name}”中有 {count} 个疑似个人编号（My Number）的 12 位号码。"),
        );
        let unlabelled = (!inside.my_numbers_labelled).then_some(lang.pick3(
            " 近くに「マイナンバー」などの見出しがないため、注文番号などの別の番号かもしれません。",
            " No label such as \"My Number\" is near, so it may be another number, such as an order number.",
            " 附近没有“个人编号”等标签，可能是订单号等其他号码。",
        ));
        in_attachment(subject, Code::PiiMyNumber, inside.index, &inside.my_numbers, message, unlabelled, out);
    }
    let count = found.my_numbers.count;
    if count == 0 {
        return;
    }
    let message = subject.lang.pick3(
        format!("マイナンバー（個人番号）と思われる 12 桁の番号が {count} 件あります。"),
        format!(
            "{count} twelve-digit number{} that look{} like a My Number (Japanese Individual Number).",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" }
        ),
        format!("有 {count} 个疑似个人编号（My Number）的 12 位号码。"),
    );
    out.push(
        Finding::new(Code::PiiMyNumber, subject.severity(Code::PiiMyNumber), message)
            .with_excerpts(found.my_numbers.excerpts.clone()),
    );
}
