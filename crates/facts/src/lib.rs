//! Misend Guard's attachment facts: what the inspector (`crates/inspect`) found in an attachment, and the
//! limits of the work done to find them. The rule engine (`crates/rules`) reads them; neither needs the
//! other's code, so the core wasm module holds only these types.
//!
//! These types are the JSON interface to the rule engine: they serialize with camelCase field names
//! and kebab-case enum values, and they state what was seen, never what it means.

use serde::{Deserialize, Serialize};

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
    /// Serialized as bytes: an array of numbers in JSON, a `Uint8Array` through serde-wasm-bindgen,
    /// which `TextDecoder.decode()` takes as it is.
    #[serde(serialize_with = "as_bytes")]
    pub bytes: Vec<u8>,
}

fn as_bytes<S: serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_bytes(bytes)
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
    pub text: Vec<TextChunk>,
    pub undecoded: Vec<Undecoded>,
    pub tables: Vec<Table>,
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

impl Facts {
    /// Facts with nothing found yet: the bytes are `kind`, and the name claims nothing.
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

/// The limits of the work done for one attachment. Every limit counts work, never time.
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
        }
    }
}
