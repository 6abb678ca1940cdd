//! `--format text`: a review as a person reads it in a terminal.
//!
//! It is drawn from the review's JSON, the same document `--format json` prints and the add-on
//! receives, so the two formats cannot disagree. The layout follows the dialog:
//! the verdict, recipients grouped internal / external by domain with their To/Cc/Bcc field,
//! attachments with their sizes, then the findings.
//! Every value from the mail or the policy is printed with its control characters escaped
//! (see [`crate::terminal`]), so a hostile subject cannot move the cursor or clear the terminal.

use misend_guard_rules::Lang;
use serde_json::Value;

/// Renders one review.
pub fn render(file: &str, review: &Value, lang: Lang) -> String {
    let mut out = String::new();
    let t = |ja: &'static str, en: &'static str, zh: &'static str| lang.pick3(ja, en, zh);
    let line = |out: &mut String, s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    let verdict = str_of(&review["verdict"]);
    line(&mut out, format!("== {}", clean(file)));
    line(&mut out, format!("{}: {}", t("判定", "verdict", "判定结果"), verdict_label(verdict, lang)));
    line(&mut out, format!("{}: {}", t("件名", "subject", "主题"), clean(str_of(&review["subject"]))));
    if let Some(sender) = review["sender"].as_object() {
        line(&mut out, format!("{}: {}", t("差出人", "from", "发件人"), mailbox(&Value::Object(sender.clone()))));
    }

    let recipients = review["recipients"].as_array().cloned().unwrap_or_default();
    line(&mut out, format!("{} ({}):", t("宛先", "recipients", "收件人"), recipients.len()));
    for group in review["groups"].as_array().into_iter().flatten() {
        let members = group["members"].as_array().cloned().unwrap_or_default();
        let heading = match (str_of(&group["class"]), group["domain"].as_str()) {
            ("internal", _) => format!("{} ({})", t("社内", "internal", "内部"), members.len()),
            (_, Some(domain)) => format!("{}: {} ({})", t("社外", "external", "外部"), clean(domain), members.len()),
            _ => format!("{} ({})", t("社外", "external", "外部"), members.len()),
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
                text.push_str(&format!("  [{}: {}]", t("リスト", "list", "列表"), clean(list)));
            }
            if r["valid"] == Value::Bool(false) {
                text.push_str(&format!(
                    "  ({})",
                    t("アドレスの形ではありません", "not an address", "不是有效的邮件地址")
                ));
            }
            line(&mut out, text);
        }
    }

    let attachments = review["attachments"].as_array().cloned().unwrap_or_default();
    line(&mut out, format!("{} ({}):", t("添付ファイル", "attachments", "附件"), attachments.len()));
    for a in &attachments {
        let size = a["size"].as_u64().map_or_else(|| "?".to_string(), human_size);
        line(&mut out, format!("  {}  {size}", clean(str_of(&a["name"]))));
    }

    let findings = review["findings"].as_array().cloned().unwrap_or_default();
    line(&mut out, format!("{} ({}):", t("指摘", "findings", "需要确认的事项"), findings.len()));
    for f in &findings {
        line(
            &mut out,
            format!("  {:<5} {}: {}", str_of(&f["severity"]), str_of(&f["code"]), clean(str_of(&f["message"]))),
        );
        for at in pointers(f, &recipients, &attachments, lang) {
            line(&mut out, format!("        {at}"));
        }
    }

    let diagnostics = review["diagnostics"].as_array().cloned().unwrap_or_default();
    if review["degraded"] == Value::Bool(true) || !diagnostics.is_empty() {
        let state = if review["degraded"] == Value::Bool(true) {
            t(
                "誤りあり: 最も厳しい確認になります",
                "has errors: the strictest checks apply",
                "有错误：将按最严格的设置检查",
            )
        } else {
            t("警告あり", "has warnings", "有警告")
        };
        line(&mut out, format!("{}: {state}", t("ポリシー", "policy", "策略")));
        for d in &diagnostics {
            let path = str_of(&d["path"]);
            let path = if path.is_empty() { String::new() } else { format!("{path}: ") };
            line(&mut out, format!("  {}: {}{}", str_of(&d["level"]), clean(&path), clean(str_of(&d["message"]))));
        }
    }
    out
}

/// At most this many recipients are named under a finding; the rest are counted.
const MAX_NAMED_RECIPIENTS: usize = 5;

/// What a finding points at, as the dialog marks it: its recipients, its attachments, and the
/// matched text of the subject, the body or a file name with a little context.
fn pointers(finding: &Value, recipients: &[Value], attachments: &[Value], lang: Lang) -> Vec<String> {
    let t = |ja: &'static str, en: &'static str, zh: &'static str| lang.pick3(ja, en, zh);
    let indexes = |key: &str| -> Vec<usize> {
        finding[key].as_array().into_iter().flatten().filter_map(Value::as_u64).map(|i| i as usize).collect()
    };
    let mut out = Vec::new();
    let named = indexes("recipients");
    if !named.is_empty() {
        let mut text: Vec<String> = named
            .iter()
            .take(MAX_NAMED_RECIPIENTS)
            .filter_map(|&i| recipients.get(i))
            .map(|r| clean(str_of(&r["address"])))
            .collect();
        if named.len() > MAX_NAMED_RECIPIENTS {
            let more = named.len() - MAX_NAMED_RECIPIENTS;
            text.push(lang.pick3(format!("ほか {more} 件"), format!("{more} more"), format!("另外 {more} 个")));
        }
        out.push(format!("{}: {}", t("宛先", "recipients", "收件人"), text.join(", ")));
    }
    let files: Vec<String> =
        indexes("attachments").iter().filter_map(|&i| attachments.get(i)).map(|a| clean(str_of(&a["name"]))).collect();
    if !files.is_empty() {
        out.push(format!("{}: {}", t("添付", "attachments", "附件"), files.join(", ")));
    }
    for excerpt in finding["excerpts"].as_array().into_iter().flatten() {
        let part = match str_of(&excerpt["part"]) {
            "subject" => t("件名", "subject", "主题").to_string(),
            "body" => t("本文", "body", "正文").to_string(),
            // Inside a file: the file and the place in it (`customers.xlsx › Sheet1!C12`).
            "attachment-content" => {
                let file = excerpt["attachment"].as_u64().and_then(|i| attachments.get(i as usize));
                let file = clean(file.map_or("?", |a| str_of(&a["name"])));
                match str_of(&excerpt["place"]) {
                    "" => file,
                    place => format!("{file} › {}", clean(place)),
                }
            }
            // A file name is already named above; its excerpt adds nothing.
            _ => continue,
        };
        let before = clean(str_of(&excerpt["before"]));
        let after = clean(str_of(&excerpt["after"]));
        out.push(format!("{part}: {before}[{}]{after}", clean(str_of(&excerpt["text"]))));
    }
    out
}

fn verdict_label(verdict: &str, lang: Lang) -> String {
    let words = match verdict {
        "ok" => lang.pick3("問題なし", "nothing to stop the send", "没有需要阻止发送的问题"),
        "warn" => lang.pick3("要確認", "needs a careful look", "需要仔细确认"),
        "block" => lang.pick3("送信不可", "cannot be sent", "无法发送"),
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

/// A value as the terminal may show it: escape sequences and line breaks escaped, so that it
/// stays on its line and acts on nothing.
fn clean(s: &str) -> String {
    crate::terminal::escape(s).into_owned()
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
    fn findings_name_what_they_point_at() {
        let recipients: Vec<Value> =
            (0..7).map(|i| serde_json::json!({"address": format!("r{i}@x.example")})).collect();
        let attachments = vec![serde_json::json!({"name": "a.pdf"}), serde_json::json!({"name": "b\u{1b}[2J.xlsx"})];
        let finding = serde_json::json!({
            "recipients": [0, 1, 2, 3, 4, 5, 6],
            "attachments": [1],
            "excerpts": [
                {"part": "subject", "before": "【", "text": "社外秘", "after": "】計画"},
                {"part": "attachment", "attachment": 1, "before": "", "text": "b", "after": ".xlsx"},
                {"part": "body", "before": "資料を", "text": "お送り", "after": "します"}
            ]
        });
        assert_eq!(
            pointers(&finding, &recipients, &attachments, Lang::En),
            [
                "recipients: r0@x.example, r1@x.example, r2@x.example, r3@x.example, r4@x.example, 2 more",
                "attachments: b\\x1b[2J.xlsx",
                "subject: 【[社外秘]】計画",
                "body: 資料を[お送り]します",
            ]
        );
        assert_eq!(pointers(&serde_json::json!({}), &recipients, &attachments, Lang::Ja), Vec::<String>::new());
    }

    #[test]
    fn control_characters_cannot_escape_their_line() {
        assert_eq!(clean("a\u{1b}[2J\r\nb"), "a\\x1b[2J\\r\\nb");
    }
}
