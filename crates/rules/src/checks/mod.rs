//! The checks, one per file, and the stable codes that name what they detect.
//!
//! A check reads the [`Subject`] (the parsed draft plus the policy) and pushes [`Finding`]s.
//! It never decides severity on its own: the policy does, through [`crate::policy::Rules`].
//! Adding a check means: a variant of [`Code`], its row in [`Code::ALL`] and [`Code::info`],
//! a file here that opens with what it detects, why, and an example policy, and golden cases.

use crate::i18n::Lang;
use crate::policy::{Policy, Severity};
use crate::review::{Attachment, Finding, Recipient};
use crate::Draft;

mod external_recipient;

/// The stable code of a finding. The kebab-case text is what policies, the CLI and the
/// dialog use; it names the situation detected, not the fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A recipient outside the internal domains.
    ExternalRecipient,
}

/// What the documentation and `explain` say of a check.
#[derive(Clone, Copy, Debug)]
pub struct CodeInfo {
    /// The code.
    pub code: Code,
    /// The severity when the policy says nothing.
    pub default_severity: Severity,
    /// One line: what it detects (Japanese).
    pub summary_ja: &'static str,
    /// One line: what it detects (English).
    pub summary_en: &'static str,
}

impl Code {
    /// Every code, in the order the documentation lists them.
    pub const ALL: &'static [Code] = &[Code::ExternalRecipient];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ExternalRecipient => "external-recipient",
        }
    }

    /// Parses a kebab-case name.
    pub fn parse(name: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == name)
    }

    /// Its documentation row.
    pub fn info(self) -> CodeInfo {
        match self {
            Code::ExternalRecipient => CodeInfo {
                code: self,
                default_severity: Severity::Info,
                summary_ja: "社内ドメイン以外の宛先があります。ダイアログではドメインごとにまとめて表示します。",
                summary_en: "A recipient is outside the internal domains. The dialog groups such recipients by domain.",
            },
        }
    }

    /// The one-line summary in a language.
    pub fn summary(self, lang: Lang) -> &'static str {
        let info = self.info();
        lang.pick(info.summary_ja, info.summary_en)
    }

    pub(crate) fn index(self) -> usize {
        Code::ALL.iter().position(|c| *c == self).expect("every code is in Code::ALL")
    }
}

/// What a check sees: the draft, its parsed recipients and attachments, and the policy.
#[derive(Debug)]
pub struct Subject<'a> {
    /// The draft as given.
    pub draft: &'a Draft,
    /// Every recipient, once, in review order.
    pub recipients: &'a [Recipient],
    /// Every attachment.
    pub attachments: &'a [Attachment],
    /// The effective policy.
    pub policy: &'a Policy,
    /// The language of the messages.
    pub lang: Lang,
}

impl Subject<'_> {
    /// The severity the policy gives a code.
    pub fn severity(&self, code: Code) -> Severity {
        self.policy.rules.severity(code)
    }
}

/// Runs every check whose severity is not `off`.
pub(crate) fn run_all(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    for &code in Code::ALL {
        if subject.severity(code) == Severity::Off {
            continue;
        }
        match code {
            Code::ExternalRecipient => external_recipient::check(subject, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_round_trip() {
        for &code in Code::ALL {
            assert_eq!(Code::parse(code.as_str()), Some(code));
            assert_eq!(code.index(), Code::ALL.iter().position(|c| *c == code).unwrap());
            assert!(!code.info().summary_ja.is_empty() && !code.info().summary_en.is_empty());
        }
    }
}
