//! `attachment-personal-data`: an attachment holds a table of people.
//!
//! Why: the leak this product exists for most often lives inside a file: a customer list
//! saved as `data_20261201.xlsx` and mailed to a contractor. The inspector reads the tables
//! of CSV and TSV files, every sheet of an `.xlsx` and the tables of a `.docx`; this check
//! decides which of them list people.
//!
//! A table lists people when its header names two or more person attributes (氏名, 名前,
//! フリガナ, 住所, 電話, 携帯, メール, 生年月日, 性別, 口座…; name, address, phone, e-mail,
//! birth, gender, account…, matched as parts of the header cell, so `電話番号` and
//! `E-mail address` count) and it has at least `minRows` data rows (default 10), or when one
//! of its columns holds mostly e-mail addresses or phone numbers and it has that many rows.
//! One attribute alone is not enough: a price list's 商品名 or a product list's 名前 column
//! is no list of people. The finding names the attachment, the sheet, the columns and the rows:
//! `Sheet1: 氏名, 住所, 電話番号 — 50 行`.
//!
//! By default it applies only when the mail has an external recipient (`"when": "external"`).
//!
//! Example policy: `{"rules": {"attachment-personal-data": {"severity": "block", "when": "always", "minRows": 20}}}`

check! {
    code: "attachment-personal-data",
    order: 102,
    default: Warn,
    settings: RawPersonalDataRule,
    summary: {
        ja: "添付ファイルに個人情報の一覧（氏名・住所・電話・メールなどの列がある表）が含まれています（既定では社外宛てのとき）。",
        en: "An attachment holds a list of people (a table with columns such as name, address, phone, e-mail), for mail that leaves the company by default.",
        zh: "附件中含有个人信息列表（带有姓名、地址、电话、邮箱等列的表格）；默认仅在发往公司外部时检查。",
    },
    tag: {
        ja: "個人情報の一覧",
        en: "List of people",
        zh: "个人信息列表",
    },
    how_to_fix: {
        ja: "送ってよい一覧か確認してください。不要な列や行を削除するか、決められた方法で渡してください。",
        en: "Make sure this list may be sent. Remove the columns and rows that are not needed, or share it in an approved way.",
        zh: "请确认此列表可以发送。删除不需要的列和行，或通过许可的方式共享。",
    },
}

use super::contents::{contains_any, join, normalise, walk};
use super::{content_excerpt, push_about_attachment, shortlist, Code, Subject, MAX_EXCERPTS};
use crate::draft::Facts;
use crate::facts::{ColumnClass, Table};
use crate::model::{Excerpt, Finding};
use crate::policy::{Severity, When};

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

/// The lists of people in one attachment: (place, columns, rows).
fn lists(facts: &Facts, min_rows: u64) -> Vec<(String, Vec<String>, u64)> {
    let mut found = Vec::new();
    for (facts, path) in walk(facts) {
        for table in &facts.tables {
            let columns = people_columns(table, min_rows);
            if !columns.is_empty() {
                found.push((join(&path, &table.place), columns, table.rows));
            }
        }
    }
    found
}

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    let content = &subject.policy.content;
    let severity = subject.severity(Code::AttachmentPersonalData);
    if severity == Severity::Off || (content.personal_data_when == When::External && !subject.has_external()) {
        return;
    }
    let lang = subject.lang;
    for attachment in subject.attachments {
        let Some(facts) = subject.facts(attachment.index) else { continue };
        let found = lists(facts, content.personal_data_min_rows);
        if found.is_empty() {
            continue;
        }
        let describe = |(place, columns, rows): &(String, Vec<String>, u64)| {
            let columns = shortlist(columns, lang);
            let rows = lang.pick3(format!("{rows} 行"), format!("{rows} rows"), format!("{rows} 行"));
            if place.is_empty() {
                format!("{columns} — {rows}")
            } else {
                format!("{place}: {columns} — {rows}")
            }
        };
        let mut tables: Vec<String> = Vec::new();
        for table in &found {
            tables.push(describe(table));
        }
        let tables = shortlist(&tables, lang);
        let name = &attachment.name;
        let message = lang.pick3(
            format!("「{name}」に個人情報の一覧があります（{tables}）。"),
            format!("\"{name}\" holds a list of people ({tables})."),
            format!("“{name}”中含有个人信息列表（{tables}）。"),
        );
        let mut excerpts: Vec<Excerpt> = Vec::new();
        for (place, columns, _) in found.iter().take(MAX_EXCERPTS) {
            excerpts.push(content_excerpt(attachment.index, place, columns.join(", ")));
        }
        push_about_attachment(out, Code::AttachmentPersonalData, severity, message, attachment.index, excerpts);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Column;

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
}
