//! What a file is by its bytes (magic numbers).

use crate::names::extension;
use crate::Kind;

/// The kind of `bytes` by their magic numbers. The name is used only to tell a mail from plain text
/// when the bytes look like both, and to tell an OOXML kind inside a ZIP (see `archive`).
pub(crate) fn kind_of(bytes: &[u8], name: &str) -> Kind {
    if bytes.is_empty() {
        return Kind::Empty;
    }
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"MZ") && is_pe(bytes) {
        return Kind::Exe;
    }
    if starts(b"\x7fELF") {
        return Kind::Elf;
    }
    if starts(&[0xFE, 0xED, 0xFA, 0xCE])
        || starts(&[0xFE, 0xED, 0xFA, 0xCF])
        || starts(&[0xCE, 0xFA, 0xED, 0xFE])
        || starts(&[0xCF, 0xFA, 0xED, 0xFE])
    {
        return Kind::MachO;
    }
    // A universal Mach-O binary shares CAFEBABE with Java classes; a small architecture count tells them apart.
    if starts(&[0xCA, 0xFE, 0xBA, 0xBE])
        && bytes.len() >= 8
        && u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) < 20
    {
        return Kind::MachO;
    }
    if starts(&[0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46]) {
        return Kind::Shortcut;
    }
    if is_disk_image(bytes) {
        return Kind::DiskImage;
    }
    if is_zip(bytes) {
        return crate::unzip::zip_kind(bytes, name);
    }
    if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return crate::ole::ole_kind(bytes);
    }
    if memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Kind::Pdf;
    }
    if starts(b"\x89PNG\r\n\x1a\n") || starts(&[0xFF, 0xD8, 0xFF]) || starts(b"GIF87a") || starts(b"GIF89a") {
        return Kind::Image;
    }
    if starts(b"7z\xBC\xAF\x27\x1C") {
        return Kind::SevenZip;
    }
    if starts(b"Rar!\x1A\x07") {
        return Kind::Rar;
    }
    if starts(&[0x1F, 0x8B]) {
        return Kind::Gzip;
    }
    if starts(b"MSCF\0\0\0\0") {
        return Kind::Cab;
    }
    if crate::text::looks_like_text(bytes) {
        if is_script(bytes) {
            return Kind::Script;
        }
        if is_mail(bytes, name) {
            return Kind::Eml;
        }
        return Kind::Text;
    }
    Kind::Unknown
}

/// A ZIP by its first bytes: a local header, an empty archive, or a spanned archive's marker.
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") || bytes.starts_with(b"PK\x07\x08")
}

/// `MZ` followed, at the offset stored at 0x3C, by the `PE\0\0` signature.
fn is_pe(bytes: &[u8]) -> bool {
    let Some(offset) = bytes.get(0x3C..0x40) else { return false };
    let offset = u32::from_le_bytes([offset[0], offset[1], offset[2], offset[3]]) as usize;
    offset.checked_add(4).and_then(|end| bytes.get(offset..end)) == Some(b"PE\0\0".as_slice())
}

fn is_disk_image(bytes: &[u8]) -> bool {
    // ISO 9660 and UDF volume descriptors start at sector 16 (byte 0x8000) and its neighbours.
    for at in [0x8001usize, 0x8801, 0x9001] {
        if let Some(id) = bytes.get(at..at + 5) {
            if id == b"CD001" || id == b"BEA01" || id == b"NSR02" || id == b"NSR03" {
                return true;
            }
        }
    }
    if bytes.starts_with(b"conectix") || bytes.starts_with(b"vhdxfile") {
        return true;
    }
    // A dynamic VHD has its footer at the end as well; a fixed one only there.
    if bytes.len() >= 512 && bytes[bytes.len() - 512..].starts_with(b"conectix") {
        return true;
    }
    // A FAT-formatted floppy or USB image (`.img`): the boot signature and the file system's name.
    if bytes.len() >= 512 && bytes[510] == 0x55 && bytes[511] == 0xAA {
        let fat = |at: usize| bytes.get(at..at + 3) == Some(b"FAT".as_slice());
        return fat(0x36) || fat(0x52);
    }
    false
}

/// Conservative script markers only: ordinary text mentioning code must stay text.
fn is_script(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let head_lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let trimmed = trim_bom(&head_lower);
    trimmed.starts_with(b"#!")
        || trimmed.starts_with(b"@echo off")
        || memchr::memmem::find(&head_lower, b"<hta:application").is_some()
}

fn trim_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A mail: named `.eml`, or starting with headers that only mail has.
fn is_mail(bytes: &[u8], name: &str) -> bool {
    if extension(name) == "eml" {
        return true;
    }
    let head = &bytes[..bytes.len().min(2048)];
    let starts_with_header = [&b"Received:"[..], b"Return-Path:", b"MIME-Version:", b"Delivered-To:", b"Message-ID:"]
        .iter()
        .any(|h| head.len() >= h.len() && head[..h.len()].eq_ignore_ascii_case(h));
    starts_with_header && memchr::memmem::find(head, b"\nFrom:").is_some()
}

/// `/Encrypt` used as a dictionary key (followed by a reference or a dictionary), as a trailer or a
/// cross-reference stream of an encrypted PDF has it.
pub(crate) fn pdf_encrypted(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"/Encrypt").any(|at| {
        let next = bytes.get(at + 8).copied().unwrap_or(b'x');
        next.is_ascii_whitespace() || next == b'<' || next.is_ascii_digit()
    })
}
