//! A policy file as an admin has it: the engine's policy JSON, or a whole `policies.json`.
//!
//! Admins deploy Thunderbird's `policies.json`, with the add-on's policy under
//! `policies` → `3rdparty` → `Extensions` → `misend-guard@misend-guard.org`.
//! Checking that very file, rather than a copy of the inner object, catches mistakes in the
//! path as well as in the policy. A file whose top level has a `policies` key is read as a
//! `policies.json` (an engine policy never has that key), anything else as the policy itself.
//!
//! Positions are always those of the file the admin gave, so that `FILE:LINE:COL` leads
//! to the right place in either form.

use std::fmt;
use std::path::Path;

use misend_guard_dto::DiagnosticDto;
use misend_guard_rules::policy::{locate, wording, InputProblem, Locator, PolicyInput, Position};
use misend_guard_rules::Lang;

use crate::files::{read_limited, ReadError};
use crate::terminal::escape;
use serde_json::Value;

/// The add-on's id: its key under `3rdparty.Extensions` in `policies.json`.
pub const ADDON_ID: &str = "misend-guard@misend-guard.org";

/// Policy files are small; this bounds the work on a wrong file given by mistake
/// (`--user-settings` files have the same limit).
pub const MAX_POLICY_BYTES: u64 = 10 * 1024 * 1024;

/// The keys from the top of a `policies.json` down to the add-on's policy.
const POLICIES_JSON_PATH: [&str; 4] = ["policies", "3rdparty", "Extensions", ADDON_ID];

/// A policy file, read and parsed.
#[derive(Debug)]
pub struct PolicyFile {
    /// The file name as the admin gave it.
    pub name: String,
    /// The text, without a byte order mark.
    pub text: String,
    /// The whole document.
    pub document: Value,
    /// Whether the file is a `policies.json`.
    pub is_policies_json: bool,
    /// What reading the text met (a key written twice, a value nested too deep), with paths
    /// from the document's root; duplicate severities are already merged, the strictest kept.
    problems: Vec<InputProblem>,
}

/// Why a policy file could not be used at all.
#[derive(Debug)]
pub struct PolicyFileError {
    /// The file name as the admin gave it.
    pub name: String,
    /// Where in the file, when known.
    pub at: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// The error as a terminal shows it: the file name and the message escaped (they may hold
/// anything, see [`crate::terminal`]), the hint on its own line.
impl fmt::Display for PolicyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, message) = (escape(&self.name), escape(&self.message));
        match self.at {
            Some(at) => write!(f, "{name}:{}:{}: error: {message}", at.line, at.column)?,
            None => write!(f, "{name}: error: {message}")?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {}", escape(hint))?;
        }
        Ok(())
    }
}

impl PolicyFile {
    /// Reads and parses a policy file.
    pub fn read(path: &Path, lang: Lang) -> Result<PolicyFile, PolicyFileError> {
        let name = path.display().to_string();
        let error = |message: String| PolicyFileError { name: name.clone(), at: None, message, hint: None };
        let bytes = read_limited(path, MAX_POLICY_BYTES).map_err(|e| PolicyFileError {
            hint: matches!(e, ReadError::TooLarge { .. }).then(|| {
                lang.pick3(
                    "ポリシーのファイル（policies.json かアドオンのポリシー JSON）を指定してください。",
                    "Give the policy file itself (a policies.json or the add-on's policy JSON).",
                    "请指定策略文件本身（policies.json 或附加组件的策略 JSON）。",
                )
                .to_string()
            }),
            ..error(e.message(lang))
        })?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(before);
            PolicyFileError {
                at: Some(position_at_end(&text)),
                hint: Some(
                    lang.pick3(
                        "Thunderbird は policies.json を UTF-8 として読みます。UTF-8 で保存し直してください。",
                        "Thunderbird reads policies.json as UTF-8. Save the file as UTF-8.",
                        "Thunderbird 按 UTF-8 读取 policies.json。请以 UTF-8 重新保存该文件。",
                    )
                    .to_string(),
                ),
                ..error(lang.pick3("UTF-8 ではありません", "not UTF-8", "不是 UTF-8").to_string())
            }
        })?;
        Self::parse(name, text, lang)
    }

    /// Parses a policy file's text.
    pub fn parse(name: String, text: String, lang: Lang) -> Result<PolicyFile, PolicyFileError> {
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        // Read as the engine reads policy text, so that a key written twice is reported (and
        // a later "off" cannot override a "block") and deep nesting is cut, as in the add-on.
        let (input, _) = PolicyInput::from_text(&text).map_err(|e| {
            let full = e.to_string();
            // serde_json appends " at line L column C"; the position goes in front instead.
            let what = full.rsplit_once(" at line ").map_or(full.as_str(), |(what, _)| what);
            PolicyFileError {
                name: name.clone(),
                at: Some(Position { line: e.line().max(1), column: e.column().max(1) }),
                message: {
                    let what = wording::json_syntax(what, lang);
                    lang.pick3(
                        format!("JSON として読めません: {what}"),
                        format!("not valid JSON: {what}"),
                        format!("无法作为 JSON 读取：{what}"),
                    )
                },
                hint: Some(format!(
                    "{} [{full}]",
                    lang.pick3(
                        "括弧・引用符・カンマの過不足を確認してください。",
                        "Check for a missing or extra bracket, quote or comma.",
                        "请检查括号、引号和逗号是否有缺少或多余。",
                    )
                )),
            }
        })?;
        let document = input.value;
        let is_policies_json = document.get("policies").is_some();
        let file = PolicyFile { name, text, document, is_policies_json, problems: input.problems };
        if is_policies_json {
            file.entry(lang)?;
        }
        Ok(file)
    }

    /// Reads a file of a person's own settings (the options page's `userSettings`). It has
    /// the shape of a policy subset, so it is read like a policy; a `policies.json` given
    /// here by mistake is an error, since it holds the admin's policy, not a person's.
    pub fn read_user_settings(path: &Path, lang: Lang) -> Result<PolicyFile, PolicyFileError> {
        let file = PolicyFile::read(path, lang)?;
        if file.is_policies_json {
            return Err(PolicyFileError {
                name: file.name,
                at: None,
                message: lang
                    .pick3(
                        "これは policies.json です。--user-settings には利用者自身の設定（internalDomains、keywords、rules）を渡してください",
                        "this is a policies.json; --user-settings takes a person's own settings (internalDomains, keywords, rules)",
                        "这是 policies.json；--user-settings 应传入用户自己的设置（internalDomains、keywords、rules）",
                    )
                    .to_string(),
                hint: Some(
                    lang.pick3(
                        "管理者のポリシーは --policy で渡します。",
                        "Give the admin's policy with --policy.",
                        "管理员的策略请用 --policy 传入。",
                    )
                    .to_string(),
                ),
            });
        }
        Ok(file)
    }

    /// The add-on's policy object with what reading it met, its paths from the policy's root.
    pub fn input(&self) -> PolicyInput {
        let prefix = if self.is_policies_json { POLICIES_JSON_PATH.join(".") } else { String::new() };
        let problems = self
            .problems
            .iter()
            .filter_map(|p| {
                let path = if prefix.is_empty() {
                    p.path.clone()
                } else {
                    let rest = p.path.strip_prefix(prefix.as_str())?;
                    match rest.strip_prefix('.') {
                        Some(rest) => rest.to_string(),
                        None if rest.is_empty() || rest.starts_with('[') => rest.to_string(),
                        None => return None,
                    }
                };
                Some(InputProblem { path, kind: p.kind.clone() })
            })
            .collect();
        PolicyInput { value: self.policy().clone(), problems }
    }

    /// The add-on's policy object.
    pub fn policy(&self) -> &Value {
        if !self.is_policies_json {
            return &self.document;
        }
        static NULL: Value = Value::Null;
        POLICIES_JSON_PATH.iter().try_fold(&self.document, |node, key| node.get(key)).unwrap_or(&NULL)
    }

    /// Finds the add-on's entry in a `policies.json`, or says which key is missing.
    fn entry(&self, lang: Lang) -> Result<&Value, PolicyFileError> {
        let mut node = &self.document;
        for (depth, key) in POLICIES_JSON_PATH.iter().enumerate() {
            match node.get(key) {
                Some(child) => node = child,
                None => {
                    let found = POLICIES_JSON_PATH[..depth].join(".");
                    let at = locate(&self.text, &found).map(|l| l.point());
                    return Err(PolicyFileError {
                        name: self.name.clone(),
                        at,
                        message: lang.pick3(
                            format!(
                                "policies.json に Misend Guard のポリシーがありません: policies.3rdparty.Extensions[\"{ADDON_ID}\"] に置いてください（\"{key}\" が見つかりません）"
                            ),
                            format!(
                                "this policies.json has no Misend Guard policy: it belongs at policies.3rdparty.Extensions[\"{ADDON_ID}\"] (no \"{key}\" found)"
                            ),
                            format!(
                                "此 policies.json 中没有 Misend Guard 的策略：它应放在 policies.3rdparty.Extensions[\"{ADDON_ID}\"]（未找到 \"{key}\"）"
                            ),
                        ),
                        hint: Some(lang.pick3(
                            format!("{{\"policies\": {{\"3rdparty\": {{\"Extensions\": {{\"{ADDON_ID}\": {{ ... }}}}}}}}}} の形です。キーの綴りと大文字・小文字を確認してください。"),
                            format!("The shape is {{\"policies\": {{\"3rdparty\": {{\"Extensions\": {{\"{ADDON_ID}\": {{ ... }}}}}}}}}}. Check the keys' spelling and case."),
                            format!("应为 {{\"policies\": {{\"3rdparty\": {{\"Extensions\": {{\"{ADDON_ID}\": {{ ... }}}}}}}}}} 的形式。请检查键名的拼写和大小写。"),
                        )),
                    });
                }
            }
        }
        Ok(node)
    }

    /// Where a diagnostic's path points in this file.
    pub fn locate(&self, path: &str) -> Option<Position> {
        self.locate_with(&Locator::new(&self.text), path)
    }

    fn locate_with(&self, locator: &Locator<'_>, path: &str) -> Option<Position> {
        let full = if self.is_policies_json {
            let prefix = POLICIES_JSON_PATH.join(".");
            match path {
                "" | "." => prefix,
                _ => format!("{prefix}.{path}"),
            }
        } else {
            path.to_string()
        };
        locator.locate(&full).map(|l| l.point())
    }

    /// Diagnostics as a compiler prints them: `FILE:LINE:COL: error: PATH: message`,
    /// then an indented `hint:` line, each value escaped for the terminal (a policy value
    /// quoted in a message may hold an escape sequence). The file is parsed once for all of them.
    pub fn format(&self, diagnostics: &[DiagnosticDto]) -> Vec<String> {
        let locator = Locator::new(&self.text);
        diagnostics
            .iter()
            .map(|diagnostic| {
                let at = self
                    .locate_with(&locator, &diagnostic.path)
                    .map_or(String::new(), |p| format!(":{}:{}", p.line, p.column));
                let path =
                    if diagnostic.path.is_empty() { String::new() } else { format!("{}: ", escape(&diagnostic.path)) };
                let (name, message) = (escape(&self.name), escape(&diagnostic.message));
                let mut out = format!("{name}{at}: {}: {path}{message}", diagnostic.level);
                if let Some(hint) = &diagnostic.hint {
                    out.push_str(&format!("\n  hint: {}", escape(hint)));
                }
                out
            })
            .collect()
    }
}

fn position_at_end(text: &str) -> Position {
    let line_start = text.rfind('\n').map_or(0, |i| i + 1);
    Position { line: text.matches('\n').count() + 1, column: text[line_start..].chars().count() + 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PolicyFile, PolicyFileError> {
        PolicyFile::parse("p.json".into(), text.into(), Lang::En)
    }

    /// Checks the policy taken from a file, or the first line of the error.
    fn check(text: &str, expected: Result<Value, &str>) {
        let got =
            parse(text).map(|f| f.policy().clone()).map_err(|e| e.to_string().lines().next().unwrap().to_string());
        assert_eq!(got.as_ref().map_err(String::as_str), expected.as_ref().map_err(|e| *e), "reading {text:?}");
    }

    #[test]
    fn engine_policy_or_policies_json() {
        check(r#"{"internalDomains": ["a.example"]}"#, Ok(serde_json::json!({"internalDomains": ["a.example"]})));
        check(
            r#"{"policies": {"3rdparty": {"Extensions": {"misend-guard@misend-guard.org": {"rules": {}}}}}}"#,
            Ok(serde_json::json!({"rules": {}})),
        );
        check("\u{feff}null", Ok(Value::Null));
    }

    #[test]
    fn missing_entries_name_the_expected_path() {
        check(
            "{\"policies\": {\n  \"3rdparty\": {\"Extension\": {}}}}",
            Err("p.json:2:3: error: this policies.json has no Misend Guard policy: it belongs at policies.3rdparty.Extensions[\"misend-guard@misend-guard.org\"] (no \"Extensions\" found)"),
        );
        check(
            "{\"policies\": {\"DisableAppUpdate\": true}}",
            Err("p.json:1:2: error: this policies.json has no Misend Guard policy: it belongs at policies.3rdparty.Extensions[\"misend-guard@misend-guard.org\"] (no \"3rdparty\" found)"),
        );
    }

    #[test]
    fn syntax_errors_have_a_position() {
        // Said in the admin's words; serde_json's own text follows in the hint.
        check(
            "{\n  \"a\": [1,\n}",
            Err("p.json:3:1: error: not valid JSON: a value is needed here (unquoted text or a stray symbol)"),
        );
        check(
            "",
            Err("p.json:1:1: error: not valid JSON: the text ends too early (a closing bracket or quote is missing)"),
        );
        let error = parse("").err().unwrap().to_string();
        assert!(error.contains("[EOF while parsing a value at line 1 column 0]"), "{error}");
    }

    #[test]
    fn diagnostics_inside_policies_json_point_into_the_whole_file() {
        let file = parse(
            "{\"policies\": {\"3rdparty\": {\"Extensions\": {\n  \"misend-guard@misend-guard.org\": {\n    \"internalDomains\": [\"ok.example\", \"bad*\"]\n  }\n}}}}",
        )
        .unwrap();
        assert_eq!(file.locate("internalDomains[1]"), Some(Position { line: 3, column: 39 }));
        assert_eq!(file.locate(""), Some(Position { line: 2, column: 3 }));
        let diagnostic = DiagnosticDto {
            level: "error",
            source: "admin",
            path: "internalDomains[1]".into(),
            message: "bad.".into(),
            hint: Some("fix it.".into()),
            line: None,
            column: None,
        };
        assert_eq!(file.format(&[diagnostic]), ["p.json:3:39: error: internalDomains[1]: bad.\n  hint: fix it."]);
    }
}
