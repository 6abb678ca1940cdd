//! `bulk-visible-recipients`: N or more external addresses that can see each other in To/Cc.
//!
//! Why: in May 2022 a youth centre sent an event notice to its members in Cc and exposed
//! 110 addresses; Bcc was meant. Every address in To or Cc is shown to every recipient,
//! so a long external To/Cc list is a leak of the list itself. Bcc recipients never count:
//! they are hidden, which is the fix. Internal addresses do not count either: colleagues
//! already know each other. Warn by default, from 10 addresses.
//!
//! Example policy: `{"rules": {"bulk-visible-recipients": {"severity": "block", "threshold": 5}}}`

use super::{Code, Subject};
use crate::review::{Class, Finding};

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
    let message = subject.lang.pick(
        format!(
            "社外の {} 件のアドレスが To/Cc に入っていて、受信者全員に互いのアドレスが見えます。Bcc にするつもりではありませんでしたか？",
            visible.len()
        ),
        format!(
            "{} external addresses are in To/Cc, so every recipient sees all of them. Did you mean Bcc?",
            visible.len()
        ),
    );
    out.push(
        Finding::new(Code::BulkVisibleRecipients, subject.severity(Code::BulkVisibleRecipients), message)
            .with_recipients(visible),
    );
}
