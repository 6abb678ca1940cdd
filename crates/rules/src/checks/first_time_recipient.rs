//! `first-time-recipient`: an external address the person has never sent mail to, according
//! to their Sent folders.
//!
//! Why: the classic mis-send is the right mail to the wrong person, and the wrong person is
//! very often someone never written to before: auto-completion picked a namesake, or an
//! address was typed from memory (the 2022 railway notice that went to 17 applicants).
//! Cloud products warn on first-time recipients; this does it on the PC, from the person's
//! own sent mail. It differs from `new-recipient`, which asks the address books: Thunderbird
//! collects every address written to, so an address book knows a mistyped address after one
//! mail, while the Sent folders know only where mail really went.
//!
//! The caller passes the sent history (the add-on an index of the addresses of its Sent
//! folders, To, Cc and Bcc alike, holding addresses only; the CLI reads `--sent`). When it
//! passes none (the index is not built yet), the check stays silent: a warning on every
//! recipient would teach people to ignore it. Internal recipients and members of an
//! address-book mailing list are not judged. Info by default; admins may raise it.
//!
//! Example policy: `{"rules": {"first-time-recipient": {"severity": "warn"}}}`

check! {
    code: "first-time-recipient",
    order: 75,
    default: Info,
    settings: RawRule,
    summary: {
        ja: "送信済みフォルダーによると、これまでメールを送ったことのない社外の宛先です。",
        en: "An external address the person has never sent mail to, according to their Sent folders.",
        zh: "根据已发送文件夹，这是从未发送过邮件的外部地址。",
    },
    tag: {
        ja: "初めて送る相手",
        en: "First mail",
        zh: "首次发送",
    },
    how_to_fix: {
        ja: "これまで送ったことのない宛先です。本当にこの相手か確認してください。",
        en: "You have never sent mail to this address. Check that this is the right person.",
        zh: "您从未给该地址发送过邮件。请确认收件人是否正确。",
    },
}

use super::{shortlist, Code, Subject};
use crate::model::{Class, Finding};

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(sent) = subject.sent else {
        return;
    };
    let first: Vec<usize> = subject
        .recipients
        .iter()
        .filter(|r| r.valid && r.class == Class::External && r.list.is_none() && !sent.knows_address(&r.key))
        .map(|r| r.index)
        .collect();
    if first.is_empty() {
        return;
    }
    let addresses: Vec<&str> = first.iter().map(|&i| subject.recipients[i].address.as_str()).collect();
    let list = shortlist(&addresses, subject.lang);
    let n = first.len();
    let message = subject.lang.pick3(
        format!(
            "これまで一度も送ったことのない社外の宛先が {n} 件あります（{list}）。本当にこの相手か確認してください。"
        ),
        format!(
            "{n} external recipient{} never written to before ({list}). Check that this is the right person.",
            if n == 1 { " is" } else { "s are" }
        ),
        format!("有 {n} 个从未发送过邮件的外部收件人（{list}）。请确认收件人是否正确。"),
    );
    out.push(
        Finding::new(Code::FirstTimeRecipient, subject.severity(Code::FirstTimeRecipient), message)
            .with_recipients(first),
    );
}

#[cfg(test)]
mod tests {
    use crate::model::Finding;
    use crate::review::{review, Context};
    use crate::{Code, Contacts, Draft, DraftRecipient, Field, Lang, Policy};

    fn first_time(recipients: &[&str], sent: Option<&[&str]>) -> Vec<Finding> {
        let draft = Draft {
            recipients: recipients.iter().map(|r| DraftRecipient::new(Field::To, *r)).collect(),
            ..Draft::default()
        };
        let policy = Policy::load(&serde_json::json!({"internalDomains": ["corp.example"]}), Lang::En).policy;
        let context = Context { lang: Lang::En, sent: sent.map(Contacts::from_entries), ..Context::default() };
        review(&draft, &policy, &context).findings.into_iter().filter(|f| f.code == Code::FirstTimeRecipient).collect()
    }

    #[test]
    fn an_address_never_written_to_is_named() {
        let found = first_time(
            &["old@partner.example", "New <NEW@partner.example>", "a@corp.example"],
            Some(&["Old <Old@Partner.example>"]),
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].recipients, vec![1]);
        assert!(found[0].message.contains("NEW@partner.example"), "{}", found[0].message);
    }

    #[test]
    fn silent_without_a_sent_history_and_for_known_or_internal_addresses() {
        assert!(first_time(&["x@partner.example"], None).is_empty());
        assert!(first_time(&["x@partner.example"], Some(&["x@partner.example"])).is_empty());
        assert!(first_time(&["colleague@corp.example"], Some(&[])).is_empty());
        assert_eq!(first_time(&["x@partner.example"], Some(&[])).len(), 1);
    }
}
