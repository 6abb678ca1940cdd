//! `salutation-mismatch`: the greeting names an organisation or a person that none of the To
//! recipients is.
//!
//! Why: the classic mis-send is the right mail to the wrong person. Auto-completion picked
//! 鈴木 at ベータ工業 while the mail begins 「株式会社アルファ商事 山田様」: the author knows whom
//! the mail is for, and wrote it at the top. The greeting is read from the author's own text
//! (quoted text and the signature do not count) before いつもお世話になっております,
//! お世話になります, お疲れ様です or the first blank line, or from a `Dear …,` line.
//!
//! It fires only on knowledge, never on a guess: the named organisation must be known to write
//! from other domains, or the recipient known to be at another organisation (address books'
//! organisation fields, display names such as `鈴木 一郎（株式会社ベータ工業）`, the policy's
//! `organizations`); a person's name must be known at another address while the recipient is
//! known by another name. An organisation nobody knows gives no alarm; 各位 to several
//! recipients is fine; names are compared after normalisation (full width, `㈱`, legal-entity
//! markers, spaces). Warn by default.
//!
//! Example policy: `{"rules": {"salutation-mismatch": {"severity": "block"}}, "organizations": [{"name": ["株式会社アルファ商事"], "domains": ["alpha-shoji.example"]}]}`

check! {
    code: "salutation-mismatch",
    order: 76,
    default: Warn,
    settings: RawRule,
    summary: {
        ja: "本文の宛名（株式会社アルファ商事 山田様 など）が、To の宛先の組織や名前と合いません。",
        en: "The greeting names an organisation or person (\"Dear Mr. Yamada\") that none of the To recipients is.",
        zh: "正文开头的称呼（公司或姓名）与收件人（To）的公司或姓名不符。",
    },
    tag: {
        ja: "宛名と宛先が不一致",
        en: "Greeting names someone else",
        zh: "称呼与收件人不符",
    },
    how_to_fix: {
        ja: "本文の宛名と宛先を見比べてください。宛先が違えば直し、宛名が違えば本文を直してください。",
        en: "Compare the greeting with the recipients: correct the recipient, or the greeting if that is what is wrong.",
        zh: "请对比正文称呼与收件人：收件人有误则更正收件人，称呼有误则更正正文。",
    },
    one_click: [RemoveRecipient],
}

use super::{Code, Subject};
use crate::draft::Field;
use crate::model::{Finding, Part, Recipient};
use crate::text::excerpt;

/// At most this many To recipients get a finding of their own.
const MAX_FINDINGS: usize = 10;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let Some(greeting) = subject.greeting() else { return };
    let to: Vec<&Recipient> = subject.recipients.iter().filter(|r| r.valid && r.field == Field::To).collect();
    let visible = subject.recipients.iter().filter(|r| r.valid && r.field != Field::Bcc).count();
    if to.is_empty() || (greeting.collective && visible > 1) {
        return;
    }
    let knowledge = subject.knowledge();
    // The recipients' display names were folded once, with the mail's own knowledge; the
    // contacts' names when the address books were indexed.
    let named_person = |r: &Recipient| {
        greeting.persons.iter().any(|p| knowledge.persons_of(&r.key).any(|person| p.names(&person.key)))
    };
    if to.iter().any(|r| named_person(r)) {
        return;
    }
    // Who the recipient is known to be, said in the message.
    let mut concerned: Vec<(&Recipient, String)> = Vec::new();
    if let Some(org) = greeting.org.as_deref() {
        if !knowledge.knows_org(org) {
            // An organisation nobody knows yet: precision first.
            return;
        }
        // Each recipient's registrable domain is found once, and asked about twice.
        let to: Vec<(&Recipient, &str)> = to.iter().map(|r| (*r, r.domain.registrable())).collect();
        if to.iter().any(|(r, registrable)| knowledge.belongs(&r.key, registrable, org)) {
            return;
        }
        let known_elsewhere = !knowledge.org_domains(org).is_empty();
        for &(r, registrable) in &to {
            match knowledge.org_of(&r.key, registrable) {
                Some(other) if other != org => {
                    concerned.push((r, knowledge.org_name(other).unwrap_or(other).to_string()));
                }
                _ if known_elsewhere => concerned.push((r, String::new())),
                _ => {}
            }
        }
    } else if !greeting.persons.is_empty() {
        let to_keys: Vec<&str> = to.iter().map(|r| r.key.as_str()).collect();
        let elsewhere = greeting.persons.iter().any(|person| {
            knowledge.someone_else_named(&person.key, &to_keys)
                || person.words.iter().any(|w| knowledge.someone_else_named(w, &to_keys))
        });
        if !elsewhere {
            return;
        }
        for r in &to {
            if let Some(name) = r.name.as_deref().or_else(|| knowledge.name_of(&r.key)) {
                concerned.push((r, name.to_string()));
            }
        }
    }
    let lang = subject.lang;
    let shown = &greeting.written;
    // Only the message in the person's language is written out.
    for (r, known) in concerned.into_iter().take(MAX_FINDINGS) {
        let message = if greeting.org.is_none() {
            lang.pick3(
                format_args!("本文の宛名は {shown} ですが、宛先 {} は {known} さんです。", r.address),
                format_args!("The greeting says \"{shown}\", but the recipient {} is {known}.", r.address),
                format_args!("正文称呼为 {shown}，但收件人 {} 是 {known}。", r.address),
            )
            .to_string()
        } else if known.is_empty() {
            let domains = knowledge.org_domains(greeting.org.as_deref().unwrap_or_default()).join(", ");
            lang.pick3(
                format_args!("本文の宛名は {shown} ですが、宛先 {} はその組織のドメイン（{domains}）ではありません。", r.address),
                format_args!(
                    "The greeting says \"{shown}\", but the recipient {} is not at that organisation's domain ({domains}).",
                    r.address
                ),
                format_args!("正文称呼为 {shown}，但收件人 {} 不在该组织的域名（{domains}）下。", r.address),
            )
            .to_string()
        } else {
            lang.pick3(
                format_args!("本文の宛名は {shown} ですが、宛先 {} は {known} の方です。", r.address),
                format_args!("The greeting says \"{shown}\", but the recipient {} is at {known}.", r.address),
                format_args!("正文称呼为 {shown}，但收件人 {} 属于 {known}。", r.address),
            )
            .to_string()
        };
        let mut finding = Finding::new(Code::SalutationMismatch, subject.severity(Code::SalutationMismatch), message)
            .with_recipients(vec![r.index]);
        if !greeting.range.is_empty() {
            finding = finding.with_excerpts(vec![excerpt(&subject.draft.body, greeting.range.clone(), Part::Body)]);
        }
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Finding;
    use crate::review::{review, Context};
    use crate::{Code, Contacts, Draft, DraftRecipient, Field, Lang, Policy};

    fn check(to: &[&str], body: &str, contacts: &[&str], policy: serde_json::Value, lang: Lang) -> Vec<Finding> {
        let draft = Draft {
            recipients: to.iter().map(|r| DraftRecipient::new(Field::To, *r)).collect(),
            body: body.to_string(),
            ..Draft::default()
        };
        let policy = Policy::load(&policy, Lang::En).policy;
        let context = Context { lang, contacts: Contacts::from_entries(contacts), ..Context::default() };
        review(&draft, &policy, &context).findings.into_iter().filter(|f| f.code == Code::SalutationMismatch).collect()
    }

    const BOOKS: &[&str] = &[
        "山田 太郎（株式会社アルファ商事） <yamada@alpha-shoji.example>",
        "鈴木 一郎（株式会社ベータ工業） <suzuki@beta-kogyo.example>",
    ];

    #[test]
    fn a_greeting_to_another_company_names_both_sides() {
        let body = "株式会社アルファ商事\n山田様\n\nいつもお世話になっております。\n";
        let found = check(&["suzuki@beta-kogyo.example"], body, BOOKS, serde_json::json!({}), Lang::Ja);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].recipients, [0]);
        assert_eq!(
            found[0].message,
            "本文の宛名は 株式会社アルファ商事 山田様 ですが、宛先 suzuki@beta-kogyo.example は 株式会社ベータ工業 の方です。"
        );
        assert_eq!(found[0].excerpts[0].matched, "株式会社アルファ商事 山田様");
        let en = check(&["suzuki@beta-kogyo.example"], body, BOOKS, serde_json::json!({}), Lang::En);
        assert!(en[0].message.contains("is at 株式会社ベータ工業"), "{}", en[0].message);
        let zh = check(&["suzuki@beta-kogyo.example"], body, BOOKS, serde_json::json!({}), Lang::Zh);
        assert!(zh[0].message.contains("属于"), "{}", zh[0].message);
    }

    #[test]
    fn the_right_company_in_any_width_is_quiet() {
        for body in [
            "株式会社アルファ商事 山田様\nいつもお世話になっております。",
            "㈱ｱﾙﾌｧ商事 山田様\n\n",
            "アルファ商事 御中\n\n",
        ] {
            assert!(
                check(&["yamada@alpha-shoji.example"], body, BOOKS, serde_json::json!({}), Lang::En).is_empty(),
                "{body}"
            );
        }
        // Another person at the named company is not a mismatch either.
        assert!(check(
            &["sato@alpha-shoji.example"],
            "株式会社アルファ商事 山田様\n\n",
            BOOKS,
            serde_json::json!({}),
            Lang::En
        )
        .is_empty());
    }

    #[test]
    fn unknown_companies_quotes_and_collective_greetings_are_quiet() {
        let to = ["suzuki@beta-kogyo.example"];
        assert!(check(&to, "株式会社ガンマ 山田様\n\n", BOOKS, serde_json::json!({}), Lang::En).is_empty());
        assert!(check(
            &to,
            "承知しました。\n\n> 株式会社アルファ商事 山田様\n",
            BOOKS,
            serde_json::json!({}),
            Lang::En
        )
        .is_empty());
        let many = ["suzuki@beta-kogyo.example", "x@gamma.example"];
        assert!(check(&many, "株式会社アルファ商事 関係者各位\n\n", BOOKS, serde_json::json!({}), Lang::En).is_empty());
        assert_eq!(check(&to, "株式会社アルファ商事 各位\n\n", BOOKS, serde_json::json!({}), Lang::En).len(), 1);
    }

    #[test]
    fn the_policy_and_display_names_are_knowledge() {
        let policy =
            serde_json::json!({"organizations": [{"name": ["Alpha Shoji"], "domains": ["alpha-shoji.example"]}]});
        let found = check(&["Suzuki <suzuki@beta.example>"], "Dear Alpha Shoji team,\n\n", &[], policy, Lang::En);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("not at that organisation's domain (alpha-shoji.example)"),
            "{}",
            found[0].message
        );
        // Only display names: the recipient says where they are; the greeting names a company
        // that a Cc recipient's display name teaches.
        let found = check(
            &["Ichiro Suzuki (Beta Kogyo) <suzuki@beta.example>", "Taro Yamada (Alpha Shoji) <yamada@alpha.example>"],
            "Dear Mr. Yamada,\n\n",
            &[],
            serde_json::json!({}),
            Lang::En,
        );
        assert!(found.is_empty(), "Yamada is among the To recipients: {found:?}");
    }

    #[test]
    fn a_person_known_elsewhere_while_the_recipient_is_someone_else() {
        let found = check(
            &["鈴木 一郎 <suzuki@beta-kogyo.example>"],
            "山田様\n\nお疲れ様です。\n",
            BOOKS,
            serde_json::json!({}),
            Lang::Ja,
        );
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("は 鈴木 一郎 さんです"), "{}", found[0].message);
        assert!(check(
            &["山田 太郎 <yamada@alpha-shoji.example>"],
            "山田様\n\n",
            BOOKS,
            serde_json::json!({}),
            Lang::Ja
        )
        .is_empty());
        // Nobody named 山田 is known: no alarm.
        assert!(check(
            &["鈴木 一郎 <suzuki@beta-kogyo.example>"],
            "田中様\n\n",
            BOOKS,
            serde_json::json!({}),
            Lang::Ja
        )
        .is_empty());
    }
}
