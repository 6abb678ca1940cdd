//! `misend-guard audit FILE`: the summary of an exported confirmation record.
//!
//! The add-on keeps one record per Send (what the dialog showed and what the person did) and
//! exports them as JSON Lines. This reads such an export and counts it the way `scan` counts a
//! mailbox (verdicts, mails per code), plus what people did: the actions, whether the mail was
//! delivered and how long the dialog stayed open, so an admin compares "what the policy would say"
//! with "what people did".
//!
//! Fields this version does not know are ignored, so that later exports stay readable; a line
//! that is not a record is reported with its number and skipped. Lines are read one at a time,
//! each within a size limit, so a huge or wrong file cannot exhaust memory.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use misend_guard_rules::Lang;
use serde::{Deserialize, Serialize};

use crate::files::ReadError;
use crate::scan::summary::{percent, thousands, verdict_label, Summary};
use crate::terminal::escape;

/// A line longer than this is not a record (a record with hundreds of recipients is far smaller).
const MAX_LINE_BYTES: u64 = 4 * 1024 * 1024;
/// Bad lines listed by number (all are counted).
const MAX_LISTED_ERRORS: usize = 1000;

/// The actions a record can end with, in the order they are printed.
const ACTIONS: [&str; 5] = ["sent", "cancelled", "closed", "refused", "failed"];

#[derive(Debug, Deserialize)]
struct Finding {
    code: String,
}

#[derive(Debug, Deserialize)]
struct Recipient {
    #[serde(default)]
    address: String,
}

/// One record of the export: the fields counted here (the others are ignored).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record {
    #[allow(dead_code)]
    v: u32,
    verdict: String,
    action: String,
    #[serde(default)]
    findings: Vec<Finding>,
    #[serde(default)]
    recipients: Vec<Recipient>,
    #[serde(default)]
    fixes: Vec<String>,
    #[serde(default)]
    dialog_ms: Option<u64>,
    #[serde(default)]
    delivered: Option<bool>,
}

/// A line that is not a record, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadLine {
    pub line: u64,
    pub reason: String,
}

/// The counts of a confirmation record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditSummary {
    /// Records read.
    pub records: u64,
    /// Lines that are not records.
    pub bad_lines: u64,
    /// Records per verdict shown.
    pub verdicts: BTreeMap<String, u64>,
    /// Records each code was found in (once per record).
    pub codes: BTreeMap<String, u64>,
    /// Records per action.
    pub actions: BTreeMap<String, u64>,
    /// Records per delivery state: `true`, `false`, `unknown`.
    pub delivered: BTreeMap<String, u64>,
    /// Records each one-click fix was applied in.
    pub fixes: BTreeMap<String, u64>,
    /// Records per recipient domain (once per record).
    pub domains: BTreeMap<String, u64>,
    /// The median time the dialog was open, in milliseconds (of the records that tell it).
    pub median_dialog_ms: Option<u64>,
    /// The first bad lines.
    pub errors: Vec<BadLine>,
}

fn add(map: &mut BTreeMap<String, u64>, key: &str) {
    *map.entry(key.to_string()).or_insert(0) += 1;
}

/// Counts the records of an export.
pub fn summarize(reader: impl BufRead, lang: Lang) -> std::io::Result<AuditSummary> {
    let mut summary = AuditSummary::default();
    let mut times: Vec<u64> = Vec::new();
    let mut reader = reader;
    let mut line = Vec::new();
    let mut number = 0u64;
    loop {
        line.clear();
        let read = (&mut reader).take(MAX_LINE_BYTES + 1).read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        number += 1;
        let too_long = line.len() as u64 > MAX_LINE_BYTES && !line.ends_with(b"\n");
        if too_long {
            // The rest of the line is read and dropped, a bounded piece at a time.
            loop {
                let mut rest = Vec::new();
                let n = (&mut reader).take(MAX_LINE_BYTES).read_until(b'\n', &mut rest)?;
                if n == 0 || rest.ends_with(b"\n") {
                    break;
                }
            }
        }
        let text = line.strip_suffix(b"\n").unwrap_or(&line);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if !too_long && text.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let parsed = if too_long {
            Err(lang.pick3(
                format!("行が長すぎます（上限 {MAX_LINE_BYTES} バイト）"),
                format!("the line is too long (limit {MAX_LINE_BYTES} bytes)"),
                format!("行太长（上限 {MAX_LINE_BYTES} 字节）"),
            ))
        } else {
            serde_json::from_slice::<Record>(text).map_err(|e| {
                lang.pick3(format!("記録として読めません: {e}"), format!("not a record: {e}"), format!("不是记录：{e}"))
            })
        };
        let record = match parsed {
            Ok(record) => record,
            Err(reason) => {
                summary.bad_lines += 1;
                if summary.errors.len() < MAX_LISTED_ERRORS {
                    summary.errors.push(BadLine { line: number, reason });
                }
                continue;
            }
        };
        summary.records += 1;
        add(&mut summary.verdicts, &record.verdict);
        add(&mut summary.actions, &record.action);
        let codes: BTreeSet<&str> = record.findings.iter().map(|f| f.code.as_str()).collect();
        for code in codes {
            add(&mut summary.codes, code);
        }
        let fixes: BTreeSet<&str> = record.fixes.iter().map(String::as_str).collect();
        for fix in fixes {
            add(&mut summary.fixes, fix);
        }
        let domains: BTreeSet<String> = record
            .recipients
            .iter()
            .filter_map(|r| r.address.rsplit_once('@').map(|(_, d)| d.to_lowercase()))
            .collect();
        for domain in &domains {
            add(&mut summary.domains, domain);
        }
        let delivered = match record.delivered {
            Some(true) => "true",
            Some(false) => "false",
            None => "unknown",
        };
        add(&mut summary.delivered, delivered);
        times.extend(record.dialog_ms);
    }
    times.sort_unstable();
    summary.median_dialog_ms = match times.len() {
        0 => None,
        n if n % 2 == 1 => Some(times[n / 2]),
        n => Some((times[n / 2 - 1] + times[n / 2]) / 2),
    };
    Ok(summary)
}

/// The share of the records that `count` is.
fn share(summary: &AuditSummary, count: u64) -> f64 {
    if summary.records == 0 {
        0.0
    } else {
        count as f64 / summary.records as f64
    }
}

/// The summary for people, every value from the file escaped for the terminal.
pub fn render_text(summary: &AuditSummary, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str, zh: &'static str| lang.pick3(ja, en, zh);
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "{}: {}  ({}: {})",
        t("記録", "records", "记录"),
        thousands(summary.records),
        t("読めなかった行", "bad lines", "无法读取的行"),
        thousands(summary.bad_lines)
    ));
    let row = |label: String, n: u64| format!("  {label:<10} {:>10}  {:>6}", thousands(n), percent(share(summary, n)));
    line(format!("{}:", t("判定", "verdicts", "判定结果")));
    for verdict in ["ok", "warn", "block"] {
        line(row(verdict_label(verdict, lang), summary.verdicts.get(verdict).copied().unwrap_or(0)));
    }
    line(format!("{}:", t("操作", "actions", "操作")));
    for action in ACTIONS {
        let label = match action {
            "sent" => t("送信", "sent", "已发送"),
            "cancelled" => t("取消", "cancelled", "已取消"),
            "closed" => t("閉じた", "closed", "已关闭"),
            "refused" => t("拒否", "refused", "已拒绝"),
            _ => t("失敗", "failed", "失败"),
        };
        line(row(label.to_string(), summary.actions.get(action).copied().unwrap_or(0)));
    }
    for (action, &n) in summary.actions.iter().filter(|(a, _)| !ACTIONS.contains(&a.as_str())) {
        line(row(escape(action).into_owned(), n));
    }
    line(format!("{}:", t("配送", "delivered", "投递")));
    for (key, label) in [
        ("true", t("配送済み", "yes", "已投递")),
        ("false", t("失敗", "no", "失败")),
        ("unknown", t("不明", "unknown", "未知")),
    ] {
        line(row(label.to_string(), summary.delivered.get(key).copied().unwrap_or(0)));
    }
    line(format!(
        "{}: {}",
        t("ダイアログを開いていた時間（中央値）", "median dialog time", "对话框打开时间（中位数）"),
        summary.median_dialog_ms.map_or_else(|| "-".to_string(), |ms| format!("{:.1} s", ms as f64 / 1000.0))
    ));
    line(format!(
        "{}:",
        t(
            "コード別（該当した記録の数と割合）",
            "codes (records each was found in, and share)",
            "各代码（命中的记录数与比例）"
        )
    ));
    let as_scan = Summary { mails: summary.records, codes: summary.codes.clone(), ..Summary::default() };
    let codes = as_scan.codes_in_order();
    if codes.is_empty() {
        line(format!("  {}", t("なし", "none", "无")));
    }
    let width = codes.iter().map(|(c, _)| c.chars().count()).max().unwrap_or(0);
    for (code, n) in codes {
        line(format!("  {:<width$}  {:>10}  {:>6}", escape(code), thousands(n), percent(share(summary, n))));
    }
    for (title, map) in [
        (t("適用された修正", "fixes applied", "已应用的修正"), &summary.fixes),
        (t("宛先ドメイン（上位）", "top recipient domains", "收件人域名（前几位）"), &summary.domains),
    ] {
        line(format!("{title}:"));
        let top = Summary::top(map, 10);
        if top.is_empty() {
            line(format!("  {}", t("なし", "none", "无")));
        }
        for (key, n) in top {
            line(format!("  {}  {}", escape(key), thousands(n)));
        }
    }
    if !summary.errors.is_empty() {
        line(format!("{}:", t("読めなかった行", "bad lines", "无法读取的行")));
        for error in summary.errors.iter().take(20) {
            line(format!("  {}: {}", error.line, escape(&error.reason)));
        }
    }
    out
}

/// How `audit` prints the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuditFormat {
    /// A summary for people
    Text,
    /// One JSON line: `{"auditSummary": {...}}`
    Json,
}

/// Runs `audit`; returns 0 when every line was a record, 1 when some were not or the file cannot be read.
pub fn run(
    path: &Path,
    format: AuditFormat,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let name = escape(&path.display().to_string()).into_owned();
    let summary = match File::open(path).and_then(|file| summarize(BufReader::new(file), lang)) {
        Ok(summary) => summary,
        Err(e) => {
            writeln!(err, "{name}: error: {}", ReadError::Io(e).message(lang))?;
            return Ok(1);
        }
    };
    for error in &summary.errors {
        writeln!(err, "{name}:{}: error: {}", error.line, escape(&error.reason))?;
    }
    match format {
        AuditFormat::Json => {
            let value = serde_json::json!({ "auditSummary": summary });
            writeln!(out, "{value}")?;
        }
        AuditFormat::Text => write!(out, "{}", render_text(&summary, lang))?,
    }
    Ok(u8::from(summary.bad_lines > 0))
}
