//! Text helpers shared by the content checks: the author's own part of a body, excerpts,
//! and the character classes that Japanese text needs (full-width digits, kana, kanji).
//!
//! A reply carries the text it answers. Words in that quoted text ("see the attached file",
//! "〇〇様") were written by someone else, for another mail, so `attachment-forgotten`,
//! `placeholder` and `empty-body` look only at the author's own part, as [`own_text`] finds it.
//! The signature is left out too: it is the same in every mail, and a notice in it such as
//! "添付ファイルにご注意ください" would otherwise fire on every message.
//!
//! Checks about data that leaves the house (`keyword`, `pii-*`) read the whole body instead,
//! because quoted text is sent as well.
//!
//! Everything here is one pass over the text: a 10 MB body costs a few milliseconds.

use std::ops::Range;

use crate::model::{Excerpt, Part};

/// How many characters of context an excerpt shows on each side.
pub const CONTEXT_CHARS: usize = 30;

/// How many characters of the match itself an excerpt shows before it is shortened.
const MATCH_CHARS: usize = 60;

/// A line longer than this (in bytes) is never taken for a reply header: headers are short,
/// and the limit keeps the header tests cheap on a body that is one huge line.
const MAX_HEADER_LINE: usize = 1000;

/// The author's own text of a body: byte ranges of the body, in order, that are neither quoted
/// text nor the signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnText<'a> {
    body: &'a str,
    spans: Vec<Range<usize>>,
}

impl<'a> OwnText<'a> {
    /// The byte ranges of the body that are the author's own, in order, not overlapping.
    pub fn spans(&self) -> &[Range<usize>] {
        &self.spans
    }

    /// Each own span with its offset in the body.
    pub fn pieces(&self) -> impl Iterator<Item = (usize, &'a str)> + '_ {
        self.spans.iter().map(|r| (r.start, &self.body[r.clone()]))
    }

    /// Whether the author wrote nothing but white space.
    pub fn is_blank(&self) -> bool {
        self.pieces().all(|(_, text)| is_blank(text))
    }
}

/// Whether a text is empty or only white space, counting the zero-width characters that
/// editors leave behind (ZERO WIDTH SPACE, BYTE ORDER MARK, ...) as white space.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
}

/// What a line of a body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    /// The author's text.
    Own,
    /// A quoted line (`> ...`).
    Quoted,
    /// A reply header such as `On ... wrote:`: the quote follows.
    ReplyHeader,
    /// Everything from here on is not the author's: a signature separator, an
    /// `-----Original Message-----` line, an Outlook header block.
    End,
}

/// Finds the author's own part of a body.
///
/// Left out:
/// - lines starting with `>` (after optional spaces), the usual quote prefix;
/// - a reply header (`On ... wrote:`, `2024年1月1日(月) 10:00 山田 <a@b.example>:`, `... 書きました:`);
///   when the line after it is not `>`-quoted, the quote was not prefixed (HTML converted to
///   text), and everything after the header is left out;
/// - everything after `-----Original Message-----`, `-------- Forwarded Message --------`,
///   `-----元のメッセージ-----` and an Outlook header block (`From:` followed by `Sent:`/`Date:`);
/// - everything after the signature separator `-- ` (RFC 3676), also when written `--`.
pub fn own_text(body: &str) -> OwnText<'_> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut push = |range: Range<usize>| match spans.last_mut() {
        Some(last) if last.end == range.start => last.end = range.end,
        _ => spans.push(range),
    };
    let lines = LineIter { text: body, pos: 0 };
    for (range, line) in lines {
        match classify(line, body, range.end) {
            Line::Own => push(range),
            Line::Quoted => {}
            Line::ReplyHeader => {
                // A header followed by `>` lines only introduces them; the author may write below
                // the quote (bottom posting). Without `>` lines, the rest is an unprefixed quote.
                let next = next_non_blank_line(body, range.end);
                if !next.is_some_and(is_quoted) {
                    break;
                }
            }
            Line::End => break,
        }
    }
    OwnText { body, spans }
}

/// Lines with their byte range (including the line break) and their text (without it).
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (Range<usize>, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, end) = match rest.find('\n') {
            Some(i) => (&rest[..i], start + i + 1),
            None => (rest, self.text.len()),
        };
        self.pos = end;
        Some((start..end, line.strip_suffix('\r').unwrap_or(line)))
    }
}

fn next_non_blank_line(body: &str, from: usize) -> Option<&str> {
    LineIter { text: body, pos: from }.map(|(_, line)| line).find(|line| !is_blank(line))
}

fn is_quoted(line: &str) -> bool {
    line.trim_start_matches([' ', '\t']).starts_with('>')
}

fn classify(line: &str, body: &str, line_end: usize) -> Line {
    if !may_be_special(line.as_bytes()) {
        return Line::Own;
    }
    if is_quoted(line) {
        return Line::Quoted;
    }
    if line == "-- " || line == "--" {
        return Line::End;
    }
    if line.len() > MAX_HEADER_LINE {
        return Line::Own;
    }
    let trimmed = line.trim_matches(|c: char| c.is_whitespace());
    if is_original_message_separator(trimmed) {
        return Line::End;
    }
    if is_outlook_header_start(trimmed) {
        let next = next_non_blank_line(body, line_end).map(|l| l.trim_start());
        if next.is_some_and(|l| starts_with_any(l, &["Sent:", "Date:", "送信日時:", "送信日時：", "日付:", "日付："]))
        {
            return Line::End;
        }
    }
    if is_reply_header(trimmed) {
        return Line::ReplyHeader;
    }
    Line::Own
}

/// A quick look at the first and last bytes (past spaces, tabs and ideographic spaces) that
/// rules out most lines: anything special starts with `>`, `-`, `F` (From:), 差 or 送
/// (差出人:, 送信者:), or ends with `:` or `：` (reply headers). This keeps long bodies fast.
fn may_be_special(line: &[u8]) -> bool {
    const IDEOGRAPHIC_SPACE: &[u8] = "\u{3000}".as_bytes();
    let mut start = 0;
    loop {
        match line.get(start) {
            Some(b' ' | b'\t') => start += 1,
            Some(0xE3) if line[start..].starts_with(IDEOGRAPHIC_SPACE) => start += 3,
            _ => break,
        }
    }
    let mut end = line.len();
    loop {
        match end.checked_sub(1).map(|i| line[i]) {
            Some(b' ' | b'\t' | b'\r') if end > start => end -= 1,
            Some(0x80) if line[start..end].ends_with(IDEOGRAPHIC_SPACE) => end -= 3,
            _ => break,
        }
    }
    let rest = &line[start..];
    let last = end.checked_sub(1).filter(|&i| i >= start).map(|i| line[i]);
    matches!(rest.first(), Some(b'>' | b'-' | b'F'))
        || rest.starts_with("差".as_bytes())
        || rest.starts_with("送".as_bytes())
        // `：` is EF BC 9A.
        || matches!(last, Some(b':' | 0x9A))
}

/// `-----Original Message-----`, `-------- Forwarded Message --------`, `-----元のメッセージ-----`.
fn is_original_message_separator(line: &str) -> bool {
    if !line.starts_with("--") {
        return false;
    }
    let inner = line.trim_matches(|c: char| c == '-' || c == '=' || c.is_whitespace());
    ["original message", "forwarded message", "元のメッセージ", "転送メッセージ", "転送されたメッセージ"]
        .iter()
        .any(|name| inner.eq_ignore_ascii_case(name))
}

fn is_outlook_header_start(line: &str) -> bool {
    starts_with_any(line, &["From:", "差出人:", "差出人：", "送信者:", "送信者："])
}

/// `On Mon, Jan 1, 2024 at 10:00 Taro <t@x.example> wrote:`, `山田 さんは書きました:`,
/// `2024年1月1日(月) 10:00 Taro Yamada <t@x.example>:` (Gmail in Japanese).
fn is_reply_header(line: &str) -> bool {
    let lower_end = |suffix: &str| {
        line.len() >= suffix.len()
            && line.is_char_boundary(line.len() - suffix.len())
            && line[line.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
    };
    if lower_end("wrote:") || line.ends_with("書きました:") || line.ends_with("書きました：") {
        return true;
    }
    let starts_with_year = line.len() >= 4 && line.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    starts_with_year && line.contains('@') && (line.ends_with(">:") || line.ends_with(">："))
}

fn starts_with_any(line: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| line.starts_with(p))
}

/// An excerpt of `text` around the byte range `matched`, on one line: up to
/// [`CONTEXT_CHARS`] characters each side, stopping at line breaks; tabs and line breaks inside
/// the match become spaces, and a very long match is shortened with `…`.
pub fn excerpt(text: &str, matched: Range<usize>, part: Part) -> Excerpt {
    let before_text = &text[..matched.start];
    let before_start = before_text
        .char_indices()
        .rev()
        .take_while(|(_, c)| *c != '\n' && *c != '\r')
        .take(CONTEXT_CHARS)
        .last()
        .map_or(matched.start, |(i, _)| i);
    let after_text = &text[matched.end..];
    let after_len = after_text
        .char_indices()
        .take_while(|(_, c)| *c != '\n' && *c != '\r')
        .take(CONTEXT_CHARS)
        .last()
        .map_or(0, |(i, c)| i + c.len_utf8());
    // Text without control characters (nearly all of it) is copied whole.
    let one_line = |s: &str| -> String {
        if s.contains(char::is_control) {
            s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
        } else {
            s.to_string()
        }
    };
    let hit = &text[matched.clone()];
    let shown: String = if hit.chars().nth(MATCH_CHARS).is_some() {
        hit.chars().take(MATCH_CHARS).collect::<String>() + "…"
    } else {
        hit.to_string()
    };
    Excerpt {
        part,
        place: String::new(),
        before: one_line(&text[before_start..matched.start]),
        matched: one_line(&shown),
        after: one_line(&after_text[..after_len]),
    }
}

/// A set of plain-text terms, found in one pass over a text: leftmost, longest first, with
/// Latin letters in any case (`attached` finds `Attached`; Japanese is compared as is).
///
/// The terms are kept in a trie of their bytes (ASCII letters in lower case), so that at each
/// place of the text the work is at most the length of the longest term, whatever the number
/// of terms: 10,000 terms sharing a first letter once made a 100 KB body take a minute
/// (issue #11). Written here rather than taken from a multi-pattern crate because the term
/// lists are short and every kilobyte of the add-on's wasm counts (see BENCHMARKS.md).
#[derive(Clone, Debug, Default)]
pub struct TermMatcher {
    terms: Vec<String>,
    /// Whether a byte starts some term (ASCII letters in both cases).
    starts: Vec<bool>,
    /// The trie: node 0 is the root; each node's children sorted by byte.
    nodes: Vec<TrieNode>,
}

#[derive(Clone, Debug, Default)]
struct TrieNode {
    children: Vec<(u8, usize)>,
    /// The term that ends here (the first given, when two are equal).
    term: Option<usize>,
}

impl PartialEq for TermMatcher {
    fn eq(&self, other: &Self) -> bool {
        self.terms == other.terms
    }
}

impl Eq for TermMatcher {}

impl TermMatcher {
    /// Compiles terms; empty terms are ignored.
    pub fn new(terms: Vec<String>) -> TermMatcher {
        let mut starts = vec![false; 256];
        let mut nodes = vec![TrieNode::default()];
        for (i, term) in terms.iter().enumerate() {
            let Some(&first) = term.as_bytes().first() else { continue };
            starts[usize::from(first.to_ascii_lowercase())] = true;
            starts[usize::from(first.to_ascii_uppercase())] = true;
            let mut node = 0;
            for &b in term.as_bytes() {
                let b = b.to_ascii_lowercase();
                node = match nodes[node].children.binary_search_by_key(&b, |&(c, _)| c) {
                    Ok(at) => nodes[node].children[at].1,
                    Err(at) => {
                        let child = nodes.len();
                        nodes.push(TrieNode::default());
                        nodes[node].children.insert(at, (b, child));
                        child
                    }
                };
            }
            nodes[node].term.get_or_insert(i);
        }
        TermMatcher { terms, starts, nodes }
    }

    /// The terms, in the order given.
    pub fn terms(&self) -> &[String] {
        &self.terms
    }

    /// The longest term that starts the bytes, with its length.
    fn longest_at(&self, rest: &[u8]) -> Option<(usize, usize)> {
        let mut node = 0;
        let mut found = None;
        for (len, &b) in rest.iter().enumerate() {
            let b = b.to_ascii_lowercase();
            match self.nodes[node].children.binary_search_by_key(&b, |&(c, _)| c) {
                Ok(at) => node = self.nodes[node].children[at].1,
                Err(_) => break,
            }
            if let Some(t) = self.nodes[node].term {
                found = Some((t, len + 1));
            }
        }
        found
    }

    /// The matches in a text, each as its byte range and the index of its term.
    /// A term's first byte is never a UTF-8 continuation byte, so matches start and end on
    /// character boundaries.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (Range<usize>, usize)> + 'a {
        let bytes = text.as_bytes();
        let mut pos = 0;
        std::iter::from_fn(move || {
            if self.terms.is_empty() {
                return None;
            }
            while pos < bytes.len() {
                let i = pos + bytes[pos..].iter().position(|&b| self.starts[usize::from(b)])?;
                match self.longest_at(&bytes[i..]) {
                    Some((t, len)) => {
                        pos = i + len;
                        return Some((i..pos, t));
                    }
                    None => pos = i + 1,
                }
            }
            None
        })
    }
}

/// The value of a decimal digit, ASCII (`7`) or full-width (`７`).
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => Some((c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

/// Whether a character is Japanese: kana, kanji, or the Japanese punctuation and
/// full-width forms that appear among them.
pub fn is_japanese(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30FF}'   // CJK punctuation, hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF01}'..='\u{FF60}' // full-width forms
        | '\u{FF61}'..='\u{FF9F}' // half-width katakana
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The own text of a body, joined.
    fn check(body: &str, expected: &str) {
        let own = own_text(body);
        let joined: String = own.pieces().map(|(_, t)| t).collect();
        assert_eq!(joined, expected, "body: {body:?}");
    }

    #[test]
    fn quoted_lines_and_signatures_are_left_out() {
        let cases: &[(&str, &str)] = &[
            ("plain text\nsecond line", "plain text\nsecond line"),
            ("reply\n> quoted\n>> deeper\n  > indented\nmore", "reply\nmore"),
            ("body\n-- \nTaro Yamada\n添付にご注意", "body\n"),
            ("body\r\n--\r\nsig", "body\r\n"),
            // A line of dashes that is not exactly `--` is text.
            ("body\n---\nmore", "body\n---\nmore"),
            (
                "top\n\nOn Mon, 1 Jan 2024, Taro <t@x.example> wrote:\n> old\n> old\n\nbottom\n",
                "top\n\n\nbottom\n",
            ),
            ("top\nOn Mon, 1 Jan 2024, Taro wrote:\nold text unprefixed\n", "top\n"),
            ("上\n2024年1月1日(月) 10:00 山田 太郎 <t@x.example>:\n> 古い\n下", "上\n下"),
            ("上\n山田 さんは書きました:\n古い本文", "上\n"),
            ("mine\n-----Original Message-----\nFrom: a\nold", "mine\n"),
            ("mine\n-------- Forwarded Message --------\nSubject: x\n", "mine\n"),
            ("mine\n-----元のメッセージ-----\n古い", "mine\n"),
            ("mine\n\u{3000}-----Original Message-----\u{3000}\nold", "mine\n"),
            ("上\n山田 さんは書きました：\u{3000}\n古い本文", "上\n"),
            ("mine\n\nFrom: Taro <t@x.example>\nSent: Monday\nSubject: x\n\nold", "mine\n\n"),
            ("差出人：山田\n送信日時：月曜日\n古い", ""),
            // `From:` alone (not followed by Sent:/Date:) is the author's text.
            ("From: the team\nthanks", "From: the team\nthanks"),
            ("", ""),
        ];
        for (body, expected) in cases {
            check(body, expected);
        }
    }

    #[test]
    fn blankness_counts_zero_width_and_ideographic_spaces() {
        assert!(is_blank(" \t\n\u{3000}\u{200B}\u{FEFF}"));
        assert!(!is_blank(" x "));
        assert!(own_text("> only quoted\n> text").is_blank());
        assert!(own_text("\n\n-- \nsignature only").is_blank());
        assert!(!own_text("hi\n-- \nsig").is_blank());
    }

    #[test]
    fn excerpts_stay_on_one_line_and_are_bounded() {
        let context = "0123456789012345678901234567890123456789 ";
        let text = format!("first line\n{context}MATCH tail of the line that goes on and on\nnext");
        let start = text.find("MATCH").unwrap();
        let e = excerpt(&text, start..start + 5, Part::Body);
        assert_eq!(e.before, &context[context.len() - CONTEXT_CHARS..]);
        assert_eq!(e.matched, "MATCH");
        assert_eq!(e.after, " tail of the line that goes on");
        let e = excerpt("添付します", 0..6, Part::Subject);
        assert_eq!((e.before.as_str(), e.matched.as_str(), e.after.as_str()), ("", "添付", "します"));
        let long = "x".repeat(100);
        let e = excerpt(&long, 0..100, Part::Body);
        assert_eq!(e.matched.chars().count(), MATCH_CHARS + 1);
        let e = excerpt("a\tb\nc", 0..5, Part::Body);
        assert_eq!(e.matched, "a b c");
    }

    #[test]
    fn a_huge_body_is_one_pass() {
        // 10 MB of short lines, quoted lines and long lines: this finishes in milliseconds;
        // a quadratic scan would not finish within the test's time.
        let mut body = String::new();
        while body.len() < 10_000_000 {
            body.push_str("some text\n> quoted\nOn x wrote:\n> q\n");
            body.push_str(&"y".repeat(2000));
            body.push('\n');
        }
        let own = own_text(&body);
        assert!(!own.is_blank());
        let one_line = "z".repeat(10_000_000);
        assert_eq!(own_text(&one_line).spans().to_vec(), vec![0..one_line.len()]);
    }

    #[test]
    fn terms_are_found_leftmost_longest_in_any_latin_case() {
        let matcher = TermMatcher::new(vec![
            "添付".into(),
            "添付ファイル".into(),
            "attach".into(),
            "see the file".into(),
            "".into(),
        ]);
        let text = "添付ファイルと添付、ATTACHED, See The File; 添";
        let found: Vec<(&str, usize)> = matcher.find_iter(text).map(|(r, t)| (&text[r], t)).collect();
        assert_eq!(found, [("添付ファイル", 1), ("添付", 0), ("ATTACH", 2), ("See The File", 3)]);
        assert_eq!(TermMatcher::default().find_iter("anything").count(), 0);
        assert_eq!(TermMatcher::new(vec!["x".into()]).find_iter(&"x".repeat(1000)).count(), 1000);
    }

    #[test]
    fn many_terms_cost_no_more_than_the_longest_one() {
        // Issue #11: 10,000 terms sharing their first letters made a 100 KB body take a minute.
        // The trie holds each distinct prefix once, so the work at a place of the text is
        // bounded by the longest term, not by the number of terms.
        let terms: Vec<String> = (0..10_000).map(|i| format!("{}{i}", "a".repeat(40))).collect();
        let longest = terms.iter().map(String::len).max().unwrap();
        let matcher = TermMatcher::new(terms);
        assert!(matcher.nodes.len() <= 40 + 10_000 * 5 + 1, "{}", matcher.nodes.len());
        let text = "a".repeat(100_000);
        assert_eq!(matcher.find_iter(&text).count(), 0);
        // Each place walks down the trie at most once per level, and the trie is as deep as the
        // longest term.
        let mut depth = vec![0usize; matcher.nodes.len()];
        for (n, node) in matcher.nodes.iter().enumerate() {
            for &(_, child) in &node.children {
                depth[child] = depth[n] + 1;
            }
        }
        assert_eq!(depth.iter().max(), Some(&longest));
        let found: Vec<(Range<usize>, usize)> =
            matcher.find_iter("xx aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa9999!").collect();
        assert_eq!(found, [(3..47, 9999)]);
    }

    #[test]
    fn digits_and_japanese() {
        assert_eq!(digit_value('７'), Some(7));
        assert_eq!(digit_value('0'), Some(0));
        assert_eq!(digit_value('a'), None);
        assert!(is_japanese('様') && is_japanese('ア') && is_japanese('あ') && is_japanese('ｱ'));
        assert!(!is_japanese('L') && !is_japanese(' '));
    }
}
