//! The checks about a file's own make-up, judged where the file is read: each gives at most one
//! [`Assessment`] per attachment, worded in the UI's three languages, and the rule engine gives it
//! its severity and decides whether it applies to the mail (`crates/rules/src/checks/`, where each
//! of these checks is declared and documented).
//!
//! - `attachment-encrypted`: the file, or something inside it, is encrypted.
//! - `attachment-not-inspected`: a part of the file could not be looked inside, and why.
//! - `attachment-personal-data`: a table of the file lists people.
//! - `attachment-blocked-type` (by contents): the file is a program whatever its name, or an
//!   archive holds a denied type, by its name or by its bytes.
//!
//! They are judged here rather than in the engine so that the engine's module, which every Send
//! loads, does not carry what only mails with attachments need (issue #14).

use misend_guard_facts::label::{contains_any, normalise};
use misend_guard_facts::walk::{join, walk};
use misend_guard_facts::{Assessment, ColumnClass, EncryptionMethod, Facts, Kind, Limits, Quote, Reason, Table, Words};

/// At most this many places are quoted in an assessment; its message still names the others.
const MAX_EXCERPTS: usize = 5;

/// At most this many items are named in a message.
const SHOWN_IN_MESSAGE: usize = 5;

/// The UI's languages, each assessment being worded in every one.
#[derive(Clone, Copy)]
enum Lang {
    Ja,
    En,
    Zh,
}

impl Lang {
    const ALL: [Lang; 3] = [Lang::Ja, Lang::En, Lang::Zh];

    fn pick3<T>(self, ja: T, en: T, zh: T) -> T {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

/// One check's finding in one language: the message, and what is at each place it quotes.
type Said = (String, Vec<(String, String)>);

/// A check judged here, in one language; `None` when it finds nothing.
type Judge = fn(&Facts, &Limits, Lang) -> Option<Said>;

/// Adds to `facts` the assessments of the checks above, under `limits`' settings.
pub fn assess(facts: &mut Facts, limits: &Limits) {
    let checks: [(&str, Judge); 4] = [
        ("attachment-blocked-type", blocked_type),
        ("attachment-personal-data", personal_data),
        ("attachment-encrypted", encrypted),
        ("attachment-not-inspected", not_inspected),
    ];
    for (code, check) in checks {
        let [Some(ja), Some(en), Some(zh)] = Lang::ALL.map(|lang| check(facts, limits, lang)) else { continue };
        let excerpts =
            ja.1.into_iter()
                .zip(en.1)
                .zip(zh.1)
                .map(|(((place, ja), (_, en)), (_, zh))| Quote { place, text: Words { ja, en, zh } })
                .collect();
        let message = Words { ja: ja.0, en: en.0, zh: zh.0 };
        facts.assessments.push(Assessment { code: code.to_string(), message, excerpts });
    }
}

/// Names the first few of some items for a message: `a, b, c` or `a, b, c, d, e and more`.
fn shortlist<S: AsRef<str>>(items: &[S], lang: Lang) -> String {
    let shown: Vec<&str> = items.iter().take(SHOWN_IN_MESSAGE).map(AsRef::as_ref).collect();
    let more = if items.len() > SHOWN_IN_MESSAGE { lang.pick3(" ほか", " and more", " 等") } else { "" };
    format!("{}{more}", shown.join(", "))
}

// ---- attachment-blocked-type, by contents -------------------------------------------------------

/// The extensions whose presence on the deny list denies files of a kind by their bytes.
fn kind_extensions(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Exe | Kind::Elf | Kind::MachO => &["exe", "com", "scr", "pif", "cpl"],
        Kind::Shortcut => &["lnk"],
        Kind::DiskImage => &["iso", "img", "vhd", "vhdx"],
        Kind::Script => &["bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "wsh", "hta", "ps1", "psm1"],
        _ => &[],
    }
}

/// What a kind is, in the person's words.
fn kind_name(kind: Kind, lang: Lang) -> &'static str {
    match kind {
        Kind::Exe => lang.pick3("Windows のプログラム", "a Windows program", "Windows 程序"),
        Kind::Elf => lang.pick3("Linux のプログラム", "a Linux program", "Linux 程序"),
        Kind::MachO => lang.pick3("macOS のプログラム", "a macOS program", "macOS 程序"),
        Kind::Shortcut => lang.pick3("ショートカット", "a shortcut", "快捷方式"),
        Kind::DiskImage => lang.pick3("ディスクイメージ", "a disk image", "磁盘映像"),
        Kind::Script => lang.pick3("スクリプト", "a script", "脚本"),
        _ => lang.pick3("プログラム", "a program", "程序"),
    }
}

/// The last extension of a name, trailing dots and spaces ignored, with ASCII letters in lower
/// case: the deny list's extensions are ASCII (`exe`, `js`), and ASCII case is all that can make a
/// name differ from them (without Unicode's case tables, which the inspector's module does without).
fn last_extension(name: &str) -> Option<String> {
    let name = name.trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    file.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// Whether bytes of this kind are denied by the list.
fn kind_denied(kind: Kind, blocked: &[String]) -> bool {
    kind_extensions(kind).iter().any(|e| blocked.iter().any(|b| b == e))
}

/// The file is a denied kind of program whatever its name, or an archive holds denied entries.
/// (The engine reports a file whose own name is denied by that name, and then not by this.)
fn blocked_type(facts: &Facts, limits: &Limits, lang: Lang) -> Option<Said> {
    let blocked = &limits.blocked_extensions;
    let name = &facts.name;
    if kind_denied(facts.kind, blocked) {
        let what = kind_name(facts.kind, lang);
        let message = lang.pick3(
            format!("「{name}」: このファイルの中身はプログラムです（{what}）。名前とは違う種類のファイルで、送信できません。"),
            format!("\"{name}\": this file is really a program ({what}), whatever its name says. It may not be sent."),
            format!("“{name}”的内容其实是程序（{what}），与文件名不符，不允许发送。"),
        );
        return Some((message, Vec::new()));
    }
    // Denied entries of archives, at any depth, by name or by bytes: each one's path, and its
    // kind when its bytes denied it.
    let mut denied: Vec<(String, Option<Kind>)> = Vec::new();
    for (facts, path) in walk(facts) {
        if path.is_empty() {
            continue;
        }
        if kind_denied(facts.kind, blocked) {
            denied.push((path, Some(facts.kind)));
        } else if last_extension(&path).is_some_and(|e| blocked.contains(&e)) {
            denied.push((path, None));
        }
    }
    if denied.is_empty() {
        return None;
    }
    let paths: Vec<&str> = denied.iter().map(|(path, _)| path.as_str()).collect();
    let list = shortlist(&paths, lang);
    let message = lang.pick3(
        format!("「{name}」の中に送信できない種類のファイルがあります（{list}）。"),
        format!("\"{name}\" holds files of a type that may not be sent ({list})."),
        format!("“{name}”中含有不允许发送的文件类型（{list}）。"),
    );
    let excerpts = denied
        .iter()
        .take(MAX_EXCERPTS)
        .map(|(path, kind)| {
            let what = match kind {
                Some(k) => kind_name(*k, lang),
                None => path.rsplit_once('/').map_or(path.as_str(), |(_, file)| file),
            };
            (path.clone(), what.to_string())
        })
        .collect();
    Some((message, excerpts))
}

// ---- attachment-personal-data -------------------------------------------------------------------

/// A person attribute and the words (normalised, see [`normalise`]) that name it in a header
/// cell. Earlier attributes win: `E-mail address` is an e-mail, not an address.
const ATTRIBUTES: &[(&str, &[&str])] = &[
    ("email", &["メール", "mail"]),
    ("my-number", &["マイナンバー", "個人番号", "mynumber"]),
    ("kana", &["フリガナ", "ふりがな", "ﾌﾘｶﾞﾅ", "カナ", "kana"]),
    ("phone", &["電話", "携帯", "tel", "phone", "mobile", "fax", "連絡先"]),
    ("birth", &["生年月日", "誕生日", "birth", "dob"]),
    ("gender", &["性別", "gender", "sex"]),
    ("account", &["口座", "account", "iban"]),
    ("address", &["住所", "所在地", "郵便番号", "〒", "address", "zip", "postal", "postcode"]),
    ("name", &["氏名", "名前", "お名前", "姓名", "漢字氏名", "name", "姓", "surname"]),
];

/// Headers that name a thing, not a person, even when they contain `名` or `name`
/// (`商品名`, `product name`, `file name`, `会社名`).
const NOT_A_PERSON: &[&str] = &[
    "商品",
    "品名",
    "製品",
    "品目",
    "型番",
    "product",
    "item",
    "file",
    "ファイル",
    "会社",
    "company",
    "件名",
    "subject",
];

/// The person attribute a header cell names, if any.
fn attribute(header: &str) -> Option<&'static str> {
    let header = normalise(header);
    if header.is_empty() {
        return None;
    }
    for (attribute, words) in ATTRIBUTES {
        if !contains_any(&header, words) {
            continue;
        }
        if *attribute == "name" && contains_any(&header, NOT_A_PERSON) {
            return None;
        }
        return Some(attribute);
    }
    None
}

/// The columns that make a table a list of people, named by their headers; empty when it is not one.
fn people_columns(table: &Table, min_rows: u64) -> Vec<String> {
    if table.rows < min_rows {
        return Vec::new();
    }
    let mut attributes: Vec<&str> = Vec::new();
    let mut named: Vec<String> = Vec::new();
    for header in &table.header {
        if let Some(a) = attribute(header) {
            if !attributes.contains(&a) {
                attributes.push(a);
            }
            named.push(header.trim().to_string());
        }
    }
    let mut classed: Vec<String> = Vec::new();
    for c in &table.columns {
        if matches!(c.class, Some(ColumnClass::Email | ColumnClass::Phone)) {
            let header = c.header.trim();
            classed.push(if header.is_empty() {
                c.samples.first().cloned().unwrap_or_default()
            } else {
                header.to_string()
            });
        }
    }
    if attributes.len() >= 2 {
        // A column found by its cells alone is named too when its header said nothing.
        for c in classed {
            if !named.contains(&c) {
                named.push(c);
            }
        }
        named
    } else if !classed.is_empty() {
        for c in named {
            if !classed.contains(&c) {
                classed.push(c);
                break;
            }
        }
        classed
    } else {
        Vec::new()
    }
}

/// The tables that list people, at any depth: `Sheet1: 氏名, 住所, 電話番号 — 50 行`.
fn personal_data(facts: &Facts, limits: &Limits, lang: Lang) -> Option<Said> {
    let mut found: Vec<(String, Vec<String>, u64)> = Vec::new();
    for (facts, path) in walk(facts) {
        for table in &facts.tables {
            let columns = people_columns(table, limits.min_rows);
            if !columns.is_empty() {
                found.push((join(&path, &table.place), columns, table.rows));
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut tables: Vec<String> = Vec::new();
    for (place, columns, rows) in &found {
        let columns = shortlist(columns, lang);
        let rows = lang.pick3(format!("{rows} 行"), format!("{rows} rows"), format!("{rows} 行"));
        tables.push(if place.is_empty() {
            format!("{columns} — {rows}")
        } else {
            format!("{place}: {columns} — {rows}")
        });
    }
    let tables = shortlist(&tables, lang);
    let name = &facts.name;
    let message = lang.pick3(
        format!("「{name}」に個人情報の一覧があります（{tables}）。"),
        format!("\"{name}\" holds a list of people ({tables})."),
        format!("“{name}”中含有个人信息列表（{tables}）。"),
    );
    let excerpts =
        found.into_iter().take(MAX_EXCERPTS).map(|(place, columns, _)| (place, columns.join(", "))).collect();
    Some((message, excerpts))
}

// ---- attachment-encrypted -----------------------------------------------------------------------

/// How a method is named to the person.
fn method_name(method: EncryptionMethod, lang: Lang) -> &'static str {
    match method {
        EncryptionMethod::ZipCrypto => lang.pick3("パスワード付き ZIP", "password ZIP", "带密码的 ZIP"),
        EncryptionMethod::ZipAes => {
            lang.pick3("パスワード付き ZIP（AES）", "password ZIP (AES)", "带密码的 ZIP（AES）")
        }
        EncryptionMethod::Office => {
            lang.pick3("パスワード付き Office 文書", "password-protected Office file", "带密码的 Office 文件")
        }
        EncryptionMethod::LegacyOffice => lang.pick3(
            "パスワード付き Office 文書（旧形式）",
            "password-protected Office file (legacy format)",
            "带密码的 Office 文件（旧格式）",
        ),
        EncryptionMethod::Pdf => lang.pick3("暗号化された PDF", "encrypted PDF", "加密的 PDF"),
    }
}

/// Each encrypted thing at any depth, where it is and how.
fn encrypted(facts: &Facts, _: &Limits, lang: Lang) -> Option<Said> {
    let mut found: Vec<(String, EncryptionMethod)> = Vec::new();
    for (facts, path) in walk(facts) {
        for e in &facts.encrypted {
            found.push((join(&path, &e.place), e.method));
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut methods: Vec<&str> = Vec::new();
    for (_, method) in &found {
        let name = method_name(*method, lang);
        if !methods.contains(&name) {
            methods.push(name);
        }
    }
    let methods = methods.join(", ");
    let places: Vec<&str> = found.iter().map(|(place, _)| place.as_str()).filter(|p| !p.is_empty()).collect();
    let name = &facts.name;
    let message = if places.is_empty() {
        lang.pick3(
            format!("「{name}」は暗号化されています（{methods}）。中身を確認できませんでした。"),
            format!("\"{name}\" is encrypted ({methods}); its contents could not be checked."),
            format!("“{name}”已加密（{methods}），无法检查其内容。"),
        )
    } else {
        let places = shortlist(&places, lang);
        lang.pick3(
            format!("「{name}」の中に暗号化されたファイルがあります（{methods}: {places}）。その中身は確認できませんでした。"),
            format!("\"{name}\" holds encrypted files ({methods}: {places}); their contents could not be checked."),
            format!("“{name}”中含有加密文件（{methods}：{places}），无法检查其内容。"),
        )
    };
    let excerpts = found
        .into_iter()
        .filter(|(place, _)| !place.is_empty())
        .take(MAX_EXCERPTS)
        .map(|(place, method)| (place, method_name(method, lang).to_string()))
        .collect();
    Some((message, excerpts))
}

// ---- attachment-not-inspected -------------------------------------------------------------------

/// Why something was not looked inside, in the person's words.
fn reason_text(reason: Reason, lang: Lang) -> &'static str {
    match reason {
        Reason::LimitBytes => lang.pick3(
            "大きすぎるため先頭だけを確認しました",
            "too large: only its start was checked",
            "文件过大：只检查了开头部分",
        ),
        Reason::LimitDepth => lang.pick3(
            "ZIP の入れ子が深すぎて開けませんでした",
            "archives nested too deep to open",
            "压缩包嵌套过深，无法打开",
        ),
        Reason::LimitEntries => lang.pick3(
            "ファイルが多すぎて一部だけを確認しました",
            "too many files: only some were checked",
            "文件过多：只检查了一部分",
        ),
        Reason::LimitExpanded | Reason::LimitRatio => lang.pick3(
            "展開すると大きくなりすぎるため開けませんでした（ZIP 爆弾の疑い）",
            "it would expand too much to open (possibly a zip bomb)",
            "解压后会过大，无法打开（可能是 ZIP 炸弹）",
        ),
        Reason::LimitText | Reason::LimitCells => lang.pick3(
            "文字や表が多すぎて一部だけを確認しました",
            "too much text or too many cells: only part was checked",
            "文字或单元格过多：只检查了一部分",
        ),
        Reason::Corrupt => lang.pick3("ファイルが壊れています", "the file is damaged", "文件已损坏"),
        Reason::Unknown => lang.pick3(
            "名前の示す形式として読めませんでした",
            "it could not be read as the format its name says",
            "无法按文件名所示的格式读取",
        ),
        Reason::Unsupported => lang.pick3(
            "この形式の中身は確認できません",
            "the contents of this format are not read",
            "无法检查此格式的内容",
        ),
        Reason::Encrypted => lang.pick3("暗号化されています", "it is encrypted", "已加密"),
    }
}

/// Whether a problem is worth telling. Encryption is `attachment-encrypted`'s. A file whose name
/// claims no format read here, with bytes of none, hid nothing these checks would read (a `.xlsx`
/// of unknown bytes did); a picture or a PDF's text is not read, and a finding on every one would
/// teach people to ignore this one.
fn worth_telling(reason: Reason, kind: Kind, name_kind: Option<Kind>) -> bool {
    match reason {
        Reason::Encrypted => false,
        Reason::Unknown => name_kind.is_some_and(|k| k != Kind::Image && k != Kind::Unknown),
        Reason::Unsupported => !matches!(kind, Kind::Pdf | Kind::Image),
        _ => true,
    }
}

/// What could not be looked inside, at any depth, and why: each (place, reason) once.
fn not_inspected(facts: &Facts, _: &Limits, lang: Lang) -> Option<Said> {
    let mut found: Vec<(String, &'static str)> = Vec::new();
    for (facts, path) in walk(facts) {
        for problem in &facts.problems {
            if worth_telling(problem.reason, facts.kind, facts.name_kind) {
                let text = reason_text(problem.reason, lang);
                let place = join(&path, &problem.place);
                if !found.iter().any(|(p, t)| *p == place && *t == text) {
                    found.push((place, text));
                }
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut reasons: Vec<String> = Vec::new();
    for (place, text) in &found {
        let said = if place.is_empty() { text.to_string() } else { format!("{place}: {text}") };
        if !reasons.contains(&said) {
            reasons.push(said);
        }
    }
    let reasons = shortlist(&reasons, lang);
    let name = &facts.name;
    let message = lang.pick3(
        format!("「{name}」の中身を確認できませんでした（{reasons}）。"),
        format!("\"{name}\" could not be checked inside ({reasons})."),
        format!("未能检查“{name}”的内容（{reasons}）。"),
    );
    let excerpts = found
        .into_iter()
        .filter(|(place, _)| !place.is_empty())
        .take(MAX_EXCERPTS)
        .map(|(place, text)| (place, text.to_string()))
        .collect();
    Some((message, excerpts))
}

#[cfg(test)]
mod tests {
    use super::*;
    use misend_guard_facts::{Column, Encrypted, Entry};

    fn table(header: &[&str], rows: u64, classes: &[Option<ColumnClass>]) -> Table {
        Table {
            place: "Sheet1".to_string(),
            header: header.iter().map(|h| h.to_string()).collect(),
            rows,
            columns: header
                .iter()
                .enumerate()
                .map(|(i, h)| Column {
                    header: h.to_string(),
                    class: classes.get(i).copied().flatten(),
                    samples: Vec::new(),
                })
                .collect(),
        }
    }

    #[test]
    fn headers_name_person_attributes_by_substring() {
        assert_eq!(attribute("電話番号"), Some("phone"));
        assert_eq!(attribute("E-mail Address"), Some("email"));
        assert_eq!(attribute("Ｅメール"), Some("email"));
        assert_eq!(attribute("お名前（フリガナ）"), Some("kana"));
        assert_eq!(attribute("顧客氏名"), Some("name"));
        assert_eq!(attribute("Full name"), Some("name"));
        assert_eq!(attribute("商品名"), None);
        assert_eq!(attribute("Product name"), None);
        assert_eq!(attribute("単価"), None);
        assert_eq!(attribute("数量"), None);
    }

    #[test]
    fn two_attributes_and_enough_rows_make_a_list() {
        let people = table(&["氏名", "住所", "電話番号"], 50, &[]);
        assert_eq!(people_columns(&people, 10), ["氏名", "住所", "電話番号"]);
        assert!(people_columns(&people, 51).is_empty());
        // One attribute alone is not a list of people, nor a price list.
        assert!(people_columns(&table(&["名前", "単価", "数量"], 50, &[]), 10).is_empty());
        assert!(people_columns(&table(&["商品名", "単価", "数量"], 50, &[]), 10).is_empty());
        // Two headers that name the same attribute count once.
        assert!(people_columns(&table(&["姓", "名前", "メモ"], 50, &[]), 10).is_empty());
    }

    #[test]
    fn a_column_of_addresses_or_phone_numbers_is_enough() {
        let t = table(&["A", "B"], 20, &[None, Some(ColumnClass::Email)]);
        assert_eq!(people_columns(&t, 10), ["B"]);
        let t = table(&["担当", "連絡"], 20, &[None, Some(ColumnClass::Phone)]);
        assert_eq!(people_columns(&t, 10), ["連絡"]);
        assert!(people_columns(&table(&["A", "B"], 5, &[None, Some(ColumnClass::Email)]), 10).is_empty());
    }

    #[test]
    fn each_judgment_is_worded_in_every_language_with_the_same_places() {
        let mut zip = Facts::new("tools.zip", 10, Kind::Zip);
        let mut inner = Facts::new("list.xlsx", 10, Kind::Xlsx);
        inner.tables.push(table(&["氏名", "電話"], 12, &[]));
        inner.encrypted.push(Encrypted { place: String::new(), method: EncryptionMethod::ZipAes });
        zip.entries.push(Entry { path: "data/list.xlsx".into(), compressed_size: 1, size: 1, facts: inner });
        zip.entries.push(Entry {
            path: "bin/run.dat".into(),
            compressed_size: 1,
            size: 1,
            facts: Facts::new("run.dat", 1, Kind::Exe),
        });
        zip.problem("", Reason::LimitEntries, "2000 entries".into());
        let limits = Limits { blocked_extensions: vec!["exe".into()], ..Limits::default() };
        assess(&mut zip, &limits);
        type Seen<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str, &'a str)>);
        let got: Vec<Seen> = zip
            .assessments
            .iter()
            .map(|a| {
                let quotes =
                    a.excerpts.iter().map(|q| (q.place.as_str(), q.text.ja.as_str(), q.text.zh.as_str())).collect();
                (a.code.as_str(), a.message.en.as_str(), quotes)
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "attachment-blocked-type",
                    "\"tools.zip\" holds files of a type that may not be sent (bin/run.dat).",
                    vec![("bin/run.dat", "Windows のプログラム", "Windows 程序")]
                ),
                (
                    "attachment-personal-data",
                    "\"tools.zip\" holds a list of people (data/list.xlsx › Sheet1: 氏名, 電話 — 12 rows).",
                    vec![("data/list.xlsx › Sheet1", "氏名, 電話", "氏名, 電話")]
                ),
                (
                    "attachment-encrypted",
                    "\"tools.zip\" holds encrypted files (password ZIP (AES): data/list.xlsx); their contents could not be checked.",
                    vec![("data/list.xlsx", "パスワード付き ZIP（AES）", "带密码的 ZIP（AES）")]
                ),
                (
                    "attachment-not-inspected",
                    "\"tools.zip\" could not be checked inside (too many files: only some were checked).",
                    vec![]
                ),
            ]
        );
        assert!(zip
            .assessments
            .iter()
            .all(|a| a.message.ja.contains("「tools.zip」") && a.message.zh.contains("“tools.zip”")));
        // Without a deny list, and with more rows needed, those two judge nothing.
        let mut again = zip.clone();
        again.assessments.clear();
        assess(&mut again, &Limits { min_rows: 13, ..Limits::default() });
        let codes: Vec<&str> = again.assessments.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(codes, ["attachment-encrypted", "attachment-not-inspected"]);
    }
}
