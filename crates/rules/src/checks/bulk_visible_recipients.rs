//! `bulk-visible-recipients`: N or more external addresses that can see each other in To/Cc.
//!
//! Why: in May 2022 a youth centre sent an event notice to its members in Cc and exposed
//! 110 addresses; Bcc was meant. Every address in To or Cc is shown to every recipient,
//! so a long external To/Cc list is a leak of the list itself. Bcc recipients never count:
//! they are hidden, which is the fix. Internal addresses do not count either: colleagues
//! already know each other. Warn by default, from 10 addresses.
//!
//! Example policy: `{"rules": {"bulk-visible-recipients": {"severity": "block", "threshold": 5}}}`

check! {
    code: "bulk-visible-recipients",
    order: 20,
    default: Warn,
    settings: RawBulkRule,
    summary: {
        ja: "多数の社外アドレスが To/Cc で互いに見えます（既定は 10 件から。Bcc は数えません）。Bcc にするつもりだった可能性があります。ダイアログでは Bcc へ移す操作を一度で行えます。",
        en: "Many external addresses (10 by default) can see each other in To/Cc (Bcc never counts); Bcc was probably meant, and the dialog offers a one-click move to Bcc.",
        zh: "大量公司外部地址在收件人/抄送中彼此可见（默认 10 个起，不计密送）。可能本应使用密送；对话框可一键移至密送。",
    },
    tag: {
        ja: "宛先が互いに見える",
        en: "Visible to each other",
        zh: "收件人彼此可见",
    },
    how_to_fix: {
        ja: "社外の宛先を Bcc に移してください（下のボタンで移せます）。",
        en: "Move the external recipients to Bcc (the button below does it).",
        zh: "请将外部收件人移至密送（可使用下方按钮）。",
    },
    one_click: [MoveExternalToBcc],
}

use super::{Code, Subject};
use crate::model::{Class, Finding};

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let visible: Vec<usize> = subject
        .recipients
        .iter()
        .filter(|r| r.class == Class::External && r.valid && r.field.is_visible())
        .map(|r| r.index)
        .collect();
    let threshold = subject.policy.recipients.bulk_threshold;
    if visible.len() < threshold {
        return;
    }
    let message = subject.lang.pick3(
        format!(
            "社外の {} 件のアドレスが To/Cc に入っていて、受信者全員に互いのアドレスが見えます。Bcc にするつもりではありませんでしたか？",
            visible.len()
        ),
        format!(
            "{} external addresses are in To/Cc, so every recipient sees all of them. Did you mean Bcc?",
            visible.len()
        ), format!("收件人/抄送中有 {} 个外部地址，所有收件人都能看到彼此的地址。您是否本想使用密送？", visible.len()));
    out.push(
        Finding::new(Code::BulkVisibleRecipients, subject.severity(Code::BulkVisibleRecipients), message)
            .with_recipients(visible),
    );
}
