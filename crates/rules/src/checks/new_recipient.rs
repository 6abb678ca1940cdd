//! `new-recipient`: an address never seen in the user's address books.
//!
//! Why: a recipient picked by auto-completion or typed from memory, and never written to
//! before, is where a wrong address hides (the 2022 railway notice that went to 17
//! applicants). A first mail to someone deserves a second look; info by default.
//!
//! The caller passes the known addresses (the add-on its address books, the CLI a contacts
//! file). When it passes none, the check stays silent: without address books every
//! recipient would be "new", and a warning on every mail teaches users to ignore warnings.
//! Members of an address-book mailing list come from an address book, so they are known.
//!
//! Example policy: `{"rules": {"new-recipient": {"severity": "warn"}}}`

check! {
    code: "new-recipient",
    order: 70,
    default: Info,
    settings: RawRule,
    summary: {
        ja: "アドレス帳にない宛先です。",
        en: "An address that is in none of the address books.",
        zh: "该地址不在任何通讯录中。",
    },
    tag: {
        ja: "初めての宛先",
        en: "New recipient",
        zh: "新收件人",
    },
    how_to_fix: {
        ja: "アドレス帳にない宛先です。アドレスが正しいか確認してください。",
        en: "This address is not in your address books. Check that it is right.",
        zh: "该地址不在您的通讯录中。请确认地址是否正确。",
    },
}

use super::{shortlist, Code, Subject};
use crate::model::Finding;

pub(super) fn check(subject: &Subject<'_>, out: &mut Vec<Finding>) {
    if subject.contacts.is_empty() {
        return;
    }
    let new: Vec<usize> = subject
        .recipients
        .iter()
        .filter(|r| r.valid && r.list.is_none() && !subject.contacts.knows_address(&r.key))
        .map(|r| r.index)
        .collect();
    if new.is_empty() {
        return;
    }
    let addresses: Vec<&str> = new.iter().map(|&i| subject.recipients[i].address.as_str()).collect();
    let list = shortlist(&addresses, subject.lang);
    let message = subject.lang.pick3(
        format!(
            "アドレス帳にない宛先が {} 件あります（{list}）。初めて送る相手で間違いないか確認してください。",
            new.len()
        ),
        format!(
            "{} recipient{} not in your address books ({list}). Check that this is the right person.",
            new.len(),
            if new.len() == 1 { " is" } else { "s are" }
        ),
        format!("有 {} 个收件人不在您的通讯录中（{list}）。请确认收件人是否正确。", new.len()),
    );
    out.push(Finding::new(Code::NewRecipient, subject.severity(Code::NewRecipient), message).with_recipients(new));
}
