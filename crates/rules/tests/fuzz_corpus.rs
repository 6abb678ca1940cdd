//! The committed fuzz corpora of the policy loader and the address parser
//! (`fuzz/corpus/policy`, `fuzz/corpus/address`), replayed on stable by `cargo test`.
//!
//! Each input goes through the very function its fuzz target calls (`fuzz/common/`), so an
//! input the fuzzer once found interesting, or that once crashed, keeps being checked without
//! a nightly toolchain. How to fuzz longer: `fuzz/README.md`.

#[path = "../../../fuzz/common/address.rs"]
mod address;
#[path = "../../../fuzz/common/policy.rs"]
mod policy;
#[path = "../../../fuzz/common/replay.rs"]
mod replay;

#[test]
fn policy_corpus_replays() {
    replay::replay("policy", 20, policy::run);
}

#[test]
fn address_corpus_replays() {
    replay::replay("address", 20, address::run);
}
