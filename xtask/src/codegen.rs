//! `cargo xtask codegen`: the committed generated files, and the check that they are fresh.
//!
//! The one source of a check is its file in `crates/rules/src/checks/`: its `//!`
//! documentation and its `check!` declaration (code, order, default severity, settings type,
//! summary in every language). From those files this writes:
//! - `crates/rules/src/code/generated.rs`: the `Code` enum and its table;
//! - the module list and the dispatch between the `@generated` markers of `checks/mod.rs`;
//! - `crates/rules/src/policy/raw_rules.rs`: the policy's `rules` object;
//! - `docs/checks.md`: the check reference;
//! - the check table between the markers of `README.md`;
//! - `extension/policies/schema.json`: the policy's JSON Schema, printed by the rules crate's
//!   `schema` example once the Rust files above are in place;
//! - `extension/engine/review.d.ts`: the TypeScript declarations of the JSON the engine gives
//!   JavaScript, printed by the dto crate's `typescript` example; the add-on and the
//!   playground are type-checked against them.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use syn::parse::{Parse, ParseStream};
use syn::{braced, Ident, LitBool, LitInt, LitStr, Token};

use crate::{root, Result};

const CHECKS_DIR: &str = "crates/rules/src/checks";
const CODE_TABLE: &str = "crates/rules/src/code/generated.rs";
const CHECKS_MOD: &str = "crates/rules/src/checks/mod.rs";
const RAW_RULES: &str = "crates/rules/src/policy/raw_rules.rs";
const CHECKS_DOC: &str = "docs/checks.md";
const README: &str = "README.md";
const SCHEMA: &str = "extension/policies/schema.json";
const REVIEW_TYPES: &str = "extension/engine/review.d.ts";

const RUST_BEGIN: &str = "// @generated begin: the check files of this folder (cargo xtask codegen)\n";
const RUST_END: &str = "// @generated end\n";
const README_BEGIN: &str = "<!-- @generated begin: checks (cargo xtask codegen) -->\n";
const README_END: &str = "<!-- @generated end -->\n";

/// Regenerates, or with `--check` fails when a committed file differs from what it would be.
pub fn codegen(args: &[String]) -> Result {
    let check = args.iter().any(|a| a == "--check");
    let checks = read_checks()?;
    let mut files = vec![
        (CODE_TABLE, code_table(&checks)),
        (CHECKS_MOD, between(&read(CHECKS_MOD)?, RUST_BEGIN, RUST_END, &dispatch(&checks), CHECKS_MOD)?),
        (RAW_RULES, raw_rules(&checks)),
        (CHECKS_DOC, checks_doc(&checks)),
        (README, between(&read(README)?, README_BEGIN, README_END, &readme_table(&checks), README)?),
    ];
    let mut stale = Vec::new();
    for (path, content) in &files {
        if read(path).unwrap_or_default() == *content {
            continue;
        }
        if check {
            stale.push(*path);
        } else {
            write(path, content)?;
        }
    }
    // The schema is printed by the rules crate as it now is, so it comes after its sources.
    if stale.is_empty() {
        files.clear();
        let printed = [
            (SCHEMA, example("misend-guard-rules", "schema", "schema")?),
            (REVIEW_TYPES, example("misend-guard-dto", "typescript", "typescript")?),
        ];
        for (path, content) in printed {
            if read(path).unwrap_or_default() != content {
                if check {
                    stale.push(path);
                } else {
                    write(path, &content)?;
                }
            }
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "generated files are stale: {}. Run `cargo xtask codegen` and commit the result.",
            stale.join(", ")
        ))
    }
}

fn read(path: &str) -> Result<String> {
    fs::read_to_string(root().join(path)).map_err(|e| format!("{path}: {e}"))
}

fn write(path: &str, content: &str) -> Result {
    let full = root().join(path);
    if let Some(parent) = full.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(&full, content).map_err(|e| format!("{path}: {e}"))?;
    eprintln!("xtask: wrote {path}");
    Ok(())
}

/// What an example program of a crate prints: the policy's JSON Schema (rules), the
/// TypeScript declarations of the JSON shapes (dto).
fn example(package: &str, feature: &str, name: &str) -> Result<String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--package", package, "--features", feature, "--example", name])
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!("{package}'s {name} could not be printed:\n{}", String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("{package}'s {name} is not UTF-8: {e}"))
}

/// A check as its file declares it.
#[derive(Debug)]
struct Check {
    /// The file's name without `.rs`: the module.
    module: String,
    code: String,
    order: u32,
    default: String,
    own_severities: bool,
    settings: String,
    ja: String,
    en: String,
    zh: String,
    tag: [String; 3],
    how_to_fix: [String; 3],
    one_click: Vec<String>,
    /// The `//!` documentation, one string, lines joined by `\n`.
    doc: String,
}

impl Check {
    /// `external-recipient` → `ExternalRecipient`.
    fn variant(&self) -> String {
        self.code
            .split('-')
            .map(|part| {
                let mut chars = part.chars();
                chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
            })
            .collect()
    }

    /// `external-recipient` → `external_recipient`.
    fn field(&self) -> String {
        self.code.replace('-', "_")
    }

    fn default_lower(&self) -> String {
        self.default.to_lowercase()
    }

    /// The JSON of the documentation's `Example policy:`.
    fn example_policy(&self) -> Result<String> {
        let start = self
            .doc
            .find("Example policy: `")
            .ok_or_else(|| format!("{}: the documentation has no \"Example policy: `{{...}}`\"", self.module))?;
        let rest = &self.doc[start + "Example policy: `".len()..];
        let end = rest.find('`').ok_or_else(|| format!("{}: the example policy is not closed with `", self.module))?;
        Ok(rest[..end].replace('\n', " "))
    }

    /// The documentation as Markdown outside rustdoc: intra-doc links become code.
    fn doc_markdown(&self) -> String {
        let mut out = String::new();
        let mut rest = self.doc.as_str();
        while let Some(start) = rest.find("[`") {
            let Some(len) = rest[start..].find("`]") else { break };
            let inner = &rest[start + 2..start + len];
            out.push_str(&rest[..start]);
            let _ = write!(out, "`{}`", inner.trim_start_matches("crate::").trim_start_matches("super::"));
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        out
    }
}

struct Declaration {
    code: String,
    order: u32,
    default: String,
    own_severities: bool,
    settings: String,
    summary: [String; 3],
    tag: [String; 3],
    how_to_fix: [String; 3],
    one_click: Vec<String>,
}

/// `{ ja: "…", en: "…", zh: "…" }`.
fn texts(input: ParseStream<'_>) -> syn::Result<[String; 3]> {
    let content;
    braced!(content in input);
    let mut out: [String; 3] = Default::default();
    while !content.is_empty() {
        let lang: Ident = content.parse()?;
        content.parse::<Token![:]>()?;
        let text = content.parse::<LitStr>()?.value();
        match lang.to_string().as_str() {
            "ja" => out[0] = text,
            "en" => out[1] = text,
            "zh" => out[2] = text,
            other => return Err(syn::Error::new(lang.span(), format!("unknown language `{other}`"))),
        }
        if !content.is_empty() {
            content.parse::<Token![,]>()?;
        }
    }
    Ok(out)
}

impl Parse for Declaration {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut d = Declaration {
            code: String::new(),
            order: 0,
            default: String::new(),
            own_severities: false,
            settings: String::new(),
            summary: Default::default(),
            tag: Default::default(),
            how_to_fix: Default::default(),
            one_click: Vec::new(),
        };
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            input.parse::<Token![:]>()?;
            match key.to_string().as_str() {
                "code" => d.code = input.parse::<LitStr>()?.value(),
                "order" => d.order = input.parse::<LitInt>()?.base10_parse()?,
                "default" => d.default = input.parse::<Ident>()?.to_string(),
                "own_severities" => d.own_severities = input.parse::<LitBool>()?.value,
                "settings" => d.settings = input.parse::<Ident>()?.to_string(),
                "summary" => d.summary = texts(input)?,
                "tag" => d.tag = texts(input)?,
                "how_to_fix" => d.how_to_fix = texts(input)?,
                "one_click" => {
                    let content;
                    syn::bracketed!(content in input);
                    let names = content.parse_terminated(Ident::parse, Token![,])?;
                    d.one_click = names.iter().map(|n| n.to_string()).collect();
                }
                other => return Err(syn::Error::new(key.span(), format!("unknown field `{other}`"))),
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(d)
    }
}

/// Every check file of `crates/rules/src/checks/`, in documentation order.
fn read_checks() -> Result<Vec<Check>> {
    let dir = root().join(CHECKS_DIR);
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    paths.sort();
    let mut checks = Vec::new();
    for path in paths {
        if let Some(check) = read_check(&path)? {
            checks.push(check);
        }
    }
    checks.sort_by_key(|c| c.order);
    for pair in checks.windows(2) {
        if pair[0].order == pair[1].order {
            return Err(format!("{} and {} have the same order {}", pair[0].module, pair[1].module, pair[0].order));
        }
    }
    for c in &checks {
        let expected = c.field();
        if c.module != expected {
            return Err(format!("the check `{}` must live in {CHECKS_DIR}/{expected}.rs, not {}.rs", c.code, c.module));
        }
        if !["Off", "Info", "Warn", "Block"].contains(&c.default.as_str()) {
            return Err(format!("{}: default must be Off, Info, Warn or Block, not {}", c.module, c.default));
        }
        c.example_policy()?;
    }
    Ok(checks)
}

fn read_check(path: &Path) -> Result<Option<Check>> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let file = syn::parse_file(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let declarations: Vec<&syn::ItemMacro> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.is_ident("check") => Some(m),
            _ => None,
        })
        .collect();
    let module = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let declaration = match declarations.as_slice() {
        [] => return Ok(None),
        [one] => *one,
        _ => return Err(format!("{}: one check per file, but it declares {}", path.display(), declarations.len())),
    };
    let d: Declaration =
        syn::parse2(declaration.mac.tokens.clone()).map_err(|e| format!("{}: check!: {e}", path.display()))?;
    let mut doc_lines = Vec::new();
    for attr in &file.attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value {
                let line = s.value();
                doc_lines.push(line.strip_prefix(' ').unwrap_or(&line).to_string());
            }
        }
    }
    if doc_lines.is_empty() {
        return Err(format!("{}: a check file opens with its //! documentation", path.display()));
    }
    Ok(Some(Check {
        module,
        code: d.code,
        order: d.order,
        default: d.default,
        own_severities: d.own_severities,
        settings: d.settings,
        ja: d.summary[0].clone(),
        en: d.summary[1].clone(),
        zh: d.summary[2].clone(),
        tag: d.tag,
        how_to_fix: d.how_to_fix,
        one_click: d.one_click,
        doc: doc_lines.join("\n"),
    }))
}

const HEADER: &str = "// @generated by `cargo xtask codegen` from the `check!` declarations of crates/rules/src/checks/.\n// Do not edit: change the check's file and run `cargo xtask codegen`.\n";

/// A Rust string literal.
fn lit(s: &str) -> String {
    format!("{s:?}")
}

fn code_table(checks: &[Check]) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\nuse super::{CodeInfo, OneClick, Severity, Texts};\n\n");
    out.push_str("/// The stable code of a finding. The kebab-case text is what policies, the CLI and the\n/// dialog use; it names the situation detected, not the fix.\n");
    out.push_str("#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]\npub enum Code {\n");
    for c in checks {
        let _ = writeln!(out, "    /// `{}`: {}\n    {},", c.code, c.en, c.variant());
    }
    out.push_str("}\n\nimpl Code {\n    /// Every code, in the order the documentation lists them.\n    pub const ALL: &'static [Code] = &[\n");
    for c in checks {
        let _ = writeln!(out, "        Code::{},", c.variant());
    }
    out.push_str(
        "    ];\n\n    /// The kebab-case name.\n    pub fn as_str(self) -> &'static str {\n        match self {\n",
    );
    for c in checks {
        let _ = writeln!(out, "            Code::{} => {},", c.variant(), lit(&c.code));
    }
    out.push_str("        }\n    }\n\n    /// What the check's file declares.\n    pub fn info(self) -> CodeInfo {\n        match self {\n");
    for c in checks {
        let _ = write!(
            out,
            "            Code::{variant} => CodeInfo {{\n                code: self,\n                default_severity: Severity::{default},\n                summary: Texts {{\n                    ja: {ja},\n                    en: {en},\n                    zh: {zh},\n                }},\n                tag: {tag},\n                how_to_fix: {how_to_fix},\n                one_click: &[{one_click}],\n                own_severities: {own},\n            }},\n",
            variant = c.variant(),
            default = c.default,
            ja = lit(&c.ja),
            en = lit(&c.en),
            zh = lit(&c.zh),
            tag = texts_literal(&c.tag),
            how_to_fix = texts_literal(&c.how_to_fix),
            one_click = c.one_click.iter().map(|n| format!("OneClick::{n}")).collect::<Vec<_>>().join(", "),
            own = c.own_severities,
        );
    }
    // The documentation has functions of its own, so that a program that never asks for it
    // (the add-on's wasm) does not carry it.
    out.push_str("        }\n    }\n\n    /// The check file's whole `//!` documentation (English, Markdown).\n    pub fn doc(self) -> &'static str {\n        match self {\n");
    for c in checks {
        let _ = writeln!(out, "            Code::{} => {},", c.variant(), lit(&c.doc_markdown()));
    }
    out.push_str("        }\n    }\n\n    /// The `Example policy:` of the documentation, as JSON text.\n    pub fn example_policy(self) -> &'static str {\n        match self {\n");
    for c in checks {
        let _ = writeln!(out, "            Code::{} => {},", c.variant(), lit(&c.example_policy().unwrap_or_default()));
    }
    out.push_str("        }\n    }\n}\n");
    out
}

/// `Texts { ja: "…", en: "…", zh: "…" }` on one line.
fn texts_literal(t: &[String; 3]) -> String {
    format!("Texts {{ ja: {}, en: {}, zh: {} }}", lit(&t[0]), lit(&t[1]), lit(&t[2]))
}

fn dispatch(checks: &[Check]) -> String {
    let mut out = String::new();
    let mut modules: Vec<&str> = checks.iter().map(|c| c.module.as_str()).collect();
    modules.sort();
    for m in modules {
        let _ = writeln!(out, "mod {m};");
    }
    out.push_str("\n/// Runs one check.\nfn run(code: Code, subject: &Subject<'_>, out: &mut Vec<Finding>) {\n    match code {\n");
    for c in checks {
        let _ = writeln!(out, "        Code::{} => {}::check(subject, out),", c.variant(), c.module);
    }
    out.push_str("    }\n}\n");
    out
}

fn raw_rules(checks: &[Check]) -> String {
    let mut out = String::from(HEADER);
    out.push_str(
        "\n//! The policy's `rules` object: one key per check, each with that check's settings.\n\nuse serde::Deserialize;\n\n#[allow(clippy::wildcard_imports)]\nuse super::raw::*;\nuse crate::code::{Code, Severity};\n\n",
    );
    out.push_str("/// Per-check settings, by the check's code. A check not named here keeps its default severity.\n");
    out.push_str("#[derive(Clone, Debug, Default, Deserialize)]\n#[cfg_attr(feature = \"schema\", derive(schemars::JsonSchema))]\n#[serde(deny_unknown_fields)]\npub struct RawRules {\n");
    for c in checks {
        let _ = write!(
            out,
            "    /// {} Default: `{}`.\n    #[serde(rename = {})]\n    pub {}: Option<{}>,\n",
            c.en,
            c.default_lower(),
            lit(&c.code),
            c.field(),
            c.settings
        );
    }
    out.push_str("}\n\nimpl RawRules {\n    /// The severity the policy gives a check, when it names one.\n    pub fn severity(&self, code: Code) -> Option<Severity> {\n        match code {\n");
    for c in checks {
        let _ =
            writeln!(out, "            Code::{} => self.{}.as_ref().and_then(|r| r.severity),", c.variant(), c.field());
    }
    out.push_str("        }\n    }\n}\n");
    out
}

fn checks_doc(checks: &[Check]) -> String {
    let mut out = String::from(
        "<!-- @generated by `cargo xtask codegen` from crates/rules/src/checks/; do not edit. -->\n# The checks\n\nEvery check of Misend Guard, as its file in `crates/rules/src/checks/` documents it.\nEach has a stable code; its severity is set under `rules.<code>.severity` in the policy (`off`, `info`, `warn` or `block`).\n`misend-guard explain CODE` prints the same text.\n\n| code | default | what it detects |\n| --- | --- | --- |\n",
    );
    for c in checks {
        let _ = writeln!(out, "| [`{}`](#{}) | {} | {} |", c.code, c.code, c.default_lower(), c.en);
    }
    for c in checks {
        let _ = write!(
            out,
            "\n## `{code}`\n\nDefault: `{default}`.\n\n- ja: {ja}\n- en: {en}\n- zh: {zh}\n\n{doc}\n",
            code = c.code,
            default = c.default_lower(),
            ja = c.ja,
            en = c.en,
            zh = c.zh,
            doc = c.doc_markdown().split_once('\n').map(|(_, rest)| rest.trim_start_matches('\n')).unwrap_or(""),
        );
    }
    out
}

fn readme_table(checks: &[Check]) -> String {
    let mut out = String::from("| code | default | what it detects |\n| --- | --- | --- |\n");
    for c in checks {
        let _ = writeln!(out, "| `{}` | {} | {} |", c.code, c.default_lower(), c.en);
    }
    out
}

/// Replaces what is between two markers of a hand-written file.
fn between(text: &str, begin: &str, end: &str, content: &str, path: &str) -> Result<String> {
    let start = text.find(begin).ok_or_else(|| format!("{path} has no line `{}`", begin.trim_end()))? + begin.len();
    let stop = text[start..].find(end).ok_or_else(|| format!("{path} has no line `{}`", end.trim_end()))? + start;
    Ok(format!("{}{content}{}", &text[..start], &text[stop..]))
}
