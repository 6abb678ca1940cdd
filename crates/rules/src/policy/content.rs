//! The content checks' part of a policy: attachment settings, personal-data settings and
//! keyword rules, validated.
//!
//! Keyword rules are admin-written regular expressions that run on every mail, so they are
//! compiled once, at load time, with limits on the compiled size: a hostile or careless pattern
//! (`(a{1000}){1000}`) becomes a diagnostic, not a frozen Thunderbird. The `regex` crate
//! searches in time linear in the text, whatever the pattern.

use std::collections::{HashMap, HashSet};

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::limits::{capped, Listed, MAX_ATTACHMENT_TERMS, MAX_BLOCKED_EXTENSIONS, MAX_KEYWORD_RULES, MAX_TERM_CHARS};
use super::raw::{KeywordPart, RawKeyword, RawPolicy};
use super::{Diagnostic, DiagnosticLevel, Policy, Severity, When};
use crate::code::Code;
use crate::i18n::Lang;
use crate::text::TermMatcher;

/// The extensions `attachment-blocked-type` denies when the policy lists none: programs,
/// scripts, shortcuts and disk images, the usual carriers of malware that no business mail needs.
pub const DEFAULT_BLOCKED_EXTENSIONS: &[&str] = &[
    "exe", "bat", "cmd", "com", "scr", "pif", "cpl", "msi", "msp", "msc", "js", "jse", "vbs", "vbe", "wsf", "wsh",
    "hta", "ps1", "psm1", "lnk", "jar", "reg", "scf", "iso", "img", "vhd", "vhdx", "appx", "msix",
];

/// `attachment-too-large`'s limit when the policy sets none: 10 MiB, about what mail servers accept.
pub const DEFAULT_MAX_ATTACHMENT_BYTES: u64 = 10 * 1024 * 1024;

/// `attachment-personal-data`'s `minRows` when the policy sets none: ten people make a list.
pub const DEFAULT_PERSONAL_DATA_MIN_ROWS: u64 = 10;

/// The sizes a keyword pattern's compiled form is tried at, in bytes: each rule is charged the
/// first that fits. Ordinary patterns (a few words, `\d{4}`, `(?i)`) fit the first; the last
/// is the most one rule may take.
const REGEX_SIZE_TIERS: [usize; 4] = [4 << 10, 32 << 10, 256 << 10, 1 << 20];

/// The compiled size all the keyword rules of a policy (the admin's and the person's together)
/// may take, as charged by [`REGEX_SIZE_TIERS`]. It bounds the memory and the load time of a
/// policy: 1,000 patterns each near the per-rule limit took 6 s and 1.2 GB (issue #11).
/// A thousand ordinary rules take half of it.
pub const REGEX_TOTAL_BUDGET: usize = 8 << 20;

/// The cache of the lazy DFA of one keyword pattern, in bytes. When full, the search falls
/// back to a slower engine that is still linear in the text.
const REGEX_DFA_SIZE_LIMIT: usize = 1 << 20;

/// How deep groups and repetitions may nest in a keyword pattern.
const REGEX_NEST_LIMIT: u32 = 64;

/// The compiled size allowed for all the body's keyword patterns together: the budget of all
/// rules, so that the set compiles whenever the rules did. Were it exceeded, each rule would
/// search the body on its own, which is slower but just as right.
const REGEX_SET_SIZE_LIMIT: usize = REGEX_TOTAL_BUDGET;

/// The prefix of the ids of the user's own keyword rules, so that they never replace an admin's.
pub const USER_RULE_PREFIX: &str = "user:";

/// Settings of the content checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentSettings {
    /// Words that mean "attached", added by the policy to `attachment-forgotten`'s own.
    pub attachment_terms: TermMatcher,
    /// Denied extensions, lower-case, without the dot.
    pub blocked_extensions: Vec<String>,
    /// The largest attachment allowed, in bytes.
    pub max_attachment_bytes: u64,
    /// When `pii-my-number` applies.
    pub my_number_when: When,
    /// When `pii-credit-card` applies.
    pub credit_card_when: When,
    /// When `attachment-personal-data` applies.
    pub personal_data_when: When,
    /// The fewest data rows of a table of people for `attachment-personal-data`.
    pub personal_data_min_rows: u64,
    /// The keyword rules that search the body, as one set: one pass over a long body tells
    /// which rules match at all, instead of one pass per rule.
    pub body_keywords: KeywordSet,
}

/// Keyword rules compiled together, to learn in one pass which of them match a text.
#[derive(Clone, Debug, Default)]
pub struct KeywordSet {
    /// Indices into [`Policy::keywords`] of the rules in the set, in the set's order.
    pub rules: Vec<usize>,
    /// The set; `None` when there are no such rules or the set would be too large.
    pub set: Option<RegexSet>,
}

impl PartialEq for KeywordSet {
    fn eq(&self, other: &Self) -> bool {
        self.rules == other.rules
    }
}

impl Eq for KeywordSet {}

impl KeywordSet {
    fn of_body_rules(keywords: &[KeywordRule]) -> KeywordSet {
        let rules: Vec<usize> = keywords.iter().enumerate().filter(|(_, k)| k.in_body).map(|(i, _)| i).collect();
        if rules.is_empty() {
            return KeywordSet::default();
        }
        let set = RegexSetBuilder::new(rules.iter().map(|&i| keywords[i].regex.as_str()))
            .size_limit(REGEX_SET_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SET_SIZE_LIMIT)
            .nest_limit(REGEX_NEST_LIMIT)
            .build()
            .ok();
        KeywordSet { rules, set }
    }
}

impl Default for ContentSettings {
    fn default() -> Self {
        ContentSettings {
            attachment_terms: TermMatcher::default(),
            blocked_extensions: DEFAULT_BLOCKED_EXTENSIONS.iter().map(|e| e.to_string()).collect(),
            max_attachment_bytes: DEFAULT_MAX_ATTACHMENT_BYTES,
            my_number_when: When::External,
            credit_card_when: When::External,
            personal_data_when: When::External,
            personal_data_min_rows: DEFAULT_PERSONAL_DATA_MIN_ROWS,
            body_keywords: KeywordSet::default(),
        }
    }
}

/// A message in every language, the missing ones filled in when the policy loads
/// (see [`Message::from_parts`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
    /// Simplified Chinese.
    pub zh: String,
}

impl Message {
    /// A message from the texts an admin wrote, or `None` when there is none. A language left
    /// out reads another: Japanese readers get `ja`, else `en`, else `zh`; English readers
    /// `en`, else `ja`, else `zh`; Chinese readers `zh`, else `en`, else `ja`, since more
    /// Chinese readers read English than Japanese.
    pub fn from_parts(ja: Option<&str>, en: Option<&str>, zh: Option<&str>) -> Option<Message> {
        let first = |texts: [Option<&str>; 3]| texts.into_iter().flatten().next().map(str::to_string);
        Some(Message { ja: first([ja, en, zh])?, en: first([en, ja, zh])?, zh: first([zh, en, ja])? })
    }
}

/// A validated keyword rule.
#[derive(Clone, Debug)]
pub struct KeywordRule {
    /// The rule's id; the user's own rules have the `user:` prefix.
    pub id: String,
    /// The compiled pattern.
    pub regex: Regex,
    /// Searches the subject.
    pub in_subject: bool,
    /// Searches the body.
    pub in_body: bool,
    /// Searches attachment names.
    pub in_attachment_names: bool,
    /// Searches the contents of attachments (their text and table cells).
    pub in_attachment_content: bool,
    /// When the rule applies.
    pub when: When,
    /// Its own severity; `None` takes the severity of `rules.keyword`.
    pub severity: Option<Severity>,
    /// Its own message.
    pub message: Option<Message>,
    /// The compiled size charged to the policy's budget ([`REGEX_TOTAL_BUDGET`]).
    pub charged: usize,
}

impl PartialEq for KeywordRule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.regex.as_str() == other.regex.as_str()
            && (self.in_subject, self.in_body, self.in_attachment_names, self.in_attachment_content)
                == (other.in_subject, other.in_body, other.in_attachment_names, other.in_attachment_content)
            && self.when == other.when
            && self.severity == other.severity
            && self.message == other.message
    }
}

impl Eq for KeywordRule {}

impl KeywordRule {
    /// The severity the rule's findings get under a policy.
    pub fn effective_severity(&self, policy: &Policy) -> Severity {
        self.severity.unwrap_or_else(|| policy.rules.severity(Code::Keyword))
    }
}

fn diagnostic(source: &'static str, path: String, message: String, hint: Option<&str>) -> Diagnostic {
    Diagnostic { level: DiagnosticLevel::Error, source, path, message, hint: hint.map(str::to_string) }
}

/// Applies the content checks' settings and the keyword rules of a raw policy.
pub(super) fn apply(raw: &RawPolicy, policy: &mut Policy, source: &'static str, lang: Lang, out: &mut Vec<Diagnostic>) {
    if let Some(rules) = &raw.rules {
        if let Some(terms) = rules.attachment_forgotten.as_ref().and_then(|r| r.terms.as_ref()) {
            let mut kept = Vec::new();
            let terms = capped(
                terms,
                MAX_ATTACHMENT_TERMS,
                "rules.attachment-forgotten.terms",
                Listed::Items,
                source,
                lang,
                out,
            );
            for (i, term) in terms.iter().enumerate() {
                let term = term.trim();
                if term.is_empty() {
                    out.push(diagnostic(
                        source,
                        format!("rules.attachment-forgotten.terms[{i}]"),
                        lang.pick3(
                            "空の語は使えません。",
                            "an empty term would match everything.",
                            "不能使用空词，它会匹配所有内容。",
                        )
                        .to_string(),
                        Some(lang.pick3("この語を消してください。", "Remove it.", "请删除此词。")),
                    ));
                } else if term.chars().count() > MAX_TERM_CHARS {
                    out.push(diagnostic(
                        source,
                        format!("rules.attachment-forgotten.terms[{i}]"),
                        lang.pick3(
                            format!("語が長すぎます（{MAX_TERM_CHARS} 文字まで）。この語は使われません。"),
                            format!("the term is too long (at most {MAX_TERM_CHARS} characters); it is ignored."),
                            format!("词太长（最多 {MAX_TERM_CHARS} 个字符）。此词不会被使用。"),
                        ),
                        Some(lang.pick3(
                            "「添付」のような短い語にしてください。",
                            "Use a short word, such as \"attached\".",
                            "请使用较短的词，如“附件”。",
                        )),
                    ));
                } else {
                    kept.push(term.to_string());
                }
            }
            policy.content.attachment_terms = TermMatcher::new(kept);
        }
        if let Some(extensions) = rules.attachment_blocked_type.as_ref().and_then(|r| r.extensions.as_ref()) {
            let mut kept = Vec::new();
            // A set beside the list keeps removing duplicates linear (issue #11).
            let mut seen = HashSet::new();
            let path = "rules.attachment-blocked-type.extensions";
            let extensions = capped(extensions, MAX_BLOCKED_EXTENSIONS, path, Listed::Items, source, lang, out);
            for (i, extension) in extensions.iter().enumerate() {
                let normal = extension.trim().trim_start_matches('.').to_lowercase();
                let problem = if normal.is_empty() {
                    Some(
                        lang.pick3("空の拡張子は使えません。", "an empty extension.", "不能使用空的扩展名。")
                            .to_string(),
                    )
                } else if normal.contains(['.', '/', '\\', '*', ' ']) {
                    Some(lang.pick3(
                        format!("\"{extension}\" は拡張子として使えません。最後の拡張子だけで判定します（\"{}\" のように書いてください）。", last_part(&normal)),
                        format!("\"{extension}\" is not an extension: only the last extension of a name counts (write \"{}\").", last_part(&normal)),
                        format!("\"{extension}\" 不是扩展名：只按文件名的最后一个扩展名判断（请写成 \"{}\"）。", last_part(&normal)),
                    ))
                } else {
                    None
                };
                match problem {
                    Some(message) => out.push(diagnostic(
                        source,
                        format!("rules.attachment-blocked-type.extensions[{i}]"),
                        message,
                        Some(lang.pick3(
                            "\"exe\" や \".exe\" の形で書いてください。",
                            "Write \"exe\" or \".exe\".",
                            "请写成 \"exe\" 或 \".exe\" 的形式。",
                        )),
                    )),
                    None if seen.insert(normal.clone()) => kept.push(normal),
                    None => {}
                }
            }
            policy.content.blocked_extensions = kept;
        }
        if let Some(max) = rules.attachment_too_large.as_ref().and_then(|r| r.max_bytes) {
            policy.content.max_attachment_bytes = max;
        }
        if let Some(when) = rules.pii_my_number.as_ref().and_then(|r| r.when) {
            policy.content.my_number_when = when;
        }
        if let Some(when) = rules.pii_credit_card.as_ref().and_then(|r| r.when) {
            policy.content.credit_card_when = when;
        }
        if let Some(personal) = &rules.attachment_personal_data {
            if let Some(when) = personal.when {
                policy.content.personal_data_when = when;
            }
        }
    }
    add_keywords(raw.keywords.as_deref().unwrap_or_default(), "", policy, source, lang, out);
}

fn last_part(extension: &str) -> &str {
    extension.rsplit(['.', '/', '\\', ' ']).next().unwrap_or(extension).trim_start_matches('*')
}

/// Validates keyword rules and appends them to the policy. `prefix` namespaces the ids
/// (`user:` for the user's own rules); an id used twice is a diagnostic and the second rule is
/// skipped, also when the first was invalid.
pub(super) fn add_keywords(
    raws: &[RawKeyword],
    prefix: &str,
    policy: &mut Policy,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let mut loading = Loading {
        prefix,
        source,
        lang,
        reported: out.iter().filter(|d| d.source == source).map(|d| d.path.clone()).collect(),
        seen: HashMap::new(),
        budget_left: REGEX_TOTAL_BUDGET.saturating_sub(policy.keywords.iter().map(|k| k.charged).sum()),
    };
    for (i, raw) in raws.iter().enumerate().take(MAX_KEYWORD_RULES) {
        if let Some(rule) = keyword(raw, i, &mut loading, out) {
            policy.keywords.push(rule);
        }
    }
    if raws.len() > MAX_KEYWORD_RULES {
        out.push(diagnostic(
            source,
            format!("keywords[{MAX_KEYWORD_RULES}]"),
            lang.pick3(
                format!(
                    "キーワード規則が {} 件あります。上限は {MAX_KEYWORD_RULES} 件で、これ以降は使われません。",
                    raws.len()
                ),
                format!(
                    "there are {} keyword rules; at most {MAX_KEYWORD_RULES} are used, and the rest are ignored.",
                    raws.len()
                ),
                format!("有 {} 条关键词规则。上限为 {MAX_KEYWORD_RULES} 条，超出的部分不会被使用。", raws.len()),
            ),
            Some(lang.pick3(
                "言葉は 1 つの規則の pattern に「|」でまとめられます（\"社外秘|部外秘|極秘\" など）。",
                "Put many words in one rule's pattern with \"|\", such as \"社外秘|部外秘|極秘\".",
                "多个词可以用“|”写进一条规则的 pattern（如 \"机密|内部资料|绝密\"）。",
            )),
        ));
    }
    policy.content.body_keywords = KeywordSet::of_body_rules(&policy.keywords);
}

/// What loading one list of keyword rules keeps from rule to rule.
struct Loading<'a> {
    /// The namespace of the ids (`user:` for a person's own rules).
    prefix: &'a str,
    source: &'static str,
    lang: Lang,
    /// The paths of values already reported (and removed) for their type: a rule then misses
    /// them, which needs no second diagnostic.
    reported: HashSet<String>,
    /// The ids so far, with the index of the rule that has each.
    seen: HashMap<String, usize>,
    /// What is left of [`REGEX_TOTAL_BUDGET`].
    budget_left: usize,
}

fn keyword(raw: &RawKeyword, i: usize, loading: &mut Loading<'_>, out: &mut Vec<Diagnostic>) -> Option<KeywordRule> {
    let (prefix, source, lang) = (loading.prefix, loading.source, loading.lang);
    let (reported, seen) = (&loading.reported, &mut loading.seen);
    let path = |key: &str| format!("keywords[{i}].{key}");
    let id = raw.id.as_deref().map(str::trim).unwrap_or("");
    if id.is_empty() {
        if reported.contains(&path("id")) {
            return None;
        }
        out.push(diagnostic(
            source,
            path("id"),
            lang.pick3("キーワード規則に id がありません。", "the keyword rule has no id.", "关键词规则没有 id。")
                .to_string(),
            Some(lang.pick3(
                "\"id\": \"confidential\" のように、規則ごとに異なる名前を付けてください。",
                "Give each rule its own name, such as \"id\": \"confidential\".",
                "请为每条规则起一个不同的名称，如 \"id\": \"confidential\"。",
            )),
        ));
        return None;
    }
    if prefix.is_empty() && id.starts_with(USER_RULE_PREFIX) {
        out.push(diagnostic(
            source,
            path("id"),
            lang.pick3(
                format!("id \"{id}\" は使えません。\"{USER_RULE_PREFIX}\" で始まる id は利用者自身の規則のためのものです。"),
                format!("the id \"{id}\" is not allowed: ids starting with \"{USER_RULE_PREFIX}\" are for users' own rules."),
                format!("不能使用 id \"{id}\"：以 \"{USER_RULE_PREFIX}\" 开头的 id 留给用户自己的规则。"),
            ),
            Some(lang.pick3("別の id にしてください。", "Choose another id.", "请换一个 id。")),
        ));
        return None;
    }
    let id = format!("{prefix}{id}");
    if let Some(first) = seen.get(&id) {
        out.push(diagnostic(
            source,
            path("id"),
            lang.pick3(
                format!("id \"{id}\" が重複しています。"),
                format!("the id \"{id}\" is used twice."),
                format!("id \"{id}\" 重复。"),
            ),
            Some(&lang.pick3(
                format!("keywords[{first}] と別の id にしてください。この規則は無視されます。"),
                format!("Give it an id different from that of keywords[{first}]. This rule is ignored."),
                format!("请使用与 keywords[{first}] 不同的 id。此规则将被忽略。"),
            )),
        ));
        return None;
    }
    seen.insert(id.clone(), i);
    let Some(pattern) = raw.pattern.as_deref() else {
        if reported.contains(&path("pattern")) {
            return None;
        }
        out.push(diagnostic(
            source,
            path("pattern"),
            lang.pick3(
                "キーワード規則に pattern（正規表現）がありません。",
                "the keyword rule has no pattern.",
                "关键词规则没有 pattern（正则表达式）。",
            )
            .to_string(),
            Some(lang.pick3(
                "\"pattern\": \"社外秘|(?i)confidential\" のように書いてください。",
                "Write, for example, \"pattern\": \"社外秘|(?i)confidential\".",
                "请写成例如 \"pattern\": \"机密|(?i)confidential\" 的形式。",
            )),
        ));
        return None;
    };
    let (regex, charged) = match compile(pattern, loading.budget_left) {
        Ok(compiled) => compiled,
        Err(Compile::Regex(error)) => {
            // A pattern too large even at the largest size cost that much work to find out:
            // it is charged too, so that a thousand of them cannot make loading take minutes.
            if matches!(error, regex::Error::CompiledTooBig(_)) {
                loading.budget_left -= loading.budget_left.min(REGEX_SIZE_TIERS[REGEX_SIZE_TIERS.len() - 1]);
            }
            out.push(regex_diagnostic(&error, path("pattern"), source, lang));
            return None;
        }
        Err(Compile::OverBudget) => {
            let left = loading.budget_left >> 10;
            out.push(diagnostic(
                source,
                path("pattern"),
                lang.pick3(
                    format!("規則 \"{id}\" は使われません。キーワード規則全体のコンパイル後の大きさの上限（{} MB）に達しました（残り {left} KB）。", REGEX_TOTAL_BUDGET >> 20),
                    format!("the rule \"{id}\" is not used: the keyword rules together reach their compiled size limit of {} MB ({left} KB left).", REGEX_TOTAL_BUDGET >> 20),
                    format!("规则 \"{id}\" 不会被使用：全部关键词规则编译后的大小已达上限 {} MB（剩余 {left} KB）。", REGEX_TOTAL_BUDGET >> 20),
                ),
                Some(lang.pick3(
                    "規則を減らすか、\\w{1,10} のような大きな繰り返しを含む前の規則を単純にしてください。言葉は 1 つの規則に「|」でまとめられます。",
                    "Use fewer rules, or simplify the earlier rules with large repetitions such as \\w{1,10}. Words can share one rule with \"|\".",
                    "请减少规则，或简化前面含有 \\w{1,10} 这类大量重复的规则。多个词可以用“|”写进一条规则。",
                )),
            ));
            return None;
        }
    };
    loading.budget_left -= charged;
    let parts = raw.parts.as_deref().unwrap_or(&[
        KeywordPart::Subject,
        KeywordPart::Body,
        KeywordPart::AttachmentName,
        KeywordPart::AttachmentContent,
    ]);
    if parts.is_empty() {
        out.push(diagnostic(
            source,
            path("in"),
            lang.pick3("検索する場所が一つもありません。", "the rule searches nowhere.", "没有任何要搜索的位置。")
                .to_string(),
            Some(lang.pick3(
                "\"subject\"、\"body\"、\"attachment-name\"、\"attachment-content\" の一つ以上を書くか、\"in\" を消してください（すべてを検索します）。",
                "List one or more of \"subject\", \"body\", \"attachment-name\", \"attachment-content\", or remove \"in\" to search everywhere.",
                "请列出 \"subject\"、\"body\"、\"attachment-name\"、\"attachment-content\" 中的一个或多个，或删除 \"in\"（搜索全部位置）。",
            )),
        ));
        return None;
    }
    let message =
        raw.message.as_ref().and_then(|m| Message::from_parts(m.ja.as_deref(), m.en.as_deref(), m.zh.as_deref()));
    Some(KeywordRule {
        id,
        regex,
        in_subject: parts.contains(&KeywordPart::Subject),
        in_body: parts.contains(&KeywordPart::Body),
        in_attachment_names: parts.contains(&KeywordPart::AttachmentName),
        in_attachment_content: parts.contains(&KeywordPart::AttachmentContent),
        when: raw.when.unwrap_or(When::Always),
        severity: raw.severity,
        message,
        charged,
    })
}

/// Why a pattern was not compiled.
enum Compile {
    /// Not a valid pattern, or too large even at the largest size.
    Regex(regex::Error),
    /// It does not fit in what the budget has left.
    OverBudget,
}

/// Compiles a pattern at the smallest of [`REGEX_SIZE_TIERS`] it fits, within `budget`;
/// returns the regex and the size charged.
fn compile(pattern: &str, budget: usize) -> Result<(Regex, usize), Compile> {
    let mut last = None;
    for &size in &REGEX_SIZE_TIERS {
        let built = RegexBuilder::new(pattern)
            .size_limit(size.min(budget))
            .dfa_size_limit(REGEX_DFA_SIZE_LIMIT)
            .nest_limit(REGEX_NEST_LIMIT)
            .build();
        match built {
            Ok(regex) => return Ok((regex, size.min(budget))),
            Err(regex::Error::CompiledTooBig(_)) if size > budget => return Err(Compile::OverBudget),
            Err(error @ regex::Error::CompiledTooBig(_)) => last = Some(error),
            Err(error) => return Err(Compile::Regex(error)),
        }
    }
    Err(Compile::Regex(last.unwrap_or(regex::Error::CompiledTooBig(REGEX_SIZE_TIERS[3]))))
}

/// Words a regex error in one line: the `regex` crate's text is several lines with a caret.
fn regex_diagnostic(error: &regex::Error, path: String, source: &'static str, lang: Lang) -> Diagnostic {
    match error {
        regex::Error::CompiledTooBig(limit) => diagnostic(
            source,
            path,
            lang.pick3(
                format!("正規表現が複雑すぎます（コンパイル後の大きさが上限 {limit} バイトを超えます）。"),
                format!("the pattern is too complex (its compiled form exceeds the limit of {limit} bytes)."),
                format!("正则表达式过于复杂（编译后的大小超过上限 {limit} 字节）。"),
            ),
            Some(lang.pick3(
                "大きな繰り返し（{1000} など）や、\\w などの大きな文字クラスの繰り返しを減らしてください。",
                "Reduce large repetitions (such as {1000}) and repeated large classes such as \\w.",
                "请减少大量重复（如 {1000}）以及对 \\w 等大字符类的重复。",
            )),
        ),
        other => {
            let text = other.to_string();
            let mut lines = text.lines();
            let what = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("error: "))
                .unwrap_or_else(|| text.lines().last().unwrap_or(""));
            let what = super::wording::regex_syntax(what, lang);
            // The caret line gives the position: the line after the pattern echo.
            let column = lines
                .find(|l| l.trim_start().starts_with('^'))
                .map(|l| l.chars().take_while(|c| *c == ' ').count().saturating_sub(4) + 1);
            let at = match column {
                Some(c) => {
                    lang.pick3(format!("（{c} 文字目）"), format!(" (at character {c})"), format!("（第 {c} 个字符）"))
                }
                None => String::new(),
            };
            diagnostic(
                source,
                path,
                lang.pick3(
                    format!("正規表現として読めません{at}: {what}"),
                    format!("not a valid regular expression{at}: {what}"),
                    format!("无法作为正则表达式读取{at}：{what}"),
                ),
                Some(lang.pick3(
                    "Rust の regex の書き方です（先読み・後方参照は使えません）。記号そのものを探すには \\ を前に付けてください（\\( や \\.）。",
                    "The syntax is Rust's regex (no look-around, no back-references). Put \\ before a symbol to match it literally (\\( or \\.).",
                    "语法为 Rust 的 regex（不支持先行/后行断言和反向引用）。要匹配符号本身，请在其前面加 \\（如 \\( 或 \\.）。",
                )),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::policy::limits::MAX_KEYWORD_RULES;
    use crate::policy::{DiagnosticLevel, Policy, Severity, When};
    use crate::{Code, Lang};
    use serde_json::{json, Value};

    /// Loads a policy and returns the (path, message) of each diagnostic.
    fn check(policy: Value, expected: &[(&str, &str)]) -> Policy {
        let loaded = Policy::load(&policy, Lang::En);
        let got: Vec<(String, String)> =
            loaded.diagnostics.iter().map(|d| (d.path.clone(), d.message.clone())).collect();
        assert_eq!(got.len(), expected.len(), "{got:#?}");
        for ((path, message), (want_path, want_text)) in got.iter().zip(expected) {
            assert_eq!(path, want_path);
            assert!(message.contains(want_text), "{message:?} should contain {want_text:?}");
        }
        assert_eq!(loaded.policy.degraded, !expected.is_empty());
        loaded.policy
    }

    #[test]
    fn content_settings_load() {
        let policy = check(
            json!({"rules": {
                "attachment-forgotten": {"severity": "block", "terms": ["別紙", " see enclosure "]},
                "attachment-blocked-type": {"extensions": [".EXE", "zip", "zip"]},
                "attachment-too-large": {"maxBytes": 1000},
                "keyword": {"severity": "info"},
                "pii-my-number": {"when": "always"},
                "pii-credit-card": {"severity": "block"},
                "placeholder": {"severity": "off"},
                "empty-subject": {"severity": "block"},
                "empty-body": {"severity": "warn"}
            }}),
            &[],
        );
        let severity = |code| policy.rules.severity(code);
        assert_eq!(severity(Code::AttachmentForgotten), Severity::Block);
        assert_eq!(severity(Code::AttachmentBlockedType), Severity::Block);
        assert_eq!(severity(Code::AttachmentTooLarge), Severity::Warn);
        assert_eq!(severity(Code::Keyword), Severity::Info);
        assert_eq!(severity(Code::PiiMyNumber), Severity::Warn);
        assert_eq!(severity(Code::PiiCreditCard), Severity::Block);
        assert_eq!(severity(Code::Placeholder), Severity::Off);
        assert_eq!(severity(Code::EmptySubject), Severity::Block);
        assert_eq!(severity(Code::EmptyBody), Severity::Warn);
        assert_eq!(policy.content.attachment_terms.terms(), ["別紙", "see enclosure"]);
        assert_eq!(policy.content.blocked_extensions, ["exe", "zip"]);
        assert_eq!(policy.content.max_attachment_bytes, 1000);
        assert_eq!(policy.content.my_number_when, When::Always);
        assert_eq!(policy.content.credit_card_when, When::External);
    }

    #[test]
    fn defaults() {
        let policy = check(Value::Null, &[]);
        assert!(policy.content.blocked_extensions.iter().any(|e| e == "exe"));
        assert_eq!(policy.content.max_attachment_bytes, 10_485_760);
        assert_eq!(policy.rules.severity(Code::AttachmentBlockedType), Severity::Block);
        assert_eq!(policy.rules.severity(Code::EmptyBody), Severity::Info);
        assert!(policy.keywords.is_empty());
    }

    #[test]
    fn bad_content_settings_are_reported_with_their_paths() {
        check(
            json!({"rules": {
                "attachment-forgotten": {"terms": ["", "添付"]},
                "attachment-blocked-type": {"extensions": ["tar.gz", " "]},
                "attachment-too-large": {"maxBytes": -1},
                "pii-my-number": {"when": "sometimes"}
            }}),
            &[
                ("rules.attachment-too-large.maxBytes", "a whole number, 0 or more is needed"),
                ("rules.pii-my-number.when", "not an allowed value"),
                ("rules.attachment-forgotten.terms[0]", "empty term"),
                ("rules.attachment-blocked-type.extensions[0]", "(write \"gz\")"),
                ("rules.attachment-blocked-type.extensions[1]", "empty extension"),
            ],
        );
    }

    #[test]
    fn keyword_rules_load() {
        let policy = check(
            json!({"keywords": [
                {"id": "confidential", "pattern": "社外秘|(?i)confidential", "in": ["subject", "attachment-name"],
                 "when": "external", "severity": "block", "message": {"ja": "社外秘です", "en": "Confidential"}},
                {"id": "draft", "pattern": "下書き", "message": {"en": "A draft"}}
            ]}),
            &[],
        );
        let [a, b] = &policy.keywords[..] else { panic!("two rules") };
        assert_eq!(
            (a.id.as_str(), a.in_subject, a.in_body, a.in_attachment_names),
            ("confidential", true, false, true)
        );
        assert_eq!((a.when, a.severity), (When::External, Some(Severity::Block)));
        assert_eq!(a.message.as_ref().unwrap().ja, "社外秘です");
        assert!(a.regex.is_match("CONFIDENTIAL"));
        assert_eq!(
            (b.in_subject, b.in_body, b.in_attachment_names, b.when, b.severity),
            (true, true, true, When::Always, None)
        );
        assert_eq!(b.message.as_ref().unwrap().ja, "A draft");
        assert_eq!(b.effective_severity(&policy), Severity::Warn);
    }

    #[test]
    fn bad_keyword_rules_are_reported_with_their_paths() {
        check(
            json!({"keywords": [
                {"id": "a", "pattern": "(unclosed"},
                {"id": "a", "pattern": "x"},
                {"pattern": "x"},
                {"id": "b"},
                {"id": "c", "pattern": "x", "in": []},
                {"id": "d", "pattern": "x", "in": ["subjet"]},
                {"id": "e", "pattern": "(a{1000}){1000}"},
                {"id": "user:f", "pattern": "x"},
                {"id": "g", "pattern": "x", "color": "red"},
                {"id": "h", "pattern": 42},
                {"id": ["i"], "pattern": "x"}
            ]}),
            &[
                ("keywords[5].in[0]", "\"subjet\" is not an allowed value"),
                ("keywords[8].color", "unknown key \"color\""),
                ("keywords[9].pattern", "but a string (\"...\") is needed"),
                ("keywords[10].id", "but a string (\"...\") is needed"),
                ("keywords[0].pattern", "not a valid regular expression (at character 1): a ( is not closed"),
                ("keywords[1].id", "used twice"),
                ("keywords[2].id", "no id"),
                ("keywords[3].pattern", "no pattern"),
                ("keywords[4].in", "searches nowhere"),
                // Its only place was removed as a shape error, which leaves it searching nowhere.
                ("keywords[5].in", "searches nowhere"),
                ("keywords[6].pattern", "too complex"),
                ("keywords[7].id", "for users' own rules"),
            ],
        );
    }

    #[test]
    fn keyword_rules_past_the_limit_are_one_error() {
        let rules: Vec<Value> =
            (0..MAX_KEYWORD_RULES + 5).map(|i| json!({"id": format!("k{i}"), "pattern": format!("w{i}")})).collect();
        let policy = check(
            json!({"keywords": rules}),
            &[("keywords[1000]", "there are 1005 keyword rules; at most 1000 are used")],
        );
        assert_eq!(policy.keywords.len(), MAX_KEYWORD_RULES);
        assert_eq!(policy.keywords.last().unwrap().id, "k999");
    }

    #[test]
    fn keyword_rules_past_the_compiled_size_budget_are_reported_by_name() {
        // Issue #11: 1,000 valid rules, each near the per-rule limit, took 6 s and 1.2 GB to load.
        // `\w{1,10}` is valid on its own but takes the largest size; eight fill the budget.
        let rules: Vec<Value> =
            (0..20).map(|i| json!({"id": format!("big{i}"), "pattern": format!("\\w{{1,10}}k{i}")})).collect();
        let loaded = Policy::load(&json!({"keywords": rules}), Lang::En);
        let fits = super::REGEX_TOTAL_BUDGET / super::REGEX_SIZE_TIERS[3];
        assert_eq!(loaded.policy.keywords.len(), fits);
        assert!(loaded.policy.keywords.iter().map(|k| k.charged).sum::<usize>() <= super::REGEX_TOTAL_BUDGET);
        assert_eq!(loaded.diagnostics.len(), 20 - fits);
        let first = &loaded.diagnostics[0];
        assert_eq!(first.path, format!("keywords[{fits}].pattern"));
        assert!(first.message.contains(&format!("the rule \"big{fits}\" is not used")), "{first:?}");
        assert!(first.message.contains("(0 KB left)"), "{first:?}");
        assert!(loaded.policy.degraded);
        let ja = Policy::load(&json!({"keywords": rules_ja()}), Lang::Ja);
        assert!(ja.diagnostics[0].message.contains("は使われません"), "{:?}", ja.diagnostics[0]);
        // A thousand ordinary rules fit.
        let rules: Vec<Value> = (0..MAX_KEYWORD_RULES)
            .map(|i| json!({"id": format!("k{i}"), "pattern": format!("社外秘{i}|(?i)secret{i}")}))
            .collect();
        let loaded = Policy::load(&json!({"keywords": rules}), Lang::En);
        assert_eq!((loaded.policy.keywords.len(), loaded.diagnostics.len()), (MAX_KEYWORD_RULES, 0));
        assert!(loaded.policy.content.body_keywords.set.is_some());
    }

    fn rules_ja() -> Vec<Value> {
        (0..20).map(|i| json!({"id": format!("big{i}"), "pattern": format!("\\w{{1,10}}k{i}")})).collect()
    }

    #[test]
    fn regex_errors_are_in_japanese_too() {
        let loaded = Policy::load(&json!({"keywords": [{"id": "a", "pattern": "a)"}]}), Lang::Ja);
        let d = &loaded.diagnostics[0];
        assert_eq!(d.level, DiagnosticLevel::Error);
        assert!(d.message.starts_with("正規表現として読めません（2 文字目）"), "{d:?}");
    }
}
