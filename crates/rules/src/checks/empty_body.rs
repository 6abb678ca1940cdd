//! `empty-body`: the author's own part of the body is empty.
//!
//! Why: a mail sent with an empty body was usually sent too early, before it was written
//! (product.md: "half-written or unfinished mail"). White space counts as empty, including
//! the ideographic space and zero-width characters. A body that is only quoted text or only
//! a signature is empty too: the author wrote nothing. A forward without a word is the usual
//! case, so the check is only `info` by default.
//!
//! Example policy: `{"rules": {"empty-body": {"severity": "warn"}}}`

check! {
    code: "empty-body",
    order: 160,
    default: Info,
    settings: RawRule,
    summary: {
        ja: "本文が空です（引用と署名だけの場合を含みます）。",
        en: "The body is empty, or holds only quoted text and a signature.",
        zh: "正文为空（或只有引用内容和签名）。",
    },
    tag: {
        ja: "本文なし",
        en: "Empty body",
        zh: "正文为空",
    },
    how_to_fix: {
        ja: "本文を書いてください。",
        en: "Write the body.",
        zh: "请填写正文。",
    },
}

use super::{Code, Subject};
use crate::model::Finding;
use crate::text;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    if !subject.own_text().is_blank() {
        return;
    }
    let message = if text::is_blank(&subject.draft.body) {
        subject.lang.pick3("本文が空です。", "The body is empty.", "正文为空。")
    } else {
        subject.lang.pick3(
            "本文に自分で書いた文がありません（引用か署名だけです）。",
            "The body has no text of your own (only quoted text or a signature).",
            "正文中没有您自己写的内容（只有引用或签名）。",
        )
    };
    out.push(Finding::new(Code::EmptyBody, subject.severity(Code::EmptyBody), message.to_string()));
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, mail, MailExt};
    use crate::Code;
    use serde_json::Value;

    /// Whether `empty-subject` and `empty-body` (read together, as a person would) fire for a subject and a body.
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
