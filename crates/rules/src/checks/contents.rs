//! What the content checks share: the findings the inspector judged, walking an attachment's
//! facts into its archive entries (`misend_guard_facts::walk`, bounded, shared with the
//! inspector), naming places inside it, and telling whether a number stands next to a label
//! that says what it is.

use super::{content_excerpt, push_about_attachment, Code, Subject, MAX_EXCERPTS};
use crate::draft::Facts;
use crate::facts::label::{contains_any, normalise};
use crate::model::{Excerpt, Finding};

/// Adds the findings the inspector judged for `code` about attachment `index` (its facts'
/// assessments, see `crates/inspect/src/assess.rs`), in the person's language, at the severity the
/// policy gives `code`. Whether the check applies to this mail is the caller's to decide.
pub(super) fn push_assessed(subject: &Subject<'_>, code: Code, index: usize, out: &mut Vec<Finding>) {
    let Some(facts) = subject.facts(index) else { return };
    let lang = subject.lang;
    for assessment in &facts.assessments {
        if assessment.code != code.as_str() {
            continue;
        }
        let mut excerpts: Vec<Excerpt> = Vec::new();
        for quote in assessment.excerpts.iter().take(MAX_EXCERPTS) {
            let text = &quote.text;
            excerpts.push(content_excerpt(index, &quote.place, lang.pick3(&text.ja, &text.en, &text.zh).clone()));
        }
        let words = &assessment.message;
        let message = lang.pick3(&words.ja, &words.en, &words.zh).clone();
        push_about_attachment(out, code, subject.severity(code), message, index, excerpts);
    }
}

pub(super) use crate::facts::walk::{join, walk};

/// The place of a match in a chunk that holds several lines or paragraphs: `lines 120-161` with
/// the match on its third line is `line 122`. Other places are kept as they are.
pub(super) fn fine_place(place: &str, text: &str, offset: usize) -> String {
    // Written out by hand rather than with `split_once` and iterator adapters: this runs for
    // each match in an attachment, and the generic versions cost the core module about 1 KB.
    let (unit, range) = if let Some(range) = place.strip_prefix("lines ") {
        ("line", range)
    } else if let Some(range) = place.strip_prefix("paragraphs ") {
        ("paragraph", range)
    } else {
        return place.to_string();
    };
    let Some(dash) = range.bytes().position(|b| b == b'-') else { return place.to_string() };
    let Ok(first) = range[..dash].parse::<u64>() else { return place.to_string() };
    let mut newlines = 0u64;
    for &b in &text.as_bytes()[..offset.min(text.len())] {
        newlines += u64::from(b == b'\n');
    }
    format!("{unit} {}", first.saturating_add(newlines))
}

/// How far before and after a number its label may be, in characters.
pub(super) const LABEL_WINDOW: usize = 300;

/// Whether one of `labels` (lower-case) is within [`LABEL_WINDOW`] characters of
/// `text[range]`, or in `extra` (a neighbouring chunk, a column header).
pub(super) fn labelled(text: &str, range: std::ops::Range<usize>, labels: &[&str], extra: &[&str]) -> bool {
    // The window is the tail of what comes before and the head of what follows, as for neighbours.
    let start = range.start - tail(&text[..range.start]).len();
    let end = range.end + head(&text[range.end..]).len();
    if has_label(&text[start..end], labels) {
        return true;
    }
    for s in extra {
        if has_label(s, labels) {
            return true;
        }
    }
    false
}

/// Whether `text`, normalised, contains one of `labels`.
fn has_label(text: &str, labels: &[&str]) -> bool {
    contains_any(&normalise(text), labels)
}

/// The text near the start or the end of a neighbouring chunk, for labels that sit in the
/// previous paragraph or the cell to the left.
///
/// The characters are counted by the bytes that start one (any but UTF-8's continuation
/// bytes, `0b10xx_xxxx`), in a plain loop: no character is decoded.
pub(super) fn tail(text: &str) -> &str {
    let bytes = text.as_bytes();
    let mut chars = 0;
    let mut i = bytes.len();
    while i > 0 {
        i -= 1;
        if bytes[i] & 0xC0 != 0x80 {
            chars += 1;
            if chars == LABEL_WINDOW {
                return &text[i..];
            }
        }
    }
    text
}

/// The start of a neighbouring chunk (see [`tail`]).
pub(super) fn head(text: &str) -> &str {
    let mut chars = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b & 0xC0 != 0x80 {
            if chars == LABEL_WINDOW {
                return &text[..i];
            }
            chars += 1;
        }
    }
    text
}

/// The header of the column a cell place (`Sheet1!C12`) is in, from the facts' tables.
pub(super) fn column_header<'f>(facts: &'f Facts, place: &str) -> Option<&'f str> {
    let (sheet, cell) = place.rsplit_once('!')?;
    let letters: &str = &cell[..cell.find(|c: char| c.is_ascii_digit())?];
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let column = letters.bytes().fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1)) - 1;
    let table = facts.tables.iter().find(|t| t.place == sheet)?;
    table.header.get(column).map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_joined_and_refined() {
        assert_eq!(join("", "Sheet1!C12"), "Sheet1!C12");
        assert_eq!(join("tools/a.txt", "paragraph 3"), "tools/a.txt › paragraph 3");
        assert_eq!(join("tools/setup.exe", ""), "tools/setup.exe");
        assert_eq!(fine_place("lines 120-161", "a\nb\nc 1234", 5), "line 122");
        assert_eq!(fine_place("paragraphs 4-9", "x", 0), "paragraph 4");
        assert_eq!(fine_place("Sheet1!C12", "x", 0), "Sheet1!C12");
        assert_eq!(fine_place("table 1 row 2", "x\ny", 2), "table 1 row 2");
    }

    #[test]
    fn head_and_tail_are_the_first_and_last_characters_of_the_window() {
        for unit in ["a", "é", "あ", "😀", "aé"] {
            for n in [0, 1, LABEL_WINDOW - 1, LABEL_WINDOW, LABEL_WINDOW + 1, 2 * LABEL_WINDOW + 3] {
                let text = format!("x{}", unit.repeat(n));
                let chars: Vec<char> = text.chars().collect();
                let last: String = chars[chars.len().saturating_sub(LABEL_WINDOW)..].iter().collect();
                let first: String = chars[..chars.len().min(LABEL_WINDOW)].iter().collect();
                assert_eq!(tail(&text), last, "{unit} × {n}");
                assert_eq!(head(&text), first, "{unit} × {n}");
            }
        }
        assert_eq!(tail(""), "");
        assert_eq!(head(""), "");
    }

    #[test]
    fn labels_are_found_nearby_in_any_width_and_case() {
        let text = format!("{}マイナンバー：123456789018", "あ".repeat(400));
        let at = text.find("1234").unwrap();
        assert!(labelled(&text, at..at + 12, &["マイナンバー"], &[]));
        let far = format!("マイナンバー{}123456789018", "あ".repeat(400));
        let at = far.find("1234").unwrap();
        assert!(!labelled(&far, at..at + 12, &["マイナンバー"], &[]));
        assert!(labelled(&far, at..at + 12, &["mynumber"], &["My Number"]));
        assert_eq!(normalise("Ｅ-Mail アドレス"), "emailアドレス");
    }
}
