//! The WebAssembly facade of the rule engine: its own DTOs and one error conversion.
//!
//! Architecture invariant: no rule logic lives here. This crate converts JavaScript values
//! to the engine's plain structs and the engine's review back, nothing else.
//! `extension/engine/engine.js` is the only importer of the bindings generated from it.

use misend_guard_dto::{CheckerCore, DraftDto};
use wasm_bindgen::prelude::*;

/// The engine's version.
#[wasm_bindgen]
pub fn version() -> String {
    misend_guard_dto::VERSION.to_string()
}

/// Every check the engine has: its code, default severity and a one-line summary in `lang`.
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
    /// Loads the admin's policy (a plain object, or `null`/`undefined` for none).
    /// Never throws: a policy that is not even JSON-like becomes a diagnostic.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: JsValue, lang: &str) -> Checker {
        let value = if policy.is_null() || policy.is_undefined() {
            Ok(serde_json::Value::Null)
        } else {
            serde_wasm_bindgen::from_value::<serde_json::Value>(policy).map_err(|e| e.to_string())
        };
        Checker { core: CheckerCore::new(value, lang) }
    }

    /// Loads a policy from JSON text (the playground, and files), so that syntax errors
    /// carry a line and a column.
    #[wasm_bindgen(js_name = fromText)]
    pub fn from_text(text: &str, lang: &str) -> Checker {
        Checker { core: CheckerCore::from_text(text, lang) }
    }

    /// The checker to use when the admin's policy could not be read (a storage failure):
    /// the strictest checks, with the reason shown in the dialog.
    pub fn unreadable(reason: &str, lang: &str) -> Checker {
        Checker { core: CheckerCore::unreadable(reason, lang) }
    }

    /// The diagnostics found while loading the policy.
    pub fn diagnostics(&self) -> Result<JsValue, JsError> {
        to_js(&self.core.diagnostics())
    }

    /// Reviews a draft. Throws only when the draft does not have the documented shape.
    pub fn check(&self, draft: JsValue) -> Result<JsValue, JsError> {
        let draft: DraftDto = serde_wasm_bindgen::from_value(draft)
            .map_err(|e| JsError::new(&format!("the draft does not have the expected shape: {e}")))?;
        to_js(&self.core.check(&draft))
    }
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}
