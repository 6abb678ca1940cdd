//! OLE compound files (legacy Office, Outlook `.msg`, `.msi`, and password-protected OOXML), read with
//! `cfb` for their stream names, plus the cheap encryption flags of legacy Word and Excel files.

use std::io::{Cursor, Read};

use crate::{Encrypted, EncryptionMethod, Facts, Kind, Reason};

/// Bytes of a legacy stream read to find its encryption flag.
const FLAG_BYTES: u64 = 64 * 1024;

fn open(bytes: &[u8]) -> std::io::Result<cfb::CompoundFile<Cursor<&[u8]>>> {
    cfb::CompoundFile::open(Cursor::new(bytes))
}

/// The kind of an OLE compound file by the streams at its root.
pub(crate) fn ole_kind(bytes: &[u8]) -> Kind {
    let Ok(file) = open(bytes) else { return Kind::Ole };
    let has = |name: &str| file.is_stream(format!("/{name}"));
    if has("EncryptedPackage") && has("EncryptionInfo") {
        Kind::EncryptedOoxml
    } else if has("WordDocument") {
        Kind::Doc
    } else if has("Workbook") || has("Book") {
        Kind::Xls
    } else if has("PowerPoint Document") {
        Kind::Ppt
    } else if file.read_root_storage().any(|e| e.name().starts_with("__substg1.0_")) {
        Kind::Msg
    } else {
        Kind::Ole
    }
}

/// Encryption facts of an OLE file; the text of legacy formats is not extracted.
pub(crate) fn ole_facts(bytes: &[u8], facts: &mut Facts) {
    let mut file = match open(bytes) {
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
            if let Some(head) = stream_start(&mut file, "/WordDocument") {
                if head.get(0x0B).is_some_and(|b| b & 0x01 != 0) {
                    facts.encrypted.push(whole(EncryptionMethod::LegacyOffice));
                }
            }
        }
        Kind::Xls => {
            let name = if file.is_stream("/Workbook") { "/Workbook" } else { "/Book" };
            if let Some(head) = stream_start(&mut file, name) {
                if biff_filepass(&head) {
                    facts.encrypted.push(whole(EncryptionMethod::LegacyOffice));
                }
            }
        }
        _ => {}
    }
    if facts.kind != Kind::Ole {
        facts.problem("", Reason::Unsupported, "the text of legacy Office files is not extracted".to_string());
    }
}

fn stream_start(file: &mut cfb::CompoundFile<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let stream = file.open_stream(name).ok()?;
    let mut head = Vec::new();
    stream.take(FLAG_BYTES).read_to_end(&mut head).ok()?;
    Some(head)
}

/// Whether the workbook globals of a BIFF8 stream hold a FILEPASS record (0x002F), which marks a
/// password-protected `.xls`. It comes right after the first BOF record, so the first records suffice.
fn biff_filepass(stream: &[u8]) -> bool {
    let mut at = 0;
    for _ in 0..64 {
        let Some(header) = stream.get(at..at + 4) else { return false };
        let kind = u16::from_le_bytes([header[0], header[1]]);
        let len = u16::from_le_bytes([header[2], header[3]]) as usize;
        if kind == 0x002F {
            return true;
        }
        // BOUNDSHEET (0x0085) comes after FILEPASS would have.
        if kind == 0x0085 {
            return false;
        }
        at += 4 + len;
    }
    false
}
