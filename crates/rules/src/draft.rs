//! The engine's input: a draft as the compose window holds it.
//!
//! Recipients arrive as Thunderbird gives them, one raw string each
//! (`Name <addr>`, `"Yamada, Taro" <t@x>`, a bare address, or a whole header value with several).
//! The engine parses them itself (see [`crate::address`]) so that the add-on, the playground
//! and the CLI all classify the same string the same way.

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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftAttachment {
    /// The file name as it will be sent.
    pub name: String,
    /// The size in bytes, when known.
    pub size: Option<u64>,
}

/// The draft to check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
