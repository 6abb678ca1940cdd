//! Plain text, CSV/TSV and attached mails: charsets, text chunks with their line numbers, and tables.
//!
//! UTF-8 and UTF-16 (with a byte-order mark) are decoded here. Shift_JIS, EUC-JP and ISO-2022-JP are
//! recognised and handed to the host's decoder (`TextDecoder` in the add-on, `encoding_rs` in the CLI)
//! through [`crate::inspect_with`]; without one, or when it fails, they come back undecoded with a label.

use crate::names::extension;
use crate::table::TableBuilder;
use crate::{Facts, Reason, TextChunk, Undecoded, Work};

/// Bytes of text gathered into one chunk before a new one starts (at a line or paragraph boundary).
const CHUNK_BYTES: usize = 2000;

/// Where text chunks go, counted against [`crate::Limits::max_text_bytes`] and `max_cells`; each limit
/// is reported once per file.
#[derive(Debug, Default)]
pub(crate) struct TextOut {
    text_stopped: bool,
    pub cells_stopped: bool,
}

impl TextOut {
    pub(crate) fn chunk(&mut self, facts: &mut Facts, work: &mut Work, place: String, text: String) {
        if self.text_stopped {
            return;
        }
        let len = text.len() as u64;
        if work.text + len > work.limits.max_text_bytes {
            self.text_stopped = true;
            let detail = format!("text after {} bytes was not kept", work.text);
            facts.problem(&place, Reason::LimitText, detail);
            return;
        }
        work.text += len;
        facts.text.push(TextChunk { place, text });
    }

    pub(crate) fn cells_full(&mut self, facts: &mut Facts, place: &str) {
        if !self.cells_stopped {
            self.cells_stopped = true;
            facts.problem(place, Reason::LimitCells, "cells after the limit were not read".to_string());
        }
    }
}

/// Joins consecutive short pieces (paragraphs, lines) into chunks of about [`CHUNK_BYTES`], each placed
/// at the pieces it holds (`paragraph 12`, `lines 120-161`).
#[derive(Debug)]
pub(crate) struct ChunkJoiner {
    unit: &'static str,
    first: u64,
    last: u64,
    text: String,
}

impl ChunkJoiner {
    pub(crate) fn new(unit: &'static str) -> Self {
        ChunkJoiner { unit, first: 0, last: 0, text: String::new() }
    }

    pub(crate) fn push(&mut self, number: u64, piece: &str, facts: &mut Facts, work: &mut Work, out: &mut TextOut) {
        if piece.trim().is_empty() {
            return;
        }
        if !self.text.is_empty() && self.text.len() + piece.len() > CHUNK_BYTES {
            self.flush(facts, work, out);
        }
        if self.text.is_empty() {
            self.first = number;
        } else {
            self.text.push('\n');
        }
        self.last = number;
        self.text.push_str(piece);
    }

    pub(crate) fn flush(&mut self, facts: &mut Facts, work: &mut Work, out: &mut TextOut) {
        if !self.text.is_empty() {
            let place = if self.first == self.last {
                format!("{} {}", self.unit, self.first)
            } else {
                format!("{}s {}-{}", self.unit, self.first, self.last)
            };
            out.chunk(facts, work, place, std::mem::take(&mut self.text));
        }
    }
}

/// Text in a charset this crate decodes, or bytes labelled for the host.
enum Decoded {
    Text(String),
    Labelled(&'static str),
    Binary,
}

/// Whether the start of `bytes` is text in one of the charsets recognised here.
pub(crate) fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    !matches!(decode(head, true), Decoded::Binary)
}

fn decode(bytes: &[u8], partial: bool) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, partial);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    if bytes.iter().any(|&b| b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B))) {
        return Decoded::Binary;
    }
    // ISO-2022-JP is 7-bit, so it is valid UTF-8 too: its escape sequences decide first.
    if is_iso_2022_jp(bytes) {
        return Decoded::Labelled("iso-2022-jp");
    }
    if let Decoded::Text(text) = utf8(bytes, partial) {
        return Decoded::Text(text);
    }
    japanese_label(bytes)
}

fn utf8(bytes: &[u8], partial: bool) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(text) => Decoded::Text(text.to_string()),
        // A sample cut in the middle of a character is still UTF-8.
        Err(e) if partial && e.error_len().is_none() => {
            Decoded::Text(String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned())
        }
        Err(_) => Decoded::Binary,
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Decoded {
    let units = bytes.chunks_exact(2).map(|p| unit([p[0], p[1]]));
    Decoded::Text(char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect())
}

/// Whether `bytes` hold ISO-2022-JP's switch to JIS X 0208 (`ESC $ B` or `ESC $ @`).
fn is_iso_2022_jp(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"\x1b$B").is_some() || memchr::memmem::find(bytes, b"\x1b$@").is_some()
}

/// Shift_JIS, EUC-JP or ISO-2022-JP, by which one the bytes break least; `Binary` when none fits.
fn japanese_label(bytes: &[u8]) -> Decoded {
    if is_iso_2022_jp(bytes) {
        return Decoded::Labelled("iso-2022-jp");
    }
    let (sjis_bad, sjis_pairs) = count_pairs(
        bytes,
        |b| matches!(b, 0x81..=0x9F | 0xE0..=0xFC),
        |b| matches!(b, 0x40..=0x7E | 0x80..=0xFC),
        |b| (0xA1..=0xDF).contains(&b),
    );
    let (euc_bad, euc_pairs) =
        count_pairs(bytes, |b| matches!(b, 0x8E | 0xA1..=0xFE), |b| (0xA1..=0xFE).contains(&b), |_| false);
    let best = if euc_bad < sjis_bad || (euc_bad == sjis_bad && euc_pairs > sjis_pairs) {
        (euc_bad, euc_pairs, "euc-jp")
    } else {
        (sjis_bad, sjis_pairs, "shift_jis")
    };
    // Text has few broken sequences; random bytes have many.
    if best.1 > 0 && best.0 * 20 <= best.1 {
        Decoded::Labelled(best.2)
    } else {
        Decoded::Binary
    }
}

/// Counts (bad bytes, good double-byte pairs) when `bytes` are read with a double-byte charset whose
/// lead bytes satisfy `lead` and trail bytes `trail`; `single` accepts high bytes that stand alone.
fn count_pairs(bytes: &[u8], lead: fn(u8) -> bool, trail: fn(u8) -> bool, single: fn(u8) -> bool) -> (u64, u64) {
    let (mut bad, mut pairs, mut i) = (0, 0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 || single(b) {
            i += 1;
        } else if lead(b) && i + 1 < bytes.len() && trail(bytes[i + 1]) {
            pairs += 1;
            i += 2;
        } else {
            // A cut at the very end of a sample is not a fault.
            if i + 1 < bytes.len() {
                bad += 1;
            }
            i += 1;
        }
    }
    (bad, pairs)
}

/// The facts of a text file (or a script, which is text too).
pub(crate) fn bytes_facts(bytes: &[u8], name: &str, facts: &mut Facts, work: &mut Work) {
    match decode(bytes, false) {
        Decoded::Text(text) => text_facts(&text, name, facts, work),
        Decoded::Labelled(charset) => match host_decode(charset, bytes, work) {
            Some(text) => text_facts(&text, name, facts, work),
            None => undecoded(bytes, "", charset, facts, work),
        },
        Decoded::Binary => facts.problem("", Reason::Corrupt, "the text is not valid in any charset known here".into()),
    }
}

/// The text of `bytes` in `charset`, decoded by the host's decoder when there is one and it succeeds.
fn host_decode(charset: &str, bytes: &[u8], work: &Work) -> Option<String> {
    work.decode.and_then(|decode| decode(charset, bytes))
}

fn undecoded(bytes: &[u8], place: &str, charset: &str, facts: &mut Facts, work: &mut Work) {
    let left = work.limits.max_text_bytes.saturating_sub(work.text) as usize;
    let kept = &bytes[..bytes.len().min(left)];
    work.text += kept.len() as u64;
    if kept.len() < bytes.len() {
        facts.problem(place, Reason::LimitText, format!("only the first {} bytes were kept", kept.len()));
    }
    facts.undecoded.push(Undecoded { place: place.to_string(), charset: charset.to_string(), bytes: kept.to_vec() });
}

/// Text chunks by line, and for `.csv` and `.tsv` names the table.
pub(crate) fn text_facts(text: &str, name: &str, facts: &mut Facts, work: &mut Work) {
    let mut out = TextOut::default();
    let mut lines = ChunkJoiner::new("line");
    for (i, line) in text.lines().enumerate() {
        lines.push(i as u64 + 1, line, facts, work, &mut out);
    }
    lines.flush(facts, work, &mut out);
    let delimiter = match extension(name).as_str() {
        "csv" => b',',
        "tsv" => b'\t',
        _ => return,
    };
    table_of(text, delimiter, facts, work, &mut out);
}

/// The table of a CSV or TSV text, parsed with `csv-core` (quoted fields may hold delimiters and newlines).
fn table_of(text: &str, delimiter: u8, facts: &mut Facts, work: &mut Work, out: &mut TextOut) {
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut table = TableBuilder::new(String::new());
    let mut input = text.as_bytes();
    let mut field = Vec::new();
    let mut buffer = [0u8; 4096];
    let mut row: Vec<(usize, String)> = Vec::new();
    loop {
        let (result, read, written) = reader.read_field(input, &mut buffer);
        input = &input[read..];
        field.extend_from_slice(&buffer[..written]);
        match result {
            csv_core::ReadFieldResult::InputEmpty => {
                if input.is_empty() {
                    // Tells the reader that the input has ended, so that the last field is completed.
                    let (result, _, written) = reader.read_field(&[], &mut buffer);
                    field.extend_from_slice(&buffer[..written]);
                    if let csv_core::ReadFieldResult::Field { .. } = result {
                        row.push((row.len(), String::from_utf8_lossy(&field).into_owned()));
                    }
                    break;
                }
            }
            csv_core::ReadFieldResult::OutputFull => {}
            csv_core::ReadFieldResult::Field { record_end } => {
                row.push((row.len(), String::from_utf8_lossy(&field).into_owned()));
                field.clear();
                if record_end {
                    if work.cells + row.len() as u64 > work.limits.max_cells {
                        out.cells_full(facts, "");
                        row.clear();
                        break;
                    }
                    work.cells += row.len() as u64;
                    table.row(std::mem::take(&mut row));
                }
            }
            csv_core::ReadFieldResult::End => break,
        }
    }
    if !row.is_empty() {
        work.cells += row.len() as u64;
        table.row(row);
    }
    if let Some(done) = table.finish() {
        facts.tables.push(done);
    }
}

/// An attached mail, simply: its first `text/plain` part (or its body when it is not multipart),
/// transfer encoding undone; UTF-8 and ASCII decoded here, other charsets labelled for the host.
pub(crate) fn eml_facts(bytes: &[u8], facts: &mut Facts, work: &mut Work) {
    let Some((headers, body)) = split_headers(bytes) else {
        facts.problem("", Reason::Corrupt, "the mail has no end of headers".to_string());
        return;
    };
    let Some((part_headers, part_body)) = text_part(headers, body, 0) else {
        facts.problem("body", Reason::Unsupported, "the mail has no text/plain part".to_string());
        return;
    };
    let encoding = header(part_headers, "content-transfer-encoding").unwrap_or_default().to_ascii_lowercase();
    let content = match encoding.trim() {
        "base64" => base64(part_body),
        "quoted-printable" => quoted_printable(part_body),
        _ => part_body.to_vec(),
    };
    let content_type = header(part_headers, "content-type").unwrap_or_default();
    let charset = parameter(&content_type, "charset").unwrap_or_default().to_ascii_lowercase();
    let label = match charset.as_str() {
        "" | "utf-8" | "us-ascii" | "utf8" => None,
        "iso-2022-jp" | "csiso2022jp" => Some("iso-2022-jp"),
        "shift_jis" | "shift-jis" | "sjis" | "cp932" | "windows-31j" | "x-sjis" => Some("shift_jis"),
        "euc-jp" | "x-euc-jp" => Some("euc-jp"),
        _ => None,
    };
    let text = match label {
        Some(charset) => match host_decode(charset, &content, work) {
            Some(text) => text,
            None => return undecoded(&content, "body", charset, facts, work),
        },
        None => String::from_utf8_lossy(&content).into_owned(),
    };
    TextOut::default().chunk(facts, work, "body".to_string(), text);
}

fn split_headers(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(at) = memchr::memmem::find(bytes, b"\r\n\r\n") {
        return Some((&bytes[..at + 2], &bytes[at + 4..]));
    }
    memchr::memmem::find(bytes, b"\n\n").map(|at| (&bytes[..at + 1], &bytes[at + 2..]))
}

/// The value of header `name` (unfolded), from raw header bytes.
fn header(headers: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(headers);
    let mut value: Option<String> = None;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push(' ');
                v.push_str(line.trim());
                continue;
            }
            break;
        }
        if let Some((key, v)) = line.split_once(':') {
            if key.trim().eq_ignore_ascii_case(name) {
                value = Some(v.trim().to_string());
            }
        }
    }
    value
}

fn parameter(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (key, v) = p.split_once('=')?;
        key.trim().eq_ignore_ascii_case(name).then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The first `text/plain` part, looking into nested multiparts up to a small depth.
fn text_part<'b>(headers: &'b [u8], body: &'b [u8], depth: u32) -> Option<(&'b [u8], &'b [u8])> {
    let content_type = header(headers, "content-type").unwrap_or_else(|| "text/plain".to_string());
    let lower = content_type.to_ascii_lowercase();
    if lower.starts_with("text/plain") {
        return Some((headers, body));
    }
    if !lower.starts_with("multipart/") || depth >= 4 {
        return None;
    }
    let boundary = parameter(&content_type, "boundary")?;
    let delimiter = format!("--{boundary}");
    let mut rest = body;
    while let Some(at) = memchr::memmem::find(rest, delimiter.as_bytes()) {
        rest = &rest[at + delimiter.len()..];
        let Some(part) = rest.strip_prefix(b"\r\n").or_else(|| rest.strip_prefix(b"\n")) else { continue };
        let end = memchr::memmem::find(part, delimiter.as_bytes()).unwrap_or(part.len());
        if let Some((h, b)) = split_headers(&part[..end]) {
            if let Some(found) = text_part(h, b, depth + 1) {
                return Some(found);
            }
        }
    }
    None
}

fn base64(input: &[u8]) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for v in input.iter().filter_map(|&c| value(c)) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn quoted_printable(input: &[u8]) -> Vec<u8> {
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        if input[i] == b'=' {
            match (input.get(i + 1), input.get(i + 2)) {
                (Some(b'\r'), Some(b'\n')) => i += 3,
                (Some(b'\n'), _) => i += 2,
                (Some(&a), Some(&b)) if hex(a).is_some() && hex(b).is_some() => {
                    out.push((hex(a).unwrap_or(0) * 16 + hex(b).unwrap_or(0)) as u8);
                    i += 3;
                }
                _ => {
                    out.push(b'=');
                    i += 1;
                }
            }
        } else {
            out.push(input[i]);
            i += 1;
        }
    }
    out
}
