//! `scan --format html`: the summary as one self-contained report page.
//!
//! The page loads nothing: its style sheet is inline and allowed by its hash in a strict
//! Content-Security-Policy (`default-src 'none'`, no script at all), and the bar charts are inline
//! SVG drawn with attributes, not styles. Every value that comes from a mail (subjects, file names,
//! domains, messages quoting the mail) is HTML-escaped, so hostile content is shown as text.
//! Each count carries its key and number in `data-` attributes, so that a test (or a script
//! of the admin's) reads the same numbers the page shows.

use std::fmt::Write;

use base64::Engine as _;
use misend_guard_rules::{Code, Lang};
use sha2::{Digest, Sha256};

use super::summary::{compared_codes, movement, percent, thousands, verdict_label, Summary};

const STYLE: &str = "\
body{font-family:system-ui,'Hiragino Sans','Noto Sans CJK JP','Yu Gothic',sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1b1f;background:#fff}\
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.25rem}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #eef;vertical-align:top}\
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
.totals{display:flex;gap:1rem;flex-wrap:wrap}.totals div{border:1px solid #ccd;border-radius:.5rem;padding:.5rem 1rem}\
.totals b{display:block;font-size:1.4rem}.code{font-family:ui-monospace,monospace}\
details{margin:.25rem 0}summary{cursor:pointer}ul{margin:.25rem 0 .5rem}\
.sev-block{color:#a30d0d}.sev-warn{color:#8a5a00}.sev-info{color:#3a4a6b}.muted{color:#5c5c66;font-weight:400}";

/// Escapes text for HTML content and attribute values.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A horizontal bar, `share` of its full width.
fn bar(share: f64, colour: &str) -> String {
    let width = (share.clamp(0.0, 1.0) * 240.0).round();
    format!(
        "<svg width=\"240\" height=\"12\" viewBox=\"0 0 240 12\" aria-hidden=\"true\"><rect width=\"240\" height=\"12\" fill=\"#eef0f6\"/><rect width=\"{width}\" height=\"12\" fill=\"{colour}\"/></svg>"
    )
}

fn severity_colour(code: &str) -> &'static str {
    match Code::parse(code).map(|c| c.info().default_severity.as_str()) {
        Some("block") => "#c0392b",
        Some("warn") => "#d68910",
        _ => "#5d6d9a",
    }
}

/// The report page.
pub fn render(summary: &Summary, compared: Option<(&Summary, &str)>, lang: Lang) -> String {
    let t = |ja: &'static str, en: &'static str, zh: &'static str| lang.pick3(ja, en, zh);
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{hash}'; img-src 'none'; base-uri 'none'; form-action 'none'\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\">\
<title>{}</title><style>{STYLE}</style></head><body>",
        lang.tag(),
        t("Misend Guard 試行レポート", "Misend Guard scan report", "Misend Guard 试运行报告")
    );
    let _ = writeln!(
        h,
        "<h1>{}</h1>",
        t("Misend Guard 試行レポート", "Misend Guard scan report", "Misend Guard 试运行报告")
    );
    let _ = writeln!(
        h,
        "<div class=\"totals\"><div>{}<b data-key=\"mails\" data-count=\"{}\">{}</b></div><div>{}<b data-key=\"unreadable\" data-count=\"{}\">{}</b></div></div>",
        t("確認したメール", "mails checked", "已检查邮件"),
        summary.mails,
        thousands(summary.mails),
        t("読めなかったメール", "mails that could not be read", "无法读取的邮件"),
        summary.unreadable,
        thousands(summary.unreadable)
    );

    let _ = writeln!(h, "<h2>{}</h2><table id=\"verdicts\">", t("判定", "Verdicts", "判定结果"));
    for verdict in ["ok", "warn", "block"] {
        let n = summary.verdicts.get(verdict).copied().unwrap_or(0);
        let colour = match verdict {
            "block" => "#c0392b",
            "warn" => "#d68910",
            _ => "#2e8b57",
        };
        let _ = writeln!(
            h,
            "<tr data-verdict=\"{verdict}\" data-count=\"{n}\"><th>{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            html_escape(&verdict_label(verdict, lang)),
            thousands(n),
            percent(summary.share(n)),
            bar(summary.share(n), colour)
        );
    }
    h.push_str("</table>\n");

    let _ = writeln!(
        h,
        "<h2>{}</h2><table id=\"codes\"><tr><th>{}</th><th>{}</th><th>{}</th><th></th></tr>",
        t("コード別（該当したメール）", "Codes (mails each fired on)", "各代码（命中的邮件）"),
        t("コード", "code", "代码"),
        t("メール", "mails", "邮件"),
        t("割合", "share", "比例")
    );
    for (code, n) in summary.codes_in_order() {
        let summary_text = Code::parse(code).map(|c| c.summary(lang).to_string()).unwrap_or_default();
        let _ = writeln!(
            h,
            "<tr data-code=\"{}\" data-count=\"{n}\"><th><span class=\"code\">{}</span><div class=\"muted\">{}</div></th><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            html_escape(code),
            html_escape(code),
            html_escape(&summary_text),
            thousands(n),
            percent(summary.share(n)),
            bar(summary.share(n), severity_colour(code))
        );
    }
    h.push_str("</table>\n");

    if let Some((other, name)) = compared {
        let _ = writeln!(
            h,
            "<h2>{}</h2><p class=\"muted\">{}</p><table id=\"compare\">",
            t("ポリシーの比較", "Policies compared", "策略比较"),
            html_escape(&lang.pick3(
                format!("--policy から --compare（{name}）へ"),
                format!("from --policy to --compare ({name})"),
                format!("从 --policy 到 --compare（{name}）"),
            ))
        );
        for (code, a, b) in compared_codes(summary, other) {
            let _ = writeln!(
                h,
                "<tr data-code=\"{}\" data-before=\"{a}\" data-after=\"{b}\"><th class=\"code\">{}</th><td class=\"n\">{}</td></tr>",
                html_escape(code),
                html_escape(code),
                html_escape(&movement(a, b))
            );
        }
        h.push_str("</table>\n");
    }

    for (id, title, map) in [
        (
            "domains",
            t("宛先ドメイン（上位 20）", "Top recipient domains (20)", "收件人域名（前 20）"),
            &summary.domains,
        ),
        (
            "keyword-rules",
            t("キーワードルール（上位 20）", "Top keyword rules (20)", "关键词规则（前 20）"),
            &summary.keyword_rules,
        ),
    ] {
        let _ = writeln!(h, "<h2>{title}</h2><table id=\"{id}\">");
        let top = Summary::top(map, 20);
        if top.is_empty() {
            let _ = writeln!(h, "<tr><td class=\"muted\">{}</td></tr>", t("なし", "none", "无"));
        }
        for (key, n) in top {
            let _ = writeln!(
                h,
                "<tr data-count=\"{n}\"><th>{}</th><td class=\"n\">{}</td></tr>",
                html_escape(key),
                thousands(n)
            );
        }
        h.push_str("</table>\n");
    }

    let _ = writeln!(h, "<h2>{}</h2><div id=\"examples\">", t("コード別の例", "Examples per code", "各代码的示例"));
    for (code, _) in summary.codes_in_order() {
        let Some(examples) = summary.examples.get(code) else { continue };
        let _ = writeln!(
            h,
            "<details data-code=\"{}\"><summary class=\"code\">{}</summary><ul>",
            html_escape(code),
            html_escape(code)
        );
        for example in examples {
            let subject = if example.subject.is_empty() {
                t("（件名なし）", "(no subject)", "（无主题）")
            } else {
                &example.subject
            };
            let _ = write!(
                h,
                "<li><b>{}</b> <span class=\"muted\">{} · {}</span><ul>",
                html_escape(subject),
                html_escape(&example.source.describe(lang)),
                html_escape(&verdict_label(&example.verdict, lang))
            );
            for finding in &example.findings {
                let _ = write!(
                    h,
                    "<li class=\"sev-{}\"><span class=\"code\">{}</span>: {}</li>",
                    html_escape(&finding.severity),
                    html_escape(&finding.code),
                    html_escape(&finding.message)
                );
            }
            h.push_str("</ul></li>\n");
        }
        h.push_str("</ul></details>\n");
    }
    h.push_str("</div>\n");

    if summary.unreadable > 0 {
        let _ = writeln!(
            h,
            "<h2>{}</h2><ul id=\"unreadable\">",
            t("読めなかったメール", "Mails that could not be read", "无法读取的邮件")
        );
        for error in &summary.errors {
            let _ =
                writeln!(h, "<li>{}: {}</li>", html_escape(&error.source.describe(lang)), html_escape(&error.reason));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_text_is_escaped() {
        assert_eq!(html_escape("<img src=x onerror='a'>&\u{1b}"), "&lt;img src=x onerror=&#39;a&#39;&gt;&amp;\\u{1b}");
    }
}
