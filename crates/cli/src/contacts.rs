//! The contacts file given with `--contacts`: the addresses an admin counts as already known.
//!
//! In the add-on, the address books play this part (`new-recipient` flags an address seen
//! in none of them). On the command line there is no address book, so the admin gives one:
//! - a text file, one address per line (`Name <addr>` allowed), `#` starting a comment;
//! - a vCard file (`.vcf`, as address books export), where every `EMAIL` property counts,
//!   with the card's `FN` (or `N`) as the person's name and its `ORG` as the organisation;
//! - a CSV file (`.csv`, as Thunderbird or Outlook export), where every cell that is an
//!   address counts, whatever its column is called (column names are localized), and a
//!   column headed as an organisation (`Organization`, `Company`, `会社名`, `勤務先`, …) gives
//!   the organisation of the row's addresses.
//!
//! Addresses are parsed with the engine's own parser, so a contact is recognized exactly
//! when the engine would recognize the same text as a recipient.

use std::fmt;
use std::path::Path;

use misend_guard_dto::ContactDto;
use misend_guard_rules::address::parse_mailboxes;
use misend_guard_rules::Lang;

use crate::files::read_limited;

/// Contacts files are small; this bounds the work on a wrong file given by mistake.
pub const MAX_CONTACTS_BYTES: u64 = 20 * 1024 * 1024;

/// One known address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    /// The display name, when the file gives one.
    pub name: Option<String>,
    /// The address as written.
    pub address: String,
    /// The organisation, when the file gives one (vCard `ORG`, a CSV organisation column).
    pub org: Option<String>,
}

impl Contact {
    /// The contact as the add-on passes an address-book entry: the raw mailbox, or a card
    /// when the file gives an organisation.
    pub fn to_dto(&self) -> ContactDto {
        match &self.org {
            Some(org) => ContactDto::Card {
                address: self.address.clone(),
                name: self.name.clone(),
                org: Some(org.clone()),
                reading: None,
            },
            None => ContactDto::Raw(self.raw()),
        }
    }

    /// The contact as a raw mailbox string, the form recipients take: `"Name" <addr>`.
    pub fn raw(&self) -> String {
        match &self.name {
            Some(name) => format!("\"{}\" <{}>", name.replace('\\', "\\\\").replace('"', "\\\""), self.address),
            None => self.address.clone(),
        }
    }
}

/// A problem in a contacts file, at a line when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactsError {
    /// The 1-based line, when the problem is on one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ContactsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Reads a contacts file, choosing the format by its extension.
pub fn read(path: &Path, lang: Lang) -> Result<Vec<Contact>, Vec<ContactsError>> {
    let whole = |message: String| vec![ContactsError { line: None, message }];
    let bytes = read_limited(path, MAX_CONTACTS_BYTES).map_err(|e| whole(e.message(lang)))?;
    let text = decode(&bytes);
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match extension.as_str() {
        "vcf" | "vcard" => parse_vcard(&text, lang),
        "csv" => parse_csv(&text, lang),
        _ => parse_lines(&text, lang),
    }
}

/// UTF-8 (with or without a byte order mark), or else Shift_JIS, which Japanese Windows
/// programs still write.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

/// One address per line; blank lines and `#` comments are skipped.
pub fn parse_lines(text: &str, lang: Lang) -> Result<Vec<Contact>, Vec<ContactsError>> {
    let mut contacts = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        // `#` starts a comment at the start of a line or after a space; inside an address
        // (`a#b@x.example` is legal) it does not.
        let line = match line.trim_start().starts_with('#') {
            true => "",
            false => line.find(" #").map_or(line, |at| &line[..at]),
        };
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match mailboxes(line) {
            Some(found) => contacts.extend(found),
            None => errors.push(ContactsError {
                line: Some(i + 1),
                message: lang.pick3(
                    format!("\"{line}\" はメールアドレスではありません（\"名前 <address@example.jp>\" の形で書いてください）"),
                    format!("\"{line}\" is not an e-mail address (write \"Name <address@example.com>\")"),
                    format!("\"{line}\" 不是邮件地址（请写成 \"姓名 <address@example.cn>\" 的形式）"),
                ),
            }),
        }
    }
    finish(contacts, errors, lang)
}

/// Every `EMAIL` property of every card, with the card's name (`FN`, else `N`) and `ORG`.
pub fn parse_vcard(text: &str, lang: Lang) -> Result<Vec<Contact>, Vec<ContactsError>> {
    let mut contacts = Vec::new();
    let mut errors = Vec::new();
    // A line that starts with a space or a tab continues the previous one (RFC 6350 folding).
    let mut logical: Vec<(usize, String)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match (line.strip_prefix([' ', '\t']), logical.last_mut()) {
            (Some(rest), Some((_, previous))) => previous.push_str(rest),
            _ => logical.push((i + 1, line.to_string())),
        }
    }
    // The card being read: its addresses wait for its END, since FN and ORG may follow them.
    let mut card = Card::default();
    for (line, content) in logical {
        let Some((property, value)) = content.split_once(':') else { continue };
        let name = property.split(';').next().unwrap_or("");
        // `item1.EMAIL` is a grouped property, as Apple's exports write.
        let name = name.rsplit('.').next().unwrap_or(name);
        let value = value.trim();
        if name.eq_ignore_ascii_case("BEGIN") || name.eq_ignore_ascii_case("END") {
            card.finish(&mut contacts);
        } else if name.eq_ignore_ascii_case("FN") {
            card.full_name = Some(unescape(value)).filter(|v| !v.is_empty());
        } else if name.eq_ignore_ascii_case("N") {
            // Family name; given names: `山田;太郎;;;` is 山田 太郎.
            let parts: Vec<String> = value.split(';').take(2).map(unescape).filter(|p| !p.is_empty()).collect();
            card.structured_name = Some(parts.join(" ")).filter(|n| !n.is_empty());
        } else if name.eq_ignore_ascii_case("ORG") {
            // The organisation's name, then its units: `株式会社ベータ工業;営業部`.
            card.org = value.split(';').map(unescape).find(|o| !o.is_empty());
        } else if name.eq_ignore_ascii_case("EMAIL") {
            match mailboxes(value) {
                Some(found) => card.emails.extend(found),
                None => errors.push(ContactsError {
                    line: Some(line),
                    message: lang.pick3(
                        format!("EMAIL の値 \"{value}\" はメールアドレスではありません"),
                        format!("the EMAIL value \"{value}\" is not an e-mail address"),
                        format!("EMAIL 的值 \"{value}\" 不是邮件地址"),
                    ),
                }),
            }
        }
    }
    card.finish(&mut contacts);
    finish(contacts, errors, lang)
}

/// The properties of one vCard that the engine reads.
#[derive(Debug, Default)]
struct Card {
    full_name: Option<String>,
    structured_name: Option<String>,
    org: Option<String>,
    emails: Vec<Contact>,
}

impl Card {
    /// Moves the card's addresses, with its name and organisation, into `out`, and starts anew.
    fn finish(&mut self, out: &mut Vec<Contact>) {
        let card = std::mem::take(self);
        let name = card.full_name.or(card.structured_name);
        for email in card.emails {
            out.push(Contact { name: name.clone().or(email.name), address: email.address, org: card.org.clone() });
        }
    }
}

/// A vCard text value without its escapes (`\,`, `\;`, `\n`).
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Column headings that name an organisation, as address-book exports write them
/// (Thunderbird and Outlook, in English and Japanese), compared in lower case.
const ORG_HEADINGS: &[&str] =
    &["organization", "organisation", "company", "org", "会社", "会社名", "勤務先", "組織", "組織名", "所属"];

/// Every cell that holds exactly an address, in any column.
pub fn parse_csv(text: &str, lang: Lang) -> Result<Vec<Contact>, Vec<ContactsError>> {
    let mut contacts = Vec::new();
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    // The organisation's column, when the first row is a heading that names one.
    let mut org_column: Option<usize> = None;
    for (row, record) in reader.records().enumerate() {
        match record {
            Ok(record) => {
                if row == 0 {
                    org_column = record.iter().position(|h| ORG_HEADINGS.contains(&h.trim().to_lowercase().as_str()));
                }
                let org = org_column.and_then(|c| record.get(c)).map(str::trim).filter(|o| !o.is_empty());
                for cell in record.iter().map(str::trim).filter(|c| c.contains('@')) {
                    if let Some(found) = mailboxes(cell) {
                        contacts.extend(found.into_iter().map(|c| Contact { org: org.map(str::to_string), ..c }));
                    }
                }
            }
            Err(e) => errors.push(ContactsError {
                line: e.position().map(|p| p.line() as usize),
                message: lang.pick3(
                    format!("CSV として読めません: {e}"),
                    format!("not valid CSV: {e}"),
                    format!("无法作为 CSV 读取：{e}"),
                ),
            }),
        }
    }
    finish(contacts, errors, lang)
}

/// The mailboxes of a text, when every one of them is a valid address.
fn mailboxes(text: &str) -> Option<Vec<Contact>> {
    let found = parse_mailboxes(text);
    if found.is_empty() || found.iter().any(|m| !m.valid) {
        return None;
    }
    Some(found.into_iter().map(|m| Contact { name: m.name, address: m.address, org: None }).collect())
}

fn finish(
    contacts: Vec<Contact>,
    mut errors: Vec<ContactsError>,
    lang: Lang,
) -> Result<Vec<Contact>, Vec<ContactsError>> {
    if contacts.is_empty() && errors.is_empty() {
        errors.push(ContactsError {
            line: None,
            message: lang
                .pick3("メールアドレスが一つもありません", "no e-mail address found", "没有找到任何邮件地址")
                .to_string(),
        });
    }
    if errors.is_empty() {
        Ok(contacts)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parser = fn(&str, Lang) -> Result<Vec<Contact>, Vec<ContactsError>>;

    /// Checks the addresses found, or the lines of the errors.
    fn check(parse: Parser, text: &str, expected: Result<&[&str], &[Option<usize>]>) {
        let got = parse(text, Lang::En)
            .map(|c| c.into_iter().map(|c| c.raw()).collect::<Vec<_>>())
            .map_err(|e| e.into_iter().map(|e| e.line).collect::<Vec<_>>());
        let expected = expected.map(|a| a.iter().map(|s| s.to_string()).collect::<Vec<_>>()).map_err(|e| e.to_vec());
        assert_eq!(got, expected, "parsing {text:?}");
    }

    #[test]
    fn lines() {
        check(
            parse_lines,
            "# partners\n\na@x.example\nSato Jiro <jiro@y.example>  # since 2024\n  \"山田, 太郎\" <t@z.example>\nodd#tag@w.example\n",
            Ok(&["a@x.example", "\"Sato Jiro\" <jiro@y.example>", "\"山田, 太郎\" <t@z.example>", "odd#tag@w.example"]),
        );
        check(parse_lines, "a@x.example\nnot an address\n\nb@\n", Err(&[Some(2), Some(4)]));
        check(parse_lines, "# nothing\n", Err(&[None]));
    }

    #[test]
    fn vcards() {
        check(
            parse_vcard,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sato\r\nEMAIL;TYPE=INTERNET:sato@x.ex\r\n ample\r\nitem1.EMAIL:b@y.example\r\nEND:VCARD\r\n",
            Ok(&["\"Sato\" <sato@x.example>", "\"Sato\" <b@y.example>"]),
        );
        check(parse_vcard, "BEGIN:VCARD\nEMAIL:nope\nEND:VCARD\n", Err(&[Some(2)]));
    }

    #[test]
    fn vcards_give_the_name_and_organisation() {
        let text = "BEGIN:VCARD\r\nVERSION:4.0\r\nEMAIL:suzuki@beta.example\r\nFN:鈴木 一郎\r\nORG:株式会社ベータ工業;営業部\r\nEND:VCARD\r\n\
                    BEGIN:VCARD\r\nN:山田;太郎;;;\r\nEMAIL:yamada@alpha.example\r\nORG:Alpha\\, Inc.\r\nEND:VCARD\r\n\
                    BEGIN:VCARD\r\nEMAIL:x@y.example\r\nEND:VCARD\r\n";
        let found = parse_vcard(text, Lang::En).unwrap();
        let fields: Vec<(Option<&str>, &str, Option<&str>)> =
            found.iter().map(|c| (c.name.as_deref(), c.address.as_str(), c.org.as_deref())).collect();
        assert_eq!(
            fields,
            [
                (Some("鈴木 一郎"), "suzuki@beta.example", Some("株式会社ベータ工業")),
                (Some("山田 太郎"), "yamada@alpha.example", Some("Alpha, Inc.")),
                (None, "x@y.example", None),
            ]
        );
    }

    #[test]
    fn a_csv_organisation_column_gives_the_organisation() {
        let text = "表示名,電子メールアドレス,勤務先\n鈴木,suzuki@beta.example,株式会社ベータ工業\nX,x@y.example,\n";
        let found = parse_csv(text, Lang::Ja).unwrap();
        assert_eq!(found[0].org.as_deref(), Some("株式会社ベータ工業"));
        assert_eq!(found[1].org, None);
    }

    #[test]
    fn csv_exports() {
        check(
            parse_csv,
            "名,姓,表示名,ニックネーム,電子メールアドレス\n太郎,山田,\"山田, 太郎\",,taro@x.example\nJiro,Sato,,,jiro@y.example\n",
            Ok(&["taro@x.example", "jiro@y.example"]),
        );
        check(parse_csv, "name,mail\nno,one\n", Err(&[None]));
    }

    #[test]
    fn shift_jis_files_are_read() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("山田 <y@x.example>\n");
        assert_eq!(decode(&bytes), "山田 <y@x.example>\n");
        assert_eq!(decode(b"\xef\xbb\xbfa@x.example"), "a@x.example");
    }
}
