//! Fuzz target `review`: runs [`common::run`] (fuzz/common/review.rs) on every input libFuzzer makes.
//! The same function replays the committed corpus on stable; see fuzz/README.md.

#![no_main]

#[path = "../common/review.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(data));
