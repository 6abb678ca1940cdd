//! A policy's JSON before it is read: bounded in depth, every number finite, every key once.
//!
//! A policy reaches the engine as text (the playground, the CLI), as a JSON value (the CLI,
//! tests) or as a JavaScript object (managed storage, through the wasm facade). Whatever the
//! way, what the loader then walks must be safe to walk: the loader, serde and the value's
//! own `Clone` and `Drop` recurse once per level, and a policy of a few thousand nested
//! `{"a":` would overflow the stack (in wasm, a trap that leaves the engine unusable).
//! So every way in goes through a [`PolicyInput`], which holds a value at most
//! [`MAX_DEPTH`] levels deep and the problems met on the way:
//! - a value nested deeper is replaced by `null` and reported at its JSON path;
//! - a number that is not finite (`1e999` or `NaN` read by JavaScript) is replaced by `null`
//!   and reported, instead of vanishing;
//! - a key written twice in one object (in text) is reported; where both values are
//!   severities the stricter one is kept, so that a later `"off"` never silently overrides a
//!   `"block"`, and two objects under one key are merged the same way.
//!
//! Every such problem is an error of the admin's policy (a warning of a person's settings),
//! so the policy is degraded. Nothing here recurses deeper than [`MAX_DEPTH`].

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::Severity;

/// How deep a policy may nest: a valid policy needs 4 levels (`keywords[0].message.ja`), so
/// 32 leaves room for any mistake an admin makes by hand, and stays far below what the stack
/// of the add-on's wasm allows.
pub const MAX_DEPTH: usize = 32;

/// The text that stands for a value cut away from a policy's text for being too deep.
/// It is the only string of a policy that holds a NUL character, which no policy needs.
const TOO_DEEP_MARK: &str = "\u{0}misend-guard:too-deep";

/// What was wrong with a value of the policy before it could be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputProblemKind {
    /// An object or an array nested deeper than [`MAX_DEPTH`] levels, dropped.
    TooDeep,
    /// A number that is not finite (`Infinity`, `NaN`), with its text, dropped.
    NotFinite(String),
    /// A value that JSON cannot hold (a function, a symbol, a big integer), with its type, dropped.
    NotJson(String),
    /// A key written twice in one object.
    DuplicateKey,
}

/// A problem met while taking in a policy, at its JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    /// The JSON path, as diagnostics write it: `rules.keyword.severity`, `keywords[2]`.
    pub path: String,
    /// What was wrong.
    pub kind: InputProblemKind,
}

/// A policy value that is safe to load, with the problems met while taking it in.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PolicyInput {
    /// The value, at most [`MAX_DEPTH`] levels deep.
    pub value: Value,
    /// What was dropped or merged on the way, in document order.
    pub problems: Vec<InputProblem>,
}

/// Appends an object key to a JSON path.
pub fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Appends an array index to a JSON path.
pub fn push_index(path: &mut String, index: usize) {
    path.push('[');
    path.push_str(&index.to_string());
    path.push(']');
}

impl PolicyInput {
    /// An input without problems. The caller vouches that `value` is at most [`MAX_DEPTH`]
    /// levels deep (a value it built itself, such as `null`).
    pub fn trusted(value: Value) -> PolicyInput {
        PolicyInput { value, problems: Vec::new() }
    }

    /// Takes in a JSON value: a copy of it, cut at [`MAX_DEPTH`] levels.
    /// Neither the copy nor the walk recurses deeper than that.
    pub fn from_value(value: &Value) -> PolicyInput {
        let mut problems = Vec::new();
        let mut path = String::new();
        let value = copy(value, 0, &mut path, &mut problems);
        PolicyInput { value, problems }
    }

    /// Reads a policy's text. Values nested too deep are cut out of the text before it is
    /// parsed, so that the parser never meets them; the text that was parsed (of the same
    /// lines as the original) is returned too, for locating diagnostics in it.
    pub fn from_text(text: &str) -> Result<(PolicyInput, String), serde_json::Error> {
        let shallow = cut_deep_values(text);
        let mut problems = Vec::new();
        let mut path = String::new();
        let mut deserializer = serde_json::Deserializer::from_str(&shallow);
        let value = Node { path: &mut path, problems: &mut problems }.deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok((PolicyInput { value, problems }, shallow))
    }
}

/// Copies a value, replacing what lies deeper than [`MAX_DEPTH`] by `null`.
fn copy(value: &Value, depth: usize, path: &mut String, problems: &mut Vec<InputProblem>) -> Value {
    match value {
        Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => {
            problems.push(InputProblem { path: path.clone(), kind: InputProblemKind::TooDeep });
            Value::Null
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                push_index(path, i);
                out.push(copy(item, depth + 1, path, problems));
                path.truncate(len);
            }
            Value::Array(out)
        }
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, item) in map {
                let len = path.len();
                push_key(path, key);
                out.insert(key.clone(), copy(item, depth + 1, path, problems));
                path.truncate(len);
            }
            Value::Object(out)
        }
        scalar => scalar.clone(),
    }
}

/// The text with every object or array that opens deeper than [`MAX_DEPTH`] levels replaced
/// by a string holding [`TOO_DEEP_MARK`], padded with its line breaks (and spaces) so that the
/// lines of the rest of the text stay where they were. Strings are skipped, escapes included;
/// a text that is not JSON stays as broken as it was.
fn cut_deep_values(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' if depth >= MAX_DEPTH => {
                let end = closing(bytes, i);
                let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                out.push_str(&text[copied..i]);
                let mark = serde_json::to_string(TOO_DEEP_MARK).unwrap_or_default();
                out.push_str(&mark);
                let breaks = text[i..end].bytes().filter(|&b| b == b'\n').count();
                let pad = (end - i).saturating_sub(mark.len() + breaks);
                out.extend(std::iter::repeat_n(' ', pad));
                out.extend(std::iter::repeat_n('\n', breaks));
                copied = end;
                i = end;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            out
        }
        None => text.to_string(),
    }
}

/// The byte after the bracket that closes the one at `open`, or the end of the text.
fn closing(bytes: &[u8], open: usize) -> usize {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in bytes.iter().enumerate().skip(open) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    bytes.len()
}

/// One value of a policy's text, read with its path so that problems can say where they are.
struct Node<'a> {
    path: &'a mut String,
    problems: &'a mut Vec<InputProblem>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(match serde_json::Number::from_f64(v) {
            Some(n) => Value::Number(n),
            None => {
                // The words `f64`'s `Display` has for these, without the float formatting it would
                // bring into the add-on's wasm (a finite number is always a JSON number).
                let text = if v.is_nan() {
                    "NaN"
                } else if v > 0.0 {
                    "inf"
                } else {
                    "-inf"
                };
                self.problems.push(InputProblem {
                    path: self.path.clone(),
                    kind: InputProblemKind::NotFinite(text.to_string()),
                });
                Value::Null
            }
        })
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        if v == TOO_DEEP_MARK {
            self.problems.push(InputProblem { path: self.path.clone(), kind: InputProblemKind::TooDeep });
            return Ok(Value::Null);
        }
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        if v == TOO_DEEP_MARK {
            return self.visit_str(&v);
        }
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let len = self.path.len();
            push_index(self.path, items.len());
            let item = seq.next_element_seed(Node { path: self.path, problems: self.problems })?;
            self.path.truncate(len);
            match item {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let len = self.path.len();
            push_key(self.path, &key);
            let value = map.next_value_seed(Node { path: self.path, problems: self.problems })?;
            match out.remove(&key) {
                Some(earlier) => {
                    self.problems.push(InputProblem { path: self.path.clone(), kind: InputProblemKind::DuplicateKey });
                    out.insert(key.clone(), merge(&key, earlier, value, self.path, self.problems));
                }
                None => {
                    out.insert(key, value);
                }
            }
            self.path.truncate(len);
        }
        Ok(Value::Object(out))
    }
}

/// The value kept for a key written twice: the stricter of two severities, two objects merged
/// key by key (by the same rule), and otherwise the later value, as JSON parsers do.
fn merge(key: &str, earlier: Value, later: Value, path: &mut String, problems: &mut Vec<InputProblem>) -> Value {
    let severity = |v: &Value| v.as_str().and_then(|s| serde_json::from_value::<Severity>(Value::from(s)).ok());
    match (earlier, later) {
        (Value::Object(mut kept), Value::Object(more)) => {
            for (k, v) in more {
                let len = path.len();
                push_key(path, &k);
                let merged = match kept.remove(&k) {
                    Some(old) => {
                        problems.push(InputProblem { path: path.clone(), kind: InputProblemKind::DuplicateKey });
                        merge(&k, old, v, path, problems)
                    }
                    None => v,
                };
                path.truncate(len);
                kept.insert(k, merged);
            }
            Value::Object(kept)
        }
        (earlier, later) if key == "severity" => match (severity(&earlier), severity(&later)) {
            (Some(a), Some(b)) if a > b => earlier,
            (Some(_), None) => earlier,
            _ => later,
        },
        (_, later) => later,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds(input: &PolicyInput) -> Vec<(&str, &InputProblemKind)> {
        input.problems.iter().map(|p| (p.path.as_str(), &p.kind)).collect()
    }

    /// `{"a":{"a":...1...}}` nested `levels` deep.
    fn nested_text(levels: usize) -> String {
        "{\"a\":".repeat(levels) + "1" + &"}".repeat(levels)
    }

    #[test]
    fn a_deep_text_is_cut_at_the_limit_with_its_path() {
        // Issue #11: 3,100 levels overflowed the stack of the add-on's engine.
        let text = format!("{{\"rules\": {{\"keyword\": {{\"severity\": \"block\"}}}}, \"x\": {}}}", nested_text(5000));
        let (input, parsed) = PolicyInput::from_text(&text).unwrap();
        let deep_path = format!("x{}", ".a".repeat(MAX_DEPTH - 1));
        assert_eq!(kinds(&input), [(deep_path.as_str(), &InputProblemKind::TooDeep)]);
        assert_eq!(input.value["rules"]["keyword"]["severity"], "block");
        assert_eq!(parsed.lines().count(), text.lines().count());
    }

    #[test]
    fn a_deep_text_keeps_its_line_breaks_and_strings() {
        let deep = "[".repeat(40) + &"]".repeat(40);
        let text = format!("{{\n\"s\": \"[[[{{{{\",\n\"d\": {},\n\"after\": 1\n}}", deep.replace("[[", "[\n["));
        let (input, parsed) = PolicyInput::from_text(&text).unwrap();
        assert_eq!(input.value["s"], "[[[{{");
        assert_eq!(input.value["after"], 1);
        assert_eq!(input.problems.len(), 1);
        assert_eq!(parsed.lines().count(), text.lines().count());
        // A broken text stays broken.
        assert!(PolicyInput::from_text(&"[".repeat(100)).is_err());
    }

    #[test]
    fn a_deep_value_is_cut_at_the_limit_with_its_path() {
        let mut value = json!(1);
        for _ in 0..200 {
            value = json!([value]);
        }
        let input = PolicyInput::from_value(&json!({"keywords": value}));
        let deep_path = format!("keywords{}", "[0]".repeat(MAX_DEPTH - 1));
        assert_eq!(kinds(&input), [(deep_path.as_str(), &InputProblemKind::TooDeep)]);
        let shallow = json!({"internalDomains": ["corp.example"], "dialog": {"allowCheckAll": {"internal": true}}});
        assert_eq!(PolicyInput::from_value(&shallow), PolicyInput::trusted(shallow));
    }

    #[test]
    fn a_duplicate_severity_keeps_the_stricter_one() {
        // Issue #11: a later "off" silently overrode a "block".
        let text = r#"{"rules": {"blocked-domain": {"severity": "block", "severity": "off"}},
                       "rules": {"empty-subject": {"severity": "warn"}, "blocked-domain": {"severity": "info"}}}"#;
        let (input, _) = PolicyInput::from_text(text).unwrap();
        assert_eq!(input.value["rules"]["blocked-domain"]["severity"], "block");
        assert_eq!(input.value["rules"]["empty-subject"]["severity"], "warn");
        assert_eq!(
            kinds(&input),
            [
                ("rules.blocked-domain.severity", &InputProblemKind::DuplicateKey),
                ("rules", &InputProblemKind::DuplicateKey),
                ("rules.blocked-domain", &InputProblemKind::DuplicateKey),
                ("rules.blocked-domain.severity", &InputProblemKind::DuplicateKey),
            ]
        );
        // A stricter later value wins too; an unreadable one never beats a readable one.
        let (input, _) = PolicyInput::from_text(r#"{"severity": "warn", "severity": "block"}"#).unwrap();
        assert_eq!(input.value["severity"], "block");
        let (input, _) = PolicyInput::from_text(r#"{"severity": "block", "severity": "blok"}"#).unwrap();
        assert_eq!(input.value["severity"], "block");
        let (input, _) =
            PolicyInput::from_text(r#"{"internalDomains": ["a.example"], "internalDomains": []}"#).unwrap();
        assert_eq!(input.value["internalDomains"], json!([]));
    }

    #[test]
    fn a_number_json_cannot_hold_is_named_as_rust_names_it() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1.5] {
            let (mut path, mut problems) = ("x".to_string(), Vec::new());
            let node = Node { path: &mut path, problems: &mut problems };
            let value = Visitor::visit_f64::<serde_json::Error>(node, v).unwrap();
            match problems.as_slice() {
                [] => assert_eq!(value, json!(v)),
                [problem] => {
                    assert_eq!(value, Value::Null);
                    assert_eq!(problem.kind, InputProblemKind::NotFinite(v.to_string()));
                }
                more => panic!("{more:?}"),
            }
        }
    }
}
