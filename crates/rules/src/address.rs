//! Mailboxes from the raw strings Thunderbird (or a mail header) gives.
//!
//! Parsing is done by `mail-parser`'s RFC 5322 address parser, fed the raw text as the value
//! of a `To:` header. It handles `Name <addr>`, quoted names that contain commas or `@`,
//! comments, groups, RFC 2047 encoded names and raw UTF-8 (Japanese) names.
//!
//! Architecture invariant: nothing the user typed is dropped. A raw string that yields no
//! address still becomes one mailbox (marked invalid), so that the dialog lists it and the
//! user sees it.

use mail_parser::parsers::MessageStream;
use mail_parser::{Address, HeaderValue};

use std::sync::Arc;

use crate::domain::Domain;
use crate::resemblance::FastMap;

/// What one domain of an address is, worked out once for every address that has it: a mail to
/// 1,000 people of 50 organisations, or an address book of 10,000 entries, normalizes each
/// distinct domain once instead of once per address, and IDNA is the costly part (issue #13).
#[derive(Debug, Default)]
pub struct Domains {
    index: FastMap<String, usize>,
    facts: Vec<DomainFacts>,
}

/// The facts of one domain, as the text after an address's `@`.
#[derive(Debug)]
pub struct DomainFacts {
    /// Whether it is a host name mail can be sent to ([`crate::domain::is_host_name`]).
    pub host_name: bool,
    /// Its normal form ([`Domain::lossy`]).
    pub normal: Domain,
    /// Its Unicode form, for display ([`Domain::to_unicode`]), shared by its recipients.
    pub display: Arc<str>,
}

impl Domains {
    /// The facts of a domain, as the text after an address's `@`.
    pub fn get(&mut self, text: &str) -> &DomainFacts {
        let i = self.id(text);
        &self.facts[i]
    }

    /// The place of a domain's facts, as the text after an address's `@`, for [`Domains::facts`].
    pub fn id(&mut self, text: &str) -> usize {
        match self.index.get(text) {
            Some(&i) => i,
            None => {
                let normal = Domain::lossy(text);
                let host_name = crate::domain::is_host_name(text);
                self.facts.push(DomainFacts { host_name, display: normal.to_unicode().into(), normal });
                self.index.insert(text.to_string(), self.facts.len() - 1);
                self.facts.len() - 1
            }
        }
    }

    /// The facts of the domain at a place [`Domains::id`] gave.
    pub fn facts(&self, id: usize) -> &DomainFacts {
        &self.facts[id]
    }
}

/// One parsed mailbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mailbox {
    /// The display name, if any, with quotes removed.
    pub name: Option<String>,
    /// The address as written (case kept), trimmed.
    pub address: String,
    /// Whether the address has the shape `local@domain`.
    pub valid: bool,
}

impl Mailbox {
    /// The part after the last `@`, or an empty string.
    pub fn domain_part(&self) -> &str {
        self.address.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }

    /// The address in normal form, the one that decides whether two addresses are the same:
    /// the local part lower-cased, `@`, the domain in normal form (`domain` is
    /// [`Domain::lossy`] of [`Mailbox::domain_part`]). An invalid address is its lower-cased text.
    pub fn key(&self, domain: &Domain) -> String {
        let mut key = String::new();
        key_into(&self.address, self.valid, domain, &mut key);
        key
    }
}

/// [`Mailbox::key`] of an address, written into `key` (cleared first), so that a caller that
/// only compares it need not allocate one.
pub(crate) fn key_into(address: &str, valid: bool, domain: &Domain, key: &mut String) {
    key.clear();
    match address.rsplit_once('@') {
        Some((local, _)) if valid => {
            if local.is_ascii() {
                key.extend(local.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                key.push_str(&local.to_lowercase());
            }
            key.push('@');
            key.push_str(domain.as_str());
        }
        _ => key.push_str(&address.to_lowercase()),
    }
}

/// Parses a raw recipient string into its mailboxes.
pub fn parse_mailboxes(raw: &str) -> Vec<Mailbox> {
    parse_mailboxes_with(raw, &mut Domains::default())
}

/// [`parse_mailboxes`] for one of many strings, with the facts of their domains kept in `domains`.
pub fn parse_mailboxes_with(raw: &str, domains: &mut Domains) -> Vec<Mailbox> {
    let mut out = Vec::new();
    each_mailbox(raw, domains, |name, address, valid, _, _| {
        out.push(Mailbox { name: name.map(str::to_string), address: address.to_string(), valid })
    });
    out
}

/// Calls `found` with each mailbox of a raw recipient string, as [`parse_mailboxes_with`] finds
/// them: its name, its address, whether it is valid, and its domain's place in `domains`
/// ([`Domains::id`]) and facts. The plain shapes are read without copying ([`plain_mailbox`]).
pub(crate) fn each_mailbox(
    raw: &str,
    domains: &mut Domains,
    mut found: impl FnMut(Option<&str>, &str, bool, usize, &DomainFacts),
) {
    let trimmed = raw.trim();
    if let Some((name, address)) = plain_mailbox(trimmed) {
        let (local, domain) = address.rsplit_once('@').unwrap_or((address, ""));
        let id = domains.id(domain);
        let facts = domains.facts(id);
        // The local part is of `[A-Za-z0-9._+-]` ([`plain_address`]): a dot-atom unless a dot
        // starts, ends or doubles it.
        let dot_atom =
            !local.starts_with('.') && !local.ends_with('.') && !local.as_bytes().windows(2).any(|w| w == b"..");
        found(name, address, dot_atom && facts.host_name, id, facts);
        return;
    }
    for m in parse_with_mail_parser(raw, domains) {
        let id = domains.id(m.domain_part());
        found(m.name.as_deref(), &m.address, m.valid, id, domains.facts(id));
    }
}

/// The mailbox of a recipient string (trimmed) in one of the shapes in which Thunderbird gives
/// almost every recipient, `addr@domain`, `Name <addr@domain>` and `"Name" <addr@domain>` (as
/// the address books' entries come): its name (trimmed, if any; without its quotes) and its
/// address, read without mail-parser and without a copy (issue #13). `None` for anything else
/// (comments, groups, several addresses, encoded words, escapes in a quoted name, a bare name
/// with a character that is special in a header), which mail-parser reads instead; the
/// property test `plain_shapes_read_as_mail_parser_reads_them` holds the two to the same result.
pub(crate) fn plain_mailbox(value: &str) -> Option<(Option<&str>, &str)> {
    match value.strip_suffix('>') {
        Some(body) => {
            let lt = body.rfind('<')?;
            let address = &body[lt + 1..];
            let name = body[..lt].trim_end_matches(' ');
            // `"Name" <addr>`, as the address books' entries come: the words inside the quotes
            // may hold what a bare name may not (`"Yamada, Taro (Sales)"`).
            let name = match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
                Some(inner) if quoted_name(inner) => inner,
                _ if plain_name(name) => name,
                _ => return None,
            };
            if !plain_address(address) {
                return None;
            }
            Some(((!name.is_empty()).then_some(name), address))
        }
        None => plain_address(value).then_some((None, value)),
    }
}

/// `local@domain` with a local part of ASCII letters, digits and `._+-`, and a domain of
/// letters (any script), digits, `.` and `-`.
fn plain_address(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else { return false };
    !local.is_empty()
        && !domain.is_empty()
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
        && domain.chars().all(|c| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric() || c == '.' || c == '-'
            } else {
                c.is_alphanumeric()
            }
        })
}

/// The inside of a quoted display name read as it is written: words (any script, with any
/// character but the quote and the backslash) separated by single spaces.
fn quoted_name(name: &str) -> bool {
    !name.is_empty() && !name.ends_with(' ') && single_spaced_words(name, |c| matches!(c, '"' | '\\'))
}

/// A display name of words (any script) separated by single spaces, without a character that
/// is special in a header (quotes, parentheses, angle brackets, `,;:@[]\\`, `=` of an encoded
/// word, `.`) and without other white space or control characters.
fn plain_name(name: &str) -> bool {
    single_spaced_words(name, |c| {
        matches!(c, '"' | '(' | ')' | '<' | '>' | ',' | ';' | ':' | '@' | '[' | ']' | '\\' | '=' | '.')
    })
}

/// Whether `text` is words separated by single spaces (not starting with one), with no other
/// white space, no control character and no character that is `special`.
fn single_spaced_words(text: &str, special: impl Fn(char) -> bool) -> bool {
    let mut space = true;
    text.chars().all(|c| {
        let ok = if c == ' ' { !space } else { !special(c) && !c.is_whitespace() && !c.is_control() };
        space = c == ' ';
        ok
    })
}

/// [`parse_mailboxes_with`] through mail-parser's address parser: every shape but the plain ones.
fn parse_with_mail_parser(raw: &str, domains: &mut Domains) -> Vec<Mailbox> {
    // A line break would end the synthetic header early. It can only come from pasted text,
    // where it separates entries, so it is read as a comma. Most entries have none, and are
    // not copied for it: this runs for every recipient of a mail (issue #13).
    let replaced;
    let value = if raw.bytes().any(|b| b == b'\r' || b == b'\n') {
        replaced = raw.replace("\r\n", ",").replace(['\r', '\n'], ",");
        replaced.trim()
    } else {
        raw.trim()
    };
    if value.is_empty() {
        return Vec::new();
    }
    // The address-list parser of mail-parser alone, on the value as a header would hold it:
    // the whole message parser would bring its other header parsers and charset tables into
    // the add-on's wasm for nothing.
    let mut field = String::with_capacity(value.len() + 4);
    field.push_str(value);
    field.push_str("\r\n\r\n");
    let mut out = Vec::new();
    if let HeaderValue::Address(address) = MessageStream::new(field.as_bytes()).parse_address() {
        {
            match address {
                Address::List(list) => {
                    for addr in list {
                        push(&mut out, value, addr.name(), addr.address(), domains);
                    }
                }
                Address::Group(groups) => {
                    for group in groups {
                        for addr in &group.addresses {
                            push(&mut out, value, addr.name(), addr.address(), domains);
                        }
                    }
                }
            }
        }
    }
    if out.is_empty() {
        out.push(Mailbox { name: None, address: value.to_string(), valid: false });
    }
    out
}

fn push(out: &mut Vec<Mailbox>, raw: &str, name: Option<&str>, address: Option<&str>, domains: &mut Domains) {
    let Some(address) = address.map(str::trim).filter(|a| !a.is_empty()) else {
        return;
    };
    let name = name.map(str::trim).filter(|n| !n.is_empty()).map(str::to_string);
    // A bare quoted local part (`"a b"@corp.example`) reads as a name and an address without
    // a local part; the local part is put back, so that the review shows the whole address.
    if let (Some(quoted), Some(domain)) = (&name, address.strip_prefix('@')) {
        let whole = format!("\"{quoted}\"@{domain}");
        if raw.contains(&whole) {
            out.push(Mailbox { name: None, valid: is_valid_with(&whole, domains), address: whole });
            return;
        }
    }
    out.push(Mailbox { name, address: address.to_string(), valid: is_valid_with(address, domains) });
}

/// Whether an address is `local@domain` with a local part that is a dot-atom or a quoted
/// string, and a domain that passes the policy loader's host-name check
/// ([`crate::domain::is_host_name`]): `aaa@x..corp.example`, `aaa@-x.corp.example` and
/// `a@b@corp.example` are not addresses mail can go to, and must never count as internal
/// (issue #11).
pub fn is_valid(address: &str) -> bool {
    is_valid_with(address, &mut Domains::default())
}

/// [`is_valid`] with the facts of domains kept in `domains`.
pub fn is_valid_with(address: &str, domains: &mut Domains) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else { return false };
    let local_ok = match local.strip_prefix('"').and_then(|l| l.strip_suffix('"')) {
        Some(quoted) => !quoted.contains(['"', '\r', '\n']),
        None => {
            !local.is_empty()
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && !local.chars().any(|c| {
                    c.is_whitespace()
                        || c.is_control()
                        || matches!(c, '<' | '>' | '@' | ',' | ';' | ':' | '"' | '(' | ')' | '[' | ']' | '\\')
                })
        }
    };
    local_ok && domains.get(domain).host_name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: &[(Option<&str>, &str)]) {
        let got: Vec<(Option<String>, String)> =
            parse_mailboxes(raw).into_iter().map(|m| (m.name, m.address)).collect();
        let expected: Vec<(Option<String>, String)> =
            expected.iter().map(|(n, a)| (n.map(str::to_string), a.to_string())).collect();
        assert_eq!(got, expected, "parsing {raw:?}");
    }

    #[test]
    fn shapes_thunderbird_produces() {
        check("taro@corp.example", &[(None, "taro@corp.example")]);
        check("Taro Yamada <taro@corp.example>", &[(Some("Taro Yamada"), "taro@corp.example")]);
        check("\"Yamada, Taro\" <taro@corp.example>", &[(Some("Yamada, Taro"), "taro@corp.example")]);
        check(
            "\"president@corp.example\" <ceo@evil.example>",
            &[(Some("president@corp.example"), "ceo@evil.example")],
        );
        check("山田 太郎 <taro@corp.example>", &[(Some("山田 太郎"), "taro@corp.example")]);
        check("\"山田, 太郎\" <taro@例え.jp>", &[(Some("山田, 太郎"), "taro@例え.jp")]);
        check("TARO@CORP.EXAMPLE", &[(None, "TARO@CORP.EXAMPLE")]);
        check("<taro@corp.example>", &[(None, "taro@corp.example")]);
        check("=?UTF-8?B?5bGx55Sw?= <yamada@corp.example>", &[(Some("山田"), "yamada@corp.example")]);
    }

    #[test]
    fn several_and_groups() {
        check("a@x.example, \"B, b\" <b@y.example>", &[(None, "a@x.example"), (Some("B, b"), "b@y.example")]);
        check("team: a@x.example, b@y.example;", &[(None, "a@x.example"), (None, "b@y.example")]);
    }

    #[test]
    fn nothing_is_dropped() {
        let got = parse_mailboxes("not an address");
        assert_eq!(got.len(), 1);
        assert!(!got[0].valid);
        assert!(parse_mailboxes("   ").is_empty());
        // A line break cannot start a new header or hide an address: it separates entries.
        check("a@x.example\r\nBcc: evil@y.example", &[(None, "a@x.example"), (None, "evil@y.example")]);
        // A bare CR separates entries too (issue #11).
        check("a@x.example\rb@y.example", &[(None, "a@x.example"), (None, "b@y.example")]);
        check("A <a@x.example>\rB <b@y.example>", &[(Some("A"), "a@x.example"), (Some("B"), "b@y.example")]);
    }

    #[test]
    fn an_address_is_valid_only_with_a_host_name_for_domain() {
        // Issue #11: these were valid, and internal under `*.corp.example`.
        for bad in ["aaa@x..corp.example", "aaa@-x.corp.example", "aaa@#x.corp.example", "a@b@corp.example", "a@corp"] {
            let got = parse_mailboxes(bad);
            assert_eq!(got.len(), 1, "{bad}");
            assert!(!got[0].valid, "{bad} should be invalid: {got:?}");
        }
        for good in ["aaa@x.corp.example", "a.b+c@corp.example", "taro@例え.jp", "x@xn--r8jz45g.jp", "a@corp.example."]
        {
            assert!(parse_mailboxes(good)[0].valid, "{good} should be valid");
        }
    }

    #[test]
    fn a_quoted_local_part_is_kept() {
        // Issue #11: `"a b"@corp.example` lost its local part in the review.
        let got = parse_mailboxes("\"a b\"@corp.example");
        assert_eq!(got, [Mailbox { name: None, address: "\"a b\"@corp.example".into(), valid: true }]);
        let got = parse_mailboxes("Name <\"a b\"@corp.example>");
        assert_eq!(
            (got[0].name.as_deref(), got[0].address.as_str(), got[0].valid),
            (Some("Name"), "\"a b\"@corp.example", true)
        );
    }

    /// Both readers of a recipient string, for the property below.
    fn both(raw: &str) -> (Vec<Mailbox>, Vec<Mailbox>) {
        (parse_mailboxes(raw), parse_with_mail_parser(raw, &mut Domains::default()))
    }

    #[test]
    fn plain_shapes_are_read_without_mail_parser_and_the_rest_with_it() {
        for plain in [
            "taro@corp.example",
            "Taro Yamada <taro@corp.example>",
            "山田 太郎 <taro@例え.jp>",
            "<taro@corp.example>",
            "  TARO@CORP.EXAMPLE  ",
            "Guest 12 <guest12@partner3.example>",
            "\"Yamada, Taro (Sales)\" <taro@corp.example>",
        ] {
            assert!(plain_mailbox(plain.trim()).is_some(), "{plain}");
        }
        for other in [
            "\"Yamada \\\"T\\\" Taro\" <taro@corp.example>",
            "a@x.example, b@y.example",
            "team: a@x.example;",
            "=?UTF-8?B?5bGx55Sw?= <yamada@corp.example>",
            "Taro (sales) <taro@corp.example>",
            "Taro  Yamada <taro@corp.example>",
            "Dr. Taro <taro@corp.example>",
            "president@corp.example <ceo@evil.example>",
            "Taro <\"a b\"@corp.example>",
            "Taro\t<taro@corp.example>",
            "a <b> <c@x.example>",
            "taro@corp.example>",
        ] {
            assert!(plain_mailbox(other.trim()).is_none(), "{other}");
        }
        for raw in [
            "Taro Yamada <taro@corp.example>",
            "taro@corp.example",
            "山田 <taro@例え.jp>",
            "<a@b.example>",
            "\"Yamada, Taro (Sales)\" <taro@corp.example>",
        ] {
            let (fast, slow) = both(raw);
            assert_eq!(fast, slow, "{raw}");
        }
    }

    proptest::proptest! {
        /// The plain shapes read without mail-parser give what mail-parser gives: the same
        /// mailboxes, names, addresses and validity, for generated names and addresses with
        /// quotes, commas, angle brackets, dots, encoded-word marks, IDN, upper case and spaces.
        #[test]
        fn plain_shapes_read_as_mail_parser_reads_them(
            name in "[A-Za-z0-9 山田太郎社員ー.,;:\"'()<>@=?_+\\-]{0,12}",
            local in "[A-Za-z0-9._+\"-]{0,8}",
            domain in "[a-zA-Z0-9.例えοаー-]{0,12}",
            spaces in "[ \t]{0,2}",
            shape in 0..5u8,
        ) {
            let raw = match shape {
                0 => format!("{spaces}{local}@{domain}{spaces}"),
                1 => format!("{name}{spaces}<{local}@{domain}>"),
                2 => format!("{spaces}{name} <{local}@{domain}>{spaces}"),
                3 => format!("{name}<{local}@{domain}>"),
                _ => format!("\"{name}\"{spaces}<{local}@{domain}>"),
            };
            let (fast, slow) = both(&raw);
            proptest::prop_assert_eq!(fast, slow, "{:?}", raw);
        }

        /// Any text at all reads the same both ways.
        #[test]
        fn any_text_reads_as_mail_parser_reads_it(raw in "\\PC{0,40}") {
            let (fast, slow) = both(&raw);
            proptest::prop_assert_eq!(fast, slow, "{:?}", raw);
        }
    }
}
