//! The policy: what the admin decided, validated, with the user's own tightening merged in.
//!
//! `raw.rs` holds the serde types (the schema's source); `load.rs` turns raw JSON into a
//! [`Policy`] plus [`Diagnostic`]s and never fails. When the admin's policy has an error,
//! the policy is marked degraded: the dialog is always shown and every item needs a tick.

mod audit_log;
mod content;
pub mod input;
mod limits;
mod load;
mod locate;
pub mod organizations;
pub mod raw;
mod raw_rules;
mod table;
mod user;
pub mod wording;

use serde::Deserialize;

pub use crate::code::{Code, Severity};
use crate::domain::{BlockList, DomainSet};

pub use content::{ContentSettings, KeywordRule, KeywordSet, Message, DEFAULT_BLOCKED_EXTENSIONS, USER_RULE_PREFIX};
pub use input::{InputProblem, InputProblemKind, PolicyInput, MAX_DEPTH};
pub use load::LoadedPolicy;
pub use locate::{locate, Location, Locator, Position};

/// When a check applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum When {
    /// For every mail.
    Always,
    /// Only when the mail has at least one external recipient.
    External,
}

/// What the add-on does when it cannot apply the admin's policy at all (`onFailure`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum OnFailure {
    /// Send stays disabled and the dialog says why.
    #[default]
    Block,
    /// The person may send after ticking every item.
    Confirm,
}

impl OnFailure {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            OnFailure::Block => "block",
            OnFailure::Confirm => "confirm",
        }
    }
}

/// The severities of every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    severities: Vec<Severity>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { severities: Code::ALL.iter().map(|c| c.info().default_severity).collect() }
    }
}

impl Rules {
    /// The severity of a check.
    pub fn severity(&self, code: Code) -> Severity {
        self.severities[code.index()]
    }

    /// Sets the severity of a check.
    pub fn set_severity(&mut self, code: Code, severity: Severity) {
        self.severities[code.index()] = severity;
    }
}

/// What the dialog asks of the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogSettings {
    /// Skip the dialog for internal-only mail without `warn` or `block` findings.
    pub skip_when_internal_only: bool,
    /// Internal recipients need a tick too.
    pub require_internal_tick: bool,
    /// The sender identity needs its own tick.
    pub confirm_sender: bool,
    /// A "tick all" checkbox is offered on the internal section.
    pub check_all_internal: bool,
    /// A "tick all" checkbox is offered on each external domain.
    pub check_all_external: bool,
    /// With an external recipient, each attachment is confirmed by typing its file name.
    pub retype_attachment_names_for_external: bool,
    /// Seconds of countdown after Send, 0 to [`MAX_COUNTDOWN_SECONDS`].
    pub countdown_seconds: u32,
    /// The countdown offers "Send now".
    pub allow_send_now: bool,
}

/// The longest countdown a policy may ask for: a minute is already long for a person who
/// waits in front of the dialog, and a longer wait would tempt people to work around it.
pub const MAX_COUNTDOWN_SECONDS: u32 = 60;

impl Default for DialogSettings {
    fn default() -> Self {
        DialogSettings {
            skip_when_internal_only: false,
            require_internal_tick: true,
            confirm_sender: false,
            check_all_internal: true,
            check_all_external: false,
            retype_attachment_names_for_external: false,
            countdown_seconds: 0,
            allow_send_now: true,
        }
    }
}

impl DialogSettings {
    /// The strictest settings: used when the admin's policy cannot be read at all.
    pub fn strictest() -> Self {
        let mut settings = DialogSettings::default();
        settings.tighten();
        settings
    }

    /// Makes the settings that ask less of the user ask the most, for a policy with errors:
    /// the dialog always shows, every item needs its own tick, the sender too.
    /// The countdown and the retyping of file names stay as the admin set them, because
    /// they only ever add to what is asked, and a broken key elsewhere says nothing about them.
    pub fn tighten(&mut self) {
        self.skip_when_internal_only = false;
        self.require_internal_tick = true;
        self.confirm_sender = true;
        self.check_all_internal = false;
        self.check_all_external = false;
    }
}

/// The settings of the recipient checks, besides their severities.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecipientSettings {
    /// `bulk-visible-recipients` fires at this many external addresses in To/Cc (at least 2).
    pub bulk_threshold: usize,
    /// The deny list of `blocked-domain`.
    pub blocked: BlockList,
}

impl RecipientSettings {
    /// The default of `rules.bulk-visible-recipients.threshold`.
    pub const DEFAULT_BULK_THRESHOLD: usize = 10;
}

impl Default for RecipientSettings {
    fn default() -> Self {
        RecipientSettings { bulk_threshold: Self::DEFAULT_BULK_THRESHOLD, blocked: BlockList::default() }
    }
}

/// How the caller looks inside attachments (the policy's `inspection`, admin only): resolved
/// here so that the add-on, the CLI and the playground inspect alike. The limits count work,
/// never time; only `timeout_ms` is a time, kept by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectionSettings {
    /// Whether attachments are inspected at all. When false, contents given are ignored.
    pub enabled: bool,
    /// The inspector's limits per attachment.
    pub limits: misend_guard_facts::Limits,
    /// Bytes inspected for all the attachments of one mail together.
    pub max_total_bytes: u64,
    /// How long the caller waits for the inspection of one mail, in milliseconds.
    pub timeout_ms: u64,
}

impl Policy {
    /// What the inspector is given for each attachment: the `inspection` limits, with the settings
    /// of the checks it judges (`minRows` of `attachment-personal-data`, and the deny list of
    /// `attachment-blocked-type`, whose contents part it judges).
    pub fn inspection_limits(&self) -> misend_guard_facts::Limits {
        misend_guard_facts::Limits {
            min_rows: self.content.personal_data_min_rows,
            blocked_extensions: self.content.blocked_extensions.clone(),
            ..self.inspection.limits.clone()
        }
    }
}

impl InspectionSettings {
    /// The default of `inspection.maxTotalBytes`: 50 MiB.
    pub const DEFAULT_MAX_TOTAL_BYTES: u64 = 50 * 1024 * 1024;
    /// The default of `inspection.timeoutSeconds`.
    pub const DEFAULT_TIMEOUT_SECONDS: u64 = 3;
    /// The longest `inspection.timeoutSeconds`: the dialog waits for it before Send.
    pub const MAX_TIMEOUT_SECONDS: u64 = 60;
    /// The deepest `inspection.maxDepth`.
    pub const MAX_DEPTH: u32 = 8;
}

impl Default for InspectionSettings {
    fn default() -> Self {
        InspectionSettings {
            enabled: true,
            limits: misend_guard_facts::Limits::default(),
            max_total_bytes: Self::DEFAULT_MAX_TOTAL_BYTES,
            timeout_ms: Self::DEFAULT_TIMEOUT_SECONDS * 1000,
        }
    }
}

/// The local confirmation record (the policy's `auditLog`): resolved here so that the
/// add-on's background reads it from the review and never parses a policy itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditLogSettings {
    /// Whether each Send is recorded.
    pub enabled: bool,
    /// Days an entry is kept.
    pub retention_days: u32,
    /// Whether the subject is recorded.
    pub subjects: bool,
}

impl AuditLogSettings {
    /// The default of `auditLog.retentionDays`.
    pub const DEFAULT_RETENTION_DAYS: u32 = 90;
    /// The longest `auditLog.retentionDays`: ten years.
    pub const MAX_RETENTION_DAYS: u32 = 3650;
}

impl Default for AuditLogSettings {
    fn default() -> Self {
        AuditLogSettings { enabled: false, retention_days: Self::DEFAULT_RETENTION_DAYS, subjects: false }
    }
}

/// A validated policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Internal domain patterns.
    pub internal_domains: DomainSet,
    /// Partner domain patterns (`knownDomains`): external, but not look-alikes.
    pub known_domains: DomainSet,
    /// Check severities.
    pub rules: Rules,
    /// Settings of the recipient checks.
    pub recipients: RecipientSettings,
    /// Dialog settings.
    pub dialog: DialogSettings,
    /// Whether users may add their own internal domains.
    pub user_may_add_internal_domains: bool,
    /// Whether the admin's policy had errors, so that the strictest safe behaviour applies.
    pub degraded: bool,
    /// Settings of the content checks (attachments, personal data).
    pub content: ContentSettings,
    /// Keyword rules: the admin's, then the user's own.
    pub keywords: Vec<KeywordRule>,
    /// What the add-on does when it cannot apply this policy at all.
    pub on_failure: OnFailure,
    /// How attachments are inspected.
    pub inspection: InspectionSettings,
    /// The local confirmation record.
    pub audit_log: AuditLogSettings,
    /// Indexes of the policy's lists, built by the first review that needs them.
    pub indexes: PolicyIndexes,
    /// The organisations the admin states (`organizations`).
    pub organizations: organizations::Organizations,
}

/// Indexes built from a loaded policy on first use and kept with it, so that a policy of
/// 10,000 domains is not indexed again for every mail. A policy is not changed once loaded.
#[derive(Clone, Debug, Default)]
pub struct PolicyIndexes {
    /// The bases of the internal and known domain patterns, for `lookalike-domain`.
    pub lookalike: std::sync::OnceLock<crate::resemblance::Resemblance>,
}

/// Indexes are derived data: two policies are equal by what they say.
impl PartialEq for PolicyIndexes {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for PolicyIndexes {}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            internal_domains: DomainSet::default(),
            known_domains: DomainSet::default(),
            rules: Rules::default(),
            recipients: RecipientSettings::default(),
            dialog: DialogSettings::default(),
            // Without an admin's domains, users must be able to name their own.
            user_may_add_internal_domains: true,
            degraded: false,
            content: ContentSettings::default(),
            keywords: Vec::new(),
            on_failure: OnFailure::Block,
            inspection: InspectionSettings::default(),
            audit_log: AuditLogSettings::default(),
            indexes: PolicyIndexes::default(),
            organizations: organizations::Organizations::default(),
        }
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiagnosticLevel {
    /// Something is ignored; the rest of the policy applies.
    Warning,
    /// The policy is wrong; the strictest safe behaviour applies.
    Error,
}

impl DiagnosticLevel {
    /// `warning` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticLevel::Warning => "warning",
            DiagnosticLevel::Error => "error",
        }
    }
}

/// A problem found in a policy: where, what, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub level: DiagnosticLevel,
    /// Which policy it is in: `admin` or `user`.
    pub source: &'static str,
    /// The JSON path, e.g. `rules.external-recipient.severity` or `internalDomains[2]`.
    pub path: String,
    /// What is wrong, in the requested language.
    pub message: String,
    /// How to fix it, in the requested language.
    pub hint: Option<String>,
}

/// The policy's JSON Schema, pretty-printed, as committed in `extension/policies/schema.json`.
#[cfg(feature = "schema")]
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(raw::RawPolicy);
    serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n"
}
