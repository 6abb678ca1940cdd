//! The facts of real files made by the tools people use (see tests/attachments/make-fixtures.py),
//! each asserted both ways: what must be found, and what must not be found in its ordinary twin.

use misend_guard_inspect::{inspect, inspect_text, ColumnClass, EncryptionMethod, Facts, Kind, Limits, Reason, Table};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/attachments/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn facts(name: &str) -> Facts {
    inspect(&fixture(name), name, &Limits::default())
}

fn text_at<'f>(facts: &'f Facts, place: &str) -> &'f str {
    facts
        .text
        .iter()
        .find(|c| c.place == place)
        .map(|c| c.text.as_str())
        .unwrap_or_else(|| panic!("no text at {place}: {:?}", facts.text.iter().map(|c| &c.place).collect::<Vec<_>>()))
}

fn table<'f>(facts: &'f Facts, place: &str) -> &'f Table {
    facts.tables.iter().find(|t| t.place == place).unwrap_or_else(|| panic!("no table {place}: {:?}", facts.tables))
}

fn classes(table: &Table) -> Vec<Option<ColumnClass>> {
    table.columns.iter().map(|c| c.class).collect()
}

fn reasons(facts: &Facts) -> Vec<Reason> {
    let mut all: Vec<Reason> = facts.problems.iter().map(|p| p.reason).collect();
    for entry in &facts.entries {
        all.extend(reasons(&entry.facts));
    }
    all
}

#[test]
fn customer_workbook_has_every_cell_with_its_reference_and_a_table_of_people() {
    let f = facts("customers.xlsx");
    assert_eq!(f.kind, Kind::Xlsx);
    assert!(!f.mismatch);
    assert!(f.problems.is_empty(), "{:?}", f.problems);
    assert_eq!(text_at(&f, "Sheet1!A1"), "氏名");
    assert_eq!(text_at(&f, "Sheet1!C51"), "03-1049-5049");
    // The second sheet is read too, with its own name.
    assert_eq!(text_at(&f, "メモ!C12"), "マイナンバー 123456789018");
    let sheet = table(&f, "Sheet1");
    assert_eq!(sheet.header, ["氏名", "住所", "電話番号", "メール"]);
    assert_eq!(sheet.rows, 50);
    assert_eq!(classes(sheet), [None, None, Some(ColumnClass::Phone), Some(ColumnClass::Email)]);
    assert_eq!(sheet.columns[0].samples, ["佐藤 太郎", "鈴木 花子", "高橋 一郎"]);
}

#[test]
fn price_list_is_a_table_but_not_of_people() {
    for name in ["price-list.xlsx", "price-list.csv"] {
        let f = facts(name);
        let t = &f.tables[0];
        assert_eq!(t.header[0], "商品コード", "{name}");
        assert!(t.rows >= 30, "{name}: {}", t.rows);
        assert!(classes(t).iter().all(Option::is_none), "{name}: {:?}", classes(t));
        assert!(f.encrypted.is_empty() && !f.mismatch, "{name}");
    }
    // A quoted field keeps its comma: three columns, not four.
    assert_eq!(facts("price-list.csv").tables[0].columns[1].samples[0], "ノート, A4 0冊");
    assert_eq!(facts("price-list.csv").tables[0].columns.len(), 3);
}

#[test]
fn inline_strings_are_read_without_their_furigana() {
    let f = facts("inline-strings.xlsx");
    assert_eq!(text_at(&f, "連絡先!A2"), "山田 2号");
    assert!(!f.text.iter().any(|c| c.text.contains("ヤマダ")), "the phonetic guide is not the cell's text");
    let t = table(&f, "連絡先");
    assert_eq!((t.header.as_slice(), t.rows), (["名前".to_string(), "携帯".to_string()].as_slice(), 12));
    assert_eq!(classes(t), [None, Some(ColumnClass::Phone)]);
}

#[test]
fn word_document_has_its_paragraphs_and_its_table() {
    let f = facts("minutes.docx");
    assert_eq!(f.kind, Kind::Docx);
    let paragraphs = text_at(&f, "paragraphs 1-3");
    assert!(paragraphs.contains("本資料は社外秘です。"), "{paragraphs}");
    // Entities are resolved: the text is what the person typed.
    assert!(paragraphs.contains("& 場所は <会議室A>"), "{paragraphs}");
    assert_eq!(text_at(&f, "table 1 row 3"), "鈴木\t契約書の確認\t12/9");
    assert_eq!(text_at(&f, "paragraph 4"), "以上");
    let t = table(&f, "table 1");
    assert_eq!((t.header.clone(), t.rows), (vec!["担当".into(), "課題".into(), "期限".into()], 3));
    assert!(f.problems.is_empty(), "{:?}", f.problems);
}

#[test]
fn presentation_has_its_slides_and_notes() {
    let f = facts("slides.pptx");
    assert_eq!(f.kind, Kind::Pptx);
    assert_eq!(text_at(&f, "slide 1"), "2027年度 事業計画\n社外秘: 新製品の発売は 4 月");
    assert!(text_at(&f, "slide 2").contains("第1四半期に試作"));
    assert!(text_at(&f, "notes 2").contains("価格は未定"));
    assert!(!text_at(&f, "slide 2").contains("社外秘"));
}

#[test]
fn shift_jis_csv_comes_back_labelled_and_its_decoded_text_is_a_table_of_people() {
    let bytes = fixture("customers-sjis.csv");
    let f = inspect(&bytes, "customers-sjis.csv", &Limits::default());
    assert_eq!(f.kind, Kind::Text);
    assert!(f.text.is_empty(), "Shift_JIS is not decoded here");
    assert_eq!(f.undecoded.len(), 1);
    assert_eq!(f.undecoded[0].charset, "shift_jis");
    assert_eq!(f.undecoded[0].bytes, bytes);
    // The host decodes with its own decoder (TextDecoder in the add-on) and asks again.
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&f.undecoded[0].bytes);
    assert!(!bad);
    let decoded = inspect_text(&text, "customers-sjis.csv", &Limits::default());
    let t = &decoded.tables[0];
    assert_eq!(t.header, ["氏名", "住所", "電話番号"]);
    assert_eq!(t.rows, 50);
    assert_eq!(classes(t), [None, None, Some(ColumnClass::Phone)]);
    // EUC-JP is told apart from Shift_JIS.
    let (euc, _, _) = encoding_rs::EUC_JP.encode(&text);
    assert_eq!(inspect(&euc, "x.csv", &Limits::default()).undecoded[0].charset, "euc-jp");
}

#[test]
fn utf8_bom_tsv_and_utf16_text_are_decoded_here() {
    let f = facts("customers-utf8-bom.tsv");
    assert!(f.undecoded.is_empty());
    assert!(text_at(&f, "lines 1-13").starts_with("name\taddress\temail\n"));
    let t = &f.tables[0];
    assert_eq!((t.rows, classes(t)), (12, vec![None, None, Some(ColumnClass::Email)]));
    let f = facts("notes-utf16.txt");
    assert_eq!(text_at(&f, "lines 1-2"), "会議メモ\n注文番号 123456789018 の件");
    assert!(f.tables.is_empty(), "a .txt is not read as a table");
}

#[test]
fn zip_whose_second_entry_only_is_encrypted_is_encrypted() {
    let f = facts("second-entry-encrypted.zip");
    assert_eq!(f.kind, Kind::Zip);
    assert_eq!(f.encrypted.len(), 1);
    assert_eq!((f.encrypted[0].place.as_str(), f.encrypted[0].method), ("secret.txt", EncryptionMethod::ZipCrypto));
    // The first entry is read; the second is reported, not skipped.
    assert_eq!(f.entries[0].facts.kind, Kind::Text);
    assert!(f.entries[0].facts.text[0].text.contains("パスワードは別のメールで送ります"));
    assert_eq!(f.entries[1].facts.kind, Kind::Unread);
    assert_eq!(f.entries[1].facts.problems[0].reason, Reason::Encrypted);
    assert!(f.any_encrypted());
    assert!(!facts("ordinary.zip").any_encrypted());
}

#[test]
fn aes_zip_is_encrypted() {
    let f = facts("aes.zip");
    assert_eq!(f.encrypted[0].method, EncryptionMethod::ZipAes);
    assert_eq!(f.encrypted[0].place, "見積書.txt");
}

#[test]
fn password_protected_workbook_is_encrypted_and_its_twin_is_not() {
    let f = facts("password.xlsx");
    assert_eq!(f.kind, Kind::EncryptedOoxml);
    assert!(!f.mismatch, "an encrypted .xlsx is an OLE file by design");
    assert_eq!(f.encrypted[0].method, EncryptionMethod::Office);
    assert!(reasons(&f).contains(&Reason::Encrypted));
    let plain = facts("price-list.xlsx");
    assert!(plain.encrypted.is_empty() && !plain.any_encrypted());
}

#[test]
fn encrypted_pdf_is_encrypted_and_a_plain_one_is_not() {
    let f = facts("encrypted.pdf");
    assert_eq!(f.kind, Kind::Pdf);
    assert_eq!(f.encrypted[0].method, EncryptionMethod::Pdf);
    let plain = facts("plain.pdf");
    assert_eq!(plain.kind, Kind::Pdf);
    assert!(plain.encrypted.is_empty());
    // PDF text is not extracted, and that is said.
    assert_eq!(plain.problems[0].reason, Reason::Unsupported);
}

#[test]
fn program_named_pdf_is_a_program() {
    let f = facts("invoice.pdf");
    assert_eq!((f.kind, f.name_kind, f.mismatch), (Kind::Exe, Some(Kind::Pdf), true));
    // The same bytes under their own name are no mismatch.
    let honest = inspect(&fixture("invoice.pdf"), "setup.exe", &Limits::default());
    assert_eq!((honest.kind, honest.mismatch), (Kind::Exe, false));
    assert!(!facts("plain.pdf").mismatch);
}

#[test]
fn zip_holding_a_program_names_its_inner_path() {
    let f = facts("tools.zip");
    let exe = f.entries.iter().find(|e| e.path == "tools/setup.exe").expect("the program is listed");
    assert_eq!(exe.facts.kind, Kind::Exe);
    let ordinary = facts("ordinary.zip");
    assert!(ordinary.entries.iter().all(|e| e.facts.kind != Kind::Exe));
}

#[test]
fn ordinary_zip_is_read_recursively() {
    let f = facts("ordinary.zip");
    assert!(f.problems.is_empty() && f.encrypted.is_empty());
    let paths: Vec<&str> = f.entries.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["報告書.txt", "data/price-list.csv", "minutes.docx"]);
    assert!(f.entries[0].facts.text[0].text.contains("売上は前月比"));
    assert_eq!(f.entries[1].facts.tables[0].header[0], "商品コード");
    let docx = &f.entries[2].facts;
    assert_eq!(docx.kind, Kind::Docx);
    assert!(docx.text.iter().any(|c| c.text.contains("社外秘")));
    // With depth 1 only the ZIP itself is opened: the document inside is identified, not read.
    let shallow = inspect(&fixture("ordinary.zip"), "ordinary.zip", &Limits { max_depth: 1, ..Limits::default() });
    let docx = &shallow.entries[2].facts;
    assert_eq!(docx.kind, Kind::Docx);
    assert!(docx.text.is_empty());
    assert_eq!(docx.problems[0].reason, Reason::LimitDepth);
}

#[test]
fn attached_mail_has_its_text_part() {
    let f = facts("forwarded.eml");
    assert_eq!(f.kind, Kind::Eml);
    assert_eq!(text_at(&f, "body").trim(), "申込者のマイナンバーは 123456789018 です。");
    assert!(!text_at(&f, "body").contains("<p>"), "the HTML alternative is not the text part");
}

/// Every decompressed byte is counted; this walks the facts for the largest sizes involved.
fn deepest_entries(facts: &Facts) -> usize {
    facts.entries.iter().map(|e| 1 + deepest_entries(&e.facts)).sum()
}

#[test]
fn zip_bomb_is_refused_within_its_limits() {
    let bytes = fixture("bomb.zip");
    assert!(bytes.len() < 64 * 1024);
    let f = inspect(&bytes, "bomb.zip", &Limits::default());
    assert_eq!(f.kind, Kind::Zip);
    // Each of the 16 ZIPs inside still compresses 15 times: the shape of a bomb, refused unexpanded.
    let found = reasons(&f);
    assert_eq!(found, vec![Reason::LimitRatio; 16], "{found:?}");
    assert!(f.entries.iter().all(|e| e.facts.kind == Kind::Unread && e.facts.entries.is_empty()));
    // Opened deeper, nothing more is expanded: the refusal does not depend on the depth limit.
    let deep = Limits { max_depth: 4, ..Limits::default() };
    let f = inspect(&bytes, "bomb.zip", &deep);
    assert_eq!(reasons(&f), vec![Reason::LimitRatio; 16]);
    assert_eq!(deepest_entries(&f), 16);
}

#[test]
fn expansion_beyond_the_budget_is_refused() {
    let tiny = Limits { max_expanded_bytes: 100, ..Limits::default() };
    let f = inspect(&fixture("ordinary.zip"), "ordinary.zip", &tiny);
    let found = reasons(&f);
    assert!(found.contains(&Reason::LimitExpanded), "{found:?}");
    // The short text fits the budget; the document does not, and says so.
    assert!(!f.entries[0].facts.text.is_empty());
    assert_eq!(f.entries[2].facts.kind, Kind::Unread);
    assert_eq!(f.entries[2].facts.problems[0].reason, Reason::LimitExpanded);
}

#[test]
fn limits_are_reported_as_facts() {
    let tight = Limits { max_cells: 10, max_text_bytes: 40, ..Limits::default() };
    let f = inspect(&fixture("customers.xlsx"), "customers.xlsx", &tight);
    let found = reasons(&f);
    assert!(found.contains(&Reason::LimitCells), "{found:?}");
    assert!(found.contains(&Reason::LimitText), "{found:?}");
    assert!(f.text.iter().map(|c| c.text.len()).sum::<usize>() <= 40);
    let f = inspect(&fixture("customers.xlsx"), "customers.xlsx", &Limits { max_bytes: 100, ..Limits::default() });
    assert_eq!(f.kind, Kind::Zip, "only the start was seen");
    assert_eq!(f.problems[0].reason, Reason::LimitBytes);
    let f = inspect(&fixture("ordinary.zip"), "ordinary.zip", &Limits { max_entries: 1, ..Limits::default() });
    assert_eq!(f.entries.len(), 1);
    assert!(reasons(&f).contains(&Reason::LimitEntries));
}

#[test]
fn unknown_and_corrupt_files_are_reported_not_skipped() {
    let f = inspect(&[0x00, 0x01, 0x02, 0xFF, 0x00, 0x9A], "data.bin", &Limits::default());
    assert_eq!(f.kind, Kind::Unknown);
    assert_eq!(f.problems[0].reason, Reason::Unknown);
    let mut broken = fixture("customers.xlsx");
    broken.truncate(broken.len() / 2);
    let f = inspect(&broken, "customers.xlsx", &Limits::default());
    assert_eq!(f.problems[0].reason, Reason::Corrupt, "{:?}", f.problems);
    assert!(f.text.is_empty());
}

#[test]
fn facts_cross_as_json_in_camel_case() {
    let json = serde_json::to_value(facts("invoice.pdf")).expect("serializes");
    assert_eq!(json["kind"], "exe");
    assert_eq!(json["nameKind"], "pdf");
    assert_eq!(json["mismatch"], true);
    let limits: Limits = serde_json::from_str(r#"{"maxDepth": 1}"#).expect("partial limits");
    assert_eq!((limits.max_depth, limits.max_bytes), (1, Limits::default().max_bytes));
}
