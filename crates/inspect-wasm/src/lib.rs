//! The WebAssembly facade of the attachment inspector: JavaScript values in, JSON-compatible facts out.
//!
//! Architecture invariant: no inspection logic lives here. It is a second module, separate from the
//! rule engine's, so that a mail without attachments never loads it.

use misend_guard_inspect::{Facts, Limits};
use serde::Serialize;
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
    facts_to_js(&facts)
}

/// The facts as JavaScript objects. A large workbook has megabytes of text in thousands of chunks (a
/// text chunk per sheet, its cells grouped, see `misend_guard_facts::cells`): one JSON string parsed by
/// `JSON.parse` costs a fraction of building each object through the boundary. Bytes of `undecoded` text must stay a `Uint8Array`, so facts that have any take the
/// slower path.
fn facts_to_js(facts: &Facts) -> Result<JsValue, JsError> {
    if has_undecoded(facts) {
        return to_js(facts);
    }
    let json = serde_json::to_string(facts).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("the facts' JSON did not parse"))
}

fn has_undecoded(facts: &Facts) -> bool {
    !facts.undecoded.is_empty() || facts.entries.iter().any(|e| has_undecoded(&e.facts))
}

/// The facts about text that the host decoded from an `undecoded` chunk (Shift_JIS, EUC-JP,
/// ISO-2022-JP through `TextDecoder`), as if it were the content of a file called `name`.
#[wasm_bindgen(js_name = inspectText)]
pub fn inspect_text(text: &str, name: &str, limits: JsValue) -> Result<JsValue, JsError> {
    let limits = limits_of(limits)?;
    facts_to_js(&misend_guard_inspect::inspect_text(text, name, &limits))
}

/// The default limits, for the host to show or to merge a policy's values over.
#[wasm_bindgen(js_name = defaultLimits)]
pub fn default_limits() -> Result<JsValue, JsError> {
    to_js(&Limits::default())
}

fn limits_of(value: JsValue) -> Result<Limits, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Limits::default());
    }
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("limits: {e}")))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    // JSON-compatible (plain objects, `null` for a missing value, numbers for sizes), except that bytes
    // stay a `Uint8Array`, which `TextDecoder.decode()` takes as it is.
    let serializer =
        serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true).serialize_maps_as_objects(true);
    value.serialize(&serializer).map_err(|e| JsError::new(&e.to_string()))
}
