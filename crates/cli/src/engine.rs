//! The CLI's only use of the engine: the add-on's own JSON interface, `misend-guard-dto`.
//!
//! Every review the CLI prints comes from [`CheckerCore::check`], the same call the wasm
//! facade makes for the add-on and the playground, so the same mail under the same policy
//! gives the same findings in the dialog and on the command line.
//! Keeping every engine call in this one module keeps an engine API change to one place.

use misend_guard_dto::{CheckerCore, ContactDto, ContextDto, DiagnosticDto, DraftDto, ReviewDto};
use misend_guard_rules::policy::PolicyInput;
use misend_guard_rules::Lang;

use crate::contacts::Contact;

/// A loaded policy with what the CLI knows besides the mail.
#[derive(Debug)]
pub struct Engine {
    core: CheckerCore,
    contacts: Vec<ContactDto>,
    sent: Option<Vec<String>>,
}

impl Engine {
    /// Loads the admin's policy and the user's own settings over it (`None` for none), as the
    /// add-on does, with what reading their text met (keys written twice, deep nesting), and
    /// the address books of `--contacts`.
    pub fn new(
        policy: Option<PolicyInput>,
        user: Option<PolicyInput>,
        lang: Lang,
        contacts: Option<&[Contact]>,
    ) -> Engine {
        let none = || PolicyInput::trusted(serde_json::Value::Null);
        Engine {
            core: CheckerCore::from_inputs(Ok(policy.unwrap_or_else(none)), Ok(user.unwrap_or_else(none)), lang.tag()),
            contacts: contacts.unwrap_or_default().iter().map(Contact::to_dto).collect(),
            sent: None,
        }
    }

    /// The engine with the sent history of `--sent`: the addresses written to before.
    pub fn with_sent(self, sent: Option<Vec<String>>) -> Engine {
        Engine { sent, ..self }
    }

    /// The diagnostics found while loading the policy.
    pub fn diagnostics(&self) -> Vec<DiagnosticDto> {
        self.core.diagnostics()
    }

    /// Reviews a draft, with the address books of `--contacts` and the sent history of
    /// `--sent` as the add-on passes its own.
    pub fn check(&self, draft: &DraftDto) -> ReviewDto {
        let context = ContextDto { contacts: self.contacts.clone(), sent: self.sent.clone() };
        self.core.check(draft, &context)
    }
}
