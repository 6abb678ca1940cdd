//! `misend-guard`, the admin's command-line tool: checks .eml files and policy files with the
//! add-on's own engine, so admins see what the dialog will show before they deploy a policy.
//!
//! - [`eml`] turns a saved message into the draft the add-on would give the engine.
//! - [`contacts`] reads the known addresses given with `--contacts`, with their names and organisations.
//! - [`sent`] reads the addresses of the sent history given with `--sent` (an mbox or a folder of .eml).
//! - [`policy_file`] reads a policy or a whole `policies.json`, and places diagnostics at a line and column.
//! - [`files`] reads the files named on the command line, each within its size limit.
//! - [`inspect`] looks inside each attachment as the add-on does, within the policy's limits.
//! - [`engine`] is the only module that calls the engine, through the add-on's JSON interface.
//! - [`scan`] runs a policy over a whole mailbox and counts what it would show; [`audit`] counts
//!   the add-on's exported confirmation record the same way.
//! - [`text`] renders a review for people, [`terminal`] escapes what reaches a terminal; [`cli`] holds the commands.
//!
//! Architecture invariant: the CLI adds no rule of its own. Every finding comes from
//! `misend_guard_dto::CheckerCore`, as in the add-on.

pub mod audit;
pub mod cli;
pub mod contacts;
pub mod eml;
pub mod engine;
pub mod files;
pub mod inspect;
pub mod policy_file;
pub mod scan;
pub mod sent;
pub mod terminal;
pub mod text;
