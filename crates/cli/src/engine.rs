//! The CLI's only use of the engine: the add-on's own JSON interface, `misend-guard-dto`.
//!
//! Every review the CLI prints comes from [`CheckerCore::check`], the same call the wasm
//! facade makes for the add-on and the playground, so the same mail under the same policy
//! gives the same findings in the dialog and on the command line.
//! Keeping every engine call in this one module keeps an engine API change to one place.

use misend_guard_dto::{CheckerCore, ContextDto, DiagnosticDto, DraftDto, ReviewDto};
use misend_guard_rules::policy::PolicyInput;
use misend_guard_rules::Lang;

use crate::contacts::Contact;
use crate::inspect::Inspection;

/// A loaded policy with what the CLI knows besides the mail.
#[derive(Debug)]
pub struct Engine {
    core: CheckerCore,
    /// The address books of `--contacts` and the sent history of `--sent`, given with every mail.
    context: ContextDto,
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
            context: ContextDto {
                contacts: contacts.map(|c| c.iter().map(Contact::to_dto).collect()).unwrap_or_default(),
                sent: None,
            },
        }
    }

    /// The same engine knowing the addresses the person has sent mail to (`--sent`), as the
    /// add-on knows them from its index of the Sent folders.
    pub fn with_sent(mut self, sent: Option<Vec<String>>) -> Engine {
        self.context.sent = sent;
        self
    }

    /// The diagnostics found while loading the policy.
    pub fn diagnostics(&self) -> Vec<DiagnosticDto> {
        self.core.diagnostics()
    }

    /// How attachments are to be inspected: the `inspection` of a review, as the add-on reads it from
    /// its first review of a mail (the policy's settings, or the defaults).
    pub fn inspection(&self) -> Inspection {
        let review = serde_json::to_value(self.core.check(&DraftDto::default(), &ContextDto::default()));
        review.ok().and_then(|r| serde_json::from_value(r["inspection"].clone()).ok()).unwrap_or(Inspection {
            enabled: true,
            limits: Default::default(),
            max_total_bytes: 50 * 1024 * 1024,
            timeout_ms: 3000,
        })
    }

    /// Reviews a draft, with the address books of `--contacts` (and the sent history of `--sent`)
    /// as the add-on passes its own.
    pub fn check(&self, draft: &DraftDto) -> ReviewDto {
        self.core.check(draft, &self.context)
    }

    /// The review of one mail as JSON, for `check` and `scan`. A panic in the engine is
    /// caught: it becomes this mail's error, and the other mails are still checked.
    pub fn review_json(&self, draft: &DraftDto, lang: Lang) -> Result<serde_json::Value, String> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.check(draft)))
            .map(|review| serde_json::to_value(review).unwrap_or(serde_json::Value::Null))
            .map_err(|_| {
                lang.pick3(
                    "確認できませんでした: エンジンの内部エラーです（このメールを添えて報告してください）",
                    "could not be checked: the engine failed (please report it with this mail)",
                    "无法检查：检查引擎内部出错（请附上此邮件报告）",
                )
                .to_string()
            })
    }
}
