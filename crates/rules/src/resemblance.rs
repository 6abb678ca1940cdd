//! Which known domain a domain resembles, if any: the matching behind `lookalike-domain`.
//!
//! Domains are compared by their registrable part (see [`crate::public_suffix`]), in a
//! folded form: the UTS #39 skeleton of the Unicode form (so that a Greek `ο` or a Cyrillic
//! `а` reads as the Latin letter it imitates, and `0` as `O`, `1` as `l`, `m` as `rn`),
//! lower-cased, with `i` read as `l` and `w` as `vv`. Four likenesses are found, in this order:
//!
//! 1. **Look-alike letters**: the folded forms are equal (`c0rp.example`, `cοrp.example`
//!    in Greek, `rnail.example` for `mail.example`).
//! 2. **Another suffix**: the folded names are equal, the public suffixes differ
//!    (`corp.com` or `corp.jp` for `corp.co.jp`). Names shorter than 3 letters are left out:
//!    `ab.jp` and `ab.com` are too likely to be two different owners.
//! 3. **Dots made a name**: the name is the known domain with its dots dropped or turned into
//!    hyphens (`corp-example.example` or `corpexample.com` for `corp.example`).
//! 4. **A typo**: a Damerau–Levenshtein distance (optimal string alignment: insertions,
//!    deletions, substitutions, swaps of neighbours) of the folded registrable parts of
//!    at most 2 when the known name has 6 or more letters, at most 1 for 4 or 5 letters,
//!    and none below 4 letters. Short names are dense: `ab.jp` and `ac.jp` are one letter
//!    apart and both real, so the shorter a name, the closer a domain must be to it to be
//!    called a look-alike. Folded forms longer than [`MAX_TYPO_LEN`] letters are not
//!    compared by distance.
//!
//! Architecture invariant: finding the matches is sub-quadratic. Look-alike letters, other
//! suffixes and dotted names are hash lookups. Typos of many domains against many known
//! domains use a deletion-neighbourhood index (as in SymSpell): every string within the
//! allowed distance of a known domain shares a string with it after at most that many
//! deletions on each side, so only the known domains that share a deletion hash are
//! compared. Small inputs skip the index and compare directly, which is cheaper.

use std::collections::HashMap;

use crate::domain::unicode_of;

/// Folded forms longer than this are only matched by equality, not by distance,
/// so that a hostile 250-letter domain cannot make the deletion neighbourhoods explode.
pub const MAX_TYPO_LEN: usize = 64;

/// Below this many (query × known) pairs, comparing every pair is cheaper than an index.
const DIRECT_PAIRS: usize = 20_000;

/// Where a known domain comes from; it decides how the message names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// The base of an internal domain pattern.
    Internal,
    /// The base of a `knownDomains` pattern.
    Known,
    /// The domain of an address-book entry.
    Contact,
}

/// How a domain resembles a known one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Likeness {
    /// Equal once look-alike letters and digits are folded.
    LookAlikeLetters,
    /// The same name under another public suffix.
    OtherSuffix,
    /// The known domain with its dots dropped or turned into hyphens, used as a name.
    DotsMadeName,
    /// This many typing errors apart.
    Typo(usize),
}

/// A known domain that a query resembles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// The index of the known domain in [`Resemblance::known`].
    pub known: usize,
    /// How it resembles it.
    pub likeness: Likeness,
}

/// A known registrable domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    /// The registrable part, ASCII form.
    pub registrable: String,
    /// Where it comes from.
    pub source: Source,
}

/// One registrable domain, folded.
#[derive(Clone, Debug)]
struct Folded {
    /// The whole registrable part, folded.
    whole: Vec<char>,
    /// The folded name (the first label).
    name: String,
    /// The public suffix, ASCII form (`co.jp`), empty for a single label.
    suffix: String,
    /// How many letters the folded name has.
    name_len: usize,
}

impl Folded {
    fn new(registrable: &str) -> Folded {
        let (name, suffix) = registrable.split_once('.').unwrap_or((registrable, ""));
        let name = fold(&unicode_of(name));
        let mut whole: Vec<char> = name.chars().collect();
        if !suffix.is_empty() {
            whole.push('.');
            whole.extend(fold(&unicode_of(suffix)).chars());
        }
        Folded { name_len: name.chars().count(), whole, name, suffix: suffix.to_string() }
    }

    fn whole_string(&self) -> String {
        self.whole.iter().collect()
    }

    /// The folded registrable part without dots and hyphens: `corpexample`.
    fn joined(&self) -> String {
        self.whole.iter().filter(|c| **c != '.' && **c != '-').collect()
    }

    /// The number of typing errors allowed against this known domain.
    fn allowed_typos(&self) -> usize {
        match self.name_len {
            0..=3 => 0,
            4..=5 => 1,
            _ => 2,
        }
    }
}

/// The known domains, indexed for finding what a domain resembles.
#[derive(Debug, Default)]
pub struct Resemblance {
    known: Vec<Known>,
    folded: Vec<Folded>,
    by_registrable: HashMap<String, usize>,
    by_whole: HashMap<String, usize>,
    by_name: HashMap<String, Vec<usize>>,
    by_joined: HashMap<String, usize>,
}

impl Resemblance {
    /// An empty set of known domains.
    pub fn new() -> Resemblance {
        Resemblance::default()
    }

    /// Adds a known registrable domain (ASCII form). A domain added twice keeps its first
    /// source, so adding internal domains first makes messages name them as internal.
    pub fn add(&mut self, registrable: &str, source: Source) {
        if registrable.is_empty() || self.by_registrable.contains_key(registrable) {
            return;
        }
        let id = self.known.len();
        let folded = Folded::new(registrable);
        self.by_whole.entry(folded.whole_string()).or_insert(id);
        if folded.name_len >= 3 {
            self.by_name.entry(folded.name.clone()).or_default().push(id);
        }
        if !folded.suffix.is_empty() {
            self.by_joined.entry(folded.joined()).or_insert(id);
        }
        self.by_registrable.insert(registrable.to_string(), id);
        self.known.push(Known { registrable: registrable.to_string(), source });
        self.folded.push(folded);
    }

    /// The known domains, in the order added.
    pub fn known(&self) -> &[Known] {
        &self.known
    }

    /// Whether a registrable domain is itself known.
    pub fn is_known(&self, registrable: &str) -> bool {
        self.by_registrable.contains_key(registrable)
    }

    /// For each query (a registrable domain, ASCII form, not itself known), the known domain
    /// it resembles, if any. Queries should be distinct: each is matched on its own.
    pub fn find_all(&self, queries: &[&str]) -> Vec<Option<Match>> {
        let folded: Vec<Folded> = queries.iter().map(|q| Folded::new(q)).collect();
        let mut found: Vec<Option<Match>> = folded.iter().map(|q| self.find_exact(q)).collect();
        let pending: Vec<usize> = (0..folded.len())
            .filter(|&i| found[i].is_none() && folded[i].whole.len() <= MAX_TYPO_LEN)
            .collect();
        if pending.is_empty() {
            return found;
        }
        let typo_targets: Vec<usize> = (0..self.known.len())
            .filter(|&k| self.folded[k].allowed_typos() > 0 && self.folded[k].whole.len() <= MAX_TYPO_LEN)
            .collect();
        if pending.len().saturating_mul(typo_targets.len()) <= DIRECT_PAIRS {
            for &i in &pending {
                found[i] = self.best_typo(&folded[i], typo_targets.iter().copied());
            }
        } else {
            let index = DeletionIndex::new(typo_targets.iter().map(|&k| (k, &self.folded[k])));
            let mut candidates = Vec::new();
            for &i in &pending {
                index.candidates(&folded[i].whole, &mut candidates);
                found[i] = self.best_typo(&folded[i], candidates.iter().copied());
            }
        }
        found
    }

    /// The likenesses found by lookups: look-alike letters, another suffix, dots made a name.
    fn find_exact(&self, q: &Folded) -> Option<Match> {
        if let Some(&known) = self.by_whole.get(&q.whole_string()) {
            return Some(Match { known, likeness: Likeness::LookAlikeLetters });
        }
        if q.name_len >= 3 {
            let other = self.by_name.get(&q.name).and_then(|ids| ids.iter().find(|&&k| self.folded[k].suffix != q.suffix));
            if let Some(&known) = other {
                return Some(Match { known, likeness: Likeness::OtherSuffix });
            }
        }
        let name_joined: String = q.name.chars().filter(|c| *c != '-').collect();
        if let Some(&known) = self.by_joined.get(&name_joined) {
            return Some(Match { known, likeness: Likeness::DotsMadeName });
        }
        None
    }

    /// The closest known domain within its allowed distance; ties go to the one added first.
    fn best_typo(&self, q: &Folded, candidates: impl Iterator<Item = usize>) -> Option<Match> {
        let mut best: Option<(usize, usize)> = None;
        for k in candidates {
            let target = &self.folded[k];
            let allowed = target.allowed_typos();
            if target.whole.len().abs_diff(q.whole.len()) > allowed {
                continue;
            }
            if let Some(d) = osa_within(&q.whole, &target.whole, allowed) {
                if d > 0 && best.is_none_or(|(bd, bk)| (d, k) < (bd, bk)) {
                    best = Some((d, k));
                }
            }
        }
        best.map(|(d, known)| Match { known, likeness: Likeness::Typo(d) })
    }
}

/// Folds a domain (or a label) in Unicode form for comparison; see the module documentation.
pub fn fold(unicode: &str) -> String {
    let mut out = String::with_capacity(unicode.len() + 4);
    if unicode.is_ascii() {
        // The skeleton of ASCII is per character, and among the characters of a domain only
        // `0`, `1` and `m` have prototypes; a unit test checks this path against the skeleton.
        for c in unicode.chars() {
            push_folded(c.to_ascii_lowercase(), &mut out);
        }
    } else {
        for c in unicode_security::skeleton(unicode) {
            for lower in c.to_lowercase() {
                push_folded(lower, &mut out);
            }
        }
    }
    out
}

fn push_folded(c: char, out: &mut String) {
    match c {
        '0' => out.push('o'),
        '1' | 'i' | '|' => out.push('l'),
        'm' => out.push_str("rn"),
        'w' => out.push_str("vv"),
        _ => out.push(c),
    }
}

/// The optimal-string-alignment distance of two strings if it is at most `max`.
/// The work is cut short as soon as a whole row exceeds `max`.
fn osa_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let d = previous[b.len()];
    (d <= max).then_some(d)
}

/// A deletion-neighbourhood index: for each known domain, the hashes of every string made
/// by deleting up to its allowed number of letters, sorted for binary search.
struct DeletionIndex {
    entries: Vec<(u64, usize)>,
}

impl DeletionIndex {
    fn new<'a>(targets: impl Iterator<Item = (usize, &'a Folded)>) -> DeletionIndex {
        let mut entries = Vec::new();
        let mut hashes = Vec::new();
        for (k, folded) in targets {
            hashes.clear();
            deletion_hashes(&folded.whole, folded.allowed_typos(), &mut hashes);
            entries.extend(hashes.iter().map(|&h| (h, k)));
        }
        entries.sort_unstable();
        entries.dedup();
        DeletionIndex { entries }
    }

    /// The known domains that share a deletion hash with the query (deleting up to 2).
    fn candidates(&self, query: &[char], out: &mut Vec<usize>) {
        out.clear();
        let mut hashes = Vec::new();
        deletion_hashes(query, 2, &mut hashes);
        for h in hashes {
            let start = self.entries.partition_point(|&(e, _)| e < h);
            out.extend(self.entries[start..].iter().take_while(|&&(e, _)| e == h).map(|&(_, k)| k));
        }
        out.sort_unstable();
        out.dedup();
    }
}

const BASE: u64 = 0x0000_0100_0000_01b3;

/// Pushes the hash of every string made by deleting at most `max` (≤ 2) letters, deduplicated.
/// Polynomial hashes make each deletion O(1) from prefix hashes: H(s) = Σ s[i]·B^(n-1-i).
fn deletion_hashes(s: &[char], max: usize, out: &mut Vec<u64>) {
    let n = s.len();
    let mut prefix = Vec::with_capacity(n + 1);
    let mut power = Vec::with_capacity(n + 1);
    prefix.push(0u64);
    power.push(1u64);
    for (i, &c) in s.iter().enumerate() {
        prefix.push(prefix[i].wrapping_mul(BASE).wrapping_add(c as u64 + 1));
        power.push(power[i].wrapping_mul(BASE));
    }
    // The hash of s[l..r].
    let part = |l: usize, r: usize| prefix[r].wrapping_sub(prefix[l].wrapping_mul(power[r - l]));
    let finish = |h: u64, len: usize| mix(h ^ ((len as u64) << 56));
    let start = out.len();
    out.push(finish(prefix[n], n));
    if max >= 1 {
        for i in 0..n {
            let h = part(0, i).wrapping_mul(power[n - 1 - i]).wrapping_add(part(i + 1, n));
            out.push(finish(h, n - 1));
        }
    }
    if max >= 2 {
        for i in 0..n {
            for j in i + 1..n {
                let h = part(0, i)
                    .wrapping_mul(power[n - 2 - i])
                    .wrapping_add(part(i + 1, j).wrapping_mul(power[n - 1 - j]))
                    .wrapping_add(part(j + 1, n));
                out.push(finish(h, n - 2));
            }
        }
    }
    out[start..].sort_unstable();
    let mut kept = start;
    for i in start..out.len() {
        if i == start || out[i] != out[kept - 1] {
            out[kept] = out[i];
            kept += 1;
        }
    }
    out.truncate(kept);
}

/// A final mix (splitmix64), so that similar strings spread over the whole hash range.
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Resemblance {
        let mut r = Resemblance::new();
        r.add("corp.example", Source::Internal);
        r.add("corp.co.jp", Source::Internal);
        r.add("partner.example", Source::Known);
        r.add("ab.jp", Source::Contact);
        r.add("sony.jp", Source::Contact);
        r.add("gmail.com", Source::Contact);
        r
    }

    /// `expected` is the known domain it resembles and how, or `None`.
    fn check(query: &str, expected: Option<(&str, Likeness)>) {
        let r = known();
        let got = r.find_all(&[query])[0].map(|m| (r.known()[m.known].registrable.as_str(), m.likeness));
        assert_eq!(got, expected, "what {query:?} resembles");
    }

    #[test]
    fn likenesses() {
        use Likeness::*;
        check("c0rp.example", Some(("corp.example", LookAlikeLetters)));
        check("xn--crp-9yc.example", Some(("corp.example", LookAlikeLetters)));
        check("gmai1.com", Some(("gmail.com", LookAlikeLetters)));
        check("grnail.com", Some(("gmail.com", LookAlikeLetters)));
        check("partner.exarnple", Some(("partner.example", LookAlikeLetters)));
        check("corp.jp", Some(("corp.example", OtherSuffix)));
        check("corp.com", Some(("corp.example", OtherSuffix)));
        check("corp-example.example", Some(("corp.example", DotsMadeName)));
        check("corpexample.com", Some(("corp.example", DotsMadeName)));
        check("corp.exmaple", Some(("corp.example", OtherSuffix)));
        check("corq.example", Some(("corp.example", Typo(1))));
        check("cor.example", Some(("corp.example", Typo(1))));
        check("patrner.example", Some(("partner.example", Typo(1))));
        check("partnre.exampel", Some(("partner.example", Typo(2))));
        check("partne.exampl", Some(("partner.example", Typo(2))));
        check("sory.jp", Some(("sony.jp", Typo(1))));
        // Short names need an exact fold: one letter apart is not enough.
        check("ac.jp", None);
        check("ab.com", None);
        check("abc.jp", None);
        // Two typos in a 4-letter name are too many.
        check("cqrq.example", None);
        check("unrelated.example", None);
    }

    #[test]
    fn the_index_finds_what_direct_comparison_finds() {
        // Many queries against many known domains take the index path; the answers must be
        // those of the direct path, which is the definition.
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett"];
        let mut r = Resemblance::new();
        for a in words {
            for b in words {
                r.add(&format!("{a}{b}.co.jp"), Source::Contact);
            }
        }
        let mut queries = Vec::new();
        for a in words {
            for b in words {
                queries.push(format!("{a}{b}x.co.jp"));
                queries.push(format!("{a}{}.co.jp", &b[1..]));
                queries.push(format!("{a}-{b}.com"));
                queries.push(format!("zz{a}.co.jp"));
            }
        }
        let queries: Vec<&str> = queries.iter().map(String::as_str).collect();
        assert!(queries.len() * r.known().len() > DIRECT_PAIRS, "the test must take the index path");
        let indexed = r.find_all(&queries);
        let direct: Vec<Option<Match>> = queries
            .iter()
            .map(|q| {
                let f = Folded::new(q);
                r.find_exact(&f).or_else(|| r.best_typo(&f, 0..r.known().len()))
            })
            .collect();
        assert_eq!(indexed, direct);
        assert!(indexed.iter().filter(|m| m.is_some()).count() >= queries.len() / 2);
    }

    #[test]
    fn ascii_folding_is_the_skeleton() {
        for c in ('a'..='z').chain('0'..='9').chain(['-', '.']) {
            let s = c.to_string();
            let mut via_skeleton = String::new();
            for p in unicode_security::skeleton(&s) {
                for lower in p.to_lowercase() {
                    push_folded(lower, &mut via_skeleton);
                }
            }
            assert_eq!(fold(&s), via_skeleton, "folding {c:?}");
        }
        assert_eq!(fold("cοrp"), "corp", "a Greek omicron");
        assert_eq!(fold("раураl"), "paypal", "Cyrillic letters");
    }

    #[test]
    fn distances() {
        let d = |a: &str, b: &str, max| osa_within(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>(), max);
        assert_eq!(d("corp", "corp", 2), Some(0));
        assert_eq!(d("corp", "cropp", 2), Some(2));
        assert_eq!(d("example", "exmaple", 1), Some(1));
        assert_eq!(d("abcdef", "badcfe", 2), None);
        assert_eq!(d("abcdef", "badcfe", 3), Some(3));
        assert_eq!(d("", "ab", 2), Some(2));
        assert_eq!(d("kitten", "sitting", 2), None);
    }
}
