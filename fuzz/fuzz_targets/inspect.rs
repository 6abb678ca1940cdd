//! Fuzz target `inspect`: runs [`common::run`] (fuzz/common/inspect.rs) on every input libFuzzer makes.
//! The same function replays the committed corpus on stable; see fuzz/README.md.

#![no_main]

#[path = "../common/inspect.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(data));
