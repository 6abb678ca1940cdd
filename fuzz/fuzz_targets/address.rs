//! Fuzz target `address`: runs [`common::run`] (fuzz/common/address.rs) on every input libFuzzer makes.
//! The same function replays the committed corpus on stable; see fuzz/README.md.

#![no_main]

#[path = "../common/address.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| common::run(data));
