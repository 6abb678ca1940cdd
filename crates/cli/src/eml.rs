//! From an .eml file to the draft the add-on would give the engine.
//!
//! The add-on never parses mail: Thunderbird hands it decoded recipients, subject, body and
//! attachments. The CLI reads saved messages instead, so it decodes them with `mail-parser`
//! (with `full_encoding`, for ISO-2022-JP, Shift_JIS and EUC-JP) into the same [`DraftDto`]
//! the add-on builds, and the engine sees the same values either way.
//!
//! A saved message is read as the sender's copy: a `Bcc` header means those people were
//! recipients, so Bcc recipients are recipients.
//!
//! Recipient strings are rebuilt from the parsed addresses (`"Name" <addr>`, groups
//! flattened), so the engine's own address parser sees clean values rather than folded,
//! encoded header text.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use mail_parser::{Address, Encoding, Message, MessageParser, MessagePart, MimeHeaders, PartType};
use misend_guard_dto::{AttachmentDto, DraftDto, RecipientDto};
use misend_guard_rules::Lang;

use crate::files::{read_limited, ReadError};

/// Files larger than this are refused: a mail client's own limits are far below it,
/// and parsing keeps the decoded parts in memory.
pub const MAX_MAIL_BYTES: u64 = 50 * 1024 * 1024;

/// Why a file could not be read as a mail.
#[derive(Debug)]
pub enum MailError {
    /// The file could not be read, or is over [`MAX_MAIL_BYTES`].
    Read(ReadError),
    /// No header could be found: this is not a mail.
    NotAMessage,
    /// The mail parser failed on this file (a panic, caught so that the other files are read).
    ParserFailed(String),
}

impl MailError {
    /// One line, in the admin's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            MailError::Read(e) => e.message(lang),
            MailError::NotAMessage => lang
                .pick3(
                    "メールではありません（ヘッダーがありません）",
                    "not an e-mail message (no header found)",
                    "不是邮件（没有邮件头）",
                )
                .to_string(),
            MailError::ParserFailed(reason) => lang.pick3(
                format!("読み取れませんでした: メールの解析に失敗しました（{reason}）"),
                format!("could not be read: the mail parser failed ({reason})"),
                format!("无法读取：邮件解析失败（{reason}）"),
            ),
        }
    }
}

impl fmt::Display for MailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

/// Reads an .eml file into a draft, refusing files over [`MAX_MAIL_BYTES`].
pub fn read(path: &Path) -> Result<DraftDto, MailError> {
    read_mail(path).map(|mail| mail.draft)
}

/// A saved message: the draft the add-on would give the engine, and the bytes of each attachment's
/// file (in the draft's order), which the add-on reads with `compose.getAttachmentFile()`.
#[derive(Debug)]
pub struct Mail {
    pub draft: DraftDto,
    pub files: Vec<Vec<u8>>,
}

/// Reads an .eml file into a draft and its attachments' bytes, refusing files over [`MAX_MAIL_BYTES`].
pub fn read_mail(path: &Path) -> Result<Mail, MailError> {
    parse_mail(&read_limited(path, MAX_MAIL_BYTES).map_err(MailError::Read)?)
}

thread_local! {
    /// Whether this thread is inside [`parse`], whose panics are caught and reported as a
    /// [`MailError::ParserFailed`]; see [`quiet_caught_panics`].
    static PARSING: Cell<bool> = const { Cell::new(false) };
}

/// Parses a message into a draft.
///
/// `mail-parser` has internal assertions that some malformed messages trip (a 99-byte
/// `multipart/digest` does in a debug build). A panic while one file is parsed is caught and
/// becomes that file's error, so that it never stops the other files from being checked.
/// (A build with `panic = "abort"` cannot catch it; release builds compile those assertions out.)
pub fn parse(bytes: &[u8]) -> Result<DraftDto, MailError> {
    parse_mail(bytes).map(|mail| mail.draft)
}

/// Parses a message into a draft and its attachments' bytes, as [`parse`] does.
pub fn parse_mail(bytes: &[u8]) -> Result<Mail, MailError> {
    let was_parsing = PARSING.with(|p| p.replace(true));
    let result = std::panic::catch_unwind(|| parse_unguarded(bytes));
    PARSING.with(|p| p.set(was_parsing));
    result.unwrap_or_else(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string());
        Err(MailError::ParserFailed(reason))
    })
}

/// Keeps the panic message of a mail that [`parse`] reports as unreadable off standard error,
/// where it would read as a crash of the whole command; every other panic is printed as before.
pub fn quiet_caught_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !PARSING.with(Cell::get) {
            previous(info);
        }
    }));
}

fn parse_unguarded(bytes: &[u8]) -> Result<Mail, MailError> {
    // Some Windows tools save a byte order mark, which would hide the first header.
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let transcoded = {
        let message = MessageParser::default().parse(bytes).ok_or(MailError::NotAMessage)?;
        raw_headers::transcode(bytes, &message)
    };
    let bytes = transcoded.as_deref().unwrap_or(bytes);
    let message = MessageParser::default().parse(bytes).ok_or(MailError::NotAMessage)?;
    if !message.headers().iter().any(|h| is_real_header(h, bytes)) {
        return Err(MailError::NotAMessage);
    }
    let (attachments, files) = attachments(&message).into_iter().unzip();
    let draft = DraftDto {
        from: message.from().and_then(|a| a.iter().find_map(mailbox)),
        to: recipients(message.all_to()),
        cc: recipients(message.all_cc()),
        bcc: recipients(message.all_bcc()),
        subject: message.subject().unwrap_or_default().to_string(),
        body: body(&message),
        attachments,
    };
    Ok(Mail { draft, files })
}

/// Whether a header is one: a field name of printable ASCII followed by a colon (RFC 5322 2.2).
/// `mail-parser` does its best with anything, and makes a "header" of binary junk too.
fn is_real_header(header: &mail_parser::Header<'_>, raw: &[u8]) -> bool {
    let name = header.name();
    let field = raw.get(header.offset_field() as usize..header.offset_start() as usize).unwrap_or_default();
    !name.is_empty() && name.bytes().all(|b| (33..=126).contains(&b) && b != b':') && field.contains(&b':')
}

fn recipients<'a, 'x: 'a>(headers: impl Iterator<Item = &'a Address<'x>>) -> Vec<RecipientDto> {
    headers.flat_map(|a| a.iter()).filter_map(mailbox).map(RecipientDto::Plain).collect()
}

/// One mailbox as Thunderbird would give it: `"Name" <addr>`, or the bare address.
/// A name without an address is kept as it is, so that the engine lists it as invalid
/// instead of the recipient silently disappearing.
fn mailbox(addr: &mail_parser::Addr<'_>) -> Option<String> {
    let clean = |s: &str| -> Option<String> {
        let s: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    let name = addr.name().and_then(clean);
    let address = addr.address().and_then(clean);
    match (name, address) {
        (Some(name), Some(address)) => {
            let name = name.replace('\\', "\\\\").replace('"', "\\\"");
            Some(format!("\"{name}\" <{address}>"))
        }
        (None, Some(address)) => Some(address),
        (Some(name), None) => Some(name),
        (None, None) => None,
    }
}

/// Every text body, HTML ones converted to text, in order, with `\n` line ends as
/// Thunderbird gives the add-on the body of a compose window.
///
/// A `format=flowed` text (RFC 3676, what Thunderbird sends plain text as) is joined back
/// into the lines that were typed: otherwise a phrase, a card number or a keyword that the
/// sender's client wrapped would be split in two, and the CLI would miss what the dialog shows.
fn body(message: &Message<'_>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for i in 0..message.text_body_count() {
        if let Some(text) = message.body_text(i) {
            let text = text.replace("\r\n", "\n");
            let flowed = message.text_part(i as u32).and_then(flowed::format);
            parts.push(match flowed {
                Some(delsp) => flowed::unflow(&text, delsp),
                None => text,
            });
        }
    }
    parts.join("\n")
}

mod raw_headers {
    //! Header values written in raw 8-bit bytes of a legacy charset, without RFC 2047
    //! encoding, as old Japanese mail software and some scripts send them
    //! (`Subject: ` followed by Shift_JIS bytes). `mail-parser` reads header bytes as UTF-8,
    //! so such a subject came out as replacement characters and a keyword in it was missed.
    //!
    //! Mail clients read these bytes in the message's own charset (the `charset` of its
    //! text body) and otherwise guess. The same is done here: each header whose bytes are
    //! not UTF-8 is decoded in the body's charset when that charset can hold 8-bit bytes and
    //! decodes them without error, else in the charset `chardetng` (Firefox's detector)
    //! finds for all such bytes of the mail, with Japanese charsets favoured, as a client
    //! set up for Japanese does. The headers are rewritten as UTF-8 and the mail is parsed
    //! again, so that every later step (addresses, names, file names) reads them decoded.

    use mail_parser::{Message, MimeHeaders};

    /// The mail with its raw 8-bit non-UTF-8 header values decoded to UTF-8, or `None`
    /// when it has none.
    pub fn transcode(raw: &[u8], message: &Message<'_>) -> Option<Vec<u8>> {
        let mut ranges: Vec<(usize, usize)> = message
            .parts
            .iter()
            .flat_map(|part| &part.headers)
            .map(|h| (h.offset_start() as usize, h.offset_end() as usize))
            .filter(|&(start, end)| {
                raw.get(start..end).is_some_and(|value| !value.is_ascii() && std::str::from_utf8(value).is_err())
            })
            .collect();
        if ranges.is_empty() {
            return None;
        }
        ranges.sort_unstable();
        ranges.dedup();
        let values: Vec<&[u8]> = ranges.iter().map(|&(start, end)| &raw[start..end]).collect();
        let encoding = declared(message, &values).unwrap_or_else(|| detected(&values));
        let mut out = Vec::with_capacity(raw.len() + raw.len() / 2);
        let mut at = 0;
        for &(start, end) in &ranges {
            // Overlapping ranges cannot come from one parse; skipping them keeps the bytes whole.
            if start < at {
                continue;
            }
            out.extend_from_slice(&raw[at..start]);
            out.extend_from_slice(encoding.decode_without_bom_handling(&raw[start..end]).0.as_bytes());
            at = end;
        }
        out.extend_from_slice(&raw[at..]);
        Some(out)
    }

    /// The charset of the mail's text body, when it reads every value without error.
    fn declared(message: &Message<'_>, values: &[&[u8]]) -> Option<&'static encoding_rs::Encoding> {
        let part = message.text_part(0).or_else(|| message.html_part(0))?;
        let label = part.content_type()?.attribute("charset")?;
        let encoding = encoding_rs::Encoding::for_label(label.trim().as_bytes())?;
        // A 7-bit charset (ISO-2022-JP) or UTF-8 cannot be what these bytes are in.
        let eight_bit = encoding != encoding_rs::UTF_8
            && encoding != encoding_rs::ISO_2022_JP
            && encoding != encoding_rs::REPLACEMENT
            && encoding.output_encoding() == encoding;
        let clean = values.iter().all(|v| encoding.decode_without_bom_handling_and_without_replacement(v).is_some());
        (eight_bit && clean).then_some(encoding)
    }

    /// The charset `chardetng` finds for the values, Japanese favoured.
    fn detected(values: &[&[u8]]) -> &'static encoding_rs::Encoding {
        let mut detector = chardetng::EncodingDetector::new();
        for value in values {
            detector.feed(value, false);
            detector.feed(b" ", false);
        }
        detector.feed(b"", true);
        detector.guess(Some(b"jp"), false)
    }
}

mod flowed {
    //! `format=flowed` text (RFC 3676): long lines are sent as several, each but the last
    //! ending with a space (a soft break). With `delsp=yes`, that space is not part of the
    //! text (Thunderbird breaks Japanese text anywhere this way); without it, it is.
    //! Lines that start with a space, `>` or `From ` are sent with one more space in front
    //! (space-stuffing); quoted lines start with their quote marks, `>` once per level.

    use mail_parser::{MessagePart, MimeHeaders};

    /// `Some(delsp)` when the part is `text/plain; format=flowed`.
    pub fn format(part: &MessagePart<'_>) -> Option<bool> {
        let ct = part.content_type()?;
        let is = |value: Option<&str>, expected: &str| value.is_some_and(|v| v.trim().eq_ignore_ascii_case(expected));
        let plain = is(Some(ct.ctype()), "text") && ct.subtype().is_none_or(|s| s.eq_ignore_ascii_case("plain"));
        (plain && is(ct.attribute("format"), "flowed")).then(|| is(ct.attribute("delsp"), "yes"))
    }

    /// The text as typed: soft-broken lines joined, space-stuffing removed (RFC 3676 4.1-4.5).
    /// Quoted lines keep their quote marks as written (`> text`), as a compose window shows them.
    pub fn unflow(text: &str, delsp: bool) -> String {
        let mut lines: Vec<String> = Vec::new();
        // The line being joined, with its quote depth, while its last physical line was soft.
        let mut open: Option<(usize, String)> = None;
        // A final line end ends the last line; it does not start an empty one.
        let (text, final_newline) = text.strip_suffix('\n').map_or((text, false), |t| (t, true));
        for physical in text.split('\n') {
            let depth = physical.len() - physical.trim_start_matches('>').len();
            let content = &physical[depth..];
            let unstuffed = content.strip_prefix(' ').unwrap_or(content);
            // The signature separator ends with a space but is never soft.
            let soft = unstuffed.ends_with(' ') && unstuffed != "-- ";
            let start = || if depth == 0 { unstuffed.to_string() } else { physical.to_string() };
            let mut line = match open.take() {
                Some((open_depth, mut line)) if open_depth == depth => {
                    line.push_str(unstuffed);
                    line
                }
                // A soft break before a line of another quote depth ends the line (4.5).
                Some((_, line)) => {
                    lines.push(line);
                    start()
                }
                None => start(),
            };
            if soft {
                if delsp {
                    line.pop();
                }
                open = Some((depth, line));
            } else {
                lines.push(line);
            }
        }
        lines.extend(open.map(|(_, line)| line));
        let mut out = lines.join("\n");
        if final_newline {
            out.push('\n');
        }
        out
    }

    #[cfg(test)]
    mod tests {
        use super::unflow;

        #[test]
        fn soft_breaks_are_joined() {
            // delsp=no: the space before a soft break is part of the text.
            assert_eq!(
                unflow("Please find \nattached the \nquotation.\n\nBest regards,\n", false),
                "Please find attached the quotation.\n\nBest regards,\n"
            );
            // delsp=yes: it is not (Japanese text broken between any two characters).
            assert_eq!(unflow("見積書を添付 \nいたします。\n", true), "見積書を添付いたします。\n");
            assert_eq!(unflow("Card: 4111-11 \n11-1111-1111\n", true), "Card: 4111-1111-1111-1111\n");
        }

        #[test]
        fn stuffing_quotes_and_signatures() {
            // Space-stuffed lines lose one space; "From " lines were stuffed for mbox.
            assert_eq!(
                unflow(" From here\n  indented\n >not a quote\n", false),
                "From here\n indented\n>not a quote\n"
            );
            // Quoted lines keep their marks; their continuations are joined without them.
            assert_eq!(
                unflow("> 見積書を \n> お送りします。\n>> 前回 \n>> の件\n>\n", true),
                "> 見積書をお送りします。\n>> 前回の件\n>\n"
            );
            // A soft line before another quote depth ends there.
            assert_eq!(unflow("> quoted \nreply\n", false), "> quoted \nreply\n");
            // The signature separator is not a soft break; "> " is an empty quoted line.
            assert_eq!(unflow("Thanks\n-- \nSato\n", false), "Thanks\n-- \nSato\n");
            assert_eq!(unflow("> \n> text\n", false), "> \n> text\n");
            // A soft break at the very end keeps the text.
            assert_eq!(unflow("end \n", true), "end\n");
            assert_eq!(unflow("", true), "");
        }
    }
}

/// Every part of the mail that is not its body, each an attachment for the checks.
///
/// The body is the text `mail-parser` reads as the message's text (see [`body`]): text parts
/// without a file name that it places in the text or HTML body. Every other leaf part is
/// listed, whatever its headers say: an unnamed part with a `Content-ID` or an `inline`
/// disposition may be an image embedded in an HTML body, but it may as well be a program or
/// an archive, and a part that is dropped here is a part no check sees. Such a part is named
/// by its type and marked inline (`(inline image/png).png`), so the admin sees what it is.
/// A nested message counts as one attachment.
/// Each comes with the bytes of its file, whose length is its size.
fn attachments(message: &Message<'_>) -> Vec<(AttachmentDto, Vec<u8>)> {
    let body: HashSet<u32> = message.text_body.iter().chain(&message.html_body).copied().collect();
    let mut out = Vec::new();
    for (index, part) in message.parts.iter().enumerate() {
        if matches!(part.body, PartType::Multipart(_)) {
            continue;
        }
        let continued = continued_name(part, message.raw_message());
        let name = continued.as_deref().or(part.attachment_name()).map(str::trim).filter(|n| !n.is_empty());
        let text = matches!(part.body, PartType::Text(_) | PartType::Html(_));
        let declared_attachment = part.content_disposition().is_some_and(|d| d.is_attachment());
        if text && name.is_none() && !declared_attachment && body.contains(&(index as u32)) {
            continue;
        }
        let nested = matches!(part.body, PartType::Message(_)) || part.is_content_type("message", "rfc822");
        let name = match name {
            Some(name) => name.to_string(),
            None if nested => nested_name(part),
            None => unnamed(part),
        };
        let file = file(part, message.raw_message());
        out.push((AttachmentDto { name, size: Some(file.len() as f64), contents: None }, file));
    }
    out
}

/// The file name of a part whose name is split into RFC 2231 continuations
/// (`filename*0*=UTF-8''%E9%A1%A7%E5; filename*1*=%AE%A2...`), decoded from the raw header.
///
/// `mail-parser` 0.11 decodes each segment on its own, so a character whose bytes are split
/// between two segments (as Thunderbird and Outlook split long names) comes out as U+FFFD.
/// RFC 2231 section 4.1 says the segments are joined first, then decoded, as done here.
fn continued_name(part: &MessagePart<'_>, raw: &[u8]) -> Option<String> {
    use mail_parser::HeaderName;
    for (header_name, param) in [(HeaderName::ContentDisposition, "filename"), (HeaderName::ContentType, "name")] {
        let Some(header) = part.headers.iter().find(|h| h.name == header_name) else { continue };
        let value = raw.get(header.offset_start() as usize..header.offset_end() as usize)?;
        if let Some(name) = rfc2231::join(&String::from_utf8_lossy(value), param) {
            return Some(name);
        }
    }
    None
}

/// A forwarded message without a file name is named after its subject, as Thunderbird does.
fn nested_name(part: &MessagePart<'_>) -> String {
    let subject = part.message().and_then(|m| m.subject()).map(str::trim).filter(|s| !s.is_empty());
    format!("{}.eml", subject.unwrap_or("message"))
}

/// A part without a name is named by its type, with the extension that type has, so that
/// the user still sees it and a blocked type is found without a name: `(application/zip).zip`.
/// A part embedded in the text (`inline`, or referred to by `Content-ID`) says so.
fn unnamed(part: &MessagePart<'_>) -> String {
    let inline = matches!(part.body, PartType::InlineBinary(_))
        || part.content_id().is_some()
        || part.content_disposition().is_some_and(|d| d.is_inline());
    let (ctype, subtype) = match part.content_type() {
        Some(ct) => (ct.ctype().trim().to_ascii_lowercase(), ct.subtype().unwrap_or("*").trim().to_ascii_lowercase()),
        None => ("application".to_string(), "octet-stream".to_string()),
    };
    let marker = if inline { "inline " } else { "" };
    match extension_of(&ctype, &subtype) {
        Some(extension) => format!("({marker}{ctype}/{subtype}).{extension}"),
        None => format!("({marker}{ctype}/{subtype})"),
    }
}

/// The usual file extension of a type: the one named like its subtype when there is one
/// (`image/jpeg` is `.jpeg`), else the first the type registry gives. `application/octet-stream`
/// says only "bytes", so it has none.
fn extension_of(ctype: &str, subtype: &str) -> Option<&'static str> {
    let plain = |s: &str| !s.is_empty() && s != "*" && s.bytes().all(|b| b.is_ascii_graphic() && b != b'/');
    if !plain(ctype) || !plain(subtype) || (ctype, subtype) == ("application", "octet-stream") {
        return None;
    }
    let extensions = mime_guess::get_extensions(ctype, subtype)?;
    extensions.iter().find(|e| e.eq_ignore_ascii_case(subtype)).or(extensions.first()).copied()
}

/// The bytes of the file the recipient will save: the part's body with its transfer encoding undone.
fn file(part: &MessagePart<'_>, raw: &[u8]) -> Vec<u8> {
    match &part.body {
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => bytes.to_vec(),
        // A nested message sent as is (7bit/8bit) is the raw text between its boundaries;
        // `mail-parser` keeps the whole outer message as its raw bytes, so use the offsets.
        PartType::Message(_) if part.encoding == Encoding::None => {
            let end = (part.offset_end as usize).min(raw.len());
            raw.get(part.offset_body as usize..end).unwrap_or_default().to_vec()
        }
        PartType::Message(message) => message.raw_message().to_vec(),
        // Text is decoded to UTF-8 by `mail-parser`, but the file is in its own charset, which may not
        // be the one declared: a base64 or quoted-printable part is decoded from its raw bytes.
        PartType::Text(text) | PartType::Html(text) => {
            let body = raw.get(part.offset_body as usize..(part.offset_end as usize).min(raw.len()));
            let decoded = match (part.encoding, body) {
                (Encoding::Base64, Some(body)) => mail_parser::decoders::base64::base64_decode(body),
                (Encoding::QuotedPrintable, Some(body)) => {
                    mail_parser::decoders::quoted_printable::quoted_printable_decode(body)
                }
                _ => None,
            };
            decoded.unwrap_or_else(|| {
                let charset = part.content_type().and_then(|ct| ct.attribute("charset"));
                match charset.and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes())) {
                    Some(encoding) if encoding != encoding_rs::UTF_8 => encoding.encode(text).0.into_owned(),
                    _ => text.as_bytes().to_vec(),
                }
            })
        }
        PartType::Multipart(_) => Vec::new(),
    }
}

mod rfc2231 {
    //! RFC 2231 parameter continuations, joined before they are decoded (see `continued_name`).

    /// The value of `param` when it is split into numbered segments, joined then decoded.
    /// `None` when the parameter has no numbered segments.
    pub fn join(header_value: &str, param: &str) -> Option<String> {
        let mut segments: Vec<(u32, bool, String)> = Vec::new();
        for item in split_params(header_value) {
            let Some((key, value)) = item.split_once('=') else { continue };
            let key = key.trim().to_ascii_lowercase();
            let Some(rest) = key.strip_prefix(param).and_then(|r| r.strip_prefix('*')) else { continue };
            let (number, encoded) = match rest.strip_suffix('*') {
                Some(n) => (n, true),
                None => (rest, false),
            };
            let Ok(number) = number.parse::<u32>() else { continue };
            segments.push((number, encoded, unquote(value.trim())));
        }
        if segments.is_empty() {
            return None;
        }
        segments.sort_by_key(|(n, _, _)| *n);
        let mut charset = String::new();
        let mut bytes = Vec::new();
        for (number, encoded, value) in &segments {
            if !*encoded {
                bytes.extend_from_slice(value.as_bytes());
                continue;
            }
            let mut value = value.as_str();
            if *number == 0 {
                // `charset'language'value`
                let mut parts = value.splitn(3, '\'');
                if let (Some(cs), Some(_), Some(rest)) = (parts.next(), parts.next(), parts.next()) {
                    charset = cs.to_string();
                    value = rest;
                }
            }
            percent_decode(value, &mut bytes);
        }
        let encoding = encoding_rs::Encoding::for_label(charset.trim().as_bytes()).unwrap_or(encoding_rs::UTF_8);
        Some(encoding.decode_without_bom_handling(&bytes).0.into_owned())
    }

    /// Splits `type; a=1; b="x;y"` at the semicolons outside quotes, folding removed.
    fn split_params(value: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut current = String::new();
        let mut quoted = false;
        let mut escaped = false;
        for c in value.chars() {
            match c {
                _ if escaped => {
                    current.push(c);
                    escaped = false;
                }
                '\\' if quoted => {
                    current.push(c);
                    escaped = true;
                }
                '"' => {
                    current.push(c);
                    quoted = !quoted;
                }
                ';' if !quoted => out.push(std::mem::take(&mut current)),
                '\r' | '\n' => {}
                _ => current.push(c),
            }
        }
        out.push(current);
        out
    }

    fn unquote(value: &str) -> String {
        match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(inner) => {
                let mut out = String::new();
                let mut chars = inner.chars();
                while let Some(c) = chars.next() {
                    out.push(if c == '\\' { chars.next().unwrap_or(c) } else { c });
                }
                out
            }
            None => value.to_string(),
        }
    }

    fn percent_decode(value: &str, out: &mut Vec<u8>) {
        let bytes = value.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
                (b'%', Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                }
                (b, _, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
    }

    #[cfg(test)]
    mod tests {
        fn check(value: &str, expected: Option<&str>) {
            assert_eq!(super::join(value, "filename").as_deref(), expected, "joining {value:?}");
        }

        #[test]
        fn continuations() {
            // "顧" is E9 A1 A7: its bytes are split between the two segments.
            check(" attachment;\r\n filename*0*=UTF-8''%E9%A1;\r\n filename*1*=%A7.txt", Some("顧.txt"));
            check("attachment; filename*1=\"b.txt\"; filename*0=\"a\"", Some("ab.txt"));
            check("attachment; filename*0*=ISO-2022-JP'ja'%1B%24B%3CR%1B%28B; filename*1=.doc", Some("社.doc"));
            check("attachment; filename=\"plain.txt\"", None);
            check("attachment; filename*=UTF-8''%E9%A1%A7", None);
            check("attachment; x=\"filename*0=no\"", None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, expected: &[(&str, usize)]) {
        let draft = parse(raw.as_bytes()).unwrap();
        let got: Vec<(String, usize)> =
            draft.attachments.iter().map(|a| (a.name.clone(), a.size.unwrap() as usize)).collect();
        let expected: Vec<(String, usize)> = expected.iter().map(|(n, s)| (n.to_string(), *s)).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn embedded_images_are_attachments_marked_inline() {
        check(
            "From: a@x.example\r\nContent-Type: multipart/related; boundary=b\r\n\r\n\
             --b\r\nContent-Type: text/html\r\n\r\n<img src=\"cid:i\">\r\n\
             --b\r\nContent-Type: image/png\r\nContent-ID: <i>\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n\
             --b\r\nContent-Type: image/png; name=\"logo.png\"\r\nContent-ID: <j>\r\nContent-Transfer-Encoding: base64\r\n\r\nAAAA\r\n\
             --b--\r\n",
            &[("(inline image/png).png", 3), ("logo.png", 3)],
        );
    }

    #[test]
    fn unnamed_inline_parts_are_never_dropped() {
        // An unnamed archive or program with an inline disposition or a Content-ID was taken
        // for an embedded image, so the mail had no attachment at all (issue #11).
        check(
            "From: a@x.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nsee the file\r\n\
             --b\r\nContent-Type: application/zip\r\nContent-Disposition: inline\r\n\
             Content-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n\
             --b\r\nContent-Type: application/x-msdownload\r\nContent-ID: <x>\r\n\
             Content-Transfer-Encoding: base64\r\n\r\nTVqQAA==\r\n\
             --b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: inline\r\n\r\n12345\r\n\
             --b--\r\n",
            &[
                ("(inline application/zip).zip", 4),
                ("(inline application/x-msdownload).bat", 4),
                ("(inline application/octet-stream)", 5),
            ],
        );
        // A single-part mail that is only a program is an attachment, not a body.
        check(
            "From: a@x.example\r\nContent-Type: application/x-msdownload\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAA==\r\n",
            &[("(application/x-msdownload).bat", 4)],
        );
    }

    #[test]
    fn named_text_parts_are_attachments_even_when_shown_inline() {
        // mail-parser reads an inline text part as more body text; its file name makes it a file too.
        let raw = "From: a@x.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
             --b\r\nContent-Type: text/plain\r\nContent-Disposition: inline; filename=\"secret.txt\"\r\n\r\nsecret\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nmore text\r\n\
             --b--\r\n";
        check(raw, &[("secret.txt", 6)]);
        let body = parse(raw.as_bytes()).unwrap().body;
        assert!(body.contains("hello") && body.contains("more text"), "{body:?}");
        // A multipart/alternative body is one body, with no attachment.
        check(
            "From: a@x.example\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
             --b\r\nContent-Type: text/html\r\n\r\n<p>hello</p>\r\n\
             --b--\r\n",
            &[],
        );
    }

    #[test]
    fn unnamed_parts_are_shown_by_type() {
        check(
            "From: a@x.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
             --b\r\nContent-Type: application/octet-stream\r\n\r\n12345\r\n\
             --b--\r\n",
            &[("(application/octet-stream)", 5)],
        );
    }

    #[test]
    fn text_attachments_are_measured_in_their_charset() {
        // "日本" is 4 bytes in Shift_JIS, 6 in UTF-8.
        check(
            "From: a@x.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
             --b\r\nContent-Type: text/plain\r\n\r\nhello\r\n\
             --b\r\nContent-Type: text/csv; charset=shift_jis; name=a.csv\r\nContent-Disposition: attachment\r\n\
             Content-Transfer-Encoding: base64\r\n\r\nk/qWew==\r\n\
             --b--\r\n",
            &[("a.csv", 4)],
        );
    }

    #[test]
    fn not_a_message() {
        assert!(matches!(parse(b""), Err(MailError::NotAMessage)));
        assert!(matches!(parse(b"\r\n\r\njust text"), Err(MailError::NotAMessage)));
        assert!(matches!(parse(&[0xff, 0xfe, 0, 1, 2]), Err(MailError::NotAMessage)));
        assert!(matches!(parse(b"hello world\nthis is a note"), Err(MailError::NotAMessage)));
        assert!(parse(b"Subject: only a subject\n").is_ok());
    }

    #[test]
    fn byte_order_mark_and_mbox_separator_do_not_hide_headers() {
        let bom = parse(b"\xef\xbb\xbfFrom: a@corp.example\r\nSubject: s\r\n\r\nbody\r\n").unwrap();
        assert_eq!(bom.from.as_deref(), Some("a@corp.example"));
        let mbox =
            parse(b"From a@corp.example Mon Dec  1 10:00:00 2025\nFrom: a@corp.example\nTo: b@x.example\n\nbody\n")
                .unwrap();
        assert_eq!((mbox.from.as_deref(), mbox.to.len()), (Some("a@corp.example"), 1));
    }

    /// A mail whose From name, Subject and attachment name are raw bytes of `encoding`.
    fn raw_8bit(encoding: &'static encoding_rs::Encoding, body_charset: &str) -> Vec<u8> {
        let raw = |s: &str| encoding.encode(s).0.into_owned();
        [
            b"From: ".to_vec(),
            raw("山田 太郎"),
            b" <taro@corp.example>\r\nTo: b@x.example\r\nSubject: ".to_vec(),
            raw("【社外秘】見積書の件"),
            format!("\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain{body_charset}\r\n\r\nhello\r\n")
                .into_bytes(),
            b"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"".to_vec(),
            raw("見積書.pdf"),
            b"\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n".to_vec(),
        ]
        .concat()
    }

    #[test]
    fn raw_8bit_japanese_headers_are_read_in_their_charset() {
        // Without RFC 2047, the bytes were read as UTF-8 and the subject came out as U+FFFD,
        // so a keyword rule on the subject missed it (issue #11).
        for (encoding, body_charset) in [
            (encoding_rs::SHIFT_JIS, "; charset=Shift_JIS"),
            (encoding_rs::EUC_JP, "; charset=EUC-JP"),
            // No charset to go by, or one that cannot be these bytes: they are detected.
            (encoding_rs::SHIFT_JIS, ""),
            (encoding_rs::EUC_JP, ""),
            (encoding_rs::SHIFT_JIS, "; charset=ISO-2022-JP"),
            (encoding_rs::EUC_JP, "; charset=Shift_JIS"),
        ] {
            let draft = parse(&raw_8bit(encoding, body_charset)).unwrap();
            let what = format!("{} with body{body_charset}", encoding.name());
            assert_eq!(draft.subject, "【社外秘】見積書の件", "{what}");
            assert_eq!(draft.from.as_deref(), Some("\"山田 太郎\" <taro@corp.example>"), "{what}");
            assert_eq!(draft.attachments.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["見積書.pdf"], "{what}");
            assert_eq!(draft.body, "hello", "{what}");
        }
        // UTF-8 headers (RFC 6532) and Latin-1 ones are read as they are.
        let utf8 = parse("Subject: 【社外秘】\r\n\r\nbody\r\n".as_bytes()).unwrap();
        assert_eq!(utf8.subject, "【社外秘】");
        let latin1 =
            parse(b"Subject: Caf\xe9 cr\xe8me\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nbody\r\n")
                .unwrap();
        assert_eq!(latin1.subject, "Café crème");
    }

    /// A 99-byte digest on which an assertion of mail-parser 0.11 fails in a debug build.
    pub const PANICKING_DIGEST: &[u8] = b"Content-Type: multipart/digest; boundary=a\r\n\r\n--a\r\n\r\n\
        Content-Type: message/rfc822\r\n\r\n--a\r\n\r\n--a--\r\n";

    #[test]
    fn a_parser_panic_is_this_mails_error() {
        // A debug build (the one `cargo run` makes) must report the file, not stop.
        match parse(PANICKING_DIGEST) {
            Err(MailError::ParserFailed(reason)) => {
                assert_eq!(reason, "Invalid part ID, could not find multipart.");
                assert_eq!(
                    MailError::ParserFailed(reason).message(Lang::En),
                    "could not be read: the mail parser failed (Invalid part ID, could not find multipart.)"
                );
            }
            // Release builds compile the assertion out and read what they can.
            other => {
                let debug = cfg!(debug_assertions);
                assert!(!debug, "{other:?}");
            }
        }
        // The thread is no longer marked as parsing: a later panic is printed as usual.
        assert!(!PARSING.with(Cell::get));
    }

    #[test]
    fn names_are_quoted_and_addresses_kept() {
        let draft = parse(
            "From: =?UTF-8?B?5bGx55Sw?= <y@corp.example>\r\n\
             To: \"Sato, Jiro\" <j@x.example>, team: a@y.example, \"Q\\\"t\" <q@z.example>;, broken\r\n\
             Subject: s\r\n\r\nbody\r\n"
                .as_bytes(),
        )
        .unwrap();
        let to: Vec<String> = draft
            .to
            .iter()
            .map(|r| match r {
                RecipientDto::Plain(s) => s.clone(),
                RecipientDto::FromList { value, .. } => value.clone(),
            })
            .collect();
        assert_eq!(draft.from.as_deref(), Some("\"山田\" <y@corp.example>"));
        assert_eq!(to, ["\"Sato, Jiro\" <j@x.example>", "a@y.example", "\"Q\\\"t\" <q@z.example>", "broken"]);
    }
}
