//! `placeholder`: unfinished text left in the subject or the body.
//!
//! Why: templates and copied mails carry stand-ins for what the writer still has to fill in,
//! and a mail that goes out with 〇〇様 or XX株式会社 is the "half-written mail" of product.md.
//!
//! What counts, in the subject and the author's own part of the body (quoted text and the
//! signature are left out, see [`crate::text::own_text`]):
//! - a run of 2 to 6 of 〇 ○ ◯ ● × ✕ △ (〇〇様, ○○株式会社, ●●の件); a single mark is a list
//!   bullet, a longer run is a decorative line, and 〇 next to kanji numerals is a zero (二〇〇〇年);
//! - a run of 2 or more X or x (half- or full-width) standing alone, in a placeholder's
//!   place: next to Japanese text (XX株式会社, xx様), in a number (03-XXXX-XXXX), or after
//!   a salutation (Dear XX); never inside a word (XXL, Xbox, XXI);
//! - TODO, TBD, TBA, FIXME in capitals, as words (not "TODOリスト" or "TODO list");
//! - 【要確認】, [要確認], (要確認) and the same with 確認中, 未定, 要修正, TBD, TODO;
//! - a field name in square brackets, such as [氏名], [会社名], ［お名前］, [Name], [Company]
//!   (but not a label followed by a colon, as in a form: `[氏名]：山田`);
//! - template fields: `<<name>>`, `{{name}}`, `｛｛name｝｝`.
//!
//! Example policy: `{"rules": {"placeholder": {"severity": "block"}}}`

check! {
    code: "placeholder",
    order: 140,
    default: Warn,
    settings: RawRule,
    summary: {
        ja: "〇〇様、XX株式会社、TODO、TBD、【要確認】、[氏名] など、書きかけの文字があります。",
        en: "Unfinished text such as 〇〇様, XX株式会社, TODO, TBD, 【要確認】 or [氏名].",
        zh: "有未完成的文字，如 〇〇様、XX株式会社、TODO、TBD、【要確認】、[氏名]。",
    },
    tag: {
        ja: "書きかけ",
        en: "Unfinished text",
        zh: "未完成的文字",
    },
    how_to_fix: {
        ja: "〇〇 や XX などの仮の文字を正しい内容に書き換えてください。",
        en: "Replace placeholders such as 〇〇 or XX with the real text.",
        zh: "请将 〇〇、XX 等占位文字替换为实际内容。",
    },
}

use std::ops::Range;

use super::{Code, Subject, MAX_EXCERPTS};
use crate::model::{Excerpt, Finding, Part};
use crate::text::{excerpt, is_japanese};

/// Marks whose repetition stands for a name: 〇〇様.
const MARKS: &[char] = &['〇', '○', '◯', '●', '×', '✕', '△'];

/// Letters whose repetition stands for a name or a number: XX株式会社, 03-XXXX-XXXX.
const XS: &[char] = &['X', 'x', 'Ｘ', 'ｘ'];

/// Kanji numerals, next to which 〇 is a zero.
const KANJI_NUMERALS: &[char] = &['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万', '〇'];

/// Words after which XX is a name: Dear XX.
const SALUTATIONS: &[&str] =
    &["dear", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.", "hi", "hello", "attn", "attn:"];

/// Unfinished-work words, in capitals.
const TODO_WORDS: &[&str] = &["TODO", "TBD", "TBA", "FIXME"];

/// What may follow TODO when it is a thing (a to-do list), not a note to self.
const TODO_AS_A_THING: &[&str] = &["リスト", "管理", "アプリ", " list", " List", " app"];

/// Notes to self that appear in brackets: 【要確認】.
const NOTES: &[&str] = &["要確認", "確認中", "未定", "要修正", "TBD", "TODO"];

/// Field names that appear in square brackets in templates: [氏名].
const FIELDS: &[&str] = &[
    "氏名",
    "名前",
    "お名前",
    "宛名",
    "会社名",
    "社名",
    "貴社名",
    "御社名",
    "部署名",
    "担当者",
    "担当者名",
    "役職",
    "日付",
    "日時",
    "金額",
    "住所",
    "電話番号",
    "連絡先",
    "件名",
    "商品名",
    "製品名",
    "案件名",
    "顧客名",
    "姓",
    "名",
    "name",
    "first name",
    "last name",
    "full name",
    "your name",
    "company",
    "company name",
    "client",
    "customer",
    "recipient",
    "date",
    "amount",
    "address",
    "title",
    "product",
];

/// How far a closing bracket may be from its opening one, in bytes.
const MAX_BRACKET: usize = 64;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let own = subject.own_text();
    let draft = subject.draft;
    let mut count = 0;
    let mut excerpts: Vec<Excerpt> = Vec::new();
    let mut shown: Vec<String> = Vec::new();
    let mut record = |text: &str, range: Range<usize>, part: Part| {
        count += 1;
        let found = &text[range.clone()];
        if shown.len() < 3 && !shown.iter().any(|s| s == found) {
            shown.push(found.to_string());
        }
        if excerpts.len() < MAX_EXCERPTS {
            excerpts.push(excerpt(text, range, part));
        }
    };
    scan(&draft.subject, 0..draft.subject.len(), |r| record(&draft.subject, r, Part::Subject));
    for span in own.spans() {
        scan(&draft.body, span.clone(), |r| record(&draft.body, r, Part::Body));
    }
    if count == 0 {
        return;
    }
    let list = shown.join(", ");
    let message = subject.lang.pick3(
        format!("書きかけと思われる文字が {count} か所あります（{list}）。"),
        format!("{count} piece{} of unfinished text ({list}).", if count == 1 { "" } else { "s" }),
        format!("有 {count} 处疑似未完成的文字（{list}）。"),
    );
    out.push(Finding::new(Code::Placeholder, subject.severity(Code::Placeholder), message).with_excerpts(excerpts));
}

/// What a position in the text starts.
enum At {
    /// A placeholder ending at this byte.
    Hit(usize),
    /// Nothing; go on from this byte.
    Skip(usize),
}

/// Calls `hit` with the byte range (in `text`) of every placeholder in `text[span]`. One pass:
/// only the first byte of each character of interest is looked at closely.
fn scan(text: &str, span: Range<usize>, mut hit: impl FnMut(Range<usize>)) {
    let piece = &text[span.clone()];
    let bytes = piece.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A tight loop over the bytes that start nothing of interest: most of any text.
        match bytes[i..].iter().position(|&b| FIRST_BYTES[usize::from(b)]) {
            Some(k) => i += k,
            None => break,
        }
        if !may_start(bytes, i) {
            i += 1;
            continue;
        }
        let c = piece[i..].chars().next().expect("a trigger byte starts a character");
        match at(piece, i, c) {
            At::Hit(end) => {
                hit(span.start + i..span.start + end);
                i = end;
            }
            At::Skip(end) => i = end.max(i + c.len_utf8()),
        }
    }
}

/// The first bytes of everything [`may_start`] accepts.
static FIRST_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = [b'X', b'x', b'T', b'F', b'[', b'<', b'{', b'(', 0xC3, 0xE2, 0xE3, 0xEF];
    let mut k = 0;
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
};

/// Whether the character at `i` may start a placeholder, judged from its UTF-8 bytes:
/// ASCII triggers, or the marks (× C3 97, 〇 E3 80 87, 【 E3 80 90, ○ E2 97 8B, ◯ E2 97 AF,
/// ● E2 97 8F, △ E2 96 B3, ✕ E2 9C 95) and full-width forms (（ EF BC 88, Ｘ EF BC B8,
/// ［ EF BC BB, ｘ EF BD 98, ｛ EF BD 9B). This keeps ordinary Japanese text, and its
/// punctuation (、。「」 are E3 80 xx too), out of the slower per-character test.
fn may_start(bytes: &[u8], i: usize) -> bool {
    let at = |k: usize| bytes.get(i + k).copied().unwrap_or(0);
    match bytes[i] {
        b'X' | b'x' | b'T' | b'F' | b'[' | b'<' | b'{' | b'(' => true,
        0xC3 => at(1) == 0x97,
        0xE2 => matches!((at(1), at(2)), (0x97, 0x8B | 0xAF | 0x8F) | (0x96, 0xB3) | (0x9C, 0x95)),
        0xE3 => at(1) == 0x80 && matches!(at(2), 0x87 | 0x90),
        0xEF => matches!((at(1), at(2)), (0xBC, 0x88 | 0xB8 | 0xBB) | (0xBD, 0x98 | 0x9B)),
        _ => false,
    }
}

fn at(piece: &str, i: usize, c: char) -> At {
    let next = i + c.len_utf8();
    if MARKS.contains(&c) {
        return marks(piece, i);
    }
    if XS.contains(&c) {
        return xs(piece, i);
    }
    match c {
        'T' | 'F' => todo_word(piece, i).map_or(At::Skip(next), At::Hit),
        '[' | '［' => bracket(piece, i, c, if c == '[' { ']' } else { '］' }, true).map_or(At::Skip(next), At::Hit),
        '【' => bracket(piece, i, c, '】', false).map_or(At::Skip(next), At::Hit),
        '(' | '（' => bracket(piece, i, c, if c == '(' { ')' } else { '）' }, false).map_or(At::Skip(next), At::Hit),
        '<' => template(piece, i, "<<", ">>").map_or(At::Skip(next), At::Hit),
        '{' => template(piece, i, "{{", "}}").map_or(At::Skip(next), At::Hit),
        '｛' => template(piece, i, "｛｛", "｝｝").map_or(At::Skip(next), At::Hit),
        _ => At::Skip(next),
    }
}

/// The end of the run of characters from `set` starting at `i`, and its length in characters.
fn run(piece: &str, i: usize, set: &[char]) -> (usize, usize) {
    let mut end = i;
    let mut n = 0;
    for c in piece[i..].chars() {
        if !set.contains(&c) {
            break;
        }
        end += c.len_utf8();
        n += 1;
    }
    (end, n)
}

fn marks(piece: &str, i: usize) -> At {
    let (end, n) = run(piece, i, MARKS);
    let before = piece[..i].chars().next_back();
    let after = piece[end..].chars().next();
    let first = piece[i..].chars().next();
    let zero = first == Some('〇')
        && (before.is_some_and(|c| KANJI_NUMERALS.contains(&c)) || after.is_some_and(|c| KANJI_NUMERALS.contains(&c)));
    if (2..=6).contains(&n) && !zero {
        At::Hit(end)
    } else {
        At::Skip(end)
    }
}

/// Letters and digits that would make a run of X part of a word: ASCII and full-width.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

fn xs(piece: &str, i: usize) -> At {
    let (end, n) = run(piece, i, XS);
    let before = piece[..i].chars().next_back();
    let after = piece[end..].chars().next();
    if n < 2 || before.is_some_and(is_word_char) || after.is_some_and(is_word_char) {
        return At::Skip(end);
    }
    // The neighbours, looking past one space: `XX 様`, `株式会社 XX`.
    let near_before = {
        let mut it = piece[..i].chars().rev();
        match it.next() {
            Some(' ') | Some('\u{3000}') => it.next(),
            other => other,
        }
    };
    let near_after = {
        let mut it = piece[end..].chars();
        match it.next() {
            Some(' ') | Some('\u{3000}') => it.next(),
            other => other,
        }
    };
    let japanese = near_before.is_some_and(is_japanese) || near_after.is_some_and(is_japanese);
    let dash = |c: Option<char>| matches!(c, Some('-') | Some('－'));
    let in_number = {
        let mut ahead = piece[end..].chars();
        let mut behind = piece[..i].chars().rev();
        (dash(ahead.next()) && ahead.next().is_some_and(|c| c.is_ascii_digit() || XS.contains(&c)))
            || (dash(behind.next()) && behind.next().is_some_and(|c| c.is_ascii_digit() || XS.contains(&c)))
    };
    let salutation = {
        // Only the word just before matters; the bound keeps this constant on long lines.
        let mut from = i.saturating_sub(16);
        while !piece.is_char_boundary(from) {
            from += 1;
        }
        let window = &piece[from..i];
        let line = &window[window.rfind('\n').map_or(0, |p| p + 1)..];
        line.split_whitespace().next_back().is_some_and(|w| SALUTATIONS.contains(&w.to_lowercase().as_str()))
    };
    if japanese || in_number || salutation {
        At::Hit(end)
    } else {
        At::Skip(end)
    }
}

fn todo_word(piece: &str, i: usize) -> Option<usize> {
    let rest = &piece[i..];
    let word = TODO_WORDS.iter().find(|w| rest.starts_with(**w))?;
    let end = i + word.len();
    let before_ok = !piece[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric());
    let after_ok = !piece[end..].chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    let a_thing = *word == "TODO" && TODO_AS_A_THING.iter().any(|t| piece[end..].starts_with(t));
    (before_ok && after_ok && !a_thing).then_some(end)
}

/// A bracket holding a note (要確認) or, for square brackets, a field name ([氏名]).
fn bracket(piece: &str, i: usize, open: char, close: char, fields: bool) -> Option<usize> {
    let inner_start = i + open.len_utf8();
    let window = &piece[inner_start..];
    let mut limit = window.len().min(MAX_BRACKET);
    while !window.is_char_boundary(limit) {
        limit -= 1;
    }
    let close_at = window[..limit].find(close)?;
    let inner = window[..close_at].trim();
    if inner.contains('\n') {
        return None;
    }
    let end = inner_start + close_at + close.len_utf8();
    if NOTES.contains(&inner) {
        return Some(end);
    }
    if !fields || !FIELDS.iter().any(|f| f.eq_ignore_ascii_case(inner)) {
        return None;
    }
    // `[氏名]：山田` is a form's label with its value, not a stand-in.
    let label = piece[end..].trim_start_matches([' ', '\u{3000}']).starts_with([':', '：', '=']);
    (!label).then_some(end)
}

/// A template field: `<<name>>`, `{{name}}`.
fn template(piece: &str, i: usize, open: &str, close: &str) -> Option<usize> {
    let rest = piece[i..].strip_prefix(open)?;
    let mut limit = rest.len().min(MAX_BRACKET);
    while !rest.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &rest[..limit];
    let close_at = window.find(close)?;
    let inner = &window[..close_at];
    // `a << b >> c` is arithmetic; a field hugs its brackets: `<<name>>`.
    let hugs = !inner.is_empty() && inner.trim() == inner;
    let plain = hugs && !inner.contains(['\n', '<', '>', '{', '}']);
    plain.then_some(i + open.len() + close_at + close.len())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, matched, MailExt};
    use crate::Code;
    use serde_json::Value;

    /// The placeholders found in a body.
    fn check(body: &str, expected: &[&str]) {
        let got = matched(&findings(Value::Null, &mail().subject("件名").body(body), Code::Placeholder));
        assert_eq!(got, expected, "body {body:?}");
    }

    #[test]
    fn placeholders() {
        let cases: &[(&str, &[&str])] = &[
            ("〇〇様", &["〇〇"]),
            ("○○株式会社 御中", &["○○"]),
            ("●●の件でご連絡します。", &["●●"]),
            ("××商事", &["××"]),
            ("△△部長", &["△△"]),
            ("XX株式会社", &["XX"]),
            ("xx様", &["xx"]),
            ("ＸＸ様", &["ＸＸ"]),
            ("株式会社 XX", &["XX"]),
            ("電話: 03-XXXX-XXXX", &["XXXX", "XXXX"]),
            ("Dear XX,", &["XX"]),
            ("TODO: 日程を入れる", &["TODO"]),
            ("日程はTBDです", &["TBD"]),
            ("【要確認】金額", &["【要確認】"]),
            ("金額（要確認）", &["（要確認）"]),
            ("[氏名] 様", &["[氏名]"]),
            ("［会社名］御中", &["［会社名］"]),
            ("Hello [Name],", &["[Name]"]),
            ("Dear <<first name>>,", &["<<first name>>"]),
            ("{{company}} 御中", &["{{company}}"]),
        ];
        for (body, expected) in cases {
            check(body, expected);
        }
    }

    #[test]
    fn not_placeholders() {
        let cases = [
            "サイズはXXLです",
            "Xbox を買いました",
            "XXI century",
            "〇 出席\n〇 欠席",
            "二〇〇〇年に設立",
            "●●●●●●●●●●●●●●●●",
            "3×4=12",
            "TODOリストを共有します",
            "todo en español",
            "TODOS los días",
            "【重要】お知らせ",
            "[氏名]：山田太郎",
            "[info] メンテナンス",
            "a << b >> c",
            "x < y",
            "XX",
            "The XX chromosome",
            "> 〇〇様\n> XX株式会社",
            "本文\n-- \n〇〇部 TODO",
        ];
        for body in cases {
            check(body, &[]);
        }
    }

    #[test]
    fn subject_and_message() {
        let found = findings(Value::Null, &mail().subject("〇〇様へ").body("TODO\nTODO\nXX様"), Code::Placeholder);
        assert_eq!(found[0].message, "4 pieces of unfinished text (〇〇, TODO, XX).");
        assert_eq!(found[0].excerpts.len(), 4);
    }

    #[test]
    fn long_runs_are_one_pass() {
        // A quadratic rescan of each run would take minutes on these; one pass takes milliseconds.
        let body = "●".repeat(200_000) + &"X".repeat(200_000) + &"[".repeat(200_000) + &"<<".repeat(200_000);
        check(&body, &[]);
    }
}
