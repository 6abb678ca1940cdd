//! Where a diagnostic's JSON path points in the policy's source text, as a line and a column.
//!
//! Diagnostics carry paths such as `rules.external-recipient.severity`, `internalDomains[2]`
//! or `keywords[0].pattern`, written the way `serde_path_to_error` displays them: object keys
//! joined by `.`, array indices as `[i]`. An admin fixing a file wants `policy.json:7:20`,
//! like a compiler gives, so this module finds the node a path names in the text.
//!
//! Keys may themselves contain dots (the add-on's id `misend-guard@misend-guard.org` is one,
//! on the way through a `policies.json`), so the path cannot simply be split on `.`.
//! Instead the path is matched against the keys that really are in the text, with
//! backtracking when two readings are possible. The work is bounded by a step budget.
//!
//! The text is parsed by `jsonc-parser`, which keeps the byte range of every node and has no
//! dependencies of its own, so this stays cheap enough for the playground's wasm.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

/// A position in a text: 1-based line, 1-based column counted in characters,
/// as editors and compilers show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters (not bytes), so that Japanese text counts right.
    pub column: usize,
}

/// Where a path's node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// The key, when the node is an object member.
    pub key: Option<Position>,
    /// The value.
    pub value: Position,
    /// Whether the value is an object or an array.
    pub value_is_container: bool,
}

impl Location {
    /// The position to show an admin.
    ///
    /// An error about a scalar (`"severity": "blok"`) points at the value.
    /// An error about an object or array member points at its key: such errors are about the
    /// member as a whole (typically an unknown key such as `"internalDomain": [...]`),
    /// and the value may span many lines.
    pub fn point(&self) -> Position {
        match self.key {
            Some(key) if self.value_is_container => key,
            _ => self.value,
        }
    }
}

/// At most this many nodes are visited while matching a path, so that hostile keys
/// (`a`, `a.a`, `a.a.a`, … nested) cannot make matching exponential.
const MAX_STEPS: usize = 10_000;

/// Finds the node that `path` names in the JSON `text`.
///
/// An empty path (or `.`) names the whole document.
/// Returns `None` when the text is not JSON or the path leads nowhere in it.
/// To locate many paths in one text, parse it once with [`Locator::new`].
pub fn locate(text: &str, path: &str) -> Option<Location> {
    Locator::new(text).locate(path)
}

/// A JSON text parsed once, to locate many paths in it: a policy with thousands of
/// diagnostics must not be parsed (or its lines counted) thousands of times.
#[derive(Debug)]
pub struct Locator<'a> {
    text: &'a str,
    root: Option<Value<'a>>,
    /// The byte offset where each line starts.
    line_starts: Vec<usize>,
}

impl<'a> Locator<'a> {
    /// Parses the text. A text that is not JSON locates nothing.
    pub fn new(text: &'a str) -> Locator<'a> {
        // Windows editors may save a byte order mark; it is invisible, so it counts as no column.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let root = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default()).ok().and_then(|p| p.value);
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Locator { text, root, line_starts }
    }

    /// Finds the node that `path` names, as [`locate`] does.
    pub fn locate(&self, path: &str) -> Option<Location> {
        let root = self.root.as_ref()?;
        let path = if path == "." { "" } else { path };
        let mut steps = 0;
        let found = resolve(root, None, path, &mut steps)?;
        Some(Location {
            key: found.key.map(|offset| self.position(offset)),
            value: self.position(found.value),
            value_is_container: found.container,
        })
    }

    fn position(&self, offset: usize) -> Position {
        let line = self.line_starts.partition_point(|&start| start <= offset).max(1);
        let start = self.line_starts[line - 1];
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Position { line, column }
    }
}

/// A node found, as byte offsets.
struct Found {
    key: Option<usize>,
    value: usize,
    container: bool,
}

fn resolve(node: &Value<'_>, key: Option<usize>, rest: &str, steps: &mut usize) -> Option<Found> {
    *steps += 1;
    if *steps > MAX_STEPS {
        return None;
    }
    if rest.is_empty() {
        let container = matches!(node, Value::Object(_) | Value::Array(_));
        return Some(Found { key, value: node.start(), container });
    }
    match node {
        Value::Array(array) => {
            let inner = rest.strip_prefix('[')?;
            let close = inner.find(']')?;
            let index: usize = inner[..close].parse().ok()?;
            let element = array.elements.get(index)?;
            resolve(element, None, after_segment(&inner[close + 1..]), steps)
        }
        Value::Object(object) => {
            // A later duplicate key wins, as in serde_json; among keys that could both match
            // (`a` and `a.b`), the longer one is tried first.
            let mut candidates: Vec<(usize, &str, usize, &Value<'_>)> = object
                .properties
                .iter()
                .enumerate()
                .filter_map(|(i, prop)| {
                    let name: &str = match &prop.name {
                        ObjectPropName::String(lit) => lit.value.as_ref(),
                        ObjectPropName::Word(lit) => lit.value,
                    };
                    let tail = rest.strip_prefix(name)?;
                    let boundary = tail.is_empty() || tail.starts_with('.') || tail.starts_with('[');
                    boundary.then_some((i, name, prop.name.start(), &prop.value))
                })
                .collect();
            candidates.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(b.0.cmp(&a.0)));
            candidates.into_iter().find_map(|(_, name, key_start, value)| {
                resolve(value, Some(key_start), after_segment(&rest[name.len()..]), steps)
            })
        }
        _ => None,
    }
}

/// The rest of a path after one segment: a `.` before the next key is a separator.
fn after_segment(tail: &str) -> &str {
    tail.strip_prefix('.').unwrap_or(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"{
  "internalDomains": ["corp.example", "a*.b", 3],
  "internalDomain": ["typo.example"],
  "rules": {
    "external-recipient": { "severity": "blok" },
    "externl-recipient": {}
  },
  "keywords": [
    { "pattern": "社外秘", "where": ["subject"] },
    { "pattern": "(" }
  ],
  "名前": { "x.y": { "z": 1 }, "x": { "y.z": 2 } }
}"#;

    /// Checks that `path` points at `expected` (line, column), or nowhere.
    fn check(text: &str, path: &str, expected: Option<(usize, usize)>) {
        let got = locate(text, path).map(|l| (l.point().line, l.point().column));
        assert_eq!(got, expected, "locating {path:?}");
    }

    #[test]
    fn values_keys_and_indices() {
        check(POLICY, "", Some((1, 1)));
        check(POLICY, ".", Some((1, 1)));
        check(POLICY, "internalDomains[0]", Some((2, 23)));
        check(POLICY, "internalDomains[1]", Some((2, 39)));
        check(POLICY, "internalDomains[2]", Some((2, 47)));
        // Scalars point at the value.
        check(POLICY, "rules.external-recipient.severity", Some((5, 41)));
        // Members whose value is an object or array point at the key: unknown keys.
        check(POLICY, "internalDomain", Some((3, 3)));
        check(POLICY, "rules.externl-recipient", Some((6, 5)));
        check(POLICY, "rules", Some((4, 3)));
        // Counting in characters, not bytes: the Japanese pattern is three characters.
        check(POLICY, "keywords[0].where[0]", Some((9, 35)));
        check(POLICY, "keywords[1].pattern", Some((10, 18)));
    }

    #[test]
    fn keys_with_dots_are_matched_against_the_text() {
        // Both readings lead somewhere here; the longer key is tried first.
        check(POLICY, "名前.x.y.z", Some((12, 25)));
        check(POLICY, "名前.x.y", Some((12, 11)));
        let text = r#"{"policies": {"3rdparty": {"Extensions": {
  "misend-guard@misend-guard.org": {"internalDomains": ["ok.example", "bad*"]}}}}}"#;
        check(text, "policies.3rdparty.Extensions.misend-guard@misend-guard.org.internalDomains[1]", Some((2, 71)));
        check(text, "policies.3rdparty.Extensions.misend-guard@misend-guard.org", Some((2, 3)));
        // Only the reading that leads somewhere counts: `x.y` then `z` fails here, `x` then `y.z` works.
        let text = r#"{"x.y": {}, "x": {"y.z": true}}"#;
        check(text, "x.y.z", Some((1, 26)));
    }

    #[test]
    fn every_path_the_loader_reports_can_be_located() {
        let text = r#"{
  "internalDomain": ["corp.example"],
  "rules": {"external-recipient": {"severity": "blok"}, "externl-recipient": {}},
  "dialog": {"skipWhenInternalOnly": "yes"},
  "internalDomains": ["corp.example", "a*.b", 3]
}"#;
        let loaded = crate::Policy::load_text(text, crate::Lang::En);
        let mut got: Vec<(String, Option<(usize, usize)>)> = loaded
            .diagnostics
            .iter()
            .map(|d| (d.path.clone(), locate(text, &d.path).map(|l| (l.point().line, l.point().column))))
            .collect();
        got.sort();
        let expected = [
            ("dialog.skipWhenInternalOnly", (4, 38)),
            ("internalDomain", (2, 3)),
            ("internalDomains[1]", (5, 39)),
            ("internalDomains[2]", (5, 47)),
            ("rules.external-recipient.severity", (3, 48)),
            ("rules.externl-recipient", (3, 57)),
        ];
        let expected: Vec<(String, Option<(usize, usize)>)> =
            expected.iter().map(|(p, at)| (p.to_string(), Some(*at))).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn paths_that_lead_nowhere() {
        check(POLICY, "nothing", None);
        check(POLICY, "internalDomains[9]", None);
        check(POLICY, "internalDomains.0", None);
        check(POLICY, "rules[0]", None);
        check(POLICY, "internalDomains[0].x", None);
        check(POLICY, "?", None);
        check("{ not json", "a", None);
        check("", "", None);
    }

    #[test]
    fn duplicate_keys_point_at_the_last_one_as_serde_json_reads_it() {
        check("{\"a\": 1,\n \"a\": 2}", "a", Some((2, 7)));
    }

    #[test]
    fn byte_order_mark_and_crlf() {
        check("\u{feff}{\r\n  \"a\": [1, true]\r\n}", "a[1]", Some((2, 12)));
    }

    #[test]
    fn many_paths_in_a_large_text_take_linear_time() {
        let entries: Vec<String> = (0..50_000).map(|i| format!("\"x*{i}\"")).collect();
        let text = format!("{{\"internalDomains\": [\n{}\n]}}", entries.join(",\n"));
        let locator = Locator::new(&text);
        let started = std::time::Instant::now();
        for i in 0..50_000 {
            let at = locator.locate(&format!("internalDomains[{i}]")).unwrap().point();
            assert_eq!((at.line, at.column), (i + 2, 1));
        }
        // Quadratic work (re-parsing or re-counting lines per path) takes minutes here.
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn hostile_keys_stay_bounded() {
        // Every split of "a.a.a…" is a candidate reading; none leads to the final "b".
        let mut text = String::from("1");
        for _ in 0..30 {
            text = format!("{{\"a\": {text}, \"a.a\": {text}}}");
            if text.len() > 200_000 {
                break;
            }
        }
        let path = vec!["a"; 40].join(".") + ".b";
        check(&text, &path, None);
    }
}
