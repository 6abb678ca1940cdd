//! `display-name-mismatch`: the display name holds an e-mail address other than the real one.
//!
//! Why: `"president@corp.example" <ceo@evil.example>` shows the user a trusted address while
//! the mail goes elsewhere; it is how a reply to a spoofed mail, or a poisoned address-book
//! entry, sends data to an outsider. Only the address after the name receives the mail.
//! The same address in another case (`"Taro@Corp.example" <taro@corp.example>`) is not a
//! mismatch, and full-width forms (`ｔａｒｏ＠ｃｏｒｐ.example`) are read as what they look like.
//! Warn by default.
//!
//! Example policy: `{"rules": {"display-name-mismatch": {"severity": "block"}}}`

check! {
    code: "display-name-mismatch",
    order: 60,
    default: Warn,
    settings: RawRule,
    summary: {
        ja: "表示名に、実際の宛先とは別のメールアドレスが書かれています。",
        en: "The display name holds an e-mail address other than the real one (\"president@corp.example\" <ceo@evil.example>).",
        zh: "显示名称中写有与实际收件地址不同的电子邮件地址。",
    },
    tag: {
        ja: "表示名とアドレスが不一致",
        en: "Name shows another address",
        zh: "显示名称与地址不符",
    },
    how_to_fix: {
        ja: "表示名の中のアドレスと実際のアドレスを見比べ、正しい宛先に直してください。",
        en: "Compare the address in the name with the real one, and correct the recipient.",
        zh: "请对比显示名称中的地址与实际地址，并更正收件人。",
    },
}

use super::{Code, Subject};
use crate::domain::Domain;
use crate::model::Finding;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    for r in subject.recipients {
        let Some(name) = r.name.as_deref() else { continue };
        let Some(shown) = addresses_in(name).into_iter().find(|(_, key)| *key != r.key) else { continue };
        let message = subject.lang.pick3(
            format!("表示名に {} と書かれていますが、実際の宛先は {} です。", shown.0, r.address),
            format!("The display name says {}, but the mail goes to {}.", shown.0, r.address),
            format!("显示名称写的是 {}，但邮件实际发往 {}。", shown.0, r.address),
        );
        out.push(
            Finding::new(Code::DisplayNameMismatch, subject.severity(Code::DisplayNameMismatch), message)
                .with_recipients(vec![r.index]),
        );
    }
}

/// The e-mail addresses written in a text, each as written and in normal form.
fn addresses_in(text: &str) -> Vec<(String, String)> {
    // Most names hold no address at all, and are not copied for the search below.
    if !text.contains('@') && !text.contains('\u{FF20}') {
        return Vec::new();
    }
    // Full-width ASCII (U+FF01..U+FF5E) looks like ASCII, so it is read as ASCII.
    let chars: Vec<char> = text
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let is_local = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c);
    let is_domain = |c: char| c.is_alphanumeric() || c == '-' || c == '.';
    let mut found = Vec::new();
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        let start = (0..at).rev().take_while(|&i| is_local(chars[i])).last().unwrap_or(at);
        let end = (at + 1..chars.len()).take_while(|&i| is_domain(chars[i])).last().map_or(at + 1, |i| i + 1);
        let local: String = chars[start..at].iter().collect::<String>().trim_start_matches('.').to_string();
        let domain: String = chars[at + 1..end].iter().collect::<String>().trim_end_matches('.').to_string();
        // A domain needs a dot: "Sales@Tokyo" is a name, not an address.
        if local.is_empty() || !domain.trim_start_matches('.').contains('.') {
            continue;
        }
        let Some(normal) = Domain::parse(&domain) else { continue };
        found.push((format!("{local}@{domain}"), format!("{}@{}", local.to_lowercase(), normal.as_str())));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::addresses_in;

    fn check(text: &str, expected: &[&str]) {
        let got: Vec<String> = addresses_in(text).into_iter().map(|(_, key)| key).collect();
        assert_eq!(got, expected, "addresses in {text:?}");
    }

    #[test]
    fn addresses_in_display_names() {
        check("president@corp.example", &["president@corp.example"]);
        check("Taro (TARO@Corp.Example)", &["taro@corp.example"]);
        check("ｐｒｅｓｉｄｅｎｔ＠ｃｏｒｐ.example", &["president@corp.example"]);
        check("社長 <ceo@corp.example> 代理", &["ceo@corp.example"]);
        check("a@x.example / b@例え.jp", &["a@x.example", "b@xn--r8jz45g.jp"]);
        check("Sales@Tokyo", &[]);
        check("@channel", &[]);
        check("Yamada Taro", &[]);
        check("x@", &[]);
        check("@@@", &[]);
    }
}
