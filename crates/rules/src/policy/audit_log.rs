//! The policy's `auditLog`: whether the add-on keeps a local record of each confirmation,
//! for how long, and whether with the subject.
//!
//! The admin's values apply first; a person's own settings may only record more (turn the
//! record or its subjects on, keep entries longer), because the record is what an admin reads
//! after an incident and a person must not be able to erase it by a setting.

use super::raw::RawAuditLog;
use super::{AuditLogSettings, Diagnostic, DiagnosticLevel};
use crate::i18n::Lang;

/// `auditLog.retentionDays` when it is in range; otherwise a diagnostic at its path.
fn retention_days(
    raw: &RawAuditLog,
    level: DiagnosticLevel,
    source: &'static str,
    lang: Lang,
) -> Result<Option<u32>, Diagnostic> {
    let Some(days) = raw.retention_days else { return Ok(None) };
    let max = AuditLogSettings::MAX_RETENTION_DAYS;
    if (1..=max).contains(&days) {
        return Ok(Some(days));
    }
    Err(Diagnostic {
        level,
        source,
        path: "auditLog.retentionDays".to_string(),
        message: lang.pick3(
            format!("{days} 日は使えません（1 から {max}）。この値は無視されます。"),
            format!("{days} days cannot be used (from 1 to {max}). This value is ignored."),
            format!("{days} 天不可用（1 到 {max}）。此值将被忽略。"),
        ),
        hint: Some(lang.pick3(
            format!("1 から {max} までの整数（日数）を書いてください。既定値は 90 です。"),
            format!("Write a whole number of days from 1 to {max}. The default is 90."),
            format!("请填写 1 到 {max} 之间的整数（天数）。默认值为 90。"),
        )),
    })
}

/// Applies the admin's `auditLog`: a retention out of range is an error and keeps the default.
pub(super) fn apply_admin(
    raw: &RawAuditLog,
    settings: &mut AuditLogSettings,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(enabled) = raw.enabled {
        settings.enabled = enabled;
    }
    if let Some(subjects) = raw.subjects {
        settings.subjects = subjects;
    }
    match retention_days(raw, DiagnosticLevel::Error, source, lang) {
        Ok(Some(days)) => settings.retention_days = days,
        Ok(None) => {}
        Err(diagnostic) => out.push(diagnostic),
    }
}

/// Merges a person's `auditLog` over the admin's: only towards recording more. Anything that
/// would record less is a warning at its path and is ignored.
pub(super) fn merge_user(
    raw: &RawAuditLog,
    settings: &mut AuditLogSettings,
    source: &'static str,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let refused = |key: &str, lang: Lang| Diagnostic {
        level: DiagnosticLevel::Warning,
        source,
        path: format!("auditLog.{key}"),
        message: lang.pick3(
            format!("管理者の設定により、{key} を無効にすることはできません。管理者の設定のままです。"),
            format!("{key} cannot be turned off: your administrator turned it on, and it stays on."),
            format!("管理员已开启 {key}，不能将其关闭，将保持管理员的设置。"),
        ),
        hint: Some(
            lang.pick3(
                "確認記録は、記録を増やす方向にだけ変えられます。",
                "You can only make the confirmation record keep more, never less.",
                "确认记录只能调整为记录更多，不能更少。",
            )
            .to_string(),
        ),
    };
    for (key, wanted, current) in
        [("enabled", raw.enabled, &mut settings.enabled), ("subjects", raw.subjects, &mut settings.subjects)]
    {
        match wanted {
            Some(true) => *current = true,
            Some(false) if *current => out.push(refused(key, lang)),
            _ => {}
        }
    }
    match retention_days(raw, DiagnosticLevel::Warning, source, lang) {
        Ok(Some(days)) if days >= settings.retention_days => settings.retention_days = days,
        Ok(Some(days)) => {
            let current = settings.retention_days;
            out.push(Diagnostic {
                level: DiagnosticLevel::Warning,
                source,
                path: "auditLog.retentionDays".to_string(),
                message: lang.pick3(
                    format!(
                        "保存期間を {current} 日から {days} 日に短くすることはできません。{current} 日のままです。"
                    ),
                    format!(
                        "the retention cannot be shortened from {current} to {days} days; it stays {current} days."
                    ),
                    format!("保存期限不能从 {current} 天缩短为 {days} 天，将保持 {current} 天。"),
                ),
                hint: Some(lang.pick3(
                    format!("{current} 日以上を書いてください。"),
                    format!("Write {current} days or more."),
                    format!("请填写 {current} 天或更长。"),
                )),
            });
        }
        Ok(None) => {}
        Err(diagnostic) => out.push(diagnostic),
    }
}

#[cfg(test)]
mod tests {
    use crate::i18n::Lang;
    use crate::policy::{AuditLogSettings, DiagnosticLevel, Policy};
    use serde_json::{json, Value};

    fn paths(admin: &Value, user: &Value) -> (AuditLogSettings, Vec<(String, &'static str, DiagnosticLevel)>) {
        let loaded = Policy::load_with_user(admin, user, Lang::En);
        let paths = loaded.diagnostics.iter().map(|d| (d.path.clone(), d.source, d.level)).collect();
        (loaded.policy.audit_log, paths)
    }

    #[test]
    fn the_record_is_off_by_default() {
        let (settings, diagnostics) = paths(&json!({}), &Value::Null);
        assert_eq!(settings, AuditLogSettings { enabled: false, retention_days: 90, subjects: false });
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn the_admin_turns_it_on_with_a_retention_and_subjects() {
        let (settings, diagnostics) =
            paths(&json!({"auditLog": {"enabled": true, "retentionDays": 30, "subjects": true}}), &Value::Null);
        assert_eq!(settings, AuditLogSettings { enabled: true, retention_days: 30, subjects: true });
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn a_retention_out_of_range_is_an_error_at_its_path_and_keeps_the_default() {
        for days in [0, 3651, 100_000] {
            let loaded = Policy::load(&json!({"auditLog": {"enabled": true, "retentionDays": days}}), Lang::Ja);
            assert_eq!(loaded.policy.audit_log.retention_days, 90);
            assert!(loaded.policy.audit_log.enabled, "the valid parts still apply");
            assert!(loaded.policy.degraded);
            let d = &loaded.diagnostics[0];
            assert_eq!((d.path.as_str(), d.level), ("auditLog.retentionDays", DiagnosticLevel::Error));
            assert!(d.message.contains("日"), "{}", d.message);
        }
        let loaded = Policy::load(&json!({"auditLog": {"retentionDays": 3650}}), Lang::En);
        assert_eq!((loaded.policy.audit_log.retention_days, loaded.diagnostics.len()), (3650, 0));
    }

    #[test]
    fn wrong_types_and_unknown_keys_are_errors_at_their_paths() {
        for (policy, path) in [
            (json!({"auditLog": {"enabled": "yes"}}), "auditLog.enabled"),
            (json!({"auditLog": {"retentionDays": -1}}), "auditLog.retentionDays"),
            (json!({"auditLog": {"retentionDays": 1.5}}), "auditLog.retentionDays"),
            (json!({"auditLog": {"subject": true}}), "auditLog.subject"),
            (json!({"auditLog": true}), "auditLog"),
        ] {
            let loaded = Policy::load(&policy, Lang::En);
            let found: Vec<&str> = loaded.diagnostics.iter().map(|d| d.path.as_str()).collect();
            assert_eq!(found, [path], "{policy}");
            assert_eq!(loaded.diagnostics[0].level, DiagnosticLevel::Error);
        }
    }

    #[test]
    fn a_person_may_record_more() {
        let (settings, diagnostics) =
            paths(&json!({}), &json!({"auditLog": {"enabled": true, "retentionDays": 365, "subjects": true}}));
        assert_eq!(settings, AuditLogSettings { enabled: true, retention_days: 365, subjects: true });
        assert!(diagnostics.is_empty());
        let (settings, _) = paths(
            &json!({"auditLog": {"enabled": true, "retentionDays": 30}}),
            &json!({"auditLog": {"retentionDays": 60}}),
        );
        assert_eq!(settings.retention_days, 60);
    }

    #[test]
    fn a_person_may_not_record_less() {
        let admin = json!({"auditLog": {"enabled": true, "retentionDays": 180, "subjects": true}});
        let (settings, diagnostics) =
            paths(&admin, &json!({"auditLog": {"enabled": false, "retentionDays": 7, "subjects": false}}));
        assert_eq!(settings, AuditLogSettings { enabled: true, retention_days: 180, subjects: true });
        let mut found: Vec<&str> = diagnostics.iter().map(|(p, _, _)| p.as_str()).collect();
        found.sort();
        assert_eq!(found, ["auditLog.enabled", "auditLog.retentionDays", "auditLog.subjects"]);
        assert!(diagnostics.iter().all(|(_, source, level)| *source == "user" && *level == DiagnosticLevel::Warning));
        // Below the default is shorter too, when the admin says nothing.
        let (settings, diagnostics) = paths(&json!({}), &json!({"auditLog": {"retentionDays": 30}}));
        assert_eq!((settings.retention_days, diagnostics.len()), (90, 1));
    }

    #[test]
    fn a_persons_bad_values_are_warnings_at_their_paths() {
        let (settings, diagnostics) = paths(&json!({}), &json!({"auditLog": {"retentionDays": 0, "enabled": 3}}));
        assert_eq!(settings, AuditLogSettings::default());
        let mut found: Vec<&str> = diagnostics.iter().map(|(p, _, _)| p.as_str()).collect();
        found.sort();
        assert_eq!(found, ["auditLog.enabled", "auditLog.retentionDays"]);
        assert!(diagnostics.iter().all(|(_, source, level)| *source == "user" && *level == DiagnosticLevel::Warning));
    }
}
