//! Misend Guard's one build entry point.
//!
//! ```text
//! cargo xtask dist      build the wasm engine and package dist/misend-guard-<version>.xpi
//! cargo xtask run       dist, then start Thunderbird with a throwaway profile, the add-on,
//!                       an example policy and a local SMTP sink
//! cargo xtask test      every test: Rust, generated-file freshness, node, browser, Thunderbird
//! cargo xtask www       build the policy playground into dist/www/ and serve it on
//!                       http://127.0.0.1:8080/ (--build-only: build, do not serve)
//! cargo xtask codegen   regenerate committed generated files (--check: fail when stale)
//! ```
//!
//! Every verb installs what it needs and is missing (the wasm target, the pinned
//! wasm-bindgen-cli, npm packages, Debian's thunderbird/chromium), and says what it does.

mod bundle;
mod codegen;
mod dist;
mod run;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

/// The result type of every verb: an error is a message for the person at the terminal.
pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (verb, rest) = match args.split_first() {
        Some((verb, rest)) => (verb.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match verb {
        "dist" => dist::dist(rest).map(|_| ()),
        "run" => run::run(rest),
        "test" => test::test(rest),
        "www" => run::www(rest),
        "codegen" => codegen::codegen(rest),
        "help" | "--help" | "-h" => {
            println!("{}", HELP);
            Ok(())
        }
        other => Err(format!("unknown verb `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

const HELP: &str = "usage: cargo xtask <verb>

  dist      build the wasm engine and package dist/misend-guard-<version>.xpi
  run       build, then start Thunderbird with the add-on, an example policy and a local
            SMTP sink (mails land in target/run/outbox/)
  test      run every test (Rust, generated files, node, browser, real Thunderbird)
            --no-e2e skips the Thunderbird suite
  www       build the policy playground into dist/www/ and serve it on
            http://127.0.0.1:8080/; --build-only builds without serving
  codegen   regenerate the committed generated files; --check fails when they are stale";

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the repository").to_path_buf()
}
