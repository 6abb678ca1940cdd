//! Fuzz target `eml`: runs [`common::run`] (fuzz/common/eml.rs) on every input libFuzzer makes.
//! The same function replays the committed corpus on stable; see fuzz/README.md.

#![no_main]

#[path = "../common/eml.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(data));
