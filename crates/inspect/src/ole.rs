//! OLE compound files (legacy Office, Outlook `.msg`, `.msi`, and password-protected OOXML): the names
//! of the streams at the root, and the cheap encryption flags of legacy Word and Excel files.
//!
//! Only what those facts need of [MS-CFB] is read here: the header, the FAT, the directory, and the
//! first bytes of one stream.
//!
//! Why not the `cfb` crate, which does all of it and more: it costs about 30 KB gzipped of wasm code
//! (hash sets, UUIDs, timestamps, a writer), which would take the inspector's module (about 136 KB of
//! its 150 KB budget) over its budget, for facts that need a few stream names and two flags.
//! This reader is kept because it is small (about 200 lines, reads only), bounded and fuzzed:
//! every chain is followed at most as many steps as the file has sectors (so a cycle cannot hang it
//! and a chain never yields more bytes than the file holds), the FAT is cut at the file's sector count,
//! a directory walk visits each entry at most once, all offsets are overflow-checked (wasm32's `usize`
//! is 32 bits), and stream reads stop at 64 KB. The fuzz target `inspect` and the property test in
//! `tests/never_panics.rs` feed it arbitrary bytes behind the OLE magic and damaged real files
//! (`password.xlsx`) under every name.

use crate::{Encrypted, EncryptionMethod, Facts, Kind, Reason};

/// Bytes of a legacy stream read to find its encryption flag.
const FLAG_BYTES: usize = 64 * 1024;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const NO_STREAM: u32 = 0xFFFF_FFFF;

/// An entry of the directory: a storage (1), a stream (2) or the root (5).
#[derive(Debug)]
struct DirEntry {
    name: String,
    kind: u8,
    left: u32,
    right: u32,
    child: u32,
    start: u32,
    size: u64,
}

/// The parts of a compound file that the facts need.
#[derive(Debug)]
struct Compound<'b> {
    bytes: &'b [u8],
    sector: usize,
    fat: Vec<u32>,
    entries: Vec<DirEntry>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Sector `n` of the file (sector 0 starts after the header), with overflow-checked arithmetic since
/// wasm32's `usize` is 32 bits.
fn page(bytes: &[u8], sector: usize, n: u32) -> Option<&[u8]> {
    let start = (n as usize).checked_add(1)?.checked_mul(sector)?;
    bytes.get(start..start.checked_add(sector)?)
}

impl<'b> Compound<'b> {
    fn open(bytes: &'b [u8]) -> Result<Self, String> {
        let shift = u16_at(bytes, 0x1E).ok_or("no header")?;
        if shift != 9 && shift != 12 {
            return Err(format!("sector shift {shift} is neither 9 nor 12"));
        }
        let sector = 1usize << shift;
        let sectors = (bytes.len() / sector).saturating_sub(1);
        // The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 0x4C + i * 4)).collect();
        let mut difat = u32_at(bytes, 0x44).ok_or("no DIFAT")?;
        let mut steps = 0;
        while difat < END_OF_CHAIN - 4 && steps < sectors {
            let page = page(bytes, sector, difat).ok_or("DIFAT sector outside the file")?;
            fat_sectors.extend((0..sector / 4 - 1).filter_map(|i| u32_at(page, i * 4)));
            difat = u32_at(page, sector - 4).unwrap_or(END_OF_CHAIN);
            steps += 1;
        }
        let mut fat = Vec::new();
        for s in fat_sectors.into_iter().filter(|&s| s < END_OF_CHAIN - 4) {
            let Some(page) = page(bytes, sector, s) else { continue };
            fat.extend((0..sector / 4).filter_map(|i| u32_at(page, i * 4)));
            if fat.len() > sectors + sector {
                break;
            }
        }
        let mut file = Compound { bytes, sector, fat, entries: Vec::new() };
        let directory = file.chain(u32_at(bytes, 0x30).ok_or("no directory")?, usize::MAX);
        for page in directory.chunks_exact(128) {
            let name_len = (u16_at(page, 0x40).unwrap_or(0) as usize).min(64);
            let units = page[..name_len.saturating_sub(2)].chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]]));
            file.entries.push(DirEntry {
                name: char::decode_utf16(units).map(|c| c.unwrap_or('\u{FFFD}')).collect(),
                kind: page[0x42],
                left: u32_at(page, 0x44).unwrap_or(NO_STREAM),
                right: u32_at(page, 0x48).unwrap_or(NO_STREAM),
                child: u32_at(page, 0x4C).unwrap_or(NO_STREAM),
                start: u32_at(page, 0x74).unwrap_or(END_OF_CHAIN),
                size: u32_at(page, 0x78).unwrap_or(0) as u64,
            });
        }
        match file.entries.first() {
            Some(root) if root.kind == 5 => Ok(file),
            _ => Err("the directory has no root entry".to_string()),
        }
    }

    /// The bytes of the sector chain starting at `start`, up to `limit` bytes.
    fn chain(&self, start: u32, limit: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut at = start;
        // A chain visits each sector of the file at most once, so a cycle stops after as many steps as the
        // file has sectors, and a chain never yields more bytes than the file holds.
        let sectors = self.bytes.len() / self.sector;
        let mut steps = 0;
        while (at as usize) < self.fat.len() && steps < sectors && out.len() < limit {
            let Some(page) = page(self.bytes, self.sector, at) else { break };
            out.extend_from_slice(page);
            at = self.fat[at as usize];
            steps += 1;
        }
        out.truncate(limit);
        out
    }

    /// The names of the entries directly under the root (the directory's red-black tree, walked with a
    /// visit count so that a cycle ends).
    fn root_names(&self) -> Vec<&DirEntry> {
        let mut found = Vec::new();
        let mut stack = vec![self.entries[0].child];
        let mut visits = 0;
        while let Some(i) = stack.pop() {
            visits += 1;
            let Some(entry) = self.entries.get(i as usize) else { continue };
            if visits > self.entries.len() {
                break;
            }
            found.push(entry);
            stack.extend([entry.left, entry.right]);
        }
        found
    }

    /// The first bytes of a root stream. Streams under the cutoff (4,096 bytes) live in the mini stream.
    fn stream_start(&self, name: &str) -> Option<Vec<u8>> {
        let entry = self.root_names().into_iter().find(|e| e.kind == 2 && e.name == name)?;
        let wanted = (entry.size as usize).min(FLAG_BYTES);
        let cutoff = u32_at(self.bytes, 0x38).unwrap_or(4096) as u64;
        if entry.size >= cutoff {
            return Some(self.chain(entry.start, wanted));
        }
        let mini = 1usize << u16_at(self.bytes, 0x20).unwrap_or(6).min(12);
        let mini_stream = self.chain(self.entries[0].start, usize::MAX);
        let mini_fat: Vec<u32> = self
            .chain(u32_at(self.bytes, 0x3C)?, usize::MAX)
            .chunks_exact(4)
            .map(|p| u32::from_le_bytes([p[0], p[1], p[2], p[3]]))
            .collect();
        let mut out = Vec::new();
        let (mut at, mut steps) = (entry.start, 0);
        while (at as usize) < mini_fat.len() && steps <= mini_fat.len() && out.len() < wanted {
            let offset = (at as usize).checked_mul(mini)?;
            out.extend_from_slice(mini_stream.get(offset..offset.checked_add(mini)?)?);
            at = mini_fat[at as usize];
            steps += 1;
        }
        out.truncate(wanted);
        Some(out)
    }
}

/// The kind of an OLE compound file by the streams at its root.
pub(crate) fn ole_kind(bytes: &[u8]) -> Kind {
    let Ok(file) = Compound::open(bytes) else { return Kind::Ole };
    let names = file.root_names();
    let has = |name: &str| names.iter().any(|e| e.kind == 2 && e.name == name);
    if has("EncryptedPackage") && has("EncryptionInfo") {
        Kind::EncryptedOoxml
    } else if has("WordDocument") {
        Kind::Doc
    } else if has("Workbook") || has("Book") {
        Kind::Xls
    } else if has("PowerPoint Document") {
        Kind::Ppt
    } else if names.iter().any(|e| e.name.starts_with("__substg1.0_")) {
        Kind::Msg
    } else {
        Kind::Ole
    }
}

/// Encryption facts of an OLE file; the text of legacy formats is not extracted.
pub(crate) fn ole_facts(bytes: &[u8], facts: &mut Facts) {
    let file = match Compound::open(bytes) {
        Ok(file) => file,
        Err(e) => {
            facts.problem("", Reason::Corrupt, format!("the OLE compound file cannot be read: {e}"));
            return;
        }
    };
    let whole = |method| Encrypted { place: String::new(), method };
    match facts.kind {
        Kind::EncryptedOoxml => {
            facts.encrypted.push(whole(EncryptionMethod::Office));
            facts.problem("", Reason::Encrypted, "the document is protected by a password".to_string());
            return;
        }
        Kind::Doc => {
            // FIB: fEncrypted is bit 0 of the byte at 0x0B of the WordDocument stream ([MS-DOC] 2.5.2).
            if let Some(head) = file.stream_start("WordDocument") {
                if head.get(0x0B).is_some_and(|b| b & 0x01 != 0) {
                    facts.encrypted.push(whole(EncryptionMethod::LegacyOffice));
                }
            }
        }
        Kind::Xls => {
            let head = file.stream_start("Workbook").or_else(|| file.stream_start("Book"));
            if head.is_some_and(|head| biff_filepass(&head)) {
                facts.encrypted.push(whole(EncryptionMethod::LegacyOffice));
            }
        }
        _ => {}
    }
    if facts.kind != Kind::Ole {
        facts.problem("", Reason::Unsupported, "the text of legacy Office files is not extracted".to_string());
    }
}

/// Whether the workbook globals of a BIFF8 stream hold a FILEPASS record (0x002F), which marks a
/// password-protected `.xls`. It comes right after the first BOF record, so the first records suffice.
fn biff_filepass(stream: &[u8]) -> bool {
    let mut at = 0;
    for _ in 0..64 {
        let (Some(kind), Some(len)) = (u16_at(stream, at), u16_at(stream, at + 2)) else { return false };
        if kind == 0x002F {
            return true;
        }
        // BOUNDSHEET (0x0085) comes after FILEPASS would have.
        if kind == 0x0085 {
            return false;
        }
        at += 4 + len as usize;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_that_loops_yields_no_more_than_the_file_holds() {
        // A header and two sectors, with a FAT whose every entry points back to sector 0.
        let bytes = vec![0u8; 512 * 3];
        let file = Compound { bytes: &bytes, sector: 512, fat: vec![0; 4096], entries: Vec::new() };
        let chain = file.chain(0, usize::MAX);
        assert!(chain.len() <= bytes.len(), "{} bytes from a {}-byte file", chain.len(), bytes.len());
        assert_eq!(file.chain(0, 100).len(), 100);
    }
}
