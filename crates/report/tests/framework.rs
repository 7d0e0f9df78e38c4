#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers in `common` too
//! `scan --framework`: the per-control report in every format.
mod common;

use common::*;
use kubeward_frameworks::{Assessment, Framework, Outcome, Scope, assess, frameworks};
use kubeward_report::{Format, TextOptions};
use kubeward_rules::RuleRun;
use kubeward_rules::registry::RULES;

/// What each rule did, as if the common scan's findings came from a scan in which the RBAC rules saw no
/// RBAC objects and the opt-in rules were off.
fn runs(scan: &Scan) -> Vec<RuleRun> {
    RULES
        .iter()
        .map(|r| {
            let of_rule = scan.findings.iter().filter(|f| f.rule_id == r.meta.id);
            RuleRun {
                id: r.meta.id,
                ran: r.meta.default_enabled,
                applicable: !r.meta.id.starts_with("RBAC"),
                findings: of_rule.clone().filter(|f| !f.is_suppressed()).count(),
                suppressed: of_rule.filter(|f| f.is_suppressed()).count(),
                unread: Vec::new(),
            }
        })
        .collect()
}

fn cis(all: &[Framework]) -> &Framework {
    all.iter().find(|f| f.id == "CIS").unwrap()
}

fn assessment<'a>(framework: &'a Framework, scan: &Scan) -> Assessment<'a> {
    assess(framework, "cis", Scope::Whole, &runs(scan))
}

#[test]
fn outcomes_follow_what_the_rules_did() {
    let all = frameworks().unwrap();
    let scan = scan();
    let a = assessment(cis(&all), &scan);
    let outcome = |id: &str| {
        let c = a.controls.iter().find(|c| c.control.id == id).unwrap();
        (c.outcome, c.reason.clone())
    };
    // POD001 reported a privileged container.
    assert_eq!(outcome("5.2.2").0, Outcome::Fail);
    assert!(
        outcome("5.2.2").1.contains("POD001 (1)"),
        "{:?}",
        outcome("5.2.2")
    );
    // POD003's only finding is suppressed: the control holds, and the report says what was suppressed.
    let (o, reason) = outcome("5.2.7");
    assert_eq!(o, Outcome::Pass, "{reason}");
    assert!(reason.contains("1 suppressed"), "{reason}");
    // The RBAC rules saw no RBAC objects.
    assert_eq!(outcome("5.1.1").0, Outcome::NotApplicable);
    // Sections 1–4 need a node.
    let (o, reason) = outcome("1.2.1");
    assert_eq!(o, Outcome::NotEvaluated);
    assert!(reason.contains("kubeward node"), "{reason}");
    assert_eq!(outcome("5.3.1").0, Outcome::Manual);
    assert_eq!(
        a.evaluated(),
        a.count(Outcome::Pass) + a.count(Outcome::Fail) + a.count(Outcome::NotApplicable)
    );
    assert_eq!(a.total(), cis(&all).controls.len());
}

#[test]
fn a_control_whose_rules_are_off_is_not_evaluated() {
    let all = frameworks().unwrap();
    let scan = scan();
    let mut runs = runs(&scan);
    for r in runs.iter_mut().filter(|r| r.id == "POD001") {
        r.ran = false;
    }
    let a = assess(cis(&all), "cis", Scope::Whole, &runs);
    let c = a.controls.iter().find(|c| c.control.id == "5.2.2").unwrap();
    assert_eq!(c.outcome, Outcome::NotEvaluated);
    assert!(c.reason.contains("POD001"), "{}", c.reason);
}

#[test]
fn pss_levels_roll_up_their_controls() {
    let all = frameworks().unwrap();
    let pss = all.iter().find(|f| f.id == "PSS").unwrap();
    let scan = scan();
    let a = assess(pss, "pss-restricted", Scope::Whole, &runs(&scan));
    let level = |id: &str| a.controls.iter().find(|c| c.control.id == id).unwrap();
    assert_eq!(level("privileged").outcome, Outcome::Fail);
    assert_eq!(level("baseline").outcome, Outcome::Fail);
    assert!(level("baseline").reason.contains("privileged"));
    assert_eq!(level("restricted").outcome, Outcome::Fail);
    assert!(level("restricted").reason.contains("privileged"));
    // The baseline scope leaves the restricted controls out.
    let b = assess(pss, "pss-baseline", Scope::PssBaseline, &runs(&scan));
    assert!(b.controls.iter().all(|c| c.control.section == "Baseline"));
    assert!(b.controls.iter().any(|c| c.control.id == "baseline"));
}

#[test]
fn json_carries_the_framework_and_matches_its_schema() {
    let all = frameworks().unwrap();
    let scan = scan();
    let a = assessment(cis(&all), &scan);
    let out = render_to_string(
        Format::Json,
        &scan.report().with_framework(&a),
        &TextOptions::default(),
    );
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["framework"]["id"], "CIS");
    assert_eq!(doc["framework"]["coverage"]["total"], a.total());
    assert_eq!(doc["framework"]["coverage"]["fail"], a.count(Outcome::Fail));
    let control = doc["framework"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "5.2.2")
        .unwrap();
    assert_eq!(control["outcome"], "fail");
    assert_eq!(control["reference"], "cis:5.2.2");
    validate_with_jsonschema(&schema_path("scan-v1.schema.json"), &out);
    // Without --framework the key is there, null.
    let plain = render_to_string(Format::Json, &scan.report(), &TextOptions::default());
    let doc: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert!(doc["framework"].is_null());
}

#[test]
fn sarif_has_the_framework_as_a_taxonomy() {
    let all = frameworks().unwrap();
    let scan = scan();
    let a = assessment(cis(&all), &scan);
    let out = render_to_string(
        Format::Sarif,
        &scan.report().with_framework(&a),
        &TextOptions::default(),
    );
    validate_with_jsonschema(&schema_path("sarif-2.1.0.json"), &out);
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run = &log["runs"][0];
    let taxonomy = &run["taxonomies"][0];
    assert_eq!(taxonomy["name"], "CIS");
    assert_eq!(taxonomy["taxa"].as_array().unwrap().len(), a.total());
    let pod001 = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "POD001")
        .unwrap();
    let targets: Vec<&str> = pod001["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["target"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(targets, ["5.2.2"]);
}

#[test]
fn junit_has_one_testcase_per_control() {
    let all = frameworks().unwrap();
    let scan = scan();
    let a = assessment(cis(&all), &scan);
    let out = render_to_string(
        Format::Junit,
        &scan.report().with_framework(&a),
        &TextOptions::default(),
    );
    let script = r#"
import sys, json
from junitparser import JUnitXml
xml = JUnitXml.fromstring(sys.stdin.read())
out = [{"name": s.name, "tests": s.tests, "failures": s.failures, "skipped": s.skipped} for s in xml]
print(json.dumps(out))
"#;
    let Some((ok, output)) = python("junitparser", script, &out) else {
        return;
    };
    assert!(ok, "junitparser failed:\n{output}\n{out}");
    let suites: serde_json::Value = serde_json::from_str(&output).unwrap();
    let suite = suites
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().unwrap().contains("--framework cis"))
        .unwrap();
    assert_eq!(suite["tests"], a.total());
    assert_eq!(suite["failures"], a.count(Outcome::Fail));
    assert_eq!(
        suite["skipped"],
        a.count(Outcome::NotEvaluated) + a.count(Outcome::Manual)
    );
}

#[test]
fn text_and_markdown_list_every_control_with_the_coverage() {
    let all = frameworks().unwrap();
    let scan = scan();
    let a = assessment(cis(&all), &scan);
    let report = scan.report().with_framework(&a);
    let text = render_to_string(Format::Text, &report, &TextOptions::default());
    assert!(text.contains("CIS Kubernetes Benchmark"), "{text}");
    assert!(text.contains(&a.coverage_line()));
    assert!(
        text.lines().any(|l| l.starts_with("  FAIL 5.2.2")),
        "{text}"
    );
    let markdown = render_to_string(Format::Markdown, &report, &TextOptions::default());
    assert!(markdown.contains(&a.coverage_line()));
    let outcomes = [
        "| **fail** |",
        "| pass |",
        "| not-applicable |",
        "| not-evaluated |",
        "| manual |",
    ];
    let rows = markdown
        .lines()
        .filter(|l| outcomes.iter().any(|o| l.starts_with(o)))
        .count();
    assert_eq!(rows, a.total(), "{markdown}");
    insta::assert_snapshot!(text);
}
