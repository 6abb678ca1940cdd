//! The `misend-guard` binary: parses the command line and runs it (see `misend_guard_cli::cli`).

use std::process::ExitCode;

use clap::Parser;
use misend_guard_cli::cli::{run, Cli};

fn main() -> ExitCode {
    misend_guard_cli::eml::quiet_caught_panics();
    let cli = Cli::parse();
    let code = run(cli, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    ExitCode::from(code)
}
