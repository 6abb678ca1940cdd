//! Text from mails and policies made safe to print on a terminal.
//!
//! Subjects, names, file names, policy values and file paths come from anyone. Printed as
//! they are, an escape sequence in one can move the cursor, clear the screen, retitle the
//! window or hide the lines before it, and a direction override can make `txt.exe` read as
//! `exe.txt`. Every such character is shown as an escape instead (`\u{1b}` as `\x1b`), so the
//! admin sees what is there. JSON output is not escaped: `serde_json` writes control
//! characters as `\u001b`, and a script must get the exact value.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character is shown as an escape: control characters (C0, DEL, C1), the
/// characters that reorder text (bidirectional controls) and the line and paragraph separators.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The text with every character that could act on the terminal written as an escape:
/// `\t`, `\n`, `\r`, `\x1b` below U+0080, `\u{202e}` above.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) && (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`escape`] of each line, keeping the line breaks between them: for text made of several
/// lines on purpose (a diagnostic and its hint), whose values were not escaped one by one.
pub fn escape_lines(text: &str) -> String {
    text.split('\n').map(escape).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_direction_characters_are_shown_as_escapes() {
        assert_eq!(escape("a\u{1b}[2J\r\nb\tc\u{7f}"), "a\\x1b[2J\\r\\nb\\tc\\x7f");
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape("report\u{202E}txt.exe"), "report\\u{202e}txt.exe");
        assert_eq!(escape("line\u{2028}break"), "line\\u{2028}break");
        // Ordinary text, Japanese included, is untouched and not copied.
        assert!(matches!(escape("見積書 (2).pdf \\ C:\\mail"), Cow::Borrowed("見積書 (2).pdf \\ C:\\mail")));
        assert_eq!(
            escape_lines("p.json: error: \u{1b}]0;x\u{7}\n  hint: ok"),
            "p.json: error: \\x1b]0;x\\x07\n  hint: ok"
        );
    }
}
