//! What the checks see and say: recipients and attachments as reviewed, and findings.
//!
//! These types sit below the checks and the review: the checks build [`Finding`]s about
//! [`Recipient`]s and [`Attachment`]s, and `review.rs` assembles them into the review.

use std::sync::Arc;

use crate::code::{Code, Severity};
use crate::domain::Domain;
use crate::Field;

/// Whether a recipient is inside the organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// Its domain matches the policy's internal domains.
    Internal,
    /// Anything else, including addresses that could not be parsed.
    External,
}

impl Class {
    /// `internal` or `external`.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Internal => "internal",
            Class::External => "external",
        }
    }
}

/// One recipient of the review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    /// Its position in [`crate::Review::recipients`].
    pub index: usize,
    /// The most visible field it is in.
    pub field: Field,
    /// The display name, if any.
    pub name: Option<String>,
    /// The address as written.
    pub address: String,
    /// The address in normal form (see [`crate::address::Mailbox::key`]): what makes two
    /// recipients the same, and what the address books and deny lists are compared with.
    pub key: String,
    /// Its domain in normal form.
    pub domain: Domain,
    /// Its domain for display (Unicode form), shared by the recipients of that domain.
    pub domain_display: Arc<str>,
    /// Internal or external.
    pub class: Class,
    /// The mailing list it came from, if any.
    pub list: Option<String>,
    /// Whether the address has the shape `local@domain`.
    pub valid: bool,
    /// Its domain's place among the distinct domains (in normal form) of the review's
    /// recipients, from 0 in order of first appearance ([`crate::checks::Subject::domain_count`]):
    /// the recipient checks work out what depends on the domain alone once per domain by it.
    /// `usize::MAX` for the sender.
    pub domain_id: usize,
    /// The draft's entry it was first read from (an index into [`crate::Draft::recipients`]),
    /// `None` for the sender.
    pub entry: Option<usize>,
}

/// One attachment of the review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// Its position in [`crate::Review::attachments`].
    pub index: usize,
    /// The file name.
    pub name: String,
    /// The size in bytes, when known.
    pub size: Option<u64>,
    /// How far its contents were looked at.
    pub inspection: Inspection,
}

/// How far an attachment's contents were looked at (the attachment row's `inspection`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Inspection {
    /// Not at all: the caller does not inspect, or the policy turned inspection off.
    Off,
    /// The caller is still inspecting it: the dialog keeps Send disabled until it is done.
    Pending,
    /// Its facts were given, and the content checks read them.
    Inspected,
    /// The inspection did not finish (`attachment-not-inspected` says why).
    Failed,
}

impl Inspection {
    /// `off`, `pending`, `inspected` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Inspection::Off => "off",
            Inspection::Pending => "pending",
            Inspection::Inspected => "inspected",
            Inspection::Failed => "failed",
        }
    }
}

/// One thing a check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What was detected.
    pub code: Code,
    /// How much it matters, from the policy.
    pub severity: Severity,
    /// One line in the user's language.
    pub message: String,
    /// The recipients it concerns (indices into [`crate::Review::recipients`]).
    pub recipients: Vec<usize>,
    /// The attachments it concerns (indices into [`crate::Review::attachments`]).
    pub attachments: Vec<usize>,
    /// Where in the text it was found, so that the dialog can show the words in context.
    pub excerpts: Vec<Excerpt>,
    /// The keyword rule that matched, for `keyword` findings (`user:` prefixed for the user's own).
    pub rule_id: Option<String>,
}

/// The part of a mail an excerpt comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The subject.
    Subject,
    /// The body.
    Body,
    /// The name of an attachment (an index into [`crate::Review::attachments`]).
    AttachmentName(usize),
    /// The contents of an attachment (an index into [`crate::Review::attachments`]); the
    /// excerpt's [`Excerpt::place`] says where inside (`Sheet1!C12`, `tools/a.txt › paragraph 3`).
    AttachmentContent(usize),
}

/// A short piece of the mail around what a check found, on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// Where it is.
    pub part: Part,
    /// Where inside an attachment, for [`Part::AttachmentContent`]; empty otherwise.
    pub place: String,
    /// Up to 30 characters before the match, on the same line.
    pub before: String,
    /// What matched (shortened when very long).
    pub matched: String,
    /// Up to 30 characters after the match, on the same line.
    pub after: String,
}

impl Excerpt {
    /// Says where inside an attachment the excerpt is.
    pub fn at(mut self, place: impl Into<String>) -> Excerpt {
        self.place = place.into();
        self
    }
}

impl Finding {
    /// A finding that points at nothing yet.
    pub fn new(code: Code, severity: Severity, message: String) -> Finding {
        Finding {
            code,
            severity,
            message,
            recipients: Vec::new(),
            attachments: Vec::new(),
            excerpts: Vec::new(),
            rule_id: None,
        }
    }

    /// Shows where the finding is in the text.
    pub fn with_excerpts(mut self, excerpts: Vec<Excerpt>) -> Finding {
        self.excerpts = excerpts;
        self
    }

    /// Names the keyword rule that matched.
    pub fn with_rule_id(mut self, rule_id: impl Into<String>) -> Finding {
        self.rule_id = Some(rule_id.into());
        self
    }

    /// Points the finding at recipients.
    pub fn with_recipients(mut self, recipients: Vec<usize>) -> Finding {
        self.recipients = recipients;
        self
    }

    /// Points the finding at attachments.
    pub fn with_attachments(mut self, attachments: Vec<usize>) -> Finding {
        self.attachments = attachments;
        self
    }
}
