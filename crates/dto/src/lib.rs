//! The engine's JSON interface: the draft as callers give it, the review as they receive it.
//!
//! The add-on (through `misend-guard-wasm`), the playground and the CLI all exchange these
//! shapes, so that the same mail under the same policy gives the same JSON everywhere.
//! The input mirrors what Thunderbird's `compose.getComposeDetails` gives (recipients as
//! strings), so the add-on passes it through with little work.
//!
//! Architecture invariant: core results are converted to serde types here, at the edge;
//! the rules crate's own types do not derive serde (except the raw policy).

/// The engine's version.
pub const VERSION: &str = misend_guard_rules::VERSION;

use misend_guard_rules::policy::Diagnostic;
use misend_guard_rules::review::{Attachment, Finding, Group, Recipient};
use misend_guard_rules::{
    review, Code, Context, Draft, DraftAttachment, DraftRecipient, Field, Lang, LoadedPolicy, Policy, Review,
};
use serde::{Deserialize, Serialize};

/// A recipient entry: a raw string, or a string with the mailing list it was expanded from.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum RecipientDto {
    /// `Name <addr>` or a bare address.
    Plain(String),
    /// A member of an address-book mailing list.
    FromList {
        /// `Name <addr>`.
        value: String,
        /// The list's name.
        list: Option<String>,
    },
}

/// An attachment: its name and size in bytes.
#[derive(Clone, Debug, Deserialize)]
pub struct AttachmentDto {
    /// The file name.
    pub name: String,
    /// The size in bytes.
    pub size: Option<f64>,
}

/// The draft, as the add-on gathers it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DraftDto {
    /// The sender identity.
    pub from: Option<String>,
    /// To.
    pub to: Vec<RecipientDto>,
    /// Cc.
    pub cc: Vec<RecipientDto>,
    /// Bcc.
    pub bcc: Vec<RecipientDto>,
    /// The subject.
    pub subject: String,
    /// The body as plain text.
    pub body: String,
    /// The attachments.
    pub attachments: Vec<AttachmentDto>,
}

impl DraftDto {
    fn to_draft(&self) -> Draft {
        let mut recipients = Vec::new();
        for (field, list) in [(Field::To, &self.to), (Field::Cc, &self.cc), (Field::Bcc, &self.bcc)] {
            for entry in list {
                recipients.push(match entry {
                    RecipientDto::Plain(raw) => DraftRecipient::new(field, raw.clone()),
                    RecipientDto::FromList { value, list } => {
                        DraftRecipient { field, raw: value.clone(), list: list.clone() }
                    }
                });
            }
        }
        Draft {
            from: self.from.clone(),
            recipients,
            subject: self.subject.clone(),
            body: self.body.clone(),
            attachments: self
                .attachments
                .iter()
                .map(|a| DraftAttachment {
                    name: a.name.clone(),
                    size: a.size.filter(|s| s.is_finite() && *s >= 0.0).map(|s| s as u64),
                })
                .collect(),
        }
    }
}

/// A policy diagnostic.
#[derive(Clone, Debug, Serialize)]
pub struct DiagnosticDto {
    /// `error` or `warning`.
    pub level: &'static str,
    /// `admin` or `user`.
    pub source: &'static str,
    /// The JSON path.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl From<&Diagnostic> for DiagnosticDto {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticDto {
            level: d.level.as_str(),
            source: d.source,
            path: d.path.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// A recipient of the review.
#[derive(Clone, Debug, Serialize)]
pub struct RecipientOut {
    index: usize,
    field: &'static str,
    name: Option<String>,
    address: String,
    domain: String,
    #[serde(rename = "class")]
    class: &'static str,
    list: Option<String>,
    valid: bool,
}

impl From<&Recipient> for RecipientOut {
    fn from(r: &Recipient) -> Self {
        RecipientOut {
            index: r.index,
            field: r.field.as_str(),
            name: r.name.clone(),
            address: r.address.clone(),
            domain: r.domain_display.clone(),
            class: r.class.as_str(),
            list: r.list.clone(),
            valid: r.valid,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
struct GroupOut {
    #[serde(rename = "class")]
    class: &'static str,
    domain: Option<String>,
    members: Vec<usize>,
}

impl From<&Group> for GroupOut {
    fn from(g: &Group) -> Self {
        GroupOut { class: g.class.as_str(), domain: g.domain.clone(), members: g.members.clone() }
    }
}

#[derive(Clone, Debug, Serialize)]
struct AttachmentOut {
    index: usize,
    name: String,
    size: Option<u64>,
}

impl From<&Attachment> for AttachmentOut {
    fn from(a: &Attachment) -> Self {
        AttachmentOut { index: a.index, name: a.name.clone(), size: a.size }
    }
}

#[derive(Clone, Debug, Serialize)]
struct FindingOut {
    code: &'static str,
    severity: &'static str,
    message: String,
    recipients: Vec<usize>,
    attachments: Vec<usize>,
}

impl From<&Finding> for FindingOut {
    fn from(f: &Finding) -> Self {
        FindingOut {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            message: f.message.clone(),
            recipients: f.recipients.clone(),
            attachments: f.attachments.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DialogOut {
    show: bool,
    require_internal_tick: bool,
}

/// The review as JavaScript sees it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewDto {
    engine_version: &'static str,
    lang: &'static str,
    verdict: &'static str,
    /// Whether the admin's policy had errors and the strictest behaviour applies.
    degraded: bool,
    subject: String,
    sender: Option<RecipientOut>,
    recipients: Vec<RecipientOut>,
    groups: Vec<GroupOut>,
    attachments: Vec<AttachmentOut>,
    findings: Vec<FindingOut>,
    dialog: DialogOut,
    diagnostics: Vec<DiagnosticDto>,
}

impl ReviewDto {
    fn new(review: &Review, draft: &Draft, loaded: &LoadedPolicy, lang: Lang) -> ReviewDto {
        ReviewDto {
            engine_version: misend_guard_rules::VERSION,
            lang: lang.tag(),
            verdict: review.verdict.as_str(),
            degraded: loaded.policy.degraded,
            subject: draft.subject.clone(),
            sender: review.sender.as_ref().map(RecipientOut::from),
            recipients: review.recipients.iter().map(RecipientOut::from).collect(),
            groups: review.groups.iter().map(GroupOut::from).collect(),
            attachments: review.attachments.iter().map(AttachmentOut::from).collect(),
            findings: review.findings.iter().map(FindingOut::from).collect(),
            dialog: DialogOut { show: review.dialog.show, require_internal_tick: review.dialog.require_internal_tick },
            diagnostics: loaded.diagnostics.iter().map(DiagnosticDto::from).collect(),
        }
    }
}

/// What a check detects, as the playground and `explain` show it next to a finding.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeInfoDto {
    /// The stable kebab-case code.
    pub code: &'static str,
    /// The severity when the policy does not set one.
    pub default_severity: &'static str,
    /// One line: what it detects, in the requested language.
    pub summary: &'static str,
}

/// Every check the engine has, in documentation order, described in a language.
pub fn codes(lang: &str) -> Vec<CodeInfoDto> {
    let lang = Lang::from_tag(lang);
    Code::ALL
        .iter()
        .map(|&code| CodeInfoDto {
            code: code.as_str(),
            default_severity: code.info().default_severity.as_str(),
            summary: code.summary(lang),
        })
        .collect()
}

/// The checker without its JavaScript wrapping, so that it can be tested natively.
#[derive(Debug)]
pub struct CheckerCore {
    loaded: LoadedPolicy,
    lang: Lang,
}

impl CheckerCore {
    /// Loads a policy value; an `Err` is a value JavaScript could not even convert.
    pub fn new(policy: Result<serde_json::Value, String>, lang: &str) -> CheckerCore {
        let lang = Lang::from_tag(lang);
        let loaded = match policy {
            Ok(value) => Policy::load(&value, lang),
            Err(error) => Policy::unreadable(&error, lang),
        };
        CheckerCore { loaded, lang }
    }

    /// The checker to use when the admin's policy could not be read at all.
    pub fn unreadable(reason: &str, lang: &str) -> CheckerCore {
        let lang = Lang::from_tag(lang);
        CheckerCore { loaded: Policy::unreadable(reason, lang), lang }
    }

    /// Loads a policy from JSON text.
    pub fn from_text(text: &str, lang: &str) -> CheckerCore {
        let lang = Lang::from_tag(lang);
        CheckerCore { loaded: Policy::load_text(text, lang), lang }
    }

    /// The loading diagnostics.
    pub fn diagnostics(&self) -> Vec<DiagnosticDto> {
        self.loaded.diagnostics.iter().map(DiagnosticDto::from).collect()
    }

    /// Reviews a draft.
    pub fn check(&self, draft: &DraftDto) -> ReviewDto {
        let draft = draft.to_draft();
        let review = review(&draft, &self.loaded.policy, &Context { lang: self.lang });
        ReviewDto::new(&review, &draft, &self.loaded, self.lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_review_round_trips_through_the_dtos() {
        let core = CheckerCore::new(Ok(json!({"internalDomains": ["corp.example"]})), "en-US");
        let draft: DraftDto = serde_json::from_value(json!({
            "from": "Me <me@corp.example>",
            "to": ["Boss <BOSS@Corp.Example>", {"value": "x@partner.example", "list": "Partners"}],
            "bcc": ["y@other.example"],
            "attachments": [{"name": "a.pdf", "size": 1234}]
        }))
        .unwrap();
        let out = serde_json::to_value(core.check(&draft)).unwrap();
        assert_eq!(out["recipients"].as_array().unwrap().len(), 3);
        assert_eq!(out["recipients"][0]["class"], "internal");
        assert_eq!(out["recipients"][1]["list"], "Partners");
        assert_eq!(out["groups"][0]["class"], "internal");
        assert_eq!(out["groups"][1]["domain"], "partner.example");
        assert_eq!(out["attachments"][0]["size"], 1234);
        assert_eq!(out["findings"][0]["code"], "external-recipient");
        assert_eq!(out["dialog"]["show"], true);
        assert_eq!(out["lang"], "en");
    }

    #[test]
    fn every_code_is_described_in_both_languages() {
        let ja = codes("ja");
        let en = codes("en");
        assert_eq!(ja.len(), Code::ALL.len());
        assert_eq!(ja[0].code, "external-recipient");
        assert_eq!(ja[0].default_severity, "info");
        assert!(ja.iter().zip(&en).all(|(j, e)| j.code == e.code && j.summary != e.summary && !j.summary.is_empty()));
    }

    #[test]
    fn an_unconvertible_policy_degrades_with_a_diagnostic() {
        let core = CheckerCore::new(Err("cyclic object".into()), "ja");
        assert!(core.loaded.policy.degraded);
        assert_eq!(core.diagnostics().len(), 1);
    }
}
