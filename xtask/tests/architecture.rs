//! Architecture invariants that a compiler alone does not enforce.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The rules crate is pure Rust: nothing in its dependency tree knows about JavaScript.
#[test]
fn the_engine_does_not_depend_on_javascript_bindings() {
    for forbidden in ["wasm-bindgen", "js-sys", "web-sys", "serde-wasm-bindgen"] {
        let out = Command::new(env!("CARGO"))
            .args(["tree", "--package", "misend-guard-rules", "--edges", "normal,build", "--invert", forbidden])
            .current_dir(root())
            .output()
            .expect("cargo tree runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stdout.contains("misend-guard-rules"), "misend-guard-rules depends on {forbidden}:\n{stdout}");
    }
    // The check itself must be able to see a dependency: the wasm crate does have wasm-bindgen.
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--package", "misend-guard-wasm", "--edges", "normal", "--invert", "wasm-bindgen"])
        .current_dir(root())
        .output()
        .expect("cargo tree runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("misend-guard-wasm"));
}

/// Only `extension/engine/engine.js` imports the generated bindings.
#[test]
fn only_the_engine_wrapper_imports_the_bindings() {
    let mut offenders = Vec::new();
    for dir in ["extension", "www", "tests"] {
        visit(&root().join(dir), &mut |path, text| {
            // A bundle (`*.bundle.js`, written by `cargo xtask dist`) holds the wrapper itself.
            let is_wrapper = path.ends_with("extension/engine/engine.js")
                || path.file_name().is_some_and(|n| n.to_string_lossy().ends_with(".bundle.js"));
            let in_pkg = path.components().any(|c| c.as_os_str() == "pkg" || c.as_os_str() == "node_modules");
            if !is_wrapper && !in_pkg && text.contains("misend_guard_wasm.js") {
                offenders.push(path.display().to_string());
            }
        });
    }
    assert!(offenders.is_empty(), "these files import the wasm bindings directly: {offenders:?}");
}

/// The manifest's version is the workspace's version.
#[test]
fn manifest_version_matches_cargo() {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("extension/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
}

fn visit(dir: &std::path::Path, f: &mut dyn FnMut(&std::path::Path, &str)) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            visit(&path, f);
        } else if path.extension().is_some_and(|e| e == "js" || e == "mjs" || e == "html") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                f(&path, &text);
            }
        }
    }
}
