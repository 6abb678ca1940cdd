//! The `misend-guard` binary: parses the command line and runs it (see `misend_guard_cli::cli`).

use std::process::ExitCode;

use clap::Parser;
use misend_guard_cli::cli::{run, Cli};

/// `scan` parses and frees mails on every core at once, where mimalloc is faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    misend_guard_cli::eml::quiet_caught_panics();
    let cli = Cli::parse();
    let code = run(cli, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    ExitCode::from(code)
}
