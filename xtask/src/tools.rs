//! Finding and installing the tools the build needs, with clear messages when that fails.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::{root, Result};

/// Runs a command, echoing it, and fails with its exit status.
pub fn run(cmd: &mut Command) -> Result {
    eprintln!("xtask: $ {}", describe(cmd));
    let status = cmd.status().map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// A command line as text.
pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program().to_string_lossy().into_owned())
        .chain(cmd.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a program is on the PATH.
pub fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The version of a package in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock =
        std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + needle.len();
    let end = lock[start..].find('"').ok_or("Cargo.lock is malformed")?;
    Ok(lock[start..start + end].to_string())
}

/// Adds the wasm32-unknown-unknown target when it is missing.
pub fn ensure_wasm_target() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the wasm32-unknown-unknown target: {e}"))?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// Makes sure the wasm-bindgen CLI matches the wasm-bindgen crate in Cargo.lock:
/// installs it when missing, refuses a mismatched one.
pub fn ensure_wasm_bindgen() -> Result {
    let wanted = locked_version("wasm-bindgen")?;
    if let Ok(out) = Command::new("wasm-bindgen").arg("--version").output() {
        let text = String::from_utf8_lossy(&out.stdout);
        let found = text.split_whitespace().nth(1).unwrap_or("").to_string();
        if found == wanted {
            return Ok(());
        }
        return Err(format!(
            "wasm-bindgen-cli {found} is installed, but Cargo.lock pins wasm-bindgen {wanted}; \
             they must match exactly.\n  Fix: cargo install wasm-bindgen-cli --version {wanted} --locked --force"
        ));
    }
    eprintln!("xtask: installing wasm-bindgen-cli {wanted} (it must match Cargo.lock; this takes a few minutes)");
    let locked = run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted, "--locked"]));
    if locked.is_err() {
        // A dependency pinned in wasm-bindgen-cli's own lock file may have been yanked from
        // the registry; the same version then still builds with the newest compatible ones.
        eprintln!("xtask: the --locked install failed; retrying with the newest compatible dependencies");
        run(Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted]))?;
    }
    Ok(())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Thunderbird's Japanese UI, for the Japanese dialog and its screenshot.
pub const THUNDERBIRD_JA: &str = "/usr/lib/thunderbird/extensions/langpack-ja@thunderbird.mozilla.org.xpi";
/// A Japanese font, so that screenshots show Japanese text instead of boxes.
pub const JAPANESE_FONT: &str = "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf";
/// A Simplified Chinese font, for the screenshots of the Chinese pages.
pub const CHINESE_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// Whether what a package provides is here: a file when `probe` is an absolute path
/// (a font, a language pack), otherwise a program on the PATH.
fn present(probe: &str) -> bool {
    if probe.starts_with('/') {
        Path::new(probe).exists()
    } else {
        have(probe)
    }
}

/// Installs the Debian packages whose probe (a program, or an absolute path) is missing.
pub fn ensure_debian(programs_and_packages: &[(&str, &str)]) -> Result {
    let missing: Vec<&str> =
        programs_and_packages.iter().filter(|(probe, _)| !present(probe)).map(|(_, package)| *package).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let apt = if is_root() {
        vec!["apt-get"]
    } else if have("sudo") {
        vec!["sudo", "apt-get"]
    } else {
        return Err(format!(
            "these Debian packages are needed: {}. Install them with: apt-get install -y {}",
            missing.join(" "),
            missing.join(" ")
        ));
    };
    eprintln!("xtask: installing Debian packages: {}", missing.join(" "));
    let mut update = Command::new(apt[0]);
    update.args(&apt[1..]).args(["update", "-qq"]);
    run(&mut update)?;
    let mut install = Command::new(apt[0]);
    install
        .args(&apt[1..])
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install)
}

/// Installs the npm packages of package-lock.json when node_modules is missing or older.
pub fn ensure_npm() -> Result {
    let root = root();
    if !have("node") || !have("npm") {
        return Err("Node.js 20 and npm are needed for the JavaScript tests: apt-get install -y nodejs npm".into());
    }
    let lock = root.join("package-lock.json");
    let stamp = root.join("node_modules/.package-lock.json");
    if is_newer(&stamp, &lock) {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&root))
}

fn is_newer(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(a), modified(b)), (Some(a), Some(b)) if a >= b)
}
