//! `keyword`: an admin's (or the user's own) keyword rule matched.
//!
//! Why: every office has words that must not leave it, or not without a second look:
//! 社外秘, 取扱注意, a project's code name, "confidential" in a file name. FlexConfirmMail has
//! such term rules; ours are regular expressions, compiled once when the policy loads, and
//! searched in linear time. One finding per rule that matched, naming the rule (`ruleId`) and
//! showing where, with the attachments whose names matched.
//!
//! Rules may also search inside attachments (`attachment-content`: the text and table cells
//! the inspector read, at any archive depth); a rule that names no places searches everywhere.
//! Such matches point at the attachment, with excerpts placed inside it (`Sheet1!C12`,
//! `slide 3`, `tools/a.txt › line 3`).
//!
//! The body is searched whole, quoted text included: it is sent too. A rule with
//! `"when": "external"` only applies when the mail has an external recipient. A rule without
//! its own severity takes `rules.keyword.severity` (default `warn`). Empty matches (a pattern
//! such as `x*` matches the empty text everywhere) are not findings.
//!
//! Example policy: `{"keywords": [{"id": "confidential", "pattern": "社外秘|(?i)confidential",
//! "in": ["subject", "body", "attachment-name", "attachment-content"], "when": "external", "severity": "block",
//! "message": {"ja": "社外秘の情報を社外に送ろうとしています。", "en": "Confidential material to an outside party.",
//! "zh": "正在将机密信息发往外部。"}}]}`
//!
//! A message's `ja`, `en` and `zh` may each be left out: a Chinese reader gets `zh`, else `en`,
//! else `ja`; a Japanese reader `ja`, else `en`, else `zh`; an English reader `en`, else `ja`,
//! else `zh`.

check! {
    code: "keyword",
    order: 110,
    default: Warn,
    own_severities: true,
    settings: RawRule,
    summary: {
        ja: "管理者または利用者のキーワード規則（件名・本文・添付ファイル名・添付ファイルの中身の正規表現）に一致しました。",
        en: "An admin's or user's keyword rule (a regular expression over the subject, the body, attachment names or their contents) matched.",
        zh: "匹配了管理员或用户的关键词规则（针对主题、正文、附件名或附件内容的正则表达式）。",
    },
    tag: {
        ja: "キーワード",
        en: "Keyword",
        zh: "关键词",
    },
    how_to_fix: {
        ja: "該当箇所を見直し、送ってはいけない内容なら削除してください。",
        en: "Review the passage and remove what must not be sent.",
        zh: "请检查相关内容，删除不应发送的内容。",
    },
}

use regex::Regex;

use super::contents::{fine_place, join, walk};
use super::{Code, Subject, MAX_EXCERPTS};
use crate::model::{Excerpt, Finding, Part};
use crate::policy::{KeywordRule, Policy, Severity, When, USER_RULE_PREFIX};
use crate::text::excerpt;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let external = subject.has_external();
    let draft = subject.draft;
    let policy = subject.policy;
    // One pass over the body tells whether any rule matches it at all; it stops at the first
    // match, and most bodies have none. Only then does a second pass tell which rules match,
    // and only those search it again for the excerpts. Without the set (too large to
    // compile), every body rule searches.
    let body_set = &policy.content.body_keywords;
    let body_matches: Option<Vec<usize>> = body_set.set.as_ref().map(|set| {
        let any = policy.keywords.iter().any(|k| k.in_body && applies(k, policy, external));
        if !any || !set.is_match(&draft.body) {
            return Vec::new();
        }
        set.matches(&draft.body).into_iter().map(|k| body_set.rules[k]).collect()
    });
    for (index, rule) in policy.keywords.iter().enumerate() {
        if !applies(rule, policy, external) {
            continue;
        }
        let severity = rule.effective_severity(policy);
        let mut excerpts: Vec<Excerpt> = Vec::new();
        let mut attachments: Vec<usize> = Vec::new();
        if rule.in_subject {
            search(&rule.regex, &draft.subject, Part::Subject, &mut excerpts);
        }
        if rule.in_body && body_matches.as_ref().is_none_or(|m| m.contains(&index)) {
            search(&rule.regex, &draft.body, Part::Body, &mut excerpts);
        }
        if rule.in_attachment_names {
            for attachment in subject.attachments {
                if search(&rule.regex, &attachment.name, Part::AttachmentName(attachment.index), &mut excerpts) {
                    attachments.push(attachment.index);
                }
            }
        }
        if rule.in_attachment_content {
            for attachment in subject.attachments {
                let Some(facts) = subject.facts(attachment.index) else { continue };
                let part = Part::AttachmentContent(attachment.index);
                let mut any = false;
                for (facts, path) in walk(facts) {
                    for chunk in &facts.text {
                        // Once the excerpts are full, one match tells all that is left to know.
                        if any && excerpts.len() >= MAX_EXCERPTS {
                            break;
                        }
                        let text = chunk.text.as_str();
                        for m in rule.regex.find_iter(text).filter(|m| !m.is_empty()) {
                            any = true;
                            if excerpts.len() >= MAX_EXCERPTS {
                                break;
                            }
                            let place = join(&path, &fine_place(&chunk.place, text, m.start()));
                            excerpts.push(excerpt(text, m.range(), part).at(place));
                        }
                    }
                }
                if any && !attachments.contains(&attachment.index) {
                    attachments.push(attachment.index);
                }
            }
        }
        let Some(first) = excerpts.first() else { continue };
        let message = match &rule.message {
            Some(message) => subject.lang.pick3(&message.ja, &message.en, &message.zh).clone(),
            // A person's own rule has an id the options page made up; they know it by its words.
            None if rule.id.starts_with(USER_RULE_PREFIX) => {
                let (words, matched) = (rule.regex.as_str(), &first.matched);
                subject.lang.pick3(
                    format!("あなたが設定したキーワード「{words}」に一致しました（「{matched}」）。"),
                    format!("Your keyword \"{words}\" matched \"{matched}\"."),
                    format!("匹配了您设置的关键词“{words}”（“{matched}”）。"),
                )
            }
            None => subject.lang.pick3(
                format!("キーワード規則「{}」に一致しました（「{}」）。", rule.id, first.matched),
                format!("Keyword rule \"{}\" matched \"{}\".", rule.id, first.matched),
                format!("匹配了关键词规则“{}”（“{}”）。", rule.id, first.matched),
            ),
        };
        out.push(
            Finding::new(Code::Keyword, severity, message)
                .with_rule_id(rule.id.clone())
                .with_attachments(attachments)
                .with_excerpts(excerpts),
        );
    }
}

fn applies(rule: &KeywordRule, policy: &Policy, external: bool) -> bool {
    rule.effective_severity(policy) != Severity::Off && (rule.when == When::Always || external)
}

/// Adds excerpts of the non-empty matches, up to [`MAX_EXCERPTS`] in all; returns whether
/// anything matched (also when the excerpts are full, so that every matching attachment is named).
fn search(regex: &Regex, text: &str, part: Part, excerpts: &mut Vec<Excerpt>) -> bool {
    let mut any = false;
    for m in regex.find_iter(text).filter(|m| !m.is_empty()) {
        any = true;
        if excerpts.len() >= MAX_EXCERPTS {
            break;
        }
        excerpts.push(excerpt(text, m.range(), part));
    }
    any
}

#[cfg(test)]
mod tests {
    #[test]
    fn rules_search_inside_attachments_unless_their_places_leave_it_out() {
        use super::super::testing::text_facts;
        let draft = mail().attach("plain.pdf", 1).attach_contents(
            "slides.pptx",
            text_facts("slides.pptx", &[("slide 1", "2027年度 事業計画"), ("slide 1", "社外秘: 新製品の発売は 4 月")]),
        );
        let found = findings(json!({"keywords": [{"id": "secret", "pattern": "社外秘"}]}), &draft, Code::Keyword);
        assert_eq!(found[0].attachments, [1]);
        assert_eq!(
            (found[0].excerpts[0].part, found[0].excerpts[0].place.as_str(), found[0].excerpts[0].after.as_str()),
            (Part::AttachmentContent(1), "slide 1", ": 新製品の発売は 4 月")
        );
        let names_only = json!({"keywords": [{"id": "secret", "pattern": "社外秘", "in": ["attachment-name"]}]});
        assert!(findings(names_only, &draft, Code::Keyword).is_empty());
        let contents_only = json!({"keywords": [{"id": "secret", "pattern": "社外秘", "in": ["attachment-content"]}]});
        assert_eq!(findings(contents_only, &draft, Code::Keyword).len(), 1);
        // With inspection turned off, contents given are not read.
        let off = json!({"inspection": {"enabled": false}, "keywords": [{"id": "secret", "pattern": "社外秘"}]});
        assert!(findings(off, &draft, Code::Keyword).is_empty());
    }

    use super::super::testing::{findings, mail, MailExt};
    use crate::model::Part;
    use crate::policy::Severity;
    use crate::Code;
    use crate::Draft;
    use serde_json::{json, Value};

    /// (rule id, severity, attachments, excerpts as (part, matched)) of each keyword finding.
    type Got = (String, Severity, Vec<usize>, Vec<(Part, String)>);
    type Expected<'a> = (&'a str, Severity, &'a [usize], &'a [(Part, &'a str)]);

    fn check(keywords: Value, draft: &Draft, expected: &[Expected<'_>]) {
        let got: Vec<Got> = findings(json!({"keywords": keywords}), draft, Code::Keyword)
            .into_iter()
            .map(|f| {
                let excerpts = f.excerpts.iter().map(|e| (e.part, e.matched.clone())).collect();
                (f.rule_id.unwrap(), f.severity, f.attachments, excerpts)
            })
            .collect();
        let expected: Vec<Got> = expected
            .iter()
            .map(|(id, s, a, e)| (id.to_string(), *s, a.to_vec(), e.iter().map(|(p, m)| (*p, m.to_string())).collect()))
            .collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn rules_match_where_they_look() {
        let draft = mail()
            .subject("【社外秘】計画")
            .body("この資料は社外秘です。\n> 社外秘")
            .attach("plan-CONFIDENTIAL.pdf", 1)
            .attach("memo.txt", 1);
        check(
            json!([
                {"id": "secret", "pattern": "社外秘|(?i)confidential"},
                {"id": "names-only", "pattern": "(?i)confidential", "in": ["attachment-name"], "severity": "block"},
                {"id": "nothing", "pattern": "極秘"}
            ]),
            &draft,
            &[
                ("names-only", Severity::Block, &[0], &[(Part::AttachmentName(0), "CONFIDENTIAL")]),
                (
                    "secret",
                    Severity::Warn,
                    &[0],
                    &[
                        (Part::Subject, "社外秘"),
                        (Part::Body, "社外秘"),
                        (Part::Body, "社外秘"),
                        (Part::AttachmentName(0), "CONFIDENTIAL"),
                    ],
                ),
            ],
        );
    }

    #[test]
    fn external_only_rules_and_severities() {
        let rules = json!([
            {"id": "ext", "pattern": "価格", "when": "external"},
            {"id": "all", "pattern": "価格", "severity": "info"},
            {"id": "off", "pattern": "価格", "severity": "off"}
        ]);
        let internal = mail().internal_only().body("価格表");
        check(rules.clone(), &internal, &[("all", Severity::Info, &[], &[(Part::Body, "価格")])]);
        let external = mail().body("価格表");
        check(
            rules,
            &external,
            &[
                ("ext", Severity::Warn, &[], &[(Part::Body, "価格")]),
                ("all", Severity::Info, &[], &[(Part::Body, "価格")]),
            ],
        );
    }

    #[test]
    fn the_default_severity_comes_from_rules_keyword() {
        let policy = json!({"rules": {"keyword": {"severity": "off"}},
                            "keywords": [{"id": "a", "pattern": "x"}, {"id": "b", "pattern": "x", "severity": "block"}]});
        let found = findings(policy, &mail().body("x"), Code::Keyword);
        assert_eq!(found.iter().map(|f| f.rule_id.as_deref().unwrap()).collect::<Vec<_>>(), ["b"]);
    }

    #[test]
    fn empty_matches_are_not_findings_and_excerpts_are_capped() {
        check(json!([{"id": "empty", "pattern": "z*"}]), &mail().body("abc"), &[]);
        let found =
            findings(json!({"keywords": [{"id": "a", "pattern": "x"}]}), &mail().body(&"x ".repeat(50)), Code::Keyword);
        assert_eq!(found[0].excerpts.len(), 5);
    }

    #[test]
    fn the_body_set_only_saves_passes() {
        use crate::review::{review, Context};
        use crate::{Lang, Policy};
        let policy = Policy::load(
            &json!({"keywords": [
                {"id": "a", "pattern": "社外秘"}, {"id": "b", "pattern": "x*"}, {"id": "c", "pattern": "nothing"},
                {"id": "d", "pattern": "(?i)secret", "in": ["subject"]}
            ]}),
            Lang::En,
        )
        .policy;
        assert_eq!(policy.content.body_keywords.rules, [0, 1, 2]);
        let mut without = policy.clone();
        without.content.body_keywords.set = None;
        let draft = mail().subject("Secret").body("社外秘 xx");
        let context = Context::default();
        assert_eq!(review(&draft, &policy, &context), review(&draft, &without, &context));
        let ids: Vec<_> = review(&draft, &policy, &context).findings.into_iter().filter_map(|f| f.rule_id).collect();
        assert_eq!(ids, ["a", "b", "d"]);
    }

    #[test]
    fn messages() {
        let rules = json!([{"id": "a", "pattern": "x", "message": {"ja": "日本語", "en": "English"}}, {"id": "b", "pattern": "y+"}]);
        let found = findings(json!({"keywords": rules}), &mail().body("x yy"), Code::Keyword);
        assert_eq!(found[0].message, "English");
        assert_eq!(found[1].message, "Keyword rule \"b\" matched \"yy\".");
    }

    #[test]
    fn a_persons_own_rule_is_named_by_its_words() {
        use crate::review::{review, Context};
        use crate::{Lang, Policy};
        let draft = mail().subject("社外秘の件");
        let loaded = Policy::load_with_user(
            &json!({"internalDomains": ["corp.example"]}),
            &json!({"keywords": [{"id": "keyword-1", "pattern": "社外秘|部外秘"}]}),
            Lang::Ja,
        );
        assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
        let context = Context { lang: Lang::Ja, ..Context::default() };
        let review = review(&draft, &loaded.policy, &context);
        let found: Vec<_> = review.findings.into_iter().filter(|f| f.code == Code::Keyword).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].rule_id.as_deref(), Some("user:keyword-1"));
        assert_eq!(found[0].message, "あなたが設定したキーワード「社外秘|部外秘」に一致しました（「社外秘」）。");
    }
}
