//! `empty-subject` and `empty-body`: the subject, or the author's own part of the body, is empty.
//!
//! Why: a mail sent with an empty subject or body was usually sent too early, by a slip of the
//! keyboard, before it was written (product.md: "half-written or unfinished mail").
//! White space counts as empty, including the ideographic space and zero-width characters.
//! A body that is only quoted text or only a signature is empty too: the author wrote nothing
//! (a forward without a word is the usual case, so `empty-body` is only `info` by default).
//!
//! Example policy: `{"rules": {"empty-subject": {"severity": "block"}, "empty-body": {"severity": "warn"}}}`

use super::{Code, Subject};
use crate::review::Finding;
use crate::text::{self, OwnText};

pub(super) fn check_subject(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    if text::is_blank(&subject.draft.subject) {
        let message = subject.lang.pick("件名が空です。", "The subject is empty.").to_string();
        out.push(Finding::new(Code::EmptySubject, subject.severity(Code::EmptySubject), message));
    }
}

pub(super) fn check_body(subject: &Subject<'_>, own: &OwnText<'_>, out: &mut Vec<Finding>) {
    if !own.is_blank() {
        return;
    }
    let message = if text::is_blank(&subject.draft.body) {
        subject.lang.pick("本文が空です。", "The body is empty.")
    } else {
        subject.lang.pick(
            "本文に自分で書いた文がありません（引用か署名だけです）。",
            "The body has no text of your own (only quoted text or a signature).",
        )
    };
    out.push(Finding::new(Code::EmptyBody, subject.severity(Code::EmptyBody), message.to_string()));
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, MailExt};
    use crate::Code;
    use serde_json::Value;

    /// Whether `empty-subject` and `empty-body` fire for a subject and a body.
    fn check(subject: &str, body: &str, expected: (bool, bool)) {
        let draft = mail().subject(subject).body(body);
        let got = (
            !findings(Value::Null, &draft, Code::EmptySubject).is_empty(),
            !findings(Value::Null, &draft, Code::EmptyBody).is_empty(),
        );
        assert_eq!(got, expected, "subject {subject:?}, body {body:?}");
    }

    #[test]
    fn empty_subject_and_body() {
        check("Hello", "Text", (false, false));
        check("", "", (true, true));
        check(" \u{3000}\t", "\n \n\u{200B}", (true, true));
        check("Re: x", "> only a quote\n> of the last mail\n", (false, true));
        check("x", "\n-- \nTaro Yamada\nSales", (false, true));
        check("x", "-------- Forwarded Message --------\nSubject: y\n\nold text", (false, true));
        check("x", "FYI\n-------- Forwarded Message --------\nold text", (false, false));
    }
}
