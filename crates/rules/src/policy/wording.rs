//! The errors of the parsers a policy goes through (serde_json's syntax errors, serde's type
//! errors, the `regex` crate's syntax errors), said in the admin's language.
//!
//! Those crates speak English (`invalid type: string "x", expected a sequence`,
//! `trailing comma at line 4 column 1`, `unclosed group`). An admin reading a Japanese or
//! Chinese diagnostic must not meet them in its sentence (issue #9): each known error gets a
//! sentence of its own in every language, and the crate's own text is kept only as a detail
//! after it, for the ones who search the web with it. An error not known here keeps the
//! crate's text, introduced in the admin's language.

use super::{Diagnostic, DiagnosticLevel};
use crate::i18n::Lang;

/// What a JSON value is, as an admin would say it: `a sequence` is an array written `[ … ]`.
fn kind(expected: &str, lang: Lang) -> String {
    let e = expected.trim();
    let (ja, en, zh) = if e.contains("sequence") || e.starts_with("a list") {
        ("配列（[ ... ]）", "an array ([ ... ])", "数组（[ ... ]）")
    } else if e.contains("boolean") {
        ("true か false", "true or false", "true 或 false")
    } else if e.starts_with('u') && e[1..].chars().all(|c| c.is_ascii_digit()) {
        ("0 以上の整数", "a whole number, 0 or more", "0 或以上的整数")
    } else if e.starts_with('i') && e[1..].chars().all(|c| c.is_ascii_digit()) || e.contains("integer") {
        ("整数", "a whole number", "整数")
    } else if e.starts_with('f') && e[1..].chars().all(|c| c.is_ascii_digit()) || e.contains("number") {
        ("数値", "a number", "数值")
    } else if e.contains("map") || e.starts_with("struct") {
        ("オブジェクト（{ ... }）", "an object ({ ... })", "对象（{ ... }）")
    } else if e.contains("string") || e.contains("str") || e.contains("char") {
        ("文字列（\"...\"）", "a string (\"...\")", "字符串（\"...\"）")
    } else {
        return expected.to_string();
    };
    lang.pick3(ja, en, zh).to_string()
}

/// What a value found is: the part of serde's `invalid type: string "x"` before the comma.
fn found(found: &str, lang: Lang) -> String {
    let f = found.trim();
    let (ja, en, zh, value) = if let Some(v) = f.strip_prefix("string ") {
        ("文字列", "the string", "字符串", Some(v))
    } else if let Some(v) = f.strip_prefix("integer ") {
        ("整数", "the number", "整数", Some(v))
    } else if let Some(v) = f.strip_prefix("floating point ") {
        ("数値", "the number", "数值", Some(v))
    } else if let Some(v) = f.strip_prefix("boolean ") {
        ("真偽値", "the value", "布尔值", Some(v))
    } else if f == "sequence" {
        ("配列", "an array", "数组", None)
    } else if f == "map" {
        ("オブジェクト", "an object", "对象", None)
    } else if f == "null" || f == "unit value" {
        ("null", "null", "null", None)
    } else {
        return f.to_string();
    };
    let value = value.map(|v| v.trim_matches('`').to_string());
    match value {
        Some(v) => lang.pick3(format!("{ja} {v}"), format!("{en} {v}"), format!("{zh} {v}")),
        None => lang.pick3(ja, en, zh).to_string(),
    }
}

/// A serde type error (`invalid type: …, expected …`, `invalid value: …`, `invalid length …`)
/// as one sentence, or `None` for an error of another kind.
pub fn type_error(error: &str, lang: Lang) -> Option<String> {
    let (head, expected) = error.rsplit_once(", expected ")?;
    let what = head
        .strip_prefix("invalid type: ")
        .or_else(|| head.strip_prefix("invalid value: "))
        .or_else(|| head.strip_prefix("invalid length "))?;
    let expected = kind(expected, lang);
    if head.starts_with("invalid length") {
        return Some(lang.pick3(
            format!("要素の数が違います（{what}）。{expected}が必要です。"),
            format!("wrong number of elements ({what}); {expected} is needed."),
            format!("元素数量不对（{what}）。需要{expected}。"),
        ));
    }
    let what = found(what, lang);
    Some(lang.pick3(
        format!("{what} ではなく、{expected}を書いてください。"),
        format!("{what} is here, but {expected} is needed."),
        format!("这里是{what}，但需要{expected}。"),
    ))
}

/// A serde_json syntax error (`trailing comma at line 4 column 1`) as a sentence in the
/// admin's language, without its position (the caller says where).
pub fn json_syntax(error: &str, lang: Lang) -> String {
    let what = error.split(" at line ").next().unwrap_or(error);
    let texts: &[(&str, [&str; 3])] = &[
        (
            "trailing comma",
            [
                "最後の要素の後ろに余分なカンマがあります",
                "there is a comma after the last element",
                "最后一个元素后面多了一个逗号",
            ],
        ),
        (
            "EOF while parsing",
            [
                "途中で終わっています（閉じ括弧か引用符が足りません）",
                "the text ends too early (a closing bracket or quote is missing)",
                "文本提前结束（缺少右括号或引号）",
            ],
        ),
        ("expected `,` or `}`", ["カンマか } が必要です", "a comma or } is needed", "需要逗号或 }"]),
        ("expected `,` or `]`", ["カンマか ] が必要です", "a comma or ] is needed", "需要逗号或 ]"]),
        ("expected `:`", ["キーの後ろに : が必要です", "a : is needed after the key", "键后面需要 :"]),
        (
            "expected value",
            [
                "値が必要な場所です（引用符のない文字や余分な記号があります）",
                "a value is needed here (unquoted text or a stray symbol)",
                "这里需要一个值（有未加引号的文字或多余的符号）",
            ],
        ),
        (
            "expected ident",
            ["true、false、null のつづりが違います", "true, false or null is misspelt", "true、false 或 null 拼写有误"],
        ),
        (
            "key must be a string",
            ["キーは引用符で囲んでください", "a key must be in double quotes", "键必须放在双引号中"],
        ),
        (
            "trailing characters",
            [
                "JSON の終わりの後ろに余分な文字があります",
                "there is more text after the end of the JSON",
                "JSON 结束后还有多余的文字",
            ],
        ),
        (
            "control character",
            [
                "文字列の中に改行やタブがそのまま入っています（\\n や \\t と書いてください）",
                "a string holds a raw line break or tab (write \\n or \\t)",
                "字符串中含有未转义的换行或制表符（请写成 \\n 或 \\t）",
            ],
        ),
        (
            "invalid escape",
            [
                "\\ の使い方が正しくありません（\\ そのものは \\\\ と書きます）",
                "a \\ escape is not valid (write \\\\ for a backslash)",
                "\\ 的用法不正确（反斜杠本身请写成 \\\\）",
            ],
        ),
        (
            "invalid number",
            ["数値の書き方が正しくありません", "a number is not written correctly", "数字的写法不正确"],
        ),
        ("number out of range", ["数値が大きすぎます", "a number is too large", "数字太大"]),
        ("recursion limit exceeded", ["入れ子が深すぎます", "the nesting is too deep", "嵌套过深"]),
        (
            "invalid unicode code point",
            ["\\u で書かれた文字が正しくありません", "a \\u escape is not a valid character", "\\u 转义的字符无效"],
        ),
        (
            "lone leading surrogate",
            ["\\u で書かれた文字が正しくありません", "a \\u escape is not a valid character", "\\u 转义的字符无效"],
        ),
    ];
    for (prefix, [ja, en, zh]) in texts {
        if what.starts_with(prefix) {
            return lang.pick3(ja, en, zh).to_string();
        }
    }
    lang.pick3(format!("JSON の誤り（{what}）"), format!("a JSON error ({what})"), format!("JSON 错误（{what}）"))
}

/// A `regex` syntax error's last line (`unclosed group`) in the admin's language.
pub fn regex_syntax(what: &str, lang: Lang) -> String {
    let texts: &[(&str, [&str; 3])] = &[
        ("unclosed group", ["( が閉じていません", "a ( is not closed", "( 没有闭合"]),
        (
            "unopened group",
            ["対応する ( のない ) があります", "a ) has no matching (", "有一个 ) 没有对应的 ("],
        ),
        ("unclosed character class", ["[ が閉じていません", "a [ is not closed", "[ 没有闭合"]),
        (
            "repetition operator missing expression",
            [
                "*、+、? や {n} の前に繰り返すものがありません",
                "*, +, ? or {n} has nothing before it to repeat",
                "*、+、? 或 {n} 前面没有可重复的内容",
            ],
        ),
        (
            "look-around",
            [
                "先読み・後読み（(?= など）は使えません",
                "look-around ((?= and the like) is not supported",
                "不支持前瞻和后顾（(?= 等）",
            ],
        ),
        (
            "backreferences are not supported",
            [
                "後方参照（\\1 など）は使えません",
                "back-references (\\1 and the like) are not supported",
                "不支持反向引用（\\1 等）",
            ],
        ),
        (
            "unrecognized escape sequence",
            ["使えない \\ の組み合わせです", "a \\ escape that is not known", "无法识别的 \\ 转义"],
        ),
        (
            "incomplete escape sequence",
            ["\\ で終わっています", "the pattern ends with \\", "表达式以 \\ 结尾"],
        ),
        ("unclosed counted repetition", ["{ が閉じていません", "a { is not closed", "{ 没有闭合"]),
        (
            "invalid character class range",
            [
                "文字の範囲（a-z など）の順序が逆です",
                "a character range (such as a-z) is backwards",
                "字符范围（如 a-z）的顺序颠倒了",
            ],
        ),
        ("empty character class", ["[] の中が空です", "a [] is empty", "[] 中是空的"]),
        (
            "invalid repetition count range",
            ["{n,m} の n が m より大きいです", "in {n,m}, n is larger than m", "{n,m} 中 n 大于 m"],
        ),
        (
            "repetition quantifier expects a valid decimal",
            ["{ } の中は数字を書いてください", "write numbers inside { }", "{ } 中请写数字"],
        ),
        (
            "unrecognized flag",
            ["(?...) の中に使えないフラグがあります", "a flag in (?...) is not known", "(?...) 中有无法识别的标志"],
        ),
        (
            "duplicate capture group name",
            ["同じ名前のグループが二つあります", "two groups have the same name", "有两个同名的分组"],
        ),
    ];
    for (prefix, [ja, en, zh]) in texts {
        if what.starts_with(prefix) {
            return lang.pick3(ja, en, zh).to_string();
        }
    }
    what.to_string()
}

/// Turns serde's English error into a diagnostic in the admin's language.
pub(super) fn describe(path: &str, error: &str, source: &'static str, lang: Lang) -> Diagnostic {
    let path = if path == "." { String::new() } else { path.to_string() };
    let ticked = |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(str::to_string).collect() };
    // An unknown key or value: what was found, and what is allowed instead.
    let unknown = match (error.strip_prefix("unknown field "), error.strip_prefix("unknown variant ")) {
        (Some(rest), _) => Some((true, rest)),
        (None, Some(rest)) => Some((false, rest)),
        (None, None) => None,
    };
    let (message, hint) = if let Some((key, rest)) = unknown {
        let names = ticked(rest);
        let (found, expected) = names.split_first().map(|(f, e)| (f.clone(), e.to_vec())).unwrap_or_default();
        let message = if key {
            lang.pick3(
                format!("\"{found}\" という項目はありません。"),
                format!("unknown key \"{found}\"."),
                format!("没有名为 \"{found}\" 的项。"),
            )
        } else {
            lang.pick3(
                format!("\"{found}\" は使えない値です。"),
                format!("\"{found}\" is not an allowed value."),
                format!("\"{found}\" 不是允许的值。"),
            )
        };
        (message, Some(suggest(&found, &expected, lang)))
    } else if let Some(sentence) = type_error(error, lang) {
        (sentence, Some(with_detail(schema_hint(lang), error)))
    } else {
        (
            lang.pick3(
                format!("値が正しくありません（{error}）。"),
                format!("invalid value ({error})."),
                format!("值不正确（{error}）。"),
            ),
            None,
        )
    };
    let message =
        format!("{message} {}", lang.pick3("この項目は無視されます。", "This key is ignored.", "此项将被忽略。"));
    Diagnostic { level: DiagnosticLevel::Error, source, path, message, hint }
}

/// Where an admin finds a key's type: the schema, as the CLI prints it and the playground serves it.
pub(super) fn schema_hint(lang: Lang) -> &'static str {
    lang.pick3(
        "この項目の型はスキーマで確認できます（misend-guard policy schema、またはプレイグラウンドの schema.json）。",
        "See the schema for this key's type (misend-guard policy schema, or schema.json in the playground).",
        "可在架构中查看此项的类型（misend-guard policy schema，或演练场中的 schema.json）。",
    )
}

/// A hint, followed by the parser's own words for those who search for them.
pub(super) fn with_detail(hint: &str, detail: &str) -> String {
    format!("{hint} [{detail}]")
}

/// A "did you mean" hint, listing the allowed names when none is close.
pub(super) fn suggest(found: &str, expected: &[String], lang: Lang) -> String {
    let found_lower = found.to_lowercase();
    let best = expected
        .iter()
        .map(|e| {
            let e_lower = e.to_lowercase();
            // "warning" for "warn", "internal" for "internalDomains": a prefix is as close as a typo.
            let prefix =
                !found_lower.is_empty() && (found_lower.starts_with(&e_lower) || e_lower.starts_with(&found_lower));
            let distance = if prefix { 1 } else { strsim::damerau_levenshtein(&found_lower, &e_lower) };
            (distance, e)
        })
        .filter(|(distance, e)| *distance <= 2.max(e.len() / 3))
        .min_by_key(|(distance, _)| *distance);
    let allowed = expected.join(", ");
    match best {
        Some((_, name)) => lang.pick3(
            format!("\"{name}\" の誤りではありませんか？ 使える項目・値: {allowed}"),
            format!("Did you mean \"{name}\"? Allowed: {allowed}"),
            format!("是否想写 \"{name}\"？可用的项或值：{allowed}"),
        ),
        None if expected.is_empty() => lang
            .pick3("この場所には項目を置けません。", "No keys are allowed here.", "此处不能放置任何项。")
            .to_string(),
        None => lang.pick3(
            format!("使える項目・値: {allowed}"),
            format!("Allowed: {allowed}"),
            format!("可用的项或值：{allowed}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_speak_the_admins_language() {
        let e = "invalid type: string \"corp.example\", expected a sequence";
        assert_eq!(
            type_error(e, Lang::Ja).unwrap(),
            "文字列 \"corp.example\" ではなく、配列（[ ... ]）を書いてください。"
        );
        assert_eq!(
            type_error(e, Lang::En).unwrap(),
            "the string \"corp.example\" is here, but an array ([ ... ]) is needed."
        );
        assert!(type_error(e, Lang::Zh).unwrap().contains("数组"));
        let e = "invalid type: integer `3`, expected a string";
        assert_eq!(type_error(e, Lang::Ja).unwrap(), "整数 3 ではなく、文字列（\"...\"）を書いてください。");
        // A struct is an object, though its name says "str".
        let e = "invalid type: integer `5`, expected struct RawInspection";
        assert_eq!(type_error(e, Lang::En).unwrap(), "the number 5 is here, but an object ({ ... }) is needed.");
        let e = "invalid value: integer `-1`, expected u32";
        assert!(type_error(e, Lang::Ja).unwrap().contains("0 以上の整数"));
        assert_eq!(type_error("missing field `pattern`", Lang::Ja), None);
    }

    #[test]
    fn json_syntax_errors_speak_the_admins_language() {
        assert_eq!(
            json_syntax("trailing comma at line 4 column 1", Lang::Ja),
            "最後の要素の後ろに余分なカンマがあります"
        );
        assert_eq!(
            json_syntax("EOF while parsing a list at line 3 column 0", Lang::En),
            "the text ends too early (a closing bracket or quote is missing)"
        );
        assert!(json_syntax("something new at line 1 column 1", Lang::Ja).contains("something new"));
        for lang in Lang::ALL {
            assert!(!json_syntax("expected value at line 1 column 1", lang).contains("expected"), "{lang:?}");
        }
    }

    #[test]
    fn regex_errors_speak_the_admins_language() {
        assert_eq!(regex_syntax("unclosed group", Lang::Ja), "( が閉じていません");
        assert_eq!(regex_syntax("unclosed group", Lang::Zh), "( 没有闭合");
        assert_eq!(regex_syntax("some future error", Lang::Ja), "some future error");
    }

    /// serde_json's type errors, which the sentences above read, name the value found in serde's
    /// own words: the workspace's copy of serde_json writes them itself (vendor/serde_json), so
    /// that float formatting stays out of the add-on's wasm.
    #[test]
    fn json_type_errors_name_values_in_serdes_words() {
        use serde::de::{Error, Unexpected};
        let values = [
            Unexpected::Bool(true),
            Unexpected::Unsigned(7),
            Unexpected::Signed(-7),
            Unexpected::Char('x'),
            Unexpected::Str("a \"b\"\n"),
            Unexpected::Bytes(b"ab"),
            Unexpected::Option,
            Unexpected::NewtypeStruct,
            Unexpected::Seq,
            Unexpected::Map,
            Unexpected::Enum,
            Unexpected::UnitVariant,
            Unexpected::NewtypeVariant,
            Unexpected::TupleVariant,
            Unexpected::StructVariant,
            Unexpected::Other("something else"),
        ];
        for value in values {
            let json = serde_json::Error::invalid_type(value, &"a sequence").to_string();
            assert_eq!(json, format!("invalid type: {value}, expected a sequence"));
            let json = serde_json::Error::invalid_value(value, &"a sequence").to_string();
            assert_eq!(json, format!("invalid value: {value}, expected a sequence"));
        }
        // serde_json's own words for these two.
        let float = serde_json::Error::invalid_type(Unexpected::Float(1.5), &"u64").to_string();
        assert_eq!(float, "invalid type: floating point `1.5`, expected u64");
        let null = serde_json::Error::invalid_type(Unexpected::Unit, &"u64").to_string();
        assert_eq!(null, "invalid type: null, expected u64");
        let error = serde_json::from_str::<Vec<u8>>("[1, 2.0]").unwrap_err().to_string();
        assert_eq!(error, "invalid type: floating point `2.0`, expected u8 at line 1 column 7");
    }
}
