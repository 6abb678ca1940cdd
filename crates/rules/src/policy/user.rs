//! The user's own settings, merged over the admin's policy: stricter, never weaker.
//!
//! What the admin sets is authoritative (product.md). The user, on the add-on's options page,
//! may add keyword rules (namespaced `user:<id>`, so they can never replace an admin's rule),
//! raise the severity of any check (never lower it, never turn a check off), and add internal
//! domains only when the admin's policy allows it (`userMayAddInternalDomains`, which defaults
//! to allowed only when the admin names no internal domain), because an internal recipient gets
//! fewer checks than an external one.
//!
//! Everything the user gets wrong, or is not allowed to do, becomes a warning whose source is
//! `user`, and is ignored. The user's settings never degrade the policy: only the admin's errors do.

use std::collections::HashSet;

use serde_json::Value;

use super::content::{add_keywords, USER_RULE_PREFIX};
use super::input::PolicyInput;
use super::limits::{capped, Listed, MAX_DOMAINS};
use super::load::{at_domain, cap, domain_reason, input_diagnostics, load_admin, replaced_paths, shape};
use super::raw::RawUserSettings;
use super::wording::suggest;
use super::{Diagnostic, DiagnosticLevel, LoadedPolicy, Policy};
use crate::code::Code;
use crate::domain::DomainPattern;
use crate::i18n::Lang;

const SOURCE: &str = "user";

impl Policy {
    /// Loads the admin's policy and merges the user's own settings over it.
    /// `user` has the shape `{internalDomains, keywords, rules: {code: {severity}}}`;
    /// `null` means none.
    pub fn load_with_user(admin: &Value, user: &Value, lang: Lang) -> LoadedPolicy {
        Policy::load_inputs_with_user(PolicyInput::from_value(admin), PolicyInput::from_value(user), lang)
    }

    /// [`Policy::load_with_user`] for values taken in by [`PolicyInput`].
    pub fn load_inputs_with_user(admin: PolicyInput, user: PolicyInput, lang: Lang) -> LoadedPolicy {
        let (mut loaded, _) = load_admin(admin, lang);
        let may_add_domains = loaded.policy.user_may_add_internal_domains;
        let mut diagnostics = input_diagnostics(&user.problems, SOURCE, lang);
        let reported = replaced_paths(&user.problems);
        merge(user.value, &reported, may_add_domains, &mut loaded.policy, lang, &mut diagnostics);
        // The user's mistakes are theirs to fix and never make the policy less trusted.
        for d in &mut diagnostics {
            d.level = DiagnosticLevel::Warning;
            d.source = SOURCE;
        }
        loaded.diagnostics.extend(diagnostics);
        loaded.diagnostics.sort_by_key(|d| std::cmp::Reverse(d.level));
        cap(&mut loaded.diagnostics, SOURCE, lang);
        loaded
    }
}

fn warning(path: String, message: String, hint: Option<String>) -> Diagnostic {
    Diagnostic { level: DiagnosticLevel::Warning, source: SOURCE, path, message, hint }
}

fn merge(
    user: Value,
    reported: &HashSet<String>,
    may_add_domains: bool,
    policy: &mut Policy,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let (raw, removals): (RawUserSettings, _) = shape(user, reported, SOURCE, lang, out);
    let shaped = out.len();

    let domains = raw.internal_domains.as_deref().unwrap_or_default();
    if !domains.is_empty() && !may_add_domains {
        out.push(warning(
            "internalDomains".to_string(),
            lang.pick3(
                "管理者の設定により、社内ドメインを追加することはできません。追加したドメインは無視されます。",
                "Your administrator does not allow adding internal domains; the domains you added are ignored.",
                "管理员的设置不允许添加内部域名。您添加的域名将被忽略。",
            )
            .to_string(),
            Some(
                lang.pick3(
                    "社内ドメインの追加が必要なら、管理者に依頼してください。",
                    "Ask your administrator if a domain should be internal.",
                    "如需添加内部域名，请联系管理员。",
                )
                .to_string(),
            ),
        ));
    } else {
        let domains = capped(domains, MAX_DOMAINS, "internalDomains", Listed::Domains, SOURCE, lang, out);
        for (i, text) in domains.iter().enumerate() {
            let text = at_domain(text, &format!("internalDomains[{i}]"), SOURCE, lang, out);
            match DomainPattern::parse(text) {
                Ok(pattern) => policy.internal_domains.insert(pattern),
                Err(reason) => out.push(warning(
                    format!("internalDomains[{i}]"),
                    lang.pick3(
                        format!(
                            "\"{text}\" はドメインとして使えません（{}）。無視されます。",
                            domain_reason(reason, lang)
                        ),
                        format!("\"{text}\" cannot be used as a domain ({reason}); it is ignored."),
                        format!("\"{text}\" 不能用作域名（{}）。将被忽略。", domain_reason(reason, lang)),
                    ),
                    None,
                )),
            }
        }
    }

    for (name, rule) in raw.rules.iter().flatten() {
        let path = format!("rules.{name}.severity");
        let Some(code) = Code::parse(name) else {
            let known: Vec<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
            out.push(warning(
                format!("rules.{name}"),
                lang.pick3(
                    format!("\"{name}\" というチェックはありません。"),
                    format!("there is no check \"{name}\"."),
                    format!("没有名为 \"{name}\" 的检查。"),
                ),
                Some(suggest(name, &known, lang)),
            ));
            continue;
        };
        let Some(wanted) = rule.severity else { continue };
        let current = policy.rules.severity(code);
        if wanted > current {
            policy.rules.set_severity(code, wanted);
        } else if wanted < current {
            out.push(warning(
                path,
                lang.pick3(
                    format!(
                        "{name} の重要度を {} から {} に下げることはできません。管理者の設定（{}）のままです。",
                        current.as_str(),
                        wanted.as_str(),
                        current.as_str()
                    ),
                    format!(
                        "the severity of {name} cannot be lowered from {} to {}; it stays {} as your administrator set it.",
                        current.as_str(),
                        wanted.as_str(),
                        current.as_str()
                    ),
                    format!(
                        "{name} 的重要程度不能从 {} 降为 {}，将保持管理员设置的 {}。",
                        current.as_str(),
                        wanted.as_str(),
                        current.as_str()
                    ),
                ),
                Some(
                    lang.pick3(
                        "重要度は上げることだけができます。",
                        "You can only raise a severity.",
                        "重要程度只能调高。",
                    )
                    .to_string(),
                ),
            ));
        }
    }

    add_keywords(raw.keywords.as_deref().unwrap_or_default(), USER_RULE_PREFIX, policy, SOURCE, lang, out);
    if let Some(audit_log) = &raw.audit_log {
        super::audit_log::merge_user(audit_log, &mut policy.audit_log, SOURCE, lang, out);
    }
    removals.restore(&mut out[shaped..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Domain;
    use crate::policy::Severity;
    use proptest::prelude::*;
    use serde_json::json;

    /// Merges `user` over `admin` and returns the policy and the user diagnostics' paths.
    fn check(admin: Value, user: Value, expected_paths: &[&str]) -> Policy {
        let loaded = Policy::load_with_user(&admin, &user, Lang::En);
        let user_paths: Vec<&str> =
            loaded.diagnostics.iter().filter(|d| d.source == "user").map(|d| d.path.as_str()).collect();
        assert_eq!(user_paths, expected_paths, "{:#?}", loaded.diagnostics);
        assert!(loaded.diagnostics.iter().filter(|d| d.source == "user").all(|d| d.level == DiagnosticLevel::Warning));
        assert_eq!(loaded.policy.degraded, Policy::load(&admin, Lang::En).policy.degraded, "the user never degrades");
        loaded.policy
    }

    #[test]
    fn no_user_settings_is_the_admin_policy() {
        let admin = json!({"internalDomains": ["corp.example"], "keywords": [{"id": "a", "pattern": "x"}]});
        assert_eq!(Policy::load_with_user(&admin, &Value::Null, Lang::En), Policy::load(&admin, Lang::En));
        assert_eq!(Policy::load_with_user(&admin, &json!({}), Lang::En), Policy::load(&admin, Lang::En));
    }

    #[test]
    fn the_user_raises_a_severity_and_turns_a_check_on() {
        let policy = check(
            json!({"rules": {"placeholder": {"severity": "off"}}}),
            json!({"rules": {"external-recipient": {"severity": "block"}, "placeholder": {"severity": "info"},
                             "empty-body": {"severity": "info"}}}),
            &[],
        );
        assert_eq!(policy.rules.severity(Code::ExternalRecipient), Severity::Block);
        assert_eq!(policy.rules.severity(Code::Placeholder), Severity::Info);
        assert_eq!(policy.rules.severity(Code::EmptyBody), Severity::Info);
    }

    #[test]
    fn the_user_cannot_lower_a_severity_or_turn_a_check_off() {
        let policy = check(
            json!({"rules": {"attachment-too-large": {"severity": "block"}}}),
            json!({"rules": {"attachment-too-large": {"severity": "warn"}, "attachment-blocked-type": {"severity": "off"}}}),
            &["rules.attachment-blocked-type.severity", "rules.attachment-too-large.severity"],
        );
        assert_eq!(policy.rules.severity(Code::AttachmentTooLarge), Severity::Block);
        assert_eq!(policy.rules.severity(Code::AttachmentBlockedType), Severity::Block);
    }

    #[test]
    fn lowering_is_explained_in_the_users_language() {
        let loaded = Policy::load_with_user(
            &Value::Null,
            &json!({"rules": {"attachment-blocked-type": {"severity": "warn"}}}),
            Lang::Ja,
        );
        assert!(loaded.diagnostics[0].message.contains("block から warn に下げることはできません"), "{loaded:?}");
    }

    #[test]
    fn internal_domains_need_the_admins_permission() {
        let partner = Domain::parse("partner.example").unwrap();
        let policy = check(
            json!({"internalDomains": ["corp.example"]}),
            json!({"internalDomains": ["partner.example"]}),
            &["internalDomains"],
        );
        assert!(!policy.internal_domains.matches(&partner));
        let policy = check(
            json!({"internalDomains": ["corp.example"], "userMayAddInternalDomains": true}),
            json!({"internalDomains": ["partner.example", "a*b.example"]}),
            &["internalDomains[1]"],
        );
        assert!(policy.internal_domains.matches(&partner));
        assert!(policy.internal_domains.matches(&Domain::parse("corp.example").unwrap()));
    }

    #[test]
    fn user_keywords_are_namespaced_and_never_replace_the_admins() {
        let policy = check(
            json!({"keywords": [{"id": "secret", "pattern": "社外秘", "severity": "block"}]}),
            json!({"keywords": [
                {"id": "secret", "pattern": "ignored?", "severity": "info"},
                {"id": "mine", "pattern": "(bad"},
                {"id": "secret", "pattern": "twice"}
            ]}),
            &["keywords[1].pattern", "keywords[2].id"],
        );
        let ids: Vec<&str> = policy.keywords.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, ["secret", "user:secret"]);
        assert_eq!(policy.keywords[0].regex.as_str(), "社外秘");
        assert_eq!(policy.keywords[0].severity, Some(Severity::Block));
    }

    #[test]
    fn shape_errors_and_unknown_checks_are_user_warnings() {
        let policy = check(
            json!({}),
            json!({"rules": {"placeholdr": {"severity": "block"}, "keyword": {"severity": "blok"}},
                   "dialog": {"skipWhenInternalOnly": true}}),
            &["dialog", "rules.keyword.severity", "rules.placeholdr"],
        );
        assert!(!policy.dialog.skip_when_internal_only);
        let loaded = Policy::load_with_user(&json!({}), &json!({"rules": {"placeholdr": {}}}), Lang::En);
        assert!(loaded.diagnostics[0].hint.as_deref().unwrap().contains("Did you mean \"placeholder\""));
        check(json!({}), json!([1]), &[""]);
    }

    #[test]
    fn admin_errors_still_degrade_and_come_first() {
        let loaded = Policy::load_with_user(
            &json!({"internalDomain": []}),
            &json!({"rules": {"empty-body": {"severity": "off"}}}),
            Lang::En,
        );
        assert!(loaded.policy.degraded);
        let levels: Vec<(&str, DiagnosticLevel)> = loaded.diagnostics.iter().map(|d| (d.source, d.level)).collect();
        assert_eq!(levels, [("admin", DiagnosticLevel::Error), ("user", DiagnosticLevel::Warning)]);
    }

    fn severity_name() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!("off")),
            Just(json!("info")),
            Just(json!("warn")),
            Just(json!("block")),
            Just(json!("loud")),
            Just(json!(3)),
        ]
    }

    fn user_settings() -> impl Strategy<Value = Value> {
        let code = prop_oneof![
            proptest::sample::select(Code::ALL.iter().map(|c| c.as_str().to_string()).collect::<Vec<_>>()),
            Just("no-such-check".to_string()),
        ];
        let rules = proptest::collection::btree_map(code, severity_name().prop_map(|s| json!({"severity": s})), 0..6);
        let keyword = (
            proptest::sample::select(vec!["secret", "draft", "user:x", ""]),
            proptest::sample::select(vec!["社外秘", "(", "x+", ""]),
            severity_name(),
        )
            .prop_map(|(id, pattern, severity)| json!({"id": id, "pattern": pattern, "severity": severity}));
        let keywords = proptest::collection::vec(keyword, 0..4);
        let domains =
            proptest::collection::vec(proptest::sample::select(vec!["partner.example", "*.corp.example", "a*b"]), 0..3);
        let audit_log = (
            proptest::option::of(any::<bool>()),
            proptest::option::of(proptest::sample::select(vec![0u32, 1, 30, 90, 365, 3650, 3651])),
            proptest::option::of(any::<bool>()),
        );
        (rules, keywords, domains, any::<bool>(), audit_log).prop_map(
            |(rules, keywords, domains, junk, (enabled, retention_days, subjects))| {
                let mut user = json!({"rules": rules, "keywords": keywords, "internalDomains": domains,
                                      "auditLog": {"enabled": enabled, "retentionDays": retention_days, "subjects": subjects}});
                if junk {
                    user["dialog"] = json!({"skipWhenInternalOnly": true});
                }
                user
            },
        )
    }

    fn admin_policies() -> impl Strategy<Value = Value> {
        proptest::sample::select(vec![
            Value::Null,
            json!({"internalDomains": ["corp.example"],
                   "rules": {"external-recipient": {"severity": "warn"}, "placeholder": {"severity": "off"},
                             "keyword": {"severity": "info"}},
                   "keywords": [{"id": "secret", "pattern": "社外秘", "severity": "block"}, {"id": "draft", "pattern": "下書き"}]}),
            json!({"userMayAddInternalDomains": true, "keywords": [{"id": "secret", "pattern": "(bad"}]}),
            json!({"auditLog": {"enabled": true, "retentionDays": 180, "subjects": true}}),
            json!({"auditLog": {"enabled": true, "retentionDays": 0}}),
        ])
    }

    proptest! {
        /// Whatever the user sets, no severity goes down, no admin keyword rule goes away or changes,
        /// and the confirmation record keeps no less.
        #[test]
        fn user_settings_only_make_checks_stricter(admin in admin_policies(), user in user_settings()) {
            let before = Policy::load(&admin, Lang::En).policy;
            let after = Policy::load_with_user(&admin, &user, Lang::En).policy;
            for &code in Code::ALL {
                prop_assert!(after.rules.severity(code) >= before.rules.severity(code), "{code:?}");
            }
            for rule in &before.keywords {
                let kept = after.keywords.iter().find(|k| k.id == rule.id);
                prop_assert_eq!(kept, Some(rule));
                prop_assert!(kept.unwrap().effective_severity(&after) >= rule.effective_severity(&before));
            }
            prop_assert!(after.keywords.iter().skip(before.keywords.len()).all(|k| k.id.starts_with("user:")));
            prop_assert_eq!(after.degraded, before.degraded);
            prop_assert_eq!(&after.dialog, &before.dialog);
            prop_assert!(after.audit_log.enabled >= before.audit_log.enabled);
            prop_assert!(after.audit_log.subjects >= before.audit_log.subjects);
            prop_assert!(after.audit_log.retention_days >= before.audit_log.retention_days);
            if !before.user_may_add_internal_domains {
                prop_assert_eq!(&after.internal_domains, &before.internal_domains);
            }
        }
    }
}
