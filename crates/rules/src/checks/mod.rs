//! The checks, one per file.
//!
//! Each file is the one source of its check: it opens with its documentation (`//!`: what it
//! detects, why, and an `Example policy:`), then a [`check!`] declaration of its code, its
//! place in the documentation, its default severity, the raw settings type of its
//! `rules.<code>` key, its one-line summary, the short tag the dialog puts on the items it
//! concerns and how to fix the mail, in every language, and the one-click fixes the dialog
//! offers for it; then
//! `fn check(subject: &Subject<'_>, out: &mut Vec<Finding>)`.
//! `cargo xtask codegen` reads the declarations and writes [`Code`] and its table
//! (`src/code/generated.rs`), the module list and [`run`] below, the policy's `rules` object
//! (`src/policy/raw_rules.rs`), the JSON Schema, `docs/checks.md` and the README's table.
//!
//! A check reads the [`Subject`] (the parsed draft plus the policy) and pushes [`Finding`]s.
//! It never decides severity on its own: the policy does, through [`crate::policy::Rules`].

use std::cell::OnceCell;

use crate::code::{Code, Severity};
use crate::contacts::Contacts;
use crate::draft::{Contents, Facts};
use crate::greeting::{self, Greeting};
use crate::i18n::Lang;
use crate::model::{Attachment, Class, Excerpt, Finding, Part, Recipient};
use crate::orgs::{Knowledge, OrgIndex};
use crate::policy::Policy;
use crate::text::OwnText;
use crate::{text, Draft};

/// Declares a check. It expands to nothing: `cargo xtask codegen` reads it and generates the
/// code's table, the dispatch, the policy's `rules` key and the documentation from it, and
/// `cargo xtask test` fails when what it generated is stale. The pattern makes a declaration
/// with a missing or misspelt field a compile error.
macro_rules! check {
    (
        code: $code:literal,
        order: $order:literal,
        default: $default:ident,
        $(own_severities: $own:literal,)?
        settings: $settings:ident,
        summary: { ja: $ja:literal, en: $en:literal, zh: $zh:literal $(,)? },
        tag: { ja: $tag_ja:literal, en: $tag_en:literal, zh: $tag_zh:literal $(,)? },
        how_to_fix: { ja: $fix_ja:literal, en: $fix_en:literal, zh: $fix_zh:literal $(,)? }
        $(, one_click: [$($one_click:ident),* $(,)?])? $(,)?
    ) => {};
}

mod contents;
mod pii;

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
    /// The addresses of the person's sent mail, when the caller knows them.
    pub sent: Option<&'a Contacts>,
    /// The sender identity, parsed once by the review, when the draft names one.
    pub sender: Option<&'a Recipient>,
    /// The author's own part of the body, found once for the checks that read only that.
    own: OnceCell<OwnText<'a>>,
    /// The personal numbers of the subject and the body, found in one pass for both checks.
    numbers: OnceCell<pii::Found>,
    /// What is known about organisations and people, for the checks that ask who the mail is for.
    knowledge: OnceCell<Knowledge<'a>>,
    /// The greeting at the top of the author's own text.
    greeting: OnceCell<Option<Greeting>>,
}

impl<'a> Subject<'a> {
    /// What the checks of one review see.
    pub fn new(
        draft: &'a Draft,
        recipients: &'a [Recipient],
        attachments: &'a [Attachment],
        policy: &'a Policy,
        lang: Lang,
        contacts: &'a Contacts,
    ) -> Subject<'a> {
        Subject {
            draft,
            recipients,
            attachments,
            policy,
            lang,
            contacts,
            sent: None,
            sender: None,
            own: OnceCell::new(),
            numbers: OnceCell::new(),
            knowledge: OnceCell::new(),
            greeting: OnceCell::new(),
        }
    }

    /// The author's own part of the body: no quoted text, no signature.
    pub(crate) fn own_text(&self) -> &OwnText<'a> {
        self.own.get_or_init(|| text::own_text(&self.draft.body))
    }

    /// The personal numbers of the subject and the body.
    fn numbers(&self) -> &pii::Found {
        self.numbers.get_or_init(|| pii::scan(self))
    }

    /// What is known about organisations and people: the recipients' and the sender's display
    /// names, over the address books and the policy's `organizations`.
    pub(crate) fn knowledge(&self) -> &Knowledge<'a> {
        self.knowledge.get_or_init(|| {
            let mut own = OrgIndex::new();
            for r in self.recipients.iter().filter(|r| r.valid) {
                own.add_person(&r.key, r.domain.registrable(), r.name.as_deref(), None);
            }
            Knowledge::new(own, vec![self.contacts.orgs(), self.policy.organizations.index()])
        })
    }

    /// The greeting at the top of the author's own text, if any.
    pub(crate) fn greeting(&self) -> Option<&Greeting> {
        self.greeting.get_or_init(|| greeting::find(&self.draft.body, self.own_text(), || self.knowledge())).as_ref()
    }

    /// The severity the policy gives a code.
    pub fn severity(&self, code: Code) -> Severity {
        self.policy.rules.severity(code)
    }

    /// What the inspector found in attachment `index`, when it was inspected and the policy
    /// lets contents be looked at.
    pub fn facts(&self, index: usize) -> Option<&'a Facts> {
        if !self.policy.inspection.enabled {
            return None;
        }
        self.draft.attachments.get(index).and_then(|a| a.contents.facts())
    }

    /// What the caller knows of attachment `index`'s contents, when the policy lets contents be
    /// looked at ([`Contents::Off`] otherwise).
    pub fn contents(&self, index: usize) -> &'a Contents {
        static OFF: Contents = Contents::Off;
        match self.draft.attachments.get(index) {
            Some(a) if self.policy.inspection.enabled => &a.contents,
            _ => &OFF,
        }
    }

    /// How many distinct domains the recipients have: every [`Recipient::domain_id`] is below it.
    pub fn domain_count(&self) -> usize {
        self.recipients.iter().map(|r| r.domain_id.saturating_add(1)).max().unwrap_or(0)
    }

    /// Whether the mail has at least one external recipient.
    pub fn has_external(&self) -> bool {
        self.recipients.iter().any(|r| r.class == Class::External)
    }
}

/// Adds a finding about attachment `index` with its excerpts: one function for the content
/// checks, rather than the builder's moves of the finding inlined in each.
#[inline(never)]
pub(crate) fn push_about_attachment(
    out: &mut Vec<Finding>,
    code: Code,
    severity: Severity,
    message: String,
    index: usize,
    excerpts: Vec<Excerpt>,
) {
    out.push(Finding::new(code, severity, message).with_attachments(vec![index]).with_excerpts(excerpts));
}

/// An excerpt that names a place inside attachment `index` and what is there, for the content
/// checks' findings (one function rather than a struct literal in each of them).
pub(crate) fn content_excerpt(index: usize, place: &str, matched: String) -> Excerpt {
    Excerpt {
        part: Part::AttachmentContent(index),
        place: place.to_string(),
        before: String::new(),
        matched,
        after: String::new(),
    }
}

/// At most this many items are named in a message; the finding still points at all of them.
const SHOWN_IN_MESSAGE: usize = 5;

/// Names the first few of some items for a message: `a, b, c` or `a, b, c, d, e and more`.
pub(crate) fn shortlist<S: AsRef<str>>(items: &[S], lang: Lang) -> String {
    let shown: Vec<&str> = items.iter().take(SHOWN_IN_MESSAGE).map(AsRef::as_ref).collect();
    let more = if items.len() > SHOWN_IN_MESSAGE { lang.pick3(" ほか", " and more", " 等") } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// Runs every check whose severity is not `off` (and those whose parts carry their own).
pub(crate) fn run_all(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    for &code in Code::ALL {
        if subject.severity(code) == Severity::Off && !code.info().own_severities {
            continue;
        }
        run(code, subject, out);
    }
}

// @generated begin: the check files of this folder (cargo xtask codegen)
mod attachment_blocked_type;
mod attachment_encrypted;
mod attachment_for_other_party;
mod attachment_forgotten;
mod attachment_not_inspected;
mod attachment_personal_data;
mod attachment_too_large;
mod blocked_domain;
mod bulk_visible_recipients;
mod display_name_mismatch;
mod empty_body;
mod empty_subject;
mod external_recipient;
mod first_time_recipient;
mod keyword;
mod lookalike_domain;
mod mixed_external_domains;
mod new_recipient;
mod pii_credit_card;
mod pii_my_number;
mod placeholder;
mod salutation_mismatch;
mod similar_recipient;

/// Runs one check.
fn run(code: Code, subject: &Subject<'_>, out: &mut Vec<Finding>) {
    match code {
        Code::ExternalRecipient => external_recipient::check(subject, out),
        Code::BulkVisibleRecipients => bulk_visible_recipients::check(subject, out),
        Code::MixedExternalDomains => mixed_external_domains::check(subject, out),
        Code::BlockedDomain => blocked_domain::check(subject, out),
        Code::LookalikeDomain => lookalike_domain::check(subject, out),
        Code::DisplayNameMismatch => display_name_mismatch::check(subject, out),
        Code::NewRecipient => new_recipient::check(subject, out),
        Code::FirstTimeRecipient => first_time_recipient::check(subject, out),
        Code::SalutationMismatch => salutation_mismatch::check(subject, out),
        Code::SimilarRecipient => similar_recipient::check(subject, out),
        Code::AttachmentForgotten => attachment_forgotten::check(subject, out),
        Code::AttachmentBlockedType => attachment_blocked_type::check(subject, out),
        Code::AttachmentForOtherParty => attachment_for_other_party::check(subject, out),
        Code::AttachmentTooLarge => attachment_too_large::check(subject, out),
        Code::AttachmentPersonalData => attachment_personal_data::check(subject, out),
        Code::AttachmentEncrypted => attachment_encrypted::check(subject, out),
        Code::AttachmentNotInspected => attachment_not_inspected::check(subject, out),
        Code::Keyword => keyword::check(subject, out),
        Code::PiiMyNumber => pii_my_number::check(subject, out),
        Code::PiiCreditCard => pii_credit_card::check(subject, out),
        Code::Placeholder => placeholder::check(subject, out),
        Code::EmptySubject => empty_subject::check(subject, out),
        Code::EmptyBody => empty_body::check(subject, out),
    }
}
// @generated end

/// How many excerpts a finding carries at most: enough to find the spot, not a copy of the mail.
pub(crate) const MAX_EXCERPTS: usize = 5;

/// Drafts and policies for the checks' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use serde_json::Value;

    use crate::model::Finding;
    use crate::review::{review, Context};
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
        fn attach_contents(self, name: &str, contents: crate::Contents) -> Self;
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
            self.attachments.push(DraftAttachment::new(name, Some(size)));
            self
        }
        fn attach_contents(mut self, name: &str, contents: crate::Contents) -> Self {
            self.attachments.push(DraftAttachment { contents, ..DraftAttachment::new(name, Some(1000)) });
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
        let draft = judged(draft, &loaded.policy);
        review(&draft, &loaded.policy, &context).findings.into_iter().filter(|f| f.code == code).collect()
    }

    /// The draft with the inspector's judgments added to the facts given by hand, under the
    /// policy's settings, as the hosts have them made (`misend_guard_inspect::assess`).
    pub fn judged(draft: &Draft, policy: &Policy) -> Draft {
        let mut draft = draft.clone();
        for attachment in &mut draft.attachments {
            if let crate::Contents::Inspected(facts) = &mut attachment.contents {
                facts.assessments.clear();
                misend_guard_inspect::assess(facts, &policy.inspection_limits());
            }
        }
        draft
    }

    /// Facts of a file with text chunks `(place, text)`.
    pub fn text_facts(name: &str, chunks: &[(&str, &str)]) -> crate::Contents {
        let mut facts = crate::facts::Facts::new(name, 1000, crate::facts::Kind::Text);
        facts.text = chunks
            .iter()
            .map(|(place, text)| crate::facts::TextChunk { place: place.to_string(), text: text.to_string() })
            .collect();
        crate::Contents::Inspected(Box::new(facts))
    }

    /// The matched texts of the findings' excerpts, in order.
    pub fn matched(findings: &[Finding]) -> Vec<String> {
        findings.iter().flat_map(|f| f.excerpts.iter().map(|e| e.matched.clone())).collect()
    }
}
