//! What a file's name claims it is, and whether its bytes agree.

use crate::Kind;

/// The lower-case extension of a file name (after the last dot of the last path segment).
pub(crate) fn extension(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() || !ext.is_empty() => ext.to_ascii_lowercase(),
        _ => String::new(),
    }
}

/// What a file name claims to be, by its extension.
pub(crate) fn kind_of_name(name: &str) -> Option<Kind> {
    Some(match extension(name).as_str() {
        "exe" | "dll" | "scr" | "cpl" | "sys" | "com" | "pif" | "ocx" => Kind::Exe,
        "lnk" => Kind::Shortcut,
        "iso" | "img" | "vhd" | "vhdx" | "udf" => Kind::DiskImage,
        "zip" => Kind::Zip,
        "docx" | "docm" | "dotx" | "dotm" => Kind::Docx,
        "xlsx" | "xlsm" | "xltx" | "xltm" => Kind::Xlsx,
        "pptx" | "pptm" | "potx" | "ppsx" => Kind::Pptx,
        "doc" | "dot" => Kind::Doc,
        "xls" | "xlt" => Kind::Xls,
        "ppt" | "pps" => Kind::Ppt,
        "msg" => Kind::Msg,
        "msi" => Kind::Ole,
        "pdf" => Kind::Pdf,
        "js" | "jse" | "vbs" | "vbe" | "wsf" | "wsh" | "hta" | "ps1" | "bat" | "cmd" | "sh" => Kind::Script,
        "eml" => Kind::Eml,
        "txt" | "csv" | "tsv" | "log" | "md" | "json" | "xml" | "htm" | "html" | "ini" => Kind::Text,
        "png" | "jpg" | "jpeg" | "gif" => Kind::Image,
        "7z" => Kind::SevenZip,
        "rar" => Kind::Rar,
        "gz" | "tgz" => Kind::Gzip,
        "cab" => Kind::Cab,
        _ => return None,
    })
}

/// Whether bytes of kind `actual` are what a name claiming `claimed` would hold.
/// Unknown or unread bytes are not a mismatch: they are reported as a problem instead.
pub(crate) fn compatible(claimed: Kind, actual: Kind) -> bool {
    use Kind::*;
    match actual {
        Unknown | Unread | Empty => true,
        _ => match claimed {
            Text => matches!(actual, Text | Eml | Script),
            Script => matches!(actual, Text | Script),
            Eml => matches!(actual, Eml | Text),
            Docx | Xlsx | Pptx => actual == claimed || actual == EncryptedOoxml,
            Zip => matches!(actual, Zip | Docx | Xlsx | Pptx | Ooxml),
            Doc | Xls | Ppt | Msg | Ole => matches!(actual, Doc | Xls | Ppt | Msg | Ole | EncryptedOoxml),
            _ => actual == claimed,
        },
    }
}

/// Facts about a file called `name` whose bytes are `kind`: what the name claims, and whether the two
/// clearly disagree (`invoice.pdf` that is a program).
pub(crate) fn facts(name: &str, size: u64, kind: Kind) -> crate::Facts {
    let mut facts = crate::Facts::new(name, size, kind);
    facts.name_kind = kind_of_name(name);
    facts.mismatch = facts.name_kind.is_some_and(|claimed| !compatible(claimed, kind));
    facts
}
