//! Domains in one normal form, and the domain patterns of a policy.
//!
//! Every comparison of domains happens in ASCII form: lower-case, IDNA (UTS #46) applied,
//! so that `ＣＯＲＰ.example`, `Corp.Example` and `corp.example` are the same domain and a
//! Unicode domain equals its `xn--` form. The Unicode form is kept only for display.

use std::collections::HashSet;
use std::sync::Arc;

/// A domain in normal (ASCII, lower-case) form.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Domain(Arc<str>);

impl Domain {
    /// Normalizes a domain: IDNA to ASCII, lower-case, without a trailing dot.
    ///
    /// Returns `None` when the text is not a valid domain under UTS #46; callers that must
    /// still show such a domain keep its lower-cased text with [`Domain::lossy`].
    pub fn parse(text: &str) -> Option<Domain> {
        let text = text.trim().trim_end_matches('.');
        if text.is_empty() {
            return None;
        }
        let ascii = idna::domain_to_ascii(text).ok()?;
        if ascii.is_empty() {
            return None;
        }
        Some(Domain(ascii.into()))
    }

    /// Normalizes a domain, falling back to its lower-cased text when IDNA rejects it.
    pub fn lossy(text: &str) -> Domain {
        Domain::parse(text).unwrap_or_else(|| Domain(text.trim().trim_end_matches('.').to_lowercase().into()))
    }

    /// The ASCII form, e.g. `xn--crp-9yc.example`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Unicode form for display, e.g. `cοrp.example`.
    pub fn to_unicode(&self) -> String {
        let (unicode, result) = idna::domain_to_unicode(&self.0);
        if result.is_ok() {
            unicode
        } else {
            self.0.to_string()
        }
    }

    /// The registrable part, the organisation's own domain: `partner.example` for
    /// `a.partner.example`, `corp.co.jp` for `mail.corp.co.jp` (see [`crate::public_suffix`]).
    pub fn registrable(&self) -> &str {
        crate::public_suffix::registrable(&self.0)
    }

    /// Whether `self` is `parent` or one of its subdomains.
    pub fn is_within(&self, parent: &Domain) -> bool {
        self.0 == parent.0
            || (self.0.len() > parent.0.len()
                && self.0.ends_with(&*parent.0)
                && self.0.as_bytes()[self.0.len() - parent.0.len() - 1] == b'.')
    }
}

/// A policy's domain pattern: `corp.example` matches that domain exactly,
/// `*.corp.example` matches its subdomains (and not `corp.example` itself).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DomainPattern {
    /// Exactly this domain.
    Exact(Domain),
    /// Any subdomain of this domain.
    Subdomains(Domain),
}

impl DomainPattern {
    /// Parses a pattern. The error is a short English reason for the diagnostic.
    pub fn parse(text: &str) -> Result<DomainPattern, &'static str> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("*.") {
            Ok(DomainPattern::Subdomains(Self::strict(rest)?))
        } else if text.contains('*') {
            Err("a wildcard is only allowed as a leading \"*.\"")
        } else if text.contains('@') {
            Err("an address, not a domain")
        } else {
            Self::strict(text).map(DomainPattern::Exact)
        }
    }

    /// A domain an admin writes must be one that mail can be sent to: letters, digits and
    /// hyphens in each label (after IDNA), no label starting or ending with a hyphen, and at
    /// least two labels. Recipient domains are read leniently instead (see [`Domain::parse`]),
    /// because a mail must be listed whatever it holds.
    pub(crate) fn strict(text: &str) -> Result<Domain, &'static str> {
        let text = text.trim_end_matches('.');
        let ascii = idna::domain_to_ascii_strict(text).map_err(|_| "not a valid domain")?;
        if !ascii.contains('.') {
            return Err("a domain has at least two labels, such as corp.example");
        }
        Ok(Domain(ascii.into()))
    }

    /// Whether the pattern matches the domain.
    pub fn matches(&self, domain: &Domain) -> bool {
        match self {
            DomainPattern::Exact(d) => d == domain,
            DomainPattern::Subdomains(parent) => domain != parent && domain.is_within(parent),
        }
    }

    /// The domain the pattern is anchored on.
    pub fn base(&self) -> &Domain {
        match self {
            DomainPattern::Exact(d) | DomainPattern::Subdomains(d) => d,
        }
    }
}

/// Whether a recipient's domain is a host name mail can be sent to, by the same check as the
/// domains an admin writes ([`DomainPattern::parse`]).
pub fn is_host_name(text: &str) -> bool {
    !text.trim().is_empty() && text.trim() == text && DomainPattern::strict(text).is_ok()
}

/// The Unicode form of a domain (or of part of one) in normal form, for display.
/// ASCII labels need no work, so only text with an `xn--` label goes through IDNA.
pub fn unicode_of(ascii: &str) -> String {
    if !ascii.split('.').any(|label| label.starts_with("xn--")) {
        return ascii.to_string();
    }
    let (unicode, result) = idna::domain_to_unicode(ascii);
    if result.is_ok() {
        unicode
    } else {
        ascii.to_string()
    }
}

/// A set of domain patterns.
///
/// Adding a pattern and matching a domain cost one hash probe per label, whatever the set's
/// size, so that loading 100,000 patterns and classifying many recipients stay linear
/// (issue #11: a scan per insertion made such a policy load for minutes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainSet {
    patterns: Vec<DomainPattern>,
    exact: HashSet<Domain>,
    subdomains_of: HashSet<Domain>,
}

impl DomainSet {
    /// Adds a pattern, keeping the set free of duplicates.
    pub fn insert(&mut self, pattern: DomainPattern) {
        let fresh = match &pattern {
            DomainPattern::Exact(d) => self.exact.insert(d.clone()),
            DomainPattern::Subdomains(d) => self.subdomains_of.insert(d.clone()),
        };
        if fresh {
            self.patterns.push(pattern);
        }
    }

    /// Whether any pattern matches the domain.
    pub fn matches(&self, domain: &Domain) -> bool {
        if self.exact.contains(domain) {
            return true;
        }
        // Every proper parent: `a.b.x.example` has `b.x.example`, `x.example` and `example`.
        let mut rest = domain.as_str();
        while let Some((_, parent)) = rest.split_once('.') {
            if self.subdomains_of.contains(parent) {
                return true;
            }
            rest = parent;
        }
        false
    }

    /// The patterns, in insertion order.
    pub fn patterns(&self) -> &[DomainPattern] {
        &self.patterns
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

/// A deny list: whole addresses, domains and `*.` subdomain patterns.
///
/// Lookups cost one hash probe per label of the domain, whatever the list's length,
/// so that a long list checked against a long recipient list stays linear.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockList {
    addresses: HashSet<String>,
    exact: HashSet<Domain>,
    subdomains_of: HashSet<Domain>,
}

/// One entry of a [`BlockList`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockEntry {
    /// One address, in normal form (see [`crate::address::Mailbox::key`]).
    Address(String),
    /// A domain or a subdomain pattern.
    Domain(DomainPattern),
}

impl BlockEntry {
    /// Parses `someone@x.example`, `x.example` or `*.x.example`, in any case, in Unicode or
    /// `xn--` form. The error is a short English reason for the diagnostic.
    pub fn parse(text: &str) -> Result<BlockEntry, &'static str> {
        let text = text.trim();
        match text.rsplit_once('@') {
            Some((local, domain)) => {
                if local.is_empty() || local.chars().any(|c| c.is_whitespace() || "<>\"@*,;".contains(c)) {
                    return Err("not a valid address");
                }
                if domain.contains('*') {
                    return Err("a wildcard is only allowed as a leading \"*.\"");
                }
                let domain = Domain::parse(domain).ok_or("not a valid domain")?;
                Ok(BlockEntry::Address(format!("{}@{}", local.to_lowercase(), domain.as_str())))
            }
            None => DomainPattern::parse(text).map(BlockEntry::Domain),
        }
    }
}

impl BlockList {
    /// Adds an entry.
    pub fn insert(&mut self, entry: BlockEntry) {
        match entry {
            BlockEntry::Address(key) => {
                self.addresses.insert(key);
            }
            BlockEntry::Domain(DomainPattern::Exact(d)) => {
                self.exact.insert(d);
            }
            BlockEntry::Domain(DomainPattern::Subdomains(d)) => {
                self.subdomains_of.insert(d);
            }
        }
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty() && self.exact.is_empty() && self.subdomains_of.is_empty()
    }

    /// Whether an address (its normal-form key) or its domain is on the list.
    pub fn blocks(&self, key: &str, domain: &Domain) -> bool {
        if self.addresses.contains(key) || self.exact.contains(domain) {
            return true;
        }
        if self.subdomains_of.is_empty() {
            return false;
        }
        // Every proper parent: `a.b.x.example` has `b.x.example`, `x.example` and `example`.
        let mut rest = domain.as_str();
        while let Some((_, parent)) = rest.split_once('.') {
            if self.subdomains_of.contains(parent) {
                return true;
            }
            rest = parent;
        }
        false
    }
}

impl std::borrow::Borrow<str> for Domain {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Domain {
        Domain::parse(s).unwrap()
    }

    #[test]
    fn normal_form_is_lowercase_ascii() {
        assert_eq!(d("Corp.EXAMPLE").as_str(), "corp.example");
        assert_eq!(d("corp.example.").as_str(), "corp.example");
        assert_eq!(d("ＣＯＲＰ.example").as_str(), "corp.example");
        assert_eq!(d("cοrp.example").as_str(), "xn--crp-9yc.example");
        assert_eq!(d("xn--crp-9yc.example"), d("cοrp.example"));
        assert_eq!(d("例え.jp").to_unicode(), "例え.jp");
        assert_eq!(Domain::parse(""), None);
    }

    #[test]
    fn patterns() {
        let exact = DomainPattern::parse("Example.co.jp").unwrap();
        let sub = DomainPattern::parse("*.example.co.jp").unwrap();
        assert!(exact.matches(&d("example.co.jp")));
        assert!(!exact.matches(&d("mail.example.co.jp")));
        assert!(sub.matches(&d("mail.EXAMPLE.co.jp")));
        assert!(sub.matches(&d("a.b.example.co.jp")));
        assert!(!sub.matches(&d("example.co.jp")));
        assert!(!sub.matches(&d("badexample.co.jp")));
        assert!(DomainPattern::parse("a*.example").is_err());
        assert!(DomainPattern::parse("x@example.jp").is_err());
        assert!(DomainPattern::parse("*.").is_err());
        // What an admin writes must be a domain mail can go to.
        for bad in ["x", "a b.example", "-bad-.example", "bad-.example", "..", "a..b", "under_score.example", "*.x"] {
            assert!(DomainPattern::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        for good in ["例え.jp", "XN--R8JZ45G.jp", "corp.example.", "a-b.co.jp", "*.日本.example"] {
            assert!(DomainPattern::parse(good).is_ok(), "{good:?} should be accepted");
        }
    }

    #[test]
    fn block_lists() {
        let mut list = BlockList::default();
        for entry in ["Someone@X.example", "y.example", "*.z.example", "*.例え.jp"] {
            list.insert(BlockEntry::parse(entry).unwrap());
        }
        let blocks = |address: &str| {
            let (local, domain) = address.rsplit_once('@').unwrap();
            let domain = d(domain);
            list.blocks(&format!("{}@{}", local.to_lowercase(), domain.as_str()), &domain)
        };
        assert!(blocks("someone@x.example"));
        assert!(blocks("SOMEONE@x.EXAMPLE"));
        assert!(!blocks("other@x.example"));
        assert!(blocks("a@Y.example"));
        assert!(!blocks("a@mail.y.example"));
        assert!(blocks("a@mail.z.example"));
        assert!(blocks("a@a.b.z.example"));
        assert!(!blocks("a@z.example"));
        assert!(!blocks("a@badz.example"));
        assert!(blocks("a@mail.xn--r8jz45g.jp"));
        for bad in ["@x.example", "a@", "a@*.x.example", "a*.x.example", "a b@x.example", "*."] {
            assert!(BlockEntry::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
