//! Replays a committed corpus on stable, for `crates/rules/tests/fuzz_corpus.rs` and
//! `crates/cli/tests/fuzz_corpus.rs`: both crates sit two folders below the repository root.

use std::path::PathBuf;

/// Every file of a target's corpus, sorted by name.
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.into_iter().map(|path| (path.clone(), std::fs::read(&path).unwrap())).collect()
}

/// Runs every input, then names each one that panicked.
pub fn replay(target: &str, at_least: usize, run: fn(&[u8])) {
    let inputs = corpus(target);
    assert!(inputs.len() >= at_least, "the {target} corpus has {} inputs", inputs.len());
    let failed: Vec<String> = inputs
        .iter()
        .filter(|(_, data)| std::panic::catch_unwind(|| run(data)).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target}: {} input(s) failed: {failed:#?}", failed.len());
}
