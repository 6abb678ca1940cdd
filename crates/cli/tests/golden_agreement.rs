//! The add-on's dialog and the CLI show the same findings for the same mail and policy,
//! proved on every golden case of `tests/cases/` whose draft a saved mail can carry.
//!
//! For each case, the draft is written as a real message in a scratch folder, with the
//! policy, the person's own settings, the address books (one address per line, or a vCard
//! file with `FN` and `ORG` when some entries are cards) and the sent history (an mbox, one
//! message per address written to) beside it, and the built binary reviews it:
//! `misend-guard --lang L check --policy P [--user-settings U] [--contacts C] [--sent S] MAIL.eml`,
//! where `L` is the case's `lang`, or `en` as in the golden runners. The same draft, policy,
//! settings, address books and sent history go to `CheckerCore::check`, the call behind the
//! add-on's wasm.
//! The two reviews must be equal as a whole: every finding with its code, severity,
//! message, excerpts, recipients, attachments and rule id, the verdict, the recipients,
//! the groups, the attachments, the dialog plan and the diagnostics. Both must give the
//! findings and the verdict of the case's golden expectation.
//!
//! # How a draft becomes a message
//!
//! The message is written here byte by byte, so that each encoding is the one named below
//! (`mail-builder` would choose for us, and writes non-ASCII file names as RFC 2047 words
//! inside parameters rather than in RFC 2231 form).
//! - `From`, `To`, `Cc`, `Bcc`: each entry is split into its display name and address by the
//!   engine's own parser. A printable ASCII name is a quoted string; any other name is a
//!   phrase of RFC 2047 `B` encoded-words of whole characters. A non-ASCII address is written
//!   in UTF-8, as RFC 6532 lets an internationalised message carry it. An entry that is not an
//!   address (`not an address`) is written as the text itself, as a broken mail would hold it.
//!   Long lists are folded after each comma.
//! - `Subject`: as it is when it is printable ASCII with single spaces, else RFC 2047
//!   encoded-words. An empty subject is an empty `Subject:` field.
//! - The body: one `text/plain; charset=UTF-8` part, `8bit` (base64 should a line be too
//!   long for `8bit`), line ends CRLF, in three forms, each its own mail (see [`BodyForm`]):
//!   fixed lines as they are; `format=flowed; delsp=yes`, lines broken between any two
//!   characters, as Thunderbird sends Japanese text; `format=flowed` (`delsp=no`), lines broken
//!   after spaces, as Thunderbird sends other text. Flowed lines are broken past 10 characters
//!   so that the golden cases' short lines are broken too; quoted lines keep their `>` marks,
//!   and lines starting with a space, `>` or `From ` are space-stuffed (RFC 3676). A body with
//!   a line ending in a space (other than the signature separator `-- `) is written fixed only,
//!   since flowed text cannot keep that space.
//! - Attachments: `multipart/mixed` after the text part; each attachment a base64 part whose
//!   decoded content has exactly `size` bytes (`text/*` ones with ASCII content), or, for an
//!   attachment that names a real file (`"file": "attachments/customers.xlsx"`), the file's bytes
//!   (a text file's charset undeclared, as mail clients send a Shift_JIS CSV). The add-on's draft
//!   then carries `contents: {state: "inspected", facts}` from the inspector with the review's
//!   limits, as the add-on inspects the file, and the CLI must inspect the mail's part to the same
//!   facts. Each part has its type from the file name's extension, with `Content-Type: ...; name=` and
//!   `Content-Disposition: attachment; filename=` quoted when the name is printable ASCII, else
//!   in RFC 2231 form (`filename*=UTF-8''%E8%A6%8B...`), split into continuations
//!   (`filename*0*=`, `filename*1*=`, ...) past 40 bytes at any byte, as mail clients split them.
//!
//! # What is skipped, and why
//!
//! A case is skipped, by the first of these rules that applies; the test prints how many
//! were compared and skipped, and why:
//! - a recipient expanded from an address-book mailing list (`{value, list}`): a header carries
//!   the member's address but not the list it came from, so the review's `list` cannot agree.
//! - an attachment without a size (`null`): a MIME part always has a size.
//! - an attachment with `contents` given (`pending`, `failed`): the state of a caller's
//!   inspection, which a mail cannot carry.
//!
//! A case with a real file is checked by the CLI as it is, attachments inspected; a case
//! without one is about a caller that does not inspect attachments, and is checked with
//! `--no-inspect`.
//! - a recipient entry that is not exactly one mailbox (several in one entry), or that is not
//!   an address and holds characters that are header syntax (`,;:<>"()[]\@`), so that a
//!   header cannot carry it verbatim.
//!
//! Everything else (non-ASCII names and addresses, quoted names with commas and `@`,
//! duplicates across fields, 110 recipients, attachments of 10 MB and of 0 bytes, invalid
//! policies) is compared, and at least 80% of the cases must be.
//!
//! No difference is allowed for, not even those a transport could be expected to make: the
//! CLI reads To, Cc and Bcc in that order, as the add-on lists them, so the recipients'
//! indexes agree, and it rebuilds each mailbox as `"Name" <addr>`, which the engine parses to
//! the same name and address as the add-on's `Name <addr>`. The reviews must be equal.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use misend_guard_dto::{CheckerCore, ContactDto, ContextDto, DraftDto};
use misend_guard_rules::address::parse_mailboxes;
use serde_json::{json, Value};

/// At least this share of the golden cases must be compared.
const MIN_COMPARED_SHARE: f64 = 0.8;

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/cases")
}

/// A scratch folder, removed when the test ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Why a case's draft cannot be written as an .eml, or `None` when it can.
fn skip_reason(case: &Value) -> Option<String> {
    let draft = &case["draft"];
    for field in ["to", "cc", "bcc"] {
        for entry in draft[field].as_array().into_iter().flatten() {
            let Some(raw) = entry.as_str() else {
                return Some("a recipient from an address-book mailing list (`{value, list}`)".into());
            };
            if let Err(why) = header_mailbox(raw) {
                return Some(why);
            }
        }
    }
    if let Some(raw) = draft["from"].as_str() {
        if let Err(why) = header_mailbox(raw) {
            return Some(format!("the sender: {why}"));
        }
    }
    for attachment in draft["attachments"].as_array().into_iter().flatten() {
        if attachment["size"].as_u64().is_none() && attachment["file"].is_null() {
            return Some("an attachment without a size".into());
        }
        if !attachment["contents"].is_null() {
            return Some("contents the caller gives (pending, failed), which a mail cannot carry".into());
        }
    }
    None
}

/// The bytes of the real file an attachment names (`"file": "attachments/customers.xlsx"`,
/// relative to `tests/`), if it names one.
fn real_file(attachment: &Value) -> Option<Vec<u8>> {
    let file = attachment["file"].as_str()?;
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests").join(file);
    Some(fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Whether any attachment of the draft names a real file.
fn has_real_files(draft: &Value) -> bool {
    draft["attachments"].as_array().into_iter().flatten().any(|a| !a["file"].is_null())
}

/// The draft as the add-on gives it to the engine: each real file read and inspected as the add-on
/// inspects it (the inspector, with the limits of the review's `inspection` and a decoder for legacy
/// charsets as `TextDecoder` decodes them), its size the file's; no `contents` when the policy turns
/// inspection off.
fn addon_draft(draft: &Value, core: &CheckerCore) -> Value {
    let review = serde_json::to_value(core.check(&DraftDto::default(), &ContextDto::default())).unwrap();
    let inspection = &review["inspection"];
    let limits: misend_guard_inspect::Limits = serde_json::from_value(inspection["limits"].clone()).unwrap();
    let decode = |label: &str, bytes: &[u8]| {
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
        Some(encoding.decode_without_bom_handling(bytes).0.into_owned())
    };
    let mut draft = draft.clone();
    for attachment in draft.get_mut("attachments").and_then(Value::as_array_mut).into_iter().flatten() {
        let Some(bytes) = real_file(attachment) else { continue };
        let name = attachment["name"].as_str().unwrap_or_default().to_string();
        attachment["size"] = json!(bytes.len());
        if inspection["enabled"] == json!(true) {
            let facts = misend_guard_inspect::inspect_with(&bytes, &name, &limits, &decode);
            attachment["contents"] = json!({"state": "inspected", "facts": facts});
        }
        attachment.as_object_mut().unwrap().remove("file");
    }
    draft
}

// ---------------------------------------------------------------------------------------
// Writing the message

/// Characters that are syntax in an address header, where an invalid entry cannot hold them.
const HEADER_SPECIALS: &[char] = &[',', ';', ':', '<', '>', '"', '(', ')', '[', ']', '\\', '@'];

/// One recipient entry as a mailbox of an address header.
fn header_mailbox(raw: &str) -> Result<String, String> {
    let mailboxes = parse_mailboxes(raw);
    let [mailbox] = mailboxes.as_slice() else {
        return Err(format!("a recipient entry with {} mailboxes", mailboxes.len()));
    };
    if !mailbox.valid {
        let text = mailbox.address.as_str();
        let printable = text.chars().all(|c| c == ' ' || c.is_ascii_graphic());
        if !printable || text.contains(HEADER_SPECIALS) {
            return Err(format!("a recipient a header cannot carry verbatim ({raw:?})"));
        }
        return Ok(text.to_string());
    }
    if mailbox.address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("an address with spaces ({raw:?})"));
    }
    Ok(match &mailbox.name {
        None => mailbox.address.clone(),
        Some(name) if is_plain_ascii(name) => {
            format!("\"{}\" <{}>", name.replace('\\', "\\\\").replace('"', "\\\""), mailbox.address)
        }
        Some(name) => format!("{} <{}>", encoded_words(name).join("\r\n "), mailbox.address),
    })
}

/// Printable ASCII with single spaces between words: text a header can carry as it is.
fn is_plain_ascii(text: &str) -> bool {
    text.chars().all(|c| c == ' ' || c.is_ascii_graphic())
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.contains("=?")
}

/// RFC 2047 `B` encoded-words of whole characters, each at most 75 characters long.
fn encoded_words(text: &str) -> Vec<String> {
    // 75 - "=?UTF-8?B??=".len() = 63 base64 characters: 45 bytes.
    const MAX_BYTES: usize = 45;
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in text.chars() {
        if chunk.len() + c.len_utf8() > MAX_BYTES {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words
}

fn base64(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    base64_into(&mut out, bytes);
    String::from_utf8(out).unwrap()
}

fn base64_into(out: &mut Vec<u8>, bytes: &[u8]) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let digits = [n >> 18, n >> 12, n >> 6, n].map(|d| ALPHABET[(d & 63) as usize]);
        out.extend_from_slice(&digits[..=chunk.len()]);
        out.extend_from_slice(&b"=="[..3 - chunk.len()]);
    }
}

/// Base64 in lines of 76 characters, each ended by CRLF (RFC 2045 6.8).
fn base64_lines(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(57) * 78);
    for line in bytes.chunks(57) {
        base64_into(&mut out, line);
        out.extend_from_slice(b"\r\n");
    }
    String::from_utf8(out).unwrap()
}

/// An address header, folded after each comma.
fn address_header(out: &mut String, name: &str, entries: &[Value]) {
    if entries.is_empty() {
        return;
    }
    let mailboxes: Vec<String> =
        entries.iter().map(|e| header_mailbox(e.as_str().unwrap()).expect("checked by skip_reason")).collect();
    let _ = write!(out, "{name}: {}\r\n", mailboxes.join(",\r\n "));
}

/// An RFC 2231 file name parameter: quoted when printable ASCII, else UTF-8 percent-encoded,
/// in numbered continuations past 40 bytes (split at any byte, as RFC 2231 allows).
fn name_parameter(param: &str, name: &str) -> String {
    if is_plain_ascii(name) && !name.contains(['"', '\\']) {
        return format!("{param}=\"{name}\"");
    }
    let mut encoded = Vec::new();
    for &b in name.as_bytes() {
        // RFC 2231 attribute-char: what may stand unencoded.
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push((b as char).to_string());
        } else {
            encoded.push(format!("%{b:02X}"));
        }
    }
    const SEGMENT_BYTES: usize = 40;
    if name.len() <= SEGMENT_BYTES {
        return format!("{param}*=UTF-8''{}", encoded.concat());
    }
    encoded
        .chunks(SEGMENT_BYTES)
        .enumerate()
        .map(|(i, part)| match i {
            0 => format!("{param}*0*=UTF-8''{}", part.concat()),
            _ => format!("{param}*{i}*={}", part.concat()),
        })
        .collect::<Vec<_>>()
        .join(";\r\n ")
}

/// The MIME type a mail client gives a file of this name.
fn content_type(name: &str) -> &'static str {
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "txt" => "text/plain",
        "csv" => "text/csv",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The content of an attachment of `size` bytes: ASCII text for `text/*`, any bytes else.
fn content(size: usize, text: bool) -> Vec<u8> {
    let pattern: &[u8] = if text { b"Misend Guard test file. " } else { &[0, 1, 0xff, 0x80, b'\r', b'\n', 0x1b, b'A'] };
    let mut bytes = Vec::with_capacity(size);
    while bytes.len() < size {
        bytes.extend_from_slice(&pattern[..pattern.len().min(size - bytes.len())]);
    }
    bytes
}

/// How the body is written. Each case is written in every form, and each mail is compared.
#[derive(Clone, Copy, Debug)]
enum BodyForm {
    /// `8bit`, the lines as they are (base64 when a line is too long for `8bit`).
    Fixed,
    /// `format=flowed; delsp=yes` (RFC 3676): lines broken anywhere, each soft break marked
    /// by a space that readers delete. Thunderbird breaks Japanese text this way.
    FlowedDelSp,
    /// `format=flowed` (`delsp=no`): lines broken after a space, which stays in the text.
    /// Thunderbird breaks text with spaces this way.
    Flowed,
}

impl BodyForm {
    const ALL: [BodyForm; 3] = [BodyForm::Fixed, BodyForm::FlowedDelSp, BodyForm::Flowed];

    fn label(self) -> &'static str {
        match self {
            BodyForm::Fixed => "fixed",
            BodyForm::FlowedDelSp => "flowed-delsp",
            BodyForm::Flowed => "flowed",
        }
    }
}

/// Lines are wrapped past this many characters, far narrower than Thunderbird's 72 columns,
/// so that the short lines of the golden cases are wrapped too.
const FLOWED_WIDTH: usize = 10;

/// The text part of the body, or `None` when the form cannot carry the body verbatim.
fn text_part(body: &str, form: BodyForm) -> Option<String> {
    let (format, body) = match form {
        BodyForm::Fixed => ("", body.replace('\n', "\r\n")),
        BodyForm::FlowedDelSp => ("; format=flowed; delsp=yes", flowed(body, true)?),
        BodyForm::Flowed => ("; format=flowed", flowed(body, false)?),
    };
    let long_line = body.split("\r\n").any(|line| line.len() > 900);
    Some(if long_line || body.contains('\0') {
        format!(
            "Content-Type: text/plain; charset=UTF-8{format}\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
            base64_lines(body.as_bytes())
        )
    } else {
        format!("Content-Type: text/plain; charset=UTF-8{format}\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}")
    })
}

/// The body in `format=flowed` (RFC 3676), lines longer than [`FLOWED_WIDTH`] characters
/// broken into soft-broken lines. `None` when a line other than the signature separator
/// `-- ` ends with a space: flowed text has no way to keep such a space.
fn flowed(body: &str, delsp: bool) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in body.split('\n') {
        if line == "-- " {
            lines.push(line.to_string());
            continue;
        }
        if line.ends_with(' ') || line.contains('\r') {
            return None;
        }
        // Quote marks start every physical line of a quoted line; the first keeps the
        // text as written (`> text`), the others are space-stuffed after them.
        let depth = line.len() - line.trim_start_matches('>').len();
        let (quote, text) = line.split_at(depth);
        let chunks = if delsp { chunks_anywhere(text) } else { chunks_after_spaces(text) };
        let last = chunks.len() - 1;
        for (i, chunk) in chunks.iter().enumerate() {
            let soft = if i < last && delsp { " " } else { "" };
            let stuffed = match (depth, i) {
                (0, _) if chunk.starts_with([' ', '>']) || chunk.starts_with("From ") => " ",
                (0, _) | (_, 0) => "",
                _ => " ",
            };
            let physical = format!("{quote}{stuffed}{chunk}{soft}");
            if i < last && physical == "-- " {
                return None;
            }
            lines.push(physical);
        }
    }
    Some(lines.join("\r\n"))
}

/// `text` in pieces of [`FLOWED_WIDTH`] characters (at least one piece).
fn chunks_anywhere(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return vec![String::new()];
    }
    chars.chunks(FLOWED_WIDTH).map(|c| c.iter().collect()).collect()
}

/// `text` in pieces that end after a space, each past [`FLOWED_WIDTH`] characters only when
/// it has no space to break at (at least one piece).
fn chunks_after_spaces(text: &str) -> Vec<String> {
    let mut chunks = vec![String::new()];
    for word in text.split_inclusive(' ') {
        let current = chunks.last_mut().unwrap();
        // A piece of spaces only would leave a quoted line's first physical line as `> `,
        // which reads as an empty quoted line, not a soft break.
        let breakable = current.ends_with(' ') && !current.trim().is_empty();
        if breakable && current.chars().count() + word.chars().count() > FLOWED_WIDTH {
            chunks.push(word.to_string());
        } else {
            current.push_str(word);
        }
    }
    chunks
}

const BOUNDARY: &str = "------------misend-guard-golden-0123456789";

/// The attachments' MIME parts, each opened by its delimiter: the same for every body form,
/// so written once per case.
fn attachment_parts(draft: &Value) -> String {
    let mut out = String::new();
    for attachment in draft["attachments"].as_array().into_iter().flatten() {
        let name = attachment["name"].as_str().unwrap_or("");
        let ctype = content_type(name);
        let text = ctype.starts_with("text/");
        let (bytes, charset) = match real_file(attachment) {
            Some(bytes) => (bytes, ""),
            None => {
                let size = attachment["size"].as_u64().expect("checked by skip_reason") as usize;
                (content(size, text), if text { "; charset=UTF-8" } else { "" })
            }
        };
        let _ = write!(
            out,
            "\r\n--{BOUNDARY}\r\nContent-Type: {ctype}{charset};\r\n {}\r\n\
             Content-Disposition: attachment;\r\n {}\r\nContent-Transfer-Encoding: base64\r\n\r\n{}",
            name_parameter("name", name),
            name_parameter("filename", name),
            base64_lines(&bytes),
        );
    }
    out
}

/// The draft of a golden case as a sent message, its body in the given form, with the
/// attachments' parts from [`attachment_parts`]; `None` when the form cannot carry the body.
fn message(draft: &Value, form: BodyForm, attachments: &str) -> Option<Vec<u8>> {
    let list = |field: &str| draft[field].as_array().cloned().unwrap_or_default();
    let mut out = String::new();
    if let Some(from) = draft["from"].as_str() {
        let _ = write!(out, "From: {}\r\n", header_mailbox(from).unwrap());
    }
    address_header(&mut out, "To", &list("to"));
    address_header(&mut out, "Cc", &list("cc"));
    address_header(&mut out, "Bcc", &list("bcc"));
    match draft["subject"].as_str().unwrap_or("") {
        "" => out.push_str("Subject:\r\n"),
        s if is_plain_ascii(s) && s.len() < 900 => {
            let _ = write!(out, "Subject: {s}\r\n");
        }
        s => {
            let _ = write!(out, "Subject: {}\r\n", encoded_words(s).join("\r\n "));
        }
    }
    out.push_str("Date: Fri, 20 Nov 2026 10:00:00 +0900\r\n");
    out.push_str("Message-ID: <golden-agreement@corp.example>\r\n");
    out.push_str("MIME-Version: 1.0\r\n");
    let text_part = text_part(draft["body"].as_str().unwrap_or(""), form)?;
    if attachments.is_empty() {
        out.push_str(&text_part);
    } else {
        let _ = write!(out, "Content-Type: multipart/mixed;\r\n boundary=\"{BOUNDARY}\"\r\n\r\n");
        out.push_str("This is a multi-part message in MIME format.\r\n");
        let _ = write!(out, "--{BOUNDARY}\r\n{text_part}{attachments}\r\n--{BOUNDARY}--\r\n");
    }
    Some(out.into_bytes())
}

// ---------------------------------------------------------------------------------------
// Comparing

/// The address books as a file the CLI reads: one address per line when every entry is a
/// string, else a vCard file, each entry a card with its `FN`, `ORG` and `EMAIL`.
fn contacts_file(contacts: &[ContactDto], dir: &Path, stem: &str) -> (PathBuf, String) {
    if contacts.iter().all(|c| matches!(c, ContactDto::Raw(_))) {
        let lines: Vec<&str> = contacts
            .iter()
            .map(|c| match c {
                ContactDto::Raw(raw) => raw.as_str(),
                ContactDto::Card { .. } => unreachable!(),
            })
            .collect();
        return (dir.join(format!("{stem}.contacts.txt")), lines.join("\n") + "\n");
    }
    let escape = |v: &str| v.replace('\\', "\\\\").replace(',', "\\,").replace(';', "\\;");
    let mut text = String::new();
    for contact in contacts {
        let (raw, name, org) = match contact {
            ContactDto::Raw(raw) => (raw, None, None),
            ContactDto::Card { address, name, org, .. } => (address, name.as_deref(), org.as_deref()),
        };
        let mailbox = parse_mailboxes(raw).into_iter().next().expect("a contact is one mailbox");
        text.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\n");
        if let Some(name) = name.or(mailbox.name.as_deref()) {
            let _ = write!(text, "FN:{}\r\n", escape(name));
        }
        if let Some(org) = org {
            let _ = write!(text, "ORG:{}\r\n", escape(org));
        }
        let _ = write!(text, "EMAIL:{}\r\nEND:VCARD\r\n", mailbox.address);
    }
    (dir.join(format!("{stem}.contacts.vcf")), text)
}

/// The sent history as an mbox: one message per address written to (one without recipients
/// when there is none, so that the history is known and empty).
fn sent_mbox(sent: &[String]) -> String {
    let mut text = String::new();
    for address in sent {
        let _ = write!(text, "From - Mon Dec  7 10:00:00 2026\r\nTo: {address}\r\nSubject: sent\r\n\r\nbody\r\n\r\n");
    }
    if sent.is_empty() {
        text.push_str("From - Mon Dec  7 10:00:00 2026\r\nSubject: nothing\r\n\r\nbody\r\n");
    }
    text
}

/// What a golden case pins down of the findings and the verdict (as `crates/dto/tests/golden.rs`).
fn golden_part(review: &Value) -> Value {
    let findings: Vec<Value> = review["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            json!({"code": f["code"], "severity": f["severity"], "recipients": f["recipients"],
                   "attachments": f["attachments"], "ruleId": f["ruleId"]})
        })
        .collect();
    json!({"verdict": review["verdict"], "findings": findings})
}

/// Checks one case, written as one mail per body form that can carry it; returns the forms
/// compared, or how the CLI and the add-on (or the expectation) disagree.
fn compare(name: &str, case: &Value, dir: &Path) -> Result<Vec<BodyForm>, String> {
    let lang = case["lang"].as_str().unwrap_or("en");
    let draft_json = &case["draft"];
    let contacts: Vec<ContactDto> = case["context"]["contacts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| serde_json::from_value(c.clone()).expect("contacts are strings or cards"))
        .collect();
    let sent: Option<Vec<String>> = serde_json::from_value(case["context"]["sent"].clone()).expect("sent is a list");

    // The add-on: the draft as JSON, through the wasm facade's core.
    let core = CheckerCore::with_user(Ok(case["policy"].clone()), Ok(case["user"].clone()), lang);
    let draft: DraftDto = serde_json::from_value(addon_draft(draft_json, &core)).map_err(|e| format!("draft: {e}"))?;
    let context = ContextDto { contacts: contacts.clone(), sent: sent.clone() };
    let from_addon = serde_json::to_value(core.check(&draft, &context)).unwrap();

    // The CLI: the draft as saved messages, one per body form, checked in one run.
    let stem = name.trim_end_matches(".json");
    let mut mails: Vec<(BodyForm, PathBuf)> = Vec::new();
    let attachments = attachment_parts(draft_json);
    for form in BodyForm::ALL {
        if let Some(bytes) = message(draft_json, form, &attachments) {
            let mail = dir.join(format!("{stem}.{}.eml", form.label()));
            fs::write(&mail, bytes).unwrap();
            mails.push((form, mail));
        }
    }
    let mut command = Command::new(env!("CARGO_BIN_EXE_misend-guard"));
    command.args(["--lang", lang, "check"]);
    if !case["policy"].is_null() {
        let policy = dir.join(format!("{stem}.policy.json"));
        fs::write(&policy, serde_json::to_string_pretty(&case["policy"]).unwrap()).unwrap();
        command.arg("--policy").arg(&policy);
    }
    if !case["user"].is_null() {
        let user = dir.join(format!("{stem}.user.json"));
        fs::write(&user, serde_json::to_string_pretty(&case["user"]).unwrap()).unwrap();
        command.arg("--user-settings").arg(&user);
    }
    if !contacts.is_empty() {
        let (file, text) = contacts_file(&contacts, dir, stem);
        fs::write(&file, text).unwrap();
        command.arg("--contacts").arg(&file);
    }
    if let Some(sent) = &sent {
        let file = dir.join(format!("{stem}.sent.mbox"));
        fs::write(&file, sent_mbox(sent)).unwrap();
        command.arg("--sent").arg(&file);
    }
    // A case without a real file is about a caller that does not look inside attachments.
    if !has_real_files(draft_json) {
        command.arg("--no-inspect");
    }
    let out = command.args(mails.iter().map(|(_, mail)| mail)).output().expect("the binary runs");
    for (_, mail) in &mails {
        let _ = fs::remove_file(mail);
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let policy_errors = from_addon["diagnostics"].as_array().unwrap().iter().any(|d| d["level"] == "error");
    let expected_code = if policy_errors { 1 } else { 0 };
    if out.status.code() != Some(expected_code) {
        return Err(format!("exit code {:?}, expected {expected_code}: {stderr}", out.status.code()));
    }
    let printed: Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("the CLI printed no review ({e}): {stderr}"))?;
    let reviews = match printed {
        Value::Array(entries) => entries.into_iter().map(|e| e["review"].clone()).collect(),
        single => vec![single],
    };
    assert_eq!(reviews.len(), mails.len(), "{name}: one review per mail");

    let show = |v: &Value| serde_json::to_string_pretty(v).unwrap();
    let mut problems = Vec::new();
    for ((form, _), from_cli) in mails.iter().zip(&reviews) {
        let form = form.label();
        for key in [
            "verdict",
            "findings",
            "recipients",
            "groups",
            "attachments",
            "sender",
            "subject",
            "dialog",
            "degraded",
            "diagnostics",
        ] {
            if from_cli[key] != from_addon[key] {
                problems.push(format!(
                    "[{form}] {key}: CLI\n{}\nadd-on\n{}",
                    show(&from_cli[key]),
                    show(&from_addon[key])
                ));
            }
        }
        if problems.is_empty() && *from_cli != from_addon {
            problems.push(format!("[{form}] the whole review: CLI\n{}\nadd-on\n{}", show(from_cli), show(&from_addon)));
        }
        let expected = golden_part(&case["expect"]);
        if golden_part(from_cli) != expected {
            problems.push(format!(
                "[{form}] the golden expectation: CLI\n{}\nexpected\n{}",
                show(&golden_part(from_cli)),
                show(&expected)
            ));
        }
    }
    if problems.is_empty() {
        Ok(mails.into_iter().map(|(form, _)| form).collect())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn cli_and_addon_agree_on_every_golden_case_an_eml_can_carry() {
    let mut paths: Vec<PathBuf> = fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "the golden cases are missing");

    let scratch = Scratch(std::env::temp_dir().join(format!("misend-guard-golden-agreement-{}", std::process::id())));
    fs::create_dir_all(&scratch.0).unwrap();

    let mut compared = Vec::new();
    let mut mails = 0;
    let mut partly = Vec::new();
    let mut skipped: Vec<(String, String)> = Vec::new();
    let mut failures = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let case: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).expect("a golden case is JSON");
        if let Some(reason) = skip_reason(&case) {
            skipped.push((name, reason));
            continue;
        }
        match compare(&name, &case, &scratch.0) {
            Ok(forms) => {
                if forms.len() < BodyForm::ALL.len() {
                    let written: Vec<&str> = forms.iter().map(|f| f.label()).collect();
                    partly.push(format!("{name}: body written only as {}", written.join(", ")));
                }
                mails += forms.len();
                compared.push(name);
            }
            Err(e) => failures.push(format!("{name}:\n{e}")),
        }
    }

    let total = paths.len();
    println!(
        "{} of {total} golden cases compared through .eml files ({mails} mails), {} skipped:",
        compared.len() + failures.len(),
        skipped.len()
    );
    for (name, reason) in &skipped {
        println!("  skipped {name}: {reason}");
    }
    for line in &partly {
        println!("  {line} (a line ends with a space, which flowed text cannot keep)");
    }
    assert!(
        failures.is_empty(),
        "the CLI and the add-on disagree on {} case(s):\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    let share = compared.len() as f64 / total as f64;
    assert!(
        share >= MIN_COMPARED_SHARE,
        "only {} of {total} golden cases could be compared; skipped: {skipped:#?}",
        compared.len()
    );
}

/// The message writer itself: the encodings it claims, read back by the CLI as the draft,
/// in every body form.
#[test]
fn the_written_message_is_read_back_as_the_draft() {
    let draft = json!({
        "from": "山田 太郎 <yamada@corp.example>",
        "to": ["\"Sato, Jiro\" <sato@partner.example>", "not an address"],
        "cc": ["\"ｐｒｅｓｉｄｅｎｔ＠ｃｏｒｐ.example\" <boss@evil.example>"],
        "bcc": ["b@例え.JP"],
        "subject": "【社外秘】とても長い件名がここに入ります。エンコードされた語が一つに収まらない長さの件名です",
        "body": "田中様\n\n見積書を添付いたします。ご確認 ください。\n From here, >not quoted\n\
                 > 前回のメールです。よろしく  お願いします。\n>> 二重の引用です。\n>\n\n-- \n佐藤\n",
        "attachments": [
            {"name": "顧客一覧_2025年12月_最終版_確認済み.xlsx", "size": 1000},
            {"name": "memo.txt", "size": 10},
            {"name": "empty.bin", "size": 0},
            {"name": "last.pdf", "size": 1}
        ]
    });
    assert!(name_parameter("filename", "顧客一覧_2025年12月_最終版_確認済み.xlsx").contains("filename*1*="));
    let scratch = Scratch(std::env::temp_dir().join(format!("misend-guard-golden-writer-{}", std::process::id())));
    fs::create_dir_all(&scratch.0).unwrap();
    let attachments = attachment_parts(&draft);
    for form in BodyForm::ALL {
        let mail = scratch.0.join(format!("{}.eml", form.label()));
        fs::write(&mail, message(&draft, form, &attachments).expect("every form carries this body")).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_misend-guard"))
            .args(["draft", "--no-inspect"])
            .arg(&mail)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let read: Value = serde_json::from_slice(&out.stdout).unwrap();
        let form = form.label();
        assert_eq!(read["from"], "\"山田 太郎\" <yamada@corp.example>", "{form}");
        assert_eq!(read["to"], json!(["\"Sato, Jiro\" <sato@partner.example>", "not an address"]), "{form}");
        assert_eq!(read["cc"], json!(["\"ｐｒｅｓｉｄｅｎｔ＠ｃｏｒｐ.example\" <boss@evil.example>"]), "{form}");
        assert_eq!(read["bcc"], json!(["b@例え.JP"]), "{form}");
        assert_eq!(read["subject"], draft["subject"], "{form}");
        assert_eq!(read["body"], draft["body"], "{form}");
        assert_eq!(read["attachments"], draft["attachments"], "{form}");
    }
    // A line that ends with a space cannot be sent flowed; the fixed form still carries it.
    let trailing = json!({"to": ["a@x.example"], "body": "trailing \n"});
    assert!(message(&trailing, BodyForm::Fixed, "").is_some());
    assert!(message(&trailing, BodyForm::Flowed, "").is_none());
}
