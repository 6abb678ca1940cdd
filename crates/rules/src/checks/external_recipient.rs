//! `external-recipient`: a recipient outside the internal domains.
//!
//! Why: every external recipient is a place where a mis-send becomes a leak, so the dialog
//! names them and groups them by domain; this finding says how many there are and where.
//! Info by default: it informs, it does not ask for more than the ticks.
//!
//! Example policy: `{"internalDomains": ["corp.example", "*.corp.example"],
//! "rules": {"external-recipient": {"severity": "info"}}}`

check! {
    code: "external-recipient",
    order: 10,
    default: Info,
    settings: RawRule,
    summary: {
        ja: "社内ドメイン以外の宛先があります。ダイアログではドメインごとにまとめて表示します。",
        en: "A recipient outside the internal domains; the dialog groups such recipients by domain.",
        zh: "有公司内部域名以外的收件人。对话框按域名分组显示这些收件人。",
    },
    tag: {
        ja: "社外",
        en: "External",
        zh: "外部",
    },
    how_to_fix: {
        ja: "社外に送ってよい宛先か確認し、不要な宛先は作成画面で削除してください。",
        en: "Check that this may go outside; remove unneeded recipients in the compose window.",
        zh: "请确认该收件人可以接收公司外部邮件；不需要的收件人请在撰写窗口中删除。",
    },
}

use super::{Code, Subject};
use crate::model::{Class, Finding};
use crate::resemblance::FastSet;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let external: Vec<usize> =
        subject.recipients.iter().filter(|r| r.class == Class::External).map(|r| r.index).collect();
    if external.is_empty() {
        return;
    }
    // A set beside the list keeps this linear: a mail to thousands of domains must not
    // cost millions of comparisons.
    // Each domain is hashed once, at its first recipient.
    let mut seen: FastSet<&str> = FastSet::default();
    let mut seen_id = vec![false; subject.domain_count()];
    let mut domains: Vec<&str> = Vec::new();
    for &i in &external {
        let r = &subject.recipients[i];
        if std::mem::replace(&mut seen_id[r.domain_id], true) {
            continue;
        }
        let d = r.domain_display.as_ref();
        if seen.insert(d) {
            domains.push(d);
        }
    }
    let shown = domains.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    let more = if domains.len() > 5 { subject.lang.pick3(" ほか", " and more", " 等") } else { "" };
    let message = subject.lang.pick3(
        format!("社外の宛先が {} 件あります（{}{}）。", external.len(), shown, more),
        format!(
            "{} external recipient{} ({}{}).",
            external.len(),
            if external.len() == 1 { "" } else { "s" },
            shown,
            more
        ),
        format!("有 {} 个外部收件人（{}{}）。", external.len(), shown, more),
    );
    out.push(
        Finding::new(Code::ExternalRecipient, subject.severity(Code::ExternalRecipient), message)
            .with_recipients(external),
    );
}
