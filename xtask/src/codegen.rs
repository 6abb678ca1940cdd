//! `cargo xtask codegen`: the committed generated files, and the check that they are fresh.
//!
//! Generated: `extension/policies/schema.json`, the policy's JSON Schema, from the raw
//! policy types of the rules crate.

use std::fs;

use crate::{root, Result};

/// Regenerates, or with `--check` fails when a committed file differs from what it would be.
pub fn codegen(args: &[String]) -> Result {
    let check = args.iter().any(|a| a == "--check");
    let files = [("extension/policies/schema.json", misend_guard_rules::policy::schema_json())];
    let mut stale = Vec::new();
    for (path, content) in files {
        let full = root().join(path);
        let current = fs::read_to_string(&full).unwrap_or_default();
        if current == content {
            continue;
        }
        if check {
            stale.push(path);
        } else {
            fs::write(&full, content).map_err(|e| format!("{path}: {e}"))?;
            eprintln!("xtask: wrote {path}");
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "generated files are stale: {}. Run `cargo xtask codegen` and commit the result.",
            stale.join(", ")
        ))
    }
}
