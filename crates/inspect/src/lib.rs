//! Misend Guard's attachment inspector: the bytes of one attachment and its file name in, *facts* out.
//!
//! The facts say what the file really is by its bytes, whether it is encrypted, the text it holds (each
//! chunk with the place it came from), the tables it holds, what an archive contains, and what could not
//! be read and why.
//! They do not judge, with one exception: the checks about the file's own make-up (encrypted, not
//! looked inside, a list of people, a program inside) are judged here, under the policy's settings
//! in [`Limits`], into worded [`Assessment`]s (see `assess.rs`); the rule engine (`crates/rules`)
//! gives them their severity, and decides what every other fact means for a mail.
//!
//! The crate is pure: no I/O, no clock, no JavaScript.
//! Every limit is enforced by counting work (bytes read, bytes expanded, entries, cells, text kept),
//! so the same input gives the same facts on every machine, and a hostile file cannot make it hang,
//! exhaust memory or panic.
//! Legacy Japanese charsets are not decoded here (that would need `encoding_rs`, too big for the add-on's
//! wasm): the host passes its own decoder to [`inspect_with`] (`TextDecoder` in the add-on, `encoding_rs`
//! in the CLI), and the decoded text is inspected in its place; without one, such text comes back as bytes
//! with a detected label.

mod archive;
mod assess;

pub use assess::assess;
mod names;
mod ole;
mod ooxml;
mod sniff;
mod table;
mod text;
mod unzip;

pub use misend_guard_facts::{
    cells, Assessment, Column, ColumnClass, Encrypted, EncryptionMethod, Entry, Facts, Kind, Limits, Problem, Quote,
    Reason, Table, TextChunk, Undecoded, Words,
};

/// A host's decoder for the legacy charsets this crate does not decode: a WHATWG label (`shift_jis`,
/// `euc-jp`, `iso-2022-jp`) and the bytes in, the text out, or `None` when it cannot decode them.
pub type Decode<'d> = &'d dyn Fn(&str, &[u8]) -> Option<String>;

/// Inspects one attachment: its bytes and its file name, within `limits`.
///
/// This never panics and never fails: what cannot be read is reported in [`Facts::problems`].
/// Text in a legacy Japanese charset comes back in [`Facts::undecoded`]; [`inspect_with`] decodes it.
pub fn inspect(bytes: &[u8], name: &str, limits: &Limits) -> Facts {
    inspect_inner(bytes, name, limits, None)
}

/// Inspects one attachment as [`inspect`] does, and hands text in a legacy Japanese charset (Shift_JIS,
/// EUC-JP, ISO-2022-JP), wherever it is (the file itself, an archive entry, an attached mail's body), to
/// `decode`; the decoded text is inspected in its place as text, or as a table for `.csv` and `.tsv`
/// names.
/// Only what `decode` returns `None` for stays in [`Facts::undecoded`].
pub fn inspect_with(bytes: &[u8], name: &str, limits: &Limits, decode: Decode) -> Facts {
    inspect_inner(bytes, name, limits, Some(decode))
}

fn inspect_inner(bytes: &[u8], name: &str, limits: &Limits, decode: Option<Decode>) -> Facts {
    let mut work = Work::new(limits);
    work.decode = decode;
    // A whole attachment expands at most `max_ratio` times its size (at least 1 MB), so that a small
    // bomb of many entries, each under the ratio on its own, is stopped early too.
    let by_ratio = limits.max_ratio.saturating_mul(bytes.len() as u64).max(1 << 20);
    work.max_expanded = limits.max_expanded_bytes.min(by_ratio);
    let mut facts = inspect_at(bytes, name, 0, &mut work);
    assess::assess(&mut facts, limits);
    facts
}

/// Inspects text that the host decoded from an [`Undecoded`] chunk (for example Shift_JIS decoded with
/// the platform's `TextDecoder`), as if it were the content of a text file called `name`.
///
/// The facts carry the text chunks and, for `.csv` and `.tsv` names, the table.
pub fn inspect_text(text: &str, name: &str, limits: &Limits) -> Facts {
    let mut work = Work::new(limits);
    let mut facts = crate::names::facts(name, text.len() as u64, Kind::Text);
    text::text_facts(text, name, &mut facts, &mut work);
    assess::assess(&mut facts, limits);
    facts
}

/// The work done so far for one attachment, counted against its [`Limits`].
///
/// One `Work` is shared by an attachment and everything inside it, so that an archive cannot multiply
/// the budget by nesting.
pub(crate) struct Work<'l> {
    pub limits: &'l Limits,
    /// The host's decoder for legacy charsets, when it gave one.
    pub decode: Option<Decode<'l>>,
    /// Bytes produced by decompression so far.
    pub expanded: u64,
    /// The most bytes decompression may produce for this attachment.
    pub max_expanded: u64,
    /// Bytes of text kept in chunks so far.
    pub text: u64,
    /// Spreadsheet and table cells read so far.
    pub cells: u64,
}

impl<'l> Work<'l> {
    fn new(limits: &'l Limits) -> Self {
        Work { limits, decode: None, expanded: 0, max_expanded: limits.max_expanded_bytes, text: 0, cells: 0 }
    }
}

/// Inspects bytes found at archive `depth` (0 for the attachment itself).
pub(crate) fn inspect_at(bytes: &[u8], name: &str, depth: u32, work: &mut Work) -> Facts {
    let limit = work.limits.max_bytes;
    let readable = if bytes.len() as u64 > limit { &bytes[..limit as usize] } else { bytes };
    let whole = readable.len() == bytes.len();
    if whole && sniff::is_zip(bytes) {
        return archive::zip_inspect(bytes, name, depth, work);
    }
    let kind = sniff::kind_of(readable, name);
    let mut facts = crate::names::facts(name, bytes.len() as u64, kind);
    if !whole {
        // Only the start was looked at: enough for the kind, not for the contents.
        facts.problem("", Reason::LimitBytes, format!("{} bytes, over the limit of {limit}", bytes.len()));
        return facts;
    }
    match kind {
        // ZIPs and the OOXML packages built on them were inspected above.
        Kind::Zip | Kind::Docx | Kind::Xlsx | Kind::Pptx | Kind::Ooxml => {}
        Kind::Doc | Kind::Xls | Kind::Ppt | Kind::Msg | Kind::EncryptedOoxml | Kind::Ole => {
            ole::ole_facts(bytes, &mut facts)
        }
        Kind::Pdf => {
            if sniff::pdf_encrypted(bytes) {
                facts.encrypted.push(Encrypted { place: String::new(), method: EncryptionMethod::Pdf });
            }
            facts.problem("", Reason::Unsupported, "the text of a PDF is not extracted".to_string());
        }
        Kind::Text | Kind::Script => text::bytes_facts(bytes, name, &mut facts, work),
        Kind::Eml => text::eml_facts(bytes, &mut facts, work),
        Kind::SevenZip | Kind::Rar | Kind::Gzip | Kind::Cab => {
            facts.problem("", Reason::Unsupported, "this archive format is not opened".to_string());
        }
        Kind::Unknown => facts.problem("", Reason::Unknown, "the format was not recognised".to_string()),
        Kind::Empty
        | Kind::Exe
        | Kind::Elf
        | Kind::MachO
        | Kind::Shortcut
        | Kind::DiskImage
        | Kind::Image
        | Kind::Unread => {}
    }
    facts
}
