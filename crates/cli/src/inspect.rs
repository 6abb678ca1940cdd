//! Looks inside a mail's attachments as the add-on does before Send, natively: the same inspector
//! (`misend-guard-inspect`), the same limits (the review's `inspection`, resolved from the admin's
//! policy), the same byte budget per mail and a time budget per mail, and the same `contents` handed
//! to the engine.
//!
//! The add-on decodes Shift_JIS, EUC-JP and ISO-2022-JP text with the platform's `TextDecoder`; the
//! CLI decodes it with `encoding_rs`, the library behind Firefox's `TextDecoder`, in the same mode
//! (malformed bytes become U+FFFD rather than an error).

use std::time::{Duration, Instant};

use misend_guard_dto::{ContentsDto, DraftDto};
use misend_guard_inspect::{inspect_with, Limits};
use serde::Deserialize;

/// How attachments are inspected: the review's `inspection`, as the add-on reads it.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    pub enabled: bool,
    #[serde(default)]
    pub limits: Limits,
    pub max_total_bytes: u64,
    pub timeout_ms: u64,
}

/// The host's decoder for legacy charsets: `TextDecoder(label).decode(bytes)` in the add-on.
pub fn decode(label: &str, bytes: &[u8]) -> Option<String> {
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
    Some(encoding.decode_without_bom_handling(bytes).0.into_owned())
}

/// Gives every attachment of `draft` its `contents`, from the bytes of its file (`files`, in the
/// draft's order), within `settings`. Each attachment ends inspected or failed with a reason, never
/// skipped: `too-large` over the limit per attachment or over what is left of the limit per mail,
/// `timeout` once the mail's time is spent (an inspection already started finishes, bounded by the
/// limits, which count work), `unavailable` when the file is missing.
/// Nothing is done when the policy turns inspection off: the engine then ignores contents anyway.
pub fn inspect_attachments(draft: &mut DraftDto, files: &[Vec<u8>], settings: &Inspection) {
    if !settings.enabled {
        return;
    }
    let deadline = Instant::now() + Duration::from_millis(settings.timeout_ms);
    let max_bytes = settings.limits.max_bytes;
    let mut left = settings.max_total_bytes;
    for (i, attachment) in draft.attachments.iter_mut().enumerate() {
        let failed = |reason: &str, detail: String| ContentsDto {
            state: "failed".to_string(),
            facts: None,
            reason: Some(reason.to_string()),
            detail: Some(detail),
        };
        let contents = match files.get(i) {
            None => failed("unavailable", "the attachment's bytes could not be read from the mail".to_string()),
            Some(bytes) if bytes.len() as u64 > max_bytes => failed(
                "too-large",
                format!("{} bytes, over the limit of {max_bytes} bytes per attachment", bytes.len()),
            ),
            Some(bytes) if bytes.len() as u64 > left => {
                failed("too-large", format!("{} bytes, over the {left} bytes left of the limit per mail", bytes.len()))
            }
            Some(_) if Instant::now() >= deadline => failed(
                "timeout",
                format!("the inspection of this mail took longer than {} s", settings.timeout_ms as f64 / 1000.0),
            ),
            Some(bytes) => {
                left -= bytes.len() as u64;
                let facts = inspect_with(bytes, &attachment.name, &settings.limits, &decode);
                // The facts go to the engine as JSON, as the add-on's do.
                ContentsDto {
                    state: "inspected".to_string(),
                    facts: Some(serde_json::to_value(&facts).unwrap_or_default()),
                    reason: None,
                    detail: None,
                }
            }
        };
        attachment.contents = Some(contents);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use misend_guard_dto::AttachmentDto;

    fn draft(names: &[&str]) -> DraftDto {
        DraftDto {
            attachments: names
                .iter()
                .map(|n| AttachmentDto { name: n.to_string(), size: None, contents: None })
                .collect(),
            ..DraftDto::default()
        }
    }

    fn settings() -> Inspection {
        Inspection { enabled: true, limits: Limits::default(), max_total_bytes: 100, timeout_ms: 60_000 }
    }

    fn states(draft: &DraftDto) -> Vec<String> {
        draft
            .attachments
            .iter()
            .map(|a| match &a.contents {
                None => "none".to_string(),
                Some(c) if c.state == "inspected" => {
                    format!("inspected {}", c.facts.as_ref().and_then(|f| f["kind"].as_str()).unwrap_or("?"))
                }
                Some(c) => format!("{} {}", c.state, c.reason.as_deref().unwrap_or("")),
            })
            .collect()
    }

    #[test]
    fn each_attachment_is_inspected_or_fails_with_the_reason_the_add_on_gives() {
        let files = vec![b"hello".to_vec(), vec![b'a'; 60], vec![b'b'; 50], b"\x7fELF".to_vec()];
        let mut d = draft(&["a.txt", "b.txt", "c.txt", "d.txt", "missing.txt"]);
        let mut s = settings();
        s.limits.max_bytes = 55;
        inspect_attachments(&mut d, &files, &s);
        assert_eq!(
            states(&d),
            ["inspected text", "failed too-large", "inspected text", "inspected elf", "failed unavailable"]
        );
        // The mail's budget: 50 + 45 of 100 spent; a 10-byte file no longer fits.
        let mut d = draft(&["a.txt", "b.txt", "c.txt"]);
        inspect_attachments(&mut d, &[vec![b'a'; 50], vec![b'b'; 45], vec![b'c'; 10]], &settings());
        assert_eq!(states(&d), ["inspected text", "inspected text", "failed too-large"]);
    }

    #[test]
    fn a_spent_time_budget_fails_the_rest_and_a_disabled_policy_inspects_nothing() {
        let mut d = draft(&["a.txt", "b.txt"]);
        inspect_attachments(&mut d, &[b"a".to_vec(), b"b".to_vec()], &Inspection { timeout_ms: 0, ..settings() });
        assert_eq!(states(&d), ["failed timeout", "failed timeout"]);
        let mut d = draft(&["a.txt"]);
        inspect_attachments(&mut d, &[b"a".to_vec()], &Inspection { enabled: false, ..settings() });
        assert_eq!(states(&d), ["none"]);
    }

    #[test]
    fn legacy_charsets_are_decoded_as_text_decoder_does() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("氏名,電話\n佐藤,03-1234-5678\n");
        let mut d = draft(&["list.csv"]);
        inspect_attachments(&mut d, &[sjis.into_owned()], &settings());
        let facts = d.attachments[0].contents.as_ref().and_then(|c| c.facts.as_ref());
        let Some(facts) = facts else { panic!("{:?}", states(&d)) };
        assert_eq!(facts["undecoded"], serde_json::json!([]));
        assert_eq!(facts["tables"][0]["header"], serde_json::json!(["氏名", "電話"]));
        // Malformed bytes are replaced, not refused.
        assert_eq!(decode("shift_jis", b"\x82\xa0\x82").as_deref(), Some("\u{3042}\u{FFFD}"));
        assert_eq!(decode("no-such-label", b"x"), None);
    }
}
