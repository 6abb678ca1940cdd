//! `cargo xtask run` (Thunderbird with the add-on) and `cargo xtask www` (the playground).

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{ensure_debian, ensure_npm, run as run_cmd, JAPANESE_FONT, THUNDERBIRD_JA};
use crate::{dist, root, Result};

/// Builds the add-on and starts Thunderbird with it, an example policy and a local SMTP sink.
pub fn run(args: &[String]) -> Result {
    let built = dist::dist(&[])?;
    ensure_debian(&[
        ("thunderbird", "thunderbird"),
        (THUNDERBIRD_JA, "thunderbird-l10n-ja"),
        (JAPANESE_FONT, "fonts-ipafont-gothic"),
    ])?;
    let root = root();
    let policy = args
        .iter()
        .position(|a| a == "--policy")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("extension/policies/example.policies.json"));
    run_cmd(
        Command::new("node")
            .arg(root.join("tests/e2e/run-thunderbird.mjs"))
            .arg("--xpi")
            .arg(&built.xpi)
            .arg("--policies")
            .arg(policy)
            .current_dir(&root),
    )
}

/// The files of npm packages that the playground loads in the browser, copied into
/// `dist/www/vendor/<package>/`: (package, folder inside the package, file suffixes).
/// Only the browser build is shipped, with the package's licence beside it.
const VENDOR: &[(&str, &str, &[&str])] = &[("postal-mime", "dist/esm", &[".js"])];

/// Builds the playground into `dist/www/` and serves it on 127.0.0.1.
/// `--build-only` builds and stops (the browser tests load exactly that folder);
/// `--port N` serves on another port.
pub fn www(args: &[String]) -> Result {
    let out = build_www()?;
    if args.iter().any(|a| a == "--build-only") {
        eprintln!("xtask: built the playground in {}", out.display());
        return Ok(());
    }
    let port: u16 = args
        .iter()
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let listener =
        TcpListener::bind(("127.0.0.1", port)).map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("The policy playground is at http://127.0.0.1:{port}/  (Ctrl+C stops it)");
    for stream in listener.incoming().flatten() {
        let _ = serve(stream, &out);
    }
    Ok(())
}

/// Lays out `dist/www/`: the page (www/), the add-on's engine wrapper and wasm, its dialog
/// renderer and styles, its locales and icon, and the vendored browser builds of npm packages.
/// Every URL in the page is relative, so the folder works from any static file host.
pub fn build_www() -> Result<PathBuf> {
    dist::build_engine()?;
    ensure_npm()?;
    let root = root();
    let out = root.join("dist/www");
    let _ = fs::remove_dir_all(&out);
    copy_dir(&root.join("www"), &out)?;
    copy_dir(&root.join("extension/engine"), &out.join("engine"))?;
    copy_dir(&root.join("extension/dialog"), &out.join("dialog"))?;
    // The attachment inspector (its wrapper and the second wasm module), loaded by the page only
    // when a real file is added as an attachment.
    copy_dir(&root.join("extension/inspect"), &out.join("inspect"))?;
    copy_dir(&root.join("extension/_locales"), &out.join("_locales"))?;
    copy_dir(&root.join("extension/icons"), &out.join("icons"))?;
    // The policy's JSON Schema, which the diagnostics' hints name and the page links to.
    fs::copy(root.join("extension/policies/schema.json"), out.join("schema.json"))
        .map_err(|e| format!("schema.json: {e}"))?;
    for (package, folder, suffixes) in VENDOR {
        let from = root.join("node_modules").join(package);
        let to = out.join("vendor").join(package);
        fs::create_dir_all(&to).map_err(|e| e.to_string())?;
        let entries = fs::read_dir(from.join(folder))
            .map_err(|e| format!("{}: {e} (is `{package}` in package.json?)", from.join(folder).display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            if suffixes.iter().any(|s| name.ends_with(s)) {
                fs::copy(&path, to.join(&name)).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        for licence in ["LICENSE", "LICENSE.txt", "LICENSE.md"] {
            if from.join(licence).is_file() {
                fs::copy(from.join(licence), to.join(licence)).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(out)
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let target = to.join(path.file_name().expect("a file name"));
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            fs::copy(&path, &target).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Serves one GET request from `dir`; a tiny static server so that admins on any OS need
/// nothing besides cargo.
fn serve(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let relative = path.trim_start_matches('/');
    let relative = if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    };
    let file = dir.join(&relative);
    let safe = !relative.split('/').any(|part| part == "..");
    match fs::read(&file) {
        Ok(body) if safe => {
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js" | "mjs") => "text/javascript; charset=utf-8",
                Some("css") => "text/css; charset=utf-8",
                Some("json") => "application/json; charset=utf-8",
                Some("wasm") => "application/wasm",
                Some("svg") => "image/svg+xml",
                Some("png") => "image/png",
                _ => "application/octet-stream",
            };
            write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n", body.len())?;
            stream.write_all(&body)
        }
        _ => write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"),
    }
}
