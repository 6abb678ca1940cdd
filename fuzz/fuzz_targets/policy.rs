//! Fuzz target `policy`: runs [`common::run`] (fuzz/common/policy.rs) on every input libFuzzer makes.
//! The same function replays the committed corpus on stable; see fuzz/README.md.

#![no_main]

#[path = "../common/policy.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(data));
