//! The sent history given with `--sent`: the addresses the person has already written to,
//! for `first-time-recipient`, as the add-on's index of its Sent folders gives them.
//!
//! The history is an mbox file (as Thunderbird keeps its `Sent` folder, or as a mail
//! export writes it) or a folder of `.eml` files, searched recursively. Only the `To`, `Cc`
//! and `Bcc` fields of each message are read, never a body: an mbox is read line by line and
//! each message's body is skipped, and an `.eml` is read up to the end of its header.
//! Everything is bounded, so that a wrong path given by mistake (a whole mail store, a
//! device) costs a bounded amount of work and memory: at most [`MAX_MESSAGES`] messages,
//! [`MAX_HEADER_BYTES`] of header per message, [`MAX_ADDRESSES`] distinct addresses and
//! [`MAX_DEPTH`] folder levels; symbolic links are not followed.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use misend_guard_rules::address::parse_mailboxes;
use misend_guard_rules::Lang;

use crate::terminal::escape;

/// At most this many messages are read.
pub const MAX_MESSAGES: usize = 200_000;

/// At most this many bytes of one message's header are read; the rest of it is skipped.
pub const MAX_HEADER_BYTES: usize = 256 * 1024;

/// At most this many distinct addresses are kept.
pub const MAX_ADDRESSES: usize = 100_000;

/// At most this many folder levels are searched for `.eml` files.
pub const MAX_DEPTH: usize = 16;

/// What reading a sent history found.
#[derive(Debug, Default)]
pub struct Sent {
    /// Each address written to, once, in the order first met.
    pub addresses: Vec<String>,
    /// How many messages were read.
    pub messages: usize,
    /// Whether a bound was reached, so that some messages or addresses were not read.
    pub truncated: bool,
    seen: HashSet<String>,
}

impl Sent {
    /// Takes the recipients of one message's header (unfolded or not).
    fn add_header(&mut self, header: &[u8]) {
        self.messages += 1;
        let text = String::from_utf8_lossy(header);
        let mut field: Option<String> = None;
        for line in text.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(value) = field.as_mut() {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                continue;
            }
            if let Some(value) = field.take() {
                self.add_addresses(&value);
            }
            if let Some((name, value)) = line.split_once(':') {
                if ["to", "cc", "bcc"].iter().any(|f| name.trim().eq_ignore_ascii_case(f)) {
                    field = Some(value.trim().to_string());
                }
            }
        }
        if let Some(value) = field {
            self.add_addresses(&value);
        }
    }

    fn add_addresses(&mut self, value: &str) {
        for mailbox in parse_mailboxes(value).into_iter().filter(|m| m.valid) {
            if self.seen.len() >= MAX_ADDRESSES {
                self.truncated = true;
                return;
            }
            if self.seen.insert(mailbox.address.to_lowercase()) {
                self.addresses.push(mailbox.address);
            }
        }
    }

    fn full(&mut self) -> bool {
        if self.messages >= MAX_MESSAGES {
            self.truncated = true;
        }
        self.truncated
    }
}

/// Reads the sent history of `--sent` for a command: its addresses, after a warning on `err`
/// when a limit was reached; `Err(())` after the error was written, when it cannot be read.
pub fn load(path: Option<&Path>, lang: Lang, err: &mut dyn Write) -> std::io::Result<Result<Option<Vec<String>>, ()>> {
    let Some(path) = path else { return Ok(Ok(None)) };
    let shown = path.display().to_string();
    let shown = escape(&shown);
    match read(path, lang) {
        Ok(found) => {
            if found.truncated {
                let (messages, addresses) = (found.messages, found.addresses.len());
                let warning = lang.pick3(
                    format!("上限に達したため、最初の {messages} 通（{addresses} 件のアドレス）だけを読みました"),
                    format!(
                        "only the first {messages} messages ({addresses} addresses) were read: a limit was reached"
                    ),
                    format!("已达到上限，只读取了前 {messages} 封邮件（{addresses} 个地址）"),
                );
                writeln!(err, "{shown}: warning: {warning}")?;
            }
            Ok(Ok(Some(found.addresses)))
        }
        Err(message) => {
            writeln!(err, "{shown}: error: {}", escape(&message))?;
            Ok(Err(()))
        }
    }
}

/// Reads a sent history: a folder of `.eml` files, or an mbox file.
pub fn read(path: &Path, lang: Lang) -> Result<Sent, String> {
    let cannot = |e: std::io::Error| {
        lang.pick3(
            format!("送信済みメールを読み込めません: {e}"),
            format!("cannot read the sent mail: {e}"),
            format!("无法读取已发送的邮件: {e}"),
        )
    };
    let meta = fs::metadata(path).map_err(cannot)?;
    let mut sent = Sent::default();
    if meta.is_dir() {
        read_folder(path, 0, &mut sent);
    } else {
        read_mbox(BufReader::new(File::open(path).map_err(cannot)?), &mut sent).map_err(cannot)?;
    }
    if sent.messages == 0 {
        return Err(lang
            .pick3(
                "送信済みメールが一通もありません（mbox ファイルか、.eml ファイルのあるフォルダーを指定してください）",
                "no sent mail found (give an mbox file, or a folder with .eml files)",
                "没有找到已发送的邮件（请指定 mbox 文件，或含有 .eml 文件的文件夹）",
            )
            .to_string());
    }
    Ok(sent)
}

/// Reads the headers of every message of an mbox: each message starts with a `From ` line,
/// and its header ends at the first blank line.
pub fn read_mbox(mut reader: impl BufRead, sent: &mut Sent) -> std::io::Result<()> {
    let mut line: Vec<u8> = Vec::new();
    let mut header: Vec<u8> = Vec::new();
    // Whether the lines being read are a message's header (`Some`), or a body being skipped.
    let mut in_header = false;
    let mut any = false;
    loop {
        line.clear();
        // A line is read whole but kept only while the header has room, so that a file without
        // line ends costs no more memory than the bound.
        if read_line_bounded(&mut reader, &mut line, MAX_HEADER_BYTES)? == 0 {
            break;
        }
        if line.starts_with(b"From ") {
            if in_header {
                sent.add_header(&header);
            }
            if sent.full() {
                return Ok(());
            }
            header.clear();
            in_header = true;
            any = true;
            continue;
        }
        if !any {
            // A file that does not start like an mbox may be a single message.
            header.clear();
            in_header = true;
            any = true;
        }
        if in_header {
            if line.iter().all(|b| matches!(b, b'\r' | b'\n')) {
                sent.add_header(&header);
                in_header = false;
            } else if header.len() + line.len() <= MAX_HEADER_BYTES {
                header.extend_from_slice(&line);
            }
        }
    }
    if in_header {
        sent.add_header(&header);
    }
    Ok(())
}

/// Reads one line into `line`, keeping at most `limit` bytes of it; returns the bytes read.
fn read_line_bounded(reader: &mut impl BufRead, line: &mut Vec<u8>, limit: usize) -> std::io::Result<usize> {
    let mut total = 0;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(total);
        }
        let (used, done) = match available.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let room = limit.saturating_sub(line.len());
        line.extend_from_slice(&available[..used.min(room)]);
        reader.consume(used);
        total += used;
        if done {
            return Ok(total);
        }
    }
}

/// Reads the header of every `.eml` file under a folder.
fn read_folder(dir: &Path, depth: usize, sent: &mut Sent) {
    if depth > MAX_DEPTH {
        sent.truncated = true;
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut paths: Vec<_> = entries.filter_map(Result::ok).collect();
    paths.sort_by_key(|e| e.file_name());
    for entry in paths {
        if sent.full() {
            return;
        }
        let Ok(kind) = entry.file_type() else { continue };
        let path = entry.path();
        if kind.is_dir() {
            read_folder(&path, depth + 1, sent);
        } else if kind.is_file() && path.extension().is_some_and(|e| e.eq_ignore_ascii_case("eml")) {
            if let Ok(file) = File::open(&path) {
                let mut header = Vec::new();
                let mut reader = BufReader::new(file.take(MAX_HEADER_BYTES as u64));
                let mut line = Vec::new();
                while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                    if line.iter().all(|b| matches!(b, b'\r' | b'\n')) {
                        break;
                    }
                    header.append(&mut line);
                }
                sent.add_header(&header);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_mbox_gives_the_to_cc_and_bcc_of_each_message_and_no_body() {
        let mbox = "From - Mon Dec 07 10:00:00 2026\r\n\
                    From: Sato <sato@corp.example>\r\n\
                    To: Yamada <yamada@alpha.example>,\r\n Suzuki <SUZUKI@beta.example>\r\n\
                    Cc: c@corp.example\r\n\
                    Subject: x\r\n\
                    \r\n\
                    To: not-a-header@body.example\r\n\
                    >From someone in the body\r\n\
                    From - Mon Dec 07 11:00:00 2026\r\n\
                    Bcc: hidden@gamma.example\r\n\
                    To: yamada@alpha.example\r\n\
                    \r\n\
                    body\r\n";
        let mut sent = Sent::default();
        read_mbox(mbox.as_bytes(), &mut sent).unwrap();
        assert_eq!(
            sent.addresses,
            ["yamada@alpha.example", "SUZUKI@beta.example", "c@corp.example", "hidden@gamma.example"]
        );
        assert_eq!(sent.messages, 2);
    }

    #[test]
    fn a_folder_of_eml_files_is_read_recursively() {
        let dir = std::env::temp_dir().join(format!("misend-guard-sent-{}", std::process::id()));
        fs::create_dir_all(dir.join("2026/12")).unwrap();
        fs::write(dir.join("a.eml"), "To: a@x.example\r\n\r\nTo: body@x.example\r\n").unwrap();
        fs::write(dir.join("2026/12/b.EML"), "Cc: B <b@y.example>\n\n").unwrap();
        fs::write(dir.join("notes.txt"), "To: c@z.example\n").unwrap();
        let sent = read(&dir, Lang::En).unwrap();
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(sent.addresses, ["b@y.example", "a@x.example"]);
        assert_eq!(sent.messages, 2);
    }

    #[test]
    fn nothing_sent_is_an_error_and_a_line_without_end_is_bounded() {
        let dir = std::env::temp_dir().join(format!("misend-guard-sent-empty-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        assert!(read(&dir, Lang::En).unwrap_err().contains("no sent mail"));
        let _ = fs::remove_dir_all(&dir);
        let long = format!("From x\nTo: {}@x.example\n\n", "a".repeat(3 * MAX_HEADER_BYTES));
        let mut sent = Sent::default();
        read_mbox(long.as_bytes(), &mut sent).unwrap();
        assert!(sent.addresses.is_empty());
        assert_eq!(sent.messages, 1);
    }
}
