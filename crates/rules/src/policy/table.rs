//! Objects of flags and whole numbers, read by a table instead of serde.
//!
//! The policy's `inspection` is such an object: each of its keys is a row of [`INSPECTION`],
//! with its name, its type, its range, what a value above the range does, and where the value
//! goes. One loop reads every row, so a key's range is written once, and the core wasm module
//! holds no serde reader of the object nor a check of each number by hand. The diagnostics are
//! those serde gave (the same sentences from [`super::wording::describe`], at the same paths),
//! followed by the range checks.
//!
//! Reading happens in the same two passes as the rest of the policy (see `load.rs`):
//! [`shape`] reports unknown keys and values of the wrong type and drops them, [`apply`]
//! checks the ranges of what is left and sets the policy.
//!
//! The table is the one source of the keys, their types, ranges and defaults (a default is
//! what [`Policy::default`] holds there); the schema's `RawInspection`, which exists only for
//! the JSON Schema, must say the same, which `tests::the_schema_says_what_the_table_does` holds.

use serde::de::{Error as _, Unexpected};
use serde_json::Value;

use super::wording::{describe, schema_hint};
use super::{Diagnostic, DiagnosticLevel, InspectionSettings, Policy};
use crate::i18n::Lang;

/// The JSON type of a key, as serde would read it (its type errors name these).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `true` or `false`.
    Flag,
    /// A whole number from 0 to 4294967295.
    U32,
    /// A whole number from 0 to 18446744073709551615.
    U64,
}

/// What a number above a key's maximum does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Above {
    /// It is an error, and the default applies.
    Error,
    /// It is a number of seconds: the maximum applies, with a warning (the admin asked for a
    /// long wait, and the longest serves that better than the default).
    ClampSeconds,
}

/// One key of an object read by a table.
pub(super) struct Row {
    /// The key, as the admin writes it.
    pub key: &'static str,
    /// Its JSON type.
    pub kind: Kind,
    /// The smallest value allowed.
    pub min: u64,
    /// The largest value allowed, when the type's own largest is not the limit.
    pub max: Option<u64>,
    /// What a value above `max` does.
    pub above: Above,
    /// The value the policy holds (a flag as 0 or 1): on [`Policy::default`], the default.
    pub get: fn(&Policy) -> u64,
    /// Sets the value (in range) in the policy.
    pub set: fn(&mut Policy, u64),
}

/// An object read by a table, or some keys of one.
pub(super) struct Table {
    /// Its path in the policy.
    pub path: &'static str,
    /// What serde's type error calls the object (`struct RawInspection`).
    pub expecting: &'static str,
    /// The object's keys that serde reads (empty when the table reads them all): named with the
    /// table's own when a key is unknown, and left to serde.
    pub others: &'static [&'static str],
    /// Its keys, in the order their ranges are checked and they are listed to the admin.
    pub rows: &'static [Row],
}

/// The policy's `inspection` (admin only).
pub(super) const INSPECTION: Table = Table {
    path: "inspection",
    expecting: "struct RawInspection",
    others: &[],
    rows: &[
        Row {
            key: "enabled",
            kind: Kind::Flag,
            min: 0,
            max: None,
            above: Above::Error,
            get: |p| u64::from(p.inspection.enabled),
            set: |p, v| p.inspection.enabled = v != 0,
        },
        Row {
            key: "maxBytes",
            kind: Kind::U64,
            min: 1,
            max: None,
            above: Above::Error,
            get: |p| p.inspection.limits.max_bytes,
            set: |p, v| p.inspection.limits.max_bytes = v,
        },
        Row {
            key: "maxRatio",
            kind: Kind::U64,
            min: 1,
            max: None,
            above: Above::Error,
            get: |p| p.inspection.limits.max_ratio,
            set: |p, v| p.inspection.limits.max_ratio = v,
        },
        Row {
            key: "maxExpandedBytes",
            kind: Kind::U64,
            min: 1,
            max: None,
            above: Above::Error,
            get: |p| p.inspection.limits.max_expanded_bytes,
            set: |p, v| p.inspection.limits.max_expanded_bytes = v,
        },
        Row {
            key: "maxTotalBytes",
            kind: Kind::U64,
            min: 1,
            max: None,
            above: Above::Error,
            get: |p| p.inspection.max_total_bytes,
            set: |p, v| p.inspection.max_total_bytes = v,
        },
        Row {
            key: "maxEntries",
            kind: Kind::U32,
            min: 1,
            max: None,
            above: Above::Error,
            get: |p| u64::from(p.inspection.limits.max_entries),
            // In range of a u32: `shape` read it as one.
            set: |p, v| p.inspection.limits.max_entries = v as u32,
        },
        Row {
            key: "maxDepth",
            kind: Kind::U32,
            min: 0,
            max: Some(InspectionSettings::MAX_DEPTH as u64),
            above: Above::Error,
            get: |p| u64::from(p.inspection.limits.max_depth),
            set: |p, v| p.inspection.limits.max_depth = v as u32,
        },
        Row {
            key: "timeoutSeconds",
            kind: Kind::U64,
            min: 1,
            max: Some(InspectionSettings::MAX_TIMEOUT_SECONDS),
            above: Above::ClampSeconds,
            get: |p| p.inspection.timeout_ms / 1000,
            set: |p, v| p.inspection.timeout_ms = v * 1000,
        },
    ],
};

/// `minRows` of `rules.attachment-personal-data`, whose `severity` and `when` serde reads as any
/// PII rule's: the rule needs no serde reader of its own in the core wasm module (issue #14).
pub(super) const PERSONAL_DATA: Table = Table {
    path: "rules.attachment-personal-data",
    expecting: "struct RawPersonalDataRule",
    others: &["severity", "when"],
    rows: &[Row {
        key: "minRows",
        kind: Kind::U64,
        min: 1,
        max: None,
        above: Above::Error,
        get: |p| p.content.personal_data_min_rows,
        set: |p, v| p.content.personal_data_min_rows = v,
    }],
};

/// Every table of the admin's policy.
pub(super) const TABLES: [&Table; 2] = [&INSPECTION, &PERSONAL_DATA];

/// Takes what `table` reads out of the policy `root`, for [`shape`] and [`apply`]: the whole
/// object (serde then sees `null`), or, when serde reads some of its keys, every other key (an
/// object that is not one stays, for serde to report).
pub(super) fn take(table: &Table, root: &mut Value) -> Value {
    let mut at = root;
    for key in table.path.split('.') {
        match at.get_mut(key) {
            Some(next) => at = next,
            None => return Value::Null,
        }
    }
    if table.others.is_empty() {
        return std::mem::take(at);
    }
    let Value::Object(map) = at else { return Value::Null };
    let mut taken = serde_json::Map::new();
    let keys: Vec<String> = map.keys().filter(|k| !table.others.contains(&k.as_str())).cloned().collect();
    for key in keys {
        if let Some(value) = map.remove(&key) {
            taken.insert(key, value);
        }
    }
    if taken.is_empty() {
        Value::Null
    } else {
        Value::Object(taken)
    }
}

/// Reads a value as a row's type; when it is not one, serde's own words for the error
/// (`invalid type: string "x", expected u64`), which a test holds equal to serde's.
fn read(kind: Kind, item: &Value) -> Result<u64, String> {
    let (value, expected) = match kind {
        Kind::Flag => (item.as_bool().map(u64::from), "a boolean"),
        Kind::U32 => (item.as_u64().filter(|&v| v <= u64::from(u32::MAX)), "u32"),
        Kind::U64 => (item.as_u64(), "u64"),
    };
    if let Some(value) = value {
        return Ok(value);
    }
    let found = unexpected(item);
    // serde calls a whole number out of an integer type's range an invalid value.
    let error = match found {
        Unexpected::Unsigned(_) | Unexpected::Signed(_) if kind != Kind::Flag => {
            serde_json::Error::invalid_value(found, &expected)
        }
        _ => serde_json::Error::invalid_type(found, &expected),
    };
    Err(error.to_string())
}

/// A value as serde's type errors name it.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (_, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// Reports what is not the table's (an unknown key, a value of the wrong type, a value that is
/// not an object) as serde did, and drops it (makes it `null`, which means the key is not set).
pub(super) fn shape(table: &Table, value: &mut Value, source: &'static str, lang: Lang, out: &mut Vec<Diagnostic>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            // The keys to drop, dropped after the loop: the map is read as everywhere else in
            // the loader, without a mutable iterator of its own.
            let mut dropped: Vec<String> = Vec::new();
            for (key, item) in map.iter() {
                let problem = match table.rows.iter().find(|row| row.key == key) {
                    None => {
                        // serde's words, from which `describe` takes the names.
                        let mut text = format!("unknown field `{key}`, expected one of ");
                        let keys = table.others.iter().copied().chain(table.rows.iter().map(|row| row.key));
                        for (i, name) in keys.enumerate() {
                            text.push_str(if i == 0 { "`" } else { ", `" });
                            text.push_str(name);
                            text.push('`');
                        }
                        text
                    }
                    Some(_) if item.is_null() => continue,
                    Some(row) => match read(row.kind, item) {
                        Ok(_) => continue,
                        Err(error) => error,
                    },
                };
                out.push(describe(&format!("{}.{key}", table.path), &problem, source, lang));
                dropped.push(key.clone());
            }
            for key in dropped {
                if let Some(item) = map.get_mut(&key) {
                    *item = Value::Null;
                }
            }
        }
        _ => {
            let error = serde_json::Error::invalid_type(unexpected(value), &table.expecting);
            out.push(describe(table.path, &error.to_string(), source, lang));
            *value = Value::Null;
        }
    }
}

/// Sets the policy from an object [`shape`] has read: a number out of its row's range is an
/// error and keeps the default, or is clamped with a warning (see [`Above`]).
pub(super) fn apply(
    table: &Table,
    value: &Value,
    policy: &mut Policy,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let Value::Object(map) = value else { return };
    for row in table.rows {
        let Some(item) = map.get(row.key) else { continue };
        let Some(value) = (if row.kind == Kind::Flag { item.as_bool().map(u64::from) } else { item.as_u64() }) else {
            continue;
        };
        let max = row.max.unwrap_or(u64::MAX);
        if (row.min..=max).contains(&value) {
            (row.set)(policy, value);
            continue;
        }
        let path = format!("{}.{}", table.path, row.key);
        if value > max && row.above == Above::ClampSeconds {
            out.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                source,
                path,
                message: lang.pick3(
                    format!("{value} 秒は長すぎます。{max} 秒として扱います。"),
                    format!("{value} seconds is too long; {max} seconds is used instead."),
                    format!("{value} 秒太长，将按 {max} 秒处理。"),
                ),
                hint: Some(lang.pick3(
                    format!("{} から {max} までの整数を書いてください。", row.min),
                    format!("Write a whole number from {} to {max}.", row.min),
                    format!("请填写 {} 到 {max} 之间的整数。", row.min),
                )),
            });
            (row.set)(policy, max);
            continue;
        }
        let min = row.min;
        let range = match row.max {
            Some(max) => {
                lang.pick3(format!("{min} から {max}"), format!("from {min} to {max}"), format!("{min} 到 {max}"))
            }
            None => lang.pick3(format!("{min} 以上"), format!("at least {min}"), format!("至少 {min}")),
        };
        let default = (row.get)(&Policy::default());
        out.push(Diagnostic {
            level: DiagnosticLevel::Error,
            source,
            path,
            message: lang.pick3(
                format!("{value} は使えません（{range}）。この値は無視され、既定値 {default} が使われます。"),
                format!("{value} cannot be used ({range}). This value is ignored and the default, {default}, applies."),
                format!("{value} 不可用（{range}）。此值将被忽略，使用默认值 {default}。"),
            ),
            hint: Some(schema_hint(lang).to_string()),
        });
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    /// The committed JSON Schema (`cargo xtask codegen`, from `raw::RawInspection`).
    const SCHEMA: &str = include_str!("../../../../extension/policies/schema.json");

    #[test]
    fn the_schema_says_what_the_table_does() {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap();
        let inspection = &schema["$defs"]["RawInspection"];
        assert_eq!(inspection["additionalProperties"], false);
        let properties = inspection["properties"].as_object().unwrap();
        let mut keys: Vec<&str> = INSPECTION.rows.iter().map(|row| row.key).collect();
        keys.sort_unstable();
        assert_eq!(properties.keys().map(String::as_str).collect::<Vec<_>>(), keys);
        let defaults = Policy::default();
        for row in INSPECTION.rows {
            let property = &properties[row.key];
            let (types, format) = match row.kind {
                Kind::Flag => (json!(["boolean", "null"]), Value::Null),
                Kind::U32 => (json!(["integer", "null"]), json!("uint32")),
                Kind::U64 => (json!(["integer", "null"]), json!("uint64")),
            };
            assert_eq!((&property["type"], &property["format"]), (&types, &format), "{}", row.key);
            let description = property["description"].as_str().unwrap();
            let default = (row.get)(&defaults);
            if row.kind == Kind::Flag {
                assert_eq!(property["minimum"], Value::Null, "{}", row.key);
                assert!(description.contains(&format!("Default: `{}`.", default == 1)), "{}: {description}", row.key);
                continue;
            }
            assert_eq!(property["minimum"], row.min, "{}", row.key);
            assert_eq!(property["maximum"], json!(row.max), "{}", row.key);
            let range = match row.max {
                Some(max) => format!("From {} to {max}.", row.min),
                None => format!("At least {}.", row.min),
            };
            assert!(description.contains(&range), "{}: {description}", row.key);
            assert!(description.contains(&format!("Default: {default}")), "{}: {description}", row.key);
        }
    }

    fn load(inspection: Value) -> super::super::LoadedPolicy {
        Policy::load(&json!({ "inspection": inspection }), Lang::En)
    }

    #[test]
    fn each_key_sets_its_setting_within_its_range_and_keeps_the_default_outside() {
        let defaults = Policy::default();
        for row in INSPECTION.rows.iter().filter(|row| row.kind != Kind::Flag) {
            let path = format!("inspection.{}", row.key);
            for value in [row.min, row.max.unwrap_or(row.min + 7)] {
                let loaded = load(json!({ row.key: value }));
                assert_eq!(loaded.diagnostics, vec![], "{path} {value}");
                assert_eq!((row.get)(&loaded.policy), value, "{path}");
            }
            let above = match (row.max, row.kind) {
                (Some(max), _) => Some(max + 1),
                (None, Kind::U32) => Some(u64::from(u32::MAX) + 1),
                _ => None,
            };
            let outside: Vec<u64> = row.min.checked_sub(1).into_iter().chain(above).collect();
            assert!(!outside.is_empty(), "{path}");
            for value in outside {
                let loaded = load(json!({ row.key: value }));
                let [d] = &loaded.diagnostics[..] else { panic!("{path} {value}: {:?}", loaded.diagnostics) };
                assert_eq!(d.path, path);
                if value > row.min && row.above == Above::ClampSeconds {
                    assert_eq!(d.level, DiagnosticLevel::Warning);
                    assert_eq!(d.message, format!("{value} seconds is too long; 60 seconds is used instead."));
                    assert_eq!((row.get)(&loaded.policy), 60);
                    continue;
                }
                assert_eq!(d.level, DiagnosticLevel::Error, "{path} {value}");
                assert!(loaded.policy.degraded);
                assert_eq!((row.get)(&loaded.policy), (row.get)(&defaults), "{path} {value}");
                if row.kind == Kind::U64 || value <= u64::from(u32::MAX) {
                    let default = (row.get)(&defaults);
                    assert!(d.message.starts_with(&format!("{value} cannot be used (")), "{d:?}");
                    assert!(d.message.ends_with(&format!("the default, {default}, applies.")), "{d:?}");
                } else {
                    // Over a u32: a type error, in serde's words.
                    assert!(d.hint.as_deref().unwrap().ends_with("expected u32]"), "{d:?}");
                }
            }
        }
        let loaded = load(json!({"enabled": false}));
        assert_eq!((loaded.diagnostics.len(), loaded.policy.inspection.enabled), (0, false));
    }

    /// The diagnostics (path, level, message) of a policy with this `attachment-personal-data`.
    fn personal(rule: Value) -> (super::super::LoadedPolicy, Vec<(String, DiagnosticLevel, String)>) {
        let policy = json!({ "rules": { "attachment-personal-data": rule } });
        let loaded = Policy::load(&policy, Lang::En);
        let said = loaded.diagnostics.iter().map(|d| (d.path.clone(), d.level, d.message.clone())).collect();
        (loaded, said)
    }

    #[test]
    fn min_rows_is_read_by_its_table_beside_the_keys_serde_reads() {
        let (loaded, said) = personal(json!({"severity": "block", "when": "always", "minRows": 20}));
        assert_eq!(said, vec![]);
        let content = &loaded.policy.content;
        assert_eq!((content.personal_data_min_rows, content.personal_data_when), (20, super::super::When::Always));
        assert_eq!(loaded.policy.rules.severity(crate::Code::AttachmentPersonalData), super::super::Severity::Block);
        assert_eq!(loaded.policy.inspection_limits().min_rows, 20);
        // Out of range: an error at its path, and the default.
        let (loaded, said) = personal(json!({"minRows": 0, "severity": "info"}));
        let path = "rules.attachment-personal-data.minRows".to_string();
        let message = "0 cannot be used (at least 1). This value is ignored and the default, 10, applies.";
        assert_eq!(said, vec![(path.clone(), DiagnosticLevel::Error, message.to_string())]);
        assert_eq!(loaded.policy.content.personal_data_min_rows, 10);
        assert_eq!(loaded.policy.rules.severity(crate::Code::AttachmentPersonalData), super::super::Severity::Info);
        // The wrong type, in serde's words; the other keys still apply.
        let (loaded, said) = personal(json!({"minRows": "20", "when": "always"}));
        assert_eq!(said.iter().map(|d| (&d.0, d.1)).collect::<Vec<_>>(), [(&path, DiagnosticLevel::Error)]);
        assert_eq!(loaded.policy.content.personal_data_when, super::super::When::Always);
        // An unknown key names every key of the rule, serde's and the table's, once.
        let (_, said) = personal(json!({"minRow": 20, "severity": "warn"}));
        let [(path, level, message)] = &said[..] else { panic!("{said:?}") };
        assert_eq!((path.as_str(), *level), ("rules.attachment-personal-data.minRow", DiagnosticLevel::Error));
        let loaded = Policy::load(&json!({"rules": {"attachment-personal-data": {"minRow": 20}}}), Lang::En);
        let hint = loaded.diagnostics[0].hint.clone().unwrap_or_default();
        assert!(hint.contains("minRows") && hint.contains("severity") && hint.contains("when"), "{message} / {hint}");
        // serde's own errors for the keys it reads, and for a rule that is no object, are unchanged.
        let (_, said) = personal(json!({"severity": "loud", "minRows": 5}));
        assert_eq!(said.iter().map(|d| d.0.as_str()).collect::<Vec<_>>(), ["rules.attachment-personal-data.severity"]);
        let (_, said) = personal(json!(5));
        assert_eq!(said.iter().map(|d| d.0.as_str()).collect::<Vec<_>>(), ["rules.attachment-personal-data"]);
        assert!(said[0].2.contains('{'), "{said:?}");
    }

    #[test]
    fn type_errors_are_serdes_own() {
        let values = [
            json!(true),
            json!(0),
            json!(7),
            json!(u32::MAX),
            json!(u64::from(u32::MAX) + 1),
            json!(u64::MAX),
            json!(-1),
            json!(i64::MIN),
            json!(1.5),
            json!(-2.0),
            json!(1e300),
            json!("x"),
            json!(""),
            json!([1]),
            json!({"a": 1}),
        ];
        for value in &values {
            let serde = [
                bool::deserialize(value).map(u64::from),
                u32::deserialize(value).map(u64::from),
                u64::deserialize(value),
            ];
            for (kind, serde) in [Kind::Flag, Kind::U32, Kind::U64].into_iter().zip(serde) {
                assert_eq!(read(kind, value), serde.map_err(|e| e.to_string()), "{kind:?} {value}");
            }
        }
    }

    #[test]
    fn unknown_keys_and_wrong_types_are_errors_in_serdes_words() {
        let loaded = load(json!({"maxByte": 5, "enabled": "no", "maxDepth": -1, "maxBytes": 1.5, "maxRatio": null}));
        let got: Vec<(&str, &str, Option<&str>)> =
            loaded.diagnostics.iter().map(|d| (d.path.as_str(), d.message.as_str(), d.hint.as_deref())).collect();
        let schema =
            "See the schema for this key's type (misend-guard policy schema, or schema.json in the playground).";
        assert_eq!(
            got,
            [
                (
                    "inspection.enabled",
                    "the string \"no\" is here, but true or false is needed. This key is ignored.",
                    Some(format!("{schema} [invalid type: string \"no\", expected a boolean]").as_str())
                ),
                (
                    "inspection.maxByte",
                    "unknown key \"maxByte\". This key is ignored.",
                    Some(
                        "Did you mean \"maxBytes\"? Allowed: enabled, maxBytes, maxRatio, maxExpandedBytes, \
                         maxTotalBytes, maxEntries, maxDepth, timeoutSeconds"
                    )
                ),
                (
                    "inspection.maxBytes",
                    "the number 1.5 is here, but a whole number, 0 or more is needed. This key is ignored.",
                    Some(format!("{schema} [invalid type: floating point `1.5`, expected u64]").as_str())
                ),
                (
                    "inspection.maxDepth",
                    "the number -1 is here, but a whole number, 0 or more is needed. This key is ignored.",
                    Some(format!("{schema} [invalid value: integer `-1`, expected u32]").as_str())
                ),
            ]
        );
        assert_eq!(loaded.policy.inspection, InspectionSettings::default());
        for (value, found) in [(json!(5), "integer `5`"), (json!([]), "sequence"), (json!("x"), "string \"x\"")] {
            let loaded = load(value);
            let [d] = &loaded.diagnostics[..] else { panic!("{found}: {:?}", loaded.diagnostics) };
            assert_eq!((d.path.as_str(), d.level), ("inspection", DiagnosticLevel::Error));
            assert!(d
                .hint
                .as_deref()
                .unwrap()
                .ends_with(&format!("[invalid type: {found}, expected struct RawInspection]")));
        }
        assert_eq!(load(Value::Null).diagnostics, vec![]);
    }
}
