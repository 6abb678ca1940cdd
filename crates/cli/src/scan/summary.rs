//! What a scan found, counted: the summary printed at the end and written as the last JSON line.
//!
//! A summary holds counts, never only shares, so that the summaries of several runs over
//! disjoint shards of a mailbox add up ([`Summary::merge`]) to the summary of one run over all.
//! The examples and the unreadable mails kept are the first ones in the order of their source,
//! so that a merge keeps the same ones as one run would.

use std::collections::{BTreeMap, BTreeSet};

use misend_guard_rules::Lang;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::terminal::escape;

/// Example mails kept per code for the report.
pub const EXAMPLES_PER_CODE: usize = 3;
/// Unreadable mails listed by place (all are counted).
pub const MAX_LISTED_ERRORS: usize = 1000;
/// Rows printed in the "top" lists of the text summary.
const TOP: usize = 10;

/// Where a mail is: its file, and for a mail of an mbox its number and byte offset in it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
}

impl Source {
    /// The place in words: `box.mbox: mail 12 at byte 34567`.
    pub fn describe(&self, lang: Lang) -> String {
        match (self.index, self.offset) {
            (Some(index), Some(offset)) => lang.pick3(
                format!("{}: {index} 通目（{offset} バイト目から）", self.file),
                format!("{}: mail {index} at byte {offset}", self.file),
                format!("{}：第 {index} 封（从第 {offset} 字节起）", self.file),
            ),
            _ => self.file.clone(),
        }
    }
}

/// A mail that could not be read or checked, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unreadable {
    pub source: Source,
    pub reason: String,
}

/// One finding of an example mail.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExampleFinding {
    pub code: String,
    pub severity: String,
    pub message: String,
}

/// A mail shown in the report as an example of a code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Example {
    pub source: Source,
    pub subject: String,
    pub verdict: String,
    pub findings: Vec<ExampleFinding>,
}

/// The counts of a scan (or of several, merged).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Summary {
    /// Mails read and checked.
    pub mails: u64,
    /// Mails that could not be read or checked.
    pub unreadable: u64,
    /// Mails per verdict (`ok`, `warn`, `block`).
    pub verdicts: BTreeMap<String, u64>,
    /// Mails each code fired on (a code firing twice on one mail counts once).
    pub codes: BTreeMap<String, u64>,
    /// Mails per recipient domain (a domain counts once per mail).
    pub domains: BTreeMap<String, u64>,
    /// Mails each keyword rule fired on, by the rule's id.
    pub keyword_rules: BTreeMap<String, u64>,
    /// The first unreadable mails, in the order of their source (at most [`MAX_LISTED_ERRORS`]).
    pub errors: Vec<Unreadable>,
    /// The first mails of each code, in the order of their source (at most [`EXAMPLES_PER_CODE`]).
    pub examples: BTreeMap<String, Vec<Example>>,
}

fn add(map: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match map.get_mut(key) {
        Some(count) => *count += n,
        None => {
            map.insert(key.to_string(), n);
        }
    }
}

impl Summary {
    /// The summary of one mail, from its review's JSON.
    pub fn of_review(source: &Source, review: &Value) -> Summary {
        let mut summary = Summary { mails: 1, ..Summary::default() };
        let verdict = review["verdict"].as_str().unwrap_or("unknown");
        add(&mut summary.verdicts, verdict, 1);
        let findings = review["findings"].as_array().map(Vec::as_slice).unwrap_or_default();
        let codes: BTreeSet<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
        for code in &codes {
            add(&mut summary.codes, code, 1);
        }
        let rules: BTreeSet<&str> =
            findings.iter().filter(|f| f["code"] == "keyword").filter_map(|f| f["ruleId"].as_str()).collect();
        for rule in rules {
            add(&mut summary.keyword_rules, rule, 1);
        }
        let domains: BTreeSet<String> = review["recipients"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["domain"].as_str())
            .map(str::to_lowercase)
            .collect();
        for domain in &domains {
            add(&mut summary.domains, domain, 1);
        }
        if !codes.is_empty() {
            let example = Example {
                source: source.clone(),
                subject: review["subject"].as_str().unwrap_or_default().to_string(),
                verdict: verdict.to_string(),
                findings: findings
                    .iter()
                    .map(|f| ExampleFinding {
                        code: f["code"].as_str().unwrap_or_default().to_string(),
                        severity: f["severity"].as_str().unwrap_or_default().to_string(),
                        message: f["message"].as_str().unwrap_or_default().to_string(),
                    })
                    .collect(),
            };
            for code in codes {
                summary.examples.insert(code.to_string(), vec![example.clone()]);
            }
        }
        summary
    }

    /// The summary of one mail that could not be read or checked.
    pub fn of_error(source: Source, reason: String) -> Summary {
        Summary { unreadable: 1, errors: vec![Unreadable { source, reason }], ..Summary::default() }
    }

    /// Adds another summary's counts to this one.
    pub fn merge(&mut self, other: Summary) {
        self.mails += other.mails;
        self.unreadable += other.unreadable;
        for (mine, theirs) in [
            (&mut self.verdicts, other.verdicts),
            (&mut self.codes, other.codes),
            (&mut self.domains, other.domains),
            (&mut self.keyword_rules, other.keyword_rules),
        ] {
            for (key, n) in theirs {
                add(mine, &key, n);
            }
        }
        if !other.errors.is_empty() {
            self.errors.extend(other.errors);
            self.errors.sort();
            self.errors.truncate(MAX_LISTED_ERRORS);
        }
        for (code, examples) in other.examples {
            let kept = self.examples.entry(code).or_default();
            kept.extend(examples);
            kept.sort();
            kept.dedup();
            kept.truncate(EXAMPLES_PER_CODE);
        }
    }

    /// The share of the mails read that `count` is (0 when none were read).
    pub fn share(&self, count: u64) -> f64 {
        if self.mails == 0 {
            0.0
        } else {
            count as f64 / self.mails as f64
        }
    }

    /// The summary as JSON, with the share of each code beside its count (shares are
    /// ignored when summaries are merged: they are computed again from the counts).
    pub fn to_json(&self) -> Value {
        let mut json = serde_json::to_value(self).unwrap_or(Value::Null);
        let shares: serde_json::Map<String, Value> =
            self.codes.iter().map(|(code, &n)| (code.clone(), Value::from(self.share(n)))).collect();
        json["codeShares"] = Value::Object(shares);
        json
    }

    /// The entries of a count map, largest first (ties by name), at most `n`.
    pub fn top(map: &BTreeMap<String, u64>, n: usize) -> Vec<(&str, u64)> {
        let mut entries: Vec<(&str, u64)> = map.iter().map(|(k, &v)| (k.as_str(), v)).collect();
        entries.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        entries.truncate(n);
        entries
    }

    /// The codes in the order of the engine's list of checks, then any unknown to it.
    pub fn codes_in_order(&self) -> Vec<(&str, u64)> {
        let known = misend_guard_rules::Code::ALL.iter().map(|c| c.as_str());
        let mut ordered: Vec<(&str, u64)> =
            known.filter_map(|c| self.codes.get_key_value(c)).map(|(k, &v)| (k.as_str(), v)).collect();
        for (code, &n) in &self.codes {
            if !ordered.iter().any(|(c, _)| c == code) {
                ordered.push((code.as_str(), n));
            }
        }
        ordered
    }
}

/// A number with thousands separators, as people read counts: `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal: `12.3%`.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// The name of a verdict in the admin's language.
pub fn verdict_label(verdict: &str, lang: Lang) -> String {
    match verdict {
        "ok" => lang.pick3("問題なし", "ok", "没有问题").to_string(),
        "warn" => lang.pick3("要確認", "warn", "需确认").to_string(),
        "block" => lang.pick3("送信不可", "block", "无法发送").to_string(),
        other => escape(other).into_owned(),
    }
}

/// A change of a count, with a real minus sign: `412 → 100 (−312)`.
pub fn movement(before: u64, after: u64) -> String {
    let delta = after as i128 - before as i128;
    let sign = match delta {
        d if d > 0 => format!("+{}", thousands(d as u64)),
        d if d < 0 => format!("\u{2212}{}", thousands(d.unsigned_abs() as u64)),
        _ => "±0".to_string(),
    };
    format!("{} → {} ({sign})", thousands(before), thousands(after))
}

/// The summary for people, every value from mails escaped for the terminal.
pub fn render_text(summary: &Summary, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str, zh: &'static str| lang.pick3(ja, en, zh);
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "{}: {}  ({}: {})",
        t("読んだメール", "mails read", "已读取邮件"),
        thousands(summary.mails),
        t("読めなかったメール", "unreadable", "无法读取"),
        thousands(summary.unreadable)
    ));
    line(format!("{}:", t("判定", "verdicts", "判定结果")));
    for verdict in ["ok", "warn", "block"] {
        let n = summary.verdicts.get(verdict).copied().unwrap_or(0);
        line(format!(
            "  {:<8} {:>10}  {:>6}",
            verdict_label(verdict, lang),
            thousands(n),
            percent(summary.share(n))
        ));
    }
    for (verdict, &n) in summary.verdicts.iter().filter(|(v, _)| !["ok", "warn", "block"].contains(&v.as_str())) {
        line(format!(
            "  {:<8} {:>10}  {:>6}",
            verdict_label(verdict, lang),
            thousands(n),
            percent(summary.share(n))
        ));
    }
    line(format!(
        "{}:",
        t(
            "コード別（該当したメールの数と割合）",
            "codes (mails each fired on, and share)",
            "各代码（命中的邮件数与比例）"
        )
    ));
    let codes = summary.codes_in_order();
    if codes.is_empty() {
        line(format!("  {}", t("なし", "none", "无")));
    }
    let width = codes.iter().map(|(c, _)| c.chars().count()).max().unwrap_or(0);
    for (code, n) in codes {
        line(format!("  {:<width$}  {:>10}  {:>6}", escape(code), thousands(n), percent(summary.share(n))));
    }
    for (title, map) in [
        (t("宛先ドメイン（上位）", "top recipient domains", "收件人域名（前几位）"), &summary.domains),
        (t("キーワードルール（上位）", "top keyword rules", "关键词规则（前几位）"), &summary.keyword_rules),
    ] {
        line(format!("{title}:"));
        let top = Summary::top(map, TOP);
        if top.is_empty() {
            line(format!("  {}", t("なし", "none", "无")));
        }
        let width = top.iter().map(|(c, _)| escape(c).chars().count()).max().unwrap_or(0);
        for (key, n) in top {
            line(format!("  {:<width$}  {:>10}", escape(key), thousands(n)));
        }
    }
    if summary.unreadable > 0 {
        line(format!("{}:", t("読めなかったメール", "mails that could not be read", "无法读取的邮件")));
        for error in summary.errors.iter().take(20) {
            line(format!("  {}: {}", escape(&error.source.describe(lang)), escape(&error.reason)));
        }
        let hidden = summary.unreadable.saturating_sub(summary.errors.len().min(20) as u64);
        if hidden > 0 {
            line(format!(
                "  {}",
                lang.pick3(
                    format!("… ほかに {} 通", thousands(hidden)),
                    format!("… and {} more", thousands(hidden)),
                    format!("… 另有 {} 封", thousands(hidden))
                )
            ));
        }
    }
    out
}

/// How the counts move from one policy to the other, code by code.
pub fn render_compare(before: &Summary, after: &Summary, other_name: &str, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&lang.pick3(
        format!("比較: --policy から --compare（{}）へ\n", escape(other_name)),
        format!("compared: from --policy to --compare ({})\n", escape(other_name)),
        format!("比较：从 --policy 到 --compare（{}）\n", escape(other_name)),
    ));
    for verdict in ["ok", "warn", "block"] {
        let a = before.verdicts.get(verdict).copied().unwrap_or(0);
        let b = after.verdicts.get(verdict).copied().unwrap_or(0);
        out.push_str(&format!("  {}: {}\n", verdict_label(verdict, lang), movement(a, b)));
    }
    for (code, a, b) in compared_codes(before, after) {
        out.push_str(&format!("  {}: {}\n", escape(code), movement(a, b)));
    }
    out
}

/// Every code either summary has, in the engine's order, with its count in each.
pub fn compared_codes<'a>(before: &'a Summary, after: &'a Summary) -> Vec<(&'a str, u64, u64)> {
    let mut codes: Vec<&str> = before.codes_in_order().into_iter().map(|(c, _)| c).collect();
    for (code, _) in after.codes_in_order() {
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let order = |c: &str| misend_guard_rules::Code::ALL.iter().position(|k| k.as_str() == c).unwrap_or(usize::MAX);
    codes.sort_by_key(|c| order(c));
    codes
        .into_iter()
        .map(|c| (c, before.codes.get(c).copied().unwrap_or(0), after.codes.get(c).copied().unwrap_or(0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn counts_merge_and_keep_the_first_examples() {
        let review = |code: &str| json!({"verdict": "warn", "subject": "s", "findings": [{"code": code, "severity": "warn", "message": "m"}, {"code": code}], "recipients": [{"domain": "A.example"}, {"domain": "a.example"}]});
        let source = |i: u64| Source { file: "box".into(), index: Some(i), offset: Some(i * 100) };
        let mut all = Summary::default();
        for i in (1..=5).rev() {
            all.merge(Summary::of_review(&source(i), &review("keyword")));
        }
        all.merge(Summary::of_error(source(9), "bad".into()));
        assert_eq!(all.mails, 5);
        assert_eq!(all.unreadable, 1);
        assert_eq!(all.codes["keyword"], 5);
        assert_eq!(all.domains["a.example"], 5);
        let kept: Vec<u64> = all.examples["keyword"].iter().map(|e| e.source.index.unwrap()).collect();
        assert_eq!(kept, [1, 2, 3]);
        let back: Summary = serde_json::from_value(all.to_json()).unwrap();
        assert_eq!(back, all);
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(movement(412, 100), "412 → 100 (\u{2212}312)");
        assert_eq!(movement(1, 1001), "1 → 1,001 (+1,000)");
    }
}
