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

use misend_guard_rules::address::Domains;
use misend_guard_rules::contacts::CardFields;
use misend_guard_rules::domain::DomainPattern;
use misend_guard_rules::facts::{Facts, Limits};

use misend_guard_rules::policy::AuditLogSettings;
use misend_guard_rules::policy::{Diagnostic, DiagnosticLevel, Locator, PolicyInput, Position};
use misend_guard_rules::review::{Attachment, Class, DialogPlan, Excerpt, Finding, Group, Part, Recipient};
use misend_guard_rules::{
    review, Code, Contacts, Contents, Context, Draft, DraftAttachment, DraftRecipient, FailReason, Field, Lang,
    LoadedPolicy, Policy, Review,
};
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// A recipient entry: a raw string, or a string with the mailing list it was expanded from.
///
/// Read by hand rather than as an untagged enum, which buffers every entry and tries each
/// shape in turn: a mail of 1,000 recipients read each of them twice (issue #13).
#[derive(Clone, Debug)]
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

impl<'de> Deserialize<'de> for RecipientDto {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// The members of `{"value": ..., "list": ...}`; unknown members are ignored.
        #[derive(Deserialize)]
        struct FromList {
            value: String,
            #[serde(default)]
            list: Option<String>,
        }
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = RecipientDto;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a recipient: a string, or {\"value\": string, \"list\": string or null}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RecipientDto, E> {
                Ok(RecipientDto::Plain(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<RecipientDto, E> {
                Ok(RecipientDto::Plain(v))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RecipientDto, A::Error> {
                let entry = FromList::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RecipientDto::FromList { value: entry.value, list: entry.list })
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

/// An attachment: its name, its size in bytes, and what the caller found inside it.
#[derive(Clone, Debug, Deserialize)]
pub struct AttachmentDto {
    /// The file name.
    pub name: String,
    /// The size in bytes.
    pub size: Option<f64>,
    /// What the caller found inside it; absent when the caller does not inspect attachments.
    #[serde(default)]
    pub contents: Option<ContentsDto>,
}

/// What the caller knows of an attachment's contents:
/// `{"state": "pending"}`, `{"state": "inspected", "facts": {...}}` or
/// `{"state": "failed", "reason": "timeout" | "error" | "too-large" | "unavailable", "detail": "..."}`.
///
/// A flat struct rather than a tagged enum, and the facts taken as a JSON value and read by
/// [`facts_from_value`]: serde's derived readers of the facts' dozen types, compiled for the
/// JavaScript deserializer, made the core wasm module about 20 KB gzipped larger (issue #14).
#[derive(Clone, Debug, Deserialize)]
pub struct ContentsDto {
    /// `pending`, `inspected` or `failed`; anything else reads as a failed inspection.
    pub state: String,
    /// What the inspector found (`misend_guard_facts::Facts` as JSON), for `inspected`.
    #[serde(default)]
    pub facts: Option<serde_json::Value>,
    /// For `failed`: `timeout`, `error`, `too-large` or `unavailable` (anything else reads as `error`).
    #[serde(default)]
    pub reason: Option<String>,
    /// For `failed`: a technical explanation in English, for logs.
    #[serde(default)]
    pub detail: Option<String>,
}

impl ContentsDto {
    fn to_contents(&self) -> Contents {
        match (self.state.as_str(), self.facts.as_ref().and_then(|f| facts_from_value(f, 0))) {
            ("pending", _) => Contents::Pending,
            ("inspected", Some(facts)) => Contents::Inspected(Box::new(facts)),
            // Inspected without facts, or a state this engine does not know: nothing was
            // checked, which the person is told rather than not.
            _ => Contents::Failed {
                reason: FailReason::parse(self.reason.as_deref().unwrap_or("error")),
                detail: self.detail.clone().unwrap_or_default(),
            },
        }
    }
}

/// How deep archive entries are read from a caller's facts; the inspector opens far fewer levels.
const MAX_FACTS_DEPTH: usize = 16;

/// Reads what the engine's checks use of `misend_guard_facts::Facts` from its JSON form: the
/// text chunks, the tables' places, headers and rows (the labels of the numbers
/// in them), the archive entries with their own facts, and the assessments of the checks the
/// inspector judges. The rest (the name and sizes, and what only those judgments need: the kinds,
/// the encryption, the problems, the columns' classes) is not read, and keeps its empty value. Leniently: a missing or mistyped field
/// is empty, so that whatever a caller gives is checked as far as it can be. `None` when the value
/// is not an object.
pub fn facts_from_value(value: &serde_json::Value, depth: usize) -> Option<Facts> {
    use misend_guard_rules::facts::{Assessment, Entry, Kind, Quote, Table, Words};
    use serde_json::Value;
    // Plain loops rather than iterator chains: each chain was its own instantiation, and the
    // reader cost the core wasm module twice as much.
    fn str_of<'v>(v: &'v Value, key: &str) -> &'v str {
        v.get(key).and_then(Value::as_str).unwrap_or_default()
    }
    fn text(v: &Value, key: &str) -> String {
        str_of(v, key).to_string()
    }
    fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
        v.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }
    fn number(v: &Value, key: &str) -> u64 {
        v.get(key).and_then(Value::as_f64).filter(|n| n.is_finite() && *n >= 0.0).map_or(0, |n| n as u64)
    }
    fn words(v: &Value, key: &str) -> Words {
        let Some(w) = v.get(key) else { return Words::default() };
        Words { ja: text(w, "ja"), en: text(w, "en"), zh: text(w, "zh") }
    }
    value.as_object()?;
    let mut facts = Facts::new("", 0, Kind::Unknown);
    // A workbook's cells come grouped by row (`cells`); they are read back as one chunk per cell.
    for c in list(value, "text") {
        let cells = c.get("cells").and_then(Value::as_str);
        misend_guard_rules::facts::cells::expand(str_of(c, "place"), str_of(c, "text"), cells, &mut facts.text);
    }
    for t in list(value, "tables") {
        let mut header = Vec::new();
        for h in list(t, "header") {
            header.push(h.as_str().unwrap_or_default().to_string());
        }
        facts.tables.push(Table { place: text(t, "place"), header, rows: number(t, "rows"), columns: Vec::new() });
    }
    for a in list(value, "assessments") {
        let mut excerpts = Vec::new();
        for q in list(a, "excerpts") {
            excerpts.push(Quote { place: text(q, "place"), text: words(q, "text") });
        }
        facts.assessments.push(Assessment { code: text(a, "code"), message: words(a, "message"), excerpts });
    }
    if depth < MAX_FACTS_DEPTH {
        for e in list(value, "entries") {
            let Some(inner) = e.get("facts").and_then(|f| facts_from_value(f, depth + 1)) else { continue };
            facts.entries.push(Entry { path: text(e, "path"), compressed_size: 0, size: 0, facts: inner });
        }
    }
    Some(facts)
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
    /// The draft, taking the texts over rather than copying them: the wasm facade reads a draft
    /// to check it once (issue #13).
    fn into_draft(self) -> Draft {
        let mut recipients = Vec::with_capacity(self.to.len() + self.cc.len() + self.bcc.len());
        for (field, list) in [(Field::To, self.to), (Field::Cc, self.cc), (Field::Bcc, self.bcc)] {
            recipients.extend(list.into_iter().map(|entry| match entry {
                RecipientDto::Plain(raw) => DraftRecipient::new(field, raw),
                RecipientDto::FromList { value, list } => DraftRecipient { field, raw: value, list },
            }));
        }
        Draft {
            from: self.from,
            recipients,
            subject: self.subject,
            body: self.body,
            attachments: self
                .attachments
                .into_iter()
                .map(|a| DraftAttachment {
                    contents: a.contents.as_ref().map_or(Contents::Off, ContentsDto::to_contents),
                    name: a.name,
                    size: a.size.filter(|s| s.is_finite() && *s >= 0.0).map(|s| s as u64),
                })
                .collect(),
        }
    }

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
                    contents: a.contents.as_ref().map_or(Contents::Off, ContentsDto::to_contents),
                })
                .collect(),
        }
    }
}

/// What the caller knows besides the draft.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ContextDto {
    /// The user's address books: each entry `addr` or `Name <addr>`, or a contact card
    /// `{ "address": "...", "name": "鈴木 一郎", "org": "株式会社ベータ工業", "reading": "すずき いちろう" }`.
    /// Empty means "not known": `new-recipient` then stays silent.
    pub contacts: Vec<ContactDto>,
    /// The addresses the person has sent mail to (the add-on's index of its Sent folders, the
    /// CLI's `--sent`). `null` or absent means "not known yet": `first-time-recipient` then
    /// stays silent.
    pub sent: Option<Vec<String>>,
}

/// One address-book entry: a string as before, or a card with the person's name and organisation.
///
/// Read by hand rather than as an untagged enum: serde would first copy every entry of a
/// 5,000-contact address book into a buffer to try each shape in turn, on every Send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContactDto {
    /// `addr` or `Name <addr>`.
    Raw(String),
    /// A contact card.
    Card {
        /// `addr` or `Name <addr>`.
        address: String,
        /// The person's name (vCard `FN`).
        name: Option<String>,
        /// The organisation (vCard `ORG`).
        org: Option<String>,
        /// How the name is read.
        reading: Option<String>,
    },
}

impl<'de> Deserialize<'de> for ContactDto {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ContactDto, D::Error> {
        struct Entry;
        impl<'de> serde::de::Visitor<'de> for Entry {
            type Value = ContactDto;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an address (\"Name <addr>\") or a contact card {address, name, org, reading}")
            }
            fn visit_str<E: serde::de::Error>(self, raw: &str) -> Result<ContactDto, E> {
                Ok(ContactDto::Raw(raw.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, raw: String) -> Result<ContactDto, E> {
                Ok(ContactDto::Raw(raw))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ContactDto, A::Error> {
                let (mut address, mut name, mut org, mut reading) = (None, None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    let field = match key.as_str() {
                        "address" => &mut address,
                        "name" => &mut name,
                        "org" => &mut org,
                        "reading" => &mut reading,
                        // Other fields of a card (a caller's own) are not the engine's.
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                            continue;
                        }
                    };
                    *field = map.next_value::<Option<String>>()?;
                }
                let address = address.ok_or_else(|| serde::de::Error::missing_field("address"))?;
                Ok(ContactDto::Card { address, name, org, reading })
            }
        }
        deserializer.deserialize_any(Entry)
    }
}

impl From<String> for ContactDto {
    fn from(raw: String) -> ContactDto {
        ContactDto::Raw(raw)
    }
}

/// Address-book entries, parsed.
pub fn contacts_of(entries: &[ContactDto]) -> Contacts {
    let mut contacts = Contacts::default();
    // The entries' domains, each normalised once: 10,000 entries share a few hundred.
    let mut domains = Domains::default();
    for entry in entries {
        match entry {
            ContactDto::Raw(raw) => contacts.add_with(raw, &mut domains),
            ContactDto::Card { address, name, org, reading } => contacts.add_card_with(
                address,
                &CardFields { name: name.clone(), org: org.clone(), reading: reading.clone() },
                &mut domains,
            ),
        }
    }
    contacts
}

/// A policy diagnostic.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct DiagnosticDto {
    /// `error` or `warning`.
    #[cfg_attr(feature = "typescript", ts(type = "\"error\" | \"warning\""))]
    pub level: &'static str,
    /// `admin` or `user`.
    #[cfg_attr(feature = "typescript", ts(type = "\"admin\" | \"user\""))]
    pub source: &'static str,
    /// The JSON path.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
    /// Where the path points in the policy's text (1-based), when the policy was given as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub line: Option<usize>,
    /// The column (1-based, in characters) that goes with `line`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub column: Option<usize>,
}

impl From<&Diagnostic> for DiagnosticDto {
    fn from(d: &Diagnostic) -> Self {
        DiagnosticDto {
            level: d.level.as_str(),
            source: d.source,
            path: d.path.clone(),
            message: d.message.clone(),
            hint: d.hint.clone(),
            line: None,
            column: None,
        }
    }
}

/// Where each diagnostic of a policy given as text points: a syntax error at its position,
/// every other diagnostic at the node its JSON path names. The text is parsed once.
fn positions(text: &str, loaded: &LoadedPolicy) -> Vec<Option<Position>> {
    let parsed = match PolicyInput::from_text(text) {
        Ok((_, parsed)) => parsed,
        Err(e) => {
            // serde_json counts the column in bytes; editors count characters.
            let line_text = text.split('\n').nth(e.line().saturating_sub(1)).unwrap_or("");
            let bytes = e.column().saturating_sub(1).min(line_text.len());
            let column = (0..=bytes).rev().find_map(|b| line_text.get(..b)).map_or(0, |s| s.chars().count()) + 1;
            let at = Some(Position { line: e.line().max(1), column });
            return loaded.diagnostics.iter().map(|_| at).collect();
        }
    };
    // The text as parsed: values nested too deep are cut out of it, with its lines kept.
    let locator = Locator::new(&parsed);
    loaded.diagnostics.iter().map(|d| locator.locate(&d.path).map(|l| l.point())).collect()
}

/// A recipient of the review.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct RecipientOut {
    index: usize,
    #[cfg_attr(feature = "typescript", ts(type = "\"to\" | \"cc\" | \"bcc\""))]
    field: &'static str,
    name: Option<String>,
    address: String,
    domain: String,
    #[serde(rename = "class")]
    #[cfg_attr(feature = "typescript", ts(type = "\"internal\" | \"external\""))]
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
            domain: r.domain_display.to_string(),
            class: r.class.as_str(),
            list: r.list.clone(),
            valid: r.valid,
        }
    }
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
struct GroupOut {
    #[serde(rename = "class")]
    #[cfg_attr(feature = "typescript", ts(type = "\"internal\" | \"external\""))]
    class: &'static str,
    domain: Option<String>,
    #[cfg_attr(feature = "typescript", ts(type = "Array<number>"))]
    members: Indices,
}

impl GroupOut {
    fn new(g: &Group, of: usize) -> Self {
        GroupOut { class: g.class.as_str(), domain: g.domain.clone(), members: Indices { list: g.members.clone(), of } }
    }
}

/// Places in the review's recipients: a group's members, a finding's recipients.
///
/// In the review the wasm facade hands over ([`CompactReview`]), where `of` is the number of
/// recipients, a list in ascending order that holds at least a quarter of them is written as a
/// string of one letter per recipient, `1` for those in the list and `0` for the others, and
/// `extension/engine/engine.js` makes the list again: a thousand numbers were most of the
/// review's text, to write and to parse (issue #13). Elsewhere (`of` is 0), it is the list.
#[derive(Clone, Debug)]
struct Indices {
    list: Vec<usize>,
    of: usize,
}

impl Serialize for Indices {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ascending = self.list.windows(2).all(|w| w[0] < w[1]) && self.list.last().is_none_or(|&i| i < self.of);
        if self.of == 0 || self.list.len() * 4 < self.of || !ascending {
            return self.list.serialize(serializer);
        }
        let mut letters = vec![b'0'; self.of];
        for &i in &self.list {
            letters[i] = b'1';
        }
        serializer.serialize_str(&String::from_utf8(letters).unwrap_or_default())
    }
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
struct AttachmentOut {
    index: usize,
    name: String,
    #[cfg_attr(feature = "typescript", ts(type = "number | null"))]
    size: Option<u64>,
    /// How far its contents were looked at. While any attachment is `pending`, the dialog keeps
    /// Send disabled and shows that the attachments are being checked: a pending attachment
    /// makes no finding of its own, so the verdict alone does not hold Send back.
    #[cfg_attr(feature = "typescript", ts(type = "\"off\" | \"pending\" | \"inspected\" | \"failed\""))]
    inspection: &'static str,
}

impl From<&Attachment> for AttachmentOut {
    fn from(a: &Attachment) -> Self {
        AttachmentOut { index: a.index, name: a.name.clone(), size: a.size, inspection: a.inspection.as_str() }
    }
}

/// How the caller inspects attachments, resolved from the admin's policy (`inspection`).
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InspectionOut {
    /// Whether attachments are inspected at all.
    enabled: bool,
    /// What the inspector is given per attachment (`misend_guard_facts::Limits`, camelCase): the limits
    /// of its work, and the settings of the checks it judges (`minRows`, `blockedExtensions`).
    #[cfg_attr(
        feature = "typescript",
        ts(type = "{ maxBytes: number, maxDepth: number, maxEntries: number, maxExpandedBytes: number, \
                   maxRatio: number, maxTextBytes: number, maxCells: number, minRows: number, \
                   blockedExtensions: string[] }")
    )]
    limits: Limits,
    /// Bytes inspected for all the attachments of one mail together.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    max_total_bytes: u64,
    /// How long the caller waits for the inspection of one mail.
    #[cfg_attr(feature = "typescript", ts(type = "number"))]
    timeout_ms: u64,
}

impl From<&Policy> for InspectionOut {
    fn from(policy: &Policy) -> Self {
        let s = &policy.inspection;
        InspectionOut {
            enabled: s.enabled,
            limits: policy.inspection_limits(),
            max_total_bytes: s.max_total_bytes,
            timeout_ms: s.timeout_ms,
        }
    }
}

/// The local confirmation record, resolved from the admin's policy and the person's settings
/// (`auditLog`), so that the add-on's background never reads a policy itself.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLogOut {
    /// Whether each Send is recorded.
    enabled: bool,
    /// Days an entry is kept.
    retention_days: u32,
    /// Whether the subject is recorded.
    subjects: bool,
}

impl From<&AuditLogSettings> for AuditLogOut {
    fn from(s: &AuditLogSettings) -> Self {
        AuditLogOut { enabled: s.enabled, retention_days: s.retention_days, subjects: s.subjects }
    }
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct FindingOut {
    code: &'static str,
    #[cfg_attr(feature = "typescript", ts(type = "\"info\" | \"warn\" | \"block\""))]
    severity: &'static str,
    message: String,
    #[cfg_attr(feature = "typescript", ts(type = "Array<number>"))]
    recipients: Indices,
    attachments: Vec<usize>,
    excerpts: Vec<ExcerptOut>,
    /// The keyword rule that matched (`user:` prefixed for the user's own), `null` otherwise.
    rule_id: Option<String>,
    /// The short tag the dialog puts on the items the finding concerns.
    tag: &'static str,
    /// What the person can do about it.
    how_to_fix: &'static str,
    /// The one-click fixes the dialog offers for it (`move-external-to-bcc`, `remove-recipient`).
    #[cfg_attr(feature = "typescript", ts(type = "(\"move-external-to-bcc\" | \"remove-recipient\")[]"))]
    fixes: Vec<&'static str>,
}

impl FindingOut {
    fn new(f: &Finding, lang: Lang, of: usize) -> Self {
        let info = f.code.info();
        FindingOut {
            tag: info.tag.get(lang),
            how_to_fix: info.how_to_fix.get(lang),
            fixes: info.one_click.iter().map(|fix| fix.as_str()).collect(),
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            message: f.message.clone(),
            recipients: Indices { list: f.recipients.clone(), of },
            attachments: f.attachments.clone(),
            excerpts: f.excerpts.iter().map(ExcerptOut::from).collect(),
            rule_id: f.rule_id.clone(),
        }
    }
}

/// Where a finding is in the text: `{part, attachment?, place?, before, text, after}`.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
struct ExcerptOut {
    /// `subject`, `body`, `attachment` (the file name) or `attachment-content` (inside the file).
    #[cfg_attr(feature = "typescript", ts(type = "\"subject\" | \"body\" | \"attachment\" | \"attachment-content\""))]
    part: &'static str,
    /// The attachment's index, when `part` is `attachment` or `attachment-content`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    attachment: Option<usize>,
    /// Where inside the attachment, when `part` is `attachment-content`: `Sheet1!C12`,
    /// `tools/setup.exe`, `paragraph 4`, `slide 3`, `tools/a.txt › line 3` (may be empty for the
    /// whole file).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    place: Option<String>,
    before: String,
    text: String,
    after: String,
}

impl From<&Excerpt> for ExcerptOut {
    fn from(e: &Excerpt) -> Self {
        let (part, attachment, place) = match e.part {
            Part::Subject => ("subject", None, None),
            Part::Body => ("body", None, None),
            Part::AttachmentName(i) => ("attachment", Some(i), None),
            Part::AttachmentContent(i) => ("attachment-content", Some(i), Some(e.place.clone())),
        };
        ExcerptOut {
            part,
            attachment,
            place,
            before: e.before.clone(),
            text: e.matched.clone(),
            after: e.after.clone(),
        }
    }
}

/// What the dialog asks, resolved for this mail.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DialogOut {
    show: bool,
    require_internal_tick: bool,
    confirm_sender: bool,
    allow_check_all: CheckAllOut,
    /// The policy's `retypeAttachmentNamesForExternal`, already applied to this mail: true
    /// only when the mail has an external recipient.
    retype_attachment_names: bool,
    countdown_seconds: u32,
    allow_send_now: bool,
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
struct CheckAllOut {
    internal: bool,
    external: bool,
}

impl From<&DialogPlan> for DialogOut {
    fn from(d: &DialogPlan) -> Self {
        DialogOut {
            show: d.show,
            require_internal_tick: d.require_internal_tick,
            confirm_sender: d.confirm_sender,
            allow_check_all: CheckAllOut { internal: d.check_all_internal, external: d.check_all_external },
            retype_attachment_names: d.retype_attachment_names,
            countdown_seconds: d.countdown_seconds,
            allow_send_now: d.allow_send_now,
        }
    }
}

/// The review as JavaScript sees it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewDto {
    engine_version: &'static str,
    lang: &'static str,
    #[cfg_attr(feature = "typescript", ts(type = "\"ok\" | \"warn\" | \"block\""))]
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
    /// How the caller inspects attachments, resolved from the admin's policy (also on a
    /// review of an unreadable policy: the defaults then).
    inspection: InspectionOut,
    /// The local confirmation record, resolved from the admin's policy and the person's
    /// settings (also on a review of an unreadable policy: the defaults then, off).
    audit_log: AuditLogOut,
    /// `null` for every normal check. Set when the admin's policy could not be applied at all
    /// (see [`CheckerCore::unreadable`]): the verdict is then `block`, and `sendAllowed` says
    /// whether the person may still send after ticking every item.
    failure: Option<FailureDto>,
}

/// Why the admin's policy could not be applied, and whether Send may still be enabled.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureDto {
    /// What went wrong, for the dialog.
    pub reason: String,
    /// Whether the person may send after ticking every item; `false` keeps Send disabled.
    pub send_allowed: bool,
}

/// A review as the wasm facade hands it over: the review with no recipients, and its recipients
/// in columns. Parsing a thousand objects of eight keys each was most of the time JavaScript
/// took for a large review; columns are a third of the text, and `extension/engine/engine.js`
/// builds the same objects from them in one loop (issue #13).
///
/// A recipient's name and address are not sent back when the caller has them: when the draft's
/// entry it was read from is its address alone, or exactly `name <address>`, the column `from`
/// says so and the wrapper cuts them from the entry it gave.
///
/// The groups' members and the findings' recipients that hold a quarter of the recipients or
/// more are written as strings of letters ([`Indices`]).
///
/// It serializes as `{"review": ..., "recipients": ...}`. Its serializer is written out rather
/// than derived in this crate, so that it is compiled where it is used: the wasm facade, built
/// for speed, where this crate is built for size.
#[derive(Debug)]
pub struct CompactReview {
    review: ReviewDto,
    recipients: Vec<Recipient>,
    /// Per recipient, where its name and address are: [`FROM_ADDRESS`], [`FROM_NAMED`] or
    /// [`FROM_TEXT`].
    from: String,
}

/// The recipient's entry in the draft is its address, as it is.
const FROM_ADDRESS: char = 'a';
/// The recipient's entry is `name <address>`: its name is the text before the entry's last
/// ` <`, its address the text after it without the final `>`.
const FROM_NAMED: char = 'n';
/// The recipient's name and address are in the column `text`.
const FROM_TEXT: char = 't';

impl CompactReview {
    fn new(review: ReviewDto, recipients: Vec<Recipient>, draft: &Draft) -> CompactReview {
        let from = recipients
            .iter()
            .map(|r| {
                let Some(raw) = r.entry.and_then(|e| draft.recipients.get(e)).map(|e| e.raw.as_str()) else {
                    return FROM_TEXT;
                };
                match &r.name {
                    None if raw == r.address => FROM_ADDRESS,
                    Some(name)
                        if raw.len() == name.len() + r.address.len() + 3
                            && raw.starts_with(name.as_str())
                            && raw[name.len()..].starts_with(" <")
                            && raw.ends_with('>')
                            && raw[name.len() + 2..raw.len() - 1] == r.address
                            && !r.address.contains('<') =>
                    {
                        FROM_NAMED
                    }
                    _ => FROM_TEXT,
                }
            })
            .collect();
        CompactReview { review, recipients, from }
    }
}

impl Serialize for CompactReview {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("CompactReview", 2)?;
        out.serialize_field("review", &self.review)?;
        out.serialize_field("recipients", &RecipientColumns::new(&self.recipients, &self.from))?;
        out.end()
    }
}

/// The fields of [`RecipientOut`], one column each, in the order of the recipients.
#[derive(Default, Serialize)]
struct RecipientColumns<'a> {
    /// Each recipient's `index`, left out when it is its place, as it always is in a review.
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<Vec<usize>>,
    /// One letter per recipient: `t`, `c` or `b`.
    field: String,
    /// One letter per recipient: where its name and address are (see [`CompactReview`]):
    /// `a` (the entry is the address), `n` (the entry is `name <address>`) or `t` (in `text`).
    from: &'a str,
    /// Each recipient's entry in the draft (an index into its To, Cc and Bcc entries, in that
    /// order), left out when it is its place.
    #[serde(skip_serializing_if = "Option::is_none")]
    entry: Option<Vec<usize>>,
    /// The recipients whose `from` is `t`: their place, name and address.
    text: Vec<(usize, Option<&'a str>, &'a str)>,
    /// The distinct domains, for `domain`.
    domains: Vec<&'a str>,
    /// Per recipient, its domain's place in `domains`.
    domain: Vec<usize>,
    /// One letter per recipient: `i` for internal, `e` for external.
    class: String,
    /// The recipients that came from a mailing list: their place and the list's name.
    list: Vec<(usize, &'a str)>,
    /// One letter per recipient: `1` when the address is valid, `0` when not.
    valid: String,
}

impl<'a> RecipientColumns<'a> {
    fn new(recipients: &'a [Recipient], from: &'a str) -> RecipientColumns<'a> {
        let mut columns = RecipientColumns {
            from,
            field: String::with_capacity(recipients.len()),
            domain: Vec::with_capacity(recipients.len()),
            class: String::with_capacity(recipients.len()),
            valid: String::with_capacity(recipients.len()),
            ..RecipientColumns::default()
        };
        if recipients.iter().enumerate().any(|(i, r)| r.index != i) {
            columns.index = Some(recipients.iter().map(|r| r.index).collect());
        }
        let kinds = from.as_bytes();
        if recipients.iter().enumerate().any(|(i, r)| kinds[i] != FROM_TEXT as u8 && r.entry != Some(i)) {
            columns.entry = Some(recipients.iter().map(|r| r.entry.unwrap_or(0)).collect());
        }
        // Recipients of one domain share its display text: the last one seen is compared first.
        let mut domains: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut last: Option<(&str, usize)> = None;
        for (i, r) in recipients.iter().enumerate() {
            columns.field.push(match r.field {
                Field::Cc => 'c',
                Field::Bcc => 'b',
                Field::To => 't',
            });
            if kinds[i] == FROM_TEXT as u8 {
                columns.text.push((i, r.name.as_deref(), &r.address));
            }
            let display: &str = &r.domain_display;
            let d = match last {
                Some((text, d)) if std::ptr::eq(text, display) || text == display => d,
                _ => {
                    let next = domains.len();
                    let d = *domains.entry(display).or_insert(next);
                    if d == next {
                        columns.domains.push(display);
                    }
                    last = Some((display, d));
                    d
                }
            };
            columns.domain.push(d);
            columns.class.push(if r.class == Class::Internal { 'i' } else { 'e' });
            if let Some(list) = &r.list {
                columns.list.push((i, list));
            }
            columns.valid.push(if r.valid { '1' } else { '0' });
        }
        columns
    }
}

impl ReviewDto {
    fn new(
        review: &Review,
        draft: &Draft,
        loaded: &LoadedPolicy,
        diagnostics: Vec<DiagnosticDto>,
        lang: Lang,
        failure: Option<FailureDto>,
        with_recipients: bool,
    ) -> ReviewDto {
        // The lists of places are written as lists unless the review is a compact one.
        let of = if with_recipients { 0 } else { review.recipients.len() };
        ReviewDto {
            engine_version: misend_guard_rules::VERSION,
            lang: lang.tag(),
            // A policy that could not be applied blocks, whatever the checks found.
            verdict: if failure.is_some() { "block" } else { review.verdict.as_str() },
            degraded: loaded.policy.degraded,
            subject: draft.subject.clone(),
            sender: review.sender.as_ref().map(RecipientOut::from),
            recipients: if with_recipients {
                review.recipients.iter().map(RecipientOut::from).collect()
            } else {
                Vec::new()
            },
            groups: review.groups.iter().map(|g| GroupOut::new(g, of)).collect(),
            attachments: review.attachments.iter().map(AttachmentOut::from).collect(),
            findings: review.findings.iter().map(|f| FindingOut::new(f, lang, of)).collect(),
            dialog: DialogOut::from(&review.dialog),
            diagnostics,
            inspection: InspectionOut::from(&loaded.policy),
            audit_log: AuditLogOut::from(&loaded.policy.audit_log),
            failure,
        }
    }
}

/// The policy in effect, in the shape of a policy file, for the options page's view of it.
/// Every check and every dialog key is listed with its value, including the defaults, so
/// that a user sees what applies rather than only what someone wrote.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EffectivePolicyDto {
    internal_domains: Vec<String>,
    #[cfg_attr(
        feature = "typescript",
        ts(type = "Record<string, { severity: \"off\" | \"info\" | \"warn\" | \"block\" }>")
    )]
    rules: RulesOut,
    dialog: EffectiveDialogOut,
    user_may_add_internal_domains: bool,
    degraded: bool,
    /// `block` or `confirm`: what the add-on does when it cannot apply the policy at all.
    #[cfg_attr(feature = "typescript", ts(type = "\"block\" | \"confirm\""))]
    on_failure: &'static str,
    /// How attachments are inspected.
    inspection: InspectionOut,
    /// The local confirmation record.
    audit_log: AuditLogOut,
}

/// Every check's severity, as a map in the order of [`Code::ALL`].
#[derive(Clone, Debug)]
struct RulesOut(Vec<(&'static str, &'static str)>);

impl Serialize for RulesOut {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        #[derive(Serialize)]
        struct Rule {
            severity: &'static str,
        }
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (code, severity) in &self.0 {
            map.serialize_entry(code, &Rule { severity })?;
        }
        map.end()
    }
}

#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct EffectiveDialogOut {
    skip_when_internal_only: bool,
    require_internal_tick: bool,
    confirm_sender: bool,
    allow_check_all: CheckAllOut,
    retype_attachment_names_for_external: bool,
    countdown_seconds: u32,
    allow_send_now: bool,
}

impl From<&Policy> for EffectivePolicyDto {
    fn from(p: &Policy) -> Self {
        let d = &p.dialog;
        EffectivePolicyDto {
            internal_domains: p
                .internal_domains
                .patterns()
                .iter()
                .map(|pattern| match pattern {
                    DomainPattern::Exact(domain) => domain.to_unicode(),
                    DomainPattern::Subdomains(domain) => format!("*.{}", domain.to_unicode()),
                })
                .collect(),
            rules: RulesOut(Code::ALL.iter().map(|&c| (c.as_str(), p.rules.severity(c).as_str())).collect()),
            dialog: EffectiveDialogOut {
                skip_when_internal_only: d.skip_when_internal_only,
                require_internal_tick: d.require_internal_tick,
                confirm_sender: d.confirm_sender,
                allow_check_all: CheckAllOut { internal: d.check_all_internal, external: d.check_all_external },
                retype_attachment_names_for_external: d.retype_attachment_names_for_external,
                countdown_seconds: d.countdown_seconds,
                allow_send_now: d.allow_send_now,
            },
            user_may_add_internal_domains: p.user_may_add_internal_domains,
            degraded: p.degraded,
            on_failure: p.on_failure.as_str(),
            inspection: InspectionOut::from(p),
            audit_log: AuditLogOut::from(&p.audit_log),
        }
    }
}

/// A check, as the options page lists it.
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeDto {
    code: &'static str,
    #[cfg_attr(feature = "typescript", ts(type = "\"off\" | \"info\" | \"warn\" | \"block\""))]
    default_severity: &'static str,
    summary: &'static str,
    /// The short tag the dialog puts on the items a finding concerns.
    tag: &'static str,
    /// What the person can do about a finding.
    how_to_fix: &'static str,
}

/// Every check the engine has, in documentation order, with its summary in `lang`.
pub fn codes(lang: &str) -> Vec<CodeDto> {
    let lang = Lang::from_tag(lang);
    Code::ALL
        .iter()
        .map(|&c| CodeDto {
            code: c.as_str(),
            default_severity: c.info().default_severity.as_str(),
            summary: c.summary(lang),
            tag: c.info().tag.get(lang),
            how_to_fix: c.info().how_to_fix.get(lang),
        })
        .collect()
}

/// The checker without its JavaScript wrapping, so that it can be tested natively.
#[derive(Debug)]
pub struct CheckerCore {
    loaded: LoadedPolicy,
    lang: Lang,
    /// The address books of the last check, as given and as parsed. The add-on passes the same
    /// address books with every mail; parsing them and indexing their domains once, instead of
    /// on every Send, keeps a large address book from delaying the dialog.
    contacts: AddressCache<ContactDto>,
    /// The sent history of the last check, kept parsed the same way.
    sent: AddressCache<String>,
    /// For a policy given as text, where each diagnostic points in it.
    positions: Vec<Option<Position>>,
    /// Why the admin's policy could not be applied at all, for a checker made by
    /// [`CheckerCore::unreadable`].
    failure: Option<String>,
}

impl CheckerCore {
    /// Loads a policy value; an `Err` is a value JavaScript could not even convert.
    pub fn new(policy: Result<serde_json::Value, String>, lang: &str) -> CheckerCore {
        CheckerCore::with_user(policy, Ok(serde_json::Value::Null), lang)
    }

    /// Loads the admin's policy and merges the user's own settings over it (`null` for none).
    /// The user's settings only make checks stricter; their problems are warnings with source
    /// `user`. An `Err` for `user` is a value JavaScript could not convert: it is ignored with
    /// such a warning.
    pub fn with_user(
        policy: Result<serde_json::Value, String>,
        user: Result<serde_json::Value, String>,
        lang: &str,
    ) -> CheckerCore {
        let take = |value: serde_json::Value| PolicyInput::from_value(&value);
        CheckerCore::from_inputs(policy.map(take), user.map(take), lang)
    }

    /// [`CheckerCore::with_user`] for values already taken in as [`PolicyInput`]s (the wasm
    /// facade converts JavaScript objects to them, cut at the nesting limit): the problems
    /// met on the way are diagnostics at their paths.
    pub fn from_inputs(
        policy: Result<PolicyInput, String>,
        user: Result<PolicyInput, String>,
        lang: &str,
    ) -> CheckerCore {
        let lang = Lang::from_tag(lang);
        let (user, user_error) = match user {
            Ok(input) => (input, None),
            Err(error) => (PolicyInput::trusted(serde_json::Value::Null), Some(error)),
        };
        let mut loaded = match policy {
            Ok(input) => Policy::load_inputs_with_user(input, user, lang),
            Err(error) => Policy::unreadable(&error, lang),
        };
        if let Some(error) = user_error {
            loaded.diagnostics.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                source: "user",
                path: String::new(),
                message: lang.pick3(
                    format!("利用者の設定を読み込めませんでした: {error}"),
                    format!("your own settings could not be read: {error}"),
                    format!("无法读取您自己的设置：{error}"),
                ),
                hint: Some(
                    lang.pick3(
                        "管理者の設定だけで確認します。",
                        "Only the administrator's settings apply.",
                        "仅按管理员的设置进行检查。",
                    )
                    .to_string(),
                ),
            });
        }
        CheckerCore::build(loaded, lang, Vec::new(), None)
    }

    /// The checker to use when the admin's policy could not be read at all (managed storage
    /// failed and no earlier copy is kept): every review has `failure` set, with Send not
    /// allowed, and the verdict `block`. Nothing is known of the admin's `onFailure`, so the
    /// default, `block`, applies.
    pub fn unreadable(reason: &str, lang: &str) -> CheckerCore {
        let lang = Lang::from_tag(lang);
        let loaded = Policy::unreadable(reason, lang);
        let failure = loaded.diagnostics.first().map(|d| d.message.clone()).unwrap_or_else(|| reason.to_string());
        CheckerCore::build(loaded, lang, Vec::new(), Some(failure))
    }

    fn build(
        loaded: LoadedPolicy,
        lang: Lang,
        positions: Vec<Option<Position>>,
        failure: Option<String>,
    ) -> CheckerCore {
        CheckerCore {
            loaded,
            lang,
            contacts: AddressCache::default(),
            sent: AddressCache::default(),
            positions,
            failure,
        }
    }

    /// Loads a policy from JSON text.
    pub fn from_text(text: &str, lang: &str) -> CheckerCore {
        let lang = Lang::from_tag(lang);
        let loaded = Policy::load_text(text, lang);
        let positions = positions(text, &loaded);
        CheckerCore::build(loaded, lang, positions, None)
    }

    /// The loading diagnostics.
    pub fn diagnostics(&self) -> Vec<DiagnosticDto> {
        self.loaded
            .diagnostics
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let at = self.positions.get(i).copied().flatten();
                DiagnosticDto { line: at.map(|p| p.line), column: at.map(|p| p.column), ..DiagnosticDto::from(d) }
            })
            .collect()
    }

    /// The policy in effect.
    pub fn effective_policy(&self) -> EffectivePolicyDto {
        EffectivePolicyDto::from(&self.loaded.policy)
    }

    /// Reviews a draft, knowing what the context tells (the address books).
    pub fn check(&self, draft: &DraftDto, context: &ContextDto) -> ReviewDto {
        let contacts = self.contacts.get(&context.contacts, contacts_of);
        let sent = context.sent.as_deref().map(|sent| self.sent.get(sent, |s| Contacts::from_entries(s)));
        self.check_known(draft, &contacts, sent.as_ref())
    }

    /// Reviews a draft with address books and a sent history already parsed: the wasm facade
    /// keeps them between checks, so that they cross from JavaScript only when they change.
    pub fn check_known(&self, draft: &DraftDto, contacts: &Contacts, sent: Option<&Contacts>) -> ReviewDto {
        let draft = draft.to_draft();
        self.review_of(&draft, contacts, sent, true).1
    }

    /// [`CheckerCore::check_known`] for the wasm facade: the draft is taken over rather than
    /// copied, and the review comes with its recipients in columns ([`CompactReview`]).
    pub fn check_compact(&self, draft: DraftDto, contacts: &Contacts, sent: Option<&Contacts>) -> CompactReview {
        let draft = draft.into_draft();
        let (review, dto) = self.review_of(&draft, contacts, sent, false);
        CompactReview::new(dto, review.recipients, &draft)
    }

    fn review_of(
        &self,
        draft: &Draft,
        contacts: &Contacts,
        sent: Option<&Contacts>,
        with_recipients: bool,
    ) -> (Review, ReviewDto) {
        let context = Context { lang: self.lang, contacts: contacts.clone(), sent: sent.cloned() };
        let review = review(draft, &self.loaded.policy, &context);
        let failure = self.failure.as_ref().map(|reason| FailureDto { reason: reason.clone(), send_allowed: false });
        let dto = ReviewDto::new(&review, draft, &self.loaded, self.diagnostics(), self.lang, failure, with_recipients);
        (review, dto)
    }
}

/// Addresses as the caller gives them and as parsed: those of the last check when they are the
/// same. The add-on passes the same address books and sent history with every mail; parsing
/// them and indexing their domains once, instead of on every Send, keeps a large address book
/// from delaying the dialog.
#[derive(Debug)]
struct AddressCache<T>(Mutex<(Vec<T>, Contacts)>);

impl<T> Default for AddressCache<T> {
    fn default() -> Self {
        AddressCache(Mutex::new((Vec::new(), Contacts::default())))
    }
}

impl<T: Clone + PartialEq> AddressCache<T> {
    fn get(&self, entries: &[T], parse: impl Fn(&[T]) -> Contacts) -> Contacts {
        // A poisoned lock only means an earlier check panicked; the cache is still whole.
        let mut cache = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if cache.0 != entries {
            *cache = (entries.to_vec(), parse(entries));
        }
        cache.1.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn a_review_round_trips_through_the_dtos() {
        let core = CheckerCore::new(Ok(json!({"internalDomains": ["corp.example"]})), "en-US");
        let draft: DraftDto = serde_json::from_value(json!({
            "from": "Me <me@corp.example>",
            "to": ["Boss <BOSS@Corp.Example>", {"value": "x@partner.example", "list": "Partners"}],
            "bcc": ["y@other.example"],
            "subject": "Minutes",
            "body": "The minutes are attached.",
            "attachments": [{"name": "a.pdf", "size": 1234}]
        }))
        .unwrap();
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
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
    fn contacts_may_be_cards_with_an_organisation() {
        let core = CheckerCore::new(Ok(json!({})), "ja");
        let context: ContextDto = serde_json::from_value(json!({"contacts": [
            "yamada@alpha-shoji.example",
            {"address": "yamada@alpha-shoji.example", "name": "山田 太郎", "org": "株式会社アルファ商事"},
            {"address": "suzuki@beta-kogyo.example", "name": "鈴木 一郎", "org": "株式会社ベータ工業", "reading": "すずき いちろう"}
        ]}))
        .unwrap();
        assert_eq!(context.contacts[0], ContactDto::Raw("yamada@alpha-shoji.example".into()));
        let draft: DraftDto = serde_json::from_value(json!({
            "to": ["suzuki@beta-kogyo.example"],
            "body": "株式会社アルファ商事 山田様\n\nいつもお世話になっております。\n"
        }))
        .unwrap();
        let out = serde_json::to_value(core.check(&draft, &context)).unwrap();
        let finding = out["findings"].as_array().unwrap().iter().find(|f| f["code"] == "salutation-mismatch");
        let finding = finding.expect("the card's organisation is known");
        assert!(finding["message"].as_str().unwrap().contains("株式会社ベータ工業 の方です"), "{finding}");
    }

    #[test]
    fn a_recipient_is_a_string_or_an_entry_of_a_list() {
        let draft: DraftDto = serde_json::from_value(json!({
            "to": ["a@x.example", {"value": "b@x.example", "list": "L", "other": 1}, {"value": "c@x.example"}]
        }))
        .unwrap();
        assert!(matches!(&draft.to[0], RecipientDto::Plain(raw) if raw == "a@x.example"));
        assert!(
            matches!(&draft.to[1], RecipientDto::FromList { value, list: Some(list) } if value == "b@x.example" && list == "L")
        );
        assert!(matches!(&draft.to[2], RecipientDto::FromList { list: None, .. }));
        for bad in [json!([42]), json!([null]), json!([{"list": "L"}]), json!([["a@x.example"]]), json!("a@x.example")]
        {
            assert!(serde_json::from_value::<DraftDto>(json!({ "to": bad })).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_compact_review_holds_the_same_recipients_in_columns() {
        let core = CheckerCore::new(Ok(json!({"internalDomains": ["corp.example"]})), "en");
        let given = json!({
            "to": ["Boss <BOSS@Corp.Example>", {"value": "x@partner.example", "list": "Partners"}, "not an address"],
            "cc": ["\"Suzuki, H\" <h@例え.jp>", "p@x.example, Q <q@y.example>", "  Spaced <s@x.example>"],
            "bcc": ["y@partner.example", {"value": "z@other.example", "list": null}, "boss@corp.example", "山田 太郎 <t@例え.jp>"]
        });
        let draft: DraftDto = serde_json::from_value(given.clone()).unwrap();
        let plain = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        let compact: Value = serde_json::to_value(core.check_compact(draft, &Contacts::default(), None)).unwrap();
        let (review, c) = (&compact["review"], &compact["recipients"]);
        assert_eq!(review["recipients"], json!([]));
        // Lists of a quarter of the recipients or more are letters, one per recipient.
        let places = |list: &Value| match list.as_str() {
            Some(letters) => {
                json!(letters.char_indices().filter(|(_, c)| *c == '1').map(|(i, _)| i).collect::<Vec<_>>())
            }
            None => list.clone(),
        };
        let mut review = review.clone();
        let external = review["findings"].as_array().unwrap().iter().find(|f| f["code"] == "external-recipient");
        assert_eq!(external.unwrap()["recipients"], "0111111111", "{review}");
        assert_eq!(review["groups"][1]["members"], json!([1, 7]), "a short list stays a list");
        for group in review["groups"].as_array_mut().unwrap() {
            group["members"] = places(&group["members"]);
        }
        for finding in review["findings"].as_array_mut().unwrap() {
            finding["recipients"] = places(&finding["recipients"]);
        }
        for key in plain.as_object().unwrap().keys().filter(|k| *k != "recipients") {
            assert_eq!(review[key], plain[key], "{key}");
        }
        // The entries as the caller gave them, To, Cc and Bcc in that order.
        let entries: Vec<&str> = ["to", "cc", "bcc"]
            .iter()
            .flat_map(|f| given[f].as_array().unwrap())
            .map(|e| e.as_str().unwrap_or_else(|| e["value"].as_str().unwrap()))
            .collect();
        let letter = |column: &str, i: usize| c[column].as_str().unwrap().chars().nth(i).unwrap();
        assert_eq!(c.get("index"), None, "every index is its place");
        let count = c["field"].as_str().unwrap().len();
        let expanded: Vec<Value> = (0..count)
            .map(|i| {
                let list = c["list"].as_array().unwrap().iter().find(|pair| pair[0] == i).map(|pair| pair[1].clone());
                let entry = c.get("entry").map_or(i, |e| e[i].as_u64().unwrap() as usize);
                let (name, address) = match letter("from", i) {
                    'a' => (Value::Null, json!(entries[entry])),
                    'n' => {
                        let (name, rest) = entries[entry].rsplit_once(" <").unwrap();
                        (json!(name), json!(rest.strip_suffix('>').unwrap()))
                    }
                    't' => {
                        let text = c["text"].as_array().unwrap().iter().find(|t| t[0] == i).unwrap();
                        (text[1].clone(), text[2].clone())
                    }
                    other => panic!("{other}"),
                };
                json!({
                    "index": i,
                    "field": match letter("field", i) { 'c' => "cc", 'b' => "bcc", _ => "to" },
                    "name": name,
                    "address": address,
                    "domain": c["domains"][c["domain"][i].as_u64().unwrap() as usize],
                    "class": if letter("class", i) == 'i' { "internal" } else { "external" },
                    "list": list.unwrap_or(Value::Null),
                    "valid": letter("valid", i) == '1',
                })
            })
            .collect();
        assert_eq!(Value::Array(expanded), plain["recipients"]);
        assert_eq!(plain["recipients"].as_array().unwrap().len(), 10);
        // Each way of giving them back is used: the plain entries are not sent back.
        assert_eq!(c["from"], "naattttaan");
        assert!(c.get("entry").is_some(), "an entry of two addresses moves the later ones");
    }

    #[test]
    fn a_finding_says_its_tag_how_to_fix_it_and_its_one_click_fixes_in_the_language() {
        let draft: DraftDto = serde_json::from_value(json!({
            "to": (0..12).map(|i| format!("p{i}@partner{}.example", i % 2)).collect::<Vec<_>>(),
            "subject": "x", "body": "y"
        }))
        .unwrap();
        for (lang, tag) in [("ja", "宛先が互いに見える"), ("en", "Visible to each other"), ("zh-CN", "收件人彼此可见")]
        {
            let core = CheckerCore::new(Ok(json!({"internalDomains": ["corp.example"]})), lang);
            let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
            let findings = out["findings"].as_array().unwrap();
            let bulk = findings.iter().find(|f| f["code"] == "bulk-visible-recipients").unwrap();
            assert_eq!(bulk["tag"], tag);
            assert_eq!(bulk["fixes"], json!(["move-external-to-bcc"]));
            assert!(!bulk["howToFix"].as_str().unwrap().is_empty());
            let external = findings.iter().find(|f| f["code"] == "external-recipient").unwrap();
            assert_eq!(external["fixes"], json!([]));
        }
    }

    #[test]
    fn the_context_brings_the_address_books() {
        let core = CheckerCore::new(Ok(json!({"internalDomains": ["corp.example"]})), "en");
        let draft: DraftDto =
            serde_json::from_value(json!({"to": ["Known <KNOWN@Partner.Example>", "new@partner.example"]})).unwrap();
        let context: ContextDto =
            serde_json::from_value(json!({"contacts": ["Known One <known@partner.example>", "x@other.example"]}))
                .unwrap();
        let out = serde_json::to_value(core.check(&draft, &context)).unwrap();
        let new: Vec<&Value> =
            out["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "new-recipient").collect();
        assert_eq!(new.len(), 1);
        assert_eq!(new[0]["recipients"], json!([1]));
        // Without address books nobody is "new": the parsed address books of the previous
        // check must not linger.
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        assert!(out["findings"].as_array().unwrap().iter().all(|f| f["code"] != "new-recipient"));
        // Other address books, other answer.
        let context: ContextDto = serde_json::from_value(json!({"contacts": ["new@partner.example"]})).unwrap();
        let out = serde_json::to_value(core.check(&draft, &context)).unwrap();
        let new: Vec<&Value> =
            out["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "new-recipient").collect();
        assert_eq!(new[0]["recipients"], json!([0]));
    }

    #[test]
    fn findings_carry_excerpts_and_rule_ids() {
        let core = CheckerCore::new(
            Ok(json!({"internalDomains": ["corp.example"], "keywords": [{"id": "secret", "pattern": "社外秘"}]})),
            "ja",
        );
        let draft: DraftDto = serde_json::from_value(json!({
            "to": ["x@partner.example"],
            "subject": "社外秘の資料",
            "body": "",
            "attachments": [{"name": "社外秘.pdf", "size": 1}]
        }))
        .unwrap();
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        let keyword = out["findings"].as_array().unwrap().iter().find(|f| f["code"] == "keyword").unwrap();
        assert_eq!(keyword["ruleId"], "secret");
        assert_eq!(
            keyword["excerpts"],
            json!([
                {"part": "subject", "before": "", "text": "社外秘", "after": "の資料"},
                {"part": "attachment", "attachment": 0, "before": "", "text": "社外秘", "after": ".pdf"}
            ])
        );
        let external = out["findings"].as_array().unwrap().iter().find(|f| f["code"] == "external-recipient").unwrap();
        assert_eq!(external["ruleId"], Value::Null);
        assert_eq!(external["excerpts"], json!([]));
    }

    #[test]
    fn user_settings_are_merged_and_their_problems_are_warnings() {
        let core = CheckerCore::with_user(
            Ok(json!({"rules": {"empty-subject": {"severity": "block"}}})),
            Ok(json!({"rules": {"empty-subject": {"severity": "warn"}, "empty-body": {"severity": "block"}}})),
            "en",
        );
        let out = serde_json::to_value(core.check(&DraftDto::default(), &ContextDto::default())).unwrap();
        let severities: Vec<(&str, &str)> = out["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["code"].as_str().unwrap(), f["severity"].as_str().unwrap()))
            .collect();
        assert_eq!(severities, [("empty-subject", "block"), ("empty-body", "block")]);
        assert_eq!(out["degraded"], false);
        assert_eq!(out["diagnostics"][0]["source"], "user");
        assert_eq!(out["diagnostics"][0]["level"], "warning");
        assert_eq!(out["diagnostics"][0]["path"], "rules.empty-subject.severity");

        let core = CheckerCore::with_user(Ok(Value::Null), Err("cyclic object".into()), "en");
        assert!(!core.loaded.policy.degraded);
        assert_eq!(core.diagnostics()[0].source, "user");
        assert!(core.diagnostics()[0].message.contains("cyclic object"));
    }

    #[test]
    fn the_dialog_plan_carries_the_policy_dialog_keys() {
        let core = CheckerCore::new(
            Ok(json!({"internalDomains": ["corp.example"],
                      "dialog": {"confirmSender": true, "allowCheckAll": {"external": true},
                                 "retypeAttachmentNamesForExternal": true, "countdownSeconds": 5,
                                 "allowSendNow": false}})),
            "en",
        );
        let review = |to: &str| {
            let draft: DraftDto = serde_json::from_value(json!({"to": [to]})).unwrap();
            serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap()["dialog"].clone()
        };
        assert_eq!(
            review("x@partner.example"),
            json!({"show": true, "requireInternalTick": true, "confirmSender": true,
                   "allowCheckAll": {"internal": true, "external": true},
                   "retypeAttachmentNames": true, "countdownSeconds": 5, "allowSendNow": false})
        );
        // File names are retyped only when the mail leaves the organisation.
        assert_eq!(review("boss@corp.example")["retypeAttachmentNames"], false);
    }

    #[test]
    fn the_effective_policy_lists_every_check_and_dialog_key() {
        let core = CheckerCore::new(
            Ok(json!({"internalDomains": ["corp.example", "*.XN--WGV71A.example"],
                      "rules": {"external-recipient": {"severity": "warn"}}})),
            "ja",
        );
        let out = serde_json::to_value(core.effective_policy()).unwrap();
        assert_eq!(out["internalDomains"], json!(["corp.example", "*.日本.example"]));
        assert_eq!(out["rules"]["external-recipient"]["severity"], "warn");
        assert_eq!(out["rules"].as_object().unwrap().len(), Code::ALL.len());
        assert_eq!(out["dialog"]["allowCheckAll"], json!({"internal": true, "external": false}));
        assert_eq!(out["dialog"]["countdownSeconds"], 0);
        assert_eq!(out["userMayAddInternalDomains"], false);
        assert_eq!(out["degraded"], false);
        let listed = codes("ja");
        assert_eq!(listed.len(), Code::ALL.len());
        assert_eq!(serde_json::to_value(&listed[0]).unwrap()["code"], "external-recipient");
    }

    #[test]
    fn a_policy_given_as_text_has_its_diagnostics_located() {
        let text = "{\n  \"internalDomain\": [\"corp.example\"],\n  \"rules\": {\"empty-subject\": {\"severity\": \"blok\"}}\n}";
        let core = CheckerCore::from_text(text, "en");
        let at: Vec<(String, Option<usize>, Option<usize>)> =
            core.diagnostics().into_iter().map(|d| (d.path, d.line, d.column)).collect();
        assert_eq!(
            at,
            [
                ("internalDomain".to_string(), Some(2), Some(3)),
                ("rules.empty-subject.severity".to_string(), Some(3), Some(43)),
            ]
        );
        // The review carries the same positions.
        let review = serde_json::to_value(core.check(&DraftDto::default(), &ContextDto::default())).unwrap();
        assert_eq!(review["diagnostics"][0]["line"], 2);

        // A syntax error points where the parser stopped, counting Japanese text as characters.
        let core = CheckerCore::from_text("{\n  \"社内\": [1,]\n}", "ja");
        let d = &core.diagnostics()[0];
        assert_eq!((d.line, d.column), (Some(2), Some(12)));
        // A policy given as a value has no text to point into.
        let core = CheckerCore::new(Ok(json!({"nope": 1})), "en");
        assert_eq!(core.diagnostics()[0].line, None);
        assert!(serde_json::to_value(&core.diagnostics()[0]).unwrap().get("line").is_none());
    }

    #[test]
    fn an_unreadable_policy_blocks_with_its_reason_and_a_normal_check_has_no_failure() {
        // Issue #11: when the admin's policy cannot be applied at all, Send stays disabled.
        let core = CheckerCore::unreadable("storage.managed timed out", "en");
        let draft: DraftDto =
            serde_json::from_value(json!({"to": ["a@corp.example"], "subject": "s", "body": "b"})).unwrap();
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        assert_eq!(out["verdict"], "block");
        assert_eq!(out["failure"]["sendAllowed"], false);
        assert!(out["failure"]["reason"].as_str().unwrap().contains("storage.managed timed out"), "{out}");
        assert_eq!(out["degraded"], true);
        assert_eq!(out["dialog"]["show"], true);

        let core = CheckerCore::new(Ok(json!({"internalDomains": ["corp.example"]})), "en");
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        assert_eq!(out["failure"], Value::Null);
        assert!(out.as_object().unwrap().contains_key("failure"));
        assert_eq!(out["verdict"], "ok");
    }

    #[test]
    fn the_effective_policy_says_what_happens_on_failure() {
        let core = CheckerCore::new(Ok(Value::Null), "en");
        assert_eq!(serde_json::to_value(core.effective_policy()).unwrap()["onFailure"], "block");
        let core = CheckerCore::new(Ok(json!({"onFailure": "confirm"})), "en");
        assert_eq!(serde_json::to_value(core.effective_policy()).unwrap()["onFailure"], "confirm");
    }

    #[test]
    fn a_deep_policy_text_is_degraded_and_its_diagnostic_located() {
        // Issue #11: the playground and `policy check` get the path and the line of what was dropped.
        let deep = "[".repeat(3100) + &"]".repeat(3100);
        let text = format!(
            "{{\n  \"knownDomains\": [\"partner.example\"],\n  \"rules\": {deep},\n  \"onFailure\": \"confirm\"\n}}"
        );
        let core = CheckerCore::from_text(&text, "en");
        assert!(core.loaded.policy.degraded);
        let diagnostics = core.diagnostics();
        let deep = diagnostics.iter().find(|d| d.message.contains("nested deeper than")).expect("reported");
        assert_eq!(deep.path, format!("rules{}", "[0]".repeat(31)));
        assert_eq!(deep.line, Some(3));
        assert_eq!(serde_json::to_value(core.effective_policy()).unwrap()["onFailure"], "confirm");
        assert_eq!(core.loaded.policy.known_domains.patterns().len(), 1);
    }

    #[test]
    fn a_duplicate_key_in_policy_text_is_located() {
        let core = CheckerCore::from_text(
            "{\n\"rules\": {\"keyword\": {\"severity\": \"block\",\n \"severity\": \"off\"}}}",
            "en",
        );
        let d = &core.diagnostics()[0];
        assert_eq!((d.path.as_str(), d.level), ("rules.keyword.severity", "error"));
        // It points at the second writing of the key.
        assert_eq!(d.line, Some(3));
        assert_eq!(core.loaded.policy.rules.severity(Code::Keyword), misend_guard_rules::Severity::Block);
    }

    #[test]
    fn an_address_with_a_broken_domain_is_invalid_and_external() {
        // Issue #11: under `*.corp.example` these were valid and internal, so with
        // `skipWhenInternalOnly` such a typo got no dialog.
        let core = CheckerCore::new(
            Ok(
                json!({"internalDomains": ["corp.example", "*.corp.example"], "dialog": {"skipWhenInternalOnly": true}}),
            ),
            "en",
        );
        for to in ["aaa@x..corp.example", "aaa@-x.corp.example", "aaa@#x.corp.example", "a@b@corp.example"] {
            let draft: DraftDto = serde_json::from_value(json!({"to": [to], "subject": "s", "body": "b"})).unwrap();
            let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
            assert_eq!(out["recipients"].as_array().unwrap().len(), 1, "{to}");
            assert_eq!(
                (&out["recipients"][0]["valid"], &out["recipients"][0]["class"]),
                (&json!(false), &json!("external")),
                "{to}"
            );
            assert_eq!(out["dialog"]["show"], true, "{to}");
        }
        let draft: DraftDto = serde_json::from_value(json!({"to": ["\"a b\"@corp.example"]})).unwrap();
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        assert_eq!(out["recipients"][0]["address"], "\"a b\"@corp.example");
        assert_eq!(out["recipients"][0]["class"], "internal");
    }

    #[test]
    fn every_review_carries_the_record_settings_with_the_persons_own() {
        let draft: DraftDto = serde_json::from_value(json!({"to": ["x@partner.example"]})).unwrap();
        let core = CheckerCore::new(Ok(json!({})), "en");
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        assert_eq!(out["auditLog"], json!({"enabled": false, "retentionDays": 90, "subjects": false}));
        let admin = json!({"auditLog": {"enabled": true, "retentionDays": 30}});
        let user = json!({"auditLog": {"enabled": false, "retentionDays": 400, "subjects": true}});
        let core = CheckerCore::with_user(Ok(admin), Ok(user), "en");
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        assert_eq!(out["auditLog"], json!({"enabled": true, "retentionDays": 400, "subjects": true}));
        let effective = serde_json::to_value(core.effective_policy()).unwrap();
        assert_eq!(effective["auditLog"], out["auditLog"]);
        let out =
            serde_json::to_value(CheckerCore::unreadable("x", "en").check(&draft, &ContextDto::default())).unwrap();
        assert_eq!(out["auditLog"]["enabled"], false);
    }

    #[test]
    fn every_review_says_how_to_inspect_and_contents_states_reach_the_rows() {
        let core =
            CheckerCore::new(Ok(json!({"inspection": {"maxBytes": 1000, "maxDepth": 1, "timeoutSeconds": 5}})), "en");
        let draft: DraftDto = serde_json::from_value(json!({
            "to": ["x@partner.example"],
            "attachments": [
                {"name": "a.txt", "size": 1},
                {"name": "b.txt", "size": 1, "contents": {"state": "pending"}},
                {"name": "c.txt", "size": 1, "contents": {"state": "inspected",
                    "facts": {"name": "c.txt", "size": 1, "kind": "text", "text": [{"place": "line 1", "text": "x"}]}}},
                {"name": "d.txt", "size": 1, "contents": {"state": "failed", "reason": "too-large", "detail": "60 MB"}},
                {"name": "e.txt", "size": 1, "contents": {"state": "what"}}
            ]
        }))
        .unwrap();
        let out = serde_json::to_value(core.check(&draft, &ContextDto::default())).unwrap();
        let states: Vec<&str> =
            out["attachments"].as_array().unwrap().iter().map(|a| a["inspection"].as_str().unwrap()).collect();
        assert_eq!(states, ["off", "pending", "inspected", "failed", "failed"]);
        assert_eq!(out["inspection"]["enabled"], true);
        assert_eq!(out["inspection"]["limits"]["maxBytes"], 1000);
        assert_eq!(out["inspection"]["limits"]["maxDepth"], 1);
        assert_eq!(out["inspection"]["maxTotalBytes"], 52428800);
        assert_eq!(out["inspection"]["timeoutMs"], 5000);
        // The fail-closed review carries the defaults.
        let out =
            serde_json::to_value(CheckerCore::unreadable("x", "en").check(&draft, &ContextDto::default())).unwrap();
        assert_eq!(out["inspection"]["limits"]["maxBytes"], 26214400);
        assert_eq!(out["inspection"]["timeoutMs"], 3000);
    }

    #[test]
    fn an_unconvertible_policy_degrades_with_a_diagnostic() {
        let core = CheckerCore::new(Err("cyclic object".into()), "ja");
        assert!(core.loaded.policy.degraded);
        assert_eq!(core.diagnostics().len(), 1);
    }
}

/// The TypeScript declarations of every JSON shape the engine gives JavaScript, as
/// `extension/engine/review.d.ts` has them.
#[cfg(feature = "typescript")]
pub fn typescript_declarations() -> String {
    use ts_rs::{Config, TS};
    let config = Config::default();
    let mut out = String::from(
        "// @generated by `cargo xtask codegen` from crates/dto (the `typescript` feature). Do not edit.\n\
         // The JSON shapes the engine gives JavaScript: a review, its parts, diagnostics, the\n\
         // policy in effect and the list of checks.\n",
    );
    for decl in [
        ReviewDto::decl(&config),
        RecipientOut::decl(&config),
        GroupOut::decl(&config),
        AttachmentOut::decl(&config),
        InspectionOut::decl(&config),
        AuditLogOut::decl(&config),
        FindingOut::decl(&config),
        ExcerptOut::decl(&config),
        DialogOut::decl(&config),
        CheckAllOut::decl(&config),
        FailureDto::decl(&config),
        DiagnosticDto::decl(&config),
        EffectivePolicyDto::decl(&config),
        EffectiveDialogOut::decl(&config),
        CodeDto::decl(&config),
    ] {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod facts_tests {
    use super::facts_from_value;
    use misend_guard_rules::facts::{
        Assessment, Column, ColumnClass, Encrypted, EncryptionMethod, Entry, Facts, Kind, Problem, Quote, Reason,
        Table, TextChunk, Words,
    };

    /// The facts as the engine reads them: what only the inspector's own judgments need is empty.
    fn read_part(mut facts: Facts) -> Facts {
        facts.name.clear();
        facts.size = 0;
        facts.kind = Kind::Unknown;
        facts.name_kind = None;
        facts.mismatch = false;
        facts.encrypted.clear();
        facts.undecoded.clear();
        facts.problems.clear();
        for table in &mut facts.tables {
            table.columns.clear();
        }
        for entry in &mut facts.entries {
            (entry.size, entry.compressed_size) = (0, 0);
            entry.facts = read_part(std::mem::replace(&mut entry.facts, Facts::new("", 0, Kind::Unknown)));
        }
        facts
    }

    fn words(text: &str) -> Words {
        Words { ja: format!("{text} ja"), en: format!("{text} en"), zh: format!("{text} zh") }
    }

    #[test]
    fn facts_read_from_json_as_serde_writes_them() {
        for (i, &kind) in Kind::ALL.iter().enumerate() {
            let mut inner = Facts::new("inner.txt", 3, Kind::Text);
            inner.text.push(TextChunk { place: "line 1".into(), text: "abc".into() });
            inner.problems.push(Problem { place: "".into(), reason: Reason::Corrupt, detail: "d".into() });
            let mut facts = Facts { name_kind: Some(Kind::Pdf), mismatch: i % 2 == 0, ..Facts::new("a", 9, kind) };
            facts.encrypted.push(Encrypted { place: "x".into(), method: EncryptionMethod::ZipAes });
            // Cells of one row are written as a group and read back one by one.
            for place in
                ["Sheet1!A1", "Sheet1!B1", "Sheet1!B2", "Sheet1!C2", "a!b!C2", "a!b!D2", "Sheet1!x", "lines 1-3"]
            {
                facts.text.push(TextChunk { place: place.into(), text: format!("{place}\t 社外秘") });
            }
            facts.text.push(TextChunk { place: "a!b!E2".into(), text: String::new() });
            facts.tables.push(Table {
                place: "Sheet1".into(),
                header: vec!["氏名".into(), "電話".into()],
                rows: 12 + i as u64,
                columns: vec![Column { header: "氏名".into(), class: Some(ColumnClass::Phone), samples: Vec::new() }],
            });
            facts.entries.push(Entry { path: "in/a.txt".into(), compressed_size: 2, size: 3, facts: inner });
            for code in ["attachment-encrypted", "attachment-personal-data"].iter().take(i % 3) {
                let excerpts = vec![Quote { place: "in/a.txt".into(), text: words("quote") }; i % 2];
                facts.assessments.push(Assessment { code: code.to_string(), message: words(code), excerpts });
            }
            let json = serde_json::to_value(&facts).unwrap();
            assert_eq!(facts_from_value(&json, 0), Some(read_part(facts)), "{json}");
        }
        assert_eq!(facts_from_value(&serde_json::json!("x"), 0), None);
        let odd = facts_from_value(&serde_json::json!({"kind": "future-kind", "text": [{"text": 1}]}), 0).unwrap();
        assert_eq!(odd.text.len(), 1);
    }
}
