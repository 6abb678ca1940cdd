//! Misend Guard's attachment facts: what the inspector (`crates/inspect`) found in an attachment, and the
//! limits of the work done to find them. The rule engine (`crates/rules`) reads them; neither needs the
//! other's code, so the core wasm module holds only these types.
//!
//! These types are the JSON interface to the rule engine: they serialize with camelCase field names
//! and kebab-case enum values. They state what was seen, with one exception: the checks about a
//! file's own make-up (encrypted, not looked inside, a list of people, a program inside) are judged
//! where the file is read, and their findings come worded in the UI's three languages as
//! [`Assessment`]s. The engine gives them their severity and decides whether they apply to the mail.

use serde::{Deserialize, Serialize};

/// Declares an enum of plain variants together with `ALL`, every variant in order, so that a
/// list of them (the tests that go through every kind, reason or method) cannot miss a new one.
macro_rules! listed {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$variant_meta:meta])* $variant:ident,)* }) => {
        $(#[$meta])*
        pub enum $name {
            $($(#[$variant_meta])* $variant,)*
        }

        impl $name {
            /// Every variant, in the order they are declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
        }
    };
}

listed! {
    /// What the bytes of a file are, whatever its name says.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Kind {
        /// A file with no bytes.
        Empty,
        /// A Windows program or library (`MZ` with a `PE` header).
        Exe,
        /// A Linux or Unix program (ELF).
        Elf,
        /// A macOS program (Mach-O).
        MachO,
        /// A Windows shortcut (`.lnk`), which can start any program.
        Shortcut,
        /// A disk image (ISO 9660, UDF, VHD, VHDX, a FAT boot sector), which Windows mounts with a double click.
        DiskImage,
        /// A ZIP archive that is not an Office document.
        Zip,
        /// A Word document (OOXML).
        Docx,
        /// An Excel workbook (OOXML).
        Xlsx,
        /// A PowerPoint presentation (OOXML).
        Pptx,
        /// Another OOXML package (it has `[Content_Types].xml` but no Word, Excel or PowerPoint part).
        Ooxml,
        /// A password-protected OOXML document: an OLE compound file with `EncryptionInfo` and `EncryptedPackage`.
        EncryptedOoxml,
        /// A legacy Word document (OLE with a `WordDocument` stream).
        Doc,
        /// A legacy Excel workbook (OLE with a `Workbook` or `Book` stream).
        Xls,
        /// A legacy PowerPoint presentation (OLE with a `PowerPoint Document` stream).
        Ppt,
        /// An Outlook message (OLE with `__substg1.0_` streams).
        Msg,
        /// Another OLE compound file (for example an `.msi` installer).
        Ole,
        /// A PDF document.
        Pdf,
        /// A script recognised by a strong marker (`#!`, `<HTA:APPLICATION`, `@echo off`).
        Script,
        /// A mail message (RFC 5322 headers).
        Eml,
        /// Plain text in a charset that was recognised.
        Text,
        /// A PNG, JPEG, GIF or BMP picture.
        Image,
        /// A 7-Zip archive (not opened).
        SevenZip,
        /// A RAR archive (not opened).
        Rar,
        /// A gzip stream (not opened).
        Gzip,
        /// A Windows cabinet (not opened).
        Cab,
        /// Bytes that match no format known here.
        Unknown,
        /// The bytes were not read (an encrypted archive entry, or one over a limit).
        Unread,
    }
}

listed! {
    /// How something is encrypted.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum EncryptionMethod {
        /// A ZIP entry with the traditional PKWARE encryption (what `zip -P` and Windows make).
        ZipCrypto,
        /// A ZIP entry with WinZip's AES encryption (compression method 99).
        ZipAes,
        /// A password-protected OOXML document (`EncryptedPackage`).
        Office,
        /// A legacy `.doc` or `.xls` with its encryption flag set.
        LegacyOffice,
        /// A PDF with `/Encrypt` in its trailer.
        Pdf,
    }
}

/// One encrypted thing: the file itself (`place` is empty) or an entry of an archive (`place` is its path).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Encrypted {
    pub place: String,
    pub method: EncryptionMethod,
}

/// Text found in the file, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextChunk {
    /// Where: `Sheet1!C12`, `paragraph 4`, `table 1 row 2`, `slide 3`, `line 120`, `body`.
    pub place: String,
    pub text: String,
}

/// Text in a charset this crate does not decode (Shift_JIS, EUC-JP, ISO-2022-JP), for the host to decode
/// and pass to `inspect_text` in `crates/inspect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Undecoded {
    pub place: String,
    /// A WHATWG encoding label that `TextDecoder` accepts: `shift_jis`, `euc-jp` or `iso-2022-jp`.
    pub charset: String,
    /// An array of numbers in JSON.
    pub bytes: Vec<u8>,
}

/// What most cells of a column look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnClass {
    /// Most non-empty cells are e-mail addresses.
    Email,
    /// Most non-empty cells are phone numbers.
    Phone,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Column {
    /// The header cell's text (may be empty).
    pub header: String,
    /// `Some` when most of the column's non-empty data cells are of one class.
    pub class: Option<ColumnClass>,
    /// The first few non-empty data cells, shortened.
    pub samples: Vec<String>,
}

/// A table: a CSV or TSV file, a sheet of a workbook, or a table of a Word document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Table {
    /// `Sheet1`, `table 2`, or empty for a CSV file.
    pub place: String,
    /// The first non-empty row, taken as the header.
    pub header: Vec<String>,
    /// The number of non-empty rows after the header.
    pub rows: u64,
    pub columns: Vec<Column>,
}

listed! {
    /// Why something could not be read (or not read entirely).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "kebab-case")]
    pub enum Reason {
        /// The file is bigger than [`Limits::max_bytes`]; only its start was looked at.
        LimitBytes,
        /// An archive nested deeper than [`Limits::max_depth`] was not opened.
        LimitDepth,
        /// An archive has more entries than [`Limits::max_entries`]; the rest were not read.
        LimitEntries,
        /// Decompressing would exceed [`Limits::max_expanded_bytes`].
        LimitExpanded,
        /// An entry expands more than [`Limits::max_ratio`] times its compressed size (a zip bomb).
        LimitRatio,
        /// More text than [`Limits::max_text_bytes`]; the rest was not kept.
        LimitText,
        /// More cells than [`Limits::max_cells`]; the rest were not read.
        LimitCells,
        /// The file or a part of it is damaged.
        Corrupt,
        /// The format was not recognised.
        Unknown,
        /// The format is known but its contents are not read (PDF text, 7-Zip, RAR).
        Unsupported,
        /// The contents are encrypted, so they could not be read.
        Encrypted,
    }
}

/// Something that could not be read, where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Empty for the whole file; otherwise an archive path, a part name or a sheet.
    pub place: String,
    pub reason: Reason,
    /// A short technical explanation in English, for logs and for the admin's CLI.
    pub detail: String,
}

/// An entry of an archive, with the facts about its own bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// The path inside the archive, as stored (`tools/setup.exe`).
    pub path: String,
    pub compressed_size: u64,
    /// The uncompressed size the archive declares.
    pub size: u64,
    pub facts: Facts,
}

/// Everything found about one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Facts {
    pub name: String,
    pub size: u64,
    /// What the bytes are.
    pub kind: Kind,
    /// What the name's extension claims, when the extension is known here.
    pub name_kind: Option<Kind>,
    /// True when the name claims one kind and the bytes are clearly another (`invoice.pdf` that is a PE).
    pub mismatch: bool,
    pub encrypted: Vec<Encrypted>,
    /// Serialized with the cells of a spreadsheet row grouped (see [`cells`]).
    #[serde(serialize_with = "cells::serialize", deserialize_with = "cells::deserialize")]
    pub text: Vec<TextChunk>,
    pub undecoded: Vec<Undecoded>,
    pub tables: Vec<Table>,
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
    /// What the inspector judged about the whole file, archive entries included (empty on entries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessments: Vec<Assessment>,
}

/// A text in each language of the UI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub ja: String,
    pub en: String,
    pub zh: String,
}

/// One finding of a check that the inspector judges (see the module's documentation), about the
/// whole attachment: what to tell the person, and the places inside the file it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    /// The check's code (`attachment-encrypted`).
    pub code: String,
    pub message: Words,
    #[serde(default)]
    pub excerpts: Vec<Quote>,
}

/// A place inside an attachment and what is there (`Sheet1`, `氏名, 住所, 電話番号`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Quote {
    pub place: String,
    pub text: Words,
}

impl Facts {
    /// Facts with nothing found yet: the bytes are `kind`, and the name claims nothing.
    ///
    /// `#[inline]`, as is [`cells::expand`]: compiled in the crate that reads facts, they share
    /// its copies of `Vec`'s growth and allocation code rather than bringing this crate's own
    /// into the core wasm module (issue #14).
    #[inline]
    pub fn new(name: &str, size: u64, kind: Kind) -> Self {
        Facts {
            name: name.to_string(),
            size,
            kind,
            name_kind: None,
            mismatch: false,
            encrypted: Vec::new(),
            text: Vec::new(),
            undecoded: Vec::new(),
            tables: Vec::new(),
            entries: Vec::new(),
            problems: Vec::new(),
            assessments: Vec::new(),
        }
    }

    /// Records what could not be read at `place`, and why.
    pub fn problem(&mut self, place: &str, reason: Reason, detail: String) {
        self.problems.push(Problem { place: place.to_string(), reason, detail });
    }

    /// True when this file or anything inside it, at any depth, is encrypted.
    pub fn any_encrypted(&self) -> bool {
        !self.encrypted.is_empty() || self.entries.iter().any(|e| e.facts.any_encrypted())
    }
}

/// What the inspection of one attachment is given: the limits of its work (every limit counts work,
/// never time), and the policy's settings of the checks it judges (see [`Assessment`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// Bytes of the attachment looked at (default 25 MB).
    pub max_bytes: u64,
    /// How many levels of archives are opened: 1 opens the attachment itself (a ZIP, an Office file),
    /// 2 (default) also the archives inside it. Entries one level below the last opened archive are
    /// still identified by their first bytes.
    pub max_depth: u32,
    /// Entries read per archive (default 1,000).
    pub max_entries: u32,
    /// Bytes produced by decompression for the whole attachment (default 100 MB).
    pub max_expanded_bytes: u64,
    /// The largest uncompressed-to-compressed ratio of an entry that is still decompressed (default 200).
    /// The whole attachment also expands at most this many times its own size (but always 1 MB).
    pub max_ratio: u64,
    /// Bytes of text kept in chunks for the whole attachment (default 8 MB).
    pub max_text_bytes: u64,
    /// Spreadsheet and table cells read for the whole attachment (default 500,000).
    pub max_cells: u64,
    /// The fewest data rows of a table that make it a list of people (`rules.attachment-personal-data.minRows`, default 10).
    pub min_rows: u64,
    /// The extensions that may not be sent, lower case (`rules.attachment-blocked-type`): a file whose
    /// bytes are of such a type, or an archive entry so named or made, is judged blocked. None by default.
    pub blocked_extensions: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 25 * 1024 * 1024,
            max_depth: 2,
            max_entries: 1000,
            max_expanded_bytes: 100 * 1024 * 1024,
            max_ratio: 200,
            max_text_bytes: 8 * 1024 * 1024,
            max_cells: 500_000,
            min_rows: 10,
            blocked_extensions: Vec::new(),
        }
    }
}

/// The text chunks of a workbook's cells as JSON: one object per sheet instead of one per cell.
///
/// A workbook of 5,000 rows has tens of thousands of non-empty cells, and each cell's chunk as its
/// own JSON object is most of the cost of handing the facts to JavaScript and back to the engine.
/// So consecutive chunks placed at cells of one sheet (`Sheet1!A12`, `Sheet1!C12`, `Sheet1!A13`) are
/// written as one group, `{"place": "Sheet1!", "text": "…\t…\t…", "cells": "A12 9 C12 24 A13 5"}`: the
/// cells' texts joined by tabs, and for each cell its reference and the length of its text in UTF-8 bytes.
/// [`cells::expand`] gives back the very chunks that were grouped, so the engine reads the same facts
/// whichever way they came.
pub mod cells {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::TextChunk;

    /// A text chunk as JSON: a chunk, or a group of cells when `cells` is given.
    #[derive(Serialize, Deserialize)]
    struct Wire<'a> {
        #[serde(borrow)]
        place: std::borrow::Cow<'a, str>,
        #[serde(borrow)]
        text: std::borrow::Cow<'a, str>,
        #[serde(default, skip_serializing_if = "Option::is_none", borrow)]
        cells: Option<std::borrow::Cow<'a, str>>,
    }

    /// The sheet part (`Sheet1!`) of a cell place whose reference is written the usual way (column
    /// letters, then row digits); `None` for any other place.
    fn sheet_of(place: &str) -> Option<&str> {
        let at = place.rfind('!')? + 1;
        reference_in(place, &place[..at]).map(|_| &place[..at])
    }

    /// The reference of `place` when it is a cell of `sheet` (which ends with its `!`) written the usual
    /// way: what follows `sheet` is column letters then row digits, so `sheet` is all of `place` up to
    /// its last `!`.
    fn reference_in<'p>(place: &'p str, sheet: &str) -> Option<&'p str> {
        let reference = place.strip_prefix(sheet)?;
        let letters = reference.bytes().take_while(u8::is_ascii_uppercase).count();
        let digits = &reference.as_bytes()[letters..];
        (letters > 0 && !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)).then_some(reference)
    }

    /// Appends `n` in decimal, without the formatting machinery (this runs once per cell).
    pub fn push_number(out: &mut String, mut n: usize) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        out.extend(digits[at..].iter().map(|&d| char::from(d)));
    }

    /// One text chunk as JSON shows it.
    #[derive(Debug, Clone, Copy)]
    pub enum Group<'a> {
        /// A chunk written as it is, `{"place": …, "text": …}`.
        Chunk(&'a TextChunk),
        /// Two or more cells of one sheet that follow one another, written as one object: `sheet` is the
        /// sheet's part of their places (`Sheet1!`), and each cell's reference is its place after it.
        Cells { sheet: &'a str, cells: &'a [TextChunk] },
    }

    /// The JSON objects of `chunks`, in order: the cells of one sheet that follow one another are one
    /// group, each place read once. A writer of JSON other than serde's (the wasm facade's) writes the
    /// very same objects from these.
    pub fn groups(chunks: &[TextChunk]) -> impl Iterator<Item = Group<'_>> {
        let mut i = 0;
        std::iter::from_fn(move || {
            let chunk = chunks.get(i)?;
            if let Some(sheet) = sheet_of(&chunk.place) {
                let n = chunks[i..].iter().take_while(|c| reference_in(&c.place, sheet).is_some()).count();
                if n >= 2 {
                    i += n;
                    return Some(Group::Cells { sheet, cells: &chunks[i - n..i] });
                }
            }
            i += 1;
            Some(Group::Chunk(chunk))
        })
    }

    pub fn serialize<S: Serializer>(chunks: &[TextChunk], serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        let (mut text, mut cells) = (String::new(), String::new());
        for group in groups(chunks) {
            match group {
                Group::Chunk(chunk) => seq.serialize_element(&Wire {
                    place: (&*chunk.place).into(),
                    text: (&*chunk.text).into(),
                    cells: None,
                })?,
                Group::Cells { sheet, cells: group } => {
                    text.clear();
                    cells.clear();
                    for (k, cell) in group.iter().enumerate() {
                        if k > 0 {
                            text.push('\t');
                            cells.push(' ');
                        }
                        text.push_str(&cell.text);
                        cells.push_str(&cell.place[sheet.len()..]);
                        cells.push(' ');
                        push_number(&mut cells, cell.text.len());
                    }
                    seq.serialize_element(&Wire {
                        place: sheet.into(),
                        text: (&*text).into(),
                        cells: Some((&*cells).into()),
                    })?;
                }
            }
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<TextChunk>, D::Error> {
        let wire: Vec<Wire> = Vec::deserialize(deserializer)?;
        let mut chunks = Vec::with_capacity(wire.len());
        for w in wire {
            expand(&w.place, &w.text, w.cells.as_deref(), &mut chunks);
        }
        Ok(chunks)
    }

    /// Appends the chunks of one JSON text chunk to `out`: itself when `cells` is `None`, otherwise the
    /// cells of its group. A group that does not add up (a hostile or broken caller) is kept whole as
    /// one chunk at `place`, so that its text is still read.
    ///
    /// `#[inline]`: see [`Facts::new`](crate::Facts::new).
    #[inline]
    pub fn expand(place: &str, text: &str, cells: Option<&str>, out: &mut Vec<TextChunk>) {
        let whole = || TextChunk { place: place.to_string(), text: text.to_string() };
        let Some(cells) = cells else {
            out.push(whole());
            return;
        };
        let start = out.len();
        let mut tokens = cells.split(' ');
        let mut at = 0usize;
        let mut ok = true;
        while let Some(reference) = tokens.next() {
            let piece = tokens
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| at.checked_add(n))
                .and_then(|end| Some((end, text.get(at..end)?)));
            let Some((end, piece)) = piece.filter(|_| !reference.is_empty()) else {
                ok = false;
                break;
            };
            out.push(TextChunk { place: format!("{place}{reference}"), text: piece.to_string() });
            at = end;
            if at < text.len() {
                if text.as_bytes()[at] != b'\t' {
                    ok = false;
                    break;
                }
                at += 1;
            } else {
                break;
            }
        }
        if !ok || at != text.len() || tokens.next().is_some() || out.len() == start {
            out.truncate(start);
            out.push(whole());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(place: &str, text: &str) -> TextChunk {
        TextChunk { place: place.into(), text: text.into() }
    }

    #[test]
    fn the_cells_of_a_sheet_are_one_json_object_and_read_back_as_they_were() {
        let mut facts = Facts::new("people.xlsx", 1, Kind::Xlsx);
        facts.text = vec![
            chunk("Sheet1!A1", "氏名"),
            chunk("Sheet1!B1", "電話\t番号"),
            chunk("Sheet1!A2", "佐藤"),
            chunk("Sheet1!C2", ""),
            chunk("Sheet1!D2", "03-1234-5678"),
            chunk("Sheet2!D2", "x"),
            chunk("a!b!D2", "y"),
            chunk("a!b!E2", "z"),
            chunk("Sheet1!r2", "odd reference"),
            chunk("paragraph 3", "本文"),
        ];
        let json = serde_json::to_value(&facts).unwrap();
        let text = json["text"].as_array().unwrap();
        assert_eq!(text.len(), 5, "{json}");
        assert_eq!(
            text[0],
            serde_json::json!({
                "place": "Sheet1!",
                "text": "氏名\t電話\t番号\t佐藤\t\t03-1234-5678",
                "cells": "A1 6 B1 13 A2 6 C2 0 D2 12"
            })
        );
        assert_eq!(text[1], serde_json::json!({"place": "Sheet2!D2", "text": "x"}));
        assert_eq!(text[2], serde_json::json!({"place": "a!b!", "text": "y\tz", "cells": "D2 1 E2 1"}));
        assert_eq!(text[3], serde_json::json!({"place": "Sheet1!r2", "text": "odd reference"}));
        let back: Facts = serde_json::from_value(json).unwrap();
        assert_eq!(back, facts);
    }

    #[test]
    fn any_sequence_of_chunks_reads_back_as_it_was() {
        // Places that group, places that look almost like cells, and texts with tabs, spaces and
        // Japanese, mixed in every order a small generator gives.
        let places = [
            "Sheet1!A1",
            "Sheet1!B12",
            "Sheet2!C3",
            "a!b!D2",
            "Sheet1!r2",
            "Sheet1!",
            "!A1",
            "Sheet1!A",
            "Sheet1!1",
            "line 4",
        ];
        let texts = ["", "x", "氏名", "a\tb", " 1 2 ", "\t", "03-1234-5678"];
        let mut seed = 0x9E37_79B9_u32;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        for _ in 0..2000 {
            let mut facts = Facts::new("book.xlsx", 1, Kind::Xlsx);
            facts.text = (0..next(12)).map(|_| chunk(places[next(places.len())], texts[next(texts.len())])).collect();
            let json = serde_json::to_value(&facts).unwrap();
            let back: Facts = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(back, facts, "{json}");
        }
    }

    #[test]
    fn a_group_that_does_not_add_up_is_kept_whole() {
        for cells in ["A1 2 B1 9", "A1 1", "A1 x B1 1", " 1 B1 1", "A1 1 B1 1 C1 0", "", "A1 1 B1"] {
            let mut out = Vec::new();
            cells::expand("Sheet1!", "a\tb", Some(cells), &mut out);
            assert_eq!(out, vec![chunk("Sheet1!", "a\tb")], "{cells}");
        }
        let mut out = Vec::new();
        cells::expand("Sheet1!", "日\tb", Some("A1 1 B1 1"), &mut out);
        assert_eq!(out, vec![chunk("Sheet1!", "日\tb")], "a length inside a character");
        let mut out = Vec::new();
        cells::expand("Sheet1!", "日\tb", Some("A1 3 B1 1"), &mut out);
        assert_eq!(out, vec![chunk("Sheet1!A1", "日"), chunk("Sheet1!B1", "b")]);
    }
}

/// How labels and header cells are compared, by the inspector (the headers of a list of people) and
/// by the engine (the labels next to a number): `#[inline]`, so that each module compiles its own use.
pub mod label {
    /// Text as labels and headers are compared: lower-case, full-width letters and digits as
    /// ASCII, without spaces, hyphens, underscores, dots and middle dots (`E-mail アドレス` is
    /// `emailアドレス`, `ＴＥＬ` is `tel`).
    #[inline]
    pub fn normalise(text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            };
            if !matches!(c, ' ' | '\u{3000}' | '-' | '_' | '.' | '・' | '\u{FF65}' | '\t') {
                out.push(c.to_ascii_lowercase());
            }
        }
        out
    }

    /// Whether `text` contains one of `words`.
    #[inline]
    pub fn contains_any(text: &str, words: &[&str]) -> bool {
        for word in words {
            if text.contains(word) {
                return true;
            }
        }
        false
    }
}

/// Walking a file's facts into its archive entries, for the inspector's judgments and the
/// engine's searches alike: `#[inline]`, so that each module compiles its own use.
///
/// The inspector bounds how deep archives are opened, but facts may come from any caller as
/// JSON, so the walk has its own bound and never recurses without one.
pub mod walk {
    use crate::Facts;

    /// How deep the walk follows archive entries. The inspector opens at most a few levels; facts
    /// nested deeper than this come from a hostile caller and are not read further.
    pub const MAX_DEPTH: usize = 16;

    /// The facts of a file and of every archive entry inside it, at any depth (up to
    /// [`MAX_DEPTH`]), each with the path of the entry (`""` for the file itself,
    /// `tools/setup.exe`, `inner.zip › a.txt`), the file first and each entry before what it holds.
    ///
    /// A list the checks loop over rather than a callback each check passes: the loops are the
    /// checks' own code, without a closure type and its call shims per check.
    #[inline]
    pub fn walk(facts: &Facts) -> Vec<(&Facts, String)> {
        #[inline]
        fn go<'f>(facts: &'f Facts, path: String, depth: usize, out: &mut Vec<(&'f Facts, String)>) {
            let at = out.len();
            out.push((facts, path));
            if depth >= MAX_DEPTH {
                return;
            }
            for entry in &facts.entries {
                let inner = join(&out[at].1, &entry.path);
                go(&entry.facts, inner, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        go(facts, String::new(), 0, &mut out);
        out
    }

    /// A place inside a place: `tools/a.txt › paragraph 3`; either may be empty.
    #[inline]
    pub fn join(outer: &str, inner: &str) -> String {
        match (outer.is_empty(), inner.is_empty()) {
            (true, _) => inner.to_string(),
            (false, true) => outer.to_string(),
            (false, false) => format!("{outer} › {inner}"),
        }
    }
}
