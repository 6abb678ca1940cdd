//! Text and tables of OOXML documents (Word, Excel, PowerPoint), read as a stream of XML events with
//! quick-xml, so that a 10 MB `document.xml` is never held as a tree.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::table::TableBuilder;
use crate::text::{ChunkJoiner, TextOut};
use crate::unzip::{read_part, Package};
use crate::{Facts, Kind, Reason, Work};

/// One XML event, reduced to what text extraction needs.
enum Node<'e> {
    Open(&'e BytesStart<'e>),
    Close(&'e [u8]),
    Text(&'e str),
}

/// Walks `xml`, calling `on` for each element opened, closed and each piece of text (entities resolved).
/// An empty element (`<w:tab/>`) is an open followed by a close.
fn walk(xml: &[u8], on: impl FnMut(Node)) -> Result<(), String> {
    walk_with(xml, None, on)
}

/// Walks `xml` as [`walk`] does, and reads the elements of `shape` that have their usual form (see
/// [`Shape`]) from the bytes, handing `on` the very nodes quick-xml's events would have given.
fn walk_with(xml: &[u8], shape: Option<Shape>, mut on: impl FnMut(Node)) -> Result<(), String> {
    let mut reader = Reader::from_reader(xml);
    // Matching end tags are not needed to extract text, and checking them costs time on every element.
    reader.config_mut().check_end_names = false;
    // Bytes read past the reader by the shortcut, for the positions in error messages.
    let mut skipped = 0u64;
    // Only right after a tag is the reader between two pieces of markup, where a whole element can be
    // taken from its input; after text it has already consumed the next `<`.
    let mut after_tag = false;
    loop {
        if let (true, Some(shape)) = (after_tag, shape) {
            let rest: &[u8] = reader.get_ref();
            if let Some(len) = shape.read(rest, &mut on) {
                // The element is balanced (its opening and its closing tag were both taken), so the
                // reader, which has seen neither, goes on as if it had read them.
                *reader.get_mut() = &rest[len..];
                skipped += len as u64;
                continue;
            }
        }
        let event = reader.read_event();
        after_tag = matches!(event, Ok(Event::Start(_) | Event::End(_) | Event::Empty(_)));
        match event {
            Ok(Event::Start(e)) => on(Node::Open(&e)),
            Ok(Event::Empty(e)) => {
                on(Node::Open(&e));
                on(Node::Close(e.local_name().into_inner()));
            }
            Ok(Event::End(e)) => on(Node::Close(e.local_name().into_inner())),
            Ok(Event::Text(e)) => {
                let text = e.decode().map_err(|e| e.to_string())?;
                on(Node::Text(&text));
            }
            Ok(Event::CData(e)) => {
                let text = e.decode().map_err(|e| e.to_string())?;
                on(Node::Text(&text));
            }
            Ok(Event::GeneralRef(e)) => {
                let resolved: Cow<str> = match e.resolve_char_ref() {
                    Ok(Some(c)) => Cow::Owned(c.to_string()),
                    _ => Cow::Borrowed(match &*e as &[u8] {
                        b"amp" => "&",
                        b"lt" => "<",
                        b"gt" => ">",
                        b"quot" => "\"",
                        b"apos" => "'",
                        _ => "",
                    }),
                };
                on(Node::Text(&resolved));
            }
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("at byte {}: {e}", reader.error_position() + skipped)),
        }
    }
}

/// Elements that spreadsheet writers give one usual form for nearly every cell and shared string, so
/// common that reading them from the bytes, rather than as quick-xml's five to seven events each, is
/// most of the time saved on a large workbook:
/// - a worksheet's cell, `<c r="B2" t="s"><v>12</v></c>` or `<c r="B2" t="inlineStr"><is><t>text</t></is></c>`;
/// - a shared string, `<si><t>text</t></si>`;
///
/// where `<t>` may have attributes (`xml:space="preserve"`).
/// Anything else, even a space between two tags, an entity in the text or a quote that is not `"`, is
/// left to quick-xml, so that the shortcut never has to agree with it on anything but these forms.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Cell,
    SharedString,
}

impl Shape {
    /// When `rest` starts with a whole element of this shape in its usual form, hands `on` the nodes
    /// that quick-xml would have given for it and returns its length in bytes; otherwise hands nothing.
    fn read(self, rest: &[u8], on: &mut impl FnMut(Node)) -> Option<usize> {
        match self {
            Shape::Cell => {
                let (start, mut at) = start_tag(rest, b"c")?;
                let after = &rest[at..];
                if let Some(value) = after.strip_prefix(b"<v>") {
                    let (text, len) = text_before(value, b"</v></c>")?;
                    at += 3 + len;
                    on(Node::Open(&start));
                    on(Node::Open(&BytesStart::from_content("v", 1)));
                    text_node(text, on);
                    on(Node::Close(b"v"));
                    on(Node::Close(b"c"));
                    return Some(at);
                }
                let inline = after.strip_prefix(b"<is>")?;
                let (t, t_len) = start_tag(inline, b"t")?;
                let (text, len) = text_before(&inline[t_len..], b"</t></is></c>")?;
                at += 4 + t_len + len;
                on(Node::Open(&start));
                on(Node::Open(&BytesStart::from_content("is", 2)));
                on(Node::Open(&t));
                text_node(text, on);
                on(Node::Close(b"t"));
                on(Node::Close(b"is"));
                on(Node::Close(b"c"));
                Some(at)
            }
            Shape::SharedString => {
                let body = rest.strip_prefix(b"<si>")?;
                let (t, t_len) = start_tag(body, b"t")?;
                let (text, len) = text_before(&body[t_len..], b"</t></si>")?;
                on(Node::Open(&BytesStart::from_content("si", 2)));
                on(Node::Open(&t));
                text_node(text, on);
                on(Node::Close(b"t"));
                on(Node::Close(b"si"));
                Some(4 + t_len + len)
            }
        }
    }
}

/// The start tag `<name ...>` at the start of `rest` (not an empty element `<name/>`), as quick-xml would
/// give it, and its length; `None` unless its attributes are plain: `"`-quoted, no `<`, `&` or `'`.
/// An odd number of quotes before the first `>` means that `>` is inside a value.
fn start_tag<'x>(rest: &'x [u8], name: &[u8]) -> Option<(BytesStart<'x>, usize)> {
    let after = rest.strip_prefix(b"<")?.strip_prefix(name)?;
    if !matches!(after.first(), Some(b'>' | b' ')) {
        return None;
    }
    let end = memchr::memchr(b'>', after)?;
    let attributes = &after[..end];
    let plain =
        attributes.iter().all(|&b| b.is_ascii_graphic() && !matches!(b, b'<' | b'&' | b'\'' | b'/') || b == b' ');
    let quotes = attributes.iter().filter(|&&b| b == b'"').count();
    if !plain || quotes % 2 != 0 {
        return None;
    }
    let content = std::str::from_utf8(&rest[1..1 + name.len() + end]).ok()?;
    Some((BytesStart::from_content(content, name.len()), 1 + name.len() + end + 1))
}

/// The text at the start of `rest` up to the first `<`, when it has no entity and is followed by
/// `close`: the text and the length of both.
fn text_before<'x>(rest: &'x [u8], close: &[u8]) -> Option<(&'x str, usize)> {
    // One pass finds the end of the text and any entity before it, which would come first.
    let end = memchr::memchr2(b'<', b'&', rest)?;
    let (text, after) = rest.split_at(end);
    if !after.starts_with(close) {
        return None;
    }
    Some((std::str::from_utf8(text).ok()?, end + close.len()))
}

/// Text as quick-xml gives it: no node for no text.
fn text_node(text: &str, on: &mut impl FnMut(Node)) {
    if !text.is_empty() {
        on(Node::Text(text));
    }
}

fn local<'e>(e: &'e BytesStart) -> &'e [u8] {
    e.local_name().into_inner()
}

/// The value of attribute `key` (a qualified name such as `r:id`). Duplicate attributes are not looked
/// for: that check allocates for every element, and a malformed file gains nothing from it here.
fn attr(e: &BytesStart, key: &[u8]) -> Option<String> {
    let a = e.attributes().with_checks(false).flatten().find(|a| a.key.as_ref() == key)?;
    a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(Cow::into_owned)
}

/// `Some` when the attributes after an element's name, `raw`, are all written the plain way, each
/// ` key="value"` with one space before it and no whitespace, quote, `<`, `>`, `&` or `/` in its key or
/// value: what quick-xml reads as these very keys and values (a property test holds them equal), so
/// that a worksheet's cells need not go through its general attribute reader.
fn plain_attributes(raw: &[u8]) -> Option<()> {
    let usual = |b: &u8| b.is_ascii_graphic() && !matches!(b, b'"' | b'\'' | b'<' | b'>' | b'&' | b'/' | b'=');
    let mut rest = raw;
    while !rest.is_empty() {
        rest = rest.strip_prefix(b" ")?;
        let key = rest.iter().take_while(|b| usual(b)).count();
        rest = rest[key..].strip_prefix(b"=\"")?;
        let value = rest.iter().take_while(|b| usual(b) || **b == b'=').count();
        rest = rest[value..].strip_prefix(b"\"")?;
        if key == 0 {
            return None;
        }
    }
    Some(())
}

/// Calls `on` with each key and value of attributes that [`plain_attributes`] accepted.
fn for_each_plain_attribute(raw: &[u8], on: &mut impl FnMut(&[u8], &[u8])) {
    for attribute in raw.split(|&b| b == b' ').skip(1) {
        if let Some(eq) = attribute.iter().position(|&b| b == b'=') {
            on(&attribute[..eq], &attribute[eq + 2..attribute.len() - 1]);
        }
    }
}

/// The facts of a Word, Excel or PowerPoint package.
pub(crate) fn ooxml_facts(zip: &mut Package, facts: &mut Facts, work: &mut Work) {
    match facts.kind {
        Kind::Docx => docx(zip, facts, work),
        Kind::Xlsx => xlsx(zip, facts, work),
        Kind::Pptx => pptx(zip, facts, work),
        _ => {}
    }
}

fn docx(zip: &mut Package, facts: &mut Facts, work: &mut Work) {
    const PART: &str = "word/document.xml";
    let Some(xml) = read_part(zip, PART, facts, work) else { return };
    let mut out = TextOut::default();
    let mut paragraphs = ChunkJoiner::new("paragraph");
    let mut paragraph = String::new();
    let mut paragraph_number = 0u64;
    let mut in_text = false;
    let mut table_depth = 0u32;
    let mut table_number = 0u64;
    let mut table: Option<TableBuilder> = None;
    let mut row: Vec<(usize, String)> = Vec::new();
    let mut row_number = 0u64;
    let mut cell = String::new();
    let result = walk(&xml, |node| match node {
        Node::Open(e) => match local(e) {
            b"t" => in_text = true,
            b"tab" if in_text || table_depth > 0 || !paragraph.is_empty() => paragraph.push('\t'),
            b"br" | b"cr" => paragraph.push('\n'),
            b"tbl" => {
                table_depth += 1;
                if table_depth == 1 {
                    // The paragraphs before the table come before its rows.
                    paragraphs.flush(facts, work, &mut out);
                    table_number += 1;
                    row_number = 0;
                    table = Some(TableBuilder::new(format!("table {table_number}")));
                }
            }
            b"tr" if table_depth == 1 => row.clear(),
            b"tc" if table_depth == 1 => cell.clear(),
            _ => {}
        },
        Node::Text(text) => {
            if in_text {
                paragraph.push_str(text);
            }
        }
        Node::Close(name) => match name {
            b"t" => in_text = false,
            b"p" => {
                if table_depth == 0 {
                    paragraph_number += 1;
                    paragraphs.push(paragraph_number, &paragraph, facts, work, &mut out);
                } else {
                    if !cell.is_empty() {
                        cell.push('\n');
                    }
                    cell.push_str(&paragraph);
                }
                paragraph.clear();
            }
            b"tc" if table_depth == 1 => row.push((row.len(), std::mem::take(&mut cell))),
            b"tr" if table_depth == 1 => {
                row_number += 1;
                if work.cells + row.len() as u64 > work.limits.max_cells {
                    out.cells_full(facts, PART);
                } else {
                    work.cells += row.len() as u64;
                    let place = format!("table {table_number} row {row_number}");
                    let line: Vec<&str> = row.iter().map(|(_, c)| c.as_str()).collect();
                    out.chunk(facts, work, place, line.join("\t"));
                    if let Some(table) = table.as_mut() {
                        table.row(std::mem::take(&mut row));
                    }
                }
            }
            b"tbl" => {
                table_depth = table_depth.saturating_sub(1);
                if table_depth == 0 {
                    if let Some(done) = table.take().and_then(TableBuilder::finish) {
                        facts.tables.push(done);
                    }
                }
            }
            _ => {}
        },
    });
    paragraphs.flush(facts, work, &mut out);
    if let Err(e) = result {
        facts.problem(PART, Reason::Corrupt, e);
    }
}

/// The text of one `<si>` or `<is>`: its `<t>` elements, without the phonetic guide (`<rPh>`, furigana).
#[derive(Default)]
struct RichText {
    in_text: bool,
    in_phonetic: bool,
}

impl RichText {
    fn open(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_text = true,
            b"rPh" => self.in_phonetic = true,
            _ => {}
        }
    }
    fn close(&mut self, name: &[u8]) {
        match name {
            b"t" => self.in_text = false,
            b"rPh" => self.in_phonetic = false,
            _ => {}
        }
    }
    fn keeps(&self) -> bool {
        self.in_text && !self.in_phonetic
    }
}

fn xlsx(zip: &mut Package, facts: &mut Facts, work: &mut Work) {
    // Sheet names and where each sheet's part is.
    let mut sheets: Vec<(String, String)> = Vec::new();
    if let Some(xml) = read_part(zip, "xl/workbook.xml", facts, work) {
        let result = walk(&xml, |node| {
            if let Node::Open(e) = node {
                if local(e) == b"sheet" {
                    sheets.push((attr(e, b"name").unwrap_or_default(), attr(e, b"r:id").unwrap_or_default()));
                }
            }
        });
        if let Err(e) = result {
            facts.problem("xl/workbook.xml", Reason::Corrupt, e);
        }
    }
    // Few sheets: a list is smaller in wasm than a hash map and as fast.
    let targets = relationships(zip, "xl/_rels/workbook.xml.rels", "xl", facts, work);
    // The shared strings are kept in one string, each by its range: one allocation instead of one per string.
    let mut shared = Shared::default();
    if let Some(xml) = read_part(zip, "xl/sharedStrings.xml", facts, work) {
        let mut rich = RichText::default();
        let mut start = 0;
        let result = walk_with(&xml, Some(Shape::SharedString), |node| match node {
            Node::Open(e) => rich.open(e.local_name().into_inner()),
            Node::Text(text) if rich.keeps() => shared.text.push_str(text),
            Node::Text(_) => {}
            Node::Close(name) => {
                rich.close(name);
                if name == b"si" {
                    shared.ends.push(shared.text.len());
                    start = shared.text.len();
                }
            }
        });
        // Text after the last `<si>` belongs to no string.
        shared.text.truncate(start);
        if let Err(e) = result {
            facts.problem("xl/sharedStrings.xml", Reason::Corrupt, e);
        }
    }
    let mut out = TextOut::default();
    for (sheet, id) in sheets {
        let Some(part) = targets.iter().find(|(i, _, _)| *i == id).map(|(_, _, target)| target.clone()) else {
            facts.problem(&sheet, Reason::Corrupt, format!("sheet {sheet} has no part ({id})"));
            continue;
        };
        let Some(xml) = read_part(zip, &part, facts, work) else { continue };
        sheet_facts(&xml, &sheet, &part, &shared, facts, work, &mut out);
        if out.cells_stopped {
            break;
        }
    }
}

/// The shared strings of a workbook: their text, one after the other, and where each ends.
#[derive(Default)]
struct Shared {
    text: String,
    ends: Vec<usize>,
}

impl Shared {
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.text.get(start..end)
    }
}

/// The cells of one worksheet: a text chunk per non-empty cell (`Sheet1!C12`) and the sheet's table.
///
/// This is the hot loop of a large workbook: the cell reference and type are read from the raw
/// attributes into reused buffers, and each cell's text is copied once, into its chunk.
fn sheet_facts(
    xml: &[u8],
    sheet: &str,
    part: &str,
    shared: &Shared,
    facts: &mut Facts,
    work: &mut Work,
    out: &mut TextOut,
) {
    let mut table = TableBuilder::new(sheet.to_string());
    let mut row_len = 0usize;
    let mut reference = String::new();
    let mut cell_type = Vec::new();
    let mut value = String::new();
    let mut in_value = false;
    let mut rich = RichText::default();
    let mut in_inline = false;
    let result = walk_with(xml, Some(Shape::Cell), |node| match node {
        Node::Open(e) => match e.local_name().into_inner() {
            b"c" => {
                reference.clear();
                cell_type.clear();
                let mut take = |key: &[u8], value: &[u8]| match key {
                    b"r" => reference.push_str(std::str::from_utf8(value).unwrap_or_default()),
                    b"t" => cell_type.extend_from_slice(value),
                    _ => {}
                };
                if plain_attributes(e.attributes_raw()).is_some() {
                    for_each_plain_attribute(e.attributes_raw(), &mut take);
                } else {
                    for a in e.attributes().with_checks(false).flatten() {
                        take(a.key.as_ref(), &a.value);
                    }
                }
                value.clear();
            }
            b"v" => in_value = true,
            b"is" => in_inline = true,
            name => rich.open(name),
        },
        Node::Text(text) => {
            if in_value || (in_inline && rich.keeps()) {
                value.push_str(text);
            }
        }
        Node::Close(name) => match name {
            b"v" => in_value = false,
            b"is" => in_inline = false,
            b"c" => {
                if out.cells_stopped {
                    return;
                }
                if work.cells >= work.limits.max_cells {
                    out.cells_full(facts, sheet);
                    return;
                }
                work.cells += 1;
                let text = match cell_type.as_slice() {
                    b"s" => value.trim().parse::<usize>().ok().and_then(|i| shared.get(i)).unwrap_or_default(),
                    b"b" if value.trim() == "1" => "TRUE",
                    b"b" => "FALSE",
                    _ => value.as_str(),
                };
                if text.is_empty() {
                    return;
                }
                let column = column_index(&reference).unwrap_or(row_len);
                row_len += 1;
                table.cell(column, text);
                let mut place = String::with_capacity(sheet.len() + 1 + reference.len());
                place.push_str(sheet);
                place.push('!');
                place.push_str(&reference);
                out.chunk(facts, work, place, text.to_string());
            }
            b"row" => {
                table.end_row();
                row_len = 0;
            }
            name => rich.close(name),
        },
    });
    if let Some(done) = table.finish() {
        facts.tables.push(done);
    }
    if let Err(e) = result {
        facts.problem(part, Reason::Corrupt, e);
    }
}

/// The zero-based column of a cell reference (`C12` → 2).
fn column_index(reference: &str) -> Option<usize> {
    let letters = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let n = reference.bytes().take(letters).fold(0usize, |n, l| n * 26 + (l.to_ascii_uppercase() - b'A') as usize + 1);
    Some(n - 1)
}

/// The targets of a relationships part, by relationship id, resolved against the folder `base`
/// (`ppt/slides`): `../notesSlides/notesSlide1.xml` becomes `ppt/notesSlides/notesSlide1.xml`.
fn relationships(
    zip: &mut Package,
    part: &str,
    base: &str,
    facts: &mut Facts,
    work: &mut Work,
) -> Vec<(String, String, String)> {
    let mut found = Vec::new();
    let Some(xml) = read_part(zip, part, facts, work) else { return found };
    let _ = walk(&xml, |node| {
        if let Node::Open(e) = node {
            if local(e) == b"Relationship" {
                if let (Some(id), Some(target)) = (attr(e, b"Id"), attr(e, b"Target")) {
                    let kind = attr(e, b"Type").unwrap_or_default();
                    found.push((id, kind, resolve(base, &target)));
                }
            }
        }
    });
    found
}

fn resolve(base: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for segment in target.split('/') {
        match segment {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The text of a slide or notes part: `<a:t>` runs, a line per `<a:p>` paragraph.
fn slide_text(xml: &[u8]) -> Result<String, String> {
    let mut text = String::new();
    let mut in_text = false;
    walk(xml, |node| match node {
        Node::Open(e) if e.local_name().into_inner() == b"t" => in_text = true,
        Node::Open(_) => {}
        Node::Text(t) if in_text => text.push_str(t),
        Node::Text(_) => {}
        Node::Close(b"t") => in_text = false,
        Node::Close(b"p") => text.push('\n'),
        Node::Close(_) => {}
    })?;
    Ok(text.trim_end().to_string())
}

fn pptx(zip: &mut Package, facts: &mut Facts, work: &mut Work) {
    // Slides in the order of the presentation (`sldIdLst`), which need not be the order of the part names.
    let mut order: Vec<String> = Vec::new();
    if let Some(xml) = read_part(zip, "ppt/presentation.xml", facts, work) {
        let _ = walk(&xml, |node| {
            if let Node::Open(e) = node {
                if local(e) == b"sldId" {
                    order.extend(attr(e, b"r:id"));
                }
            }
        });
    }
    let targets = relationships(zip, "ppt/_rels/presentation.xml.rels", "ppt", facts, work);
    let mut out = TextOut::default();
    for (number, id) in order.iter().enumerate() {
        let Some((_, _, slide)) = targets.iter().find(|(i, _, _)| i == id) else { continue };
        let slide = slide.clone();
        let (folder, file) = slide.rsplit_once('/').unwrap_or(("", &slide));
        let rels = format!("{folder}/_rels/{file}.rels");
        let notes = relationships(zip, &rels, folder, facts, work)
            .into_iter()
            .find(|(_, kind, _)| kind.ends_with("/notesSlide"))
            .map(|(_, _, target)| target);
        let parts = [(format!("slide {}", number + 1), Some(slide.clone())), (format!("notes {}", number + 1), notes)];
        for (place, part) in parts {
            let Some(part) = part else { continue };
            let Some(xml) = read_part(zip, &part, facts, work) else { continue };
            match slide_text(&xml) {
                Ok(text) if !text.is_empty() => out.chunk(facts, work, place, text),
                Ok(_) => {}
                Err(e) => facts.problem(&part, Reason::Corrupt, e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The nodes `walk_with` hands over, written out (an element's name and attributes as they are in the
    /// tag), and how the walk ended.
    fn nodes(xml: &[u8], shape: Option<Shape>) -> (Vec<String>, Result<(), String>) {
        let mut seen = Vec::new();
        let result = walk_with(xml, shape, |node| {
            seen.push(match node {
                Node::Open(e) => format!("<{}|{}>", String::from_utf8_lossy(e), String::from_utf8_lossy(local(e))),
                Node::Close(name) => format!("</{}>", String::from_utf8_lossy(name)),
                Node::Text(text) => format!("{text:?}"),
            })
        });
        (seen, result)
    }

    /// The shortcut must hand over exactly what quick-xml's events give, on any input.
    fn same_as_quick_xml(xml: &[u8]) {
        for shape in [Shape::Cell, Shape::SharedString] {
            assert_eq!(nodes(xml, Some(shape)), nodes(xml, None), "{shape:?} on {:?}", String::from_utf8_lossy(xml));
        }
    }

    #[test]
    fn the_shortcut_gives_the_nodes_quick_xml_gives() {
        let cases: &[&str] = &[
            r#"<row r="1"><c r="A1" t="s"><v>12</v></c><c r="B1"><v>3.5</v></c></row>"#,
            r#"<row><c r="A1" t="inlineStr"><is><t>氏名</t></is></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> a </t></is></c></row>"#,
            r#"<sst><si><t>佐藤</t></si><si><t xml:space="preserve"> x</t></si><si><t></t></si></sst>"#,
            r#"<row><c r="A1"><v></v></c><c r="A2" t="s"></c><c r="A3"/><c><v>1</v></c><c r="A4" ><v>2</v></c></row>"#,
            // Forms left to quick-xml: entities, a quote that is not `"`, a `>` inside a value, spaces
            // between tags, a prefix, CDATA, a comment, rich text, phonetic guides, formulas.
            r#"<row><c r="A1"><v>1&amp;2</v></c><c r='A2'><v>1</v></c><c r="A>3"><v>1</v></c></row>"#,
            "<row>\n  <c r=\"A1\">\n    <v>1</v>\n  </c>\n</row>",
            r#"<row><x:c r="A1"><x:v>1</x:v></x:c><c r="A2"><v><![CDATA[a<b]]></v></c><c r="A3"><v>1</v><!--x--></c></row>"#,
            r#"<sst><si><r><t>a</t></r><r><t>b</t></r></si><si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si></sst>"#,
            r#"<row><c r="A1"><f>1+1</f><v>2</v></c><c r="A2" t="inlineStr"><is><t xml:lang="ja">x</t></is></c></row>"#,
            // Damaged: unclosed, cut short, invalid UTF-8, `<` inside a tag, ends that do not match.
            r#"<row><c r="A1"><v>1</c><c r="A2"><v>2</v></c></row>"#,
            r#"<row><c r="A1"><v>1</v></c><c r="A2"><v>2</v"#,
            r#"<row><c r="A<1"><v>1</v></c><c r="A2"><v>2</v></c></row>"#,
            r#"</c><c r="A2"><v>2</v></c></row></row><c r="A3"><v>3</v></c>"#,
            r#"x<<c r="A1"><v>1</v></c>"#,
        ];
        for xml in cases {
            same_as_quick_xml(xml.as_bytes());
        }
        same_as_quick_xml(b"<row><c r=\"A1\"><v>\xff1</v></c><c r=\"A2\"><v>2</v></c></row>");
    }

    #[test]
    fn the_usual_forms_are_read_from_the_bytes() {
        let taken = |shape: Shape, xml: &str| shape.read(xml.as_bytes(), &mut |_| {});
        let cell = r#"<c r="A1" t="s"><v>12</v></c>"#;
        assert_eq!(taken(Shape::Cell, &format!("{cell}<c")), Some(cell.len()));
        let inline = r#"<c r="B1" t="inlineStr"><is><t xml:space="preserve">氏名 </t></is></c>"#;
        assert_eq!(taken(Shape::Cell, inline), Some(inline.len()));
        let shared = "<si><t>佐藤</t></si>";
        assert_eq!(taken(Shape::SharedString, &format!("{shared}</sst>")), Some(shared.len()));
        for other in
            [r#"<c r="A1"><v>1&amp;2</v></c>"#, r#"<c r='A1'><v>1</v></c>"#, "<c r=\"A1\">\n<v>1</v></c>", "<c/>"]
        {
            assert_eq!(taken(Shape::Cell, other), None, "{other}");
        }
        assert_eq!(taken(Shape::SharedString, "<si><t>c</t><rPh><t>d</t></rPh></si>"), None);
    }

    #[test]
    fn the_shortcut_reports_errors_at_the_same_byte() {
        let xml = br#"<row><c r="A1" t="s"><v>1</v></c><c r="A2" t="s"><v>2</v></c><c r="A3" <v>3</v></c></row>"#;
        let (_, result) = nodes(xml, Some(Shape::Cell));
        assert!(result.is_err());
        assert_eq!(result, nodes(xml, None).1);
    }

    /// Pieces of worksheets and shared strings, usual and not, whole elements and parts of them, to be
    /// put together in any order.
    const PIECES: &[&str] = &[
        r#"<c r="A1" t="s"><v>7</v></c>"#,
        r#"<c r="B1"><v>1&amp;2</v></c>"#,
        r#"<c r="C1" t="inlineStr"><is><t>氏名</t></is></c>"#,
        r#"<c r="D1" t="inlineStr"><is><t xml:space="preserve">&#x41; </t></is></c>"#,
        r#"<c r="E1" t="inlineStr"><is><t xml:space="default">x</t></is></c>"#,
        "<si><t>佐藤</t></si>",
        "<si><t>a&lt;b</t></si>",
        r#"<si><t xml:space="preserve"> b </t></si>"#,
        "<si><t>c</t><rPh><t>d</t></rPh></si>",
        r#"<c r="A1" t="s">"#,
        r#"<c r="B2">"#,
        r#"<c r="C3" t="inlineStr">"#,
        r#"<c r='D4'>"#,
        r#"<c r="E>5">"#,
        "<c>",
        "<c/>",
        "<v>",
        "</v>",
        "</c>",
        "<is>",
        "</is>",
        "<t>",
        r#"<t xml:space="preserve">"#,
        "</t>",
        "<si>",
        "</si>",
        "<rPh>",
        "</rPh>",
        r#"<row r="1">"#,
        "</row>",
        "12",
        "氏名",
        " ",
        "&amp;",
        "&#x41;",
        "<![CDATA[<x>]]>",
        "<!--c-->",
        "<",
        ">",
        "\"",
        "\u{FFFD}",
    ];

    type KeyValue = (Vec<u8>, Vec<u8>);

    /// What quick-xml reads from the attributes of `<c` + `raw` + `>`, and what the plain reader does when
    /// it takes them.
    fn attributes_both_ways(raw: &str) -> (Vec<KeyValue>, Option<Vec<KeyValue>>) {
        let content = format!("c{raw}");
        let e = BytesStart::from_content(content.as_str(), 1);
        let quick: Vec<_> =
            e.attributes().with_checks(false).flatten().map(|a| (a.key.as_ref().to_vec(), a.value.to_vec())).collect();
        let mut plain = Vec::new();
        let taken = plain_attributes(e.attributes_raw()).map(|()| {
            for_each_plain_attribute(e.attributes_raw(), &mut |k, v| plain.push((k.to_vec(), v.to_vec())));
            plain
        });
        (quick, taken)
    }

    #[test]
    fn plain_attributes_are_read_as_quick_xml_reads_them() {
        for raw in [r#" r="A1" s="3" t="s""#, r#" r="A1""#, "", r#" x:r="a=b" t="""#, r#" r="A1" r="B2""#] {
            let (quick, plain) = attributes_both_ways(raw);
            assert_eq!(plain.as_ref(), Some(&quick), "{raw}");
        }
        for raw in [r#" r='A1'"#, r#"  r="A1""#, r#" r = "A1""#, r#" r="A1"t="s""#, r#" r="A 1""#, " r", r#" ="1""#] {
            assert_eq!(attributes_both_ways(raw).1, None, "{raw}");
        }
    }

    proptest! {
        #[test]
        fn plain_attributes_agree_with_quick_xml(raw in r#"( [a-z:]{0,2}="[A-Z0-9=]{0,2}"|( {0,2}[a-z:="' &<>/]{0,3}={0,2} ?"?[A-Z0-9="' &<>]{0,3}"?)){0,4} ?"#) {
            let (quick, plain) = attributes_both_ways(&raw);
            if let Some(plain) = plain {
                prop_assert_eq!(plain, quick, "{}", raw);
            }
        }

        #[test]
        fn the_shortcut_agrees_with_quick_xml_on_any_mix(pieces in prop::collection::vec(0..PIECES.len(), 0..40), bad in any::<bool>()) {
            let mut xml: Vec<u8> = pieces.iter().flat_map(|&i| PIECES[i].bytes()).collect();
            if bad && !xml.is_empty() {
                // A byte that is not UTF-8 somewhere.
                let at = pieces.len() % xml.len();
                xml[at] = 0xFF;
            }
            same_as_quick_xml(&xml);
        }
    }
}
