//! The WebAssembly facade of the rule engine: its own DTOs and one error conversion.
//!
//! Architecture invariant: no rule logic lives here. This crate converts JavaScript values
//! to the engine's plain structs and the engine's review back, nothing else.
//! `extension/engine/engine.js` is the only importer of the bindings generated from it.

use misend_guard_dto::{CheckerCore, ContextDto, DraftDto};
use wasm_bindgen::prelude::*;

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
    /// Never throws: a policy that is not even JSON-like becomes a diagnostic.
    #[wasm_bindgen(constructor)]
    pub fn new(policy: JsValue, lang: &str, user: JsValue) -> Checker {
        Checker { core: CheckerCore::with_user(json_value(policy), json_value(user), lang) }
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
        } else {
            serde_wasm_bindgen::from_value(context)
                .map_err(|e| JsError::new(&format!("the context does not have the expected shape: {e}")))?
        };
        to_js(&self.core.check(&draft, &context))
    }
}

/// A JavaScript value as JSON; `null` and `undefined` (an argument not given) are `null`.
fn json_value(value: JsValue) -> Result<serde_json::Value, String> {
    if value.is_null() || value.is_undefined() {
        Ok(serde_json::Value::Null)
    } else {
        serde_wasm_bindgen::from_value::<serde_json::Value>(value).map_err(|e| e.to_string())
    }
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}
