//! The greeting at the top of the author's own text: whom the author thinks they are writing to.
//!
//! A Japanese business mail opens with the addressee (`株式会社アルファ商事 営業部 山田様`,
//! `アルファ商事 御中`, `関係者各位`) before `いつもお世話になっております`; an English one with
//! `Dear Mr. Yamada,`. Only the author's own text counts (see [`crate::text::own_text`]): a
//! greeting in the quoted earlier mail was written to the author, not by them.
//!
//! The block is the first lines of the own text, up to the first blank line, the opening
//! phrase or the line that ends with an honorific or a title, whichever comes first, and at
//! most [`MAX_LINES`] lines of [`MAX_LINE_CHARS`] characters: a long first paragraph is not a
//! greeting. A note in brackets under it (`（CC：佐藤様）`) is not a part of it. Departments and
//! job titles (`営業部`, `部長`) say nothing about whom, and a greeting may name several people
//! (`山田様、佐藤様`, `Dear Mr Yamada and Ms Sato`).

use std::ops::Range;

use crate::orgs::{self, fold, org_key_folded, Knowledge, PersonKey};
use crate::text::OwnText;

/// At most this many lines make a greeting (`株式会社アルファ商事` / `営業本部` / `第一営業部` /
/// `部長 山田 太郎 様`).
const MAX_LINES: usize = 5;

/// A line longer than this is a sentence, not a greeting.
const MAX_LINE_CHARS: usize = 80;

/// Phrases that follow the greeting: the greeting ends before them.
const OPENERS: &[&str] = &[
    "いつもお世話に",
    "お世話になっております",
    "お世話になります",
    "大変お世話に",
    "お疲れ様",
    "お疲れさま",
    "おつかれさま",
    "はじめまして",
    "初めまして",
    "初めてご連絡",
    "突然のご連絡",
];

/// Honorifics that end a Japanese greeting, longest first.
const HONORIFICS: &[&str] = &["御中", "各位", "さま", "さん", "様", "殿"];

/// Job titles, longest first: dropped where an organisation is read (`営業部 部長 山田様`), and
/// taken as the honorific when the greeting ends with one (`山田部長`).
const TITLES: &[&str] = &[
    "代表取締役社長",
    "代表取締役",
    "取締役社長",
    "執行役員",
    "事業部長",
    "本部長",
    "支店長",
    "営業所長",
    "部長代理",
    "課長代理",
    "副社長",
    "取締役",
    "監査役",
    "理事長",
    "社長",
    "会長",
    "専務",
    "常務",
    "部長",
    "次長",
    "課長",
    "係長",
    "室長",
    "所長",
    "店長",
    "主任",
    "主査",
    "理事",
    "院長",
    "先生",
    "マネージャー",
    "マネジャー",
    "リーダー",
];

/// Words that name nobody in particular (`関係者各位`, `ご担当者様`, `Dear all`).
const GENERIC: &[&str] = &[
    "関係者",
    "ご担当者",
    "御担当者",
    "ご担当",
    "担当者",
    "皆",
    "皆さま",
    "みなさま",
    "皆様",
    "みな",
    "各位",
    "all",
    "team",
    "everyone",
    "sir",
    "madam",
    "sirormadam",
    "colleagues",
    "customer",
    "customers",
    "towhomitmayconcern",
    "whomitmayconcern",
];

/// Whom a greeting names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Greeting {
    /// The greeting as written (one line, spaces collapsed), for messages.
    pub written: String,
    /// Where it is in the body.
    pub range: Range<usize>,
    /// The organisation named, in normal form, when one is.
    pub org: Option<String>,
    /// Whether that organisation is marked as one (`株式会社`, `(株)`, `御中`) or known.
    pub org_marked: bool,
    /// The persons named, in normal form (`山田様、佐藤様`, `Dear Mr Yamada and Ms Sato`).
    pub persons: Vec<PersonKey>,
    /// `各位`: everyone concerned.
    pub collective: bool,
}

/// Finds the greeting of a body, if the author's text opens with one. What is known about
/// organisations is asked for only once the text has the shape of a greeting: most mails have
/// none, and the knowledge is built from every recipient's display name.
pub fn find<'k, 'a: 'k>(
    body: &str,
    own: &OwnText<'_>,
    knowledge: impl FnOnce() -> &'k Knowledge<'a>,
) -> Option<Greeting> {
    let (offset, text) = own.pieces().find(|(_, t)| !crate::text::is_blank(t))?;
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut pos = offset;
    let mut started = false;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let at = pos;
        pos += raw.len();
        if line.trim().is_empty() {
            if started {
                break;
            }
            continue;
        }
        started = true;
        // `（CC：佐藤様）`, `(敬称略)`: a note beside the greeting, not a part of it.
        if is_bracketed(line) && !lines.is_empty() {
            continue;
        }
        let cut = opener_at(line);
        let kept = cut.map_or(line, |c| &line[..c]);
        if !kept.trim().is_empty() {
            if kept.chars().count() > MAX_LINE_CHARS {
                return None;
            }
            lines.push((at, kept));
        }
        // The greeting ends with its honorific (`山田様`, `御中`, `山田部長`): what follows on the
        // next lines (`こんにちは。`) is the mail.
        if cut.is_some() || lines.len() >= MAX_LINES || is_english_greeting(line) || ends_addressing(kept) {
            break;
        }
    }
    let (first, _) = *lines.first()?;
    let (last_at, last) = *lines.last()?;
    let range = first..last_at + last.len();
    // The lines joined by single spaces, every run of white space within them one space.
    let mut written = String::new();
    for word in lines.iter().flat_map(|(_, l)| l.split_whitespace()) {
        if !written.is_empty() {
            written.push(' ');
        }
        written.push_str(word);
    }
    let mut greeting = if is_english_greeting(lines[0].1) {
        english(lines[0].1.trim(), knowledge())?
    } else {
        japanese(&written, knowledge)?
    };
    written.truncate(written.trim_end_matches([',', '、', ':', '：']).len());
    greeting.written = written;
    greeting.range = body.get(range.clone()).map_or(0..0, |_| range);
    Some(greeting)
}

/// Whether a character may start one of the [`OPENERS`].
fn may_open(c: char) -> bool {
    matches!(c, 'い' | 'お' | '大' | '初' | 'は' | '突')
}

/// Where the first of the [`OPENERS`] starts in a line, if one does. The line is read once, and
/// the phrases are compared in place only where a character may start one, instead of searching
/// the line once per phrase.
fn opener_at(line: &str) -> Option<usize> {
    line.char_indices()
        .find(|&(at, c)| may_open(c) && OPENERS.iter().any(|o| line[at..].starts_with(o)))
        .map(|(at, _)| at)
}

fn is_english_greeting(line: &str) -> bool {
    let line = line.trim_start().as_bytes();
    [&b"dear "[..], b"hello ", b"hi "].iter().any(|p| line.len() >= p.len() && line[..p.len()].eq_ignore_ascii_case(p))
}

fn empty() -> Greeting {
    Greeting {
        written: String::new(),
        range: 0..0,
        org: None,
        org_marked: false,
        persons: Vec::new(),
        collective: false,
    }
}

/// Whether a folded word names nobody in particular.
fn is_generic(word: &str) -> bool {
    if !word.contains(char::is_whitespace) {
        return GENERIC.contains(&word);
    }
    let key: String = word.chars().filter(|c| !c.is_whitespace()).collect();
    GENERIC.contains(&key.as_str())
}

/// `株式会社アルファ商事 営業部 山田 太郎 様`, `アルファ商事 御中`, `山田様、佐藤様`, `関係者各位`.
fn japanese<'k, 'a: 'k>(block: &str, knowledge: impl FnOnce() -> &'k Knowledge<'a>) -> Option<Greeting> {
    let text = fold(block);
    let text = text.trim().trim_end_matches([',', '、', ':', '!', '.', '。']).trim_end();
    let segments = addressees(text)?;
    let knowledge = knowledge();
    let mut greeting = empty();
    for (i, segment) in segments.iter().enumerate() {
        let one = addressee(segment, knowledge)?;
        if greeting.org.is_none() && i == 0 {
            greeting.org = one.org;
            greeting.org_marked = one.org_marked;
        }
        greeting.persons.extend(one.persons);
        greeting.collective |= one.collective;
    }
    Some(greeting)
}

/// The addressees of a folded greeting, one after another (`山田様、佐藤様`, `山田様 佐藤様`,
/// `山田部長、佐藤課長`), each ending with its honorific or title; `None` when the text does not
/// end with one, and so is no greeting.
fn addressees(text: &str) -> Option<Vec<String>> {
    let separator = |c: char| c.is_whitespace() || matches!(c, '、' | ',' | '，');
    let mut segments = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(separator).unwrap_or(rest.len());
        let token = &rest[..end];
        let listed = rest[end..].starts_with(['、', ',', '，']);
        rest = rest[end..].trim_start_matches(separator);
        if token.is_empty() {
            continue;
        }
        current.push(token);
        // A title closes an addressee only where a list goes on or the greeting ends: in
        // `営業部 部長 山田様` it is a part of it.
        if honorific_of(token).is_some() || ((listed || rest.is_empty()) && title_of(token).is_some()) {
            segments.push(current.join(" "));
            current.clear();
        }
    }
    (current.is_empty() && !segments.is_empty()).then_some(segments)
}

/// The honorific a folded word ends with.
fn honorific_of(word: &str) -> Option<&'static str> {
    HONORIFICS.iter().copied().find(|h| word.ends_with(h))
}

/// The job title a folded word ends with.
fn title_of(word: &str) -> Option<&'static str> {
    TITLES.iter().copied().find(|t| word.ends_with(t))
}

/// Whether a line of the greeting ends it: its last word ends with an honorific or a title.
fn ends_addressing(line: &str) -> bool {
    let line = fold(line);
    let line = line.trim_end().trim_end_matches([',', '、', ':', '：', '!', '.', '。']).trim_end();
    let last = line.rsplit(|c: char| c.is_whitespace() || matches!(c, '、' | ',')).next().unwrap_or_default();
    honorific_of(last).is_some() || title_of(last).is_some_and(|t| last.len() > t.len() || last == line)
}

/// Whether a line is a note in brackets: `（CC：佐藤様）`, `(敬称略)`.
fn is_bracketed(line: &str) -> bool {
    let line = line.trim();
    line.starts_with(['(', '（', '[', '【']) && line.ends_with([')', '）', ']', '】'])
}

/// Splits `アルファ商事の山田` into the organisation and the person, when what comes before the
/// `の` is an organisation.
fn split_no<'t>(word: &'t str, knowledge: &Knowledge<'_>) -> Option<(&'t str, &'t str)> {
    let (org, person) = word.rsplit_once('の')?;
    let is_org = !person.is_empty() && (orgs::looks_like_org_folded(org) || knowledge.knows_org(&org_key_folded(org)));
    is_org.then_some((org, person))
}

/// One addressee: `株式会社アルファ商事 営業部 山田 太郎 様`, `アルファ商事の山田様`, `山田部長`.
fn addressee(segment: &str, knowledge: &Knowledge<'_>) -> Option<Greeting> {
    let (honorific, head) = match honorific_of(segment) {
        Some(h) => (h, segment[..segment.len() - h.len()].trim()),
        // `山田部長`: the title is the honorific, and the person is addressed.
        None => ("様", segment[..segment.len() - title_of(segment)?.len()].trim()),
    };
    let mut words: Vec<&str> = Vec::new();
    for word in head.split_whitespace() {
        match split_no(word, knowledge) {
            Some((org, person)) => words.extend([org, person]),
            None => words.push(word),
        }
    }
    let mut greeting = empty();
    greeting.collective = honorific == "各位";
    // `関係者各位`, `ご担当者様`: the generic word goes, the organisation before it stays.
    if let Some(last) = words.last_mut() {
        if let Some(g) = GENERIC.iter().find(|g| last.ends_with(*g) && !g.is_ascii()) {
            *last = &last[..last.len() - g.len()];
            greeting.collective |= true;
        }
    }
    // A title goes (`部長 山田様`), and so does one after a name (`山田部長様`).
    words.retain(|w| !w.is_empty() && TITLES.iter().all(|t| w != t));
    let person_words_allowed = matches!(honorific, "様" | "さま" | "さん" | "殿") && !greeting.collective;
    if let Some(last) = words.last_mut().filter(|_| person_words_allowed) {
        if let Some(t) = title_of(last) {
            *last = &last[..last.len() - t.len()];
        }
    }
    words.retain(|w| !w.is_empty());
    if words.is_empty() {
        return Some(greeting);
    }
    // A word with a legal marker and more after it (`株式会社アルファ商事山田`): the known
    // organisation at its start is the organisation, the rest the person.
    // The words are folded already: they are asked about as they are, not folded again.
    if person_words_allowed && words.len() == 1 && orgs::has_legal_marker_folded(words[0]) {
        let (org, rest) = split_known_prefix(words[0], knowledge);
        greeting.org = Some(org_key_folded(&org)).filter(|k| !k.is_empty());
        greeting.org_marked = true;
        if let Some(rest) = rest.filter(|r| r.chars().count() >= 2) {
            add_person(&mut greeting, &rest);
        }
        return Some(greeting);
    }
    let mut org_words: Vec<&str> = words.clone();
    let mut person: Vec<&str> = Vec::new();
    if person_words_allowed && !orgs::looks_like_org_folded(words[words.len() - 1]) {
        let last = org_words.pop().unwrap_or_default();
        person.push(last);
        // `山田 太郎 様`: two short words of ideographs are one name.
        if let Some(prev) = org_words.last() {
            if prev.chars().count() <= 3
                && prev.chars().all(is_ideograph)
                && !orgs::looks_like_org_folded(prev)
                && !orgs::is_department_folded(prev)
                && title_of(prev).is_none()
            {
                person.insert(0, prev);
                org_words.pop();
            }
        }
    }
    // Departments and titles (`営業部`, `営業部長`) say nothing about the organisation.
    org_words.retain(|w| !orgs::is_department_folded(w) && title_of(w).is_none());
    if !org_words.is_empty() {
        let joined = org_words.concat();
        let key = org_key_folded(&joined);
        if !key.is_empty() {
            greeting.org_marked =
                orgs::has_legal_marker_folded(&joined) || knowledge.knows_org(&key) || !person_words_allowed;
            greeting.org = Some(key);
        }
    } else if !person_words_allowed && person.is_empty() {
        let key = org_key_folded(&words.concat());
        greeting.org_marked = true;
        greeting.org = (!key.is_empty()).then_some(key);
    }
    if !person.is_empty() && !person.iter().all(|w| is_generic(w)) {
        add_person(&mut greeting, &person.join(" "));
    }
    Some(greeting)
}

fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々')
}

/// Splits `株式会社アルファ商事山田` (folded) into the longest known organisation at its start and
/// the rest; without a known one, the whole word is the organisation.
fn split_known_prefix(word: &str, knowledge: &Knowledge<'_>) -> (String, Option<String>) {
    let ends: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(2).collect();
    let mut key = String::new();
    for &end in ends.iter().rev() {
        orgs::org_key_folded_into(&word[..end], &mut key);
        if knowledge.knows_org(&key) {
            return (word[..end].to_string(), Some(word[end..].to_string()));
        }
    }
    // `アルファ商事株式会社山田`: the marker ends the organisation.
    let lower = word.to_string();
    for marker in ["株式会社", "(株)", "有限会社", "(有)", "合同会社"] {
        if let Some(at) = lower.find(marker) {
            if at > 0 && at + marker.len() < lower.len() {
                return (lower[..at + marker.len()].to_string(), Some(lower[at + marker.len()..].to_string()));
            }
        }
    }
    (word.to_string(), None)
}

/// Adds a person the greeting names (`name` is folded).
fn add_person(greeting: &mut Greeting, name: &str) {
    let key = PersonKey::folded(name);
    if key.is_name() && !is_generic(name) {
        greeting.persons.push(key);
    }
}

/// `Dear Mr. Yamada,`, `Dear Ichiro Suzuki (Beta Kogyo),`, `Dear Alpha Shoji team,`, `Hi all,`.
fn english(line: &str, knowledge: &Knowledge<'_>) -> Option<Greeting> {
    let text = fold(line);
    let rest = text.split_once(' ').map(|(_, r)| r)?.trim().trim_end_matches([',', ':', '!', '.']).trim();
    let mut greeting = empty();
    if rest.is_empty() || is_generic(rest) {
        greeting.collective = true;
        return Some(greeting);
    }
    let lower = rest;
    // `Alpha Shoji Co., Ltd.`: a name with a legal marker and no brackets is the organisation's.
    let bracketed = rest.contains(['(', '（']);
    let (person, org) = if !bracketed && orgs::has_legal_marker_folded(rest) {
        (None, Some(rest.to_string()))
    } else if let Some(parts) = Some(orgs::split_display_name(rest)).filter(|p| p.org.is_some()) {
        (parts.person, parts.org)
    } else if let Some((p, o)) = lower.split_once(" of ").or_else(|| lower.split_once(" at ")) {
        (Some(p.to_string()), Some(o.to_string()))
    } else if let Some(o) = lower.strip_suffix(" team") {
        (None, Some(o.to_string()))
    } else if knowledge.knows_org(&org_key_folded(rest)) {
        (None, Some(rest.to_string()))
    } else {
        (Some(rest.to_string()), None)
    };
    if let Some(org) = org {
        let key = org_key_folded(&org);
        greeting.org_marked = true;
        greeting.org = (!key.is_empty()).then_some(key);
    }
    // `Mr Yamada and Ms Sato`, `Yamada-san, Sato-san`: each person on their own.
    for one in person.iter().flat_map(|p| p.split([',', '&']).flat_map(|p| p.split(" and "))) {
        let one = one.trim();
        let one = ["-san", " san", "-sama", " sama", "-sensei", " sensei"]
            .iter()
            .find_map(|h| one.strip_suffix(h))
            .unwrap_or(one);
        add_person(&mut greeting, one);
    }
    Some(greeting)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orgs::OrgIndex;
    use crate::text::own_text;

    fn greet(body: &str) -> Option<Greeting> {
        let mut index = OrgIndex::new();
        index.add_org("株式会社アルファ商事", Some("alpha.example"));
        index.add_org("Beta Kogyo", Some("beta.example"));
        let knowledge = Knowledge::new(OrgIndex::new(), vec![&index]);
        find(body, &own_text(body), || &knowledge)
    }

    fn parts(body: &str) -> (Option<String>, Option<String>, bool) {
        let g = greet(body).unwrap_or_else(|| panic!("no greeting in {body:?}"));
        (g.org, g.persons.first().map(|p| p.key.clone()), g.collective)
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn japanese_greetings() {
        assert_eq!(
            parts("株式会社アルファ商事\n営業部 山田様\n\nいつもお世話になっております。\n"),
            (s("アルファ商事"), s("山田"), false)
        );
        assert_eq!(
            parts("㈱アルファ商事 山田 太郎 様 いつもお世話になっております。"),
            (s("アルファ商事"), s("山田太郎"), false)
        );
        assert_eq!(parts("株式会社アルファ商事山田様\nお世話になります。"), (s("アルファ商事"), s("山田"), false));
        assert_eq!(parts("アルファ商事 御中\n\n本文"), (s("アルファ商事"), None, false));
        assert_eq!(parts("山田様\n\nお疲れ様です。"), (None, s("山田"), false));
        assert_eq!(parts("関係者各位\n\n"), (None, None, true));
        assert_eq!(parts("ＡＢＣ株式会社 ご担当者様\n"), (s("abc"), None, true));
        assert_eq!(greet("本日の会議の資料をお送りします。\n\n"), None);
        assert_eq!(greet("いつもお世話になっております。\n山田様\n"), None);
    }

    fn persons(body: &str) -> Vec<String> {
        greet(body).map(|g| g.persons.into_iter().map(|p| p.key).collect()).unwrap_or_default()
    }

    #[test]
    fn titles_notes_and_several_addressees() {
        let opener = "\n\nいつもお世話になっております。\n";
        let with = |g: &str| format!("{g}{opener}");
        assert_eq!(
            parts(&with("株式会社アルファ商事\n営業本部 第一営業部\n部長 山田 太郎 様")),
            (s("アルファ商事"), s("山田太郎"), false)
        );
        assert_eq!(
            parts(&with("株式会社アルファ商事 代表取締役社長 山田 太郎 様")),
            (s("アルファ商事"), s("山田太郎"), false)
        );
        assert_eq!(parts(&with("株式会社アルファ商事\n山田部長")), (s("アルファ商事"), s("山田"), false));
        assert_eq!(parts(&with("アルファ商事 営業部長 山田様")), (s("アルファ商事"), s("山田"), false));
        assert_eq!(parts(&with("アルファ商事の山田様")), (s("アルファ商事"), s("山田"), false));
        assert_eq!(
            parts(&with("株式会社アルファ商事 営業部\n山田 太郎 様\n（CC：佐藤様）")),
            (s("アルファ商事"), s("山田太郎"), false)
        );
        assert_eq!(
            parts("株式会社アルファ商事\n営業部\n山田様\nこんにちは。\n"),
            (s("アルファ商事"), s("山田"), false)
        );
        assert_eq!(persons(&with("アルファ商事株式会社\n山田様、佐藤様")), ["山田", "佐藤"]);
        assert_eq!(persons(&with("山田部長、佐藤課長")), ["山田", "佐藤"]);
        assert_eq!(greet("本日の会議の件、部長に確認しました。\n\n").map(|g| g.written), None);
        assert_eq!(greet("資料を送ります\n山田"), None);
    }

    #[test]
    fn english_greetings_to_several_or_with_japanese_honorifics() {
        assert_eq!(persons("Dear Yamada-san,\n\nThank you."), ["yamada"]);
        assert_eq!(persons("Dear Mr Yamada and Ms Sato,\n"), ["yamada", "sato"]);
        assert_eq!(persons("Hello Yamada-san, Sato-san,\n"), ["yamada", "sato"]);
        assert_eq!(parts("Dear Alpha Shoji Co., Ltd.,\n"), (s("alphashoji"), None, false));
    }

    #[test]
    fn the_opening_phrase_ends_the_greeting_wherever_it_starts() {
        assert!(OPENERS.iter().all(|o| o.chars().next().is_some_and(may_open)));
        // The first phrase in the line counts, whichever of them it is.
        let line = "山田様 お世話になります。いつもお世話になっております。";
        assert_eq!(opener_at(line), OPENERS.iter().filter_map(|o| line.find(o)).min());
        assert_eq!(opener_at(line), line.find("お世話になります"));
        assert_eq!(opener_at("山田様 大変お世話になっております"), "山田様 ".len().into());
        assert_eq!(opener_at("株式会社アルファ商事"), None);
    }

    #[test]
    fn english_greetings() {
        assert_eq!(parts("Dear Mr. Yamada,\n\nThank you."), (None, s("yamada"), false));
        assert_eq!(parts("Dear Ichiro Suzuki (Beta Kogyo),\n"), (s("betakogyo"), s("ichirosuzuki"), false));
        assert_eq!(parts("Dear Beta Kogyo team,\n"), (s("betakogyo"), None, false));
        assert_eq!(parts("Dear Beta Kogyo,\n"), (s("betakogyo"), None, false));
        assert_eq!(parts("Hi all,\n"), (None, None, true));
    }

    #[test]
    fn a_greeting_in_quoted_text_does_not_count() {
        assert_eq!(greet("> 株式会社アルファ商事 山田様\n> いつもお世話になっております。\n"), None);
        let body = "承知しました。\n\n2026年12月1日 10:00 山田 <y@alpha.example>:\n> 鈴木様\n";
        assert_eq!(greet(body), None);
    }
}
