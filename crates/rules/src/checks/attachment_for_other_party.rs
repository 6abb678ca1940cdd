//! `attachment-for-other-party`: an attachment whose file name, or the first lines of a
//! document in it, names a known organisation that none of the recipients belongs to.
//!
//! Why: the quotation for アルファ商事 attached to the mail for ベータ工業
//! (`見積書_株式会社アルファ商事様.pdf`) discloses one customer's prices to another, and the
//! file name says so before anyone opens it. The file name is split at `_`, `-`, brackets and
//! spaces, 様/御中/宛 are dropped, and each piece (alone, or two or three together) is compared
//! with the known organisations after normalisation (full width, `㈱`, legal-entity markers).
//! When the attachment was looked inside, the first lines of each document are read the same
//! way, line by line: a quotation or an invoice names its addressee at the top
//! (`株式会社アルファ商事 御中`), whatever the file is called.
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

use super::contents::walk;
use super::{shortlist, Code, Subject};
use crate::domain::Domain;
use crate::model::{Attachment, Class, Finding, Part, Recipient};
use crate::text::excerpt;

/// The lines read at the top of each document, and at most how much of each.
const FIRST_LINES: usize = 3;
const LINE_CHARS: usize = 80;

/// Where an attachment names an organisation: its file name, or a line at the top of a document
/// inside it (with the document's place, empty for the attachment itself).
enum Named {
    FileName,
    FirstLines { place: String, line: String },
}

/// The texts of an attachment that may name whom it is for: its file name, then the first
/// non-empty lines of each document inside it.
fn named_texts(subject: &Subject<'_>, attachment: &Attachment) -> Vec<(String, Named)> {
    let mut texts = vec![(attachment.name.clone(), Named::FileName)];
    if let Some(facts) = subject.facts(attachment.index) {
        for (facts, path) in walk(facts) {
            let lines = facts.text.iter().flat_map(|chunk| {
                chunk.text.lines().map(str::trim).filter(|l| !l.is_empty()).map(move |line| (chunk, line))
            });
            for (chunk, line) in lines.take(FIRST_LINES) {
                let line: String = line.chars().take(LINE_CHARS).collect();
                let place = super::contents::join(&path, &chunk.place);
                texts.push((line.clone(), Named::FirstLines { place, line }));
            }
        }
    }
    texts
}

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    if subject.attachments.is_empty() {
        return;
    }
    let knowledge = subject.knowledge();
    // Each recipient's registrable domain is found once, not once per organisation asked about.
    let recipients: Vec<(&Recipient, &str)> =
        subject.recipients.iter().filter(|r| r.valid).map(|r| (r, r.domain.registrable())).collect();
    if recipients.is_empty() {
        return;
    }
    // The review parsed the sender already.
    let sender = subject.sender.filter(|s| s.valid);
    for attachment in subject.attachments {
        let named = named_texts(subject, attachment);
        let found =
            named.iter().flat_map(|(text, at)| knowledge.orgs_named_in(text).into_iter().map(move |org| (org, at)));
        for (org, at) in found {
            if recipients.iter().any(|(r, registrable)| knowledge.belongs(&r.key, registrable, &org)) {
                continue;
            }
            let domains = knowledge.org_domains(&org);
            // The sender's own organisation, or one the policy calls internal, is on its own papers.
            let own = sender.is_some_and(|s| knowledge.belongs(&s.key, s.domain.registrable(), &org))
                || domains
                    .iter()
                    .any(|d| Domain::parse(d).is_some_and(|d| subject.policy.internal_domains.matches(&d)));
            if own {
                continue;
            }
            let others: Vec<String> = recipients
                .iter()
                .filter(|(r, _)| r.class == Class::External)
                .filter_map(|(r, registrable)| knowledge.org_of(&r.key, registrable))
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
            // Where the name was seen: the file name, or the top of the document.
            let (ja_at, en_at, zh_at) = match at {
                Named::FileName => ("には", "", "中写有"),
                Named::FirstLines { .. } => ("の冒頭には", " at its top", "的开头写有"),
            };
            // Only the message in the person's language is written out.
            let message = if others.is_empty() {
                lang.pick3(
                    format_args!("添付ファイル {file} {ja_at} {name} とありますが、宛先にその組織の方はいません。"),
                    format_args!(
                        "The attachment {file} names {name}{en_at}, but no recipient is at that organisation."
                    ),
                    format_args!("附件 {file} {zh_at} {name}，但收件人中没有该组织的人。"),
                )
                .to_string()
            } else {
                let list = shortlist(&others, lang);
                lang.pick3(
                    format_args!("添付ファイル {file} {ja_at} {name} とありますが、宛先は {list} の方です。"),
                    format_args!("The attachment {file} names {name}{en_at}, but the recipients are at {list}."),
                    format_args!("附件 {file} {zh_at} {name}，但收件人属于 {list}。"),
                )
                .to_string()
            };
            let shown = match at {
                Named::FileName => {
                    excerpt(&attachment.name, 0..attachment.name.len(), Part::AttachmentName(attachment.index))
                }
                Named::FirstLines { place, line } => {
                    excerpt(line, 0..line.len(), Part::AttachmentContent(attachment.index)).at(place.clone())
                }
            };
            out.push(
                Finding::new(Code::AttachmentForOtherParty, subject.severity(Code::AttachmentForOtherParty), message)
                    .with_attachments(vec![attachment.index])
                    .with_excerpts(vec![shown]),
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
        let attachments = files.iter().map(|f| DraftAttachment::new(*f, Some(10))).collect();
        check_attachments(to, attachments, from, lang)
    }

    fn check_attachments(to: &str, attachments: Vec<DraftAttachment>, from: Option<&str>, lang: Lang) -> Vec<Finding> {
        let draft = Draft {
            from: from.map(str::to_string),
            recipients: vec![DraftRecipient::new(Field::To, to)],
            attachments,
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

    /// A document whose text starts with `text`, under the file name `name`.
    fn document(name: &str, place: &str, text: &str) -> DraftAttachment {
        DraftAttachment {
            contents: crate::checks::testing::text_facts(name, &[(place, text)]),
            ..DraftAttachment::new(name, Some(10))
        }
    }

    #[test]
    fn the_top_of_a_document_names_whom_it_is_for() {
        let quote = document(
            "御見積書.docx",
            "paragraph 1",
            "株式会社アルファ商事 御中\n\n御見積書\n下記のとおりお見積り申し上げます。",
        );
        let found = check_attachments("suzuki@beta-kogyo.example", vec![quote], None, Lang::Ja);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "添付ファイル 御見積書.docx の冒頭には 株式会社アルファ商事 とありますが、宛先は 株式会社ベータ工業 の方です。"
        );
        assert_eq!(found[0].excerpts[0].place, "paragraph 1");
        assert_eq!(found[0].excerpts[0].matched, "株式会社アルファ商事 御中");
        // The right customer, and a company named only further down, are quiet.
        let right = document("御見積書.docx", "paragraph 1", "株式会社ベータ工業 御中\n御見積書");
        assert!(check_attachments("suzuki@beta-kogyo.example", vec![right], None, Lang::Ja).is_empty());
        let later = document(
            "議事録.docx",
            "paragraph 1",
            "議事録\n日時: 12月7日\n場所: 本社\n出席: 株式会社アルファ商事 山田様",
        );
        assert!(check_attachments("suzuki@beta-kogyo.example", vec![later], None, Lang::Ja).is_empty());
    }
}
