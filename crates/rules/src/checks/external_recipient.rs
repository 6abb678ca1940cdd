//! `external-recipient`: a recipient outside the internal domains.
//!
//! Why: every external recipient is a place where a mis-send becomes a leak, so the dialog
//! names them and groups them by domain; this finding says how many there are and where.
//! Info by default: it informs, it does not ask for more than the ticks.
//!
//! Example policy: `{"internalDomains": ["corp.example", "*.corp.example"],
//! "rules": {"external-recipient": {"severity": "info"}}}`

use std::collections::HashSet;

use super::{Code, Subject};
use crate::review::{Class, Finding};

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let external: Vec<usize> =
        subject.recipients.iter().filter(|r| r.class == Class::External).map(|r| r.index).collect();
    if external.is_empty() {
        return;
    }
    // A set beside the list keeps this linear: a mail to thousands of domains must not
    // cost millions of comparisons.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut domains: Vec<&str> = Vec::new();
    for &i in &external {
        let d = subject.recipients[i].domain_display.as_str();
        if seen.insert(d) {
            domains.push(d);
        }
    }
    let shown = domains.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    let more = if domains.len() > 5 { subject.lang.pick(" ほか", " and more") } else { "" };
    let message = subject.lang.pick(
        format!("社外の宛先が {} 件あります（{}{}）。", external.len(), shown, more),
        format!(
            "{} external recipient{} ({}{}).",
            external.len(),
            if external.len() == 1 { "" } else { "s" },
            shown,
            more
        ),
    );
    out.push(
        Finding::new(Code::ExternalRecipient, subject.severity(Code::ExternalRecipient), message)
            .with_recipients(external),
    );
}
