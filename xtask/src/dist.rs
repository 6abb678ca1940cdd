//! `cargo xtask dist`: the release wasm, its bindings, the dialog's bundled script and style
//! sheet (bundle.rs), and the .xpi.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::{ensure_wasm_bindgen, ensure_wasm_target, run};
use crate::{root, Result};

/// The add-on's folders and files that go into the .xpi; `policies/` is for admins only.
const XPI_EXCLUDE: &[&str] = &["policies"];

/// What `dist` built.
#[derive(Debug)]
pub struct Built {
    /// The .xpi.
    pub xpi: PathBuf,
}

/// Builds the wasm engine and the .xpi.
pub fn dist(_args: &[String]) -> Result<Built> {
    let root = root();
    build_engine()?;
    let version = manifest_version(&root)?;
    let cargo_version = env!("CARGO_PKG_VERSION");
    if version != cargo_version {
        return Err(format!(
            "extension/manifest.json says version {version} but Cargo.toml says {cargo_version}; make them equal"
        ));
    }
    crate::bundle::bundle_dialog(&root)?;
    crate::bundle::bundle_background(&root)?;
    let xpi = root.join("dist").join(format!("misend-guard-{version}.xpi"));
    fs::create_dir_all(root.join("dist")).map_err(|e| e.to_string())?;
    package(&root.join("extension"), &xpi)?;
    let xpi_size = fs::metadata(&xpi).map_err(|e| e.to_string())?.len();
    eprintln!(
        "xtask: built {} ({:.0} KB)",
        xpi.strip_prefix(&root).unwrap_or(&xpi).display(),
        xpi_size as f64 / 1024.0
    );
    for module in MODULES {
        let wasm = module.wasm(&root);
        let raw = fs::metadata(&wasm).map_err(|e| e.to_string())?.len();
        let gz = gzipped_size(&wasm)?;
        let over = if gz > module.budget { "  OVER ITS BUDGET" } else { "" };
        eprintln!(
            "xtask: {} {:.0} KB raw, {gz} B = {:.1} KB gzipped (budget {:.0} KB){over}",
            module.out,
            raw as f64 / 1024.0,
            gz as f64 / 1024.0,
            module.budget as f64 / 1024.0
        );
    }
    Ok(Built { xpi })
}

/// Builds both release wasm modules and runs wasm-bindgen on each: the rule engine into
/// `extension/engine/pkg/`, the attachment inspector (loaded only for mails with attachments) into
/// `extension/inspect/pkg/`.
pub fn build_engine() -> Result {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    for module in MODULES {
        build_module(module)?;
    }
    Ok(())
}

/// One wasm module of the add-on: its crate, the file name cargo gives it, and its bindings' folder.
pub struct Module {
    pub package: &'static str,
    pub stem: &'static str,
    pub out: &'static str,
    /// The most its `.wasm` may weigh gzipped, in bytes.
    pub budget: u64,
    /// The wasm features its code may use beyond the baseline (`-C target-feature`), if any.
    pub features: Option<&'static str>,
}

/// The add-on's wasm modules, each built on its own so that one crate's features never change the other.
pub const MODULES: &[Module] = &[
    Module {
        package: "misend-guard-wasm",
        stem: "misend_guard_wasm",
        out: "extension/engine/pkg",
        budget: 550 * 1024,
        features: None,
    },
    // The inspector inflates and scans megabytes per attachment: with wasm SIMD, which every host of the
    // add-on has (Thunderbird 153, Node 20, Chromium), zlib-rs copies matches and memchr searches 16
    // bytes at a time (BENCHMARKS.md).
    Module {
        package: "misend-guard-inspect-wasm",
        stem: "misend_guard_inspect_wasm",
        out: "extension/inspect/pkg",
        budget: 150 * 1024,
        features: Some("+simd128"),
    },
];

impl Module {
    /// The `.wasm` that wasm-bindgen wrote.
    pub fn wasm(&self, root: &Path) -> PathBuf {
        root.join(self.out).join(format!("{}_bg.wasm", self.stem))
    }
}

fn build_module(module: &Module) -> Result {
    let root = root();
    let mut target_dir = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    let mut cargo = Command::new("cargo");
    cargo.args(["build", "--release", "--package", module.package, "--target", "wasm32-unknown-unknown"]);
    if let Some(features) = module.features {
        // A module with its own features is built in its own target directory: sharing one with the
        // other module would rebuild their common crates each time, and the other module must keep
        // its bytes.
        target_dir = target_dir.join(format!("wasm{}", features.replace(['+', ','], "-")));
        cargo
            .arg("--target-dir")
            .arg(&target_dir)
            .arg("--config")
            .arg(format!("target.wasm32-unknown-unknown.rustflags = [\"-C\", \"target-feature={features}\"]"));
    }
    run(cargo.current_dir(&root))?;
    let built = target_dir.join(format!("wasm32-unknown-unknown/release/{}.wasm", module.stem));
    let out = root.join(module.out);
    // The bindings are rewritten only when the module changed, so that a page or test that is
    // loading them (the browser tests build the playground while others may run) never sees
    // a half-written folder, and a no-op build stays a no-op.
    if is_newer(&module.wasm(&root), &built) && out.join(format!("{}.js", module.stem)).is_file() {
        return Ok(());
    }
    let _ = fs::remove_dir_all(&out);
    // The name section only serves debuggers, and is a sixth of the module: the add-on ships
    // without it, so that its download and start stay small.
    run(Command::new("wasm-bindgen")
        .arg("--target")
        .arg("web")
        .arg("--no-typescript")
        .arg("--remove-name-section")
        .arg("--out-dir")
        .arg(&out)
        .arg(&built))
}

/// Whether `a` exists and was modified no earlier than `b`.
fn is_newer(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((modified(a), modified(b)), (Some(a), Some(b)) if a >= b)
}

fn manifest_version(root: &Path) -> Result<String> {
    let text = fs::read_to_string(root.join("extension/manifest.json"))
        .map_err(|e| format!("extension/manifest.json: {e}"))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("extension/manifest.json: {e}"))?;
    manifest["version"].as_str().map(str::to_string).ok_or_else(|| "extension/manifest.json has no version".to_string())
}

fn package(dir: &Path, xpi: &Path) -> Result {
    let file = fs::File::create(xpi).map_err(|e| format!("{}: {e}", xpi.display()))?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    for (name, path) in files {
        zip.start_file(name.as_str(), options).map_err(|e| e.to_string())?;
        zip.write_all(&fs::read(&path).map_err(|e| e.to_string())?).map_err(|e| e.to_string())?;
    }
    zip.finish().map_err(|e| e.to_string())?;
    Ok(())
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> Result {
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path.strip_prefix(base).expect("inside base").to_string_lossy().replace('\\', "/");
        if XPI_EXCLUDE.contains(&name.as_str()) || name.ends_with(".gitignore") || name.ends_with(".test.mjs") {
            continue;
        }
        if path.is_dir() {
            collect(base, &path, out)?;
        } else {
            out.push((name, path));
        }
    }
    Ok(())
}

/// The gzipped size of a file, as a web server or an .xpi would roughly ship it.
pub fn gzipped_size(path: &Path) -> Result<u64> {
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&bytes).map_err(|e| e.to_string())?;
    Ok(encoder.finish().map_err(|e| e.to_string())?.len() as u64)
}
