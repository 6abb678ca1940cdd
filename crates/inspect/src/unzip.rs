//! ZIP archives read within the limits: the kind of a ZIP by its part names, and an entry's bytes
//! (stored and deflated entries straight from the archive's bytes, anything else through the ZIP
//! reader). What the entries hold is for `archive` and `ooxml`.

use std::io::{Cursor, Read};

use zip::{CompressionMethod, ZipArchive};
use zlib_rs::{Inflate, InflateFlush, Status};

use crate::{Facts, Kind, Reason, Work};

/// Bytes read of an entry that is only identified (one level below the last archive opened): enough for
/// every magic number known here, the deepest being an ISO 9660 descriptor at 0x9001.
const SNIFF_BYTES: u64 = 40 * 1024;
/// The first step of reading an entry: enough to identify most kinds.
const FIRST_BYTES: u64 = 1024;
/// The largest ratio of a ZIP inside an archive that is still opened: a ZIP (or an Office file) holds
/// compressed data, so it compresses about once again; only a ZIP of stored text files reaches a few
/// times, while each level of a 42.zip-style bomb compresses 15 to 50 times.
const NESTED_ZIP_RATIO: u64 = 10;

/// An opened ZIP and its bytes: entries stored or deflated are read straight from the bytes.
pub(crate) struct Package<'b> {
    pub zip: ZipArchive<Cursor<&'b [u8]>>,
    pub bytes: &'b [u8],
}

/// The kind of a ZIP by its part names: an OOXML package has `[Content_Types].xml` and its main part.
///
/// When only the start of the ZIP is at hand (an entry at the depth limit), the names of the local
/// headers found there are used, and a package whose main part is not among them is what its name says.
pub(crate) fn zip_kind(bytes: &[u8], name: &str) -> Kind {
    match ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => kind_of_names(zip.file_names(), name),
        Err(_) => kind_of_names(local_names(bytes).iter().map(String::as_str), name),
    }
}

pub(crate) fn kind_of_names<'n>(names: impl Iterator<Item = &'n str>, name: &str) -> Kind {
    let (mut types, mut word, mut excel, mut powerpoint, mut count) = (false, false, false, false, 0);
    for part in names {
        count += 1;
        match part {
            "[Content_Types].xml" => types = true,
            "word/document.xml" => word = true,
            "xl/workbook.xml" => excel = true,
            "ppt/presentation.xml" => powerpoint = true,
            _ => {}
        }
    }
    if !types {
        return Kind::Zip;
    }
    if word {
        Kind::Docx
    } else if excel {
        Kind::Xlsx
    } else if powerpoint {
        Kind::Pptx
    } else {
        match crate::names::kind_of_name(name) {
            Some(claimed @ (Kind::Docx | Kind::Xlsx | Kind::Pptx)) if count < 8 => claimed,
            _ => Kind::Ooxml,
        }
    }
}

/// The entry names of the local file headers in `bytes`, in order, as far as they can be followed.
fn local_names(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = 0usize;
    let u16_at = |i: usize| bytes.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    while bytes.get(at..at + 4) == Some(b"PK\x03\x04".as_slice()) && names.len() < 64 {
        let (Some(flags), Some(name_len), Some(extra_len)) = (u16_at(at + 6), u16_at(at + 26), u16_at(at + 28)) else {
            break;
        };
        let Some(size) = bytes.get(at + 18..at + 22) else { break };
        let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]) as usize;
        let Some(name) = bytes.get(at + 30..at + 30 + name_len) else { break };
        names.push(String::from_utf8_lossy(name).into_owned());
        // With a data descriptor the size is not in the header, so the next header cannot be found.
        if flags & 0x08 != 0 {
            break;
        }
        at = at.saturating_add(30 + name_len + extra_len).saturating_add(size);
    }
    names
}

/// Reads entry `index` within the limits: its whole content, or (when `whole` is false) its first
/// bytes, read in two steps when `identified` says the first kilobyte does not tell what the entry
/// is. Returns the bytes and whether they are the whole entry.
///
/// The declared sizes are checked before anything is decompressed (a bomb is refused without
/// expanding it), and the actual output is bounded by them too, since a hostile archive can lie.
pub(crate) fn read_entry(
    package: &mut Package,
    index: usize,
    path: &str,
    whole: bool,
    identified: &dyn Fn(&[u8]) -> bool,
    work: &mut Work,
) -> Result<(Vec<u8>, bool), (Reason, String)> {
    let corrupt = |e: &dyn std::fmt::Display| (Reason::Corrupt, format!("{path}: {e}"));
    let raw = package.zip.by_index_raw(index).map_err(|e| corrupt(&e))?;
    let (size, compressed) = (raw.size(), raw.compressed_size().max(1));
    // Stored and deflated entries that are not encrypted (every part of an Office file) are read
    // straight from the bytes; anything else through the ZIP reader, with the same limits.
    let bytes = package.bytes;
    let data = raw.data_start().and_then(|start| {
        let end = start.checked_add(raw.compressed_size())?;
        bytes.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)
    });
    let direct = match (raw.encrypted(), raw.compression(), data) {
        (false, CompressionMethod::Stored, Some(data)) => Some(Source::Stored(data)),
        (false, CompressionMethod::Deflated, Some(data)) => Some(Source::Deflated(data, Inflate::new(false, 15), 0)),
        _ => None,
    };
    let crc = raw.crc32();
    drop(raw);
    let mut source = match direct {
        Some(source) => source,
        None => Source::Reader(Box::new(package.zip.by_index(index).map_err(|e| corrupt(&e))?)),
    };
    let limits = work.limits;
    if size / compressed > limits.max_ratio {
        return Err((
            Reason::LimitRatio,
            format!("{path} expands {size} bytes from {compressed} (over {} times)", limits.max_ratio),
        ));
    }
    let wanted = if whole { size } else { size.min(SNIFF_BYTES) };
    let left = work.max_expanded.saturating_sub(work.expanded);
    if wanted > left {
        return Err((
            Reason::LimitExpanded,
            format!("{path} would expand {wanted} bytes; {left} are left of {}", work.max_expanded),
        ));
    }
    // The declared size, already within the expansion budget, saves the copies of a growing buffer; a
    // lying header costs at most 16 MB of capacity that is never filled.
    let mut content = Vec::with_capacity(wanted.min(16 << 20) as usize);
    // An entry that is only identified is read in two steps: most magic numbers are in the first
    // bytes, and only what is still unknown (a disk image starts with zeros) needs the rest.
    let first = wanted.min(FIRST_BYTES);
    let read = source.read_up_to(&mut content, first as usize, crc);
    work.expanded += content.len() as u64;
    read.map_err(|e| corrupt(&e))?;
    // A ZIP is already compressed, so a ZIP inside an archive that still compresses well is made of
    // repeated data: the shape of a 42.zip-style bomb. It is not expanded, which keeps a bomb cheap to
    // refuse even when each level stays under `max_ratio`.
    let ratio = size / compressed;
    if whole && ratio > NESTED_ZIP_RATIO && content.starts_with(b"PK\x03\x04") {
        return Err((
            Reason::LimitRatio,
            format!("{path} is a ZIP that expands {ratio} times inside an archive (the shape of a zip bomb)"),
        ));
    }
    if first < wanted && (whole || !identified(&content)) {
        let before = content.len();
        let read = source.read_up_to(&mut content, wanted as usize, crc);
        work.expanded += (content.len() - before) as u64;
        read.map_err(|e| corrupt(&e))?;
    }
    let complete = content.len() as u64 == size;
    Ok((content, complete))
}

/// Where an entry's bytes come from: its stored bytes, its deflated bytes (with the inflater's state
/// and how much of them it has read), or the ZIP reader.
///
/// The inflater is zlib-rs's, reading a raw deflate stream (no zlib header) with the 32 KB window that
/// ZIP uses; the ZIP reader inflates with it too, so the module holds one inflater.
enum Source<'b, 'z> {
    Stored(&'b [u8]),
    Deflated(&'b [u8], Inflate, usize),
    Reader(Box<zip::read::ZipFile<'z, Cursor<&'b [u8]>>>),
}

impl Source<'_, '_> {
    /// Appends the entry's next bytes to `content` until it holds `total` bytes or the entry ends.
    ///
    /// As the ZIP reader does, the checksum is compared only when the entry ends before `total`
    /// (an entry shorter than its declared size), and a deflate stream cut short simply ends.
    fn read_up_to(&mut self, content: &mut Vec<u8>, total: usize, crc: u32) -> Result<(), String> {
        let ended = match self {
            Source::Reader(entry) => {
                let more = total.saturating_sub(content.len()) as u64;
                return entry.take(more).read_to_end(content).map(drop).map_err(|e| e.to_string());
            }
            Source::Stored(data) => {
                let end = total.min(data.len());
                content.extend_from_slice(&data[content.len().min(end)..end]);
                content.len() < total
            }
            Source::Deflated(data, inflater, read) => {
                // The whole output is one buffer (no 32 KB window), grown as it fills up to `total`,
                // so that a header that lies about the size costs no more memory than it delivers.
                let mut out = content.len();
                let ended = loop {
                    // The buffer's capacity was reserved for the declared size (up to 16 MB); past it,
                    // the buffer doubles.
                    let room = total.min(content.capacity().max(out.saturating_mul(2))).max(out);
                    content.resize(room, 0);
                    let (before_in, before_out) = (inflater.total_in(), inflater.total_out());
                    let status = inflater.decompress(&data[*read..], &mut content[out..room], InflateFlush::NoFlush);
                    *read += (inflater.total_in() - before_in) as usize;
                    out += (inflater.total_out() - before_out) as usize;
                    match status {
                        Ok(Status::StreamEnd) => break true,
                        // The output is full: more room up to `total`, or the rest is not wanted.
                        Ok(_) if out == room && out < total => continue,
                        Ok(_) if out == room => break false,
                        // The input ran out before the stream's end: a stream cut short ends where it is
                        // cut, as with the ZIP reader.
                        Ok(_) => break true,
                        Err(_) => {
                            content.truncate(out);
                            return Err("corrupt deflate stream".to_string());
                        }
                    }
                };
                content.truncate(out);
                ended && out < total
            }
        };
        if ended && crc32fast::hash(content) != crc {
            return Err("Invalid checksum".to_string());
        }
        Ok(())
    }
}

/// Reads an entry by name, or `None` when the package has no such part.
pub(crate) fn read_part(package: &mut Package, name: &str, facts: &mut Facts, work: &mut Work) -> Option<Vec<u8>> {
    let index = package.zip.index_for_name(name)?;
    match read_entry(package, index, name, true, &|_| true, work) {
        Ok((content, _)) => Some(content),
        Err((reason, detail)) => {
            facts.problem(name, reason, detail);
            None
        }
    }
}
