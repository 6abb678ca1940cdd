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
    /// Its Unicode form, for display ([`Domain::to_unicode`]).
    pub display: String,
}

impl Domains {
    /// The facts of a domain, as the text after an address's `@`.
    pub fn get(&mut self, text: &str) -> &DomainFacts {
        let i = match self.index.get(text) {
            Some(&i) => i,
            None => {
                let normal = Domain::lossy(text);
                let host_name = crate::domain::is_host_name(text);
                self.facts.push(DomainFacts { host_name, display: normal.to_unicode(), normal });
                self.index.insert(text.to_string(), self.facts.len() - 1);
                self.facts.len() - 1
            }
        };
        &self.facts[i]
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
        match self.address.rsplit_once('@') {
            Some((local, _)) if self.valid => {
                let mut key = String::with_capacity(local.len() + 1 + domain.as_str().len());
                if local.is_ascii() {
                    key.extend(local.bytes().map(|b| char::from(b.to_ascii_lowercase())));
                } else {
                    key.push_str(&local.to_lowercase());
                }
                key.push('@');
                key.push_str(domain.as_str());
                key
            }
            _ => self.address.to_lowercase(),
        }
    }
}

/// Parses a raw recipient string into its mailboxes.
pub fn parse_mailboxes(raw: &str) -> Vec<Mailbox> {
    parse_mailboxes_with(raw, &mut Domains::default())
}

/// [`parse_mailboxes`] for one of many strings, with the facts of their domains kept in `domains`.
pub fn parse_mailboxes_with(raw: &str, domains: &mut Domains) -> Vec<Mailbox> {
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
}
