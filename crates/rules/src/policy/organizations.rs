//! The policy's `organizations`: organisations the admin states by name and domains, for the
//! checks that ask who a mail is for (`salutation-mismatch`, `attachment-for-other-party`).
//!
//! The address books and display names teach the engine most of this by themselves; this key
//! is for the organisations an admin wants to be sure of (the biggest customers, the group's
//! own companies).

use super::limits::{MAX_ORGANIZATIONS, MAX_PER_ORGANIZATION};
use super::raw::RawOrganization;
use super::{Diagnostic, DiagnosticLevel};
use crate::domain::Domain;
use crate::i18n::Lang;
use crate::orgs::{org_key, OrgIndex};

/// The policy's organisations, indexed.
#[derive(Clone, Debug, Default)]
pub struct Organizations {
    /// Each organisation's names and registrable domains, as validated.
    list: Vec<(Vec<String>, Vec<String>)>,
    index: OrgIndex,
}

impl PartialEq for Organizations {
    fn eq(&self, other: &Self) -> bool {
        self.list == other.list
    }
}

impl Eq for Organizations {}

impl Organizations {
    /// The organisations, indexed like the address books' (see [`crate::orgs`]).
    pub fn index(&self) -> &OrgIndex {
        &self.index
    }

    /// How many organisations the policy states.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether the policy states none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

fn error(source: &'static str, path: String, message: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic { level: DiagnosticLevel::Error, source, path, message: message.into(), hint: Some(hint.to_string()) }
}

/// Validates `organizations`: every entry needs at least one name that is more than a legal
/// marker, and its domains must be domains.
pub(super) fn apply(
    raw: Option<&[RawOrganization]>,
    out: &mut Organizations,
    source: &'static str,
    lang: Lang,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let Some(raw) = raw else { return };
    if raw.len() > MAX_ORGANIZATIONS {
        diagnostics.push(Diagnostic {
            level: DiagnosticLevel::Warning,
            source,
            path: "organizations".to_string(),
            message: lang.pick3(
                format!("組織が {} 件あります。最初の {MAX_ORGANIZATIONS} 件だけを使います。", raw.len()),
                format!("{} organizations are listed; only the first {MAX_ORGANIZATIONS} are used.", raw.len()),
                format!("列出了 {} 个组织，只使用前 {MAX_ORGANIZATIONS} 个。", raw.len()),
            ),
            hint: Some(
                lang.pick3(
                    "アドレス帳の組織名（ORG）からも学習するので、ここには主な組織だけを書いてください。",
                    "Organisations are also learned from the address books (ORG); list only the main ones here.",
                    "组织也会从通讯录的组织名（ORG）中学习，这里只需列出主要的组织。",
                )
                .to_string(),
            ),
        });
    }
    for (i, org) in raw.iter().enumerate().take(MAX_ORGANIZATIONS) {
        let names: Vec<String> = org
            .name
            .iter()
            .flatten()
            .take(MAX_PER_ORGANIZATION)
            .map(|n| n.trim().to_string())
            .filter(|n| !org_key(n).is_empty())
            .collect();
        if names.is_empty() {
            diagnostics.push(error(
                source,
                format!("organizations[{i}].name"),
                lang.pick3(
                    "組織名がありません（株式会社などの法人格だけの名前は使えません）。この組織は無視されます。",
                    "the organization has no name (a legal-entity marker such as \"Co., Ltd.\" alone is not a name). It is ignored.",
                    "该组织没有名称（只有“株式会社”等法人类型不能作为名称）。该组织将被忽略。",
                ),
                lang.pick3(
                    "\"name\": [\"株式会社アルファ商事\"] のように書いてください。",
                    "Write it as \"name\": [\"Alpha Trading Co., Ltd.\"].",
                    "请写成 \"name\": [\"株式会社アルファ商事\"] 的形式。",
                ),
            ));
            continue;
        }
        let mut domains: Vec<String> = Vec::new();
        for (j, text) in org.domains.iter().flatten().enumerate().take(MAX_PER_ORGANIZATION) {
            match Domain::parse(text.trim()).filter(|d| d.as_str().contains('.')) {
                Some(domain) => domains.push(domain.registrable().to_string()),
                None => diagnostics.push(error(
                    source,
                    format!("organizations[{i}].domains[{j}]"),
                    lang.pick3(
                        format!("\"{text}\" はドメインとして使えません。このドメインは無視されます。"),
                        format!("\"{text}\" is not a domain. It is ignored."),
                        format!("\"{text}\" 不是域名。该域名将被忽略。"),
                    ),
                    lang.pick3(
                        "\"alpha-shoji.example\" のように、アドレスの @ より後ろを書いてください。",
                        "Write the part of the addresses after the @, such as \"alpha-shoji.example\".",
                        "请写出地址中 @ 之后的部分，例如 \"alpha-shoji.example\"。",
                    ),
                )),
            }
        }
        for name in &names {
            if domains.is_empty() {
                out.index.add_org(name, None);
            }
            for domain in &domains {
                out.index.add_org(name, Some(domain));
            }
        }
        out.list.push((names, domains));
    }
}

#[cfg(test)]
mod tests {
    use crate::orgs::Knowledge;
    use crate::{Lang, Policy};

    #[test]
    fn organizations_are_validated_with_paths() {
        let loaded = Policy::load(
            &serde_json::json!({"organizations": [
                {"name": ["株式会社アルファ商事", "Alpha Shoji"], "domains": ["Alpha-Shoji.example", "mail.alpha.co.jp"]},
                {"name": ["株式会社"], "domains": ["x.example"]},
                {"name": ["ベータ"], "domains": ["not a domain"]},
            ]}),
            Lang::En,
        );
        let paths: Vec<&str> = loaded.diagnostics.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["organizations[1].name", "organizations[2].domains[0]"]);
        assert!(loaded.policy.degraded);
        let orgs = &loaded.policy.organizations;
        assert_eq!(orgs.len(), 2);
        let k = Knowledge::new(crate::orgs::OrgIndex::new(), vec![orgs.index()]);
        assert_eq!(k.org_domains("アルファ商事"), ["alpha-shoji.example", "alpha.co.jp"]);
        assert_eq!(k.org_domains("alphashoji"), ["alpha-shoji.example", "alpha.co.jp"]);
        assert_eq!(k.org_name("アルファ商事"), Some("株式会社アルファ商事"));
    }

    #[test]
    fn a_wrong_shape_is_a_diagnostic_and_too_many_are_capped() {
        let loaded = Policy::load(&serde_json::json!({"organizations": [{"name": "アルファ"}]}), Lang::Ja);
        assert_eq!(loaded.diagnostics[0].path, "organizations[0].name");
        let many: Vec<_> = (0..1001).map(|i| serde_json::json!({"name": [format!("組織{i}")]})).collect();
        let loaded = Policy::load(&serde_json::json!({ "organizations": many }), Lang::En);
        assert_eq!(loaded.policy.organizations.len(), 1000);
        assert_eq!(loaded.diagnostics[0].path, "organizations");
    }
}
