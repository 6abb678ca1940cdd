//! The checks, one per file, and the stable codes that name what they detect.
//!
//! A check reads the [`Subject`] (the parsed draft plus the policy) and pushes [`Finding`]s.
//! It never decides severity on its own: the policy does, through [`crate::policy::Rules`].
//! Adding a check means: a variant of [`Code`], its row in [`Code::ALL`] and [`Code::info`],
//! a file here that opens with what it detects, why, and an example policy, and golden cases.

use crate::contacts::Contacts;
use crate::i18n::Lang;
use crate::policy::{Policy, Severity};
use crate::review::{Attachment, Class, Finding, Recipient};
use crate::{text, Draft};

mod attachment_blocked_type;
mod attachment_forgotten;
mod attachment_too_large;
mod blocked_domain;
mod bulk_visible_recipients;
mod display_name_mismatch;
mod empty;
mod external_recipient;
mod keyword;
mod lookalike_domain;
mod mixed_external_domains;
mod new_recipient;
mod pii;
mod placeholder;

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
    /// The text says something is attached, but nothing is.
    AttachmentForgotten,
    /// An attachment extension the policy denies.
    AttachmentBlockedType,
    /// An attachment over the size limit.
    AttachmentTooLarge,
    /// A policy keyword rule matched.
    Keyword,
    /// A Japanese Individual Number (マイナンバー).
    PiiMyNumber,
    /// A credit card number.
    PiiCreditCard,
    /// Unfinished text (〇〇, XX株式会社, TODO, ...).
    Placeholder,
    /// The subject is empty.
    EmptySubject,
    /// The body is empty.
    EmptyBody,
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
        Code::AttachmentForgotten,
        Code::AttachmentBlockedType,
        Code::AttachmentTooLarge,
        Code::Keyword,
        Code::PiiMyNumber,
        Code::PiiCreditCard,
        Code::Placeholder,
        Code::EmptySubject,
        Code::EmptyBody,
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
            Code::AttachmentForgotten => "attachment-forgotten",
            Code::AttachmentBlockedType => "attachment-blocked-type",
            Code::AttachmentTooLarge => "attachment-too-large",
            Code::Keyword => "keyword",
            Code::PiiMyNumber => "pii-my-number",
            Code::PiiCreditCard => "pii-credit-card",
            Code::Placeholder => "placeholder",
            Code::EmptySubject => "empty-subject",
            Code::EmptyBody => "empty-body",
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
            Code::AttachmentForgotten => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "件名か本文（引用と署名を除く）に添付の記述がありますが、ファイルが添付されていません。",
                summary_en: "The subject or the body (not quoted text or the signature) mentions an attachment, but nothing is attached.",
            },
            Code::AttachmentBlockedType => CodeInfo {
                code: self,
                default_severity: Severity::Block,
                summary_ja: "ポリシーで禁止された種類（拡張子）のファイルが添付されています。",
                summary_en: "An attachment has an extension that the policy denies.",
            },
            Code::AttachmentTooLarge => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "ポリシーの上限を超える大きさのファイルが添付されています。",
                summary_en: "An attachment is larger than the policy's limit.",
            },
            Code::Keyword => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "ポリシーのキーワード規則（件名・本文・添付ファイル名の正規表現）に一致しました。",
                summary_en: "A policy keyword rule (a regex over the subject, the body or attachment names) matched.",
            },
            Code::PiiMyNumber => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "チェックディジットが正しい 12 桁のマイナンバー（個人番号）があります。",
                summary_en: "A 12-digit Japanese Individual Number (My Number) with a valid check digit.",
            },
            Code::PiiCreditCard => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "Luhn チェックを通る 13〜19 桁のクレジットカード番号があります。",
                summary_en: "A 13 to 19-digit credit card number that passes the Luhn check.",
            },
            Code::Placeholder => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "〇〇、XX株式会社、TODO、【要確認】など、書きかけの文字があります。",
                summary_en: "Unfinished text such as 〇〇, XX株式会社, TODO or 【要確認】.",
            },
            Code::EmptySubject => CodeInfo {
                code: self,
                default_severity: Severity::Warn,
                summary_ja: "件名が空です。",
                summary_en: "The subject is empty.",
            },
            Code::EmptyBody => CodeInfo {
                code: self,
                default_severity: Severity::Info,
                summary_ja: "本文が空です（引用と署名だけの場合を含みます）。",
                summary_en: "The body is empty (or only quoted text and a signature).",
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

    /// Whether the mail has at least one external recipient.
    pub fn has_external(&self) -> bool {
        self.recipients.iter().any(|r| r.class == Class::External)
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
    // The author's own part of the body is found once, for the checks that read only that.
    let wants_own_text = [Code::AttachmentForgotten, Code::Placeholder, Code::EmptyBody]
        .iter()
        .any(|&c| subject.severity(c) != Severity::Off);
    let own = if wants_own_text { text::own_text(&subject.draft.body) } else { text::own_text("") };
    // Both personal-number checks read the same digits: one pass serves both.
    let numbers = pii::scan(subject);
    for &code in Code::ALL {
        // Keyword rules may set their own severity, so `rules.keyword: off` only turns off the
        // rules that take the default; the check filters by each rule's severity.
        if subject.severity(code) == Severity::Off && code != Code::Keyword {
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
            Code::AttachmentForgotten => attachment_forgotten::check(subject, &own, out),
            Code::AttachmentBlockedType => attachment_blocked_type::check(subject, out),
            Code::AttachmentTooLarge => attachment_too_large::check(subject, out),
            Code::Keyword => keyword::check(subject, out),
            Code::PiiMyNumber => pii::check_my_number(subject, &numbers, out),
            Code::PiiCreditCard => pii::check_credit_card(subject, &numbers, out),
            Code::Placeholder => placeholder::check(subject, &own, out),
            Code::EmptySubject => empty::check_subject(subject, out),
            Code::EmptyBody => empty::check_body(subject, &own, out),
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

/// How many excerpts a finding carries at most: enough to find the spot, not a copy of the mail.
pub(crate) const MAX_EXCERPTS: usize = 5;

/// Drafts and policies for the checks' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use serde_json::Value;

    use crate::review::{review, Context, Finding};
    use crate::{Code, Draft, DraftAttachment, DraftRecipient, Field, Lang, Policy};

    /// A draft to an external recipient, built step by step.
    pub fn mail() -> Draft {
        Draft { recipients: vec![DraftRecipient::new(Field::To, "x@partner.example")], ..Draft::default() }
    }

    /// Builder steps for [`mail`].
    pub trait MailExt {
        fn subject(self, s: &str) -> Self;
        fn body(self, s: &str) -> Self;
        fn attach(self, name: &str, size: u64) -> Self;
        fn internal_only(self) -> Self;
    }

    impl MailExt for Draft {
        fn subject(mut self, s: &str) -> Self {
            self.subject = s.to_string();
            self
        }
        fn body(mut self, s: &str) -> Self {
            self.body = s.to_string();
            self
        }
        fn attach(mut self, name: &str, size: u64) -> Self {
            self.attachments.push(DraftAttachment { name: name.to_string(), size: Some(size) });
            self
        }
        fn internal_only(mut self) -> Self {
            self.recipients = vec![DraftRecipient::new(Field::To, "a@corp.example")];
            self
        }
    }

    /// The findings of one code for a draft under a policy (internal domain `corp.example`
    /// added when the policy names none), in English.
    pub fn findings(policy: Value, draft: &Draft, code: Code) -> Vec<Finding> {
        let mut policy = if policy.is_null() { serde_json::json!({}) } else { policy };
        if policy.get("internalDomains").is_none() {
            policy["internalDomains"] = serde_json::json!(["corp.example"]);
        }
        let loaded = Policy::load(&policy, Lang::En);
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        // `..Context::default()` keeps this compiling as Context gains fields (contacts, history).
        #[allow(clippy::needless_update)]
        let context = Context { lang: Lang::En, ..Context::default() };
        review(draft, &loaded.policy, &context).findings.into_iter().filter(|f| f.code == code).collect()
    }

    /// The matched texts of the findings' excerpts, in order.
    pub fn matched(findings: &[Finding]) -> Vec<String> {
        findings.iter().flat_map(|f| f.excerpts.iter().map(|e| e.matched.clone())).collect()
    }
}
