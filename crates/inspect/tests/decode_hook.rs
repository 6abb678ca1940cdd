//! The host's decoder for legacy Japanese charsets (`inspect_with`): Shift_JIS, EUC-JP and ISO-2022-JP
//! text is decoded through it and inspected in its place (the file, an archive entry, an attached mail's
//! body), and stays undecoded only when the decoder gives up.

use std::io::Write;

use misend_guard_inspect::{inspect, inspect_with, ColumnClass, Facts, Kind, Limits};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/attachments/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The CLI's decoder: `encoding_rs` by WHATWG label, `None` on a malformed sequence.
fn encoding_rs_decode(label: &str, bytes: &[u8]) -> Option<String> {
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes())?;
    let (text, _, bad) = encoding.decode(bytes);
    (!bad).then(|| text.into_owned())
}

fn refusing(_: &str, _: &[u8]) -> Option<String> {
    None
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

fn assert_people_table(facts: &Facts) {
    assert!(facts.undecoded.is_empty(), "{:?}", facts.undecoded.iter().map(|u| &u.charset).collect::<Vec<_>>());
    let table = &facts.tables[0];
    assert_eq!(table.header, ["氏名", "住所", "電話番号"]);
    assert_eq!(table.rows, 50);
    assert_eq!(table.columns[2].class, Some(ColumnClass::Phone));
}

#[test]
fn a_shift_jis_csv_is_decoded_through_the_hook_into_text_by_line_and_a_table() {
    let bytes = fixture("customers-sjis.csv");
    let labels = std::cell::RefCell::new(Vec::new());
    let decode = |label: &str, b: &[u8]| {
        labels.borrow_mut().push(label.to_string());
        encoding_rs_decode(label, b)
    };
    let f = inspect_with(&bytes, "customers-sjis.csv", &Limits::default(), &decode);
    assert_eq!(labels.into_inner(), ["shift_jis"]);
    assert_eq!(f.kind, Kind::Text);
    assert_people_table(&f);
    assert!(f.text[0].place.starts_with("lines 1-"), "{}", f.text[0].place);
    assert!(f.text[0].text.starts_with("氏名,住所,電話番号\n"));
}

#[test]
fn euc_jp_and_iso_2022_jp_text_files_are_decoded_too() {
    let sjis = fixture("customers-sjis.csv");
    let (text, _, _) = encoding_rs::SHIFT_JIS.decode(&sjis);
    let (euc, _, _) = encoding_rs::EUC_JP.encode(&text);
    assert_people_table(&inspect_with(&euc, "list.csv", &Limits::default(), &encoding_rs_decode));
    let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("社外秘: 新製品の発売は 4 月\n");
    let f = inspect_with(&jis, "memo.txt", &Limits::default(), &encoding_rs_decode);
    assert!(f.undecoded.is_empty());
    assert_eq!(f.text[0].place, "line 1");
    assert_eq!(f.text[0].text, "社外秘: 新製品の発売は 4 月");
}

#[test]
fn text_inside_an_archive_is_decoded_at_its_entry() {
    let sjis = fixture("customers-sjis.csv");
    let (memo, _, _) = encoding_rs::SHIFT_JIS.encode("マイナンバー 123456789018\n");
    let archive = zip_of(&[("lists/customers.csv", &sjis), ("memo.txt", &memo)]);
    let f = inspect_with(&archive, "send.zip", &Limits::default(), &encoding_rs_decode);
    assert_eq!(f.entries.len(), 2);
    assert_eq!(f.entries[0].path, "lists/customers.csv");
    assert_people_table(&f.entries[0].facts);
    assert_eq!(f.entries[1].facts.text[0].text, "マイナンバー 123456789018");
    assert!(f.entries[1].facts.undecoded.is_empty());
    // Without a decoder both entries stay labelled for the host.
    let plain = inspect(&archive, "send.zip", &Limits::default());
    assert_eq!(plain.entries[0].facts.undecoded[0].charset, "shift_jis");
    assert!(plain.entries[1].facts.text.is_empty());
}

#[test]
fn an_attached_mail_in_iso_2022_jp_is_decoded_as_its_body() {
    let (body, _, _) = encoding_rs::ISO_2022_JP.encode("申込者のマイナンバーは 123456789018 です。\r\n");
    let mut eml = b"From: a@example.jp\r\nTo: b@example.jp\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
        .to_vec();
    eml.extend_from_slice(&body);
    let f = inspect_with(&eml, "fw.eml", &Limits::default(), &encoding_rs_decode);
    assert_eq!(f.kind, Kind::Eml);
    assert!(f.undecoded.is_empty());
    assert_eq!(f.text.len(), 1);
    assert_eq!(f.text[0].place, "body");
    assert!(f.text[0].text.contains("マイナンバーは 123456789018"));
}

#[test]
fn what_the_decoder_refuses_stays_undecoded_with_its_label_and_place() {
    let bytes = fixture("customers-sjis.csv");
    let f = inspect_with(&bytes, "customers-sjis.csv", &Limits::default(), &refusing);
    assert!(f.text.is_empty() && f.tables.is_empty());
    assert_eq!((f.undecoded[0].charset.as_str(), f.undecoded[0].bytes.len()), ("shift_jis", bytes.len()));
    assert_eq!(f, inspect(&bytes, "customers-sjis.csv", &Limits::default()));
}

#[test]
fn decoded_text_counts_against_the_text_limit() {
    let bytes = fixture("customers-sjis.csv");
    let limits = Limits { max_text_bytes: 100, ..Limits::default() };
    let f = inspect_with(&bytes, "customers-sjis.csv", &limits, &encoding_rs_decode);
    assert!(f.text.iter().map(|c| c.text.len()).sum::<usize>() <= 100);
    assert!(f.problems.iter().any(|p| p.reason == misend_guard_inspect::Reason::LimitText));
}
