//! The committed fuzz corpora of the .eml reader and of the review of any draft
//! (`fuzz/corpus/eml`, `fuzz/corpus/review`), replayed on stable by `cargo test`.
//!
//! Each input goes through the very function its fuzz target calls (`fuzz/common/`), so an
//! input the fuzzer once found interesting, or that once crashed, keeps being checked without
//! a nightly toolchain. How to fuzz longer: `fuzz/README.md`.

#[path = "../../../fuzz/common/eml.rs"]
mod eml;
#[path = "../../../fuzz/common/replay.rs"]
mod replay;
#[path = "../../../fuzz/common/review.rs"]
mod review;

#[test]
fn eml_corpus_replays() {
    replay::replay("eml", 20, eml::run);
}

#[test]
fn review_corpus_replays() {
    replay::replay("review", 20, review::run);
}
