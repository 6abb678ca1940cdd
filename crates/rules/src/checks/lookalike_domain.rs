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
//! domain is internal, matches `knownDomains`, or has the same registrable part as one of
//! them (`mail.partner.example` for `partner.example`). A domain of the address books is
//! not a look-alike of the address books' other domains, but it can still be one of the
//! policy's domains: Thunderbird collects every address the user writes to, so after one
//! mail to `c0rp.example` the address books hold it, and what the admin set must still win.
//! How domains are compared, and why short names need a closer match, is in
//! [`crate::resemblance`]. The work is sub-quadratic: recipient domains are deduplicated
//! by registrable part and matched through hash lookups and a deletion index.
//! Warn by default. The message names the domain it resembles.
//!
//! Example policy: `{"internalDomains": ["corp.example", "*.corp.example"],
//! "knownDomains": ["partner.example"], "rules": {"lookalike-domain": {"severity": "block"}}}`

check! {
    code: "lookalike-domain",
    order: 50,
    default: Warn,
    settings: RawRule,
    summary: {
        ja: "宛先のドメインが、社内・取引先・アドレス帳のドメインによく似ています（打ち間違い corp.exmaple、数字と文字 c0rp.example、別のトップレベルドメイン、紛らわしい Unicode 文字）。",
        en: "A recipient domain resembles an internal, partner or address-book domain: a typo (corp.exmaple), a digit for a letter (c0rp.example), another top-level domain, or look-alike Unicode letters (UTS #39).",
        zh: "收件人域名与公司内部、合作方或通讯录中的域名相似：拼写错误（corp.exmaple）、数字代替字母（c0rp.example）、其他顶级域名，或易混淆的 Unicode 字符。",
    },
    tag: {
        ja: "似たドメイン",
        en: "Look-alike domain",
        zh: "相似域名",
    },
    how_to_fix: {
        ja: "ドメインの綴りを確認し、誤りならこの宛先を外して正しいアドレスを入れ直してください。",
        en: "Check the domain's spelling; if it is wrong, remove this recipient and type the right address.",
        zh: "请检查域名拼写；如有错误，请删除该收件人并重新输入正确的地址。",
    },
    one_click: [RemoveRecipient],
}

use super::{Code, Subject};
use crate::domain::unicode_of;
use crate::i18n::Lang;
use crate::model::{Class, Finding};
use crate::resemblance::{FastMap, Likeness, Match, Resemblance, Source};

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let policy = subject.policy;
    // The policy's index is kept with the policy and the address books' with the contacts,
    // so that neither is built again for every mail.
    let own = policy.indexes.lookalike.get_or_init(|| {
        let mut own = Resemblance::new();
        for (set, source) in [(&policy.internal_domains, Source::Internal), (&policy.known_domains, Source::Known)] {
            for pattern in set.patterns() {
                own.add(pattern.base().registrable(), source);
            }
        }
        own
    });
    if own.known().is_empty() && subject.contacts.domains().is_empty() {
        return;
    }

    // The distinct registrable parts of the recipients that the policy does not know, each
    // with the recipients that have it, in order of first appearance, and whether the
    // address books know it.
    let mut queries: Vec<&str> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    let mut in_books: Vec<bool> = Vec::new();
    let mut by_registrable: FastMap<&str, usize> = FastMap::default();
    let mut book: Option<&Resemblance> = None;
    // Per domain, worked out at its first recipient: its query, or `None` when the policy knows it.
    let mut query_of: Vec<Option<Option<usize>>> = vec![None; subject.domain_count()];
    for r in subject.recipients {
        if !r.valid || r.class == Class::Internal {
            continue;
        }
        let query = *query_of[r.domain_id].get_or_insert_with(|| {
            if policy.known_domains.matches(&r.domain) {
                return None;
            }
            let registrable = r.domain.registrable();
            if own.is_known(registrable) {
                return None;
            }
            Some(*by_registrable.entry(registrable).or_insert_with(|| {
                queries.push(registrable);
                members.push(Vec::new());
                in_books.push(
                    subject.contacts.knows_domain(&r.domain)
                        || book.get_or_insert_with(|| subject.contacts.resemblance()).is_known(registrable),
                );
                queries.len() - 1
            }))
        });
        if let Some(q) = query {
            members[q].push(r.index);
        }
    }
    if queries.is_empty() {
        return;
    }

    // The policy's domains first: a look-alike of the company's own domain is reported even
    // when the address books hold it, because Thunderbird collects every address written to,
    // and one mis-sent mail must not make its domain trusted.
    let mut found: Vec<Option<(&Resemblance, Match)>> =
        own.find_all(&queries).into_iter().map(|m| m.map(|m| (own, m))).collect();
    let unknown: Vec<usize> = (0..queries.len()).filter(|&q| found[q].is_none() && !in_books[q]).collect();
    if !unknown.is_empty() {
        let book = book.unwrap_or_else(|| subject.contacts.resemblance());
        let asked: Vec<&str> = unknown.iter().map(|&q| queries[q]).collect();
        for (&q, m) in unknown.iter().zip(book.find_all(&asked)) {
            found[q] = m.map(|m| (book, m));
        }
    }

    let severity = subject.severity(Code::LookalikeDomain);
    for ((query, found), recipients) in queries.iter().zip(found).zip(members) {
        let Some((index, found)) = found else { continue };
        let message = describe(query, found, index, subject.lang);
        out.push(Finding::new(Code::LookalikeDomain, severity, message).with_recipients(recipients));
    }
}

fn describe<'a>(query_ascii: &'a str, found: Match, known: &'a Resemblance, lang: Lang) -> String {
    let target = &known.known()[found.known];
    let shown = |ascii: &str| {
        let unicode = unicode_of(ascii);
        if unicode == ascii {
            unicode
        } else {
            format!("{unicode} ({ascii})")
        }
    };
    let (query, resembled) = (shown(query_ascii), shown(&target.registrable));
    let whose = match target.source {
        Source::Internal => lang.pick3("社内ドメイン", "the internal domain", "公司内部域名"),
        Source::Known => lang.pick3("取引先ドメイン", "the partner domain", "合作方域名"),
        Source::Contact => lang.pick3("アドレス帳にあるドメイン", "the address-book domain", "通讯录中的域名"),
    };
    // Another suffix and dots made a name are found on folded forms, so the name may also
    // have look-alike letters (`corp-exarnple.com` for `corp.example`); the message says so.
    let name = |domain: &'a str| domain.split_once('.').map_or(domain, |(name, _)| name);
    let joined = |domain: &str| domain.chars().filter(|c| *c != '.' && *c != '-').collect::<String>();
    let how = match found.likeness {
        Likeness::LookAlikeLetters => lang
            .pick3("見た目の似た文字・数字の違い", "look-alike letters or digits", "外形相似的字母或数字不同")
            .to_string(),
        Likeness::OtherSuffix if name(query_ascii) == name(&target.registrable) => lang
            .pick3("末尾のトップレベルドメインだけが違う", "only the ending differs", "只有末尾的顶级域名不同")
            .to_string(),
        Likeness::OtherSuffix => lang
            .pick3(
                "末尾のトップレベルドメインと、見た目の似た文字の違い",
                "another ending, and look-alike letters",
                "末尾的顶级域名不同，且有外形相似的字母",
            )
            .to_string(),
        Likeness::DotsMadeName if joined(name(query_ascii)) == joined(&target.registrable) => {
            lang.pick3("ドメインの区切りを変えた形", "its dots turned into a name", "域名的分隔方式被改变").to_string()
        }
        Likeness::DotsMadeName => lang
            .pick3(
                "ドメインの区切りを変え、見た目の似た文字を使った形",
                "its dots turned into a name, with look-alike letters",
                "域名的分隔方式被改变，且使用了外形相似的字母",
            )
            .to_string(),
        Likeness::Typo(n) => lang.pick3(
            format!("{n} 文字の違い"),
            format!("{n} letter{} different", if n == 1 { "" } else { "s" }),
            format!("{n} 个字符不同"),
        ),
    };
    lang.pick3(
        format!("宛先のドメイン {query} は、{whose} {resembled} によく似ています（{how}）。宛先が正しいか確認してください。"),
        format!("The recipient domain {query} resembles {whose} {resembled} ({how}). Check that the address is right."), format!("收件人域名 {query} 与{whose} {resembled} 非常相似（{how}）。请确认地址是否正确。"))
}

#[cfg(test)]
mod tests {
    use super::super::testing::findings;
    use crate::{Code, Draft, DraftRecipient, Field};
    use serde_json::json;

    /// The message of the one look-alike finding for a mail to `address`.
    fn message(address: &str) -> String {
        let draft = Draft { recipients: vec![DraftRecipient::new(Field::To, address)], ..Draft::default() };
        let policy = json!({"internalDomains": ["corp.example"], "knownDomains": ["partner.co.jp"]});
        let found = findings(policy, &draft, Code::LookalikeDomain);
        assert_eq!(found.len(), 1, "{address}: {found:?}");
        found[0].message.clone()
    }

    #[test]
    fn the_message_says_how_the_domain_resembles() {
        let cases = [
            ("a@c0rp.example", "resembles the internal domain corp.example (look-alike letters or digits)"),
            ("a@partner.com", "resembles the partner domain partner.co.jp (only the ending differs)"),
            (
                "a@p\u{430}rtner.com",
                "resembles the partner domain partner.co.jp (another ending, and look-alike letters)",
            ),
            ("a@corp-example.com", "resembles the internal domain corp.example (its dots turned into a name)"),
            (
                "a@corp-exarnple.com",
                "resembles the internal domain corp.example (its dots turned into a name, with look-alike letters)",
            ),
            ("a@copr.example", "resembles the internal domain corp.example (1 letter different)"),
        ];
        for (address, expected) in cases {
            let got = message(address);
            assert!(got.contains(expected), "{address}: {got}");
        }
    }
}
