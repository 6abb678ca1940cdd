//! The WebAssembly facade of the rule engine: its own DTOs and one error conversion.
//!
//! Architecture invariant: no rule logic lives here. This crate converts JavaScript values
//! to the engine's plain structs and the engine's review back, nothing else.
//! `extension/engine/engine.js` is the only importer of the bindings generated from it.

use js_sys::{Array, Object};
use misend_guard_dto::{CheckerCore, ContactDto, ContextDto, DraftDto};
use misend_guard_rules::policy::input::{push_index, push_key};
use misend_guard_rules::policy::{InputProblem, InputProblemKind, PolicyInput, MAX_DEPTH};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    misend_guard_dto::VERSION.to_string()
}

/// Every check the engine has, with its default severity and its summary in `lang`.
#[wasm_bindgen]
pub fn codes(lang: &str) -> Result<JsValue, JsError> {
    to_js(&misend_guard_dto::codes(lang))
}

/// A loaded policy, ready to check drafts.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Checker {
    core: CheckerCore,
}

#[wasm_bindgen]
impl Checker {
    /// Loads the admin's policy (a plain object, or `null`/`undefined` for none), and merges
    /// the user's own settings over it when a third argument is given (`new Checker(policy,
    /// lang)` and `new Checker(policy, lang, user)` both work).
    /// Never throws: a policy that is not even JSON-like becomes a diagnostic, and so does
    /// every value nested too deep, every number that is not finite and every value JSON
    /// cannot hold (each at its path, and the admin's make the policy degraded).
    #[wasm_bindgen(constructor)]
    pub fn new(policy: JsValue, lang: &str, user: JsValue) -> Checker {
        Checker { core: CheckerCore::from_inputs(Ok(take_in(&policy)), Ok(take_in(&user)), lang) }
    }

    /// Loads a policy from JSON text (the playground, and files), so that syntax errors
    /// carry a line and a column.
    #[wasm_bindgen(js_name = fromText)]
    pub fn from_text(text: &str, lang: &str) -> Checker {
        Checker { core: CheckerCore::from_text(text, lang) }
    }

    /// The checker to use when the admin's policy could not be read (a storage failure, and
    /// no earlier copy): the strictest checks, with the reason shown in the dialog; every
    /// review has `failure: {reason, sendAllowed: false}` and the verdict `block`.
    pub fn unreadable(reason: &str, lang: &str) -> Checker {
        Checker { core: CheckerCore::unreadable(reason, lang) }
    }

    /// The diagnostics found while loading the policy.
    pub fn diagnostics(&self) -> Result<JsValue, JsError> {
        to_js(&self.core.diagnostics())
    }

    /// The policy in effect, every check and dialog key with its value, in a policy's shape.
    #[wasm_bindgen(js_name = effectivePolicy)]
    pub fn effective_policy(&self) -> Result<JsValue, JsError> {
        to_js(&self.core.effective_policy())
    }

    /// Reviews a draft. The context (`{contacts: [...]}`, the address books) is optional:
    /// `undefined` or `null` means nothing is known.
    /// Throws only when the draft or the context does not have the documented shape.
    pub fn check(&self, draft: JsValue, context: JsValue) -> Result<JsValue, JsError> {
        let draft: DraftDto = serde_wasm_bindgen::from_value(draft)
            .map_err(|e| JsError::new(&format!("the draft does not have the expected shape: {e}")))?;
        let context: ContextDto = if context.is_null() || context.is_undefined() {
            ContextDto::default()
        } else if let Some(context) = take_context(&context) {
            context
        } else {
            serde_wasm_bindgen::from_value(context)
                .map_err(|e| JsError::new(&format!("the context does not have the expected shape: {e}")))?
        };
        to_js(&self.core.check(&draft, &context))
    }
}

/// The context of a check, read property by property: the add-on passes its address books
/// with every Send, and reading 5,000 contact cards this way costs a fraction of what
/// `serde_wasm_bindgen` spends listing each card's entries. `None` when anything has another
/// shape than expected, so that the general conversion reports the problem in its own words.
fn take_context(value: &JsValue) -> Option<ContextDto> {
    if !value.is_object() || Array::is_array(value) {
        return None;
    }
    let get = |object: &JsValue, key: &str| js_sys::Reflect::get(object, &JsValue::from_str(key)).ok();
    let contacts = get(value, "contacts")?;
    let contacts = if contacts.is_undefined() {
        Vec::new()
    } else {
        if !Array::is_array(&contacts) {
            return None;
        }
        let array: &Array = contacts.unchecked_ref();
        let mut out = Vec::with_capacity(array.length() as usize);
        for item in array.iter() {
            if let Some(raw) = item.as_string() {
                out.push(ContactDto::Raw(raw));
                continue;
            }
            if !item.is_object() || Array::is_array(&item) {
                return None;
            }
            // An optional text field: absent, `null` or a string.
            let field = |key: &str| -> Option<Option<String>> {
                let v = get(&item, key)?;
                if v.is_null() || v.is_undefined() {
                    Some(None)
                } else {
                    v.as_string().map(Some)
                }
            };
            let address = field("address")??;
            out.push(ContactDto::Card {
                address,
                name: field("name")?,
                org: field("org")?,
                reading: field("reading")?,
            });
        }
        out
    };
    let sent = get(value, "sent")?;
    let sent = if sent.is_null() || sent.is_undefined() {
        None
    } else {
        if !Array::is_array(&sent) {
            return None;
        }
        let array: &Array = sent.unchecked_ref();
        Some(array.iter().map(|a| a.as_string()).collect::<Option<Vec<String>>>()?)
    };
    Some(ContextDto { contacts, sent })
}

/// A JavaScript value as a policy input; `null` and `undefined` (an argument not given) are
/// `null`. The value is walked here, at most [`MAX_DEPTH`] levels deep, rather than by
/// `serde_wasm_bindgen`, whose recursion has no bound: a policy of a few thousand nested
/// objects overflowed the stack and trapped the engine (issue #11).
fn take_in(value: &JsValue) -> PolicyInput {
    let mut problems = Vec::new();
    let mut path = String::new();
    let value = convert(value, 0, &mut path, &mut problems);
    PolicyInput { value, problems }
}

/// Converts one JavaScript value; `depth` is how many objects and arrays enclose it.
fn convert(value: &JsValue, depth: usize, path: &mut String, problems: &mut Vec<InputProblem>) -> Value {
    let mut problem = |kind| {
        problems.push(InputProblem { path: path.clone(), kind });
        Value::Null
    };
    if value.is_null() || value.is_undefined() {
        return Value::Null;
    }
    if let Some(b) = value.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = value.as_f64() {
        if !n.is_finite() {
            let text = if n.is_nan() {
                "NaN"
            } else if n > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            };
            return problem(InputProblemKind::NotFinite(text.to_string()));
        }
        // Whole numbers are integers in JSON, as `serde_wasm_bindgen` read them.
        if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            return Value::from(n as i64);
        }
        return serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number);
    }
    if let Some(s) = value.as_string() {
        return Value::String(s);
    }
    if value.is_function() || !value.is_object() {
        let kind = value.js_typeof().as_string().unwrap_or_default();
        return problem(InputProblemKind::NotJson(kind));
    }
    if depth >= MAX_DEPTH {
        return problem(InputProblemKind::TooDeep);
    }
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        let mut items = Vec::with_capacity(array.length() as usize);
        for (i, item) in array.iter().enumerate() {
            let len = path.len();
            push_index(path, i);
            items.push(convert(&item, depth + 1, path, problems));
            path.truncate(len);
        }
        return Value::Array(items);
    }
    let mut map = serde_json::Map::new();
    for entry in Object::entries(value.unchecked_ref()).iter() {
        let entry: Array = entry.unchecked_into();
        let key = entry.get(0).as_string().unwrap_or_default();
        let len = path.len();
        push_key(path, &key);
        let item = convert(&entry.get(1), depth + 1, path, problems);
        path.truncate(len);
        map.insert(key, item);
    }
    Value::Object(map)
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}
