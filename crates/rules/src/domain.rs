//! Domains in one normal form, and the domain patterns of a policy.
//!
//! Every comparison of domains happens in ASCII form: lower-case, IDNA (UTS #46) applied,
//! so that `ＣＯＲＰ.example`, `Corp.Example` and `corp.example` are the same domain and a
//! Unicode domain equals its `xn--` form. The Unicode form is kept only for display.

/// A domain in normal (ASCII, lower-case) form.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Domain(String);

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
        Some(Domain(ascii))
    }

    /// Normalizes a domain, falling back to its lower-cased text when IDNA rejects it.
    pub fn lossy(text: &str) -> Domain {
        Domain::parse(text)
            .unwrap_or_else(|| Domain(text.trim().trim_end_matches('.').to_lowercase()))
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
            self.0.clone()
        }
    }

    /// Whether `self` is `parent` or one of its subdomains.
    pub fn is_within(&self, parent: &Domain) -> bool {
        self.0 == parent.0
            || (self.0.len() > parent.0.len()
                && self.0.ends_with(parent.0.as_str())
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
            let domain = Domain::parse(rest).ok_or("not a valid domain")?;
            Ok(DomainPattern::Subdomains(domain))
        } else if text.contains('*') {
            Err("a wildcard is only allowed as a leading \"*.\"")
        } else if text.contains('@') {
            Err("an address, not a domain")
        } else {
            Domain::parse(text).map(DomainPattern::Exact).ok_or("not a valid domain")
        }
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

/// A set of domain patterns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainSet {
    patterns: Vec<DomainPattern>,
}

impl DomainSet {
    /// Adds a pattern, keeping the set free of duplicates.
    pub fn insert(&mut self, pattern: DomainPattern) {
        if !self.patterns.contains(&pattern) {
            self.patterns.push(pattern);
        }
    }

    /// Whether any pattern matches the domain.
    pub fn matches(&self, domain: &Domain) -> bool {
        self.patterns.iter().any(|p| p.matches(domain))
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
    }
}
