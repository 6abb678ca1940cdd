//! `attachment-too-large`: an attachment over the policy's size limit.
//!
//! Why: a large file is refused by many mail servers after the send, or fills the recipient's
//! mailbox; offices usually want such files shared through a file server instead. The finding
//! points at the attachment and states its size and the limit, as the dialog shows sizes.
//! An attachment of unknown size is not judged.
//!
//! Example policy: `{"rules": {"attachment-too-large": {"severity": "block", "maxBytes": 5242880}}}`

check! {
    code: "attachment-too-large",
    order: 100,
    default: Warn,
    settings: RawAttachmentTooLargeRule,
    summary: {
        ja: "ポリシーの上限（既定 10 MB）を超える大きさのファイルが添付されています。",
        en: "An attachment over the size limit (10 MB by default).",
        zh: "附件超过策略的大小上限（默认 10 MB）。",
    },
    tag: {
        ja: "サイズ超過",
        en: "Too large",
        zh: "文件过大",
    },
    how_to_fix: {
        ja: "ファイルを小さくするか、ファイル共有サービスで渡してください。",
        en: "Make the file smaller, or share it through a file service.",
        zh: "请缩小文件，或通过文件共享服务传送。",
    },
}

use super::{Code, Subject};
use crate::model::Finding;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let limit = subject.policy.content.max_attachment_bytes;
    for attachment in subject.attachments {
        let Some(size) = attachment.size.filter(|&s| s > limit) else { continue };
        let (mut shown, limit_shown) = (format_bytes(size), format_bytes(limit));
        // "10 MB, over the limit of 10 MB" would read as a mistake: give the bytes then.
        if shown == limit_shown {
            shown = subject.lang.pick3(
                format!("{shown}（{size} バイト）"),
                format!("{shown} ({size} bytes)"),
                format!("{shown}（{size} 字节）"),
            );
        }
        let message = subject.lang.pick3(
            format!("「{}」は {shown} あり、上限の {limit_shown} を超えています。", attachment.name),
            format!("\"{}\" is {shown}, over the limit of {limit_shown}.", attachment.name),
            format!("“{}”大小为 {shown}，超过了 {limit_shown} 的上限。", attachment.name),
        );
        out.push(
            Finding::new(Code::AttachmentTooLarge, subject.severity(Code::AttachmentTooLarge), message)
                .with_attachments(vec![attachment.index]),
        );
    }
}

/// A size as the dialog shows it (`extension/dialog/format.js`): binary units, one decimal
/// below 100, none above: `812 B`, `1.2 KB`, `10 MB`, `150 MB`.
///
/// The value is rounded (half to even, as `format!("{:.1}")` rounds) and written as integers:
/// float formatting would bring about 20 KB of code into the add-on's wasm. Dividing by 1,024
/// is exact, and so is multiplying a value below 100 by 10 (it is under 2^47 units of 2^-40).
pub(crate) fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value >= 100.0 {
        return format!("{} {}", value.round_ties_even() as u64, UNITS[unit]);
    }
    let tenths = (value * 10.0).round_ties_even() as u64;
    match tenths % 10 {
        0 => format!("{} {}", tenths / 10, UNITS[unit]),
        digit => format!("{}.{digit} {}", tenths / 10, UNITS[unit]),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, MailExt};
    use super::format_bytes;
    use crate::Code;
    use serde_json::json;

    /// The attachment indices and messages of the findings for attachments of these sizes,
    /// under a limit (`None`: the default).
    fn check(limit: Option<u64>, sizes: &[u64], expected: &[(usize, &str)]) {
        let policy = match limit {
            Some(max) => json!({"rules": {"attachment-too-large": {"maxBytes": max}}}),
            None => json!({}),
        };
        let mut draft = mail();
        for (i, &size) in sizes.iter().enumerate() {
            draft = draft.attach(&format!("file{i}.zip"), size);
        }
        let got: Vec<(usize, String)> = findings(policy, &draft, Code::AttachmentTooLarge)
            .into_iter()
            .map(|f| (f.attachments[0], f.message))
            .collect();
        let expected: Vec<(usize, String)> = expected.iter().map(|(i, m)| (*i, m.to_string())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn attachments_over_the_limit() {
        check(
            None,
            &[10_485_760, 10_485_761, 1],
            &[(1, "\"file1.zip\" is 10 MB (10485761 bytes), over the limit of 10 MB.")],
        );
        check(None, &[25 * 1024 * 1024 + 300 * 1024], &[(0, "\"file0.zip\" is 25.3 MB, over the limit of 10 MB.")]);
        check(
            Some(1000),
            &[999, 1000, 1001, 5000],
            &[
                (2, "\"file2.zip\" is 1001 B, over the limit of 1000 B."),
                (3, "\"file3.zip\" is 4.9 KB, over the limit of 1000 B."),
            ],
        );
        check(Some(0), &[0], &[]);
    }

    #[test]
    fn sizes_read_like_the_dialogs() {
        let cases = [
            (0, "0 B"),
            (812, "812 B"),
            (1024, "1 KB"),
            (1229, "1.2 KB"),
            (150 * 1024 * 1024, "150 MB"),
            (u64::MAX, "16777216 TB"),
        ];
        for (bytes, text) in cases {
            assert_eq!(format_bytes(bytes), text);
        }
    }

    /// The text as it was worked out with floats, which the integer version must equal.
    fn float_format_bytes(bytes: u64) -> String {
        const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
        let mut value = bytes as f64;
        let mut unit = 0;
        while value >= 1024.0 && unit < UNITS.len() - 1 {
            value /= 1024.0;
            unit += 1;
        }
        let text = if unit == 0 || value >= 100.0 { format!("{value:.0}") } else { format!("{value:.1}") };
        format!("{} {}", text.strip_suffix(".0").unwrap_or(&text), UNITS[unit])
    }

    #[test]
    fn sizes_read_as_float_formatting_reads_them() {
        // Every unit's edges, its ties (a twentieth of a unit: .05, .15, ...) and the rounding to 100.
        let mut sizes = vec![0, 1, 99, 100, 1023, u64::MAX, u64::MAX - 1, (1 << 53) + 1, 1 << 63];
        for shift in [10u32, 20, 30, 40] {
            let unit = 1u64 << shift;
            for k in 0..2_100u64 {
                let tie = k * unit / 20;
                sizes.extend([tie.saturating_sub(1), tie, tie + 1, k * unit, k * unit + unit / 2]);
            }
            for k in [1023u64, 1024, 1025, 4096, 1 << 20] {
                sizes.extend([k * unit - 1, k * unit, k * unit + 1]);
            }
        }
        for bytes in sizes {
            assert_eq!(format_bytes(bytes), float_format_bytes(bytes), "{bytes} bytes");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_size_reads_as_float_formatting_reads_it(bytes: u64, small in 0u64..1 << 32) {
            proptest::prop_assert_eq!(format_bytes(bytes), float_format_bytes(bytes));
            proptest::prop_assert_eq!(format_bytes(small), float_format_bytes(small));
        }
    }
}
