//! `blocked-domain`: a recipient address or domain on the policy's deny list.
//!
//! Why: some parties must never receive mail from the company (a former contractor,
//! a competitor, free-mail services for business data); the admin lists them and the
//! engine refuses them, in any field, Bcc included, whatever the case or the IDN form.
//! Block by default: Send stays disabled until the recipient is removed.
//!
//! Example policy: `{"rules": {"blocked-domain": {"severity": "block",
//! "entries": ["former-contractor.example", "*.former-contractor.example", "someone@partner.example"]}}}`

check! {
    code: "blocked-domain",
    order: 40,
    default: Block,
    settings: RawBlockedRule,
    summary: {
        ja: "宛先のドメインまたはアドレスが、ポリシーの拒否リストにあります。",
        en: "A recipient domain or address is on the policy's deny list.",
        zh: "收件人的域名或地址在策略的禁止列表中。",
    },
    tag: {
        ja: "送信禁止の宛先",
        en: "Blocked recipient",
        zh: "禁止发送的收件人",
    },
    how_to_fix: {
        ja: "この宛先には送れません。宛先から外してください。",
        en: "Mail to this recipient is not allowed. Remove it.",
        zh: "不允许发送给该收件人。请将其删除。",
    },
    one_click: [RemoveRecipient],
}

use super::{shortlist, Code, Subject};
use crate::model::Finding;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let blocked = &subject.policy.recipients.blocked;
    if blocked.is_empty() {
        return;
    }
    let hits: Vec<usize> =
        subject.recipients.iter().filter(|r| blocked.blocks(&r.key, &r.domain)).map(|r| r.index).collect();
    if hits.is_empty() {
        return;
    }
    let addresses: Vec<&str> = hits.iter().map(|&i| subject.recipients[i].address.as_str()).collect();
    let list = shortlist(&addresses, subject.lang);
    let message = subject.lang.pick3(
        format!("送信が禁止されている宛先です（{list}）。管理者のポリシーの拒否リストにあります。この宛先を外してください。"),
        format!(
            "Sending to {list} is not allowed: the administrator's policy denies it. Remove {}.",
            if hits.len() == 1 { "this recipient" } else { "these recipients" }
        ), format!("不允许发送给这些收件人（{list}）：它们在管理员策略的禁止列表中。请删除这些收件人。"));
    out.push(Finding::new(Code::BlockedDomain, subject.severity(Code::BlockedDomain), message).with_recipients(hits));
}
