//! `misend-guard scan`: a dry run of a policy over a mailbox, before it is deployed.
//!
//! The mails are found in mbox files, Maildir folders (`cur/`, `new/`), folders of .eml files
//! (searched recursively) and Thunderbird profile folders (an mbox file without extension beside
//! its `.msf` index). Each mail is read as `check` reads an .eml file ([`crate::eml`]), its
//! attachments are inspected as `check` inspects them, and it is reviewed by the same engine
//! ([`crate::engine`]), so the counts are what the dialog would have shown on those mails.
//!
//! Mails are read one at a time from a single reader (an mbox is streamed, see [`mbox`]) and
//! parsed and checked on every core with `rayon`; the results come back through a bounded
//! channel to the thread that counts them and writes the output, so memory stays flat however
//! large the mailbox. A mail that cannot be read is counted with its place and reason, and the
//! scan goes on.
//!
//! - [`mbox`] splits an mbox into mails; [`summary`] counts, merges and prints the counts;
//!   [`report`] writes the HTML report.

pub mod mbox;
pub mod report;
pub mod summary;

use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use misend_guard_rules::Lang;
use rayon::iter::{ParallelBridge, ParallelIterator};
use serde_json::json;

use crate::eml::{self, MailError};
use crate::engine::Engine;
use crate::files::ReadError;
use crate::inspect::{self, Inspection};
use crate::policy_file::PolicyFile;
use crate::terminal::escape;
use crate::{contacts, eml::MAX_MAIL_BYTES, sent};
use mbox::{MboxReader, Skipped};
use summary::{Source, Summary};

/// The arguments of `scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The policy: the add-on's policy JSON, or a whole Thunderbird policies.json
    /// [default: none, as in an add-on without a managed policy]
    #[arg(long, value_name = "POLICY")]
    policy: Option<PathBuf>,
    /// A second policy run over the same mails: the output shows how each count moves
    #[arg(long, value_name = "OTHER_POLICY", conflicts_with = "merge")]
    compare: Option<PathBuf>,
    /// Known addresses: one per line (`Name <addr>` allowed, `#` comments), or a .vcf or .csv export
    #[arg(long, value_name = "FILE")]
    contacts: Option<PathBuf>,
    /// The sent history, for first-time-recipient: an mbox file (such as Thunderbird's Sent
    /// folder) or a folder of .eml files, searched recursively; only To, Cc and Bcc are read
    #[arg(long, value_name = "MBOX_OR_DIR")]
    sent: Option<PathBuf>,
    /// Output format: a summary, JSON Lines (one review per mail, then the summary), or an HTML report
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    format: ScanFormat,
    /// Do not look inside attachments (judge them by name, type and size only)
    #[arg(long)]
    no_inspect: bool,
    /// Merge the JSON outputs (`--format json`) of several runs into one summary; PATHs are those outputs
    #[arg(long)]
    merge: bool,
    /// mbox files, Maildir folders, folders of .eml files, Thunderbird profile mail folders
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
}

/// How `scan` and `audit` print what they found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// A summary for people
    Text,
    /// JSON Lines: one line per mail, then a summary line
    Json,
    /// One self-contained HTML report page
    Html,
}

/// One place mails are read from.
#[derive(Debug)]
enum Input {
    /// A file holding one mail.
    Eml(PathBuf, u64),
    /// An mbox file.
    Mbox(PathBuf, u64),
    /// A path that could not be read.
    Broken(PathBuf, String),
}

impl Input {
    fn size(&self) -> u64 {
        match self {
            Input::Eml(_, size) | Input::Mbox(_, size) => *size,
            Input::Broken(..) => 0,
        }
    }
}

/// Finds the mails under the paths given.
fn inputs(paths: &[PathBuf], lang: Lang) -> Vec<Input> {
    let mut found = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut found, lang),
            Ok(meta) => {
                // A file named on the command line is an mbox unless it holds one mail:
                // an .eml file, or a file that does not start with a `From ` line.
                let is_eml = has_extension(path, "eml") || !starts_with_from_line(path);
                found.push(if is_eml {
                    Input::Eml(path.clone(), meta.len())
                } else {
                    Input::Mbox(path.clone(), meta.len())
                });
            }
            Err(e) => found.push(Input::Broken(path.clone(), ReadError::Io(e).message(lang))),
        }
    }
    found
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

fn starts_with_from_line(path: &Path) -> bool {
    let mut start = [0u8; 5];
    File::open(path).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut start)).is_ok() && &start == b"From "
}

fn is_maildir(dir: &Path) -> bool {
    dir.join("cur").is_dir() && dir.join("new").is_dir()
}

/// Adds the mails of a folder: a Maildir's `cur/` and `new/`, the .eml files, and the mbox files
/// that have a `.msf` beside them (Thunderbird), then the same in each subfolder.
/// A link to a folder is not followed, so that a link back to a parent cannot make the walk endless.
fn walk(dir: &Path, found: &mut Vec<Input>, lang: Lang) {
    let list = |dir: &Path| -> Result<Vec<PathBuf>, String> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .and_then(|entries| entries.map(|e| e.map(|e| e.path())).collect())
            .map_err(|e| ReadError::Io(e).message(lang))?;
        entries.sort();
        Ok(entries)
    };
    let entries = match list(dir) {
        Ok(entries) => entries,
        Err(reason) => return found.push(Input::Broken(dir.to_path_buf(), reason)),
    };
    let maildir = is_maildir(dir);
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let linked_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) && path.is_dir();
        let meta = match std::fs::metadata(&path) {
            Ok(_) if linked_dir => continue,
            Ok(meta) => meta,
            Err(e) => {
                found.push(Input::Broken(path.clone(), ReadError::Io(e).message(lang)));
                continue;
            }
        };
        if meta.is_dir() {
            if maildir && (name == "cur" || name == "new") {
                match list(&path) {
                    Ok(mails) => {
                        for mail in mails.into_iter().filter(|m| m.is_file()) {
                            let size = std::fs::metadata(&mail).map(|m| m.len()).unwrap_or(0);
                            found.push(Input::Eml(mail, size));
                        }
                    }
                    Err(reason) => found.push(Input::Broken(path.clone(), reason)),
                }
            } else if !(maildir && name == "tmp") {
                walk(&path, found, lang);
            }
        } else if has_extension(&path, "eml") {
            found.push(Input::Eml(path, meta.len()));
        } else if !has_extension(&path, "msf") && dir.join(format!("{name}.msf")).is_file() {
            // Thunderbird names the index after the folder, dots and all (`Archives.2026.msf`).
            found.push(Input::Mbox(path, meta.len()));
        }
    }
}

/// One mail to check, as the reader hands it to the workers.
enum Item {
    File(PathBuf, u64),
    Bytes(Source, Vec<u8>, u64),
    Failed(Source, String, u64),
}

/// What a worker sends back for one mail, or for a batch of mails.
struct Outcome {
    /// The JSON lines of the mails (`--format json`), each with its line break.
    lines: String,
    summary: Summary,
    other: Option<Summary>,
    /// The bytes of the input these mails took, for the progress bar.
    bytes: u64,
}

impl Outcome {
    fn merge(&mut self, other: Outcome) {
        self.lines.push_str(&other.lines);
        self.summary.merge(other.summary);
        if let (Some(mine), Some(theirs)) = (self.other.as_mut(), other.other) {
            mine.merge(theirs);
        }
        self.bytes += other.bytes;
    }
}

impl Item {
    fn size(&self) -> u64 {
        match self {
            Item::File(_, size) | Item::Failed(_, _, size) => *size,
            Item::Bytes(_, bytes, _) => bytes.len() as u64,
        }
    }
}

/// Mails handed to a worker together, so that the handing over and the counting happen once per
/// batch rather than once per mail: at most this many mails…
const BATCH_MAILS: usize = 64;
/// …and at most about this many bytes, so that a batch of large mails stays small in memory.
const BATCH_BYTES: u64 = 1024 * 1024;

/// The items in batches of at most [`BATCH_MAILS`] mails and about [`BATCH_BYTES`] bytes.
fn batches(items: impl Iterator<Item = Item> + Send) -> impl Iterator<Item = Vec<Item>> + Send {
    let mut items = items.peekable();
    std::iter::from_fn(move || {
        let mut batch = Vec::new();
        let mut bytes = 0;
        while batch.len() < BATCH_MAILS && bytes < BATCH_BYTES {
            let Some(item) = items.next() else { break };
            bytes += item.size();
            batch.push(item);
        }
        (!batch.is_empty()).then_some(batch)
    })
}

/// The mails of all inputs, one at a time; an mbox is read as the workers ask for mails.
fn items(inputs: Vec<Input>, lang: Lang) -> impl Iterator<Item = Item> + Send {
    inputs.into_iter().flat_map(move |input| -> Box<dyn Iterator<Item = Item> + Send> {
        match input {
            Input::Eml(path, size) => Box::new(std::iter::once(Item::File(path, size))),
            Input::Broken(path, reason) => {
                let source = Source { file: path.display().to_string(), index: None, offset: None };
                Box::new(std::iter::once(Item::Failed(source, reason, 0)))
            }
            Input::Mbox(path, _) => match File::open(&path) {
                Err(e) => {
                    let source = Source { file: path.display().to_string(), index: None, offset: None };
                    Box::new(std::iter::once(Item::Failed(source, ReadError::Io(e).message(lang), 0)))
                }
                Ok(file) => {
                    let name: Arc<str> = path.display().to_string().into();
                    let reader = MboxReader::new(BufReader::with_capacity(256 * 1024, file));
                    Box::new(reader.map(move |mail| {
                        let source =
                            Source { file: name.to_string(), index: Some(mail.index), offset: Some(mail.offset) };
                        let bytes = mail.end - mail.offset;
                        match mail.bytes {
                            Ok(mail) => Item::Bytes(source, mail, bytes),
                            Err(Skipped::TooLarge) => Item::Failed(
                                source,
                                MailError::Read(ReadError::TooLarge { limit: MAX_MAIL_BYTES, size: None })
                                    .message(lang),
                                bytes,
                            ),
                            Err(Skipped::Io(e)) => Item::Failed(
                                source,
                                lang.pick3(
                                    format!("読み込めません: {e}"),
                                    format!("cannot read: {e}"),
                                    format!("无法读取：{e}"),
                                ),
                                bytes,
                            ),
                        }
                    }))
                }
            },
        }
    })
}

/// The engines a scan checks each mail with, and how.
struct Checkers {
    engine: Engine,
    other: Option<Engine>,
    inspection: Option<Inspection>,
    json: bool,
    lang: Lang,
}

impl Checkers {
    fn check(&self, item: Item) -> Outcome {
        let (source, read, bytes) = match item {
            Item::File(path, size) => {
                let source = Source { file: path.display().to_string(), index: None, offset: None };
                (source, eml::read_mail(&path), size)
            }
            Item::Bytes(source, mail, size) => (source, eml::parse_mail(&mail), size),
            Item::Failed(source, reason, size) => return self.failed(source, reason, size),
        };
        let mut mail = match read {
            Ok(mail) => mail,
            Err(e) => return self.failed(source, e.message(self.lang), bytes),
        };
        if let Some(settings) = &self.inspection {
            inspect::inspect_attachments(&mut mail.draft, &mail.files, settings);
        }
        let reviewed = self.engine.review_json(&mail.draft, self.lang);
        let other = self.other.as_ref().map(|engine| engine.review_json(&mail.draft, self.lang));
        let (review, other) = match (reviewed, other.transpose()) {
            (Ok(review), Ok(other)) => (review, other),
            (Err(reason), _) | (_, Err(reason)) => return self.failed(source, reason, bytes),
        };
        let summary = Summary::of_review(&source, &review);
        let other_summary = other.as_ref().map(|other| Summary::of_review(&source, other));
        let lines = match self.json {
            true => {
                let mut line = json!({"source": source, "review": review});
                if let Some(other) = other {
                    line["compareReview"] = other;
                }
                format!("{line}\n")
            }
            false => String::new(),
        };
        Outcome { lines, summary, other: other_summary, bytes }
    }

    fn failed(&self, source: Source, reason: String, bytes: u64) -> Outcome {
        let lines = match self.json {
            true => format!("{}\n", json!({"source": source, "error": reason})),
            false => String::new(),
        };
        let other = self.other.as_ref().map(|_| Summary::of_error(source.clone(), reason.clone()));
        Outcome { lines, summary: Summary::of_error(source, reason), other, bytes }
    }

    /// Checks a batch of mails; the outcome holds them all, in order.
    fn check_batch(&self, batch: Vec<Item>) -> Outcome {
        let mut all = Outcome {
            lines: String::new(),
            summary: Summary::default(),
            other: self.other.as_ref().map(|_| Summary::default()),
            bytes: 0,
        };
        for item in batch {
            all.merge(self.check(item));
        }
        all
    }
}

fn load_policy(
    path: Option<&Path>,
    lang: Lang,
    err: &mut dyn Write,
) -> std::io::Result<Result<Option<PolicyFile>, ()>> {
    match path.map(|path| PolicyFile::read(path, lang)).transpose() {
        Ok(policy) => Ok(Ok(policy)),
        Err(e) => {
            writeln!(err, "{e}")?;
            Ok(Err(()))
        }
    }
}

fn load_addresses(
    path: Option<&Path>,
    lang: Lang,
    err: &mut dyn Write,
) -> std::io::Result<Result<Option<Vec<contacts::Contact>>, ()>> {
    let Some(path) = path else { return Ok(Ok(None)) };
    match contacts::read(path, lang) {
        Ok(found) => Ok(Ok(Some(found))),
        Err(errors) => {
            for e in errors {
                let at = e.line.map_or(String::new(), |l| format!(":{l}"));
                writeln!(err, "{}{at}: error: {}", escape(&path.display().to_string()), escape(&e.message))?;
            }
            Ok(Err(()))
        }
    }
}

/// Runs `scan`; returns the exit code: 0 when the mails were scanned (the unreadable ones are
/// in the summary), 1 when a policy, contacts file or merged file has errors.
pub fn run(args: &ScanArgs, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    if args.merge {
        return merge(args, lang, out, err);
    }
    let Ok(policy) = load_policy(args.policy.as_deref(), lang, err)? else { return Ok(1) };
    let Ok(other_policy) = load_policy(args.compare.as_deref(), lang, err)? else { return Ok(1) };
    let Ok(known) = load_addresses(args.contacts.as_deref(), lang, err)? else { return Ok(1) };
    let Ok(sent) = sent::load(args.sent.as_deref(), lang, err)? else { return Ok(1) };
    let make =
        |policy: &PolicyFile| Engine::new(Some(policy.input()), None, lang, known.as_deref()).with_sent(sent.clone());
    let engine = match &policy {
        Some(policy) => make(policy),
        None => Engine::new(None, None, lang, known.as_deref()).with_sent(sent.clone()),
    };
    let other = other_policy.as_ref().map(make);
    let mut broken = false;
    for (engine, file) in [(Some(&engine), policy.as_ref()), (other.as_ref(), other_policy.as_ref())] {
        let Some(engine) = engine else { continue };
        for diagnostic in engine.diagnostics() {
            let line = match file {
                Some(file) => file.format(std::slice::from_ref(&diagnostic)).join("\n"),
                None => format!("{}: {}: {}", diagnostic.level, escape(&diagnostic.path), escape(&diagnostic.message)),
            };
            writeln!(err, "{line}")?;
            broken |= diagnostic.level == "error";
        }
    }
    if broken {
        return Ok(1);
    }

    let inputs = inputs(&args.paths, lang);
    let total: u64 = inputs.iter().map(Input::size).sum();
    let checkers = Checkers {
        inspection: (!args.no_inspect).then(|| engine.inspection()),
        engine,
        other,
        json: args.format == ScanFormat::Json,
        lang,
    };
    let progress = progress_bar(total, lang);
    let mut all = Summary::default();
    let mut all_other = checkers.other.as_ref().map(|_| Summary::default());
    // A few batches per core wait in the channel: enough to keep the cores busy, few enough that
    // memory does not grow when the output is slower than the checks.
    let (sender, receiver) = mpsc::sync_channel::<Outcome>(rayon::current_num_threads() * 2);
    let written = std::thread::scope(|scope| -> std::io::Result<()> {
        let checkers = &checkers;
        scope.spawn(move || {
            batches(items(inputs, lang)).par_bridge().for_each_with(sender, |sender, batch| {
                // The receiver only goes away when writing failed; the rest is then not worth checking.
                let _ = sender.send(checkers.check_batch(batch));
            });
        });
        let mut result = Ok(());
        for outcome in receiver {
            progress.inc(outcome.bytes);
            all.merge(outcome.summary);
            if let (Some(all_other), Some(other)) = (all_other.as_mut(), outcome.other) {
                all_other.merge(other);
            }
            if !progress.is_hidden() {
                let mails = all.mails + all.unreadable;
                let rate = mails as f64 / progress.elapsed().as_secs_f64().max(0.001);
                progress.set_message(lang.pick3(
                    format!("{} 通（{} 通/秒）", summary::thousands(mails), summary::thousands(rate as u64)),
                    format!("{} mails ({} mails/s)", summary::thousands(mails), summary::thousands(rate as u64)),
                    format!("{} 封（{} 封/秒）", summary::thousands(mails), summary::thousands(rate as u64)),
                ));
            }
            if !outcome.lines.is_empty() && result.is_ok() {
                result = out.write_all(outcome.lines.as_bytes());
            }
        }
        result
    });
    progress.finish_and_clear();
    written?;
    let other_name = args.compare.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    print_summary(&all, all_other.as_ref(), &other_name, args.format, lang, out)?;
    Ok(0)
}

/// A progress bar on standard error when it is a terminal (by bytes, with the mails counted
/// and their rate as its message); nothing otherwise, so that logs and pipes stay clean.
fn progress_bar(total: u64, lang: Lang) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let template = lang.pick3(
        "{bar:30} {bytes}/{total_bytes} {msg} {bytes_per_sec} 残り {eta}",
        "{bar:30} {bytes}/{total_bytes} {msg} {bytes_per_sec} ETA {eta}",
        "{bar:30} {bytes}/{total_bytes} {msg} {bytes_per_sec} 剩余 {eta}",
    );
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Writes the summary (and the compared one) in the format asked for.
fn print_summary(
    all: &Summary,
    other: Option<&Summary>,
    other_name: &str,
    format: ScanFormat,
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ScanFormat::Json => {
            // The summary key comes first on its line, so that `--merge` finds it without parsing the mail lines.
            let mut line = format!("{{\"summary\":{}", all.to_json());
            if let Some(other) = other {
                line.push_str(&format!(",\"compareSummary\":{}", other.to_json()));
            }
            writeln!(out, "{line}}}")
        }
        ScanFormat::Text => {
            write!(out, "{}", summary::render_text(all, lang))?;
            if let Some(other) = other {
                write!(out, "{}", summary::render_compare(all, other, other_name, lang))?;
            }
            Ok(())
        }
        ScanFormat::Html => write!(out, "{}", report::render(all, other.map(|o| (o, other_name)), lang)),
    }
}

/// `scan --merge`: adds up the summary lines of JSON outputs.
fn merge(args: &ScanArgs, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let mut all = Summary::default();
    let mut other: Option<Summary> = None;
    let mut failed = false;
    for path in &args.paths {
        let name = escape(&path.display().to_string()).into_owned();
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) => {
                writeln!(err, "{name}: error: {}", ReadError::Io(e).message(lang))?;
                failed = true;
                continue;
            }
        };
        let mut found = false;
        for (number, line) in BufReader::new(file).split(b'\n').enumerate() {
            let line = match line {
                Ok(line) => line,
                Err(e) => {
                    writeln!(err, "{name}: error: {}", ReadError::Io(e).message(lang))?;
                    failed = true;
                    break;
                }
            };
            if !line.starts_with(b"{\"summary\"") {
                continue;
            }
            #[derive(serde::Deserialize)]
            #[serde(rename_all = "camelCase")]
            struct Line {
                summary: Summary,
                compare_summary: Option<Summary>,
            }
            match serde_json::from_slice::<Line>(&line) {
                Ok(parsed) => {
                    found = true;
                    all.merge(parsed.summary);
                    if let Some(compared) = parsed.compare_summary {
                        other.get_or_insert_with(Summary::default).merge(compared);
                    }
                }
                Err(e) => {
                    writeln!(
                        err,
                        "{name}:{}: error: {}",
                        number + 1,
                        lang.pick3(
                            format!("集計の行が読めません: {e}"),
                            format!("the summary line cannot be read: {e}"),
                            format!("无法读取汇总行：{e}")
                        )
                    )?;
                    failed = true;
                }
            }
        }
        if !found {
            writeln!(
                err,
                "{name}: error: {}",
                lang.pick3(
                    "集計の行がありません（`scan --format json` の出力を指定してください）",
                    "no summary line (give the output of `scan --format json`)",
                    "没有汇总行（请指定 `scan --format json` 的输出）"
                )
            )?;
            failed = true;
        }
    }
    print_summary(&all, other.as_ref(), "", args.format, lang, out)?;
    Ok(u8::from(failed))
}
