//! Arbitrary and damaged bytes under every supported name: the inspector never panics, and the facts
//! stay within the limits it was given.

use misend_guard_inspect::{inspect, inspect_with, Facts, Limits};
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "a.zip", "a.docx", "a.xlsx", "a.pptx", "a.doc", "a.xls", "a.pdf", "a.csv", "a.tsv", "a.txt", "a.eml", "a.exe",
    "a.lnk", "a.iso", "a.js", "a.msg", "a", "a.bin",
];

const FIXTURES: &[&str] = &[
    "customers.xlsx",
    "minutes.docx",
    "slides.pptx",
    "second-entry-encrypted.zip",
    "aes.zip",
    "tools.zip",
    "ordinary.zip",
    "password.xlsx",
    "encrypted.pdf",
    "forwarded.eml",
    "customers-sjis.csv",
    "bomb.zip",
];

const MAGIC: &[&[u8]] = &[
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    b"%PDF-1.7\n",
    b"MZ",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"Received: x\r\nFrom: a\r\n\r\n",
];

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/../../tests/attachments/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
}

fn small_limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_depth: 2,
        max_entries: 8,
        max_expanded_bytes: 1 << 20,
        max_ratio: 50,
        max_text_bytes: 4096,
        max_cells: 200,
        // The judgments run too: every table is long enough, and programs are denied.
        min_rows: 1,
        blocked_extensions: ["exe", "js", "lnk", "iso", "zip"].map(String::from).to_vec(),
    }
}

/// Checks what the limits promise, recursively: returns (text bytes, cells seen as table rows).
fn within(facts: &Facts, limits: &Limits, depth: u32) -> u64 {
    assert!(depth <= limits.max_depth, "{} is {depth} deep", facts.name);
    assert!(facts.entries.len() <= limits.max_entries as usize, "{} entries", facts.entries.len());
    let own: u64 = facts.text.iter().map(|c| c.text.len() as u64).sum::<u64>()
        + facts.undecoded.iter().map(|u| u.bytes.len() as u64).sum::<u64>();
    own + facts.entries.iter().map(|e| within(&e.facts, limits, depth + 1)).sum::<u64>()
}

/// Rows described in tables, at any depth: each has at least one cell read.
fn rows(facts: &Facts) -> u64 {
    facts.tables.iter().map(|t| t.rows + u64::from(!t.header.is_empty())).sum::<u64>()
        + facts.entries.iter().map(|e| rows(&e.facts)).sum::<u64>()
}

fn check(bytes: &[u8], name: &str) {
    let limits = small_limits();
    // Without a decoder, and with one that decodes anything (legacy text is then read in its place).
    let decode = |_: &str, b: &[u8]| Some(String::from_utf8_lossy(b).into_owned());
    for facts in [inspect(bytes, name, &limits), inspect_with(bytes, name, &limits, &decode)] {
        let text = within(&facts, &limits, 0);
        assert!(text <= limits.max_text_bytes, "{text} bytes of text kept");
        assert!(rows(&facts) <= limits.max_cells, "{} rows described", rows(&facts));
        // The facts always cross as JSON.
        serde_json::to_string(&facts).expect("facts serialize");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096), name in proptest::sample::select(NAMES)) {
        check(&bytes, name);
    }

    #[test]
    fn arbitrary_bytes_behind_each_magic_never_panic(
        magic in proptest::sample::select(MAGIC),
        rest in proptest::collection::vec(any::<u8>(), 0..4096),
        name in proptest::sample::select(NAMES),
    ) {
        let mut bytes = magic.to_vec();
        bytes.extend(rest);
        check(&bytes, name);
    }

    #[test]
    fn damaged_real_files_never_panic(
        which in 0..FIXTURES.len(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = fixture(FIXTURES[which]);
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        check(&bytes, FIXTURES[which]);
    }
}

#[test]
fn every_fixture_stays_within_small_limits() {
    for name in FIXTURES {
        check(&fixture(name), name);
    }
}
