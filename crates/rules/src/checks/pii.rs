//! The personal numbers that `pii-my-number` and `pii-credit-card` look for, found in one
//! pass over the subject and the body.
//!
//! How a number is found: digits (ASCII or full-width), in groups joined by one separator
//! (a space, an ideographic space, or a hyphen or dash of any width), all separators of a
//! number being the same character. The number must stand alone: no letter or digit touches
//! it, and it is not the tail of an identifier such as `ORD-123456789018` or a decimal such as
//! `123456789018.5`. What makes it a My Number or a card number is in the two checks' files.
//!
//! Attachments: the text chunks the inspector read (cells, paragraphs, lines, at any archive
//! depth) are scanned the same way, one [`InAttachment`] per attachment. There a number counts
//! as *labelled* when a word that names it (マイナンバー, 個人番号, My Number; カード番号, card
//! number, 有効期限…) is within [`super::contents::LABEL_WINDOW`] characters, in the chunk
//! before or after (the cell to the left, the previous paragraph), or in its column's header.
//! An unlabelled number is reported at `info` at most: about one 12-digit number in eleven
//! passes the My Number check digit, and files are full of order and account numbers.

use std::ops::Range;

use super::contents::{column_header, fine_place, head, join, labelled, tail, walk};
use super::{push_about_attachment, Code, Subject, MAX_EXCERPTS};
use crate::draft::Facts;
use crate::model::{Excerpt, Finding, Part};
use crate::policy::{Severity, When};
use crate::text::{digit_value, excerpt};

/// A number found in the text, with its digits as values.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Number {
    range: Range<usize>,
    digits: Vec<u8>,
    groups: Vec<usize>,
}

/// More groups or digits than this and a run is no number these checks look for.
const MAX_GROUPS: usize = 5;
const MAX_DIGITS: usize = 19;

/// What one pass over the subject and the body found, for both checks.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub(super) my_numbers: Hits,
    pub(super) cards: Hits,
    pub(super) brands: Vec<&'static str>,
    /// What the attachments hold, for those that hold any.
    pub(super) attachments: Vec<InAttachment>,
}

/// The personal numbers found inside one attachment.
#[derive(Debug, Default)]
pub(super) struct InAttachment {
    /// The attachment's index.
    pub(super) index: usize,
    pub(super) my_numbers: Hits,
    /// Whether any of the My Numbers stands next to a label that says what it is.
    pub(super) my_numbers_labelled: bool,
    pub(super) cards: Hits,
    /// Whether any of the card numbers stands next to a label that says what it is.
    pub(super) cards_labelled: bool,
    pub(super) brands: Vec<&'static str>,
}

/// Words that say a number is a My Number (normalised, see [`crate::facts::label::normalise`]).
const MY_NUMBER_LABELS: &[&str] = &["マイナンバー", "個人番号", "mynumber", "individualnumber"];

/// Words that say a number is a payment card's.
const CARD_LABELS: &[&str] = &[
    "カード番号",
    "クレジットカード",
    "クレジット",
    "cardnumber",
    "cardno",
    "creditcard",
    "有効期限",
    "expiry",
    "expiration",
    "cvv",
    "cvc",
    "セキュリティコード",
];

/// How many numbers of one kind, with excerpts of the first ones.
#[derive(Debug, Default)]
pub(super) struct Hits {
    pub(super) count: usize,
    pub(super) excerpts: Vec<Excerpt>,
}

impl Hits {
    fn add(&mut self, text: &str, range: Range<usize>, part: Part) {
        self.count += 1;
        if self.excerpts.len() < MAX_EXCERPTS {
            self.excerpts.push(excerpt(text, range, part));
        }
    }
}

fn applies(subject: &Subject<'_>, code: Code, when: When) -> bool {
    subject.severity(code) != Severity::Off && (when == When::Always || subject.has_external())
}

/// Reads the subject and the body once for both checks; not at all when neither applies.
pub(super) fn scan(subject: &Subject<'_>) -> Found {
    let content = &subject.policy.content;
    let my_number = applies(subject, Code::PiiMyNumber, content.my_number_when);
    let card = applies(subject, Code::PiiCreditCard, content.credit_card_when);
    let mut found = Found::default();
    if !my_number && !card {
        return found;
    }
    for (text, part) in [(&subject.draft.subject, Part::Subject), (&subject.draft.body, Part::Body)] {
        numbers(text, &mut |n| {
            if my_number && is_my_number(n) {
                found.my_numbers.add(text, n.range.clone(), part);
            }
            if let Some(brand) = card.then(|| card_brand(n)).flatten() {
                found.cards.add(text, n.range.clone(), part);
                if !found.brands.contains(&brand) {
                    found.brands.push(brand);
                }
            }
        });
    }
    for attachment in subject.attachments {
        if let Some(facts) = subject.facts(attachment.index) {
            let hits = scan_attachment(attachment.index, facts, my_number, card);
            if hits.my_numbers.count + hits.cards.count > 0 {
                found.attachments.push(hits);
            }
        }
    }
    found
}

/// Scans the text chunks of one attachment, at any archive depth.
fn scan_attachment(index: usize, facts: &Facts, my_number: bool, card: bool) -> InAttachment {
    let mut found = InAttachment { index, ..InAttachment::default() };
    let part = Part::AttachmentContent(index);
    for (facts, path) in walk(facts) {
        // A CSV file's one table: its header says what its columns hold, wherever the chunk is.
        let mut csv_header: Vec<&str> = Vec::new();
        if let [table] = &facts.tables[..] {
            if table.place.is_empty() {
                for h in &table.header {
                    csv_header.push(h);
                }
            }
        }
        let chunks = &facts.text;
        for (k, chunk) in chunks.iter().enumerate() {
            let text = chunk.text.as_str();
            let mut extra: Vec<&str> = csv_header.clone();
            if k > 0 {
                extra.push(tail(&chunks[k - 1].text));
            }
            if let Some(after) = chunks.get(k + 1) {
                extra.push(head(&after.text));
            }
            if let Some(header) = column_header(facts, &chunk.place) {
                extra.push(header);
            }
            let at = Place { path: &path, chunk: &chunk.place, text, extra: &extra, part };
            numbers(text, &mut |n| {
                if my_number && is_my_number(n) {
                    at.add(&mut found.my_numbers, &mut found.my_numbers_labelled, MY_NUMBER_LABELS, n);
                }
                if let Some(brand) = card.then(|| card_brand(n)).flatten() {
                    at.add(&mut found.cards, &mut found.cards_labelled, CARD_LABELS, n);
                    if !found.brands.contains(&brand) {
                        found.brands.push(brand);
                    }
                }
            });
        }
    }
    found
}

/// A chunk of an attachment's text being scanned, and what tells where a number in it is and
/// whether a label names it.
struct Place<'a> {
    path: &'a str,
    chunk: &'a str,
    text: &'a str,
    extra: &'a [&'a str],
    part: Part,
}

impl Place<'_> {
    /// Counts number `n` of this chunk in `hits`, the excerpt placed inside the attachment, and
    /// sets `labelled` when one of `labels` is near (one copy for both kinds of number).
    fn add(&self, hits: &mut Hits, labelled_flag: &mut bool, labels: &[&str], n: &Number) {
        hits.add(self.text, n.range.clone(), self.part);
        if let Some(e) = hits.excerpts.last_mut().filter(|e| e.place.is_empty()) {
            e.place = join(self.path, &fine_place(self.chunk, self.text, n.range.start));
        }
        if !*labelled_flag {
            *labelled_flag = labelled(self.text, n.range.clone(), labels, self.extra);
        }
    }
}

/// The severity of a finding about numbers in an attachment: the configured one when a label
/// says what they are, `info` at most otherwise.
pub(super) fn attachment_severity(configured: Severity, labelled: bool) -> Severity {
    if labelled {
        configured
    } else {
        configured.min(Severity::Info)
    }
}

/// Adds the finding about the numbers of one kind inside attachment `index`: `message`, followed by
/// the note `unlabelled` when no label names them, at the severity [`attachment_severity`] says.
pub(super) fn in_attachment(
    subject: &Subject<'_>,
    code: Code,
    index: usize,
    hits: &Hits,
    mut message: String,
    unlabelled: Option<&str>,
    out: &mut Vec<Finding>,
) {
    if let Some(note) = unlabelled {
        message.push_str(note);
    }
    let severity = attachment_severity(subject.severity(code), unlabelled.is_none());
    push_about_attachment(out, code, severity, message, index, hits.excerpts.clone());
}

fn is_my_number(n: &Number) -> bool {
    if !(n.groups == [12] || n.groups == [4, 4, 4]) {
        return false;
    }
    let (body, check) = n.digits.split_at(11);
    if body.iter().all(|&d| d == body[0]) {
        return false;
    }
    let sum: u32 = body.iter().rev().enumerate().map(|(i, &d)| u32::from(d) * (i as u32 % 6 + 2)).sum();
    let r = sum % 11;
    let expected = if r <= 1 { 0 } else { 11 - r };
    u32::from(check[0]) == expected
}

fn card_brand(n: &Number) -> Option<&'static str> {
    let len = n.digits.len();
    if !(13..=19).contains(&len) {
        return None;
    }
    let g = &n.groups[..];
    let grouped = g.len() == 1
        || g == [4, 6, 5]
        || g == [4, 6, 4]
        || (g[..g.len() - 1].iter().all(|&l| l == 4) && (1..=4).contains(&g[g.len() - 1]));
    if !grouped || !luhn(&n.digits) {
        return None;
    }
    let prefix = |k: usize| n.digits[..k].iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d));
    let brand = if prefix(1) == 4 && matches!(len, 13 | 16 | 19) {
        "Visa"
    } else if len == 16 && ((51..=55).contains(&prefix(2)) || (2221..=2720).contains(&prefix(4))) {
        "Mastercard"
    } else if len == 15 && matches!(prefix(2), 34 | 37) {
        "American Express"
    } else if len >= 16 && (3528..=3589).contains(&prefix(4)) {
        "JCB"
    } else if len >= 14 && ((300..=305).contains(&prefix(3)) || prefix(4) == 3095 || matches!(prefix(2), 36 | 38 | 39))
    {
        "Diners Club"
    } else if len >= 16 && (prefix(4) == 6011 || (644..=649).contains(&prefix(3)) || prefix(2) == 65) {
        "Discover"
    } else {
        return None;
    };
    Some(brand)
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{FF0D}'
    )
}

/// Letters and digits that would make a number part of a longer word: ASCII and full-width.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Characters that join an identifier's parts (`ORD-1234`, `v1.2`, `a/b`, `x_1`).
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '/' | '_' | ',' | '\u{FF0D}')
}

/// One group of digits; only the first `MAX_DIGITS + 1` are kept, enough to know that a
/// longer group is no number of interest.
#[derive(Clone, Copy, Debug)]
struct Group {
    start: usize,
    end: usize,
    digits: [u8; MAX_DIGITS + 1],
    len: usize,
}

impl Group {
    fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }
}

/// Calls `emit` for every number of the text (see the module's documentation for what a
/// number is). One pass; memory bounded by [`MAX_GROUPS`] and [`MAX_DIGITS`] whatever the text.
/// `emit` is a trait object so that the scanner is compiled once for the mail's text and the
/// attachments' (each copy cost the core wasm module about 2 KB).
fn numbers(text: &str, emit: &mut dyn FnMut(&Number)) {
    let bytes = text.as_bytes();
    // Reused for every run, so that ordinary text costs no allocation per number.
    let mut chain: Vec<Group> = Vec::with_capacity(MAX_GROUPS + 1);
    let mut number =
        Number { range: 0..0, digits: Vec::with_capacity(MAX_DIGITS + 1), groups: Vec::with_capacity(MAX_GROUPS + 1) };
    let mut i = 0;
    while i < bytes.len() {
        // Skip quickly to the next ASCII digit or full-width digit (EF BC 90..99).
        match bytes[i..].iter().position(|&b| b.is_ascii_digit() || b == 0xEF) {
            Some(k) => i += k,
            None => break,
        }
        let full_width = bytes[i] == 0xEF;
        if full_width
            && !(bytes.get(i + 1) == Some(&0xBC) && bytes.get(i + 2).is_some_and(|b| (0x90..=0x99).contains(b)))
        {
            i += 1;
            continue;
        }
        let before = text[..i].chars().next_back();
        let before_ok = match before {
            Some(c) if is_word_char(c) => false,
            Some(c) if is_joiner(c) => !text[..i - c.len_utf8()].chars().next_back().is_some_and(is_word_char),
            _ => true,
        };
        // The run: groups joined by single separators. Each stretch of one separator is a
        // candidate; where the separator changes, the group between belongs to both stretches.
        chain.clear();
        let mut chain_separator: Option<char> = None;
        let mut chain_dead = false;
        let mut first = true;
        let mut j = i;
        loop {
            let group = read_group(text, j);
            j = group.end;
            push_group(&mut chain, &mut chain_dead, group);
            let mut rest = text[j..].chars();
            let separator = match (rest.next(), rest.next()) {
                (Some(s), Some(d)) if is_separator(s) && digit_value(d).is_some() => s,
                _ => break,
            };
            if chain_separator.is_some_and(|c| c != separator) {
                if !chain_dead && (!first || before_ok) {
                    emit_chain(&chain, &mut number, emit);
                }
                first = false;
                let last = chain.pop().expect("a chain has a group");
                chain.clear();
                chain_dead = false;
                push_group(&mut chain, &mut chain_dead, last);
            }
            chain_separator = Some(separator);
            j += separator.len_utf8();
        }
        let mut after = text[j..].chars();
        let after_ok = match (after.next(), after.next()) {
            (Some(c), _) if is_word_char(c) => false,
            (Some(c), Some(d)) if is_joiner(c) && is_word_char(d) => false,
            _ => true,
        };
        if !chain_dead && after_ok && (!first || before_ok) {
            emit_chain(&chain, &mut number, emit);
        }
        i = j;
    }
}

fn read_group(text: &str, start: usize) -> Group {
    let mut group = Group { start, end: start, digits: [0; MAX_DIGITS + 1], len: 0 };
    for (k, c) in text[start..].char_indices() {
        match digit_value(c) {
            Some(d) => {
                if group.len <= MAX_DIGITS {
                    group.digits[group.len] = d;
                    group.len += 1;
                }
                group.end = start + k + c.len_utf8();
            }
            None => break,
        }
    }
    group
}

fn push_group(chain: &mut Vec<Group>, dead: &mut bool, group: Group) {
    if group.len > MAX_DIGITS || chain.len() >= MAX_GROUPS {
        *dead = true;
    }
    if *dead {
        // Keep only the last group, which may start the next stretch.
        chain.clear();
    }
    chain.push(group);
    if chain.iter().map(|g| g.len).sum::<usize>() > MAX_DIGITS {
        *dead = true;
    }
}

fn emit_chain(chain: &[Group], number: &mut Number, emit: &mut dyn FnMut(&Number)) {
    let (Some(first), Some(last)) = (chain.first(), chain.last()) else { return };
    number.range = first.start..last.end;
    number.digits.clear();
    number.digits.extend(chain.iter().flat_map(|g| g.digits().iter().copied()));
    number.groups.clear();
    number.groups.extend(chain.iter().map(|g| g.len));
    emit(number);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, matched, MailExt};
    use super::numbers;
    use crate::Code;
    use serde_json::{json, Value};

    /// The matched texts of `code`'s finding for a body sent to an external recipient.
    fn check(code: Code, body: &str, expected: &[&str]) {
        let got = matched(&findings(Value::Null, &mail().subject("件名").body(body), code));
        assert_eq!(got, expected, "{code:?} on {body:?}");
    }

    #[test]
    fn my_numbers() {
        let fires = [
            ("番号は 123456789018 です", "123456789018"),
            ("1234 5678 9018", "1234 5678 9018"),
            ("1234-5678-9018。", "1234-5678-9018"),
            ("マイナンバー：１２３４５６７８９０１８", "１２３４５６７８９０１８"),
            ("１２３４－５６７８－９０１８", "１２３４－５６７８－９０１８"),
            ("Tel 0312345678 1234-5678-9018", "1234-5678-9018"),
            ("(987654321093)", "987654321093"),
        ];
        for (body, number) in fires {
            check(Code::PiiMyNumber, body, &[number]);
        }
        let quiet = [
            // An order number whose check digit is wrong.
            "注文番号 123456789012",
            "123456789018 9",
            "1123456789018",
            "1234567890180",
            "ORD-123456789018",
            "ORD123456789018",
            "123456789018.5",
            "123456789018-A",
            "12345 6789018",
            "1234 5678-9018",
            "0000 0000 0000",
            "1234 5678 9018 1234",
        ];
        for body in quiet {
            check(Code::PiiMyNumber, body, &[]);
        }
    }

    #[test]
    fn card_numbers() {
        let fires = [
            ("Visa 4111 1111 1111 1111", "4111 1111 1111 1111"),
            ("4111-1111-1111-1111", "4111-1111-1111-1111"),
            ("4012888888881881", "4012888888881881"),
            ("JCB ３５３０１１１３３３３０００００", "３５３０１１１３３３３０００００"),
            ("Amex 3782 822463 10005", "3782 822463 10005"),
            ("MC 5555 5555 5555 4444.", "5555 5555 5555 4444"),
            ("Diners 3056 930902 5904", "3056 930902 5904"),
            ("Discover 6011111111111117", "6011111111111117"),
        ];
        for (body, number) in fires {
            check(Code::PiiCreditCard, body, &[number]);
        }
        let quiet = [
            // A tracking number that fails Luhn.
            "追跡番号 1234 5678 9012 3456",
            "9400 1112 0255 5842",
            "4111 1111 1111 1112",
            // Passes Luhn, but no brand starts with 1 or 9.
            "1000 0000 0000 0009",
            "4111 1111 1111 1111 1",
            "44111 1111 1111 1111",
            "4111 1111-1111 1111",
            "41 1111 1111 1111 11",
            "card4111111111111111",
        ];
        for body in quiet {
            check(Code::PiiCreditCard, body, &[]);
        }
    }

    #[test]
    fn internal_mail_only_when_the_policy_says_always() {
        let draft = mail().internal_only().body("4111 1111 1111 1111 / 123456789018");
        assert!(findings(Value::Null, &draft, Code::PiiCreditCard).is_empty());
        assert!(findings(Value::Null, &draft, Code::PiiMyNumber).is_empty());
        let always = json!({"rules": {"pii-credit-card": {"when": "always"}, "pii-my-number": {"when": "always"}}});
        assert_eq!(findings(always.clone(), &draft, Code::PiiCreditCard).len(), 1);
        assert_eq!(findings(always, &draft, Code::PiiMyNumber).len(), 1);
    }

    #[test]
    fn subject_counts_and_messages() {
        let draft = mail().subject("4111111111111111").body("5555 5555 5555 4444\n> 4111111111111111");
        let found = findings(Value::Null, &draft, Code::PiiCreditCard);
        assert_eq!(found[0].message, "3 numbers that look like a credit card number (Visa, Mastercard).");
        assert_eq!(found[0].excerpts.len(), 3);
    }

    #[test]
    fn numbers_inside_attachments_need_a_label_for_their_severity() {
        use super::super::testing::text_facts;
        use crate::policy::Severity;
        let draft = mail()
            .attach_contents(
                "minutes.docx",
                text_facts(
                    "minutes.docx",
                    &[("paragraph 3", "申込者のマイナンバー"), ("paragraph 4", "123456789018 です")],
                ),
            )
            .attach_contents(
                "notes.txt",
                text_facts("notes.txt", &[("lines 1-3", "会議メモ\n注文番号 123456789018 の件")]),
            )
            .attach_contents("cards.xlsx", text_facts("cards.xlsx", &[("Sheet1!B2", "4111 1111 1111 1111")]));
        let found = findings(Value::Null, &draft, Code::PiiMyNumber);
        let got: Vec<(Vec<usize>, Severity, String)> =
            found.iter().map(|f| (f.attachments.clone(), f.severity, f.excerpts[0].place.clone())).collect();
        assert_eq!(
            got,
            [(vec![0], Severity::Warn, "paragraph 4".to_string()), (vec![1], Severity::Info, "line 2".to_string())]
        );
        assert!(found[1].message.contains("order number"), "{}", found[1].message);
        // A card number's column header is its label.
        let card = findings(Value::Null, &draft, Code::PiiCreditCard);
        assert_eq!(card[0].severity, Severity::Info);
        let mut facts = crate::facts::Facts::new("cards.xlsx", 1, crate::facts::Kind::Xlsx);
        facts.text.push(crate::facts::TextChunk { place: "Sheet1!B2".into(), text: "4111 1111 1111 1111".into() });
        facts.tables.push(crate::facts::Table {
            place: "Sheet1".into(),
            header: vec!["氏名".into(), "カード番号".into()],
            rows: 1,
            columns: Vec::new(),
        });
        let draft = mail().attach_contents("cards.xlsx", crate::Contents::Inspected(Box::new(facts)));
        let card = findings(Value::Null, &draft, Code::PiiCreditCard);
        assert_eq!((card[0].severity, card[0].excerpts[0].place.as_str()), (Severity::Warn, "Sheet1!B2"));
        // Off for internal mail, as for the body.
        assert!(findings(Value::Null, &draft.internal_only(), Code::PiiCreditCard).is_empty());
    }

    #[test]
    fn digit_soup_is_bounded() {
        // Runs of every shape, 1 MB: one pass; a quadratic scan would take minutes.
        let soup = "1 2-3 4 5 6 7 8 9 0-1-2-3-4 5\u{3000}6 ".repeat(30_000) + &"7".repeat(200_000);
        let mut count = 0;
        numbers(&soup, &mut |_| count += 1);
        assert!(count > 0);
    }
}
