//! The generated inputs of the inspector's benchmarks, shared by the criterion benchmark
//! (`benches/inspect.rs`) and the example that writes them for the node wasm benchmark
//! (`examples/bench_inputs.rs`).
//!
//! The workbook and the document are generated (committing megabytes of fixtures would bloat the
//! repository); they have the parts and the markup that Excel and Word write.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

fn package(parts: &[(&str, String)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, options).expect("part");
        zip.write_all(content.as_bytes()).expect("write");
    }
    zip.finish().expect("zip").into_inner()
}

const FAMILY: [&str; 8] = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村"];

/// A workbook with a sheet of 5,000 people: name, address, phone, e-mail, a note, an amount and a memo,
/// strings in sharedStrings.xml as Excel writes them (the memo inline, as some exporters write it).
pub fn workbook() -> Vec<u8> {
    let mut shared = Vec::new();
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    // Pseudo-random digits make the workbook compress as real data does (about 1 MB for 5,000 rows).
    let mut seed = 0x2545_F491_u64;
    let mut digits = |n: usize| -> String {
        (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                char::from(b'0' + (seed % 10) as u8)
            })
            .collect()
    };
    for r in 1..=5000u32 {
        sheet.push_str(&format!(r#"<row r="{r}">"#));
        let cells = [
            format!("{} {}", FAMILY[r as usize % 8], digits(4)),
            format!("東京都千代田区丸の内{}-{}-{} ビル{}階", digits(1), digits(2), digits(3), digits(2)),
            format!("03-{}-{}", digits(4), digits(4)),
            format!("person{}@example.co.jp", digits(8)),
            format!("備考: 注文 {} 伝票 {} 口座 {} 取引 {}", digits(12), digits(10), digits(10), digits(12)),
        ];
        for (c, text) in cells.iter().enumerate() {
            let col = (b'A' + c as u8) as char;
            sheet.push_str(&format!(r#"<c r="{col}{r}" t="s"><v>{}</v></c>"#, shared.len()));
            shared.push(text.clone());
        }
        let amount = digits(7);
        sheet.push_str(&format!(r#"<c r="F{r}"><v>{amount}</v></c>"#));
        let memo = digits(300);
        sheet.push_str(&format!(r#"<c r="G{r}" t="inlineStr"><is><t>メモ {memo}</t></is></c></row>"#));
    }
    sheet.push_str("</sheetData></worksheet>");
    let strings: String = shared.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
    package(&[
        ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#.into()),
        ("xl/workbook.xml", r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into()),
        ("xl/sharedStrings.xml", format!(r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>"#)),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}

/// A Word document whose `document.xml` is 10 MB: paragraphs of runs as Word writes them.
pub fn document() -> Vec<u8> {
    let mut body = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    let mut n = 0u32;
    while body.len() < 10 * 1024 * 1024 {
        n += 1;
        body.push_str(&format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t>第{n}項 本契約に基づく業務の範囲は別紙のとおりとし、</w:t></w:r><w:r><w:t xml:space="preserve"> 甲および乙は誠実に協議する。 Section {n} applies.</w:t></w:r></w:p>"#
        ));
    }
    body.push_str("</w:body></w:document>");
    package(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#
                .into(),
        ),
        ("word/document.xml", body),
    ])
}
