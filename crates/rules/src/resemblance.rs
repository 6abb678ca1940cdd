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
//!    and none below 4 letters; the names alone must be as close (an edit of the dot
//!    between name and suffix is not a typo of the name). Short names are dense: `ab.jp`
//!    and `ac.jp` are one letter apart and both real, so the shorter a name, the closer a
//!    domain must be to it to be called a look-alike. Letters are counted in the folded
//!    form. Folded forms longer than [`MAX_TYPO_LEN`] letters are not compared by distance.
//!
//! Architecture invariant: finding the matches is sub-quadratic. Look-alike letters, other
//! suffixes and dotted names are hash lookups. Typos of many domains against many known
//! domains use a deletion-neighbourhood index (as in SymSpell) of the names: every name
//! within the allowed distance of a known name shares a string with it after at most that
//! many deletions on each side, so only the known domains that share a deletion hash are
//! compared. Indexing names rather than whole domains keeps the neighbourhoods (and the
//! memory of the add-on) about three times smaller. Small inputs skip the index and compare
//! directly, which is cheaper.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, OnceLock};

use crate::domain::unicode_of;

/// Folded forms longer than this are only matched by equality, not by distance,
/// so that a hostile 250-letter domain cannot make the deletion neighbourhoods explode.
pub const MAX_TYPO_LEN: usize = 64;

/// Below this many (query × known name) pairs, comparing every pair is cheaper than an index.
const DIRECT_PAIRS: usize = 20_000;

/// Each query is compared with at most this many candidates (known names and the domains
/// that have them), so that a hostile address book of near-identical names cannot make
/// the work quadratic. Real address books come nowhere near it.
const MAX_COMPARISONS: usize = 1_024;

/// Each query takes at most this many candidates from the deletion index. Near-identical
/// names share most of their deletions, so without a bound 40,000 such queries against 40,000
/// such names made billions of pairs (issue #11); with it the pairs are linear in the queries.
/// A real domain is within two typos of a handful of known names, not of dozens.
pub const MAX_CANDIDATES: usize = 32;

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

/// One registrable domain, folded: `name.suffix` with the name and the suffix folded.
#[derive(Clone, Debug)]
struct Folded {
    /// The whole registrable part, folded.
    whole: String,
    /// Where the folded name ends in `whole`.
    name_end: usize,
    /// How many letters the folded name has.
    name_len: usize,
    /// How many bytes the suffix with its dot (`.co.jp`) takes at the end of the ASCII
    /// registrable part: 0 for a single label.
    suffix_len: usize,
}

impl Folded {
    fn new(registrable: &str) -> Folded {
        let (name, suffix) = registrable.split_once('.').unwrap_or((registrable, ""));
        let mut whole = String::with_capacity(registrable.len() + 4);
        fold_ascii_form(name, &mut whole);
        let name_end = whole.len();
        if !suffix.is_empty() {
            whole.push('.');
            fold_ascii_form(suffix, &mut whole);
        }
        Folded {
            name_len: whole[..name_end].chars().count(),
            name_end,
            suffix_len: registrable.len() - name.len(),
            whole,
        }
    }

    fn name(&self) -> &str {
        &self.whole[..self.name_end]
    }
}

/// The number of typing errors allowed against a known name of this many letters.
fn allowed_typos(name_len: usize) -> usize {
    match name_len {
        0..=3 => 0,
        4..=5 => 1,
        _ => 2,
    }
}

/// A distinct folded name of the known domains, with the domains that have it.
#[derive(Clone, Debug)]
struct Name {
    chars: Vec<char>,
    members: Vec<usize>,
}

/// The known domains, indexed for finding what a domain resembles.
#[derive(Clone, Debug, Default)]
pub struct Resemblance {
    known: Vec<Known>,
    folded: Vec<Folded>,
    names: Vec<Name>,
    /// The names that typos are looked for against: those with typos allowed.
    typo_targets: Vec<usize>,
    /// Their deletion keys, built the first time many queries need them.
    target_keys: OnceLock<Vec<u64>>,
    by_registrable: FastMap<String, usize>,
    by_whole: FastMap<String, usize>,
    by_name: FastMap<String, usize>,
    by_joined: FastMap<String, usize>,
    /// What each query asked before resembles, so that the next mail to the same partners
    /// does not fold and compare their domains again (issue #13).
    memo: Memo,
}

/// At most this many queries' results are kept; past it the kept ones are dropped.
const MEMO_LEN: usize = 10_000;

/// The results of earlier queries of one index (an index is not changed once queried: the
/// policy's lives as long as the policy, the address books' as long as the address books).
#[derive(Debug, Default)]
struct Memo(Mutex<FastMap<String, Option<Match>>>);

impl Memo {
    fn lock(&self) -> std::sync::MutexGuard<'_, FastMap<String, Option<Match>>> {
        // A poisoned lock only means an earlier query panicked between two whole inserts.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A copy of an index starts without results: one is copied only to be added to.
impl Clone for Memo {
    fn clone(&self) -> Memo {
        Memo::default()
    }
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
        // What earlier queries found may change with a domain more.
        if let Ok(memo) = self.memo.0.get_mut() {
            memo.clear();
        }
        let id = self.known.len();
        let folded = Folded::new(registrable);
        if !self.by_whole.contains_key(folded.whole.as_str()) {
            self.by_whole.insert(folded.whole.clone(), id);
        }
        match self.by_name.get(folded.name()) {
            Some(&n) => self.names[n].members.push(id),
            None => {
                let chars: Vec<char> = folded.name().chars().collect();
                if allowed_typos(chars.len()) > 0 && chars.len() <= MAX_TYPO_LEN {
                    self.typo_targets.push(self.names.len());
                    self.target_keys = OnceLock::new();
                }
                self.by_name.insert(folded.name().to_string(), self.names.len());
                self.names.push(Name { chars, members: vec![id] });
            }
        }
        if folded.name_end < folded.whole.len() {
            let joined: String = folded.whole.chars().filter(|c| *c != '.' && *c != '-').collect();
            self.by_joined.entry(joined).or_insert(id);
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
    /// it resembles, if any. Queries should be distinct: each is matched on its own. A query
    /// asked before gets the result it got then.
    pub fn find_all(&self, queries: &[&str]) -> Vec<Option<Match>> {
        let mut found = Vec::with_capacity(queries.len());
        let mut asked = Vec::new();
        {
            let memo = self.memo.lock();
            for (i, q) in queries.iter().enumerate() {
                let known = memo.get(*q);
                if known.is_none() {
                    asked.push(i);
                }
                found.push(known.copied().flatten());
            }
        }
        if asked.is_empty() {
            return found;
        }
        let new: Vec<&str> = asked.iter().map(|&i| queries[i]).collect();
        let results = self.find_new(&new);
        let mut memo = self.memo.lock();
        if memo.len() + new.len() > MEMO_LEN {
            memo.clear();
        }
        for ((&i, q), m) in asked.iter().zip(new).zip(results) {
            found[i] = m;
            if memo.len() < MEMO_LEN {
                memo.insert(q.to_string(), m);
            }
        }
        found
    }

    /// [`Resemblance::find_all`] of queries not asked before.
    fn find_new(&self, queries: &[&str]) -> Vec<Option<Match>> {
        let folded: Vec<Folded> = queries.iter().map(|q| Folded::new(q)).collect();
        let mut found: Vec<Option<Match>> = queries.iter().zip(&folded).map(|(q, f)| self.find_exact(q, f)).collect();
        let pending: Vec<usize> = (0..folded.len())
            .filter(|&i| found[i].is_none() && folded[i].whole.chars().count() <= MAX_TYPO_LEN)
            .collect();
        for (i, m) in self.find_typos(&folded, &pending) {
            found[i] = Some(m);
        }
        found
    }

    /// The typos among the pending queries: (query, match) pairs.
    fn find_typos(&self, folded: &[Folded], pending: &[usize]) -> Vec<(usize, Match)> {
        let targets = &self.typo_targets;
        if pending.is_empty() || targets.is_empty() {
            return Vec::new();
        }
        let query_names: Vec<Vec<char>> = pending.iter().map(|&i| folded[i].name().chars().collect()).collect();
        let target_name = |t: usize| &self.names[targets[t]].chars;
        // Pairs of (position in `pending`, position in `targets`) worth comparing.
        let pairs: Vec<(usize, usize)> = if pending.len().saturating_mul(targets.len()) <= DIRECT_PAIRS {
            (0..pending.len())
                .flat_map(|q| (0..targets.len()).map(move |t| (q, t)))
                .filter(|&(q, t)| query_names[q].len().abs_diff(target_name(t).len()) <= 2)
                .collect()
        } else {
            let target_keys = self.target_keys.get_or_init(|| {
                let names: Vec<&[char]> = targets.iter().map(|&n| self.names[n].chars.as_slice()).collect();
                deletion_keys(&names, allowed_typos)
            });
            let names: Vec<&[char]> = query_names.iter().map(Vec::as_slice).collect();
            shared_deletions(&deletion_keys(&names, |_| 2), target_keys, names.len())
        };
        let mut found = Vec::new();
        let mut at = 0;
        while at < pairs.len() {
            let q = pairs[at].0;
            let end = at + pairs[at..].iter().take_while(|p| p.0 == q).count();
            let candidates = pairs[at..end].iter().map(|&(_, t)| targets[t]);
            if let Some(m) = self.best_typo(&folded[pending[q]], &query_names[q], candidates) {
                found.push((pending[q], m));
            }
            at = end;
        }
        found
    }

    /// The likenesses found by lookups: look-alike letters, another suffix, dots made a name.
    fn find_exact(&self, query: &str, q: &Folded) -> Option<Match> {
        if let Some(&known) = self.by_whole.get(q.whole.as_str()) {
            return Some(Match { known, likeness: Likeness::LookAlikeLetters });
        }
        if q.name_len >= 3 {
            let suffix = &query[query.len() - q.suffix_len..];
            let other = self.by_name.get(q.name()).and_then(|&n| {
                self.names[n].members.iter().find(|&&k| {
                    let known = &self.known[k].registrable;
                    known[known.len() - self.folded[k].suffix_len..] != *suffix
                })
            });
            if let Some(&known) = other {
                return Some(Match { known, likeness: Likeness::OtherSuffix });
            }
        }
        let name_joined: String = q.name().chars().filter(|c| *c != '-').collect();
        if let Some(&known) = self.by_joined.get(name_joined.as_str()) {
            return Some(Match { known, likeness: Likeness::DotsMadeName });
        }
        None
    }

    /// The closest known domain within its allowed distance, among the domains that have the
    /// candidate names; ties go to the one added first.
    fn best_typo(&self, q: &Folded, q_name: &[char], candidates: impl Iterator<Item = usize>) -> Option<Match> {
        let q_whole: Vec<char> = q.whole.chars().collect();
        let mut best: Option<(usize, usize)> = None;
        let mut budget = MAX_COMPARISONS;
        let mut cells = Vec::new();
        for n in candidates {
            let name = &self.names[n].chars;
            let allowed = allowed_typos(name.len());
            if budget == 0 {
                break;
            }
            budget -= 1;
            if osa_within(q_name, name, allowed, &mut cells).is_none() {
                continue;
            }
            for &k in &self.names[n].members {
                if budget == 0 {
                    break;
                }
                budget -= 1;
                let whole: Vec<char> = self.folded[k].whole.chars().collect();
                if let Some(d) = osa_within(&q_whole, &whole, allowed, &mut cells) {
                    if d > 0 && best.is_none_or(|(bd, bk)| (d, k) < (bd, bk)) {
                        best = Some((d, k));
                    }
                }
            }
        }
        best.map(|(d, known)| Match { known, likeness: Likeness::Typo(d) })
    }
}

/// The pairs (query, target) whose names share a string after deletions, from both sides'
/// sorted deletion keys (see [`deletion_keys`]): merging two sorted lists needs far less
/// memory than a hash table of the targets. The pairs come sorted by query, then by target.
///
/// Each query takes at most [`MAX_CANDIDATES`] pairs, so the pairs are at most
/// `queries × MAX_CANDIDATES` and the work linear in the keys.
fn shared_deletions(q: &[u64], t: &[u64], queries: usize) -> Vec<(usize, usize)> {
    let hash = |key: u64| key >> ID_BITS;
    let id = |key: u64| key & ID_MASK;
    let mut taken = vec![0usize; queries];
    let mut pairs = Vec::new();
    let (mut a, mut b) = (0, 0);
    while a < q.len() && b < t.len() {
        match hash(q[a]).cmp(&hash(t[b])) {
            std::cmp::Ordering::Less => a += 1,
            std::cmp::Ordering::Greater => b += 1,
            std::cmp::Ordering::Equal => {
                let h = hash(q[a]);
                let a_end = a + q[a..].iter().take_while(|&&k| hash(k) == h).count();
                let b_end = b + t[b..].iter().take_while(|&&k| hash(k) == h).count();
                for &qk in &q[a..a_end] {
                    let Some(taken) = taken.get_mut(id(qk) as usize) else { continue };
                    let room = MAX_CANDIDATES.saturating_sub(*taken).min(b_end - b);
                    *taken += room;
                    pairs.extend(t[b..b + room].iter().map(|&tk| (id(qk) << 32) | id(tk)));
                }
                (a, b) = (a_end, b_end);
            }
        }
    }
    radix_sort(&mut pairs);
    pairs.dedup();
    pairs.into_iter().map(|p| ((p >> 32) as usize, (p & 0xffff_ffff) as usize)).collect()
}

/// Sorts integers by their bytes, least significant first, skipping bytes that are the same
/// in every key. It needs no comparison-sort machinery in the wasm module, and keys that are
/// hashes have no order worth exploiting anyway.
pub(crate) fn radix_sort(keys: &mut Vec<u64>) {
    let mut buffer = vec![0u64; keys.len()];
    for shift in (0..64).step_by(8) {
        let mut counts = [0usize; 256];
        for &k in keys.iter() {
            counts[(k >> shift) as usize & 0xff] += 1;
        }
        if counts.contains(&keys.len()) {
            continue;
        }
        let mut next = 0;
        for c in counts.iter_mut() {
            (*c, next) = (next, next + *c);
        }
        for &k in keys.iter() {
            let digit = (k >> shift) as usize & 0xff;
            buffer[counts[digit]] = k;
            counts[digit] += 1;
        }
        std::mem::swap(keys, &mut buffer);
    }
}

/// Bits of a deletion key that hold the name's position; the rest hold the hash.
pub(crate) const ID_BITS: u32 = 24;
pub(crate) const ID_MASK: u64 = (1 << ID_BITS) - 1;

/// The deletion hashes of every name, each packed with the name's position into one `u64`,
/// sorted: sorting plain integers is about twice as fast as sorting pairs.
/// Names past the 2^24th (sixteen million) are left out.
fn deletion_keys(names: &[&[char]], radius: impl Fn(usize) -> usize) -> Vec<u64> {
    let mut keys = Vec::new();
    let mut hashes = Vec::new();
    for (i, name) in names.iter().enumerate().take(1 << ID_BITS) {
        hashes.clear();
        deletion_hashes(name, radius(name.len()), &mut hashes);
        keys.extend(hashes.iter().map(|&h| (h & !ID_MASK) | i as u64));
    }
    radix_sort(&mut keys);
    keys
}

/// Folds labels given in ASCII form (`xn--` labels in Unicode form first) onto `out`.
fn fold_ascii_form(ascii: &str, out: &mut String) {
    if ascii.split('.').any(|label| label.starts_with("xn--")) {
        out.push_str(&fold(&unicode_of(ascii)));
    } else {
        for c in ascii.chars() {
            push_folded(c.to_ascii_lowercase(), out);
        }
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
/// The work is cut short as soon as a whole row exceeds `max`. The rows live in `cells`,
/// which the caller keeps from call to call: this runs for every candidate of every
/// recipient, and allocating the rows on each call cost more than the comparison.
fn osa_within(a: &[char], b: &[char], max: usize, cells: &mut Vec<usize>) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rows in one array: the one before the previous (for swaps), the previous, the current.
    let width = b.len() + 1;
    if cells.len() < 3 * width {
        cells.resize(3 * width, 0);
    }
    let (mut before, mut previous, mut current) = (0, width, 2 * width);
    for j in 0..=b.len() {
        cells[previous + j] = j;
    }
    for i in 1..=a.len() {
        cells[current] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (cells[previous + j] + 1).min(cells[current + j - 1] + 1).min(cells[previous + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(cells[before + j - 2] + 1);
            }
            cells[current + j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        (before, previous, current) = (previous, current, before);
    }
    let d = cells[previous + b.len()];
    (d <= max).then_some(d)
}

const BASE: u64 = 0x0000_0100_0000_01b3;

/// Pushes the hash of every string made by deleting at most `max` (≤ 2) letters.
/// A string made twice (deleting either of two equal letters) is pushed twice; the pairs
/// are deduplicated once at the end, which is cheaper than sorting every neighbourhood.
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
}

/// A hash map with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A hash set with [`FastHasher`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, BuildHasherDefault<FastHasher>>;

/// A fast, unkeyed hasher (the multiply-rotate scheme of rustc's FxHash) for the maps of
/// domains built on every review; std's SipHash was a tenth of the time of a large review.
#[derive(Debug, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut word = [0; 8];
        word[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.add(u64::from_le_bytes(word) ^ (chunks.remainder().len() as u64) << 59);
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The final mix spreads the high bits, which hashbrown's probing relies on.
        mix(self.0)
    }
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

    /// The skeleton decomposes before and after mapping (UTS #39): a precomposed letter and the
    /// same letter with a combining mark fold alike, a default-ignorable character disappears,
    /// and Cyrillic and Greek look-alikes fold to Latin.
    #[test]
    fn skeletons_decompose_and_map() {
        assert_eq!(fold("caf\u{e9}"), fold("cafe\u{301}"));
        assert_ne!(fold("caf\u{e9}"), fold("cafe"));
        assert_eq!(fold("co\u{200b}rp"), fold("corp"));
        assert_eq!(fold("\u{441}\u{43e}rp"), "corp");
        assert_eq!(fold("c\u{3bf}rp"), "corp");
        // The ASCII fast path agrees with the skeleton.
        assert_eq!(fold("\u{ff43}orp"), fold("corp"));
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
                let q_name: Vec<char> = f.name().chars().collect();
                r.find_exact(q, &f).or_else(|| r.best_typo(&f, &q_name, 0..r.names.len()))
            })
            .collect();
        assert_eq!(indexed, direct);
        assert!(indexed.iter().filter(|m| m.is_some()).count() >= queries.len() / 2);
    }

    #[test]
    fn a_query_asked_again_gets_its_answer_until_a_domain_is_added() {
        let mut r = Resemblance::new();
        r.add("corp.example", Source::Internal);
        let first = r.find_all(&["c0rp.example", "partnr.example"]);
        assert_eq!(first[0].map(|m| m.likeness), Some(Likeness::LookAlikeLetters));
        assert_eq!(first[1], None);
        assert_eq!(r.memo.lock().len(), 2);
        // Asked again, in another order and among new queries: the same answers.
        assert_eq!(r.find_all(&["partnr.example", "c0rp.example"]), [first[1], first[0]]);
        let mixed = r.find_all(&["corp.jp", "c0rp.example"]);
        assert_eq!(mixed[0].map(|m| m.likeness), Some(Likeness::OtherSuffix));
        assert_eq!(mixed[1], first[0]);
        assert_eq!(r.memo.lock().len(), 3);
        // A domain more: what was found before is found again, against it too.
        r.add("partner.example", Source::Known);
        let again = r.find_all(&["partnr.example", "c0rp.example"]);
        assert_eq!(
            again[0].map(|m| (r.known()[m.known].registrable.as_str(), m.likeness)),
            Some(("partner.example", Likeness::Typo(1)))
        );
        assert_eq!(again[1], first[0]);
    }

    #[test]
    fn long_and_odd_domains_are_bounded_and_safe() {
        let mut r = Resemblance::new();
        let long_known = format!("{}.example", "k".repeat(MAX_TYPO_LEN + 10));
        r.add(&long_known, Source::Contact);
        r.add("corp.example", Source::Internal);
        for odd in ["", ".", "..", "a..b", "-.-", "例え.jp", "xn--.example", "xn--zz.jp"] {
            r.add(odd, Source::Contact);
        }
        let long_query = format!("{}.example", "k".repeat(MAX_TYPO_LEN + 9));
        let queries = [long_query.as_str(), "", ".", "..", "xn--", "ｃｏｒｐ.example", "corp"];
        let found = r.find_all(&queries);
        // Too long to be compared by distance, though one letter apart.
        assert_eq!(found[0], None);
        assert_eq!(found.len(), queries.len());
    }

    #[test]
    fn near_identical_names_give_a_bounded_number_of_pairs() {
        // Issue #11: 40,000 near-identical domains against 40,000 took 31 s and 100,000 against
        // 100,000 over two minutes and 1.1 GB. These names differ in at most their last three letters.
        let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789".chars().collect();
        let name =
            |i: usize| format!("corporate{}{}{}", letters[i % 36], letters[(i / 36) % 36], letters[i / 1296 % 36]);
        let (queries, targets): (Vec<String>, Vec<String>) =
            ((0..2000).map(name).collect(), (2000..4000).map(name).collect());
        let chars = |names: &[String]| -> Vec<Vec<char>> { names.iter().map(|n| n.chars().collect()).collect() };
        let (q, t) = (chars(&queries), chars(&targets));
        let q_refs: Vec<&[char]> = q.iter().map(Vec::as_slice).collect();
        let t_refs: Vec<&[char]> = t.iter().map(Vec::as_slice).collect();
        let pairs = shared_deletions(&deletion_keys(&q_refs, |_| 2), &deletion_keys(&t_refs, allowed_typos), q.len());
        assert!(pairs.len() <= queries.len() * MAX_CANDIDATES, "{} pairs", pairs.len());
        // Every query still finds a look-alike among its candidates.
        let mut index = Resemblance::new();
        for t in &targets {
            index.add(&format!("{t}.example"), Source::Known);
        }
        let asked: Vec<String> = queries.iter().map(|q| format!("{q}.example")).collect();
        let asked: Vec<&str> = asked.iter().map(String::as_str).collect();
        assert!(index.find_all(&asked).iter().all(Option::is_some));
    }

    #[test]
    fn radix_sort_sorts() {
        let mut keys: Vec<u64> = (0..1000u64).map(|i| mix(i) >> (i % 64)).chain([0, u64::MAX, 5, 5]).collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        radix_sort(&mut keys);
        assert_eq!(keys, expected);
        let mut empty = Vec::new();
        radix_sort(&mut empty);
        assert!(empty.is_empty());
    }

    #[test]
    fn distances() {
        let d = |a: &str, b: &str, max| {
            osa_within(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>(), max, &mut Vec::new())
        };
        assert_eq!(d("corp", "corp", 2), Some(0));
        assert_eq!(d("corp", "cropp", 2), Some(2));
        assert_eq!(d("example", "exmaple", 1), Some(1));
        assert_eq!(d("abcdef", "badcfe", 2), None);
        assert_eq!(d("abcdef", "badcfe", 3), Some(3));
        assert_eq!(d("", "ab", 2), Some(2));
        assert_eq!(d("kitten", "sitting", 2), None);
    }
}
