//! Reading the files an admin names on the command line, each within a size limit.
//!
//! The size in a file's metadata is not enough to bound the work: `/dev/zero`, a pipe or a
//! file that grows says 0 bytes, or fewer than it gives. The read itself stops one byte past
//! the limit, so a wrong file given by mistake is refused with its name and the limit instead
//! of being read until memory runs out.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use misend_guard_rules::Lang;

const MB: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// The file holds more than the limit; `size` is its size when the metadata tells it.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
        /// The size the metadata gives, when it is over the limit.
        size: Option<u64>,
    },
}

impl ReadError {
    /// One line, in the admin's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReadError::Io(e) => {
                lang.pick3(format!("読み込めません: {e}"), format!("cannot read: {e}"), format!("无法读取：{e}"))
            }
            ReadError::TooLarge { limit, size } => {
                let (ja, en, zh) = match limit % MB {
                    0 => (
                        format!("{} MB（{limit} バイト）", limit / MB),
                        format!("{} MB ({limit} bytes)", limit / MB),
                        format!("{} MB（{limit} 字节）", limit / MB),
                    ),
                    _ => (format!("{limit} バイト"), format!("{limit} bytes"), format!("{limit} 字节")),
                };
                match size {
                    Some(size) => lang.pick3(
                        format!("大きすぎます: {size} バイトあり、上限の {ja}を超えています"),
                        format!("too large: {size} bytes, over the limit of {en}"),
                        format!("太大：有 {size} 字节，超过了上限 {zh}"),
                    ),
                    None => lang.pick3(
                        format!("大きすぎます: 上限の {ja}を超えて続いています"),
                        format!("too large: it goes on past the limit of {en}"),
                        format!("太大：内容超出了上限 {zh}"),
                    ),
                }
            }
        }
    }
}

/// Reads a whole file of at most `limit` bytes.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = File::open(path).map_err(ReadError::Io)?;
    let size = file.metadata().map_err(ReadError::Io)?.len();
    if size > limit {
        return Err(ReadError::TooLarge { limit, size: Some(size) });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit, size: None });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_that_never_end_are_refused_at_the_limit() {
        // Its metadata says 0 bytes; only the bounded read stops it.
        match read_limited(Path::new("/dev/zero"), 1000) {
            Err(e @ ReadError::TooLarge { limit: 1000, size: None }) => {
                assert_eq!(e.message(Lang::En), "too large: it goes on past the limit of 1000 bytes")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn files_within_the_limit_are_read_whole() {
        let path = std::env::temp_dir().join(format!("misend-guard-files-{}", std::process::id()));
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(read_limited(&path, 10).unwrap(), b"0123456789");
        let refused = read_limited(&path, 9);
        std::fs::remove_file(&path).unwrap();
        match refused {
            Err(e @ ReadError::TooLarge { limit: 9, size: Some(10) }) => {
                assert_eq!(e.message(Lang::En), "too large: 10 bytes, over the limit of 9 bytes")
            }
            other => panic!("{other:?}"),
        }
    }
}
