//! `cargo xtask test`: every test suite, in one run, ending with one pass/fail count.
//!
//! Order: the style gates (rustfmt, clippy with warnings as errors, tsc over the JSDoc-typed
//! JavaScript), Rust (unit, golden cases, architecture), generated-file freshness, the .xpi
//! build, node tests of the wasm through the add-on's own wrapper, browser tests of the pages,
//! then the real-Thunderbird scenarios. A failing suite does not stop the later ones, so that
//! one run shows everything that is broken.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::tools::{describe, ensure_debian, ensure_npm, CHINESE_FONT, JAPANESE_FONT, THUNDERBIRD_JA};
use crate::{codegen, dist, root, Result};

#[derive(Debug, Default)]
struct Tally {
    passed: u64,
    failed: u64,
    skipped: u64,
    broken_steps: Vec<String>,
}

/// Runs every suite. `--no-e2e` skips the Thunderbird suite (for a quick local loop).
pub fn test(args: &[String]) -> Result {
    let no_e2e = args.iter().any(|a| a == "--no-e2e");
    let root = root();
    let mut tally = Tally::default();

    let formatted = gate(
        Command::new("cargo").args(["fmt", "--all", "--check"]),
        "run `cargo fmt --all` and commit the result",
    );
    step(&mut tally, "cargo fmt --all --check", formatted);
    let clippy = gate(
        Command::new("cargo").args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--color",
            "never",
            "--",
            "-D",
            "warnings",
        ]),
        "fix each warning above (or, where a lint is wrong for that line, allow it there with a comment that says why)",
    );
    step(&mut tally, "cargo clippy --workspace --all-targets -- -D warnings", clippy);

    let cargo =
        Command::new("cargo").args(["test", "--workspace", "--color", "never"]).current_dir(&root).output_lines();
    tally.cargo(cargo);

    step(&mut tally, "generated files are fresh", codegen::codegen(&["--check".to_string()]));
    let built = dist::dist(&[]);
    let built_ok = built.is_ok();
    step(&mut tally, "cargo xtask dist", built.map(|_| ()));

    let npm = ensure_npm();
    let npm_ok = npm.is_ok();
    step(&mut tally, "npm packages", npm);
    if npm_ok {
        // The add-on and the playground with browser globals only, then the tests with Node's.
        for project in ["tsconfig.json", "tests/tsconfig.json"] {
            let typed = gate(
                Command::new("npx").args(["--no", "--", "tsc", "--pretty", "false", "-p", project]),
                "fix the types the errors above name (JSDoc in the file; when the engine's JSON changed, run `cargo xtask codegen` to rewrite extension/engine/review.d.ts)",
            );
            step(&mut tally, &format!("npx tsc -p {project}"), typed);
        }
    }

    if built_ok && npm_ok {
        let browsers = ensure_debian(&[
            ("chromium", "chromium"),
            (JAPANESE_FONT, "fonts-ipafont-gothic"),
            (CHINESE_FONT, "fonts-wqy-microhei"),
        ]);
        step(&mut tally, "Debian chromium", browsers);
        node_suite(&mut tally, &root, "node", &["tests/node"]);
        node_suite(&mut tally, &root, "browser", &["tests/browser"]);
        if !no_e2e {
            let tb = ensure_debian(&[("thunderbird", "thunderbird"), (THUNDERBIRD_JA, "thunderbird-l10n-ja")]);
            let tb_ok = tb.is_ok();
            step(&mut tally, "Debian thunderbird", tb);
            if tb_ok {
                node_suite(&mut tally, &root, "e2e", &["tests/e2e"]);
            }
        }
    }

    eprintln!();
    for broken in &tally.broken_steps {
        eprintln!("xtask: FAILED: {broken}");
    }
    println!("{} passed, {} failed, {} skipped", tally.passed, tally.failed, tally.skipped);
    if tally.failed == 0 && tally.broken_steps.is_empty() {
        Ok(())
    } else {
        Err("some tests failed".into())
    }
}

fn step(tally: &mut Tally, name: &str, result: Result) {
    if let Err(e) = result {
        eprintln!("xtask: {name}: {e}");
        tally.broken_steps.push(name.to_string());
    }
}

/// Runs a check whose output is its own report (rustfmt, clippy, tsc) from the workspace root;
/// a failure says what failed and how to fix it.
fn gate(cmd: &mut Command, fix: &str) -> Result {
    cmd.current_dir(root());
    let what = describe(cmd);
    eprintln!("xtask: $ {what}");
    match cmd.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("`{what}` failed ({status}): {fix}")),
        Err(e) => Err(format!("`{what}` could not be started: {e}")),
    }
}

/// Runs node's test runner on the given paths, echoing its spec output and counting its TAP.
fn node_suite(tally: &mut Tally, root: &Path, name: &str, paths: &[&str]) {
    let tap = root.join(format!("target/{name}-tests.tap"));
    let _ = std::fs::create_dir_all(root.join("target"));
    let _ = std::fs::remove_file(&tap);
    let mut cmd = Command::new("node");
    cmd.arg("--test")
        .arg("--test-concurrency=1")
        .arg("--test-reporter=spec")
        .arg("--test-reporter-destination=stdout")
        .arg("--test-reporter=tap")
        .arg(format!("--test-reporter-destination={}", tap.display()));
    for path in paths {
        cmd.arg(path);
    }
    cmd.current_dir(root);
    eprintln!("xtask: $ {}", describe(&cmd));
    let status = cmd.status();
    let text = std::fs::read_to_string(&tap).unwrap_or_default();
    let count = |key: &str| -> u64 {
        text.lines()
            .filter_map(|l| l.strip_prefix(&format!("# {key} ")))
            .filter_map(|n| n.trim().parse::<u64>().ok())
            .sum()
    };
    let (pass, fail, skipped) = (count("pass"), count("fail") + count("cancelled"), count("skipped") + count("todo"));
    tally.passed += pass;
    tally.failed += fail;
    tally.skipped += skipped;
    if !status.is_ok_and(|s| s.success()) && fail == 0 {
        tally.broken_steps.push(format!("{name} tests (the runner failed without a failing test)"));
    }
    if pass + fail == 0 {
        tally.broken_steps.push(format!("{name} tests (no test ran)"));
    }
}

trait OutputLines {
    fn output_lines(&mut self) -> (bool, Vec<String>);
}

impl OutputLines for Command {
    /// Runs the command, echoing its stdout while keeping the lines.
    fn output_lines(&mut self) -> (bool, Vec<String>) {
        eprintln!("xtask: $ {}", describe(self));
        let Ok(mut child) = self.stdout(Stdio::piped()).spawn() else {
            return (false, Vec::new());
        };
        let mut lines = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(|l| l.ok()) {
                println!("{line}");
                lines.push(line);
            }
        }
        let ok = child.wait().is_ok_and(|s| s.success());
        (ok, lines)
    }
}

impl Tally {
    fn cargo(&mut self, (ok, lines): (bool, Vec<String>)) {
        let mut ran = 0;
        for line in &lines {
            let Some(rest) = line.strip_prefix("test result: ") else { continue };
            let number = |key: &str| -> u64 {
                rest.split(';')
                    .filter_map(|part| {
                        part.trim().trim_start_matches("ok. ").trim_start_matches("FAILED. ").strip_suffix(key)
                    })
                    .filter_map(|n| n.trim().parse::<u64>().ok())
                    .sum()
            };
            self.passed += number(" passed");
            self.failed += number(" failed");
            self.skipped += number(" ignored");
            ran += 1;
        }
        if !ok && ran == 0 {
            self.broken_steps.push("cargo test (did not build)".into());
        } else if !ok {
            self.broken_steps.push("cargo test".into());
        }
    }
}
