//! Runs every rule fixture (`fixtures/<ID>/fail_*.yaml` must report the rule, `pass_*.yaml` must not),
//! snapshots the findings, and checks fix invariants: applying a rule's fixes converges and the rule no
//! longer fires on the fixed objects. A folder may hold `settings.yaml` (configuration) and `today` (the
//! date to judge on, for rules about release calendars).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use kubeward_diagnostics::{Finding, ObjectRef};
use kubeward_rules::config;
use kubeward_rules::date::Date;
use kubeward_rules::registry::{self, Check, FixAvailability};
use kubeward_rules::{Selection, Settings, scan_loaded};
use kubeward_source::{Limits, load_text};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The date fixtures are judged on: 2026-11-24, or the date in the folder's `today` file (rules about
/// release calendars need a day inside a support window).
fn today_for(dir: &Path) -> Date {
    let text = std::fs::read_to_string(dir.join("today")).unwrap_or_else(|_| "2026-11-24".into());
    Date::parse(text.trim()).unwrap()
}

/// Settings for a fixture folder: only its rule (all rules for KW rules, which are about other
/// rules' findings), options from an optional `settings.yaml`, a fixed date.
fn settings_for(rule_id: &str, dir: &Path) -> Settings {
    let base = match std::fs::read_to_string(dir.join("settings.yaml")) {
        Ok(text) => config::parse("settings.yaml", &dir.join("settings.yaml"), text)
            .unwrap()
            .settings(&[], &[], None)
            .unwrap(),
        Err(_) => Settings::default(),
    };
    let select = if rule_id.starts_with("KW") {
        "ALL"
    } else {
        rule_id
    };
    Settings {
        selection: Selection::resolve(&[select.to_string()], &[], &base.options).unwrap(),
        today: today_for(dir),
        ..base
    }
}

fn scan(name: &str, text: &str, settings: &Settings) -> kubeward_rules::Scan {
    scan_loaded(
        load_text(name, text.to_string(), &Limits::default()),
        settings,
    )
}

fn render(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|f| {
            let loc = f
                .location
                .map(|l| format!("{}:{}", l.span.start.line, l.span.start.col + 1))
                .unwrap_or_default();
            let obj = f.object.as_ref().map(|o| o.to_string()).unwrap_or_default();
            let fix = f
                .fix
                .as_ref()
                .map(|x| {
                    let edits: Vec<String> = x
                        .edits
                        .iter()
                        .map(|e| serde_json::to_string(e).unwrap())
                        .collect();
                    format!(
                        "\n    fix ({:?}): {} {}",
                        x.applicability,
                        x.title,
                        edits.join(" ")
                    )
                })
                .unwrap_or_default();
            let sup = f
                .suppression
                .as_ref()
                .map(|s| format!(" [suppressed: {}]", s.reason))
                .unwrap_or_default();
            format!(
                "{} {loc} {obj} {}: {}{sup}{fix}",
                f.rule_id, f.severity, f.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_fixture() {
    let mut failures = Vec::new();
    for rule in registry::RULES {
        let dir = fixtures_dir().join(rule.meta.id);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
        files.sort();
        let settings = settings_for(rule.meta.id, &dir);
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if !(name.starts_with("fail_") || name.starts_with("pass_")) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let result = scan(&name, &text, &settings);
            let own: Vec<&Finding> = result
                .result
                .findings
                .iter()
                .filter(|f| f.rule_id == rule.meta.id)
                .collect();
            let unsuppressed = own.iter().filter(|f| !f.is_suppressed()).count();
            if name.starts_with("fail_") && unsuppressed == 0 {
                failures.push(format!(
                    "{}/{name}: expected {} to fire",
                    rule.meta.id, rule.meta.id
                ));
            }
            if name.starts_with("pass_") && unsuppressed != 0 {
                failures.push(format!(
                    "{}/{name}: expected no {} but got:\n{}",
                    rule.meta.id,
                    rule.meta.id,
                    render(&own)
                ));
            }
            for f in &own {
                if rule.meta.fix == FixAvailability::None && f.fix.is_some() {
                    failures.push(format!(
                        "{}/{name}: rule declares no fix but offers one",
                        rule.meta.id
                    ));
                }
                if rule.meta.fix == FixAvailability::Always && f.fix.is_none() {
                    failures.push(format!(
                        "{}/{name}: rule declares fixes always but one finding has none",
                        rule.meta.id
                    ));
                }
            }
            let snapshot_name = format!("{}__{}", rule.meta.id, name.trim_end_matches(".yaml"));
            insta::with_settings!({snapshot_path => "../fixtures/snapshots", prepend_module_to_snapshot => false, omit_expression => true}, {
                insta::assert_snapshot!(snapshot_name, render(&own));
            });
            if name.starts_with("fail_")
                && rule.meta.fix != FixAvailability::None
                && let Err(e) = fixes_converge(rule.meta.id, &text, &settings)
            {
                failures.push(format!("{}/{name}: {e}", rule.meta.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Applies every fix of `rule` to the objects as JSON, re-scans, and repeats until the rule stops
/// firing on fixable findings. Fails if a round does not reduce the count or the fixed text breaks.
fn fixes_converge(rule: &str, text: &str, settings: &Settings) -> Result<(), String> {
    let mut current = text.to_string();
    let mut previous = usize::MAX;
    for _round in 0..10 {
        let result = scan("fixed.yaml", &current, settings);
        if result.incomplete && current != text {
            return Err("fixed output no longer parses".into());
        }
        let fixable: Vec<&Finding> = result
            .result
            .findings
            .iter()
            .filter(|f| f.rule_id == rule && f.fix.is_some() && !f.is_suppressed())
            .collect();
        if fixable.is_empty() {
            return Ok(());
        }
        if fixable.len() >= previous {
            return Err(format!(
                "fixes do not converge: {} findings remain\n{}",
                fixable.len(),
                render(&fixable)
            ));
        }
        previous = fixable.len();
        let mut items = Vec::new();
        for object in result.inventory.objects() {
            let mut json = object.root.to_json();
            for f in fixable
                .iter()
                .filter(|f| f.object.as_ref() == Some(&object.reference))
            {
                for edit in &f.fix.as_ref().unwrap().edits {
                    if !edit.apply_to_json(&mut json) {
                        return Err(format!("edit {} does not apply", edit.pointer()));
                    }
                }
            }
            items.push(json);
        }
        current = serde_json::to_string_pretty(
            &serde_json::json!({"apiVersion": "v1", "kind": "List", "items": items}),
        )
        .unwrap();
    }
    Err("fixes did not converge in 10 rounds".into())
}

#[test]
fn doc_examples_fire_and_use_instead_does_not() {
    let mut failures = Vec::new();
    for rule in registry::RULES {
        let mut settings = settings_for("KW", Path::new("/nonexistent"));
        settings.options.allowed_registries = vec!["registry.example.com".into()];
        // Every rule, opt-in ones included: each example is about its own rule.
        settings.selection =
            Selection::resolve(&["ALL".to_string()], &[], &settings.options).unwrap();
        settings.today = today_for(&fixtures_dir().join(rule.meta.id));
        for (heading, should_fire) in [("Example", true), ("Use instead", false)] {
            for example in rule.meta.yaml_examples(heading) {
                let result = scan("example.yaml", &example, &settings);
                let fired = result
                    .result
                    .findings
                    .iter()
                    .any(|f| f.rule_id == rule.meta.id);
                if fired != should_fire {
                    failures.push(format!(
                        "{} `{heading}` example: fired={fired}",
                        rule.meta.id
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_checked_rule_has_fail_and_pass_fixtures() {
    for rule in registry::RULES {
        let dir = fixtures_dir().join(rule.meta.id);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|d| {
                d.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let needs =
            !matches!(rule.check, Check::Engine) || !rule.meta.yaml_examples("Example").is_empty();
        if needs {
            assert!(
                names.iter().any(|n| n.starts_with("fail_")),
                "{} has no fail_ fixture",
                rule.meta.id
            );
            assert!(
                names.iter().any(|n| n.starts_with("pass_")),
                "{} has no pass_ fixture",
                rule.meta.id
            );
        }
    }
}

#[test]
fn suppressed_findings_stay_visible() {
    let text = std::fs::read_to_string(fixtures_dir().join("KW009/pass_used.yaml")).unwrap();
    let result = scan(
        "x.yaml",
        &text,
        &settings_for("KW", Path::new("/nonexistent")),
    );
    let f = result
        .result
        .findings
        .iter()
        .find(|f| f.rule_id == "POD001")
        .unwrap();
    assert_eq!(f.suppression.as_ref().unwrap().reason, "CSI node plugin");
    let object = ObjectRef {
        api_version: "v1".into(),
        kind: "Pod".into(),
        namespace: None,
        name: "used-exception".into(),
    };
    assert_eq!(f.object.as_ref(), Some(&object));
}
