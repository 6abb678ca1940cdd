//! `attachment-forgotten`: the subject or the body says something is attached, but nothing is.
//!
//! Why: "the attachment that is mentioned but missing" is one of the half-written mails of
//! product.md; the partner replies "no file attached", and a hurried second mail is where the
//! wrong file gets attached.
//!
//! What counts as a mention:
//! - Japanese: 添付, 添附, 同封, 別添; and 送付/お送り/送ります with a document word
//!   (ファイル, 資料, 書類, データ, ...) shortly before it on the same line ("資料をお送りします").
//! - English, at the start of a word, in any case: attach (attached, attachment, ...),
//!   enclos (enclosed, enclosure), "see the file", "see the document", "sending you the file".
//! - The policy's own `terms`, as plain text.
//!
//! What does not count:
//! - quoted text and the signature ([`crate::text::own_text`]), and the subject of a reply
//!   (`Re:`, `RE:`, `返信:`), which repeats someone else's words;
//! - negations: 添付なし, 添付ファイルはありません, 添付しておりません, 添付は不要, "no attachment",
//!   "not attached", "without attachments", "Attachments: none";
//! - requests and mentions of the partner's files: 添付してください, ご添付ください,
//!   添付いただいた資料, "please attach", "could you attach";
//! - the past of 送付/お送り (先日お送りしました), which speaks of an earlier mail.
//!
//! Example policy: `{"rules": {"attachment-forgotten": {"severity": "warn", "terms": ["別紙", "送付状"]}}}`

check! {
    code: "attachment-forgotten",
    order: 80,
    default: Warn,
    settings: RawAttachmentForgottenRule,
    summary: {
        ja: "件名か本文（引用と署名を除く）に添付の記述（添付、同封、attached…）がありますが、ファイルが添付されていません。",
        en: "The subject or the author's own text (not quoted text or the signature) says 添付, 同封, attached, enclosed…, but nothing is attached.",
        zh: "主题或正文（不含引用和签名）提到了附件（添付、同封、attached 等），但没有添加任何附件。",
    },
    tag: {
        ja: "添付忘れ",
        en: "Attachment missing",
        zh: "忘记附件",
    },
    how_to_fix: {
        ja: "ファイルを添付するか、本文の「添付」の記述を直してください。",
        en: "Attach the file, or correct the text that mentions it.",
        zh: "请添加文件，或修改正文中提到附件的文字。",
    },
}

use std::ops::Range;
use std::sync::OnceLock;

use super::{Code, Subject, MAX_EXCERPTS};
use crate::model::{Excerpt, Finding, Part};
use crate::text::{excerpt, TermMatcher};

/// How a built-in term is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A Japanese word that means "attached" by itself.
    Attach,
    /// A Japanese verb of sending, which means "attached" only with a document word before it.
    Send,
    /// An English word or phrase, matched at the start of a word.
    English,
}

const TERMS: &[(&str, Kind)] = &[
    ("添付", Kind::Attach),
    ("添附", Kind::Attach),
    ("同封", Kind::Attach),
    ("別添", Kind::Attach),
    ("送付", Kind::Send),
    ("お送り", Kind::Send),
    ("送ります", Kind::Send),
    ("送りします", Kind::Send),
    ("attach", Kind::English),
    ("enclos", Kind::English),
    ("see the file", Kind::English),
    ("see the document", Kind::English),
    ("sending you the file", Kind::English),
];

/// Document words that make a verb of sending mean an attachment.
const DOCUMENTS: &[&str] = &["ファイル", "資料", "書類", "データ", "見積書", "請求書", "契約書", "画像", "写真"];

/// How far before a verb of sending its document word may be, in characters.
const DOCUMENT_DISTANCE: usize = 12;

/// Words right after a Japanese term that deny it: 添付なし, 添付はありません, 添付不要.
const JA_NEGATIONS: &[&str] = &[
    "なし",
    "無し",
    "ナシ",
    "ありません",
    "有りません",
    "ございません",
    "しません",
    "していません",
    "しておりません",
    "しない",
    "いたしません",
    "致しません",
    "できません",
    "出来ません",
    "不要",
];

/// Words right after 添付/同封 that make it a request or the partner's file.
const JA_NOT_OURS: &[&str] =
    &["いただ", "頂", "ください", "下さい", "してください", "して下さい", "してくださ", "の上", "をお願い", "願い"];

/// Words right after a verb of sending that put it in the past or make it the partner's.
const JA_PAST: &[&str] = &["した", "しました", "いたしました", "致しました", "済", "いただ", "頂", "くださ", "下さ"];

/// Words among the two before an English term that deny it.
const EN_NEGATIONS: &[&str] = &["no", "not", "without", "nothing", "none", "never"];

/// Words right before an English term that make it a request: "please attach", "could you attach".
const EN_REQUESTS: &[&str] = &["please", "kindly", "you"];

/// Prefixes of a reply's subject.
const REPLY_PREFIXES: &[&str] = &["re:", "re：", "返信:", "返信：", "aw:", "sv:"];

fn terms() -> &'static TermMatcher {
    static MATCHER: OnceLock<TermMatcher> = OnceLock::new();
    MATCHER.get_or_init(|| TermMatcher::new(TERMS.iter().map(|(t, _)| t.to_string()).collect()))
}

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let own = subject.own_text();
    if !subject.attachments.is_empty() {
        return;
    }
    let draft = subject.draft;
    let mut excerpts: Vec<Excerpt> = Vec::new();
    if !is_reply(&draft.subject) {
        mentions(subject, &draft.subject, 0..draft.subject.len(), Part::Subject, &mut excerpts);
    }
    for span in own.spans() {
        if excerpts.len() >= MAX_EXCERPTS {
            break;
        }
        mentions(subject, &draft.body, span.clone(), Part::Body, &mut excerpts);
    }
    let Some(first) = excerpts.first() else { return };
    let message = subject.lang.pick3(
        format!("「{}」と書かれていますが、ファイルが添付されていません。", first.matched),
        format!("The mail says \"{}\", but nothing is attached.", first.matched),
        format!("邮件中写有“{}”，但没有添加附件。", first.matched),
    );
    out.push(
        Finding::new(Code::AttachmentForgotten, subject.severity(Code::AttachmentForgotten), message)
            .with_excerpts(excerpts),
    );
}

/// Collects the mentions in `text[span]` until there are [`MAX_EXCERPTS`].
fn mentions(subject: &Subject<'_>, text: &str, span: Range<usize>, part: Part, out: &mut Vec<Excerpt>) {
    let piece = &text[span.clone()];
    let builtin = terms().find_iter(piece).map(|(range, t)| (range, Some(TERMS[t].1)));
    let custom = subject.policy.content.attachment_terms.find_iter(piece).map(|(range, _)| (range, None));
    let budget = MAX_EXCERPTS.saturating_sub(out.len());
    let mut found: Vec<Range<usize>> = Vec::new();
    for (range, kind) in builtin.chain(custom) {
        if found.len() >= budget {
            break;
        }
        let counts = match kind {
            Some(Kind::Attach) => attach_counts(piece, &range),
            Some(Kind::Send) => send_counts(piece, &range),
            Some(Kind::English) => english_counts(piece, &range),
            // The policy's own words count unless denied, in either language's way.
            None => {
                let english = piece[range.clone()].starts_with(|c: char| c.is_ascii_alphabetic());
                if english {
                    english_counts(piece, &range)
                } else {
                    attach_counts(piece, &range)
                }
            }
        };
        if counts && !found.iter().any(|r| r.start < range.end && range.start < r.end) {
            // Show the whole English word: "attached", not the stem "attach".
            let mut range = range;
            if piece[range.clone()].ends_with(|c: char| c.is_ascii_alphabetic()) {
                range.end += piece[range.end..].bytes().take_while(u8::is_ascii_alphabetic).count();
            }
            found.push(range);
        }
    }
    found.sort_by_key(|r| r.start);
    out.extend(found.into_iter().map(|r| excerpt(text, span.start + r.start..span.start + r.end, part)));
}

fn is_reply(subject: &str) -> bool {
    let start = subject.trim_start();
    REPLY_PREFIXES
        .iter()
        .any(|p| start.len() >= p.len() && start.is_char_boundary(p.len()) && start[..p.len()].eq_ignore_ascii_case(p))
}

/// 添付, 同封, ...: counts unless denied (添付なし) or not ours (添付してください).
fn attach_counts(text: &str, range: &Range<usize>) -> bool {
    let after = &text[range.end..];
    if JA_NOT_OURS.iter().any(|w| after.starts_with(w)) {
        return false;
    }
    let mut rest = after;
    for document in DOCUMENTS {
        if let Some(r) = rest.strip_prefix(document) {
            rest = r;
            break;
        }
    }
    let rest = rest.trim_start_matches(['は', 'が', 'も', 'を', ' ', '\u{3000}']);
    !JA_NEGATIONS.iter().any(|w| rest.starts_with(w))
}

/// 送付, お送り, ...: counts with a document word shortly before, in the present.
fn send_counts(text: &str, range: &Range<usize>) -> bool {
    let after = &text[range.end..];
    if JA_PAST.iter().any(|w| after.starts_with(w)) {
        return false;
    }
    let before = &text[..range.start];
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| *c != '\n' && *c != '。')
        .take(DOCUMENT_DISTANCE)
        .last()
        .map_or(range.start, |(i, _)| i);
    let window = &text[start..range.start];
    DOCUMENTS.iter().any(|d| window.contains(d)) && attach_counts(text, range)
}

/// attach, enclos, ...: counts at the start of a word, unless a word just before denies it
/// or asks for it ("no attachment", "please attach"), or it is followed by ": none".
fn english_counts(text: &str, range: &Range<usize>) -> bool {
    let before = &text[..range.start];
    if before.chars().next_back().is_some_and(|c| c.is_alphanumeric()) {
        return false;
    }
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    // Only the last few words matter; the bound keeps this cheap on a long line.
    let mut from = before.len().saturating_sub(60).max(line_start);
    while !before.is_char_boundary(from) {
        from += 1;
    }
    let words: Vec<String> = before[from..]
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let denied = words.iter().rev().take(2).any(|w| EN_NEGATIONS.contains(&w.as_str()) || w.ends_with("n't"));
    // "Please attach" asks for a file, but "please see the file" points at one.
    let one_word = !text[range.clone()].contains(' ');
    let requested = one_word && words.last().is_some_and(|w| EN_REQUESTS.contains(&w.as_str()));
    if denied || requested {
        return false;
    }
    let after = &text[range.end..];
    let rest = after.trim_start_matches(|c: char| c.is_ascii_alphabetic()).trim_start_matches([':', ' ', '\t']);
    let lower: String = rest.chars().take(5).collect::<String>().to_lowercase();
    !(lower.starts_with("none") || lower.starts_with("n/a") || lower.starts_with("no ") || lower == "no")
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, matched, MailExt};
    use crate::model::Part;
    use crate::Code;
    use serde_json::{json, Value};

    /// The matched words of the finding for a subject and a body without attachments.
    fn check(subject: &str, body: &str, expected: &[&str]) {
        let got = matched(&findings(Value::Null, &mail().subject(subject).body(body), Code::AttachmentForgotten));
        assert_eq!(got, expected, "subject {subject:?}, body {body:?}");
    }

    #[test]
    fn japanese_mentions() {
        check("資料送付", "", &["送付"]);
        check("【添付】見積書", "", &["添付"]);
        check("件名", "見積書を添付いたします。", &["添付"]);
        check("件名", "添付ファイルをご確認ください。", &["添付"]);
        check("件名", "資料を同封しました。", &["同封"]);
        check("件名", "別添の通りです。", &["別添"]);
        check("件名", "本日、資料をお送りします。", &["お送り"]);
        check("件名", "ファイルを送付いたします。", &["送付"]);
        check("件名", "データを送ります。", &["送ります"]);
        check("件名", "添付した資料をご確認ください。", &["添付"]);
    }

    #[test]
    fn japanese_non_mentions() {
        check("件名", "添付なし", &[]);
        check("件名", "添付ファイルはありません。", &[]);
        check("件名", "添付資料はございません。", &[]);
        check("件名", "今回は添付しておりません。", &[]);
        check("件名", "添付は不要です。", &[]);
        check("件名", "書類を添付してください。", &[]);
        check("件名", "ご添付ください。", &[]);
        check("件名", "添付いただいた資料を拝見しました。", &[]);
        check("件名", "先日資料をお送りしました。", &[]);
        check("件名", "資料は送付済みです。", &[]);
        check("件名", "お送りします。", &[]);
        check("件名", "ご連絡をお送りします。", &[]);
    }

    #[test]
    fn english_mentions() {
        check("Report", "Please find attached the report.", &["attached"]);
        check("Report", "See the attachment.", &["attachment"]);
        check("Report", "I have ATTACHED the slides.", &["ATTACHED"]);
        check("Report", "The contract is enclosed.", &["enclosed"]);
        check("Report", "Please see the file for details.", &["see the file"]);
        check("Report", "Do not forget to check the attached file.", &["attached"]);
    }

    #[test]
    fn english_non_mentions() {
        check("Report", "No attachment this time.", &[]);
        check("Report", "Nothing is attached.", &[]);
        check("Report", "I have not attached it yet.", &[]);
        check("Report", "I haven't attached it.", &[]);
        check("Report", "Sent without attachments.", &[]);
        check("Report", "Attachments: none", &[]);
        check("Report", "Please attach the form.", &[]);
        check("Report", "Could you attach the form?", &[]);
        check("Report", "We reattached the shelf.", &[]);
        check("Report", "", &[]);
    }

    #[test]
    fn quoted_text_signatures_and_reply_subjects_do_not_count() {
        check("Re: 添付ファイルの件", "了解しました。", &[]);
        check("RE: attached", "Thanks.", &[]);
        check("Fwd: 添付", "", &["添付"]);
        check("件名", "了解です。\n\nOn Mon, Taro wrote:\n> 資料を添付します。\n", &[]);
        check("件名", "了解です。\n-----Original Message-----\nattached is the file", &[]);
        check("件名", "了解です。\n-- \n※添付ファイルにご注意ください", &[]);
        check("件名", "> 添付します\n添付します", &["添付"]);
    }

    #[test]
    fn an_attachment_present_means_no_finding() {
        let draft = mail().subject("添付").body("ファイルを添付します").attach("a.pdf", 10);
        assert!(findings(Value::Null, &draft, Code::AttachmentForgotten).is_empty());
    }

    #[test]
    fn policy_terms_and_excerpts() {
        let policy = json!({"rules": {"attachment-forgotten": {"terms": ["別紙", "Herewith"]}}});
        let found = findings(
            policy,
            &mail().subject("件名").body("詳細は別紙の通り。\nherewith the plan"),
            Code::AttachmentForgotten,
        );
        assert_eq!(found.len(), 1);
        let e = &found[0].excerpts;
        assert_eq!(e.len(), 2);
        assert_eq!(
            (e[0].part, e[0].before.as_str(), e[0].matched.as_str(), e[0].after.as_str()),
            (Part::Body, "詳細は", "別紙", "の通り。")
        );
        assert_eq!((e[1].matched.as_str(), e[1].after.as_str()), ("herewith", " the plan"));
        assert_eq!(found[0].message, "The mail says \"別紙\", but nothing is attached.");
    }

    #[test]
    fn at_most_five_excerpts() {
        let found = findings(
            Value::Null,
            &mail().subject("添付").body(&"添付します。\n".repeat(100)),
            Code::AttachmentForgotten,
        );
        assert_eq!(found[0].excerpts.len(), 5);
        assert_eq!(found[0].excerpts[0].part, Part::Subject);
    }
}
