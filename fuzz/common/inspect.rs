//! The attachment inspector on any bytes under every name it treats differently, as a mail may
//! carry any file under any name.
//!
//! Shared by the fuzz target `inspect` and its replay on stable (`crates/inspect/tests/fuzz_corpus.rs`).
//! The first byte of an input picks the name (`NAMES`), the rest is the file. The file is inspected
//! with small limits and with a decoder for legacy charsets (any bytes decode, as `TextDecoder` does).
//! Beyond "no panic, no hang", it checks that the facts stay within the limits: archive depth,
//! entries per archive, bytes of text kept, and cells read; and that the judgments of the checks
//! the inspector makes are each worded in every language.

use misend_guard_inspect::{inspect_with, Facts, Limits};

/// Every name the inspector reads differently, by its extension (and none).
pub const NAMES: &[&str] = &[
    "a.zip", "a.docx", "a.xlsx", "a.pptx", "a.doc", "a.xls", "a.ppt", "a.pdf", "a.csv", "a.tsv", "a.txt", "a.eml",
    "a.exe", "a.lnk", "a.iso", "a.js", "a.msg", "a", "a.bin",
];

fn limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_depth: 2,
        max_entries: 16,
        max_expanded_bytes: 4 << 20,
        max_ratio: 100,
        max_text_bytes: 64 * 1024,
        max_cells: 2000,
        // The judgments run too: every table is long enough, and programs are denied.
        min_rows: 1,
        blocked_extensions: ["exe", "js", "lnk", "iso", "zip"].map(String::from).to_vec(),
    }
}

/// Text bytes kept and cells described (table rows and header cells), checking depth and entries.
fn within(facts: &Facts, limits: &Limits, depth: u32) -> (u64, u64) {
    assert!(depth <= limits.max_depth, "{} is {depth} deep", facts.name);
    assert!(facts.entries.len() <= limits.max_entries as usize, "{} entries", facts.entries.len());
    let text = facts.text.iter().map(|c| c.text.len() as u64).sum::<u64>()
        + facts.undecoded.iter().map(|u| u.bytes.len() as u64).sum::<u64>();
    let cells = facts.tables.iter().map(|t| t.rows + u64::from(!t.header.is_empty())).sum::<u64>();
    facts.entries.iter().fold((text, cells), |(t, c), e| {
        let (et, ec) = within(&e.facts, limits, depth + 1);
        (t + et, c + ec)
    })
}

/// Inspects `data[1..]` under the name `data[0]` picks, and checks the facts against the limits.
pub fn run(data: &[u8]) {
    let Some((&pick, bytes)) = data.split_first() else { return };
    let name = NAMES[pick as usize % NAMES.len()];
    let limits = limits();
    let decode = |_: &str, bytes: &[u8]| Some(String::from_utf8_lossy(bytes).into_owned());
    let facts = inspect_with(bytes, name, &limits, &decode);
    let (text, rows) = within(&facts, &limits, 0);
    assert!(text <= limits.max_text_bytes, "{text} bytes of text kept, over {}", limits.max_text_bytes);
    // Every row counted has at least one cell read.
    assert!(rows <= limits.max_cells, "{rows} rows described, over {} cells", limits.max_cells);
    assert!(facts.undecoded.is_empty(), "a decoder was given, yet text stayed undecoded");
    // At most one judgment per check, each worded in every language.
    assert!(facts.assessments.len() <= 4, "{} assessments", facts.assessments.len());
    for a in &facts.assessments {
        assert!(!a.message.ja.is_empty() && !a.message.en.is_empty() && !a.message.zh.is_empty(), "{a:?}");
        assert!(a.excerpts.len() <= 5, "{} excerpts", a.excerpts.len());
    }
    serde_json::to_string(&facts).expect("facts serialize");
}
