//! `attachment-for-other-party`: an attachment whose file name names a known organisation
//! that none of the recipients belongs to.
//!
//! Why: the quotation for アルファ商事 attached to the mail for ベータ工業
//! (`見積書_株式会社アルファ商事様.pdf`) discloses one customer's prices to another, and the
//! file name says so before anyone opens it. The file name is split at `_`, `-`, brackets and
//! spaces, 様/御中/宛 are dropped, and each piece (alone, or two or three together) is compared
//! with the known organisations after normalisation (full width, `㈱`, legal-entity markers).
//!
//! What does not count: an organisation nobody knows (address books, display names, the
//! policy's `organizations`), the organisation of any recipient, and the sender's own
//! organisation (its name is on its own documents). Warn by default.
//!
//! Example policy: `{"rules": {"attachment-for-other-party": {"severity": "block"}}, "organizations": [{"name": ["株式会社アルファ商事"], "domains": ["alpha-shoji.example"]}]}`

check! {
    code: "attachment-for-other-party",
    order: 95,
    default: Warn,
    settings: RawRule,
    summary: {
        ja: "添付ファイル名に、宛先とは別の組織の名前があります（見積書_株式会社アルファ商事様.pdf をベータ工業へ）。",
        en: "An attachment's file name names a known organisation other than the recipients' (a quotation for one customer sent to another).",
        zh: "附件文件名中含有与收件人不同的组织名称。",
    },
    tag: {
        ja: "別の組織あての添付",
        en: "File for another party",
        zh: "附件属于其他组织",
    },
    how_to_fix: {
        ja: "添付ファイルが本当にこの相手あてのものか確認し、違えば外してください。",
        en: "Check that the file is meant for these recipients; if not, remove it.",
        zh: "请确认该附件确实是给这些收件人的；如果不是，请移除。",
    },
}

use super::{shortlist, Code, Subject};
use crate::address::parse_mailboxes;
use crate::domain::Domain;
use crate::model::{Class, Finding, Part};
use crate::text::excerpt;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    if subject.attachments.is_empty() {
        return;
    }
    let knowledge = subject.knowledge();
    let recipients: Vec<_> = subject.recipients.iter().filter(|r| r.valid).collect();
    if recipients.is_empty() {
        return;
    }
    let sender = subject
        .draft
        .from
        .as_deref()
        .and_then(|from| parse_mailboxes(from).into_iter().next())
        .filter(|m| m.valid)
        .map(|m| {
            let domain = Domain::lossy(m.domain_part());
            (m.key(&domain), domain)
        });
    for attachment in subject.attachments {
        for org in knowledge.orgs_named_in(&attachment.name) {
            if recipients.iter().any(|r| knowledge.belongs(&r.key, r.domain.registrable(), &org)) {
                continue;
            }
            let domains = knowledge.org_domains(&org);
            // The sender's own organisation, or one the policy calls internal, is on its own papers.
            let own = sender.as_ref().is_some_and(|(key, domain)| knowledge.belongs(key, domain.registrable(), &org))
                || domains
                    .iter()
                    .any(|d| Domain::parse(d).is_some_and(|d| subject.policy.internal_domains.matches(&d)));
            if own {
                continue;
            }
            let others: Vec<String> = recipients
                .iter()
                .filter(|r| r.class == Class::External)
                .filter_map(|r| knowledge.org_of(&r.key, r.domain.registrable()))
                .filter(|o| *o != org)
                .map(|o| knowledge.org_name(o).unwrap_or(o).to_string())
                .fold(Vec::new(), |mut v, o| {
                    if !v.contains(&o) {
                        v.push(o);
                    }
                    v
                });
            if domains.is_empty() && others.is_empty() {
                continue;
            }
            let name = knowledge.org_name(&org).unwrap_or(&org).to_string();
            let lang = subject.lang;
            let file = &attachment.name;
            let message = if others.is_empty() {
                lang.pick3(
                    format!("添付ファイル {file} には {name} とありますが、宛先にその組織の方はいません。"),
                    format!("The attachment {file} names {name}, but no recipient is at that organisation."),
                    format!("附件 {file} 中写有 {name}，但收件人中没有该组织的人。"),
                )
            } else {
                let list = shortlist(&others, lang);
                lang.pick3(
                    format!("添付ファイル {file} には {name} とありますが、宛先は {list} の方です。"),
                    format!("The attachment {file} names {name}, but the recipients are at {list}."),
                    format!("附件 {file} 中写有 {name}，但收件人属于 {list}。"),
                )
            };
            out.push(
                Finding::new(Code::AttachmentForOtherParty, subject.severity(Code::AttachmentForOtherParty), message)
                    .with_attachments(vec![attachment.index])
                    .with_excerpts(vec![excerpt(
                        &attachment.name,
                        0..attachment.name.len(),
                        Part::AttachmentName(attachment.index),
                    )]),
            );
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Finding;
    use crate::review::{review, Context};
    use crate::{Code, Contacts, Draft, DraftAttachment, DraftRecipient, Field, Lang, Policy};

    fn check(to: &str, files: &[&str], from: Option<&str>, lang: Lang) -> Vec<Finding> {
        let draft = Draft {
            from: from.map(str::to_string),
            recipients: vec![DraftRecipient::new(Field::To, to)],
            attachments: files.iter().map(|f| DraftAttachment::new(*f, Some(10))).collect(),
            ..Draft::default()
        };
        let policy = Policy::load(
            &serde_json::json!({"organizations": [{"name": ["株式会社アルファ商事"], "domains": ["alpha-shoji.example"]}]}),
            Lang::En,
        )
        .policy;
        let contacts = Contacts::from_entries(["鈴木 一郎（株式会社ベータ工業） <suzuki@beta-kogyo.example>"]);
        let context = Context { lang, contacts, ..Context::default() };
        review(&draft, &policy, &context)
            .findings
            .into_iter()
            .filter(|f| f.code == Code::AttachmentForOtherParty)
            .collect()
    }

    #[test]
    fn a_file_named_for_another_company_is_pointed_at() {
        let found =
            check("suzuki@beta-kogyo.example", &["資料.pdf", "見積書_株式会社アルファ商事様.pdf"], None, Lang::Ja);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].attachments, [1]);
        assert_eq!(
            found[0].message,
            "添付ファイル 見積書_株式会社アルファ商事様.pdf には 株式会社アルファ商事 とありますが、宛先は 株式会社ベータ工業 の方です。"
        );
        let en = check("suzuki@beta-kogyo.example", &["Quote (㈱ｱﾙﾌｧ商事).xlsx"], None, Lang::En);
        assert_eq!(en.len(), 1, "{en:?}");
    }

    #[test]
    fn the_recipients_and_the_senders_own_organisation_are_quiet() {
        assert!(check("yamada@alpha-shoji.example", &["見積書_株式会社アルファ商事様.pdf"], None, Lang::En).is_empty());
        assert!(check("suzuki@beta-kogyo.example", &["見積書_ベータ工業御中.pdf"], None, Lang::En).is_empty());
        assert!(check("suzuki@beta-kogyo.example", &["見積書_株式会社ガンマ様.pdf"], None, Lang::En).is_empty());
        let from = Some("営業 <sales@alpha-shoji.example>");
        assert!(check("suzuki@beta-kogyo.example", &["会社案内_アルファ商事.pdf"], from, Lang::En).is_empty());
    }
}
