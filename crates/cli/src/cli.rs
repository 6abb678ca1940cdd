//! The commands: their arguments (clap) and what each prints.
//!
//! Exit codes: 0 when every mail was checked (whatever the verdicts), 1 when a mail could
//! not be read or the policy (or the contacts file) has errors, 2 for usage errors.
//! A mail that cannot be read never stops the other mails from being checked.
//! Results go to standard output; errors and policy diagnostics go to standard error.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use misend_guard_dto::{ContentsDto, DiagnosticDto, DraftDto};
use misend_guard_rules::{Code, Lang};
use serde_json::{json, Value};

use crate::engine::Engine;
use crate::policy_file::PolicyFile;
use crate::terminal::escape;
use crate::{audit, contacts, eml, inspect, scan, sent, text};

/// Misend Guard for admins: check mails and policies with the add-on's own engine.
#[derive(Debug, Parser)]
#[command(name = "misend-guard", version, about, max_term_width = 100)]
pub struct Cli {
    /// Language of messages [default: from LC_ALL/LC_MESSAGES/LANG, else ja]
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    /// 日本語
    Ja,
    /// English
    En,
    /// 简体中文
    Zh,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check .eml files as the add-on would check the same mails before sending
    Check(CheckArgs),
    /// Try a policy on a mailbox (mbox, Maildir, .eml folders, Thunderbird profiles): counts per verdict and code
    Scan(scan::ScanArgs),
    /// Summarize the confirmation record the add-on exports (JSON Lines)
    Audit {
        /// Output format
        #[arg(long, value_enum, default_value_t = audit::AuditFormat::Text)]
        format: audit::AuditFormat,
        /// The exported record (.jsonl)
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Validate a policy, or print its JSON Schema
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Explain a finding code, or list every code with its default severity
    Explain {
        /// The code, e.g. external-recipient
        #[arg(value_parser = PossibleValuesParser::new(Code::ALL.iter().map(|c| c.as_str())))]
        code: Option<String>,
    },
    /// Print the draft JSON the add-on would give the engine for .eml files (for the playground)
    Draft {
        /// Leave out what is inside the attachments (`contents`), as an add-on that does not inspect them
        #[arg(long)]
        no_inspect: bool,
        /// The mails
        #[arg(required = true, value_name = "MAIL.eml")]
        mails: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// The policy: the add-on's policy JSON, or a whole Thunderbird policies.json
    /// [default: none, as in an add-on without a managed policy]
    #[arg(long, value_name = "POLICY")]
    policy: Option<PathBuf>,
    /// Known addresses: one per line (`Name <addr>` allowed, `#` comments), or a .vcf or .csv export
    #[arg(long, value_name = "FILE")]
    contacts: Option<PathBuf>,
    /// The sent history, for first-time-recipient: an mbox file (such as Thunderbird's Sent
    /// folder) or a folder of .eml files, searched recursively; only To, Cc and Bcc are read
    #[arg(long, value_name = "MBOX_OR_DIR")]
    sent: Option<PathBuf>,
    /// A person's own settings, as the options page stores them (`internalDomains`, `keywords`,
    /// `rules`), merged over the policy as the add-on does: they can only make checks stricter
    #[arg(long, value_name = "FILE")]
    user_settings: Option<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Do not look inside attachments (judge them by name, type and size only, as an add-on
    /// that does not inspect them)
    #[arg(long)]
    no_inspect: bool,
    /// The mails (.eml: a saved or sent message)
    #[arg(required = true, value_name = "MAIL.eml")]
    mails: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON review per mail: the review the add-on receives (several mails: an array)
    Json,
    /// A summary for people
    Text,
}

#[derive(Debug, Subcommand)]
enum PolicyCommand {
    /// Validate a policy file; prints FILE:LINE:COL diagnostics and exits 1 on any error
    Check {
        /// The add-on's policy JSON, or a whole Thunderbird policies.json
        #[arg(value_name = "POLICY")]
        policy: PathBuf,
    },
    /// Print the policy's JSON Schema
    Schema,
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let lang = match cli.lang {
        Some(LangArg::Ja) => Lang::Ja,
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Zh) => Lang::Zh,
        None => lang_from_env(),
    };
    let result = match cli.command {
        Command::Check(args) => check(&args, lang, out, err),
        Command::Scan(args) => scan::run(&args, lang, out, err),
        Command::Audit { format, file } => audit::run(&file, format, lang, out, err),
        Command::Policy { command: PolicyCommand::Check { policy } } => policy_check(&policy, lang, out, err),
        Command::Policy { command: PolicyCommand::Schema } => {
            write!(out, "{}", misend_guard_rules::policy::schema_json()).map(|_| 0)
        }
        Command::Explain { code } => explain(code.as_deref(), cli.lang.map(|_| lang), lang, out),
        Command::Draft { mails, no_inspect } => draft(&mails, no_inspect, lang, out, err),
    };
    // A closed pipe (`| head`) is not worth a panic or an error message.
    result.unwrap_or(1)
}

/// The language of the environment: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is set,
/// or Japanese when none is (the product is made for Japanese offices, where Windows sets no `LANG`).
fn lang_from_env() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .find_map(|key| std::env::var_os(key).filter(|v| !v.is_empty()))
        .map_or(Lang::Ja, |value| lang_of_locale(&value.to_string_lossy()))
}

/// The language of a POSIX locale name such as `ja_JP.UTF-8`, `zh_CN.GB18030` or `C`:
/// Japanese and Chinese by their language part, anything else English.
fn lang_of_locale(locale: &str) -> Lang {
    let language = locale.split(['_', '-', '.', '@']).next().unwrap_or("").to_ascii_lowercase();
    match language.as_str() {
        "ja" => Lang::Ja,
        "zh" => Lang::Zh,
        _ => Lang::En,
    }
}

type Io = std::io::Result<u8>;

fn check(args: &CheckArgs, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> Io {
    let policy = match args.policy.as_deref().map(|path| PolicyFile::read(path, lang)).transpose() {
        Ok(policy) => policy,
        Err(e) => {
            writeln!(err, "{e}")?;
            return Ok(1);
        }
    };
    let known = match &args.contacts {
        Some(path) => match contacts::read(path, lang) {
            Ok(found) => Some(found),
            Err(errors) => {
                for e in errors {
                    let at = e.line.map_or(String::new(), |l| format!(":{l}"));
                    writeln!(err, "{}{at}: error: {}", escape(&path.display().to_string()), escape(&e.message))?;
                }
                return Ok(1);
            }
        },
        None => None,
    };
    let Ok(sent) = sent::load(args.sent.as_deref(), lang, err)? else { return Ok(1) };
    let user = match args.user_settings.as_deref().map(|path| PolicyFile::read_user_settings(path, lang)).transpose() {
        Ok(user) => user,
        Err(e) => {
            writeln!(err, "{e}")?;
            return Ok(1);
        }
    };
    let engine = Engine::new(
        policy.as_ref().map(PolicyFile::input),
        user.as_ref().map(PolicyFile::input),
        lang,
        known.as_deref(),
    )
    .with_sent(sent);
    let mut failed = print_diagnostics(&engine, policy.as_ref(), user.as_ref(), lang, err)?;

    // Attachments are inspected as the add-on inspects them, within the policy's `inspection`.
    let inspection = (!args.no_inspect).then(|| engine.inspection());
    let mut results: Vec<(String, Result<Value, String>)> = Vec::new();
    for path in &args.mails {
        let name = path.display().to_string();
        let draft = eml::read_mail(path).map_err(|e| e.message(lang)).map(|mut mail| {
            if let Some(settings) = &inspection {
                inspect::inspect_attachments(&mut mail.draft, &mail.files, settings);
            }
            mail.draft
        });
        match draft.and_then(|draft| engine.review_json(&draft, lang)) {
            Ok(review) => results.push((name, Ok(review))),
            Err(message) => {
                writeln!(err, "{}: error: {}", escape(&name), escape(&message))?;
                results.push((name, Err(message)));
                failed = true;
            }
        }
    }

    match args.format {
        Format::Json => {
            let document = match results.as_slice() {
                [(_, Ok(review))] if args.mails.len() == 1 => Some(review.clone()),
                [(_, Err(_))] if args.mails.len() == 1 => None,
                _ => Some(Value::Array(
                    results
                        .iter()
                        .map(|(file, result)| match result {
                            Ok(review) => json!({"file": file, "review": review}),
                            Err(error) => json!({"file": file, "error": error}),
                        })
                        .collect(),
                )),
            };
            if let Some(document) = document {
                writeln!(out, "{}", pretty(&document))?;
            }
        }
        Format::Text => {
            let mut first = true;
            for (file, result) in &results {
                if let Ok(review) = result {
                    if !first {
                        writeln!(out)?;
                    }
                    first = false;
                    write!(out, "{}", text::render(file, review, lang))?;
                }
            }
        }
    }
    Ok(u8::from(failed))
}

/// At most this many diagnostics are printed: past that, a policy is broken as a whole,
/// and printing a million lines helps no one.
const MAX_PRINTED_DIAGNOSTICS: usize = 200;

/// Prints the diagnostics of the policy and of the user's settings in compiler form, each
/// at its place in its own file; returns whether any is an error.
fn print_diagnostics(
    engine: &Engine,
    policy: Option<&PolicyFile>,
    user: Option<&PolicyFile>,
    lang: Lang,
    err: &mut dyn Write,
) -> std::io::Result<bool> {
    let diagnostics = engine.diagnostics();
    let shown = &diagnostics[..diagnostics.len().min(MAX_PRINTED_DIAGNOSTICS)];
    let (of_user, of_admin): (Vec<DiagnosticDto>, Vec<DiagnosticDto>) =
        shown.iter().cloned().partition(|d| d.source == "user");
    let format = |file: Option<&PolicyFile>, diagnostics: &[DiagnosticDto]| -> Vec<String> {
        match file {
            Some(file) => file.format(diagnostics),
            None => diagnostics
                .iter()
                .map(|d| format!("{}: {}: {}", d.level, escape(&d.path), escape(&d.message)))
                .collect(),
        }
    };
    for line in format(policy, &of_admin).into_iter().chain(format(user, &of_user)) {
        writeln!(err, "{line}")?;
    }
    let hidden = diagnostics.len() - shown.len();
    if hidden > 0 {
        writeln!(
            err,
            "{}",
            lang.pick3(format!("… ほかに {hidden} 件"), format!("… and {hidden} more"), format!("… 另有 {hidden} 个"))
        )?;
    }
    Ok(diagnostics.iter().any(|d| d.level == "error"))
}

fn policy_check(path: &Path, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> Io {
    let file = match PolicyFile::read(path, lang) {
        Ok(file) => file,
        Err(e) => {
            writeln!(err, "{e}")?;
            return Ok(1);
        }
    };
    let engine = Engine::new(Some(file.input()), None, lang, None);
    let has_errors = print_diagnostics(&engine, Some(&file), None, lang, err)?;
    let diagnostics = engine.diagnostics();
    let errors = diagnostics.iter().filter(|d| d.level == "error").count();
    let warnings = diagnostics.len() - errors;
    let kind = if file.is_policies_json {
        lang.pick3(
            " (policies.json の Misend Guard の項目)",
            " (the Misend Guard entry of a policies.json)",
            " (policies.json 中 Misend Guard 的项)",
        )
    } else {
        ""
    };
    let summary = match (errors, warnings) {
        (0, 0) => lang.pick3("問題ありません", "ok", "没有问题").to_string(),
        _ => lang.pick3(
            format!("エラー {errors} 件、警告 {warnings} 件"),
            format!("{errors} error(s), {warnings} warning(s)"),
            format!("错误 {errors} 个，警告 {warnings} 个"),
        ),
    };
    writeln!(out, "{}{kind}: {summary}", escape(&file.name))?;
    Ok(u8::from(has_errors))
}

fn explain(code: Option<&str>, chosen: Option<Lang>, lang: Lang, out: &mut dyn Write) -> Io {
    match code.and_then(Code::parse) {
        Some(code) => {
            let info = code.info();
            writeln!(
                out,
                "{} ({}: {})",
                code.as_str(),
                lang.pick3("既定の重要度", "default severity", "默认重要程度"),
                info.default_severity.as_str()
            )?;
            match chosen {
                Some(lang) => writeln!(out, "  {}", code.summary(lang))?,
                None => {
                    writeln!(out, "  ja: {}", info.summary.ja)?;
                    writeln!(out, "  en: {}", info.summary.en)?;
                    writeln!(out, "  zh: {}", info.summary.zh)?;
                }
            }
            // The whole documentation of the check, as its file and docs/checks.md have it.
            writeln!(out)?;
            writeln!(out, "{}", code.doc())?;
        }
        None => {
            let width = Code::ALL.iter().map(|c| c.as_str().len()).max().unwrap_or(0);
            for &code in Code::ALL {
                let info = code.info();
                writeln!(
                    out,
                    "{:<width$}  {:<5}  {}",
                    code.as_str(),
                    info.default_severity.as_str(),
                    code.summary(lang)
                )?;
            }
        }
    }
    Ok(0)
}

fn draft(mails: &[PathBuf], no_inspect: bool, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> Io {
    let mut failed = false;
    let mut entries = Vec::new();
    // Attachments are inspected as `check` inspects them without a policy (the default limits).
    let inspection = (!no_inspect).then(|| Engine::new(None, None, lang, None).inspection());
    for path in mails {
        let name = path.display().to_string();
        let read = eml::read_mail(path).map(|mut mail| {
            if let Some(settings) = &inspection {
                inspect::inspect_attachments(&mut mail.draft, &mail.files, settings);
            }
            mail.draft
        });
        match read {
            Ok(draft) => entries.push(json!({"file": name, "draft": draft_json(&draft)})),
            Err(e) => {
                let message = e.message(lang);
                writeln!(err, "{}: error: {}", escape(&name), escape(&message))?;
                entries.push(json!({"file": name, "error": message}));
                failed = true;
            }
        }
    }
    let document = match entries.as_slice() {
        [single] if mails.len() == 1 => single.get("draft").cloned(),
        _ => Some(Value::Array(entries)),
    };
    if let Some(document) = document {
        writeln!(out, "{}", pretty(&document))?;
    }
    Ok(u8::from(failed))
}

/// A draft in the JSON shape the add-on gives the engine (`DraftDto`).
pub fn draft_json(draft: &DraftDto) -> Value {
    let recipients = |list: &[misend_guard_dto::RecipientDto]| -> Value {
        list.iter()
            .map(|r| match r {
                misend_guard_dto::RecipientDto::Plain(raw) => json!(raw),
                misend_guard_dto::RecipientDto::FromList { value, list } => json!({"value": value, "list": list}),
            })
            .collect()
    };
    json!({
        "from": draft.from,
        "to": recipients(&draft.to),
        "cc": recipients(&draft.cc),
        "bcc": recipients(&draft.bcc),
        "subject": draft.subject,
        "body": draft.body,
        "attachments": draft.attachments.iter().map(|a| {
            let mut attachment = json!({"name": a.name, "size": a.size.map(|s| s as u64)});
            if let Some(contents) = &a.contents {
                attachment["contents"] = contents_json(contents);
            }
            attachment
        }).collect::<Vec<_>>(),
    })
}

/// An attachment's `contents` in the JSON shape the add-on gives the engine.
fn contents_json(contents: &ContentsDto) -> Value {
    let mut json = json!({"state": contents.state});
    for (key, value) in [("reason", &contents.reason), ("detail", &contents.detail)] {
        if let Some(value) = value {
            json[key] = json!(value);
        }
    }
    if let Some(facts) = &contents.facts {
        json["facts"] = facts.clone();
    }
    json
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::lang_of_locale;
    use misend_guard_rules::Lang;

    #[test]
    fn locales_name_their_language() {
        for (locale, lang) in [
            ("ja_JP.UTF-8", Lang::Ja),
            ("ja", Lang::Ja),
            ("zh_CN.UTF-8", Lang::Zh),
            ("zh_CN.GB18030", Lang::Zh),
            ("zh_TW", Lang::Zh),
            ("zh", Lang::Zh),
            ("en_US.UTF-8", Lang::En),
            ("C", Lang::En),
            ("C.UTF-8", Lang::En),
            ("POSIX", Lang::En),
            ("fr_FR@euro", Lang::En),
        ] {
            assert_eq!(lang_of_locale(locale), lang, "{locale}");
        }
    }
}
