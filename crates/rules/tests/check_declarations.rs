//! What every check's declaration promises, for every check at once: its severity can be set
//! from the policy, its example policy is a valid policy, and its texts exist in every language.
//! A check added by the three-step recipe of ARCHITECTURE.md is covered here without a new line.

use misend_guard_rules::{Code, Lang, Policy, Severity};
use serde_json::json;

#[test]
fn every_code_takes_its_severity_from_the_policy() {
    for &code in Code::ALL {
        for severity in Severity::ALL {
            let policy = json!({"rules": {code.as_str(): {"severity": severity.as_str()}}});
            let loaded = Policy::load(&policy, Lang::En);
            assert_eq!(loaded.diagnostics, vec![], "{policy}");
            assert_eq!(loaded.policy.rules.severity(code), severity, "{policy}");
            for &other in Code::ALL.iter().filter(|&&c| c != code) {
                assert_eq!(
                    loaded.policy.rules.severity(other),
                    other.info().default_severity,
                    "{other:?} under {policy}"
                );
            }
        }
    }
}

#[test]
fn every_example_policy_loads_without_diagnostics() {
    for &code in Code::ALL {
        let example = code.example_policy();
        let loaded = Policy::load_text(example, Lang::En);
        assert_eq!(loaded.diagnostics, vec![], "the example policy of {} is {example}", code.as_str());
    }
}

#[test]
fn every_summary_is_written_in_every_language() {
    for &code in Code::ALL {
        let summaries: Vec<&str> = Lang::ALL.iter().map(|&lang| code.summary(lang)).collect();
        for (lang, text) in Lang::ALL.iter().zip(&summaries) {
            assert!(!text.trim().is_empty(), "{code:?} has no {lang:?} summary");
        }
        // Three languages, three texts: a summary copied into another language is a missing translation.
        assert_ne!(summaries[0], summaries[1], "{code:?}");
        assert_ne!(summaries[1], summaries[2], "{code:?}");
        assert_ne!(summaries[0], summaries[2], "{code:?}");
    }
}
