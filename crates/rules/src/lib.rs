//! Misend Guard's rule engine.
//!
//! The engine takes a [`Draft`] (what the compose window holds) and a validated [`Policy`],
//! and returns a [`Review`]: every recipient exactly once, classified and grouped,
//! every attachment, the findings of every check, and the verdict.
//!
//! Architecture invariant: this crate is pure Rust. It does no I/O, reads no clock,
//! and depends on nothing that knows about JavaScript or WebAssembly.
//! The wasm facade (`misend-guard-wasm`) and the CLI (`misend-guard-cli`) are its only callers.
//!
//! Architecture invariant: loading a policy never fails and never panics.
//! Bad admin input becomes [`Diagnostic`]s, and the policy falls back to the strictest safe behaviour.

pub mod address;
pub mod checks;
pub mod code;
pub mod contacts;
pub mod domain;
pub mod draft;
pub mod greeting;
pub mod i18n;
pub mod model;
pub mod orgs;
pub mod policy;
pub mod public_suffix;
pub mod resemblance;
pub mod review;
pub mod similar;
pub mod text;

pub use code::{Code, Severity};
pub use contacts::Contacts;
pub use draft::{Contents, Draft, DraftAttachment, DraftRecipient, FailReason, Field};
pub use i18n::Lang;
pub use misend_guard_facts as facts;
pub use policy::{Diagnostic, DiagnosticLevel, LoadedPolicy, Policy};
pub use review::{review, Context, Finding, Review, Verdict};

/// The engine's version, shown in the dialog's footer and by the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
