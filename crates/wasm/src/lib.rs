//! The WebAssembly facade of the rule engine: its own DTOs and one error conversion.
//!
//! Architecture invariant: no rule logic lives here. This crate converts JavaScript values
//! to the engine's plain structs and the engine's review back, nothing else.
//! `extension/engine/engine.js` is the only importer of the bindings generated from it.
//!
//! The draft comes in and the review goes out as JSON text (issue #13): building or reading a
//! JavaScript object through the bindings costs a call across the boundary for every property,
//! which made handing over a mail of 1,000 recipients and its review take longer than checking
//! it; one string each way, read by `serde_json` here and by `JSON.parse` in the wrapper, is a
//! single copy. The address books and the sent history are given apart from the draft
//! ([`Checker::set_context`]) and kept parsed, so that they cross only when they change.

use js_sys::{Array, Object};
use misend_guard_dto::{contacts_of, CheckerCore, ContextDto, DraftDto};
use misend_guard_rules::policy::input::{push_index, push_key};
use misend_guard_rules::policy::{InputProblem, InputProblemKind, PolicyInput, MAX_DEPTH};
use misend_guard_rules::Contacts;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    misend_guard_dto::VERSION.to_string()
}

/// Every check the engine has, with its default severity and its summary in `lang`, as JSON.
#[wasm_bindgen]
pub fn codes(lang: &str) -> Result<String, JsError> {
    to_json(&misend_guard_dto::codes(lang))
}

/// A loaded policy, ready to check drafts.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Checker {
    core: CheckerCore,
    /// The address books of the last [`Checker::set_context`], parsed.
    contacts: Contacts,
    /// The sent history of the last [`Checker::set_context`], parsed; `None` when not known.
    sent: Option<Contacts>,
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
        Checker::with(CheckerCore::from_inputs(Ok(take_in(&policy)), Ok(take_in(&user)), lang))
    }

    /// Loads a policy from JSON text (the playground, and files), so that syntax errors
    /// carry a line and a column.
    #[wasm_bindgen(js_name = fromText)]
    pub fn from_text(text: &str, lang: &str) -> Checker {
        Checker::with(CheckerCore::from_text(text, lang))
    }

    /// The checker to use when the admin's policy could not be read (a storage failure, and
    /// no earlier copy): the strictest checks, with the reason shown in the dialog; every
    /// review has `failure: {reason, sendAllowed: false}` and the verdict `block`.
    pub fn unreadable(reason: &str, lang: &str) -> Checker {
        Checker::with(CheckerCore::unreadable(reason, lang))
    }

    /// The diagnostics found while loading the policy, as JSON.
    pub fn diagnostics(&self) -> Result<String, JsError> {
        to_json(&self.core.diagnostics())
    }

    /// The policy in effect, every check and dialog key with its value, in a policy's shape, as JSON.
    #[wasm_bindgen(js_name = effectivePolicy)]
    pub fn effective_policy(&self) -> Result<String, JsError> {
        to_json(&self.core.effective_policy())
    }

    /// Gives the checker what the caller knows besides the drafts, as JSON text
    /// (`{"contacts": [...], "sent": [...] | null}`, the address books and the sent history),
    /// for every check until the next call. A new checker knows nothing.
    /// Throws only when the text is not a context of the documented shape; the context held
    /// before is then kept.
    #[wasm_bindgen(js_name = setContext)]
    pub fn set_context(&mut self, context: &str) -> Result<(), JsError> {
        let context: ContextDto = serde_json::from_str(context)
            .map_err(|e| JsError::new(&format!("the context does not have the expected shape: {e}")))?;
        self.contacts = contacts_of(&context.contacts);
        self.sent = context.sent.map(Contacts::from_entries);
        Ok(())
    }

    /// Reviews a draft given as JSON text, with the context given last; the review as JSON text
    /// with its recipients in columns (see `misend_guard_dto::CompactReview`).
    /// Throws only when the draft does not have the documented shape.
    pub fn check(&self, draft: &str) -> Result<String, JsError> {
        let draft: DraftDto = serde_json::from_str(draft)
            .map_err(|e| JsError::new(&format!("the draft does not have the expected shape: {e}")))?;
        to_json(&self.core.check_compact(draft, &self.contacts, self.sent.as_ref()))
    }
}

impl Checker {
    fn with(core: CheckerCore) -> Checker {
        Checker { core, contacts: Contacts::default(), sent: None }
    }
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
        // Whole numbers are integers in JSON, as a JSON parser reads them.
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

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, JsError> {
    serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))
}
