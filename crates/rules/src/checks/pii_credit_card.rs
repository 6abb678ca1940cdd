//! `pii-credit-card`: a 13 to 19-digit credit card number that passes the Luhn check.
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
//! A card number has 13 to 19 digits, written as one group, as groups of 4 with a shorter
//! last group (4-4-4-4, 4-4-4-4-3), or as 4-6-5 (American Express) or 4-6-4 (Diners), that
//! pass the Luhn check **and** start with the number range of a known brand with a length
//! that brand uses: Visa 4 (13, 16, 19 digits), Mastercard 51–55 and 2221–2720 (16),
//! American Express 34, 37 (15), JCB 3528–3589 (16–19), Diners Club 300–305, 3095, 36, 38,
//! 39 (14–19), Discover 6011, 644–649, 65 (16–19). One random number in ten passes Luhn;
//! the brand ranges cut the false alarms on tracking and order numbers by another large factor.
//!
//! Inside attachments the same numbers are looked for, one finding per attachment. There the
//! configured severity applies only when a label is near (カード番号, クレジットカード, card
//! number, 有効期限, expiry, CVV, or the column's header); otherwise `info` at most.
//!
//! Example policy: `{"rules": {"pii-credit-card": {"severity": "warn", "when": "always"}}}`

check! {
    code: "pii-credit-card",
    order: 130,
    default: Warn,
    settings: RawPiiRule,
    summary: {
        ja: "Luhn チェックを通る 13〜19 桁のクレジットカード番号が件名・本文・添付ファイルにあります（既定では社外宛てのとき）。",
        en: "A 13 to 19-digit credit card number that passes the Luhn check, in the text or the attachments, for mail that leaves the company by default.",
        zh: "主题、正文或附件中含有通过 Luhn 校验的 13 至 19 位信用卡号；默认仅在发往公司外部时检查。",
    },
    tag: {
        ja: "カード番号",
        en: "Card number",
        zh: "信用卡号",
    },
    how_to_fix: {
        ja: "カード番号を件名・本文・添付ファイルから削除してください。",
        en: "Remove the card number from the subject, the body and the attachments.",
        zh: "请从主题、正文和附件中删除信用卡号。",
    },
}

use super::pii::in_attachment;
use super::{Code, Subject};
use crate::model::Finding;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let found = subject.numbers();
    let lang = subject.lang;
    for inside in found.attachments.iter().filter(|a| a.cards.count > 0) {
        let count = inside.cards.count;
        let brands = inside.brands.join(", ");
        let name = subject.attachments.get(inside.index).map_or("", |a| a.name.as_str());
        let message = lang.pick3(
            format!("「{name}」の中に、クレジットカード番号と思われる番号が {count} 件あります（{brands}）。"),
            format!(
                "\"{name}\" holds {count} number{} that look{} like a credit card number ({brands}).",
                if count == 1 { "" } else { "s" },
                if count == 1 { "s" } else { "" }
            ),
            format!("“{name}”中有 {count} 个疑似信用卡号的号码（{brands}）。"),
        );
        let unlabelled = (!inside.cards_labelled).then_some(lang.pick3(
            " 近くに「カード番号」などの見出しがないため、別の番号かもしれません。",
            " No label such as \"card number\" is near, so it may be another number.",
            " 附近没有“卡号”等标签，可能是其他号码。",
        ));
        in_attachment(subject, Code::PiiCreditCard, inside.index, &inside.cards, message, unlabelled, out);
    }
    let count = found.cards.count;
    if count == 0 {
        return;
    }
    let brands = found.brands.join(", ");
    let message = subject.lang.pick3(
        format!("クレジットカード番号と思われる番号が {count} 件あります（{brands}）。"),
        format!(
            "{count} number{} that look{} like a credit card number ({brands}).",
            if count == 1 { "" } else { "s" },
            if count == 1 { "s" } else { "" }
        ),
        format!("有 {count} 个疑似信用卡号的号码（{brands}）。"),
    );
    out.push(
        Finding::new(Code::PiiCreditCard, subject.severity(Code::PiiCreditCard), message)
            .with_excerpts(found.cards.excerpts.clone()),
    );
}
