//! Contacts that could be taken for one another: the same or nearly the same name, or the
//! same or nearly the same address, at another address.
//!
//! This is what address auto-completion gets wrong: two 鈴木 一郎 at two companies, `k.tanaka@`
//! at two domains, `yamada@` and `yamda@` in one company. The index is built once per address
//! book and kept with it, so that a mail costs a few hash lookups per recipient:
//! - names and local parts are found exactly through hash maps;
//! - near misses through a deletion index: the index holds each string with at most one letter
//!   deleted, a query looks itself up with at most two deleted, so every pair one edit apart is
//!   found, and pairs two edits apart where one edit adds or removes a letter (two substitutions
//!   are not: the index would be several times larger for 10,000 contacts);
//! - every candidate is confirmed by the edit distance, and at most [`MAX_CANDIDATES`] are
//!   confirmed per query, so the worst case is bounded.

use crate::orgs::person_key;
use crate::resemblance::{radix_sort, FastMap, ID_BITS, ID_MASK};

/// At most this many candidates are confirmed per query.
pub const MAX_CANDIDATES: usize = 64;

/// Longer strings are compared exactly only.
const MAX_TYPO_CHARS: usize = 40;

/// Local parts that many organisations share, which say nothing about a person.
const ROLE_LOCALS: &[&str] = &[
    "info",
    "sales",
    "support",
    "contact",
    "admin",
    "office",
    "noreply",
    "no-reply",
    "webmaster",
    "postmaster",
    "hr",
    "jimu",
    "soumu",
    "eigyo",
    "mail",
    "help",
    "service",
    "inquiry",
    "toiawase",
    "press",
    "pr",
    "recruit",
    "saiyo",
];

/// One contact as the index knows it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The address in normal form.
    pub key: String,
    /// The address as written.
    pub address: String,
    /// The person's name as written, when known.
    pub name: Option<String>,
    /// The registrable domain.
    pub registrable: String,
}

/// Why two contacts may be confused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Likeness {
    /// The same name.
    SameName,
    /// A name one or two letters apart.
    SimilarName,
    /// The same local part at another domain.
    SameLocal,
    /// A local part one or two letters apart in the same domain.
    SimilarLocal,
}

/// The contacts, indexed by name and by local part.
#[derive(Clone, Debug, Default)]
pub struct SimilarIndex {
    entries: Vec<Entry>,
    /// The normal form of each entry's name, as letters, computed once with the index.
    name_chars: Vec<Box<[char]>>,
    by_key: FastMap<String, usize>,
    by_name: FastMap<String, Vec<u32>>,
    by_local: FastMap<String, Vec<u32>>,
    /// The hash of a name with at most one letter deleted, packed with its entry (see
    /// [`pack`]), sorted.
    name_deletions: Vec<u64>,
    /// The same for the domain and local part.
    local_deletions: Vec<u64>,
}

/// The number of edits allowed between two strings of these lengths.
fn allowed(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

fn chars_of(s: &str) -> Vec<char> {
    s.chars().collect()
}

fn local_of(key: &str) -> &str {
    key.rsplit_once('@').map_or(key, |(l, _)| l)
}

fn is_role(local: &str) -> bool {
    ROLE_LOCALS.contains(&local) || local.chars().count() < 3
}

impl SimilarIndex {
    /// Indexes the contacts; an address given twice is kept once.
    pub fn new(entries: impl IntoIterator<Item = Entry>) -> SimilarIndex {
        SimilarIndex::new_keyed(entries.into_iter().map(|entry| (entry, None)))
    }

    /// [`SimilarIndex::new`] with each name's [`person_key`] given when the caller knows it
    /// already (`None` to compute it here).
    pub(crate) fn new_keyed(entries: impl IntoIterator<Item = (Entry, Option<String>)>) -> SimilarIndex {
        let mut index = SimilarIndex::default();
        for (entry, name_key) in entries {
            if index.by_key.contains_key(&entry.key) {
                continue;
            }
            // Entries are numbered in the bits a deletion key keeps for them.
            if index.entries.len() as u64 > ID_MASK {
                break;
            }
            let id = index.entries.len() as u32;
            index.by_key.insert(entry.key.clone(), id as usize);
            let mut name_chars: Box<[char]> = Box::default();
            if let Some(name) = entry.name.as_deref() {
                let key = name_key.unwrap_or_else(|| person_key(name));
                let chars = chars_of(&key);
                if chars.len() >= 2 {
                    name_chars = chars.clone().into_boxed_slice();
                    if allowed(chars.len()) > 0 && chars.len() <= MAX_TYPO_CHARS {
                        deletions(&chars, 1, 0, &mut |h| index.name_deletions.push(pack(h, id)));
                    }
                    index.by_name.entry(key).or_default().push(id);
                }
            }
            let local = local_of(&entry.key).to_string();
            if !is_role(&local) {
                let chars = chars_of(&local);
                if allowed(chars.len()) > 0 && chars.len() <= MAX_TYPO_CHARS {
                    let salt = hash_str(&entry.registrable);
                    deletions(&chars, 1, salt, &mut |h| index.local_deletions.push(pack(h, id)));
                }
                index.by_local.entry(local).or_default().push(id);
            }
            index.name_chars.push(name_chars);
            index.entries.push(entry);
        }
        // The radix sort of the look-alike index: no comparison sort in the wasm module.
        radix_sort(&mut index.name_deletions);
        index.name_deletions.dedup();
        radix_sort(&mut index.local_deletions);
        index.local_deletions.dedup();
        index
    }

    /// The contact with this address, if any.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.by_key.get(key).map(|&i| &self.entries[i])
    }

    /// The contacts at other addresses that could be taken for this one: by `name` (the
    /// recipient's display name or its contact's name) and by its address.
    pub fn similar(&self, key: &str, registrable: &str, name: Option<&str>) -> Vec<(&Entry, Likeness)> {
        let mut out: Vec<(u32, Likeness)> = Vec::new();
        let push = |id: u32, likeness: Likeness, out: &mut Vec<(u32, Likeness)>| {
            if self.entries[id as usize].key != key && !out.iter().any(|(i, _)| *i == id) {
                out.push((id, likeness));
            }
        };
        if let Some(name) = name {
            let name_key = person_key(name);
            let chars = chars_of(&name_key);
            if chars.len() >= 2 {
                for &id in self.by_name.get(&name_key).into_iter().flatten().take(MAX_CANDIDATES) {
                    push(id, Likeness::SameName, &mut out);
                }
                if allowed(chars.len()) > 0 && chars.len() <= MAX_TYPO_CHARS {
                    let found = lookup(&self.name_deletions, &chars, 0);
                    for id in found.into_iter().take(MAX_CANDIDATES) {
                        let other = &self.name_chars[id as usize];
                        let max = allowed(chars.len().min(other.len()));
                        if max > 0 && osa_within(&chars, other, max).is_some_and(|d| d > 0) {
                            push(id, Likeness::SimilarName, &mut out);
                        }
                    }
                }
            }
        }
        let local = local_of(key);
        if !is_role(local) {
            for &id in self.by_local.get(local).into_iter().flatten().take(MAX_CANDIDATES) {
                if self.entries[id as usize].registrable != registrable {
                    push(id, Likeness::SameLocal, &mut out);
                }
            }
            let chars = chars_of(local);
            if allowed(chars.len()) > 0 && chars.len() <= MAX_TYPO_CHARS {
                for id in lookup(&self.local_deletions, &chars, hash_str(registrable)).into_iter().take(MAX_CANDIDATES)
                {
                    let entry = &self.entries[id as usize];
                    let other = chars_of(local_of(&entry.key));
                    let max = allowed(chars.len().min(other.len()));
                    if entry.registrable == registrable
                        && max > 0
                        && osa_within(&chars, &other, max).is_some_and(|d| d > 0)
                    {
                        push(id, Likeness::SimilarLocal, &mut out);
                    }
                }
            }
        }
        out.into_iter().map(|(id, l)| (&self.entries[id as usize], l)).collect()
    }

    /// How many contacts are indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no contact is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The entries whose one-deletion variants meet this string's variants with up to two deletions.
fn lookup(index: &[u64], chars: &[char], salt: u64) -> Vec<u32> {
    let mut found: Vec<u32> = Vec::new();
    deletions(chars, 2, salt, &mut |h| {
        let h = h >> ID_BITS;
        let start = index.partition_point(|&k| k >> ID_BITS < h);
        for id in index[start..].iter().take_while(|&&k| k >> ID_BITS == h).take(MAX_CANDIDATES).map(|&k| unpack(k)) {
            if found.len() < 4 * MAX_CANDIDATES && !found.contains(&id) {
                found.push(id);
            }
        }
    });
    found
}

/// A deletion hash and an entry in one integer: the hash's high bits, then the entry.
fn pack(hash: u64, id: u32) -> u64 {
    (hash >> ID_BITS << ID_BITS) | u64::from(id)
}

fn unpack(key: u64) -> u32 {
    (key & ID_MASK) as u32
}

fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Calls `f` with the hash of the string with at most `max` (≤ 2) letters deleted, each
/// hash salted (the domain, for local parts).
fn deletions(s: &[char], max: usize, salt: u64, f: &mut impl FnMut(u64)) {
    let step = |h: u64, c: char| (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3).rotate_left(7);
    let start: u64 = salt ^ 0x9e37_79b9_7f4a_7c15;
    let hash = |skip: &[usize]| {
        let mut h = start;
        for (i, &c) in s.iter().enumerate() {
            if !skip.contains(&i) {
                h = step(h, c);
            }
        }
        h ^ ((s.len() - skip.len()) as u64) << 56
    };
    f(hash(&[]));
    if max >= 1 {
        // The hash of the letters before `i` is carried from one deletion to the next, so that
        // each deletion hashes only the letters after it (the same values as `hash(&[i])`).
        let mut before = start;
        for i in 0..s.len() {
            let h = s[i + 1..].iter().fold(before, |h, &c| step(h, c));
            f(h ^ ((s.len() - 1) as u64) << 56);
            before = step(before, s[i]);
        }
    }
    if max >= 2 {
        for i in 0..s.len() {
            for j in i + 1..s.len() {
                f(hash(&[i, j]));
            }
        }
    }
}

/// The optimal-string-alignment distance of two strings if it is at most `max`.
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
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let d = previous[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, name: Option<&str>) -> Entry {
        let registrable = key.rsplit_once('@').map_or("", |(_, d)| d).to_string();
        Entry { key: key.to_string(), address: key.to_string(), name: name.map(str::to_string), registrable }
    }

    /// Each deletion hashes as the string without that letter does: the index's single
    /// deletions must meet the queries' double ones.
    #[test]
    fn a_deletion_hashes_as_the_shorter_string() {
        for text in ["", "a", "yamada", "鈴木一郎", "taro.yamada.4999"] {
            let chars = chars_of(text);
            let mut hashes = Vec::new();
            deletions(&chars, 1, 42, &mut |h| hashes.push(h));
            assert_eq!(hashes.len(), chars.len() + 1);
            let whole = |s: &[char]| {
                let mut first = None;
                deletions(s, 0, 42, &mut |h| first = first.or(Some(h)));
                first.unwrap()
            };
            assert_eq!(hashes[0], whole(&chars));
            for i in 0..chars.len() {
                let shorter: Vec<char> = chars.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, &c)| c).collect();
                assert_eq!(hashes[i + 1], whole(&shorter), "{text} without letter {i}");
                let mut pairs = Vec::new();
                deletions(&chars, 2, 42, &mut |h| pairs.push(h));
                assert_eq!(pairs[..=chars.len()], hashes[..], "{text}");
            }
        }
    }

    fn index() -> SimilarIndex {
        SimilarIndex::new([
            entry("suzuki@alpha.example", Some("鈴木 一郎")),
            entry("i.suzuki@beta.example", Some("鈴木一郎")),
            entry("k.tanaka@alpha.example", Some("Kenji Tanaka")),
            entry("k.tanaka@gamma.example", None),
            entry("yamada@alpha.example", Some("Taro Yamada")),
            entry("info@alpha.example", None),
            entry("info@beta.example", None),
        ])
    }

    fn found(index: &SimilarIndex, key: &str, name: Option<&str>) -> Vec<(String, Likeness)> {
        let registrable = key.rsplit_once('@').map_or("", |(_, d)| d);
        index.similar(key, registrable, name).into_iter().map(|(e, l)| (e.key.clone(), l)).collect()
    }

    #[test]
    fn namesakes_and_near_addresses_are_found() {
        let index = index();
        assert_eq!(
            found(&index, "suzuki@alpha.example", Some("鈴木 一郎")),
            [("i.suzuki@beta.example".to_string(), Likeness::SameName)]
        );
        assert_eq!(
            found(&index, "k.tanaka@alpha.example", Some("Kenji Tanaka")),
            [("k.tanaka@gamma.example".to_string(), Likeness::SameLocal)]
        );
        assert_eq!(
            found(&index, "yamda@alpha.example", None),
            [("yamada@alpha.example".to_string(), Likeness::SimilarLocal)]
        );
        assert_eq!(
            found(&index, "x@beta.example", Some("Taro Yamda")),
            [("yamada@alpha.example".to_string(), Likeness::SimilarName)]
        );
        // Role addresses and a unique contact find nothing.
        assert!(found(&index, "info@alpha.example", None).is_empty());
        assert!(found(&index, "yamada@alpha.example", Some("Taro Yamada")).is_empty());
        // Another domain's near local part is a different person.
        assert!(found(&index, "yamda@beta.example", None).is_empty());
    }

    #[test]
    fn the_deletion_index_finds_what_the_distance_allows() {
        let index = SimilarIndex::new([entry("abcdefgh@x.example", None)]);
        for (query, hit) in
            [("abcdefg", true), ("abcdefghij", true), ("bacdefgh", true), ("abcxefgh", true), ("abxdefgy", false)]
        {
            assert_eq!(!found(&index, &format!("{query}@x.example"), None).is_empty(), hit, "{query}");
        }
    }

    #[test]
    fn work_is_bounded_for_many_namesakes() {
        let index = SimilarIndex::new((0..5000).map(|i| entry(&format!("p{i}@d{i}.example"), Some("山田 太郎"))));
        assert!(found(&index, "x@y.example", Some("山田 太郎")).len() <= MAX_CANDIDATES);
    }
}
