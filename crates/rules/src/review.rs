//! The engine's output: the review the dialog shows.
//!
//! Architecture invariant: every distinct recipient address of the draft appears exactly
//! once in [`Review::recipients`] and in exactly one [`Group`]. An address given twice
//! (in To and in Bcc, or typed and also in a mailing list) is listed once, in its most
//! visible field, because that is how the other recipients will see it.

use std::hash::{BuildHasher, BuildHasherDefault};

use crate::address::{each_mailbox, key_into, parse_mailboxes, Domains};
use crate::checks::{self, Subject};
use crate::code::Severity;
use crate::contacts::Contacts;
use crate::domain::Domain;
use crate::draft::Contents;
use crate::i18n::Lang;
pub use crate::model::{Attachment, Class, Excerpt, Finding, Inspection, Part, Recipient};
use crate::policy::Policy;
use crate::resemblance::{FastHasher, FastMap};
use crate::{Draft, Field};

/// What the caller knows besides the draft: the address books, later the send history.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The language of the messages.
    pub lang: Lang,
    /// The addresses of the user's address books (or the contacts given to the CLI).
    /// Empty means unknown, not "nobody is known": the checks that need it then stay silent.
    pub contacts: Contacts,
    /// The addresses the person has sent mail to (their Sent folders), when known.
    /// `None` means the history is not known yet: `first-time-recipient` then stays silent.
    pub sent: Option<Contacts>,
}

/// A group of recipients as the dialog shows them: the internal ones, then one group per
/// external domain, in order of first appearance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Internal or external.
    pub class: Class,
    /// The domain, for an external group (display form).
    pub domain: Option<String>,
    /// Indices into [`Review::recipients`].
    pub members: Vec<usize>,
}

/// The verdict of a mail: its highest severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Nothing above `info`.
    Ok,
    /// At least one `warn`.
    Warn,
    /// At least one `block`: Send cannot be pressed.
    Block,
}

impl Verdict {
    /// `ok`, `warn` or `block`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Block => "block",
        }
    }
}

/// What the dialog must ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DialogPlan {
    /// Whether the dialog is shown at all.
    pub show: bool,
    /// Whether internal recipients need a tick.
    pub require_internal_tick: bool,
    /// Whether the sender identity needs its own tick.
    pub confirm_sender: bool,
    /// Whether the internal section offers "tick all".
    pub check_all_internal: bool,
    /// Whether each external domain offers "tick all".
    pub check_all_external: bool,
    /// Whether each attachment is confirmed by typing its name: the policy asks for it and
    /// the mail has an external recipient.
    pub retype_attachment_names: bool,
    /// Seconds of countdown after Send.
    pub countdown_seconds: u32,
    /// Whether the countdown offers "Send now".
    pub allow_send_now: bool,
}

/// The review of a draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// The highest severity of the findings.
    pub verdict: Verdict,
    /// The sender identity, parsed, when given.
    pub sender: Option<Recipient>,
    /// Every recipient, once.
    pub recipients: Vec<Recipient>,
    /// The recipients grouped for display: internal first, then external by domain.
    pub groups: Vec<Group>,
    /// Every attachment.
    pub attachments: Vec<Attachment>,
    /// The findings, most severe first.
    pub findings: Vec<Finding>,
    /// What the dialog asks.
    pub dialog: DialogPlan,
}

/// Reviews a draft under a policy.
pub fn review(draft: &Draft, policy: &Policy, context: &Context) -> Review {
    // The sender is parsed once: it is listed for its own tick, and without internal domains
    // its domain is what counts as internal.
    let from = draft.from.as_deref().and_then(|from| parse_mailboxes(from).into_iter().next()).map(|m| {
        let domain = Domain::lossy(m.domain_part());
        (m, domain)
    });
    let inside = Inside::new(policy, from.as_ref().filter(|(m, _)| m.valid).map(|(_, domain)| domain.clone()));
    let recipients = collect_recipients(draft, &inside);
    let attachments: Vec<Attachment> = draft
        .attachments
        .iter()
        .enumerate()
        .map(|(index, a)| Attachment {
            index,
            name: a.name.clone(),
            size: a.size,
            // With inspection turned off by the policy, what a caller found is not looked at.
            inspection: match &a.contents {
                _ if !policy.inspection.enabled => Inspection::Off,
                Contents::Off => Inspection::Off,
                Contents::Pending => Inspection::Pending,
                Contents::Inspected(_) => Inspection::Inspected,
                Contents::Failed { .. } => Inspection::Failed,
            },
        })
        .collect();
    let sender = from.map(|(m, domain)| Recipient {
        index: 0,
        key: m.key(&domain),
        field: Field::To,
        class: inside.classify(&domain, m.valid),
        domain_display: domain.to_unicode().into(),
        domain,
        name: m.name,
        address: m.address,
        list: None,
        valid: m.valid,
        entry: None,
        domain_id: usize::MAX,
    });

    let mut findings = Vec::new();
    let mut subject = Subject::new(draft, &recipients, &attachments, policy, context.lang, &context.contacts);
    subject.sent = context.sent.as_ref();
    subject.sender = sender.as_ref();
    checks::run_all(&subject, &mut findings);
    findings.retain(|f| f.severity != Severity::Off);
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(&b.code)));

    let verdict = match findings.iter().map(|f| f.severity).max() {
        Some(Severity::Block) => Verdict::Block,
        Some(Severity::Warn) => Verdict::Warn,
        _ => Verdict::Ok,
    };
    let internal_only = recipients.iter().all(|r| r.class == Class::Internal);
    let show = policy.degraded
        || recipients.is_empty()
        || !(policy.dialog.skip_when_internal_only && internal_only && verdict == Verdict::Ok);
    let groups = group(&recipients);
    Review {
        verdict,
        sender,
        recipients,
        groups,
        attachments,
        findings,
        dialog: DialogPlan {
            show,
            require_internal_tick: policy.dialog.require_internal_tick,
            confirm_sender: policy.dialog.confirm_sender,
            check_all_internal: policy.dialog.check_all_internal,
            check_all_external: policy.dialog.check_all_external,
            retype_attachment_names: policy.dialog.retype_attachment_names_for_external && !internal_only,
            countdown_seconds: policy.dialog.countdown_seconds,
            allow_send_now: policy.dialog.allow_send_now,
        },
    }
}

/// What counts as internal in one review.
///
/// Without internal domains (no policy, and none added by the person), the sending identity's
/// own domain is internal: a mail to a colleague and one partner is not "two outside
/// organisations", and the colleague is not offered a move to Bcc (issue #9).
#[derive(Debug)]
enum Inside<'a> {
    /// The policy's internal domains.
    Policy(&'a Policy),
    /// The sender's domain, when the sender is known.
    Sender(Option<Domain>),
}

impl<'a> Inside<'a> {
    /// `sender` is the domain of a valid sender address, when there is one.
    fn new(policy: &'a Policy, sender: Option<Domain>) -> Inside<'a> {
        if policy.internal_domains.patterns().is_empty() {
            Inside::Sender(sender)
        } else {
            Inside::Policy(policy)
        }
    }

    /// Whether a domain is inside, whatever the address.
    fn contains(&self, domain: &Domain) -> bool {
        match self {
            Inside::Policy(policy) => policy.internal_domains.matches(domain),
            Inside::Sender(sender) => sender.as_ref() == Some(domain),
        }
    }

    fn classify(&self, domain: &Domain, valid: bool) -> Class {
        if valid && self.contains(domain) {
            Class::Internal
        } else {
            Class::External
        }
    }
}

fn collect_recipients(draft: &Draft, inside: &Inside<'_>) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = Vec::with_capacity(draft.recipients.len());
    // Each key's hash, to the first recipient with it; `same_hash` links the others. The keys
    // are kept once, in the recipients, and the one being looked up is written into `key`,
    // so that a recipient costs no copy of its key beyond its own (issue #13).
    let hasher = BuildHasherDefault::<FastHasher>::default();
    let mut seen: FastMap<u64, usize> = FastMap::default();
    seen.reserve(draft.recipients.len());
    let mut same_hash: Vec<usize> = Vec::with_capacity(draft.recipients.len());
    let mut key = String::new();
    // Each distinct domain is normalized and classified once (issue #13).
    let mut domains = Domains::default();
    let mut inside_by_domain: Vec<Option<bool>> = Vec::new();
    // Per domain text, its domain's place among the distinct normal forms.
    let mut id_by_domain: Vec<Option<usize>> = Vec::new();
    let mut ids: FastMap<Domain, usize> = FastMap::default();
    for (e, entry) in draft.recipients.iter().enumerate() {
        each_mailbox(&entry.raw, &mut domains, |name, address, valid, id, facts| {
            key_into(address, valid, &facts.normal, &mut key);
            let hash = hasher.hash_one(key.as_str());
            let mut at = seen.get(&hash).copied();
            while let Some(i) = at {
                if out[i].key == key {
                    break;
                }
                at = Some(same_hash[i]).filter(|&next| next != usize::MAX);
            }
            if let Some(i) = at {
                let existing = &mut out[i];
                if entry.field < existing.field {
                    existing.field = entry.field;
                }
                if existing.name.is_none() {
                    existing.name = name.map(str::to_string);
                }
                if existing.list.is_some() && entry.list.is_none() {
                    existing.list = None;
                }
                return;
            }
            let index = out.len();
            same_hash.push(seen.insert(hash, index).unwrap_or(usize::MAX));
            if inside_by_domain.len() <= id {
                inside_by_domain.resize(id + 1, None);
                id_by_domain.resize(id + 1, None);
            }
            let is_inside = *inside_by_domain[id].get_or_insert_with(|| inside.contains(&facts.normal));
            let domain_id = *id_by_domain[id].get_or_insert_with(|| {
                let next = ids.len();
                *ids.entry(facts.normal.clone()).or_insert(next)
            });
            out.push(Recipient {
                index,
                key: key.clone(),
                field: entry.field,
                class: if valid && is_inside { Class::Internal } else { Class::External },
                domain_display: facts.display.clone(),
                domain: facts.normal.clone(),
                name: name.map(str::to_string),
                address: address.to_string(),
                list: entry.list.clone(),
                valid,
                entry: Some(e),
                domain_id,
            });
        });
    }
    out
}

fn group(recipients: &[Recipient]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let internal: Vec<usize> = recipients.iter().filter(|r| r.class == Class::Internal).map(|r| r.index).collect();
    if !internal.is_empty() {
        groups.push(Group { class: Class::Internal, domain: None, members: internal });
    }
    let mut by_domain: FastMap<&Domain, usize> = FastMap::default();
    for r in recipients.iter().filter(|r| r.class == Class::External) {
        match by_domain.get(&r.domain) {
            Some(&g) => groups[g].members.push(r.index),
            None => {
                by_domain.insert(&r.domain, groups.len());
                groups.push(Group {
                    class: Class::External,
                    domain: Some(r.domain_display.to_string()),
                    members: vec![r.index],
                });
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::DraftRecipient;

    #[test]
    fn recipients_of_one_domain_share_its_place_however_it_is_written() {
        let policy = Policy::load(&serde_json::json!({"internalDomains": ["corp.example"]}), Lang::En).policy;
        let draft = Draft {
            recipients: [
                "a@Partner.Example",
                "b@other.example",
                "c@partner.example",
                "d@corp.example",
                "e@PARTNER.example",
            ]
            .iter()
            .map(|raw| DraftRecipient::new(Field::To, raw.to_string()))
            .collect(),
            ..Draft::default()
        };
        let review = review(&draft, &policy, &Context { lang: Lang::En, ..Context::default() });
        let ids: Vec<usize> = review.recipients.iter().map(|r| r.domain_id).collect();
        assert_eq!(ids, [0, 1, 0, 2, 0]);
        let message = |code: Code| review.findings.iter().find(|f| f.code == code).map(|f| f.message.clone());
        assert_eq!(
            message(Code::ExternalRecipient).as_deref(),
            Some("4 external recipients (partner.example, other.example).")
        );
        let mixed = message(Code::MixedExternalDomains).unwrap();
        assert!(mixed.contains("2 outside organisations (partner.example, other.example)"), "{mixed}");
    }
}
