//! From raw JSON to a validated [`Policy`], never failing.
//!
//! Loading works in two passes:
//! 1. Shape. The JSON is deserialized into [`RawPolicy`]. On an error, the offending value
//!    is recorded as a diagnostic (with its JSON path), removed, and deserialization is tried
//!    again, so that one run reports every shape error, not only the first.
//!    `RawPolicy` stays the single source of truth for keys and types, except for the objects
//!    and keys of flags and numbers read by a table (`inspection`, `minRows`, see `table.rs`),
//!    which are shaped here too, with the same diagnostics.
//! 2. Meaning. Values that have the right type but a wrong meaning (a domain pattern that is
//!    not a domain) become diagnostics too, and are ignored.
//!
//! Any error marks the policy degraded: the strictest safe dialog applies and the dialog
//! shows the diagnostics, so that a broken policy never lets mail through with fewer checks.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use super::input::{InputProblem, InputProblemKind, PolicyInput, MAX_DEPTH};
use super::limits::{capped, Listed, MAX_BLOCKED_ENTRIES, MAX_DOMAINS};
use super::raw::{RawBlockedRule, RawBulkRule, RawDialog, RawPolicy};
use super::table;
use super::wording::{self, describe, with_detail};
use super::{Diagnostic, DiagnosticLevel, DialogSettings, Policy, RecipientSettings, MAX_COUNTDOWN_SECONDS};
use crate::code::Code;
use crate::domain::{BlockEntry, DomainPattern, DomainSet};
use crate::i18n::Lang;

/// At most this many shape errors are reported; past that the remaining broken keys are
/// dropped whole, so that a huge broken policy cannot make loading quadratic.
const MAX_SHAPE_ERRORS: usize = 50;

/// A policy with the diagnostics found while loading it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadedPolicy {
    /// The effective policy.
    pub policy: Policy,
    /// Every problem found, errors first.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadedPolicy {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == DiagnosticLevel::Error)
    }
}

impl Policy {
    /// Loads the admin's policy (the object under `3rdparty.Extensions[<id>]`).
    /// `null` means no policy: the defaults apply, without a diagnostic.
    pub fn load(admin: &Value, lang: Lang) -> LoadedPolicy {
        load_admin(PolicyInput::from_value(admin), lang).0
    }

    /// Loads the admin's policy as taken in by [`PolicyInput`]: its problems (too deep, not a
    /// finite number, a key written twice) are errors at their paths, and degrade the policy.
    pub fn load_input(admin: PolicyInput, lang: Lang) -> LoadedPolicy {
        load_admin(admin, lang).0
    }

    /// The policy to use when the admin's policy could not even be read (a storage failure):
    /// the defaults, degraded, with the reason as a diagnostic.
    pub fn unreadable(reason: &str, lang: Lang) -> LoadedPolicy {
        let policy = unknown_policy();
        let diagnostic = Diagnostic {
            level: DiagnosticLevel::Error,
            source: "admin",
            path: String::new(),
            message: lang.pick3(
                format!("管理者のポリシーを読み込めませんでした: {reason}"),
                format!("the administrator's policy could not be read: {reason}"),
                format!("无法读取管理员的策略：{reason}"),
            ),
            hint: Some(
                lang.pick3(
                    "最も厳しい設定で確認します。繰り返し起きる場合は管理者に連絡してください。",
                    "The strictest checks apply. If this keeps happening, tell your administrator.",
                    "将按最严格的设置进行检查。如果反复出现，请联系管理员。",
                )
                .to_string(),
            ),
        };
        LoadedPolicy { policy, diagnostics: vec![diagnostic] }
    }

    /// Loads a policy from JSON text, reporting a syntax error with its line and column.
    pub fn load_text(text: &str, lang: Lang) -> LoadedPolicy {
        match PolicyInput::from_text(text) {
            Ok((input, _)) => Policy::load_input(input, lang),
            Err(e) => {
                let policy = unknown_policy();
                let diagnostic = Diagnostic {
                    level: DiagnosticLevel::Error,
                    source: "admin",
                    path: String::new(),
                    message: {
                        let (line, column, what) = (e.line(), e.column(), wording::json_syntax(&e.to_string(), lang));
                        lang.pick3(
                            format!("JSON として読めません（{line} 行 {column} 列）: {what}。"),
                            format!("not valid JSON (line {line}, column {column}): {what}."),
                            format!("无法作为 JSON 读取（第 {line} 行第 {column} 列）：{what}。"),
                        )
                    },
                    hint: Some(with_detail(
                        lang.pick3(
                            "括弧・引用符・カンマの過不足を確認してください。",
                            "Check for a missing or extra bracket, quote or comma.",
                            "请检查括号、引号和逗号是否有缺少或多余。",
                        ),
                        &e.to_string(),
                    )),
                };
                LoadedPolicy { policy, diagnostics: vec![diagnostic] }
            }
        }
    }
}

/// Loads the admin's policy, also returning the raw policy for what only the merge with the
/// user's settings reads.
pub(super) fn load_admin(admin: PolicyInput, lang: Lang) -> (LoadedPolicy, RawPolicy) {
    let mut diagnostics = input_diagnostics(&admin.problems, "admin", lang);
    let reported = replaced_paths(&admin.problems);
    let mut value = admin.value;
    // What the tables read is taken out first (see `table.rs`): serde sees the rest.
    let mut tables = table::TABLES.map(|t| (t, table::take(t, &mut value)));
    let (raw, removals): (RawPolicy, _) = shape(value, &reported, "admin", lang, &mut diagnostics);
    for (t, taken) in &mut tables {
        table::shape(t, taken, "admin", lang, &mut diagnostics);
    }
    let mut policy = Policy::default();
    let shaped = diagnostics.len();
    apply(&raw, &tables, &mut policy, "admin", lang, &mut diagnostics);
    removals.restore(&mut diagnostics[shaped..]);
    if diagnostics.iter().any(|d| d.level == DiagnosticLevel::Error) {
        policy.degraded = true;
        policy.dialog.tighten();
        // A broken `internalDomains` is dropped, which must not read as "the admin named
        // none": only an explicit permission lets users add domains to a broken policy.
        policy.user_may_add_internal_domains = raw.user_may_add_internal_domains.unwrap_or(false);
    }
    diagnostics.sort_by_key(|d| std::cmp::Reverse(d.level));
    cap(&mut diagnostics, "admin", lang);
    (LoadedPolicy { policy, diagnostics }, raw)
}

/// The diagnostics of the problems met while taking in a policy (see [`PolicyInput`]).
pub(super) fn input_diagnostics(problems: &[InputProblem], source: &'static str, lang: Lang) -> Vec<Diagnostic> {
    problems
        .iter()
        .map(|problem| {
            let (message, hint) = match &problem.kind {
                InputProblemKind::TooDeep => (
                    lang.pick3(
                        format!("{MAX_DEPTH} 段より深く入れ子になっています。この値は無視されます。"),
                        format!("nested deeper than {MAX_DEPTH} levels; this value is ignored."),
                        format!("嵌套超过 {MAX_DEPTH} 层。此值将被忽略。"),
                    ),
                    lang.pick3(
                        "ポリシーの入れ子は 4 段までで足ります。余分な括弧を消してください。",
                        "A policy needs at most 4 levels of nesting. Remove the extra brackets.",
                        "策略最多只需 4 层嵌套。请删除多余的括号。",
                    ),
                ),
                InputProblemKind::NotFinite(text) => (
                    lang.pick3(
                        format!("数値 {text} は有限の数ではありません（1e999 のような大きすぎる数や NaN）。この値は無視されます。"),
                        format!("the number {text} is not finite (a number too large, such as 1e999, or NaN); this value is ignored."),
                        format!("数值 {text} 不是有限数（如 1e999 这样过大的数或 NaN）。此值将被忽略。"),
                    ),
                    lang.pick3(
                        "スキーマの範囲の数を書いてください。",
                        "Write a number in the range the schema gives.",
                        "请填写架构规定范围内的数。",
                    ),
                ),
                InputProblemKind::NotJson(kind) => (
                    lang.pick3(
                        format!("JSON の値ではありません（{kind}）。この値は無視されます。"),
                        format!("not a JSON value (a {kind}); this value is ignored."),
                        format!("不是 JSON 值（{kind}）。此值将被忽略。"),
                    ),
                    lang.pick3(
                        "文字列・数・真偽値・配列・オブジェクトだけが使えます。",
                        "Only strings, numbers, booleans, arrays and objects can be used.",
                        "只能使用字符串、数、布尔值、数组和对象。",
                    ),
                ),
                InputProblemKind::DuplicateKey => (
                    lang.pick3(
                        "同じオブジェクトに同じ項目が 2 回書かれています。重要度なら厳しい方を、オブジェクトなら両方をまとめて、それ以外は後の値を使います。",
                        "this key is written twice in one object. Of two severities the stricter one is used, two objects are merged, and otherwise the later value is used.",
                        "同一对象中同一项写了两次。若是重要程度则采用较严格的一个，若是对象则将两者合并，其他情况采用后面的值。",
                    )
                    .to_string(),
                    lang.pick3("どちらか一方を消してください。", "Remove one of the two.", "请删除其中一个。"),
                ),
            };
            Diagnostic {
                level: DiagnosticLevel::Error,
                source,
                path: problem.path.clone(),
                message,
                hint: Some(hint.to_string()),
            }
        })
        .collect()
}

/// The paths whose values a [`PolicyInput`] replaced by `null`.
pub(super) fn replaced_paths(problems: &[InputProblem]) -> HashSet<String> {
    problems.iter().filter(|p| p.kind != InputProblemKind::DuplicateKey).map(|p| p.path.clone()).collect()
}

/// At most this many diagnostics are kept; a policy with thousands of broken entries gets the
/// first ones and a count of the rest, so that the dialog and the playground stay usable.
const MAX_DIAGNOSTICS: usize = 1000;

/// Keeps the first [`MAX_DIAGNOSTICS`] diagnostics (errors first, as sorted) and says how
/// many more there were.
pub(super) fn cap(diagnostics: &mut Vec<Diagnostic>, source: &'static str, lang: Lang) {
    if diagnostics.len() <= MAX_DIAGNOSTICS {
        return;
    }
    let more = diagnostics.len() - MAX_DIAGNOSTICS;
    let level = diagnostics[MAX_DIAGNOSTICS..].iter().map(|d| d.level).max().unwrap_or(DiagnosticLevel::Warning);
    diagnostics.truncate(MAX_DIAGNOSTICS);
    diagnostics.push(Diagnostic {
        level,
        source,
        path: String::new(),
        message: lang.pick3(
            format!("ほかに {more} 件の問題があります。"),
            format!("{more} more problems are not shown."),
            format!("另有 {more} 个问题未显示。"),
        ),
        hint: Some(
            lang.pick3(
                "上の問題を直すと、残りが表示されます。",
                "Fix the problems above to see the rest.",
                "修正上面的问题后，将显示其余问题。",
            )
            .to_string(),
        ),
    });
}

/// The policy when the admin's could not be read: nothing is known of what the admin wants,
/// so everything that can ask more does, and users may not widen the internal domains.
fn unknown_policy() -> Policy {
    Policy {
        degraded: true,
        dialog: DialogSettings::strictest(),
        user_may_add_internal_domains: false,
        ..Policy::default()
    }
}

/// Deserializes a policy-shaped value, collecting every shape error as a diagnostic.
///
/// Each offending node is dropped and deserialization tried again, so that one mistake never
/// hides the others and the rest of the policy still applies. Dropping an array element
/// shifts the later ones; [`Removals`] maps the paths back to the admin's own indices.
///
/// `reported` holds the paths of values already reported and replaced by `null` (see
/// [`PolicyInput`]): the type error that `null` gives there is not reported again.
pub(super) fn shape<T: DeserializeOwned + Default>(
    mut value: Value,
    reported: &HashSet<String>,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) -> (T, Removals) {
    let removals = Removals::default();
    if value.is_null() {
        return (T::default(), removals);
    }
    if !value.is_object() {
        out.push(Diagnostic {
            level: DiagnosticLevel::Error,
            source,
            path: String::new(),
            message: lang
                .pick3(
                    "ポリシーは JSON オブジェクト（{ ... }）でなければなりません。",
                    "The policy must be a JSON object ({ ... }).",
                    "策略必须是 JSON 对象（{ ... }）。",
                )
                .to_string(),
            hint: None,
        });
        return (T::default(), removals);
    }
    let mut shaping = Shaping { errors: 0, removals, reported, source, lang };
    // Each top-level key is shaped on its own first, so that a retry after an error reads only
    // the key at fault, not the whole policy: a policy of 10 MB with its broken keys beside
    // long lists otherwise took seconds (issue #11).
    if let Value::Object(map) = &mut value {
        let keys: Vec<String> = map.keys().cloned().collect();
        for key in keys {
            let Some(item) = map.remove(&key) else { continue };
            let mut single = Value::Object(serde_json::Map::from_iter([(key.clone(), item)]));
            while let Err(error) = serde_path_to_error::deserialize::<_, T>(&single) {
                if !shaping.drop_at_fault::<T>(error, &mut single, out) {
                    break;
                }
            }
            if let Value::Object(mut single) = single {
                if let Some(item) = single.remove(&key) {
                    map.insert(key, item);
                }
            }
        }
    }
    loop {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(raw) => return (raw, shaping.removals),
            Err(error) => {
                if !shaping.drop_at_fault::<T>(error, &mut value, out) {
                    return (T::default(), shaping.removals);
                }
            }
        }
    }
}

/// The state of shaping one policy: the errors so far and the elements dropped.
struct Shaping<'a> {
    errors: usize,
    removals: Removals,
    reported: &'a HashSet<String>,
    source: &'static str,
    lang: Lang,
}

impl Shaping<'_> {
    /// Reports a shape error and drops the value at fault. Returns false when nothing can be
    /// dropped (the error is about the whole value).
    fn drop_at_fault<T: DeserializeOwned>(
        &mut self,
        error: serde_path_to_error::Error<serde_json::Error>,
        value: &mut Value,
        out: &mut Vec<Diagnostic>,
    ) -> bool {
        let segments: Vec<Segment> = error.path().iter().cloned().collect();
        self.errors += 1;
        let mut diagnostic = describe(&error.path().to_string(), &error.inner().to_string(), self.source, self.lang);
        diagnostic.path = self.removals.original(&diagnostic.path);
        if self.errors <= MAX_SHAPE_ERRORS && !self.reported.contains(&diagnostic.path) {
            out.push(diagnostic);
        }
        if self.errors == MAX_SHAPE_ERRORS {
            // Past this many errors, every top-level key that cannot be read on its own is
            // dropped at once: one retry per error would read a huge key again for each of
            // its broken entries.
            keep_readable_keys::<T>(value);
            return true;
        }
        let segments = if self.errors >= MAX_SHAPE_ERRORS { &segments[..segments.len().min(1)] } else { &segments[..] };
        if !remove(value, segments) {
            return false;
        }
        if let Some((Segment::Seq { index }, parent)) = segments.split_last() {
            self.removals.0.push((display_path(parent), *index));
        }
        true
    }
}

/// Drops the top-level keys of an object that do not deserialize on their own. Each key is
/// read once, so the work is linear in the size of the value.
fn keep_readable_keys<T: DeserializeOwned>(value: &mut Value) {
    let Value::Object(map) = value else { return };
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let Some(item) = map.remove(&key) else { continue };
        let mut single = serde_json::Map::new();
        single.insert(key.clone(), item);
        let single = Value::Object(single);
        // Through `serde_path_to_error` as every other read of `T`, though the path is not
        // needed: a plain `T::deserialize` would compile a second copy of all the policy's readers.
        if serde_path_to_error::deserialize::<_, T>(&single).is_ok() {
            if let Value::Object(mut single) = single {
                if let Some(item) = single.remove(&key) {
                    map.insert(key, item);
                }
            }
        }
    }
}

/// The array elements dropped while shaping a policy, in order: the array's path and the
/// element's index at the time it was dropped.
#[derive(Debug, Default)]
pub(super) struct Removals(Vec<(String, usize)>);

impl Removals {
    /// The path in the admin's own text for a path in the shaped value:
    /// `internalDomains[0]` is `internalDomains[1]` when element 0 was dropped before.
    pub(super) fn original(&self, path: &str) -> String {
        let mut path = path.to_string();
        for (array, removed) in self.0.iter().rev() {
            let Some(rest) = path.strip_prefix(array.as_str()).and_then(|r| r.strip_prefix('[')) else { continue };
            let Some((digits, tail)) = rest.split_once(']') else { continue };
            let Ok(index) = digits.parse::<usize>() else { continue };
            if index >= *removed {
                path = format!("{array}[{}]{tail}", index + 1);
            }
        }
        path
    }

    /// Maps the paths of diagnostics made from the shaped value.
    pub(super) fn restore(&self, diagnostics: &mut [Diagnostic]) {
        if self.0.is_empty() {
            return;
        }
        for d in diagnostics {
            d.path = self.original(&d.path);
        }
    }
}

/// A path as `serde_path_to_error` displays it: `rules.blocked-domain.entries`, `keywords[2]`.
fn display_path(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Enum { variant } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(variant);
            }
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

/// Removes the value at the path. Returns false when the path is empty or does not lead anywhere.
fn remove(value: &mut Value, path: &[Segment]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut node = value;
    for segment in parents {
        node = match (segment, node) {
            (Segment::Map { key }, Value::Object(map)) => match map.get_mut(key) {
                Some(child) => child,
                None => return false,
            },
            (Segment::Seq { index }, Value::Array(items)) => match items.get_mut(*index) {
                Some(child) => child,
                None => return false,
            },
            _ => return false,
        };
    }
    match (last, node) {
        (Segment::Map { key }, Value::Object(map)) => map.remove(key).is_some(),
        (Segment::Seq { index }, Value::Array(items)) if *index < items.len() => {
            items.remove(*index);
            true
        }
        _ => false,
    }
}

fn apply(
    raw: &RawPolicy,
    tables: &[(&table::Table, Value)],
    policy: &mut Policy,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    domain_patterns(
        raw.internal_domains.as_deref(),
        "internalDomains",
        &mut policy.internal_domains,
        source,
        lang,
        out,
    );
    domain_patterns(raw.known_domains.as_deref(), "knownDomains", &mut policy.known_domains, source, lang, out);
    if let Some(rules) = &raw.rules {
        // Every check's severity, in one loop: a check's `rules.<code>.severity` cannot be
        // forgotten here, because the raw rules and this list are generated from the checks.
        for &code in Code::ALL {
            if let Some(severity) = rules.severity(code) {
                policy.rules.set_severity(code, severity);
            }
        }
        if let Some(bulk) = &rules.bulk_visible_recipients {
            apply_bulk(bulk, policy, source, lang, out);
        }
        if let Some(blocked) = &rules.blocked_domain {
            apply_blocked(blocked, policy, source, lang, out);
        }
    }
    policy.user_may_add_internal_domains =
        raw.user_may_add_internal_domains.unwrap_or_else(|| raw.internal_domains.as_ref().is_none_or(|d| d.is_empty()));
    if let Some(on_failure) = raw.on_failure {
        policy.on_failure = on_failure;
    }
    if let Some(dialog) = &raw.dialog {
        apply_dialog(dialog, &mut policy.dialog, source, lang, out);
    }
    for (t, taken) in tables {
        table::apply(t, taken, policy, source, lang, out);
    }
    if let Some(audit_log) = &raw.audit_log {
        super::audit_log::apply_admin(audit_log, &mut policy.audit_log, source, lang, out);
    }
    super::content::apply(raw, policy, source, lang, out);
    super::organizations::apply(raw.organizations.as_deref(), &mut policy.organizations, source, lang, out);
}

/// FlexConfirmMail's way of writing a domain, `@corp.example`, read as `corp.example` with a
/// warning that says what it means, rather than dropped: admins paste their old lists.
pub(super) fn at_domain<'a>(
    text: &'a str,
    path: &str,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) -> &'a str {
    let Some(domain) = text.trim().strip_prefix('@') else { return text };
    if domain.contains('@') || DomainPattern::parse(domain).is_err() {
        return text;
    }
    out.push(Diagnostic {
        level: DiagnosticLevel::Warning,
        source,
        path: path.to_string(),
        message: lang.pick3(
            format!("\"{text}\" は \"{domain}\" として読みます（そのドメインだけで、サブドメインは含みません）。"),
            format!("\"{text}\" is read as \"{domain}\" (that domain only, not its subdomains)."),
            format!("\"{text}\" 将按 \"{domain}\" 理解（仅该域名，不含其子域名）。"),
        ),
        hint: Some(lang.pick3(
            format!("\"@\" を消して \"{domain}\" と書いてください。サブドメインも含めるには \"*.{domain}\" も加えてください。"),
            format!("Write \"{domain}\" without the \"@\". To include its subdomains, add \"*.{domain}\" too."),
            format!("请去掉 \"@\"，写成 \"{domain}\"。若要包含其子域名，请再加上 \"*.{domain}\"。"),
        )),
    });
    domain
}

/// Parses a list of domain patterns (`internalDomains`, `knownDomains`) into a set.
fn domain_patterns(
    texts: Option<&[String]>,
    key: &str,
    set: &mut DomainSet,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let texts = capped(texts.unwrap_or_default(), MAX_DOMAINS, key, Listed::Domains, source, lang, out);
    for (i, text) in texts.iter().enumerate() {
        let text = at_domain(text, &format!("{key}[{i}]"), source, lang, out);
        match DomainPattern::parse(text) {
            Ok(pattern) => set.insert(pattern),
            Err(reason) => out.push(Diagnostic {
                level: DiagnosticLevel::Error,
                source,
                path: format!("{key}[{i}]"),
                message: lang.pick3(
                    format!("\"{text}\" はドメインとして使えません（{}）。", domain_reason(reason, lang)),
                    format!("\"{text}\" cannot be used as a domain ({reason})."),
                    format!("\"{text}\" 不能用作域名（{}）。", domain_reason(reason, lang)),
                ),
                hint: Some(
                    lang.pick3(
                        "\"corp.example\"（そのドメインだけ）か \"*.corp.example\"（サブドメイン）の形で書いてください。",
                        "Write \"corp.example\" (that domain) or \"*.corp.example\" (its subdomains).",
                        "请写成 \"corp.example\"（仅该域名）或 \"*.corp.example\"（其子域名）的形式。",
                    )
                    .to_string(),
                ),
            }),
        }
    }
}

fn apply_bulk(raw: &RawBulkRule, policy: &mut Policy, source: &'static str, lang: Lang, out: &mut Vec<Diagnostic>) {
    match raw.threshold {
        Some(n) if n >= 2 => policy.recipients.bulk_threshold = n as usize,
        Some(n) => out.push(Diagnostic {
            level: DiagnosticLevel::Error,
            source,
            path: "rules.bulk-visible-recipients.threshold".to_string(),
            message: lang.pick3(
                format!("しきい値 {n} は小さすぎます。2 以上にしてください。この値は無視されます。"),
                format!("the threshold {n} is too small; it must be at least 2. This value is ignored."),
                format!("阈值 {n} 太小，必须至少为 2。此值将被忽略。"),
            ),
            hint: Some(lang.pick3(
                format!("既定値は {} です。", RecipientSettings::DEFAULT_BULK_THRESHOLD),
                format!("The default is {}.", RecipientSettings::DEFAULT_BULK_THRESHOLD),
                format!("默认值为 {}。", RecipientSettings::DEFAULT_BULK_THRESHOLD),
            )),
        }),
        None => {}
    }
}

fn apply_blocked(
    raw: &RawBlockedRule,
    policy: &mut Policy,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let entries = raw.entries.as_deref().unwrap_or_default();
    let entries =
        capped(entries, MAX_BLOCKED_ENTRIES, "rules.blocked-domain.entries", Listed::Domains, source, lang, out);
    for (i, text) in entries.iter().enumerate() {
        let text = at_domain(text, &format!("rules.blocked-domain.entries[{i}]"), source, lang, out);
        match BlockEntry::parse(text) {
            Ok(entry) => policy.recipients.blocked.insert(entry),
            Err(reason) => out.push(Diagnostic {
                level: DiagnosticLevel::Error,
                source,
                path: format!("rules.blocked-domain.entries[{i}]"),
                message: lang.pick3(
                    format!("\"{text}\" は拒否リストに使えません（{}）。この項目は無視されます。", domain_reason(reason, lang)),
                    format!("\"{text}\" cannot be used in the deny list ({reason}). This entry is ignored."),
                    format!("\"{text}\" 不能用于拒绝列表（{}）。此项将被忽略。", domain_reason(reason, lang)),
                ),
                hint: Some(
                    lang.pick3(
                        "\"someone@x.example\"（アドレス）、\"x.example\"（そのドメインだけ）、\"*.x.example\"（サブドメイン）のいずれかの形で書いてください。",
                        "Write \"someone@x.example\" (an address), \"x.example\" (that domain) or \"*.x.example\" (its subdomains).",
                        "请写成 \"someone@x.example\"（地址）、\"x.example\"（仅该域名）或 \"*.x.example\"（其子域名）之一的形式。",
                    )
                    .to_string(),
                ),
            }),
        }
    }
}

fn apply_dialog(
    raw: &RawDialog,
    dialog: &mut DialogSettings,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let flags = [
        (raw.skip_when_internal_only, &mut dialog.skip_when_internal_only),
        (raw.require_internal_tick, &mut dialog.require_internal_tick),
        (raw.confirm_sender, &mut dialog.confirm_sender),
        (raw.allow_check_all.as_ref().and_then(|c| c.internal), &mut dialog.check_all_internal),
        (raw.allow_check_all.as_ref().and_then(|c| c.external), &mut dialog.check_all_external),
        (raw.retype_attachment_names_for_external, &mut dialog.retype_attachment_names_for_external),
        (raw.allow_send_now, &mut dialog.allow_send_now),
    ];
    for (value, setting) in flags {
        if let Some(v) = value {
            *setting = v;
        }
    }
    if let Some(seconds) = raw.countdown_seconds {
        if seconds > MAX_COUNTDOWN_SECONDS {
            // Clamped rather than ignored: the admin asked for a delay, and a shorter one
            // serves that intent better than none.
            // A warning, not an error: the value has one clear reading, so the rest of the
            // policy applies as written and the dialog does not fall back to the strictest.
            out.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                source,
                path: "dialog.countdownSeconds".to_string(),
                message: lang.pick3(
                    format!("{seconds} 秒は長すぎます。{MAX_COUNTDOWN_SECONDS} 秒として扱います。"),
                    format!("{seconds} seconds is too long; {MAX_COUNTDOWN_SECONDS} seconds is used instead."),
                    format!("{seconds} 秒太长，将按 {MAX_COUNTDOWN_SECONDS} 秒处理。"),
                ),
                hint: Some(lang.pick3(
                    format!("0（待たない）から {MAX_COUNTDOWN_SECONDS} までの整数を書いてください。"),
                    format!("Write a whole number from 0 (no countdown) to {MAX_COUNTDOWN_SECONDS}."),
                    format!("请填写 0（不倒计时）到 {MAX_COUNTDOWN_SECONDS} 之间的整数。"),
                )),
            });
        }
        dialog.countdown_seconds = seconds.min(MAX_COUNTDOWN_SECONDS);
    }
}

/// Why a text is not a domain pattern, in the reader's language: the parser's reasons are English.
pub(super) fn domain_reason(reason: &str, lang: Lang) -> &str {
    let texts: &[(&str, [&str; 2])] = &[
        (
            "a wildcard is only allowed as a leading \"*.\"",
            ["ワイルドカードは先頭の \"*.\" だけに使えます", "通配符只能用于开头的 \"*.\""],
        ),
        ("an address, not a domain", ["ドメインではなくアドレスです", "这是地址，不是域名"]),
        ("not a valid address", ["アドレスの形ではありません", "不是有效的地址格式"]),
        (
            "a domain has at least two labels, such as corp.example",
            [
                "corp.example のように、ドットで区切られた 2 つ以上の部分が必要です",
                "域名至少需要两个由点分隔的部分，如 corp.example",
            ],
        ),
    ];
    let [ja, zh] = texts
        .iter()
        .find(|(en, _)| *en == reason)
        .map(|(_, t)| *t)
        .unwrap_or(["ドメインの形ではありません", "不是域名的格式"]);
    lang.pick3(ja, reason, zh)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Severity;
    use serde_json::json;

    fn paths(loaded: &LoadedPolicy) -> Vec<&str> {
        loaded.diagnostics.iter().map(|d| d.path.as_str()).collect()
    }

    #[test]
    fn a_good_policy_loads_without_diagnostics() {
        let loaded = Policy::load(
            &json!({"internalDomains": ["corp.example", "*.corp.example"],
                    "rules": {"external-recipient": {"severity": "warn"}},
                    "dialog": {"skipWhenInternalOnly": true}}),
            Lang::En,
        );
        assert_eq!(loaded.diagnostics, vec![]);
        assert!(!loaded.policy.degraded);
        assert_eq!(loaded.policy.rules.severity(Code::ExternalRecipient), Severity::Warn);
        assert!(loaded.policy.dialog.skip_when_internal_only);
        assert_eq!(loaded.policy.internal_domains.patterns().len(), 2);
    }

    #[test]
    fn a_capped_list_is_told_how_to_shorten_it_by_what_it_holds() {
        let domains: Vec<String> = (0..=MAX_DOMAINS).map(|i| format!("d{i}.example")).collect();
        let max_terms = super::super::limits::MAX_ATTACHMENT_TERMS;
        let terms: Vec<String> = (0..=max_terms).map(|i| format!("w{i}")).collect();
        let loaded = Policy::load(
            &json!({"internalDomains": domains, "rules": {"attachment-forgotten": {"terms": terms}}}),
            Lang::En,
        );
        let hint = |path: &str| {
            let d = loaded.diagnostics.iter().find(|d| d.path == path).unwrap_or_else(|| panic!("{path}: {loaded:?}"));
            d.hint.clone().unwrap()
        };
        // A domain list can be shortened with one `*.` entry; a list of words cannot.
        assert!(hint(&format!("internalDomains[{MAX_DOMAINS}]")).contains("*.corp.example"));
        let words = hint(&format!("rules.attachment-forgotten.terms[{max_terms}]"));
        assert!(!words.contains("*.corp.example") && words.contains("remove duplicates"), "{words}");
        assert_eq!(loaded.policy.internal_domains.patterns().len(), MAX_DOMAINS);
    }

    #[test]
    fn every_shape_error_is_reported_with_its_path() {
        let loaded = Policy::load(
            &json!({"internalDomain": ["corp.example"],
                    "rules": {"external-recipient": {"severity": "blok"}, "externl-recipient": {}},
                    "dialog": {"skipWhenInternalOnly": "yes"},
                    "internalDomains": ["corp.example", "a*.b", 3]}),
            Lang::En,
        );
        let mut got = paths(&loaded);
        got.sort();
        assert_eq!(
            got,
            vec![
                "dialog.skipWhenInternalOnly",
                "internalDomain",
                "internalDomains[1]",
                "internalDomains[2]",
                "rules.external-recipient.severity",
                "rules.externl-recipient",
            ]
        );
        assert!(loaded.policy.degraded);
        assert!(!loaded.policy.dialog.skip_when_internal_only);
        // The valid part still applies: corp.example stays internal.
        assert_eq!(loaded.policy.internal_domains.patterns().len(), 1);
        let typo = loaded.diagnostics.iter().find(|d| d.path == "internalDomain").unwrap();
        assert!(typo.hint.as_deref().unwrap().contains("Did you mean \"internalDomains\""), "{typo:?}");
        let blok = loaded.diagnostics.iter().find(|d| d.path.ends_with("severity")).unwrap();
        assert!(blok.hint.as_deref().unwrap().contains("\"block\""), "{blok:?}");
    }

    #[test]
    fn thousands_of_bad_entries_give_a_bounded_list() {
        let bad: Vec<String> = (0..MAX_DOMAINS).map(|i| format!("bad*{i}.example")).collect();
        let loaded = Policy::load(&json!({"internalDomains": bad}), Lang::En);
        assert_eq!(loaded.diagnostics.len(), 1001);
        assert_eq!(loaded.diagnostics[0].path, "internalDomains[0]");
        assert!(loaded.diagnostics[1000].message.contains("9000 more"), "{:?}", loaded.diagnostics[1000]);
        assert!(loaded.policy.degraded);
    }

    #[test]
    fn dropped_array_elements_keep_the_admins_indices() {
        let loaded = Policy::load(
            &json!({"internalDomains": [3, "a*.b", true, "corp.example", "c*.d"],
                    "keywords": [{"id": "a", "pattern": 1}, 7, {"id": "c", "pattern": "("}]}),
            Lang::En,
        );
        let mut got = paths(&loaded);
        got.sort();
        assert_eq!(
            got,
            [
                "internalDomains[0]",
                "internalDomains[1]",
                "internalDomains[2]",
                "internalDomains[4]",
                "keywords[0].pattern",
                "keywords[1]",
                "keywords[2].pattern",
            ]
        );
    }

    #[test]
    fn recipient_check_settings() {
        let loaded = Policy::load(
            &json!({"knownDomains": ["partner.example", "*.partner.example"],
                    "rules": {"bulk-visible-recipients": {"severity": "block", "threshold": 5},
                              "blocked-domain": {"entries": ["x.example", "*.X.example", "Someone@例え.jp"]},
                              "mixed-external-domains": {"severity": "info"},
                              "lookalike-domain": {"severity": "block"},
                              "display-name-mismatch": {"severity": "off"},
                              "new-recipient": {"severity": "warn"}}}),
            Lang::En,
        );
        assert_eq!(loaded.diagnostics, vec![]);
        let policy = &loaded.policy;
        assert_eq!(policy.known_domains.patterns().len(), 2);
        assert_eq!(policy.recipients.bulk_threshold, 5);
        assert!(!policy.recipients.blocked.is_empty());
        let severities: Vec<Severity> = Code::ALL[..7].iter().map(|&c| policy.rules.severity(c)).collect();
        assert_eq!(
            severities,
            [
                Severity::Info,
                Severity::Block,
                Severity::Info,
                Severity::Block,
                Severity::Block,
                Severity::Off,
                Severity::Warn
            ]
        );
        let defaults = Policy::default();
        assert_eq!(defaults.recipients.bulk_threshold, 10);
        let severities: Vec<Severity> = Code::ALL[..7].iter().map(|&c| defaults.rules.severity(c)).collect();
        assert_eq!(
            severities,
            [
                Severity::Info,
                Severity::Warn,
                Severity::Warn,
                Severity::Block,
                Severity::Warn,
                Severity::Warn,
                Severity::Info
            ]
        );
    }

    #[test]
    fn recipient_check_settings_errors_have_paths() {
        let loaded = Policy::load(
            &json!({"knownDomains": ["partner.example", "bad*.example"],
                    "rules": {"bulk-visible-recipients": {"threshold": 1},
                              "blocked-domain": {"entries": ["x.example", "@x.example", "a@*.x.example", "a*b.example", 7],
                                                 "entry": []}}}),
            Lang::En,
        );
        let mut got = paths(&loaded);
        got.sort();
        assert_eq!(
            got,
            vec![
                "knownDomains[1]",
                "rules.blocked-domain.entries[1]",
                "rules.blocked-domain.entries[2]",
                "rules.blocked-domain.entries[3]",
                "rules.blocked-domain.entries[4]",
                "rules.blocked-domain.entry",
                "rules.bulk-visible-recipients.threshold",
            ]
        );
        assert!(loaded.policy.degraded);
        // The valid parts still apply, and a bad threshold keeps the default.
        assert_eq!(loaded.policy.recipients.bulk_threshold, 10);
        assert_eq!(loaded.policy.known_domains.patterns().len(), 1);
        assert!(!loaded.policy.recipients.blocked.is_empty());
        let ja = Policy::load(&json!({"rules": {"blocked-domain": {"entries": ["a b@x.example"]}}}), Lang::Ja);
        assert!(ja.diagnostics[0].message.contains("拒否リストに使えません"), "{:?}", ja.diagnostics);
    }

    #[test]
    fn dialog_keys_have_safe_defaults() {
        let d = Policy::load(&Value::Null, Lang::En).policy.dialog;
        assert!(!d.confirm_sender && d.check_all_internal && !d.check_all_external);
        assert!(!d.retype_attachment_names_for_external && d.allow_send_now);
        assert_eq!(d.countdown_seconds, 0);
    }

    #[test]
    fn dialog_keys_are_read() {
        let loaded = Policy::load(
            &json!({"dialog": {"confirmSender": true, "allowCheckAll": {"internal": false, "external": true},
                               "retypeAttachmentNamesForExternal": true, "countdownSeconds": 60,
                               "allowSendNow": false}}),
            Lang::En,
        );
        assert_eq!(loaded.diagnostics, vec![]);
        let d = loaded.policy.dialog;
        assert!(d.confirm_sender && !d.check_all_internal && d.check_all_external);
        assert!(d.retype_attachment_names_for_external && !d.allow_send_now);
        assert_eq!(d.countdown_seconds, 60);
    }

    #[test]
    fn a_countdown_out_of_range_is_reported_with_its_path() {
        // Too long is clamped to the longest allowed, with a warning that says so (the policy
        // applies as written: issue #9); negative, fractional or text is dropped, an error.
        let cases = [
            (json!(61), 60, false),
            (json!(3600), 60, false),
            (json!(-1), 0, true),
            (json!(2.5), 0, true),
            (json!("10"), 0, true),
        ];
        for (value, expected, degraded) in cases {
            let loaded = Policy::load(&json!({"dialog": {"countdownSeconds": value}}), Lang::En);
            assert_eq!(paths(&loaded), vec!["dialog.countdownSeconds"], "{value}");
            assert_eq!(loaded.policy.dialog.countdown_seconds, expected, "{value}");
            assert_eq!(loaded.policy.degraded, degraded, "{value}");
        }
        let ja = Policy::load(&json!({"dialog": {"countdownSeconds": 90}}), Lang::Ja);
        assert!(ja.diagnostics[0].message.contains("90 秒は長すぎます"), "{:?}", ja.diagnostics);
    }

    #[test]
    fn a_degraded_policy_asks_the_most_but_keeps_its_countdown() {
        let loaded = Policy::load(
            &json!({"internalDomains": ["corp.example", "a*.b"],
                    "dialog": {"confirmSender": false, "allowCheckAll": {"internal": true, "external": true},
                               "skipWhenInternalOnly": true, "countdownSeconds": 10}}),
            Lang::En,
        );
        assert!(loaded.policy.degraded);
        let d = loaded.policy.dialog;
        assert!(d.confirm_sender && !d.check_all_internal && !d.check_all_external);
        assert!(!d.skip_when_internal_only && d.require_internal_tick);
        assert_eq!(d.countdown_seconds, 10);
        let unreadable = Policy::unreadable("timeout", Lang::En).policy;
        assert!(unreadable.dialog.confirm_sender && !unreadable.dialog.check_all_internal);
        assert!(!unreadable.user_may_add_internal_domains);
    }

    #[test]
    fn users_may_add_internal_domains_only_where_the_admin_named_none() {
        let check = |policy: Value, expected: bool| {
            assert_eq!(Policy::load(&policy, Lang::En).policy.user_may_add_internal_domains, expected, "{policy}");
        };
        check(Value::Null, true);
        check(json!({"internalDomains": []}), true);
        check(json!({"internalDomains": ["corp.example"]}), false);
        check(json!({"internalDomains": ["corp.example"], "userMayAddInternalDomains": true}), true);
        check(json!({"userMayAddInternalDomains": false}), false);
        check(json!({"internalDomains": "corp.example"}), false);
    }

    #[test]
    fn japanese_diagnostics() {
        let loaded = Policy::load(&json!({"internalDomain": []}), Lang::Ja);
        assert!(loaded.diagnostics[0].message.contains("項目はありません"));
        assert!(loaded.diagnostics[0].hint.as_deref().unwrap().contains("の誤りではありませんか"));
    }

    #[test]
    fn a_policy_nested_too_deep_is_degraded_and_the_rest_applies() {
        // Issue #11: 3,100 levels of `{"a":` trapped the add-on's engine.
        let deep = "{\"a\":".repeat(3100) + "1" + &"}".repeat(3100);
        let text = format!(
            "{{\"internalDomains\": [\"corp.example\"], \"rules\": {{\"blocked-domain\": {{\"entries\": [\"x.example\", {deep}]}}}}}}"
        );
        let loaded = Policy::load_text(&text, Lang::En);
        assert!(loaded.policy.degraded);
        let deep_path = format!("rules.blocked-domain.entries[1]{}", ".a".repeat(MAX_DEPTH - 4));
        let too_deep = loaded.diagnostics.iter().find(|d| d.path == deep_path).expect("the deep value is reported");
        assert_eq!(too_deep.level, DiagnosticLevel::Error);
        assert!(too_deep.message.contains("nested deeper than 32 levels"), "{too_deep:?}");
        assert!(loaded
            .policy
            .recipients
            .blocked
            .blocks("a@x.example", &crate::domain::Domain::parse("x.example").unwrap()));
        assert_eq!(loaded.policy.internal_domains.patterns().len(), 1);

        // The same as a value, as the CLI passes it (whose JSON parser stops at 128 levels).
        let mut value = json!(1);
        for _ in 0..200 {
            value = json!({ "a": value });
        }
        let loaded = Policy::load(&json!({"keywords": [value]}), Lang::Ja);
        assert!(loaded.policy.degraded);
        let deep_path = format!("keywords[0]{}", ".a".repeat(MAX_DEPTH - 2));
        let too_deep = loaded.diagnostics.iter().find(|d| d.path == deep_path).expect("the deep value is reported");
        assert!(too_deep.message.contains("32 段より深く"), "{too_deep:?}");
    }

    #[test]
    fn a_severity_written_twice_keeps_the_stricter_one_and_degrades() {
        // Issue #11: a later "off" silently overrode a "block".
        let loaded = Policy::load_text(
            r#"{"rules": {"blocked-domain": {"severity": "block", "severity": "off", "entries": ["x.example"]}}}"#,
            Lang::En,
        );
        assert_eq!(loaded.policy.rules.severity(Code::BlockedDomain), Severity::Block);
        assert!(loaded.policy.degraded);
        assert_eq!(paths(&loaded), ["rules.blocked-domain.severity"]);
        assert!(loaded.diagnostics[0].message.contains("written twice"), "{:?}", loaded.diagnostics);
    }

    #[test]
    fn long_lists_are_cut_with_a_diagnostic_and_load_in_linear_time() {
        // Issue #11: 100,000 domains took 15 s to load, de-duplicated by scanning.
        let domains: Vec<String> = (0..MAX_DOMAINS + 5).map(|i| format!("d{i}.corp.example")).collect();
        let loaded = Policy::load(&json!({"internalDomains": domains, "knownDomains": ["@"]}), Lang::En);
        assert_eq!(loaded.policy.internal_domains.patterns().len(), MAX_DOMAINS);
        assert!(loaded.policy.degraded);
        let cut = loaded.diagnostics.iter().find(|d| d.path == format!("internalDomains[{MAX_DOMAINS}]")).unwrap();
        assert!(cut.message.contains("at most 10000 are used"), "{cut:?}");
        let d = |s: &str| crate::domain::Domain::parse(s).unwrap();
        assert!(loaded.policy.internal_domains.matches(&d("d9999.corp.example")));
        assert!(!loaded.policy.internal_domains.matches(&d("d10000.corp.example")));
    }

    #[test]
    fn many_unknown_keys_beside_a_long_list_are_dropped_at_once() {
        // Each retry after a shape error reads the whole policy again; past the limit the
        // broken keys go in one pass, so this policy loads in linear time.
        let mut policy = json!({"internalDomains": ["corp.example"], "knownDomains": ["partner.example"]});
        for i in 0..5000 {
            policy[format!("z{i}")] = json!(i);
        }
        let loaded = Policy::load(&policy, Lang::En);
        assert!(loaded.policy.degraded);
        assert_eq!(loaded.diagnostics.len(), MAX_SHAPE_ERRORS);
        assert_eq!(loaded.policy.internal_domains.patterns().len(), 1);
        assert_eq!(loaded.policy.known_domains.patterns().len(), 1);
    }

    #[test]
    fn flexconfirmmail_at_domains_are_read_with_a_warning() {
        // Issue #11: admins moving from FlexConfirmMail paste "@corp.example".
        let loaded = Policy::load(
            &json!({"internalDomains": ["@corp.example"], "knownDomains": [" @partner.example"],
                    "rules": {"blocked-domain": {"entries": ["@evil.example"]}}}),
            Lang::En,
        );
        assert!(!loaded.policy.degraded);
        assert_eq!(paths(&loaded), ["internalDomains[0]", "knownDomains[0]", "rules.blocked-domain.entries[0]"]);
        assert!(loaded.diagnostics.iter().all(|d| d.level == DiagnosticLevel::Warning));
        assert!(loaded.diagnostics[0].message.contains("is read as \"corp.example\" (that domain only"));
        let d = |s: &str| crate::domain::Domain::parse(s).unwrap();
        assert!(loaded.policy.internal_domains.matches(&d("corp.example")));
        assert!(!loaded.policy.internal_domains.matches(&d("mail.corp.example")));
        assert!(loaded.policy.known_domains.matches(&d("partner.example")));
        assert!(loaded.policy.recipients.blocked.blocks("a@evil.example", &d("evil.example")));
        let ja = Policy::load(&json!({"internalDomains": ["@corp.example"]}), Lang::Ja);
        assert!(ja.diagnostics[0].message.contains("として読みます"));
    }

    #[test]
    fn on_failure_is_read_and_defaults_to_block() {
        use crate::policy::OnFailure;
        assert_eq!(Policy::load(&Value::Null, Lang::En).policy.on_failure, OnFailure::Block);
        assert_eq!(Policy::load(&json!({"onFailure": "confirm"}), Lang::En).policy.on_failure, OnFailure::Confirm);
        let loaded = Policy::load(&json!({"onFailure": "send"}), Lang::En);
        assert_eq!(loaded.policy.on_failure, OnFailure::Block);
        assert_eq!(paths(&loaded), ["onFailure"]);
    }

    #[test]
    fn not_an_object_and_not_json() {
        let loaded = Policy::load(&json!([1, 2]), Lang::En);
        assert!(loaded.policy.degraded);
        assert_eq!(loaded.diagnostics.len(), 1);
        let loaded = Policy::load_text("{\n  \"internalDomains\": [\n", Lang::En);
        assert!(loaded.policy.degraded);
        assert!(loaded.diagnostics[0].message.contains("line 3"), "{:?}", loaded.diagnostics);
        let loaded = Policy::load(&Value::Null, Lang::En);
        assert!(loaded.diagnostics.is_empty() && !loaded.policy.degraded);
    }
}
