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

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

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

/// NFKC, lower case. Text that is already in NFKC (plain ASCII, most Japanese) skips the
/// normalisation, which is most of the cost.
pub fn nfkc_lower(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    if unicode_normalization::is_nfkc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes {
        return text.to_lowercase();
    }
    text.nfkc().collect::<String>().to_lowercase()
}

/// Whether a text in NFKC lower case may hold a legal marker: every marker has one of these.
fn may_have_marker(text: &str) -> bool {
    text.contains(['会', '法', '('])
}

/// Whether a character is ignored when names are compared.
fn ignored(c: char) -> bool {
    c.is_whitespace() || "・･,.、。'\"-_/&()[]「」【】".contains(c)
}

/// The normal form of an organisation's name: NFKC, legal markers removed, spaces and
/// punctuation ignored, case folded. Empty when nothing is left.
pub fn org_key(name: &str) -> String {
    let mut text = nfkc_lower(name);
    if may_have_marker(&text) {
        for marker in LEGAL_MARKERS {
            if text.contains(marker) {
                text = text.replace(marker, " ");
            }
        }
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !LEGAL_WORDS.contains(&w.trim_matches(|c: char| c == '.' || c == '(' || c == ')')))
        .collect();
    words.concat().chars().filter(|&c| !ignored(c)).collect()
}

/// Whether a name carries a legal-entity marker (`株式会社`, `(株)`, `Co., Ltd.`).
pub fn has_legal_marker(name: &str) -> bool {
    let text = nfkc_lower(name);
    (may_have_marker(&text) && LEGAL_MARKERS.iter().any(|m| text.contains(m)))
        || text.split(|c: char| c.is_whitespace() || c == ',').any(|w| {
            let w = w.trim_matches(|c: char| c == '.' || c == '(' || c == ')');
            !w.is_empty() && LEGAL_WORDS[..8].contains(&w)
        })
}

/// Whether a word looks like the name of an organisation: a legal marker, or a typical ending.
pub fn looks_like_org(word: &str) -> bool {
    has_legal_marker(word) || ORG_ENDINGS.iter().any(|e| word.ends_with(e) && word.chars().count() > e.chars().count())
}

/// Whether a word is a department's name (`営業部`, `Sales Dept`).
pub fn is_department(word: &str) -> bool {
    let w = nfkc_lower(word);
    DEPARTMENT_ENDINGS.iter().any(|e| w.ends_with(e))
}

/// The normal form of a person's name: NFKC, spaces and punctuation ignored, case folded,
/// honorifics (様, さん, 殿, Mr.) removed.
pub fn person_key(name: &str) -> String {
    let text = nfkc_lower(name);
    let words: Vec<&str> = text.split_whitespace().filter(|w| !is_title(w)).collect();
    let mut key: String = words.concat().chars().filter(|&c| !ignored(c)).collect();
    for honorific in ["さま", "さん", "様", "殿", "氏"] {
        if let Some(stripped) = key.strip_suffix(honorific) {
            key = stripped.to_string();
            break;
        }
    }
    key
}

/// The words of a person's name in normal form (`Ichiro Suzuki` → `ichiro`, `suzuki`).
pub fn person_words(name: &str) -> Vec<String> {
    nfkc_lower(name)
        .split_whitespace()
        .filter(|w| !is_title(w))
        .map(|w| w.chars().filter(|&c| !ignored(c)).collect::<String>())
        .filter(|w| w.chars().count() >= 2)
        .collect()
}

/// Whether a word is a title that goes before an English name.
pub fn is_title(word: &str) -> bool {
    matches!(word.trim_end_matches('.'), "mr" | "ms" | "mrs" | "miss" | "dr" | "prof" | "sir" | "madam")
}

/// Whether the name in a greeting (`greeting_key` and its words) is the name of a person
/// (their display name or their contact's name).
pub fn same_person(greeting_key: &str, greeting_words: &[String], name: &str) -> bool {
    let key = person_key(name);
    if greeting_key.chars().count() >= 2 && key.chars().count() >= 2 && key.contains(greeting_key) {
        return true;
    }
    let words = person_words(name);
    greeting_words.iter().any(|g| g.chars().count() >= 2 && words.contains(g))
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
pub fn split_display_name(name: &str) -> NameParts {
    let text: String = name.nfkc().collect();
    let text = text.trim();
    if text.is_empty() || text.contains('@') {
        return NameParts::default();
    }
    // A part in brackets that is neither a marker nor a department is the organisation.
    if let (Some(open), Some(close)) = (text.find('('), text.rfind(')')) {
        if open < close {
            let inner = text[open + 1..close].trim();
            let outer = format!("{} {}", &text[..open], &text[close + 1..]);
            let outer = outer.split_whitespace().collect::<Vec<_>>().join(" ");
            if inner.chars().count() > 1 && !is_department(inner) && !org_key(inner).is_empty() {
                return NameParts { person: (!outer.is_empty()).then_some(outer), org: Some(inner.to_string()) };
            }
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if let Some(at) = words.iter().position(|w| looks_like_org(w)) {
        if words.len() > 1 || has_legal_marker(words[at]) {
            let person: Vec<&str> =
                words.iter().enumerate().filter(|&(i, w)| i != at && !is_department(w)).map(|(_, w)| *w).collect();
            let person = person.join(" ");
            return NameParts { person: (!person.is_empty()).then_some(person), org: Some(words[at].to_string()) };
        }
    }
    NameParts { person: Some(text.to_string()), org: None }
}

/// One organisation as known: its name as first written, and its domains.
#[derive(Clone, Debug, Default)]
pub struct Org {
    /// The name as first written (`株式会社ベータ工業`).
    pub name: String,
    /// Its registrable domains, each once.
    pub domains: Vec<String>,
}

/// What one source knows: organisations by normal-form name, the organisations of each
/// domain and address, and the names of people.
#[derive(Clone, Debug, Default)]
pub struct OrgIndex {
    orgs: HashMap<String, Org>,
    by_domain: HashMap<String, Vec<String>>,
    by_address: HashMap<String, String>,
    /// The normal-form name of each address's person.
    names: HashMap<String, String>,
    /// Person names (the whole name and each word of it) → addresses.
    people: HashMap<String, Vec<String>>,
}

impl OrgIndex {
    /// An empty index.
    pub fn new() -> OrgIndex {
        OrgIndex::default()
    }

    /// Learns that an organisation writes from a registrable domain (either may be absent).
    pub fn add_org(&mut self, name: &str, registrable: Option<&str>) -> Option<String> {
        let key = org_key(name);
        if key.is_empty() {
            return None;
        }
        let org =
            self.orgs.entry(key.clone()).or_insert_with(|| Org { name: name.trim().to_string(), domains: vec![] });
        if let Some(domain) = registrable.filter(|d| !d.is_empty()) {
            if !org.domains.iter().any(|d| d == domain) {
                org.domains.push(domain.to_string());
            }
            let orgs = self.by_domain.entry(domain.to_string()).or_default();
            if !orgs.contains(&key) && orgs.len() <= MAX_ORGS_PER_DOMAIN {
                orgs.push(key.clone());
            }
        }
        Some(key)
    }

    /// Learns what an address's display name or contact card says: its organisation and
    /// the person's name.
    pub fn add_person(&mut self, address_key: &str, registrable: &str, name: Option<&str>, org: Option<&str>) {
        let parts = name.map(split_display_name).unwrap_or_default();
        let org = org.filter(|o| !o.trim().is_empty()).map(str::to_string).or(parts.org);
        if let Some(org) = org {
            if let Some(key) = self.add_org(&org, Some(registrable)) {
                self.by_address.entry(address_key.to_string()).or_insert(key);
            }
        }
        if let Some(person) = parts.person {
            let key = person_key(&person);
            if key.chars().count() < 2 {
                return;
            }
            self.names.entry(address_key.to_string()).or_insert_with(|| person.clone());
            let mut keys = person_words(&person);
            keys.push(key);
            keys.dedup();
            for k in keys {
                let addresses = self.people.entry(k).or_default();
                if addresses.len() < 16 && !addresses.iter().any(|a| a == address_key) {
                    addresses.push(address_key.to_string());
                }
            }
        }
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
        self.all().any(|i| i.orgs.contains_key(key))
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
        self.all().any(|i| i.by_address.get(address_key).is_some_and(|k| k == org))
            || self.org_domains(org).contains(&registrable)
    }

    /// The person's name known for an address, as written.
    pub fn name_of(&self, address_key: &str) -> Option<&str> {
        self.all().find_map(|i| i.names.get(address_key)).map(String::as_str)
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
    /// removed), alone and two or three together.
    pub fn orgs_named_in(&self, text: &str) -> Vec<String> {
        let text = nfkc_lower(text);
        // The extension (`.pdf`) is not part of the name.
        let text = match text.rsplit_once('.') {
            Some((stem, ext)) if (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric()) => stem,
            _ => text.as_str(),
        };
        let pieces: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || "_-()[]【】「」『』〔〕,、+=#~".contains(c))
            .map(|p| {
                let mut p = p;
                for s in ["御中", "さま", "様", "殿", "宛て", "宛", "向け"] {
                    p = p.strip_suffix(s).unwrap_or(p);
                }
                p
            })
            .filter(|p| !p.is_empty())
            .take(32)
            .collect();
        let mut found: Vec<String> = Vec::new();
        for start in 0..pieces.len() {
            for len in 1..=3.min(pieces.len() - start) {
                let key = org_key(&pieces[start..start + len].concat());
                if key.chars().count() >= 2 && self.knows_org(&key) && !found.contains(&key) {
                    found.push(key);
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!((parts.person.as_deref(), parts.org.as_deref()), (Some("鈴木 一郎"), Some("(株)ベータ工業")));
        let parts = split_display_name("鈴木 一郎");
        assert_eq!((parts.person.as_deref(), parts.org), (Some("鈴木 一郎"), None));
        let parts = split_display_name("鈴木 (営業部)");
        assert_eq!(parts.org, None);
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
