//! The CLI's only use of the engine: the add-on's own JSON interface, `misend-guard-dto`.
//!
//! Every review the CLI prints comes from [`CheckerCore::check`], the same call the wasm
//! facade makes for the add-on and the playground, so the same mail under the same policy
//! gives the same findings in the dialog and on the command line.
//! Keeping every engine call in this one module keeps an engine API change to one place.

use misend_guard_dto::{CheckerCore, DiagnosticDto, DraftDto, ReviewDto};
use misend_guard_rules::Lang;
use serde_json::Value;

use crate::contacts::Contact;

/// A loaded policy with what the CLI knows besides the mail.
#[derive(Debug)]
pub struct Engine {
    core: CheckerCore,
    contacts: Option<Vec<String>>,
}

impl Engine {
    /// Loads the admin's policy object (`null` for none), as the add-on does.
    pub fn new(policy: &Value, lang: Lang, contacts: Option<&[Contact]>) -> Engine {
        Engine {
            core: CheckerCore::new(Ok(policy.clone()), lang.tag()),
            contacts: contacts.map(|c| c.iter().map(Contact::raw).collect()),
        }
    }

    /// The diagnostics found while loading the policy.
    pub fn diagnostics(&self) -> Vec<DiagnosticDto> {
        self.core.diagnostics()
    }

    /// The known addresses, as raw mailbox strings (`"Name" <addr>`), for the context.
    ///
    /// In this version of the engine, `CheckerCore::check` takes no context: the contacts
    /// are read and validated, but no check uses them yet.
    pub fn contacts(&self) -> Option<&[String]> {
        self.contacts.as_deref()
    }

    /// Reviews a draft.
    pub fn check(&self, draft: &DraftDto) -> ReviewDto {
        self.core.check(draft)
    }
}
