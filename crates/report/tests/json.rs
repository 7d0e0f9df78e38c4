#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers in `common` too
mod common;

use common::*;
use kubeward_report::{Format, JSON_SCHEMA_ID, TextOptions};

#[test]
fn json_snapshot() {
    let scan = scan();
    let templates = helm_templates;
    let report = scan.report().with_templates(&templates);
    insta::assert_snapshot!(render_to_string(
        Format::Json,
        &report,
        &TextOptions::default()
    ));
}

#[test]
fn json_matches_its_schema() {
    let scan = scan();
    let templates = helm_templates;
    let report = scan.report().with_templates(&templates);
    let out = render_to_string(Format::Json, &report, &TextOptions::default());
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["schema"], JSON_SCHEMA_ID);
    assert_eq!(doc["summary"]["suppressed"], 2);
    assert_eq!(doc["summary"]["findings"], 8);
    validate_with_jsonschema(&schema_path("scan-v1.schema.json"), &out);
}

#[test]
fn json_columns_are_one_based_characters() {
    let scan = scan();
    let out = render_to_string(Format::Json, &scan.report(), &TextOptions::default());
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sidecar = &doc["findings"][4]["location"];
    assert_eq!(sidecar["line"], 14);
    assert_eq!(sidecar["column"], col_of(DEPLOYMENT, 14, "envoy") + 1);
}
