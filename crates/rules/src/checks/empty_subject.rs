//! `empty-subject`: the subject is empty.
//!
//! Why: a mail sent with an empty subject was usually sent too early, by a slip of the
//! keyboard, before it was written (product.md: "half-written or unfinished mail"), and a
//! partner cannot tell it from spam. White space counts as empty, including the ideographic
//! space and zero-width characters. Warn by default.
//!
//! Example policy: `{"rules": {"empty-subject": {"severity": "block"}}}`

check! {
    code: "empty-subject",
    order: 150,
    default: Warn,
    settings: RawRule,
    summary: {
        ja: "件名が空です。",
        en: "The subject is empty.",
        zh: "主题为空。",
    },
    tag: {
        ja: "件名なし",
        en: "No subject",
        zh: "无主题",
    },
    how_to_fix: {
        ja: "件名を入れてください。",
        en: "Write a subject.",
        zh: "请填写主题。",
    },
}

use super::{Code, Subject};
use crate::model::Finding;
use crate::text;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    if text::is_blank(&subject.draft.subject) {
        let message = subject.lang.pick3("件名が空です。", "The subject is empty.", "主题为空。").to_string();
        out.push(Finding::new(Code::EmptySubject, subject.severity(Code::EmptySubject), message));
    }
}
