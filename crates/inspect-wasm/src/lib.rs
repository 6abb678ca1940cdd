//! The WebAssembly facade of the attachment inspector: JavaScript values in, JSON-compatible facts out.
//!
//! Architecture invariant: no inspection logic lives here. It is a second module, separate from the
//! rule engine's, so that a mail without attachments never loads it.

use misend_guard_inspect::cells::{self, Group};
use misend_guard_inspect::{Facts, Limits, TextChunk};
use wasm_bindgen::prelude::*;

/// The facts about one attachment: its bytes (a `Uint8Array`) and its file name, within `limits`
/// (a plain object with any of the `Limits` fields in camelCase, or `undefined`/`null` for the
/// defaults). Throws only when `limits` is not such an object; what the file holds never makes it throw.
///
/// `decode`, when given, is the host's decoder for legacy Japanese charsets,
/// `(label, bytes) => string` (the add-on passes `new TextDecoder(label).decode(bytes)`): text in
/// Shift_JIS, EUC-JP or ISO-2022-JP is inspected in its place through it. A decoder that throws or
/// returns anything but a string leaves that text in `undecoded`.
#[wasm_bindgen]
pub fn inspect(
    bytes: &[u8],
    name: &str,
    limits: JsValue,
    decode: Option<js_sys::Function>,
) -> Result<JsValue, JsError> {
    let limits = limits_of(limits)?;
    let facts = match decode {
        Some(decode) => {
            let host = |label: &str, bytes: &[u8]| -> Option<String> {
                let bytes = js_sys::Uint8Array::from(bytes);
                // A throwing decoder comes back as `Err` (wasm-bindgen catches it), never as a trap.
                decode.call2(&JsValue::NULL, &JsValue::from_str(label), &bytes).ok()?.as_string()
            };
            misend_guard_inspect::inspect_with(bytes, name, &limits, &host)
        }
        None => misend_guard_inspect::inspect(bytes, name, &limits),
    };
    facts_to_js(facts)
}

/// The facts as JavaScript objects, through one JSON string parsed by `JSON.parse`: a large
/// workbook has megabytes of text in thousands of chunks (a text chunk per sheet, its cells grouped,
/// see `misend_guard_facts::cells`), and one string costs a fraction of building each object through
/// the boundary. Bytes of `undecoded` text become arrays of numbers, as the engine reads them.
fn facts_to_js(facts: Facts) -> Result<JsValue, JsError> {
    parse(&facts_json(facts).map_err(|e| JsError::new(&e.to_string()))?)
}

fn parse(json: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(json).map_err(|_| JsError::new("the facts' JSON did not parse"))
}

/// The facts as `serde_json::to_string` writes them. The file's own text chunks (a workbook's
/// megabytes of cells) are written here rather than by serde_json, whose escaping looks at one byte at
/// a time, and straight into the JSON rather than joined into a group's string first.
fn facts_json(mut facts: Facts) -> serde_json::Result<String> {
    let chunks = std::mem::take(&mut facts.text);
    let rest = serde_json::to_string(&facts)?;
    // The first `,"text":[]` is the file's own: in a JSON string a quote is always escaped, and a
    // string's closing quote is never followed by a letter, so it cannot start inside a string.
    const EMPTY: &[u8] = b",\"text\":[],";
    let Some(at) = rest.as_bytes().windows(EMPTY.len()).position(|w| w == EMPTY).map(|at| at + EMPTY.len() - 2) else {
        facts.text = chunks;
        return serde_json::to_string(&facts);
    };
    let room: usize = chunks.iter().map(|c| c.place.len() + c.text.len() + 24).sum();
    let mut json = String::with_capacity(rest.len() + room);
    json.push_str(&rest[..at]);
    push_chunks(&mut json, &chunks);
    json.push_str(&rest[at..]);
    Ok(json)
}

/// The text chunks' JSON objects, without the brackets, as `misend_guard_facts::cells` serializes them.
fn push_chunks(json: &mut String, chunks: &[TextChunk]) {
    for (k, group) in cells::groups(chunks).enumerate() {
        if k > 0 {
            json.push(',');
        }
        json.push_str("{\"place\":\"");
        match group {
            Group::Chunk(chunk) => {
                push_json_str(json, &chunk.place);
                json.push_str("\",\"text\":\"");
                push_json_str(json, &chunk.text);
            }
            Group::Cells { sheet, cells: group } => {
                push_json_str(json, sheet);
                json.push_str("\",\"text\":\"");
                for (i, cell) in group.iter().enumerate() {
                    if i > 0 {
                        json.push_str("\\t");
                    }
                    push_json_str(json, &cell.text);
                }
                json.push_str("\",\"cells\":\"");
                for (i, cell) in group.iter().enumerate() {
                    if i > 0 {
                        json.push(' ');
                    }
                    push_json_str(json, &cell.place[sheet.len()..]);
                    json.push(' ');
                    cells::push_number(json, cell.text.len());
                }
            }
        }
        json.push_str("\"}");
    }
}

/// Appends `text` as the inside of a JSON string, escaped as serde_json escapes it: `\"`, `\\`, the
/// short escapes of `\b \f \n \r \t`, and `\u00xx` for the other control characters. Eight bytes
/// are looked at a time, since nearly all text needs no escape.
fn push_json_str(json: &mut String, text: &str) {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Non-zero when a byte of `word` is below 0x20, a quote or a backslash (at times also when none is).
    let needs = |word: u64| {
        let zero = |v: u64| v.wrapping_sub(LOW) & !v & HIGH;
        (word.wrapping_sub(0x20 * LOW) & !word & HIGH)
            | zero(word ^ (b'"' as u64 * LOW))
            | zero(word ^ (b'\\' as u64 * LOW))
    };
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(word) = bytes.get(i..i + 8) {
            if needs(u64::from_le_bytes(word.try_into().expect("eight bytes"))) == 0 {
                i += 8;
                continue;
            }
        }
        let escape = match bytes[i] {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\x08' => "\\b",
            b'\x0c' => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..0x20 => "",
            _ => {
                i += 1;
                continue;
            }
        };
        // Only ASCII bytes are escaped, so `start` and `i` are always at character boundaries.
        json.push_str(&text[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            json.push_str("\\u00");
            json.push(char::from(HEX[usize::from(bytes[i] >> 4)]));
            json.push(char::from(HEX[usize::from(bytes[i] & 15)]));
        } else {
            json.push_str(escape);
        }
        i += 1;
        start = i;
    }
    json.push_str(&text[start..]);
}

/// The facts about text that the host decoded from an `undecoded` chunk (Shift_JIS, EUC-JP,
/// ISO-2022-JP through `TextDecoder`), as if it were the content of a file called `name`.
#[wasm_bindgen(js_name = inspectText)]
pub fn inspect_text(text: &str, name: &str, limits: JsValue) -> Result<JsValue, JsError> {
    let limits = limits_of(limits)?;
    facts_to_js(misend_guard_inspect::inspect_text(text, name, &limits))
}

/// The default limits, for the host to show or to merge a policy's values over.
#[wasm_bindgen(js_name = defaultLimits)]
pub fn default_limits() -> Result<JsValue, JsError> {
    parse(&serde_json::to_string(&Limits::default()).map_err(|e| JsError::new(&e.to_string()))?)
}

/// The limits from a plain object with any of the `Limits` fields in camelCase (the review's
/// `inspection.limits`; the others keep their defaults, unknown keys are ignored), or the defaults
/// for `undefined` and `null`.
fn limits_of(value: JsValue) -> Result<Limits, JsError> {
    let mut limits = Limits::default();
    if value.is_undefined() || value.is_null() {
        return Ok(limits);
    }
    if !value.is_object() {
        return Err(JsError::new("limits: expected an object of limits, such as { maxBytes: 26214400 }"));
    }
    let fields: [(&str, &mut u64); 6] = [
        ("maxBytes", &mut limits.max_bytes),
        ("maxExpandedBytes", &mut limits.max_expanded_bytes),
        ("maxRatio", &mut limits.max_ratio),
        ("maxTextBytes", &mut limits.max_text_bytes),
        ("maxCells", &mut limits.max_cells),
        ("minRows", &mut limits.min_rows),
    ];
    for (key, slot) in fields {
        if let Some(n) = whole_number(&value, key)? {
            *slot = n;
        }
    }
    let fields: [(&str, &mut u32); 2] = [("maxDepth", &mut limits.max_depth), ("maxEntries", &mut limits.max_entries)];
    for (key, slot) in fields {
        if let Some(n) = whole_number(&value, key)? {
            *slot = u32::try_from(n).map_err(|_| JsError::new(&format!("limits.{key}: {n} is too large")))?;
        }
    }
    let blocked = js_sys::Reflect::get(&value, &JsValue::from_str("blockedExtensions")).unwrap_or(JsValue::UNDEFINED);
    if !blocked.is_undefined() && !blocked.is_null() {
        let error =
            || JsError::new("limits.blockedExtensions: expected an array of extensions, such as [\"exe\", \"js\"]");
        let list = blocked.dyn_into::<js_sys::Array>().map_err(|_| error())?;
        limits.blocked_extensions = list.iter().map(|e| e.as_string().ok_or_else(error)).collect::<Result<_, _>>()?;
    }
    Ok(limits)
}

/// `object[key]` as a whole number of 0 or more, `None` when it is missing (`undefined` or `null`).
fn whole_number(object: &JsValue, key: &str) -> Result<Option<u64>, JsError> {
    let value = js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        // 2^53: above it, a JavaScript number is no longer every whole number.
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_992.0 => Ok(Some(n as u64)),
        _ => Err(JsError::new(&format!("limits.{key}: expected a whole number of 0 or more"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use misend_guard_inspect::{Entry, Kind};

    fn chunk(place: &str, text: &str) -> TextChunk {
        TextChunk { place: place.into(), text: text.into() }
    }

    #[test]
    fn every_byte_is_escaped_as_serde_json_escapes_it() {
        let all: String = (0u32..0x80).filter_map(char::from_u32).chain("氏名é\u{2028}\u{feff}😀".chars()).collect();
        let mut json = String::new();
        for start in 0..all.len() {
            for end in start..=all.len() {
                let (Some(text), true) = (all.get(start..end), end - start <= 40) else { continue };
                json.clear();
                push_json_str(&mut json, text);
                assert_eq!(format!("\"{json}\""), serde_json::to_string(text).unwrap(), "{text:?}");
            }
        }
    }

    #[test]
    fn the_facts_json_is_serde_jsons() {
        // Places that group and places that do not, texts that need escapes, and a name and an entry
        // that hold what the writer looks for.
        let places = ["Sheet1!A1", "Sheet1!B12", "Sheet2!C3", "a!b!D2", "Sheet1!r2", "x\"!A1", "line 4", ""];
        let texts =
            ["", "x", "氏名", "a\tb", "\"q\" \\ \u{1}\u{1f}\u{7f}", ",\"text\":[],", "03-1234-5678 long enough"];
        let mut seed = 0x2545_F491_u32;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        for round in 0..500 {
            let name = if round % 2 == 0 { "book.xlsx" } else { "a,\"text\":[],\".xlsx" };
            let mut facts = Facts::new(name, 1, Kind::Xlsx);
            facts.text = (0..next(12)).map(|_| chunk(places[next(places.len())], texts[next(texts.len())])).collect();
            if round % 3 == 0 {
                let mut inner = facts.clone();
                inner.name = ",\"text\":[],".into();
                facts.entries.push(Entry { path: "in.xlsx".into(), compressed_size: 1, size: 2, facts: inner });
            }
            let expected = serde_json::to_string(&facts).unwrap();
            assert_eq!(facts_json(facts).unwrap(), expected);
        }
    }
}
