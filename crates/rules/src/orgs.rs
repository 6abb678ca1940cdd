//! Organisation and person knowledge: which organisation an address or a domain belongs to,
//! which domains an organisation writes from, and who is called what.
//!
//! Nothing here is typed in by hand as name↔domain pairs. The knowledge is learned from what
//! the caller already has: the address books (a contact's organisation and name), the display
//! names of the recipients and contacts (`鈴木 一郎（株式会社ベータ工業）<…>`,
//! `ベータ工業 鈴木 <…>`, `Ichiro Suzuki (Beta Kogyo) <…>`), and the policy's optional
//! `organizations`.
//!
//! Names are compared in one normal form ([`org_key`], [`person_key`]): NFKC (full width to
//! half width, `㈱` to `(株)`), legal-entity markers removed (株式会社, (株), 有限会社, Co., Ltd.,
//! Inc., …), spaces, `・` and punctuation ignored, case folded. No tokenizer or dictionary is
//! used: the checks only ever compare a name with names that are already known, so an
//! organisation nobody knows never raises an alarm.

use crate::resemblance::FastMap;

/// Legal-entity markers, in NFKC lower case, removed from organisation names.
const LEGAL_MARKERS: &[&str] = &[
    "特定非営利活動法人",
    "一般社団法人",
    "一般財団法人",
    "公益社団法人",
    "公益財団法人",
    "社会福祉法人",
    "独立行政法人",
    "国立大学法人",
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "学校法人",
    "医療法人",
    "npo法人",
    "(株)",
    "(有)",
    "(同)",
    "(社)",
    "(財)",
];

/// Latin legal-entity words, removed when they are whole words.
const LEGAL_WORDS: &[&str] = &[
    "co",
    "ltd",
    "inc",
    "corp",
    "llc",
    "llp",
    "plc",
    "gmbh",
    "kk",
    "k.k",
    "corporation",
    "limited",
    "incorporated",
    "company",
    "kabushiki",
    "kaisha",
];

/// Words that end the name of a Japanese organisation written without a legal marker
/// (`ベータ工業 鈴木`): enough to tell an organisation from a family name in a display name.
const ORG_ENDINGS: &[&str] = &[
    "工業",
    "商事",
    "産業",
    "物産",
    "建設",
    "電機",
    "電気",
    "製作所",
    "銀行",
    "証券",
    "保険",
    "商会",
    "興業",
    "工務店",
    "事務所",
    "システム",
    "システムズ",
    "ソリューションズ",
    "ホールディングス",
    "テクノロジー",
    "技研",
    "化学",
    "製薬",
    "運輸",
    "物流",
    "不動産",
    "研究所",
    "大学",
    "病院",
    "協会",
    "組合",
    "出版",
    "新聞",
    "放送",
    "通信",
    "電子",
    "重工",
    "精機",
    "食品",
    "商店",
    "開発",
    "ジャパン",
];

/// Words that end a department's name: a department is neither an organisation nor a person.
const DEPARTMENT_ENDINGS: &[&str] = &[
    "部",
    "課",
    "室",
    "係",
    "センター",
    "グループ",
    "チーム",
    "本部",
    "支店",
    "営業所",
    "事業部",
    "dept",
    "department",
];

/// At most this many organisations are learned per domain; a domain with more (a free-mail
/// provider) says nothing about who is behind an address.
pub const MAX_ORGS_PER_DOMAIN: usize = 3;

/// NFKC with case folding, as UTS #46 maps text (full width to half width, `㈱` to `(株)`,
/// upper to lower case, ignorable characters removed). The mapper is the one `idna` already
/// links for domains, so names cost no normalisation tables of their own; plain ASCII skips it.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`] appended to `out`.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else if text.chars().all(folds_alone) {
        // Most names are ideographs, kana and printable ASCII: the mapper would give them back
        // as they are (ASCII in lower case), so it is not asked.
        out.extend(text.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(icu_normalizer::uts46::Uts46MapperBorrowed::new().map_normalize(text.chars()));
    }
}

/// Whether folding leaves a character as it is (printable ASCII in lower case), whatever is
/// around it: it maps to itself, and it composes with nothing before or after it.
fn folds_alone(c: char) -> bool {
    matches!(c, ' '..='~' | 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー' | '々' | '\u{4E00}'..='\u{9FFF}')
}

/// The legal markers in a folded text, found in one pass: at each character that may start one,
/// the markers are compared in place, instead of searching the text once per marker.
fn markers_in(text: &str) -> impl Iterator<Item = (usize, &'static str)> + '_ {
    text.char_indices()
        .filter(|&(_, c)| {
            matches!(c, '特' | '一' | '公' | '社' | '独' | '国' | '株' | '有' | '合' | '学' | '医' | 'n' | '(')
        })
        // Only the markers that begin with that character are compared with the text there.
        .filter_map(|(at, c)| {
            LEGAL_MARKERS.iter().find(|m| m.starts_with(c) && text[at..].starts_with(*m)).map(|m| (at, *m))
        })
}

/// Whether a character is ignored when names are compared (U+FFFD is what folding makes of a
/// character no name should hold).
fn ignored(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '・' | '･'
                | ','
                | '.'
                | '、'
                | '。'
                | '\''
                | '"'
                | '-'
                | '_'
                | '/'
                | '&'
                | '('
                | ')'
                | '['
                | ']'
                | '「'
                | '」'
                | '【'
                | '】'
                | '\u{FFFD}'
        )
}

/// Whether a folded word is a Latin legal-entity word (`co.`, `ltd`, `(inc)`); `short` only
/// the ones that mark an organisation by themselves.
fn is_legal_word(word: &str, short: bool) -> bool {
    // The legal words are ASCII and only ASCII is trimmed: a word that starts with anything
    // else (a Japanese name) is none of them, and is not compared with each.
    if !word.as_bytes().first().is_some_and(u8::is_ascii) {
        return false;
    }
    let w = word.trim_matches(|c: char| c == '.' || c == '(' || c == ')');
    let words = if short { &LEGAL_WORDS[..8] } else { LEGAL_WORDS };
    !w.is_empty() && words.contains(&w)
}

/// The normal form of an organisation's name: folded, legal markers removed, spaces and
/// punctuation ignored. Empty when nothing is left.
pub fn org_key(name: &str) -> String {
    org_key_folded(&fold(name))
}

/// [`org_key`] of a text that is already folded.
pub fn org_key_folded(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    org_key_folded_into(text, &mut key);
    key
}

/// [`org_key_folded`] into a buffer the caller reuses (cleared first).
pub fn org_key_folded_into(text: &str, key: &mut String) {
    key.clear();
    // Each marker separates the words on either side of it, as a space would; the pieces between
    // the markers are keyed where they are, with no copy of the text made without its markers.
    let mut from = 0;
    for (at, marker) in markers_in(text) {
        if at >= from {
            push_key_words(&text[from..at], key);
            from = at + marker.len();
        }
    }
    push_key_words(&text[from..], key);
}

/// Appends the words of a folded piece of a name to its key, without its Latin legal-entity
/// words and the characters names are compared without.
fn push_key_words(piece: &str, key: &mut String) {
    for word in piece.split(|c: char| c.is_whitespace() || c == ',') {
        if is_legal_word(word, false) {
            continue;
        }
        // The runs between ignored characters are copied whole, not character by character.
        let mut from = 0;
        for (at, c) in word.char_indices().filter(|&(_, c)| ignored(c)) {
            key.push_str(&word[from..at]);
            from = at + c.len_utf8();
        }
        key.push_str(&word[from..]);
    }
}

/// Whether a folded name carries a legal-entity marker (`株式会社`, `(株)`, `Co., Ltd.`).
/// The callers fold each piece of text once and ask about the folded form, so nothing here
/// folds again.
pub fn has_legal_marker_folded(text: &str) -> bool {
    markers_in(text).next().is_some()
        || text.split(|c: char| c.is_whitespace() || c == ',').any(|w| is_legal_word(w, true))
}

/// Whether a folded word looks like the name of an organisation: a legal marker, or a typical
/// ending.
pub fn looks_like_org_folded(word: &str) -> bool {
    // The lengths are compared first: most words are too short for most endings.
    has_legal_marker_folded(word) || ORG_ENDINGS.iter().any(|e| word.len() > e.len() && word.ends_with(e))
}

/// Whether a folded word is a department's name (`営業部`, `Sales Dept`).
pub fn is_department_folded(word: &str) -> bool {
    DEPARTMENT_ENDINGS.iter().any(|e| word.ends_with(e))
}

/// A person's name in normal form: the whole name without spaces, punctuation and honorifics
/// (様, さん, 殿, Mr.), and its words of two letters or more (`Ichiro Suzuki` → `ichirosuzuki`;
/// `ichiro`, `suzuki`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonKey {
    /// The whole name.
    pub key: String,
    /// Its words.
    pub words: Vec<String>,
}

impl PersonKey {
    /// The normal form of a name as written.
    pub fn new(name: &str) -> PersonKey {
        PersonKey::folded(&fold(name))
    }

    /// The normal form of a name that is already folded.
    pub fn folded(text: &str) -> PersonKey {
        let mut key = String::with_capacity(text.len());
        let mut words = Vec::new();
        for word in text.split_whitespace().filter(|w| !is_title(w)) {
            let start = key.len();
            key.extend(word.chars().filter(|&c| !ignored(c)));
            if key[start..].chars().nth(1).is_some() {
                words.push(key[start..].to_string());
            }
        }
        for honorific in ["さま", "さん", "様", "殿", "氏"] {
            if key.ends_with(honorific) {
                key.truncate(key.len() - honorific.len());
                break;
            }
        }
        PersonKey { key, words }
    }

    /// Whether the name is long enough to say anything (two letters or more).
    pub fn is_name(&self) -> bool {
        self.key.chars().nth(1).is_some()
    }

    /// Whether the name in a greeting (`self`) is this person's: contained in the whole name,
    /// or one of its words.
    pub fn names(&self, person: &PersonKey) -> bool {
        (self.is_name() && person.is_name() && person.key.contains(self.key.as_str()))
            || self.words.iter().any(|g| person.words.contains(g))
    }
}

/// The normal form of a person's name: folded, spaces and punctuation ignored, honorifics
/// (様, さん, 殿, Mr.) removed.
pub fn person_key(name: &str) -> String {
    PersonKey::new(name).key
}

/// Whether a folded word is a title that goes before an English name.
pub fn is_title(word: &str) -> bool {
    matches!(word.trim_end_matches('.'), "mr" | "ms" | "mrs" | "miss" | "dr" | "prof" | "sir" | "madam")
}

/// A display name split into the person and the organisation it names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameParts {
    /// The person's name as written.
    pub person: Option<String>,
    /// The organisation's name as written.
    pub org: Option<String>,
}

/// Splits a display name: `鈴木 一郎（株式会社ベータ工業）`, `ベータ工業 鈴木`,
/// `Ichiro Suzuki (Beta Kogyo)`, `株式会社ベータ工業 鈴木 一郎`, or a person's name alone.
/// Both parts are kept as written (brackets may be full or half width); their keys fold them.
pub fn split_display_name(name: &str) -> NameParts {
    split_keyed(name).parts
}

/// A display name split into its parts, with the normal forms found on the way, so that the
/// index does not fold the same name twice. The address books' names are split once, for this
/// index and for [`crate::similar`]'s (see [`crate::Contacts`]).
#[derive(Debug)]
pub(crate) struct Split {
    pub(crate) parts: NameParts,
    /// The organisation's [`org_key`], when there is one.
    org_key: Option<String>,
    /// The person's name folded, when the split folded it already.
    person_folded: Option<String>,
}

impl Split {
    /// The [`PersonKey`] of the person's name, when there is one.
    pub(crate) fn person_key(&self) -> Option<PersonKey> {
        let person = self.parts.person.as_deref()?;
        Some(match &self.person_folded {
            Some(folded) => PersonKey::folded(folded),
            None => PersonKey::new(person),
        })
    }
}

/// Splits a display name as [`split_display_name`] does, and keeps the normal forms it finds:
/// each word of the name is folded once.
pub(crate) fn split_keyed(name: &str) -> Split {
    let text = name.trim();
    if text.is_empty() || text.contains('@') {
        return Split { parts: NameParts::default(), org_key: None, person_folded: None };
    }
    // A part in brackets that is neither a marker nor a department is the organisation.
    if let (Some(open), Some(close)) = (text.find(['(', '（']), text.rfind([')', '）'])) {
        if open < close {
            let after_open = open + text[open..].chars().next().map_or(1, char::len_utf8);
            let after_close = close + text[close..].chars().next().map_or(1, char::len_utf8);
            let inner = text[after_open..close].trim();
            let keyed = inner.chars().nth(1).is_some().then(|| fold(inner)).filter(|f| !is_department_folded(f));
            if let Some(key) = keyed.map(|f| org_key_folded(&f)).filter(|k| !k.is_empty()) {
                let mut outer = String::new();
                for word in text[..open].split_whitespace().chain(text[after_close..].split_whitespace()) {
                    if !outer.is_empty() {
                        outer.push(' ');
                    }
                    outer.push_str(word);
                }
                return Split {
                    parts: NameParts { person: (!outer.is_empty()).then_some(outer), org: Some(inner.to_string()) },
                    org_key: Some(key),
                    person_folded: None,
                };
            }
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    // Folding maps character by character and composes only within a word (a space composes with
    // nothing), so the folded words joined by spaces are the folded name.
    let join = |keep: &dyn Fn(usize) -> bool| {
        let mut written = String::new();
        let mut folded_name = String::new();
        for i in (0..words.len()).filter(|&i| keep(i)) {
            if !written.is_empty() {
                written.push(' ');
                folded_name.push(' ');
            }
            written.push_str(words[i]);
            folded_name.push_str(&folded[i]);
        }
        (written, folded_name)
    };
    if let Some(at) = folded.iter().position(|w| looks_like_org_folded(w)) {
        if words.len() > 1 || has_legal_marker_folded(&folded[at]) {
            let (person, person_folded) = join(&|i| i != at && !is_department_folded(&folded[i]));
            return Split {
                parts: NameParts { person: (!person.is_empty()).then_some(person), org: Some(words[at].to_string()) },
                org_key: Some(org_key_folded(&folded[at])),
                person_folded: Some(person_folded),
            };
        }
    }
    let (person, person_folded) = join(&|_| true);
    Split { parts: NameParts { person: Some(person), org: None }, org_key: None, person_folded: Some(person_folded) }
}

/// One organisation as known: its name as first written, and its domains.
#[derive(Clone, Debug, Default)]
pub struct Org {
    /// The name as first written (`株式会社ベータ工業`).
    pub name: String,
    /// Its registrable domains, each once.
    pub domains: Vec<String>,
}

/// A person as known: the name as written, and its normal form, computed once when the
/// knowledge is built.
#[derive(Clone, Debug, Default)]
pub struct Person {
    /// The name as written (`鈴木 一郎`).
    pub written: String,
    /// Its normal form.
    pub key: PersonKey,
}

/// What one source knows: organisations by normal-form name, the organisations of each
/// domain and address, and the names of people. The address books' index is built once and
/// kept with them (see [`crate::Contacts::orgs`]), so that a mail only folds its own names.
///
/// The maps hash with the fast unkeyed hasher of [`crate::resemblance`]: every review builds an
/// index of its own and asks each index dozens of times, and SipHash was a good part of that.
#[derive(Clone, Debug, Default)]
pub struct OrgIndex {
    orgs: FastMap<String, Org>,
    by_domain: FastMap<String, Vec<String>>,
    by_address: FastMap<String, String>,
    /// The person of each address.
    names: FastMap<String, Person>,
    /// Person names (the whole name and each word of it) → addresses.
    people: FastMap<String, Vec<String>>,
}

impl OrgIndex {
    /// An empty index.
    pub fn new() -> OrgIndex {
        OrgIndex::default()
    }

    /// Learns that an organisation writes from a registrable domain (either may be absent).
    pub fn add_org(&mut self, name: &str, registrable: Option<&str>) -> Option<String> {
        self.add_org_keyed(name, org_key(name), registrable)
    }

    /// Learns an organisation as [`OrgIndex::add_org`] does, when the name's [`org_key`] is
    /// already known.
    fn add_org_keyed(&mut self, name: &str, key: String, registrable: Option<&str>) -> Option<String> {
        if key.is_empty() {
            return None;
        }
        let org = match self.orgs.get_mut(&key) {
            Some(org) => org,
            None => self.orgs.entry(key.clone()).or_insert(Org { name: name.trim().to_string(), domains: vec![] }),
        };
        if let Some(domain) = registrable.filter(|d| !d.is_empty()) {
            if !org.domains.iter().any(|d| d == domain) {
                org.domains.push(domain.to_string());
            }
            let orgs = match self.by_domain.get_mut(domain) {
                Some(orgs) => orgs,
                None => self.by_domain.entry(domain.to_string()).or_default(),
            };
            if !orgs.contains(&key) && orgs.len() <= MAX_ORGS_PER_DOMAIN {
                orgs.push(key.clone());
            }
        }
        Some(key)
    }

    /// Learns what an address's display name or contact card says: its organisation and
    /// the person's name.
    pub fn add_person(&mut self, address_key: &str, registrable: &str, name: Option<&str>, org: Option<&str>) {
        self.add_split(address_key, registrable, name.map(split_keyed).as_ref(), None, org);
    }

    /// [`OrgIndex::add_person`] with the name already split ([`split_keyed`]), and its person's
    /// key when the caller has it ([`Split::person_key`]).
    pub(crate) fn add_split(
        &mut self,
        address_key: &str,
        registrable: &str,
        split: Option<&Split>,
        person: Option<&PersonKey>,
        org: Option<&str>,
    ) {
        let (parts, split_org_key, person_folded) = match split {
            Some(s) => (&s.parts, s.org_key.as_deref(), s.person_folded.as_deref()),
            None => (&NameParts { person: None, org: None }, None, None),
        };
        // The card's organisation wins over the display name's; the latter's key is known already.
        let org = match org.filter(|o| !o.trim().is_empty()) {
            Some(card) => Some((card, org_key(card))),
            None => parts.org.as_deref().map(|o| (o, split_org_key.unwrap_or_default().to_string())),
        };
        if let Some((org, key)) = org {
            if let Some(key) = self.add_org_keyed(org, key, Some(registrable)) {
                self.by_address.entry(address_key.to_string()).or_insert(key);
            }
        }
        let Some(written) = parts.person.as_deref() else { return };
        // An address whose person is known already (the first card or display name wins) is not
        // folded again.
        if self.names.contains_key(address_key) {
            return;
        }
        let key = match (person, person_folded) {
            (Some(key), _) => key.clone(),
            (None, Some(folded)) => PersonKey::folded(folded),
            (None, None) => PersonKey::new(written),
        };
        if !key.is_name() {
            return;
        }
        for k in key.words.iter().chain(std::iter::once(&key.key)) {
            let addresses = match self.people.get_mut(k.as_str()) {
                Some(addresses) => addresses,
                None => self.people.entry(k.clone()).or_default(),
            };
            if addresses.len() < 16 && !addresses.iter().any(|a| a == address_key) {
                addresses.push(address_key.to_string());
            }
        }
        self.names.insert(address_key.to_string(), Person { written: written.to_string(), key });
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty() && self.names.is_empty()
    }
}

/// The knowledge of one review: the address books', the policy's and the mail's own, asked
/// as one.
#[derive(Debug)]
pub struct Knowledge<'a> {
    layers: Vec<&'a OrgIndex>,
    own: OrgIndex,
}

impl<'a> Knowledge<'a> {
    /// The knowledge of the mail itself (`own`, from its display names) over that of the
    /// address books and the policy.
    pub fn new(own: OrgIndex, layers: Vec<&'a OrgIndex>) -> Knowledge<'a> {
        Knowledge { layers, own }
    }

    fn all(&self) -> impl Iterator<Item = &OrgIndex> {
        std::iter::once(&self.own).chain(self.layers.iter().copied())
    }

    /// The organisation with this normal-form name, as first written, if known.
    pub fn org_name(&self, key: &str) -> Option<&str> {
        self.all().find_map(|i| i.orgs.get(key)).map(|o| o.name.as_str())
    }

    /// Whether an organisation is known at all.
    pub fn knows_org(&self, key: &str) -> bool {
        self.all().any(|i| !i.orgs.is_empty() && i.orgs.contains_key(key))
    }

    /// The registrable domains an organisation is known to write from.
    pub fn org_domains(&self, key: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for index in self.all() {
            for d in index.orgs.get(key).into_iter().flat_map(|o| &o.domains) {
                if !out.contains(&d.as_str()) {
                    out.push(d);
                }
            }
        }
        out
    }

    /// The organisation an address is known to belong to (its own display name or card
    /// first, then, for a domain that only one organisation is known at, that one).
    pub fn org_of(&self, address_key: &str, registrable: &str) -> Option<&str> {
        if let Some(key) = self.all().find_map(|i| i.by_address.get(address_key)) {
            return Some(key);
        }
        let mut orgs: Vec<&str> = Vec::new();
        for index in self.all() {
            for key in index.by_domain.get(registrable).into_iter().flatten() {
                if !orgs.contains(&key.as_str()) {
                    orgs.push(key);
                }
            }
        }
        (orgs.len() == 1).then(|| orgs[0])
    }

    /// Whether an address belongs to an organisation: its own organisation is that one, or it
    /// writes from one of the organisation's domains.
    pub fn belongs(&self, address_key: &str, registrable: &str, org: &str) -> bool {
        self.all().any(|i| {
            i.by_address.get(address_key).is_some_and(|k| k == org)
                || i.orgs.get(org).is_some_and(|o| o.domains.iter().any(|d| d == registrable))
        })
    }

    /// The person's name known for an address, as written.
    pub fn name_of(&self, address_key: &str) -> Option<&str> {
        self.all().find_map(|i| i.names.get(address_key)).map(|p| p.written.as_str())
    }

    /// Every person known for an address (its display name in this mail, its card), in that order.
    pub fn persons_of<'s>(&'s self, address_key: &'s str) -> impl Iterator<Item = &'s Person> + 's {
        self.all().filter_map(move |i| i.names.get(address_key))
    }

    /// Whether people other than `except` are known by this name (a normal-form name or one
    /// word of it).
    pub fn someone_else_named(&self, key: &str, except: &[&str]) -> bool {
        self.all().any(|i| i.people.get(key).is_some_and(|a| a.iter().any(|a| !except.contains(&a.as_str()))))
    }

    /// The addresses of people known by this name (a normal-form name or one word of it).
    pub fn people_named(&self, key: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for index in self.all() {
            for a in index.people.get(key).into_iter().flatten() {
                if !out.contains(&a.as_str()) {
                    out.push(a);
                }
            }
        }
        out
    }

    /// Finds the known organisations named in a text, e.g. an attachment's file name: the
    /// normal-form names of its pieces (split at `_`, `-`, brackets and spaces, with 様/御中/宛
    /// removed), alone and two or three together. The text is folded once; each candidate is
    /// keyed in one reused buffer.
    pub fn orgs_named_in(&self, text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        if self.all().all(|i| i.orgs.is_empty()) {
            return found;
        }
        let text = fold(text);
        // The extension (`.pdf`) is not part of the name.
        let text = match text.rsplit_once('.') {
            Some((stem, ext)) if (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric()) => stem,
            _ => text.as_str(),
        };
        let mut pieces: [&str; 32] = [""; 32];
        let mut count = 0;
        let separators = |c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '_' | '-'
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '【'
                        | '】'
                        | '「'
                        | '」'
                        | '『'
                        | '』'
                        | '〔'
                        | '〕'
                        | ','
                        | '、'
                        | '+'
                        | '='
                        | '#'
                        | '~'
                )
        };
        for piece in text.split(separators) {
            let mut p = piece;
            for s in ["御中", "さま", "様", "殿", "宛て", "宛", "向け"] {
                p = p.strip_suffix(s).unwrap_or(p);
            }
            if !p.is_empty() {
                pieces[count] = p;
                count += 1;
                if count == pieces.len() {
                    break;
                }
            }
        }
        let mut joined = String::new();
        let mut key = String::new();
        for start in 0..count {
            joined.clear();
            for piece in &pieces[start..count.min(start + 3)] {
                joined.push_str(piece);
                org_key_folded_into(&joined, &mut key);
                if key.chars().nth(1).is_some() && self.knows_org(&key) && !found.contains(&key) {
                    found.push(key.clone());
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The address books' names are split once and their person's key taken from the split's
    // folded words (`Split::person_key`); a recipient's name is keyed from the person's name as
    // written (`person_key`). Both must give the same key, or a namesake would go unseen.
    proptest::proptest! {
        #[test]
        fn a_split_keys_its_person_as_the_written_name_is_keyed(
            name in r"[ 　a-zA-Z.,()（）鈴木一郎株式会社ベータ工業営業部様\u{300}\u{FF21}\u{3231}\u{A8}\u{2160}ｶﾞ-]{0,24}"
        ) {
            let split = split_keyed(&name);
            let written = split.parts.person.as_deref().map(person_key);
            proptest::prop_assert_eq!(split.person_key().map(|k| k.key), written);
        }
    }

    #[test]
    fn a_split_keys_its_person_for_these_names() {
        for name in [
            "山田 太郎 17 (営業部 第一グループ 課長代理 兼 海外事業推進室 担当)",
            "鈴木 一郎（株式会社ベータ工業）",
            "ベータ工業 鈴木",
            "Ｉｃｈｉｒｏ  Suzuki様",
            "ｶﾞｲﾄﾞ ㈱ベータ",
        ] {
            let split = split_keyed(name);
            assert_eq!(split.person_key().map(|k| k.key), split.parts.person.as_deref().map(person_key), "{name}");
        }
    }

    #[test]
    fn organisation_names_in_one_normal_form() {
        assert_eq!(org_key("株式会社アルファ商事"), "アルファ商事");
        assert_eq!(org_key("㈱アルファ商事"), "アルファ商事");
        assert_eq!(org_key("（株）アルファ商事"), "アルファ商事");
        assert_eq!(org_key("アルファ商事株式会社"), "アルファ商事");
        assert_eq!(org_key("ｱﾙﾌｧ商事"), "アルファ商事");
        assert_eq!(org_key("アルファ・商事 "), "アルファ商事");
        assert_eq!(org_key("Beta Kogyo Co., Ltd."), "betakogyo");
        assert_eq!(org_key("BETA KOGYO INC"), "betakogyo");
        assert_eq!(org_key("一般社団法人 日本協会"), "日本協会");
        assert_eq!(org_key("株式会社"), "");
    }

    #[test]
    fn display_names_say_person_and_organisation() {
        let parts = split_display_name("鈴木 一郎（株式会社ベータ工業）");
        assert_eq!(parts.person.as_deref(), Some("鈴木 一郎"));
        assert_eq!(parts.org.as_deref(), Some("株式会社ベータ工業"));
        let parts = split_display_name("ベータ工業 鈴木");
        assert_eq!((parts.person.as_deref(), parts.org.as_deref()), (Some("鈴木"), Some("ベータ工業")));
        let parts = split_display_name("Ichiro Suzuki (Beta Kogyo)");
        assert_eq!((parts.person.as_deref(), parts.org.as_deref()), (Some("Ichiro Suzuki"), Some("Beta Kogyo")));
        let parts = split_display_name("㈱ベータ工業 営業部 鈴木 一郎");
        assert_eq!((parts.person.as_deref(), parts.org.as_deref()), (Some("鈴木 一郎"), Some("㈱ベータ工業")));
        let parts = split_display_name("鈴木 一郎");
        assert_eq!((parts.person.as_deref(), parts.org), (Some("鈴木 一郎"), None));
        let parts = split_display_name("鈴木 (営業部)");
        assert_eq!(parts.org, None);
    }

    #[test]
    fn folding_is_idempotent_and_word_by_word() {
        // The names are folded word by word and asked about in their folded form; this holds only
        // because folding folded text changes nothing, and because a space keeps what is on either
        // side of it apart (also between a plain ASCII word and one that is not).
        for c in (0u32..0x3_0000).step_by(7).chain(0..0x3000).filter_map(char::from_u32) {
            if c.is_whitespace() {
                continue;
            }
            let word = format!("{c}b");
            let folded = fold(&word);
            assert_eq!(fold(&folded), folded, "{c:?}");
            assert_eq!(fold(&format!("A{c} あ")), format!("{} {}", fold(&format!("A{c}")), fold("あ")), "{c:?}");
            assert_eq!(fold(&format!("Ab {word}")), format!("ab {folded}"), "{c:?}");
        }
    }

    #[test]
    fn the_characters_that_fold_alone_are_left_as_they_are() {
        // Every such character gives itself (in lower case) when the mapper folds it, alone and
        // between others of its kind, so skipping the mapper changes nothing.
        let mapper = |t: &str| -> String {
            icu_normalizer::uts46::Uts46MapperBorrowed::new().map_normalize(t.chars()).collect()
        };
        let alone: Vec<char> = (0u32..0x1_0000).filter_map(char::from_u32).filter(|&c| folds_alone(c)).collect();
        assert!(alone.len() > 21_000);
        for &c in &alone {
            let text = format!("亜{c}あ{c}");
            assert_eq!(mapper(&text), text.to_ascii_lowercase(), "{c:?}");
        }
        // Nothing composes with what comes before it: every pair of kana and ASCII, say.
        let small: Vec<char> = alone.iter().copied().filter(|&c| c < '\u{4E00}' && c != '々').collect();
        for &a in &small {
            let pairs: String = small.iter().flat_map(|&b| [a, b]).collect();
            assert_eq!(mapper(&pairs), pairs.to_ascii_lowercase(), "{a:?}");
        }
        assert_eq!(fold("株式会社アルファ商事 ABC"), "株式会社アルファ商事 abc");
        assert_eq!(fold("ｱﾙﾌｧ商事"), "アルファ商事");
        // A sound mark after kana composes with it: the mapper is asked.
        assert_eq!(fold("か\u{3099}"), "が");
    }

    #[test]
    fn a_display_name_is_keyed_as_its_parts_are() {
        // The keys found while splitting are the ones the parts give when keyed on their own.
        for name in [
            "鈴木 一郎（株式会社ベータ工業）",
            "ベータ工業 鈴木",
            "㈱ベータ工業 営業部 鈴木 一郎",
            "Ichiro SUZUKI (Beta Kogyo Co., Ltd.)",
            "ＳＵＺＵＫＩ　Ｉｃｈｉｒｏ",
            "ﾍﾞｰﾀ工業 ｽｽﾞｷ ｲﾁﾛｳ",
            "Beta Kogyo Inc. Ichiro Suzuki",
            "田中",
        ] {
            let split = split_keyed(name);
            assert_eq!(split.parts, split_display_name(name), "{name}");
            assert_eq!(split.org_key, split.parts.org.as_deref().map(org_key), "{name}");
            if let (Some(folded), Some(person)) = (&split.person_folded, &split.parts.person) {
                assert_eq!(PersonKey::folded(folded), PersonKey::new(person), "{name}");
            }
        }
    }

    #[test]
    fn knowledge_is_asked_across_sources() {
        let mut books = OrgIndex::new();
        books.add_person("suzuki@beta.example", "beta.example", Some("鈴木 一郎"), Some("株式会社ベータ工業"));
        let mut policy = OrgIndex::new();
        policy.add_org("アルファ商事", Some("alpha.example"));
        let mut own = OrgIndex::new();
        own.add_person("yamada@gamma.example", "gamma.example", Some("山田 (Gamma Inc.)"), None);
        let k = Knowledge::new(own, vec![&books, &policy]);
        assert_eq!(k.org_name("ベータ工業"), Some("株式会社ベータ工業"));
        assert_eq!(k.org_of("suzuki@beta.example", "beta.example"), Some("ベータ工業"));
        assert_eq!(k.org_of("other@beta.example", "beta.example"), Some("ベータ工業"));
        assert_eq!(k.org_domains("アルファ商事"), ["alpha.example"]);
        assert!(k.belongs("x@alpha.example", "alpha.example", "アルファ商事"));
        assert!(!k.belongs("suzuki@beta.example", "beta.example", "アルファ商事"));
        assert_eq!(k.org_of("yamada@gamma.example", "gamma.example"), Some("gamma"));
        assert_eq!(k.people_named("鈴木"), ["suzuki@beta.example"]);
        assert_eq!(k.people_named("鈴木一郎"), ["suzuki@beta.example"]);
        assert_eq!(k.orgs_named_in("見積書_株式会社アルファ商事様.pdf"), ["アルファ商事"]);
        assert_eq!(k.orgs_named_in("見積書【㈱ベータ工業御中】.xlsx"), ["ベータ工業"]);
        assert!(k.orgs_named_in("見積書.pdf").is_empty());
    }

    #[test]
    fn a_shared_domain_names_no_organisation() {
        let mut books = OrgIndex::new();
        for (i, org) in ["A商事", "B工業", "C建設", "D銀行", "E証券"].iter().enumerate() {
            books.add_person(&format!("p{i}@mail.example"), "mail.example", None, Some(org));
        }
        let k = Knowledge::new(OrgIndex::new(), vec![&books]);
        assert_eq!(k.org_of("new@mail.example", "mail.example"), None);
        assert_eq!(k.org_of("p1@mail.example", "mail.example"), Some("b工業"));
    }
}
