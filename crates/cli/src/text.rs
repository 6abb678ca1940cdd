//! `--format text`: a review as a person reads it in a terminal.
//!
//! It is drawn from the review's JSON, the same document `--format json` prints and the add-on
//! receives, so the two formats cannot disagree. The layout follows the dialog:
//! the verdict, recipients grouped internal / external by domain with their To/Cc/Bcc field,
//! attachments with their sizes, then the findings.
//! Values from the mail are printed as text with control characters replaced, so a hostile
//! subject cannot move the cursor or clear the terminal.

use misend_guard_rules::Lang;
use serde_json::Value;

/// Renders one review.
pub fn render(file: &str, review: &Value, lang: Lang) -> String {
    let mut out = String::new();
    let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    let line = |out: &mut String, s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let verdict = str_of(&review["verdict"]);
    line(&mut out, format!("== {}", clean(file)));
    line(&mut out, format!("{}: {}", t("判定", "verdict"), verdict_label(verdict, lang)));
    line(&mut out, format!("{}: {}", t("件名", "subject"), clean(str_of(&review["subject"]))));
    if let Some(sender) = review["sender"].as_object() {
        line(&mut out, format!("{}: {}", t("差出人", "from"), mailbox(&Value::Object(sender.clone()))));
    }

    let recipients = review["recipients"].as_array().cloned().unwrap_or_default();
    line(&mut out, format!("{} ({}):", t("宛先", "recipients"), recipients.len()));
    for group in review["groups"].as_array().into_iter().flatten() {
        let members = group["members"].as_array().cloned().unwrap_or_default();
        let heading = match (str_of(&group["class"]), group["domain"].as_str()) {
            ("internal", _) => format!("{} ({})", t("社内", "internal"), members.len()),
            (_, Some(domain)) => format!("{}: {} ({})", t("社外", "external"), clean(domain), members.len()),
            _ => format!("{} ({})", t("社外", "external"), members.len()),
        };
        line(&mut out, format!("  {heading}"));
        for index in members.iter().filter_map(Value::as_u64) {
            let Some(r) = recipients.get(index as usize) else { continue };
            let field = match str_of(&r["field"]) {
                "to" => "To",
                "cc" => "Cc",
                "bcc" => "Bcc",
                other => other,
            };
            let mut text = format!("    {field:<4}{}", mailbox(r));
            if let Some(list) = r["list"].as_str() {
                text.push_str(&format!("  [{}: {}]", t("リスト", "list"), clean(list)));
            }
            if r["valid"] == Value::Bool(false) {
                text.push_str(&format!("  ({})", t("アドレスの形ではありません", "not an address")));
            }
            line(&mut out, text);
        }
    }

    let attachments = review["attachments"].as_array().cloned().unwrap_or_default();
    line(&mut out, format!("{} ({}):", t("添付ファイル", "attachments"), attachments.len()));
    for a in &attachments {
        let size = a["size"].as_u64().map_or_else(|| "?".to_string(), human_size);
        line(&mut out, format!("  {}  {size}", clean(str_of(&a["name"]))));
    }

    let findings = review["findings"].as_array().cloned().unwrap_or_default();
    line(&mut out, format!("{} ({}):", t("指摘", "findings"), findings.len()));
    for f in &findings {
        line(
            &mut out,
            format!("  {:<5} {}: {}", str_of(&f["severity"]), str_of(&f["code"]), clean(str_of(&f["message"]))),
        );
    }

    let diagnostics = review["diagnostics"].as_array().cloned().unwrap_or_default();
    if review["degraded"] == Value::Bool(true) || !diagnostics.is_empty() {
        let state = if review["degraded"] == Value::Bool(true) {
            t("誤りあり: 最も厳しい確認になります", "has errors: the strictest checks apply")
        } else {
            t("警告あり", "has warnings")
        };
        line(&mut out, format!("{}: {state}", t("ポリシー", "policy")));
        for d in &diagnostics {
            let path = str_of(&d["path"]);
            let path = if path.is_empty() { String::new() } else { format!("{path}: ") };
            line(&mut out, format!("  {}: {path}{}", str_of(&d["level"]), str_of(&d["message"])));
        }
    }
    out
}

fn verdict_label(verdict: &str, lang: Lang) -> String {
    let words = match verdict {
        "ok" => lang.pick("問題なし", "nothing to stop the send"),
        "warn" => lang.pick("要確認", "needs a careful look"),
        "block" => lang.pick("送信不可", "cannot be sent"),
        _ => "",
    };
    format!("{verdict} ({words})")
}

fn mailbox(r: &Value) -> String {
    let address = clean(str_of(&r["address"]));
    match r["name"].as_str() {
        Some(name) => format!("{} <{address}>", clean(name)),
        None => address,
    }
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

/// Replaces control characters (escape sequences, line breaks) so that a value stays on its line.
fn clean(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A size as file managers show it: bytes up to 1 KB, then one decimal in KB, MB or GB
/// (1 KB = 1024 bytes, as Windows Explorer counts).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        for (bytes, expected) in [
            (0, "0 B"),
            (1023, "1023 B"),
            (1024, "1.0 KB"),
            (1536, "1.5 KB"),
            (5 * 1024 * 1024, "5.0 MB"),
            (3 * 1024 * 1024 * 1024, "3.0 GB"),
            (5000 * 1024 * 1024 * 1024, "5000.0 GB"),
        ] {
            assert_eq!(human_size(bytes), expected, "{bytes} bytes");
        }
    }

    #[test]
    fn control_characters_cannot_escape_their_line() {
        assert_eq!(clean("a\u{1b}[2J\r\nb"), "a [2J  b");
    }
}
