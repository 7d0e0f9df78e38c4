#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers in `common` too
mod common;

use common::*;
use kubeward_diagnostics::Pos;
use kubeward_report::{Format, Report, TextOptions};
use serde_json::Value;

fn sarif(report: &Report) -> Value {
    serde_json::from_str(&render_to_string(
        Format::Sarif,
        report,
        &TextOptions::default(),
    ))
    .unwrap()
}

#[test]
fn sarif_snapshot() {
    let scan = scan();
    let templates = helm_templates;
    let report = scan.report().with_templates(&templates);
    insta::assert_snapshot!(render_to_string(
        Format::Sarif,
        &report,
        &TextOptions::default()
    ));
}

#[test]
fn sarif_matches_the_official_schema() {
    let scan = scan();
    let templates = helm_templates;
    let report = scan.report().with_templates(&templates);
    let out = render_to_string(Format::Sarif, &report, &TextOptions::default());
    validate_with_jsonschema(&schema_path("sarif-2.1.0.json"), &out);
}

#[test]
fn columns_are_utf16_code_units() {
    let scan = scan();
    let log = sarif(&scan.report());
    let run = &log["runs"][0];
    assert_eq!(run["columnKind"], "utf16CodeUnits");
    let sidecar = &run["results"][4];
    assert_eq!(
        sidecar["message"]["text"],
        "container `🚀sidecar` uses the mutable tag `latest`"
    );
    let region = &sidecar["locations"][0]["physicalLocation"]["region"];
    // `      - {name: "🚀sidecar", image: envoy:latest}`: the emoji is one character but a surrogate
    // pair in UTF-16, so every column after it is one more than its character column.
    let chars_before = col_of(DEPLOYMENT, 14, "envoy");
    assert_eq!(region["startLine"], 14);
    assert_eq!(region["startColumn"], chars_before + 1 + 1);
    assert_eq!(
        region["endColumn"],
        chars_before + 1 + 1 + "envoy:latest".len() as u32
    );
    // Before the emoji nothing shifts.
    let privileged = &run["results"][3]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        privileged["startColumn"],
        col_of(DEPLOYMENT, 13, "true") + 1
    );
}

#[test]
fn rules_describe_only_rules_with_findings() {
    let scan = scan();
    let log = sarif(&scan.report());
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "POD001", "POD002", "POD003", "POD004", "IMG001", "NET001", "SEC001", "KW001"
        ]
    );
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    let pod001 = &rules[0];
    assert_eq!(pod001["defaultConfiguration"]["level"], "error");
    assert_eq!(pod001["properties"]["security-severity"], "9.5");
    assert!(
        pod001["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## Why is this bad?")
    );
}

#[test]
fn suppressions_and_invocation() {
    let scan = scan();
    let log = sarif(&scan.report());
    let run = &log["runs"][0];
    assert_eq!(run["results"][0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(run["results"][2]["suppressions"][0]["kind"], "external");
    assert_eq!(
        run["results"][2]["suppressions"][0]["justification"],
        "payments team accepted the risk"
    );
    assert!(run["results"][1].get("suppressions").is_none());
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert_eq!(run["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///repo/");
    let artifact = &run["results"][1]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(artifact["uri"], "deploy/api.yaml");
    assert_eq!(artifact["uriBaseId"], "SRCROOT");
}

#[test]
fn rendered_helm_sources_point_at_the_template_without_a_region() {
    let scan = scan();
    let templates = helm_templates;
    let log = sarif(&scan.report().with_templates(&templates));
    let physical = &log["runs"][0]["results"][7]["locations"][0]["physicalLocation"];
    assert_eq!(
        physical["artifactLocation"]["uri"],
        "charts/app/templates/deployment.yaml"
    );
    assert!(physical.get("region").is_none());
}

#[test]
fn fingerprints_survive_lines_inserted_above() {
    let before = scan();
    let mut after = scan();
    for finding in &mut after.findings {
        if let Some(location) = &mut finding.location {
            let shift = |p: &mut Pos| p.line += 3;
            shift(&mut location.span.start);
            shift(&mut location.span.end);
        }
    }
    let fingerprints = |log: &Value| -> Vec<Value> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    let a = fingerprints(&sarif(&before.report()));
    let b = fingerprints(&sarif(&after.report()));
    assert_eq!(a, b);
    // …and tell different findings apart.
    let unique: std::collections::HashSet<String> = a.iter().map(|f| f.to_string()).collect();
    assert_eq!(unique.len(), a.len());
}
