//! Prints the policy's JSON Schema, for `cargo xtask codegen` (`extension/policies/schema.json`).
//!
//! It is a separate program rather than a call from xtask, so that xtask builds even while the
//! files it generates into this crate are stale or missing.

fn main() {
    print!("{}", misend_guard_rules::policy::schema_json());
}
