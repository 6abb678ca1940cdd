//! The engine's input: a draft as the compose window holds it.
//!
//! Recipients arrive as Thunderbird gives them, one raw string each
//! (`Name <addr>`, `"Yamada, Taro" <t@x>`, a bare address, or a whole header value with several).
//! The engine parses them itself (see [`crate::address`]) so that the add-on, the playground
//! and the CLI all classify the same string the same way.
//! Attachments may carry what an inspector found inside them ([`Contents`]).

pub use misend_guard_facts::Facts;

/// The header field a recipient is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// `To`.
    To,
    /// `Cc`.
    Cc,
    /// `Bcc`: hidden from the other recipients.
    Bcc,
}

impl Field {
    /// The lower-case name used in JSON (`to`, `cc`, `bcc`).
    pub fn as_str(self) -> &'static str {
        match self {
            Field::To => "to",
            Field::Cc => "cc",
            Field::Bcc => "bcc",
        }
    }

    /// Parses `to`, `cc` or `bcc`, in any case.
    pub fn parse(s: &str) -> Option<Field> {
        match s.to_ascii_lowercase().as_str() {
            "to" => Some(Field::To),
            "cc" => Some(Field::Cc),
            "bcc" => Some(Field::Bcc),
            _ => None,
        }
    }

    /// Whether the other recipients can see this one.
    pub fn is_visible(self) -> bool {
        self != Field::Bcc
    }
}

/// One recipient entry of the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftRecipient {
    /// The field it is in.
    pub field: Field,
    /// The raw text: one mailbox, or a list of them separated by commas.
    pub raw: String,
    /// The address-book mailing list this entry was expanded from, if any.
    pub list: Option<String>,
}

impl DraftRecipient {
    /// A recipient typed directly (not from a mailing list).
    pub fn new(field: Field, raw: impl Into<String>) -> Self {
        DraftRecipient { field, raw: raw.into(), list: None }
    }
}

/// One attachment of the draft.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftAttachment {
    /// The file name as it will be sent.
    pub name: String,
    /// The size in bytes, when known.
    pub size: Option<u64>,
    /// What the caller found inside it, when it looks inside attachments (issue #14).
    pub contents: Contents,
}

impl DraftAttachment {
    /// An attachment known by its name and size only.
    pub fn new(name: impl Into<String>, size: Option<u64>) -> Self {
        DraftAttachment { name: name.into(), size, contents: Contents::Off }
    }
}

/// What the caller knows of an attachment's contents.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Contents {
    /// The caller does not look inside attachments (or the policy turned inspection off):
    /// nothing is said about the contents.
    #[default]
    Off,
    /// The caller is still inspecting it. No finding is made about its contents yet; the dialog
    /// keeps Send disabled until every attachment is inspected or reported as not inspected.
    Pending,
    /// What the inspector found.
    Inspected(Box<Facts>),
    /// The inspection did not finish.
    Failed {
        /// Why.
        reason: FailReason,
        /// A technical explanation in English, for logs.
        detail: String,
    },
}

impl Contents {
    /// `off`, `pending`, `inspected` or `failed`: the attachment row's `inspection`.
    pub fn state(&self) -> &'static str {
        match self {
            Contents::Off => "off",
            Contents::Pending => "pending",
            Contents::Inspected(_) => "inspected",
            Contents::Failed { .. } => "failed",
        }
    }

    /// The facts, when the attachment was inspected.
    pub fn facts(&self) -> Option<&Facts> {
        match self {
            Contents::Inspected(facts) => Some(facts),
            _ => None,
        }
    }
}

/// Why an inspection did not finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailReason {
    /// It took longer than the policy's `inspection.timeoutSeconds`.
    Timeout,
    /// The inspector failed (it trapped or threw).
    Error,
    /// The attachment, or the mail's attachments together, are over the bytes the policy lets be read.
    TooLarge,
    /// The bytes could not be had (the inspector could not be loaded, the file could not be read).
    Unavailable,
}

impl FailReason {
    /// Parses `timeout`, `error`, `too-large` or `unavailable`; anything else is an `error`.
    pub fn parse(s: &str) -> FailReason {
        match s {
            "timeout" => FailReason::Timeout,
            "too-large" => FailReason::TooLarge,
            "unavailable" => FailReason::Unavailable,
            _ => FailReason::Error,
        }
    }
}

/// The draft to check.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// The sender identity (`Name <addr>`), when known.
    pub from: Option<String>,
    /// Every recipient entry, in the order of the compose window.
    pub recipients: Vec<DraftRecipient>,
    /// The subject.
    pub subject: String,
    /// The body as plain text. HTML bodies are converted to text by the caller.
    pub body: String,
    /// Every attachment.
    pub attachments: Vec<DraftAttachment>,
}
