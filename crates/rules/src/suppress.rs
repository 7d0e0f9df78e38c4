//! Suppressions: `ignore.kubeward.io/<rule>` annotations and `suppressions:` config entries.
//!
//! A suppression needs a reason; it may carry an expiry date. A suppressed finding stays in the results,
//! marked suppressed. An expired suppression no longer applies and is itself a finding (KW008); one that
//! matched nothing is an info finding (KW009) so stale exceptions get cleaned up; a malformed one (no
//! reason, unknown rule, bad date) is a finding (KW007) and does not apply.

use std::collections::HashMap;

use kubeward_diagnostics::{Finding, Location, ObjectRef, Suppression, SuppressionSource};
use kubeward_model::{Inventory, Object};
use kubeward_source::Node;

use crate::date::Date;
use crate::registry::{self, RuleMeta};
use crate::settings::Settings;

/// The annotation prefix: `ignore.kubeward.io/POD001: "reason"`.
pub const ANNOTATION_PREFIX: &str = "ignore.kubeward.io/";

struct AnnotationSuppression {
    rule: &'static str,
    reason: String,
    expires: Option<Date>,
    location: Location,
    object: ObjectRef,
    used: bool,
}

/// Parses `[until=YYYY-MM-DD;] reason`.
fn parse_value(value: &str) -> Result<(Option<Date>, String), String> {
    let value = value.trim();
    let (expires, reason) = match value.strip_prefix("until=") {
        Some(rest) => {
            let (date, reason) = rest.split_once(';').unwrap_or((rest, ""));
            let date = Date::parse(date)
                .ok_or_else(|| format!("`until={}` is not a valid YYYY-MM-DD date", date.trim()))?;
            (Some(date), reason.trim())
        }
        None => (None, value),
    };
    if reason.is_empty() {
        return Err("a suppression needs a reason".into());
    }
    Ok((expires, reason.to_string()))
}

pub(crate) fn apply(findings: &mut Vec<Finding>, inventory: &Inventory, settings: &Settings) {
    let mut engine_findings = Vec::new();
    let mut by_object: HashMap<ObjectRef, Vec<AnnotationSuppression>> = HashMap::new();
    for object in inventory.objects() {
        collect_annotations(object, settings, &mut by_object, &mut engine_findings);
    }
    let mut config_used = vec![false; settings.suppressions.len()];

    for finding in findings.iter_mut() {
        let Some(object) = finding.object.clone() else {
            continue;
        };
        if let Some(list) = by_object.get_mut(&object)
            && let Some(s) = list.iter_mut().find(|s| s.rule == finding.rule_id)
        {
            s.used = true;
            if s.expires.is_some_and(|d| d < settings.today) {
                continue;
            }
            finding.suppression = Some(Suppression {
                source: SuppressionSource::Annotation,
                reason: s.reason.clone(),
                expires: s.expires.map(|d| d.to_string()),
            });
            continue;
        }
        for (i, s) in settings.suppressions.iter().enumerate() {
            if !config_matches(s, finding.rule_id, &object) {
                continue;
            }
            config_used[i] = true;
            if s.expires.is_some_and(|d| d < settings.today) {
                continue;
            }
            finding.suppression = Some(Suppression {
                source: SuppressionSource::Config,
                reason: s.reason.clone(),
                expires: s.expires.map(|d| d.to_string()),
            });
            break;
        }
    }

    for list in by_object.into_values() {
        for s in list {
            if let Some(expires) = s.expires.filter(|d| *d < settings.today)
                && s.used
            {
                engine_findings.push(engine_finding(
                    "KW008",
                    format!(
                        "suppression of {} expired on {expires}; the finding is reported again",
                        s.rule
                    ),
                    Some(s.location),
                    Some(s.object),
                ));
                continue;
            }
            let enabled = registry::meta(s.rule).is_some_and(|m| settings.selection.is_enabled(m));
            if !s.used && enabled {
                engine_findings.push(engine_finding(
                    "KW009",
                    format!("suppression of {} matches no finding; remove it", s.rule),
                    Some(s.location),
                    Some(s.object),
                ));
            }
        }
    }
    for (s, used) in settings.suppressions.iter().zip(config_used) {
        let location = s.location.map(|(source, span)| Location { source, span });
        if let Some(expires) = s.expires.filter(|d| *d < settings.today)
            && used
        {
            engine_findings.push(engine_finding(
                    "KW008",
                    format!(
                        "configured suppression of `{}` expired on {expires}; its findings are reported again",
                        s.selector
                    ),
                    location,
                    None,
                ));
            continue;
        }
        let enabled = s
            .rules
            .iter()
            .any(|id| registry::meta(id).is_some_and(|m| settings.selection.is_enabled(m)));
        if !used && enabled {
            engine_findings.push(engine_finding(
                "KW009",
                format!(
                    "configured suppression of `{}` matches no finding; remove it",
                    s.selector
                ),
                location,
                None,
            ));
        }
    }
    engine_findings
        .retain(|f| registry::meta(f.rule_id).is_some_and(|m| settings.selection.is_enabled(m)));
    findings.extend(engine_findings);
}

fn collect_annotations(
    object: &Object,
    settings: &Settings,
    by_object: &mut HashMap<ObjectRef, Vec<AnnotationSuppression>>,
    engine_findings: &mut Vec<Finding>,
) {
    for entry in object.annotations().into_iter().flat_map(Node::entries) {
        let Some(rule_key) = entry.key.strip_prefix(ANNOTATION_PREFIX) else {
            continue;
        };
        let location = object.location(&entry.value);
        let rule = registry::find(rule_key);
        let parsed = entry
            .value
            .as_str()
            .ok_or_else(|| "the annotation value must be a string".to_string())
            .and_then(parse_value);
        match (rule, parsed) {
            (None, _) => {
                let hint = crate::selection::suggest(rule_key)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                engine_findings.push(engine_finding(
                    "KW007",
                    format!(
                        "suppression names unknown rule `{rule_key}`{hint}; it suppresses nothing"
                    ),
                    Some(object.location(&Node::new(kubeward_source::Value::Null, entry.key_span))),
                    Some(object.reference.clone()),
                ));
            }
            (Some(rule), Err(problem)) => engine_findings.push(engine_finding(
                "KW007",
                format!(
                    "suppression of {}: {problem}; it suppresses nothing",
                    rule.meta.id
                ),
                Some(location),
                Some(object.reference.clone()),
            )),
            (Some(rule), Ok((expires, reason))) => {
                by_object.entry(object.reference.clone()).or_default().push(
                    AnnotationSuppression {
                        rule: rule.meta.id,
                        reason,
                        expires,
                        location,
                        object: object.reference.clone(),
                        used: false,
                    },
                );
            }
        }
    }
    let _ = settings;
}

fn config_matches(s: &crate::settings::ConfigSuppression, rule: &str, object: &ObjectRef) -> bool {
    s.rules.contains(&rule)
        && s.kind.as_deref().is_none_or(|k| k == object.kind)
        && s.namespace
            .as_ref()
            .is_none_or(|g| object.namespace.as_deref().is_some_and(|ns| g.is_match(ns)))
        && s.name.as_ref().is_none_or(|g| g.is_match(&object.name))
}

pub(crate) fn engine_finding(
    id: &str,
    message: String,
    location: Option<Location>,
    object: Option<ObjectRef>,
) -> Finding {
    let meta: &'static RuleMeta =
        registry::meta(id).unwrap_or(&crate::rules::kw::invalid_suppression::RULE);
    Finding {
        rule_id: meta.id,
        rule_name: meta.name,
        severity: meta.severity,
        message,
        location,
        object,
        fix: None,
        suppression: None,
        sensitive: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotation_values() {
        assert_eq!(
            parse_value("vendor agent").unwrap(),
            (None, "vendor agent".into())
        );
        let (d, r) = parse_value("until=2027-01-31; migrating, SEC-1").unwrap();
        assert_eq!(d.unwrap().to_string(), "2027-01-31");
        assert_eq!(r, "migrating, SEC-1");
        assert!(parse_value("").is_err());
        assert!(parse_value("until=2027-01-31").is_err());
        assert!(parse_value("until=2027-02-31; x").is_err());
    }
}
