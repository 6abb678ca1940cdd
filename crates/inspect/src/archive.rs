//! ZIP archives and the OOXML packages built on them: the central directory (every entry's encryption
//! flag), and the facts of what each entry holds.

use std::io::Cursor;

use zip::ZipArchive;

use crate::unzip::{kind_of_names, read_entry, zip_kind, Package};
use crate::{inspect_at, Encrypted, EncryptionMethod, Entry, Facts, Kind, Reason, Work};

/// Whether the central directory's extra field of an entry has WinZip's AES header (0x9901).
fn has_aes_field(extra: &[u8]) -> bool {
    let mut at = 0;
    while at + 4 <= extra.len() {
        let id = u16::from_le_bytes([extra[at], extra[at + 1]]);
        let len = u16::from_le_bytes([extra[at + 2], extra[at + 3]]) as usize;
        if id == 0x9901 {
            return true;
        }
        at += 4 + len;
    }
    false
}

/// The facts of a ZIP or an OOXML package found at `depth`. The archive is opened once, for its kind
/// and its contents (parsing a central directory is a large share of the work on a bomb).
pub(crate) fn zip_inspect(bytes: &[u8], name: &str, depth: u32, work: &mut Work) -> Facts {
    let zip = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(zip) => zip,
        Err(e) => {
            let mut facts = crate::names::facts(name, bytes.len() as u64, zip_kind(bytes, name));
            facts.problem("", Reason::Corrupt, format!("the ZIP's central directory cannot be read: {e}"));
            return facts;
        }
    };
    let mut facts = crate::names::facts(name, bytes.len() as u64, kind_of_names(zip.file_names(), name));
    if depth >= work.limits.max_depth {
        facts.problem("", Reason::LimitDepth, format!("an archive nested {depth} deep is not opened"));
        return facts;
    }
    zip_facts(&mut Package { zip, bytes }, depth, &mut facts, work);
    facts
}

fn zip_facts(package: &mut Package, depth: u32, facts: &mut Facts, work: &mut Work) {
    // Every entry's flag, from the central directory: a password ZIP may encrypt only some entries.
    let zip = &mut package.zip;
    for i in 0..zip.len() {
        match zip.by_index_raw(i) {
            Ok(entry) if entry.encrypted() => {
                let aes = entry.extra_data().is_some_and(has_aes_field);
                let method = if aes { EncryptionMethod::ZipAes } else { EncryptionMethod::ZipCrypto };
                facts.encrypted.push(Encrypted { place: entry.name().to_string(), method });
            }
            Ok(_) => {}
            Err(e) => facts.problem(&format!("#{i}"), Reason::Corrupt, format!("entry {i} cannot be read: {e}")),
        }
    }
    if matches!(facts.kind, Kind::Docx | Kind::Xlsx | Kind::Pptx) {
        crate::ooxml::ooxml_facts(package, facts, work);
        return;
    }
    let zip = &mut package.zip;
    if facts.kind == Kind::Ooxml {
        return;
    }
    let total = zip.len();
    let max = work.limits.max_entries as usize;
    if total > max {
        facts.problem("", Reason::LimitEntries, format!("{total} entries; only the first {max} were read"));
    }
    for i in 0..total.min(max) {
        let Ok(raw) = package.zip.by_index_raw(i) else { continue };
        if raw.is_dir() {
            continue;
        }
        let path = raw.name().to_string();
        let (compressed_size, size, encrypted) = (raw.compressed_size(), raw.size(), raw.encrypted());
        drop(raw);
        let facts_of_entry = if encrypted {
            let mut unread = crate::names::facts(&path, size, Kind::Unread);
            unread.problem("", Reason::Encrypted, "the entry is encrypted".to_string());
            unread
        } else {
            // Entries at the depth limit are only sniffed: their kind needs their first bytes, not all of them.
            let whole = depth + 1 < work.limits.max_depth;
            let identified = |first: &[u8]| crate::sniff::kind_of(first, &path) != Kind::Unknown;
            match read_entry(package, i, &path, whole, &identified, work) {
                Ok((content, complete)) => {
                    if complete {
                        inspect_at(&content, &path, depth + 1, work)
                    } else {
                        let kind = crate::sniff::kind_of(&content, &path);
                        let mut sniffed = crate::names::facts(&path, size, kind);
                        sniffed.problem(
                            "",
                            Reason::LimitDepth,
                            format!("at depth {} only the first bytes were read", depth + 1),
                        );
                        sniffed
                    }
                }
                Err((reason, detail)) => {
                    let mut unread = crate::names::facts(&path, size, Kind::Unread);
                    unread.problem("", reason, detail);
                    unread
                }
            }
        };
        facts.entries.push(Entry { path, compressed_size, size, facts: facts_of_entry });
    }
}
