//! `similar-recipient`: a recipient that could be taken for another contact, the autocomplete
//! mistake.
//!
//! Why: address auto-completion offers every contact that starts with what was typed; with two
//! 鈴木 一郎 at two companies, `k.tanaka@` at two domains, or `yamada@` and `yamda@` in one
//! company, one keystroke picks the wrong one and the mail goes to the wrong person without
//! anything looking odd. This names the other contact(s), so that the person can see which one
//! they picked.
//!
//! A recipient is compared, by its name (display name, or its contact's name) and by its
//! address, with the address books: the same name, or one or two letters apart (names of five
//! letters or more), at another address; the same local part at another domain; a local part
//! one or two letters apart in the same domain. Role addresses (`info@`, `sales@`) and short
//! local parts do not count, nor do contacts that are themselves recipients of the mail. It
//! stays quiet when the greeting names the chosen recipient's organisation: the author has
//! said whom they mean. The address books are indexed once (see [`crate::similar`]), so
//! 10,000 contacts add well under a millisecond per mail. Warn by default.
//!
//! Example policy: `{"rules": {"similar-recipient": {"severity": "info"}}}`

check! {
    code: "similar-recipient",
    order: 77,
    default: Warn,
    settings: RawRule,
    summary: {
        ja: "宛先と同じ名前や、よく似た名前・アドレスの連絡先が別にあります（自動補完の選び間違い）。",
        en: "Another contact has the same or a nearly identical name or address as a recipient (the autocomplete mistake).",
        zh: "通讯录中有与收件人同名或名称、地址非常相似的其他联系人（自动补全选错）。",
    },
    tag: {
        ja: "似た連絡先あり",
        en: "Similar contact exists",
        zh: "存在相似联系人",
    },
    how_to_fix: {
        ja: "似た連絡先と見比べ、選んだ宛先で正しいか確認してください。違えば宛先を外して選び直してください。",
        en: "Compare with the similar contact and check that you picked the right one; if not, remove the recipient and pick again.",
        zh: "请与相似的联系人对比，确认选择的收件人是否正确；如果不正确，请移除并重新选择。",
    },
    one_click: [RemoveRecipient],
}

use super::{shortlist, Code, Subject};
use crate::model::Finding;
use crate::orgs::split_display_name;
use crate::similar::Likeness;

/// At most this many recipients are compared: a mail to a list of hundreds is not an
/// autocomplete pick.
const MAX_RECIPIENTS: usize = 50;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let index = subject.contacts.similar();
    if index.is_empty() {
        return;
    }
    // What is known about organisations is asked for only when the greeting names one.
    let greeted = subject.greeting().and_then(|g| g.org.as_deref()).map(|org| (org, subject.knowledge()));
    for r in subject.recipients.iter().filter(|r| r.valid && r.list.is_none()).take(MAX_RECIPIENTS) {
        let registrable = r.domain.registrable();
        if let Some((org, knowledge)) = greeted {
            if knowledge.belongs(&r.key, registrable, org) {
                continue;
            }
        }
        let shown = r.name.as_deref().and_then(|n| split_display_name(n).person);
        let name = shown.or_else(|| index.get(&r.key).and_then(|e| e.name.clone()));
        let others: Vec<_> = index
            .similar(&r.key, registrable, name.as_deref())
            .into_iter()
            .filter(|(e, _)| !subject.recipients.iter().any(|o| o.key == e.key))
            .collect();
        let Some(&(_, likeness)) = others.first() else { continue };
        let named: Vec<String> = others
            .iter()
            .map(|(e, _)| match &e.name {
                Some(n) => format!("{n} <{}>", e.address),
                None => e.address.clone(),
            })
            .collect();
        let list = shortlist(&named, subject.lang);
        let lang = subject.lang;
        let who = &r.address;
        let message = match likeness {
            Likeness::SameName | Likeness::SimilarName => lang.pick3(
                format!("宛先 {who} と同じか似た名前の連絡先が別にあります（{list}）。選んだ宛先で正しいか確認してください。"),
                format!("Another contact has the same or a similar name as {who} ({list}). Check that you picked the right one."),
                format!("通讯录中有与 {who} 同名或名称相似的其他联系人（{list}）。请确认选择是否正确。"),
            ),
            Likeness::SameLocal | Likeness::SimilarLocal => lang.pick3(
                format!("宛先 {who} とよく似たアドレスの連絡先が別にあります（{list}）。選んだ宛先で正しいか確認してください。"),
                format!("Another contact has an address much like {who} ({list}). Check that you picked the right one."),
                format!("通讯录中有与 {who} 地址非常相似的其他联系人（{list}）。请确认选择是否正确。"),
            ),
        };
        out.push(
            Finding::new(Code::SimilarRecipient, subject.severity(Code::SimilarRecipient), message)
                .with_recipients(vec![r.index]),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Finding;
    use crate::review::{review, Context};
    use crate::{Code, Contacts, Draft, DraftRecipient, Field, Lang, Policy};

    const BOOKS: &[&str] = &[
        "鈴木 一郎（株式会社アルファ商事） <suzuki@alpha-shoji.example>",
        "鈴木 一郎（株式会社ベータ工業） <i.suzuki@beta-kogyo.example>",
        "Kenji Tanaka <k.tanaka@alpha-shoji.example>",
        "k.tanaka@gamma.example",
        "yamada@beta-kogyo.example",
        "Hanako Unique <unique@beta-kogyo.example>",
    ];

    fn check(to: &[&str], body: &str, lang: Lang) -> Vec<Finding> {
        let draft = Draft {
            recipients: to.iter().map(|r| DraftRecipient::new(Field::To, *r)).collect(),
            body: body.to_string(),
            ..Draft::default()
        };
        let policy = Policy::load(&serde_json::json!({}), Lang::En).policy;
        let context = Context { lang, contacts: Contacts::from_entries(BOOKS), ..Context::default() };
        review(&draft, &policy, &context).findings.into_iter().filter(|f| f.code == Code::SimilarRecipient).collect()
    }

    #[test]
    fn two_contacts_with_one_name_are_both_named() {
        let found = check(&["i.suzuki@beta-kogyo.example"], "", Lang::Ja);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].recipients, [0]);
        assert!(found[0].message.contains("鈴木 一郎 <suzuki@alpha-shoji.example>"), "{}", found[0].message);
        let found = check(&["k.tanaka@gamma.example"], "", Lang::En);
        assert!(found[0].message.contains("Kenji Tanaka <k.tanaka@alpha-shoji.example>"), "{}", found[0].message);
        let found = check(&["yamda@beta-kogyo.example"], "", Lang::Zh);
        assert!(found[0].message.contains("yamada@beta-kogyo.example"), "{}", found[0].message);
    }

    #[test]
    fn a_unique_contact_and_a_greeting_naming_its_company_are_quiet() {
        assert!(check(&["unique@beta-kogyo.example"], "", Lang::En).is_empty());
        assert!(check(
            &["i.suzuki@beta-kogyo.example"],
            "株式会社ベータ工業 鈴木様\n\nお世話になっております。",
            Lang::En
        )
        .is_empty());
        // Both namesakes chosen on purpose.
        assert!(check(&["i.suzuki@beta-kogyo.example", "suzuki@alpha-shoji.example"], "", Lang::En).is_empty());
    }
}
