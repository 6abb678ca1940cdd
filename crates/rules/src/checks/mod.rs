//! The checks, one per file, and the stable codes that name what they detect.
//!
//! A check reads the [`Subject`] (the parsed draft plus the policy) and pushes [`Finding`]s.
//! It never decides severity on its own: the policy does, through [`crate::policy::Rules`].
//! Adding a check means: a variant of [`Code`], its row in [`Code::ALL`] and [`Code::info`],
//! a file here that opens with what it detects, why, and an example policy, and golden cases.

use crate::contacts::Contacts;
use crate::i18n::Lang;
use crate::policy::{Policy, Severity};
use crate::review::{Attachment, Finding, Recipient};
use crate::Draft;

mod blocked_domain;
mod bulk_visible_recipients;
mod display_name_mismatch;
mod external_recipient;
mod lookalike_domain;
mod mixed_external_domains;
mod new_recipient;

/// The stable code of a finding. The kebab-case text is what policies, the CLI and the
/// dialog use; it names the situation detected, not the fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// A recipient outside the internal domains.
    ExternalRecipient,
    /// Many external addresses visible to each other in To/Cc.
    BulkVisibleRecipients,
    /// External recipients of two or more organisations visible to each other in To/Cc.
    MixedExternalDomains,
    /// A recipient on the policy's deny list.
    BlockedDomain,
    /// A recipient domain that resembles an internal or known domain.
    LookalikeDomain,
    /// A display name that holds another e-mail address than the real one.
    DisplayNameMismatch,
    /// An address never seen in the address books.
    NewRecipient,
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
    pub const ALL: &'static [Code] = &[
        Code::ExternalRecipient,
        Code::BulkVisibleRecipients,
        Code::MixedExternalDomains,
        Code::BlockedDomain,
        Code::LookalikeDomain,
        Code::DisplayNameMismatch,
        Code::NewRecipient,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ExternalRecipient => "external-recipient",
            Code::BulkVisibleRecipients => "bulk-visible-recipients",
            Code::MixedExternalDomains => "mixed-external-domains",
            Code::BlockedDomain => "blocked-domain",
            Code::LookalikeDomain => "lookalike-domain",
            Code::DisplayNameMismatch => "display-name-mismatch",
            Code::NewRecipient => "new-recipient",
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
            Code::BulkVisibleRecipients => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "多数の社外アドレスが To/Cc で互いに見えます。Bcc にするつもりだった可能性があります。",
                summary_en: "Many external addresses can see each other in To/Cc. Bcc was probably meant.",
            },
            Code::MixedExternalDomains => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "複数の社外組織の宛先が To/Cc で互いに見えます。",
                summary_en: "External recipients of two or more organisations can see each other in To/Cc.",
            },
            Code::BlockedDomain => CodeInfo {
                code: self,
                default_severity: Severity::Block,
                summary_ja: "宛先のドメインまたはアドレスが、ポリシーの拒否リストにあります。",
                summary_en: "A recipient domain or address is on the policy's deny list.",
            },
            Code::LookalikeDomain => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "宛先のドメインが、社内・取引先・アドレス帳のドメインによく似ています（打ち間違い、数字と文字、トップレベルドメイン、紛らわしい文字）。",
                summary_en: "A recipient domain resembles an internal, partner or address-book domain (a typo, a digit for a letter, another top-level domain, look-alike letters).",
            },
            Code::DisplayNameMismatch => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "表示名に、実際の宛先とは別のメールアドレスが書かれています。",
                summary_en: "The display name holds an e-mail address other than the real one.",
            },
            Code::NewRecipient => CodeInfo {
                code: self,
                default_severity: Severity::Info,
                summary_ja: "アドレス帳にない宛先です。",
                summary_en: "An address never seen in the address books.",
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
    /// The user's address books, as the caller gave them (possibly empty).
    pub contacts: &'a Contacts,
}

impl Subject<'_> {
    /// The severity the policy gives a code.
    pub fn severity(&self, code: Code) -> Severity {
        self.policy.rules.severity(code)
    }
}

/// At most this many items are named in a message; the finding still points at all of them.
const SHOWN_IN_MESSAGE: usize = 5;

/// Names the first few of some items for a message: `a, b, c` or `a, b, c, d, e and more`.
pub(crate) fn shortlist<S: AsRef<str>>(items: &[S], lang: Lang) -> String {
    let shown: Vec<&str> = items.iter().take(SHOWN_IN_MESSAGE).map(AsRef::as_ref).collect();
    let more = if items.len() > SHOWN_IN_MESSAGE { lang.pick(" ほか", " and more") } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// Runs every check whose severity is not `off`.
pub(crate) fn run_all(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    for &code in Code::ALL {
        if subject.severity(code) == Severity::Off {
            continue;
        }
        match code {
            Code::ExternalRecipient => external_recipient::check(subject, out),
            Code::BulkVisibleRecipients => bulk_visible_recipients::check(subject, out),
            Code::MixedExternalDomains => mixed_external_domains::check(subject, out),
            Code::BlockedDomain => blocked_domain::check(subject, out),
            Code::LookalikeDomain => lookalike_domain::check(subject, out),
            Code::DisplayNameMismatch => display_name_mismatch::check(subject, out),
            Code::NewRecipient => new_recipient::check(subject, out),
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
