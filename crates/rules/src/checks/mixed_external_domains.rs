//! `mixed-external-domains`: external recipients of two or more organisations can see each
//! other in To/Cc.
//!
//! Why: a mail to one customer with another customer in Cc tells each who the other is,
//! and a reply-all mixes their affairs; it is also the shape of "the wrong party in Cc".
//! An organisation is a registrable domain (see [`crate::public_suffix`]), so that
//! `a.partner.example` and `b.partner.example` are one partner, not two.
//! Bcc recipients never count: they cannot be seen. Warn by default.
//!
//! Example policy: `{"rules": {"mixed-external-domains": {"severity": "warn"}}}`

check! {
    code: "mixed-external-domains",
    order: 30,
    default: Warn,
    settings: RawRule,
    summary: {
        ja: "複数の社外組織の宛先が To/Cc で互いに見えます。",
        en: "External recipients of two or more organisations can see each other in To/Cc.",
        zh: "两个或以上外部组织的收件人在收件人/抄送中彼此可见。",
    },
    tag: {
        ja: "複数の社外組織",
        en: "Several organisations",
        zh: "多个外部组织",
    },
    how_to_fix: {
        ja: "組織ごとに分けて送るか、社外の宛先を Bcc に移してください。",
        en: "Send to each organisation separately, or move the external recipients to Bcc.",
        zh: "请按组织分别发送，或将外部收件人移至密送。",
    },
    one_click: [MoveExternalToBcc],
}

use super::{shortlist, Code, Subject};
use crate::domain::unicode_of;
use crate::model::{Class, Finding};
use crate::resemblance::FastSet;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let mut seen: FastSet<&str> = FastSet::default();
    // Each domain's registrable part is found and hashed once, at its first recipient.
    let mut seen_id = vec![false; subject.domain_count()];
    let mut organisations: Vec<&str> = Vec::new();
    let mut visible = Vec::new();
    for r in subject.recipients {
        if r.class != Class::External || !r.valid || !r.field.is_visible() {
            continue;
        }
        if !std::mem::replace(&mut seen_id[r.domain_id], true) {
            let organisation = r.domain.registrable();
            if seen.insert(organisation) {
                organisations.push(organisation);
            }
        }
        visible.push(r.index);
    }
    if organisations.len() < 2 {
        return;
    }
    let names: Vec<String> = organisations.iter().map(|o| unicode_of(o)).collect();
    let count = organisations.len();
    let list = shortlist(&names, subject.lang);
    let message = subject.lang.pick3(
        format!("社外の {count} 組織（{list}）の宛先が To/Cc に入っていて、互いのアドレスが見えます。"),
        format!("Recipients of {count} outside organisations ({list}) are in To/Cc and can see each other."),
        format!("收件人/抄送中有 {count} 个外部组织（{list}）的收件人，他们能看到彼此的地址。"),
    );
    out.push(
        Finding::new(Code::MixedExternalDomains, subject.severity(Code::MixedExternalDomains), message)
            .with_recipients(visible),
    );
}
