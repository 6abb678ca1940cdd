//! The bounds of a policy's lists: how many entries of each are read, and the diagnostic that
//! says what was left out. They sit below the readers (`load`, `content`, `organizations`,
//! `user`) and the raw shapes, whose schema states the same bounds.

use super::{Diagnostic, DiagnosticLevel};
use crate::i18n::Lang;

/// The most `internalDomains` (and `knownDomains`) a policy may list. Each is indexed for
/// `lookalike-domain`; an organisation's own and partner domains come nowhere near it.
pub const MAX_DOMAINS: usize = 10_000;

/// The most entries of `rules.blocked-domain.entries`: looked up by hash, so the bound is only
/// there to keep a policy's size meaningful.
pub const MAX_BLOCKED_ENTRIES: usize = 100_000;

/// What a capped list holds, which decides how it can be shortened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Listed {
    /// Domain patterns, where one `*.` entry covers every subdomain.
    Domains,
    /// Anything else: words, extensions.
    Items,
}

/// Keeps the first `max` entries of a list, saying how many more were ignored and how to fix it.
pub(super) fn capped<'a, T>(
    list: &'a [T],
    max: usize,
    path: &str,
    listed: Listed,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) -> &'a [T] {
    if list.len() <= max {
        return list;
    }
    let hint = match listed {
        Listed::Domains => lang.pick3(
            "項目を減らしてください。サブドメインは \"*.corp.example\" の 1 項目でまとめられます。",
            "Shorten the list. Subdomains can be covered by one \"*.corp.example\" entry.",
            "请减少项数。子域名可以用一项 \"*.corp.example\" 概括。",
        ),
        Listed::Items => lang.pick3(
            "項目を減らしてください。重複や使われていない項目を消すと、必要な項目が上限に収まります。",
            "Shorten the list: remove duplicates and entries that are no longer needed, so that the ones that matter fit.",
            "请减少项数：删除重复和不再需要的项，使重要的项在上限之内。",
        ),
    };
    out.push(Diagnostic {
        level: DiagnosticLevel::Error,
        source,
        path: format!("{path}[{max}]"),
        message: lang.pick3(
            format!("{path} に {} 件あります。上限は {max} 件で、これ以降は使われません。", list.len()),
            format!("{path} has {} entries; at most {max} are used, and the rest are ignored.", list.len()),
            format!("{path} 有 {} 项。上限为 {max} 项，超出的部分不会被使用。", list.len()),
        ),
        hint: Some(hint.to_string()),
    });
    &list[..max]
}

/// The most keyword rules a policy (or a person's settings) may have. Each rule is compiled
/// when the policy loads, so this bounds the load of a huge policy to a fraction of a second;
/// many terms belong in one rule's pattern (`社外秘|部外秘|極秘`) anyway.
pub const MAX_KEYWORD_RULES: usize = 1000;

/// The most words `attachment-forgotten` may add. Every word is looked for at every place of
/// the body, so the list is bounded; a few dozen words cover any organisation's phrasing.
pub const MAX_ATTACHMENT_TERMS: usize = 100;

/// The longest word of `attachment-forgotten`, in characters.
pub const MAX_TERM_CHARS: usize = 100;

/// The most extensions `attachment-blocked-type` may list.
pub const MAX_BLOCKED_EXTENSIONS: usize = 1000;

/// At most this many organisations are read from a policy.
pub const MAX_ORGANIZATIONS: usize = 1000;

/// At most this many names and domains are read per organisation.
pub const MAX_PER_ORGANIZATION: usize = 50;
