//! Reading an mbox file mail by mail, with a bounded buffer.
//!
//! An mbox (Thunderbird's folders, `mutt`, exports of most servers) is the mails one after
//! the other, each starting with a `From ` line at the start of the file or after an empty line.
//! Inside a mail, body lines that start with `From ` were written as `>From ` (and `>From ` as
//! `>>From `, the "mboxrd" form): one `>` is taken off again.
//!
//! The file is read line by line and only the current mail is held, so the memory used stays
//! the same on a 10 GB mailbox as on a small one.
//! A mail larger than [`MAX_MAIL_BYTES`] is skipped up to the next `From ` line and reported with
//! its place, like an .eml file over the same limit; a line is never held longer than that either.

use std::io::{BufRead, ErrorKind};

use crate::eml::MAX_MAIL_BYTES;

/// One mail of an mbox: where it starts and its bytes (without the `From ` line).
#[derive(Debug)]
pub struct MboxMail {
    /// The number of the mail in the file, from 1.
    pub index: u64,
    /// The byte offset of its `From ` line in the file.
    pub offset: u64,
    /// The mail, or why it was not kept.
    pub bytes: Result<Vec<u8>, Skipped>,
    /// The bytes of the file read up to the end of this mail.
    pub end: u64,
}

/// Why a mail of an mbox was not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    /// The mail goes on past [`MAX_MAIL_BYTES`].
    TooLarge,
    /// Reading the file failed in this mail.
    Io(String),
}

/// The mails of an mbox, one at a time.
#[derive(Debug)]
pub struct MboxReader<R> {
    reader: R,
    /// Bytes of the file consumed so far.
    position: u64,
    /// The offset of the `From ` line of the next mail, once it has been read.
    next_start: Option<u64>,
    /// Whether the file ended (or failed).
    done: bool,
    index: u64,
    limit: u64,
    line: Vec<u8>,
}

impl<R: BufRead> MboxReader<R> {
    /// Reads mails from an mbox stream.
    pub fn new(reader: R) -> MboxReader<R> {
        MboxReader::with_limit(reader, MAX_MAIL_BYTES)
    }

    /// Reads mails from an mbox stream, keeping mails of at most `limit` bytes.
    pub fn with_limit(reader: R, limit: u64) -> MboxReader<R> {
        MboxReader { reader, position: 0, next_start: None, done: false, index: 0, limit, line: Vec::new() }
    }

    /// Reads one line into `self.line` (with its `\n`), keeping at most `keep` bytes of it; the rest
    /// of an over-long line is read and dropped. Returns the line's full length (0 at the end).
    fn read_line(&mut self, keep: u64) -> std::io::Result<u64> {
        self.line.clear();
        let mut length = 0u64;
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(buffer) => buffer,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buffer.is_empty() {
                return Ok(length);
            }
            let (take, ends) = match memchr::memchr(b'\n', buffer) {
                Some(at) => (at + 1, true),
                None => (buffer.len(), false),
            };
            let room = keep.saturating_sub(self.line.len() as u64) as usize;
            self.line.extend_from_slice(&buffer[..take.min(room)]);
            self.reader.consume(take);
            length += take as u64;
            self.position += take as u64;
            if ends {
                return Ok(length);
            }
        }
    }
}

/// Whether a line starts a mail: `From ` at the start of a line (the line before being empty).
fn is_from_line(line: &[u8]) -> bool {
    line.starts_with(b"From ")
}

/// The line as it was in the mail: `>From `, `>>From `, … lose one `>` (mboxrd).
fn unquote(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&b| b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = MboxMail;

    fn next(&mut self) -> Option<MboxMail> {
        if self.done {
            return None;
        }
        // The start of this mail: the `From ` line read at the end of the last one, or the first
        // line of the file. Text before the first `From ` line (a file that is not quite an mbox)
        // is read as a mail of its own, so that nothing is silently left out.
        let (offset, mut at_start) = match self.next_start.take() {
            Some(offset) => (offset, false),
            None => (self.position, true),
        };
        let mut mail: Vec<u8> = Vec::new();
        let mut too_large = false;
        let mut previous_empty = true;
        loop {
            let line_start = self.position;
            let keep = if too_large { 0 } else { self.limit.saturating_sub(mail.len() as u64) + 2 };
            let length = match self.read_line(keep.max(8)) {
                Ok(length) => length,
                Err(e) => {
                    self.done = true;
                    return self.finish(offset, Err(Skipped::Io(e.to_string())));
                }
            };
            if length == 0 {
                self.done = true;
                if at_start && mail.is_empty() {
                    return None;
                }
                break;
            }
            if is_from_line(&self.line) && (previous_empty || at_start) {
                if at_start {
                    // The first line of the file is this mail's own `From ` line.
                    at_start = false;
                    previous_empty = false;
                    continue;
                }
                self.next_start = Some(line_start);
                break;
            }
            at_start = false;
            previous_empty = self.line == b"\n" || self.line == b"\r\n";
            if too_large {
                continue;
            }
            let line = unquote(&self.line);
            if (mail.len() + line.len()) as u64 > self.limit || length > self.line.len() as u64 {
                too_large = true;
                mail = Vec::new();
                continue;
            }
            mail.extend_from_slice(line);
        }
        if too_large {
            return self.finish(offset, Err(Skipped::TooLarge));
        }
        // The empty line before the next `From ` line separates the mails; it is not the mail's.
        if mail.ends_with(b"\r\n\r\n") {
            mail.truncate(mail.len() - 2);
        } else if mail.ends_with(b"\n\n") {
            mail.truncate(mail.len() - 1);
        }
        self.finish(offset, Ok(mail))
    }
}

impl<R> MboxReader<R> {
    fn finish(&mut self, offset: u64, bytes: Result<Vec<u8>, Skipped>) -> Option<MboxMail> {
        self.index += 1;
        let end = self.next_start.unwrap_or(self.position);
        Some(MboxMail { index: self.index, offset, bytes, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mails(text: &[u8], limit: u64) -> Vec<(u64, u64, Result<String, Skipped>)> {
        MboxReader::with_limit(std::io::BufReader::with_capacity(16, text), limit)
            .map(|m| (m.index, m.offset, m.bytes.map(|b| String::from_utf8(b).unwrap())))
            .collect()
    }

    #[test]
    fn mails_are_split_at_from_lines_after_an_empty_line() {
        let text = b"From a@b Mon Jan  1 00:00:00 2026\nSubject: one\n\nbody\nFrom here on\n>From quoted\n>>From twice\n\nFrom - Tue Jan  2 00:00:00 2026\nSubject: two\n\nx\n";
        let got = mails(text, 1000);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], (1, 0, Ok("Subject: one\n\nbody\nFrom here on\nFrom quoted\n>From twice\n".to_string())));
        let second = text.windows(6).position(|w| w == b"From -").unwrap() as u64;
        assert_eq!(got[1], (2, second, Ok("Subject: two\n\nx\n".to_string())));
    }

    #[test]
    fn an_empty_file_has_no_mails_and_text_before_the_first_from_line_is_one() {
        assert!(mails(b"", 1000).is_empty());
        let got = mails(b"Subject: lone\n\nbody\n\nFrom x\nSubject: next\n\n", 1000);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].2, Ok("Subject: lone\n\nbody\n".to_string()));
    }

    #[test]
    fn a_mail_over_the_limit_is_skipped_and_the_next_one_is_read() {
        let long = "x".repeat(500);
        let text = format!("From a\nSubject: big\n\n{long}\n{long}\n\nFrom b\nSubject: small\n\nok\n");
        let got = mails(text.as_bytes(), 300);
        assert_eq!(got[0].2, Err(Skipped::TooLarge));
        assert_eq!(got[1].2, Ok("Subject: small\n\nok\n".to_string()));
        // One line longer than the limit, without a line break, is not held whole either.
        let got = mails(format!("From a\nSubject: big\n\n{}", "y".repeat(5000)).as_bytes(), 300);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].2, Err(Skipped::TooLarge));
    }
}
