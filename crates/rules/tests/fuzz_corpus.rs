//! The committed fuzz corpora of the policy loader and the address parser
//! (`fuzz/corpus/policy`, `fuzz/corpus/address`), replayed on stable by `cargo test`.
//!
//! Each input goes through the very function its fuzz target calls (`fuzz/common/`), so an
//! input the fuzzer once found interesting, or that once crashed, keeps being checked without
//! a nightly toolchain. How to fuzz longer: `fuzz/README.md`.

use std::path::PathBuf;

#[path = "../../../fuzz/common/address.rs"]
mod address;
#[path = "../../../fuzz/common/policy.rs"]
mod policy;

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
fn replay(target: &str, at_least: usize, run: fn(&[u8])) {
    let inputs = corpus(target);
    assert!(inputs.len() >= at_least, "the {target} corpus has {} inputs", inputs.len());
    let failed: Vec<String> = inputs
        .iter()
        .filter(|(_, data)| std::panic::catch_unwind(|| run(data)).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target}: {} input(s) failed: {failed:#?}", failed.len());
}

#[test]
fn policy_corpus_replays() {
    replay("policy", 20, policy::run);
}

#[test]
fn address_corpus_replays() {
    replay("address", 20, address::run);
}
