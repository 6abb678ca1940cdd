//! The CLI's heavy decoding stays out of the add-on.
//!
//! `mail-parser`'s `full_encoding` feature (ISO-2022-JP, Shift_JIS and EUC-JP, through
//! `encoding_rs`) adds about 130 KB gzipped to a wasm module. Thunderbird hands the add-on
//! decoded text, so only the CLI needs it. Cargo unifies features per build, and xtask builds
//! the wasm with `--package misend-guard-wasm`, so the CLI's feature does not reach it;
//! this test keeps it that way.

use std::path::PathBuf;
use std::process::Command;

fn tree(package: &str, invert: &str) -> String {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--package",
            package,
            "--edges",
            "normal",
            "--target",
            "wasm32-unknown-unknown",
            "--invert",
            invert,
        ])
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .expect("cargo tree runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_wasm_does_not_get_the_clis_japanese_charsets() {
    assert!(
        !tree("misend-guard-wasm", "encoding_rs").contains("misend-guard-wasm"),
        "the wasm depends on encoding_rs"
    );
    // The check can see the dependency where it is.
    assert!(tree("misend-guard-cli", "encoding_rs").contains("misend-guard-cli"));
}
