//! `lookalike-domain`: a recipient domain that is not itself internal or known, but resembles
//! a domain that is.
//!
//! Why: a typo (`corp.exmaple`), a digit for a letter (`c0rp.example`), another top-level
//! domain (`corp.com` for `corp.co.jp`) or a Unicode look-alike (`cοrp.example` with a
//! Greek omicron, sent as `xn--crp-9yc.example`) sends the mail to whoever registered that
//! domain: a typo squatter or a phisher. The user sees the name they expect and ticks it.
//!
//! Known domains are the bases of the internal domain patterns, the policy's `knownDomains`
//! and the domains of the user's address books. A recipient is not a look-alike when its
//! domain is internal, matches `knownDomains`, is an address-book domain, or has the same
//! registrable part as any of them (`mail.partner.example` for `partner.example`).
//! How domains are compared, and why short names need a closer match, is in
//! [`crate::resemblance`]. The work is sub-quadratic: recipient domains are deduplicated
//! by registrable part and matched through hash lookups and a deletion index.
//! Warn by default. The message names the domain it resembles.
//!
//! Example policy: `{"internalDomains": ["corp.example", "*.corp.example"],
//! "knownDomains": ["partner.example"], "rules": {"lookalike-domain": {"severity": "block"}}}`

use std::collections::HashMap;

use super::{Code, Subject};
use crate::domain::unicode_of;
use crate::i18n::Lang;
use crate::resemblance::{Likeness, Match, Resemblance, Source};
use crate::review::{Class, Finding};

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let policy = subject.policy;
    let mut known = Resemblance::new();
    for (set, source) in [(&policy.internal_domains, Source::Internal), (&policy.known_domains, Source::Known)] {
        for pattern in set.patterns() {
            known.add(pattern.base().registrable(), source);
        }
    }
    for domain in subject.contacts.domains() {
        known.add(domain.registrable(), Source::Contact);
    }
    if known.known().is_empty() {
        return;
    }

    // The distinct registrable parts of the recipients that are not known, each with the
    // recipients that have it, in order of first appearance.
    let mut queries: Vec<&str> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut by_registrable: HashMap<&str, usize> = HashMap::new();
    for r in subject.recipients {
        if !r.valid
            || r.class == Class::Internal
            || policy.known_domains.matches(&r.domain)
            || subject.contacts.knows_domain(&r.domain)
        {
            continue;
        }
        let registrable = r.domain.registrable();
        if known.is_known(registrable) {
            continue;
        }
        let q = *by_registrable.entry(registrable).or_insert_with(|| {
            queries.push(registrable);
            members.push(Vec::new());
            queries.len() - 1
        });
        members[q].push(r.index);
    }
    if queries.is_empty() {
        return;
    }

    let severity = subject.severity(Code::LookalikeDomain);
    for ((query, found), recipients) in queries.iter().zip(known.find_all(&queries)).zip(members) {
        let Some(found) = found else { continue };
        let message = describe(query, found, &known, subject.lang);
        out.push(Finding::new(Code::LookalikeDomain, severity, message).with_recipients(recipients));
    }
}

fn describe(query: &str, found: Match, known: &Resemblance, lang: Lang) -> String {
    let target = &known.known()[found.known];
    let shown = |ascii: &str| {
        let unicode = unicode_of(ascii);
        if unicode == ascii {
            unicode
        } else {
            format!("{unicode} ({ascii})")
        }
    };
    let (query, resembled) = (shown(query), shown(&target.registrable));
    let whose = match target.source {
        Source::Internal => lang.pick("社内ドメイン", "the internal domain"),
        Source::Known => lang.pick("取引先ドメイン", "the partner domain"),
        Source::Contact => lang.pick("アドレス帳にあるドメイン", "the address-book domain"),
    };
    let how = match found.likeness {
        Likeness::LookAlikeLetters => lang.pick("見た目の似た文字・数字の違い", "look-alike letters or digits").to_string(),
        Likeness::OtherSuffix => lang.pick("末尾のトップレベルドメインだけが違う", "only the ending differs").to_string(),
        Likeness::DotsMadeName => lang.pick("ドメインの区切りを変えた形", "its dots turned into a name").to_string(),
        Likeness::Typo(n) => lang.pick(format!("{n} 文字の違い"), format!("{n} letter{} different", if n == 1 { "" } else { "s" })),
    };
    lang.pick(
        format!("宛先のドメイン {query} は、{whose} {resembled} によく似ています（{how}）。宛先が正しいか確認してください。"),
        format!("The recipient domain {query} resembles {whose} {resembled} ({how}). Check that the address is right."),
    )
}
