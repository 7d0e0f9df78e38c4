#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers in `common` too
mod common;

use common::*;
use kubeward_graph::{BlastRadius, Exposure, JewelReached, RiskScore};
use kubeward_report::{Format, TextOptions};
use kubeward_rules::groups::Criticality;

/// Scores for [`scan`]'s findings: the privileged container internet-exposed and leading to
/// cluster-admin and the payments group; the host-network pod reachable from pods; the rest contained.
fn scores(scan: &Scan) -> Vec<RiskScore> {
    scan.findings
        .iter()
        .map(|f| {
            let severity = kubeward_graph::severity_factor(f.severity);
            let (exposure, blast_radius) = match f.rule_id {
                "POD001" => (
                    Exposure::Internet,
                    BlastRadius {
                        cluster_admin: true,
                        nodes: false,
                        secrets: true,
                        crown_jewel: Some(JewelReached {
                            name: "payments".into(),
                            criticality: Criticality::Critical,
                        }),
                    },
                ),
                "POD004" => (
                    Exposure::AnyPod,
                    BlastRadius {
                        nodes: true,
                        ..BlastRadius::default()
                    },
                ),
                _ => (Exposure::None, BlastRadius::default()),
            };
            let blast_factor = blast_radius.factor();
            RiskScore {
                score: severity * exposure.factor() * blast_factor,
                severity,
                exposure,
                exposure_factor: exposure.factor(),
                blast_radius,
                blast_factor,
            }
        })
        .collect()
}

#[test]
fn json_carries_each_findings_risk_and_matches_the_schema() {
    let scan = scan();
    let risks = scores(&scan);
    let report = scan.report().with_risks(&risks, 3);
    let out = render_to_string(Format::Json, &report, &TextOptions::default());
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let privileged = &doc["findings"][3];
    assert_eq!(privileged["rule"]["id"], "POD001");
    assert_eq!(
        privileged["risk"],
        serde_json::json!({
            "score": 150, "severity": 10, "exposure": "internet", "exposureFactor": 3,
            "blastRadius": {"clusterAdmin": true, "nodes": false, "secrets": true,
                "crownJewel": {"name": "payments", "criticality": "critical"}, "factor": 5}
        })
    );
    validate_with_jsonschema(&schema_path("scan-v1.schema.json"), &out);
    // Without scores every finding still has the key, as null.
    let plain = render_to_string(Format::Json, &scan.report(), &TextOptions::default());
    let doc: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert!(doc["findings"][0]["risk"].is_null());
}

#[test]
fn sarif_ranks_results_by_risk_and_matches_the_official_schema() {
    let scan = scan();
    let risks = scores(&scan);
    let report = scan.report().with_risks(&risks, 3);
    let out = render_to_string(Format::Sarif, &report, &TextOptions::default());
    let log: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results[3]["rank"], 100.0);
    assert_eq!(results[3]["properties"]["risk"]["blastRadius"]["factor"], 5);
    // POD004: high 7 × any-pod 2 × nodes 2 = 28 → (28 - 1) × 100 / 149.
    assert_eq!(results[7]["rank"], 18.1);
    // KW001 high 7 × 1 × 1.
    assert_eq!(results[8]["rank"], 4.0);
    validate_with_jsonschema(&schema_path("sarif-2.1.0.json"), &out);
    let plain = render_to_string(Format::Sarif, &scan.report(), &TextOptions::default());
    let log: serde_json::Value = serde_json::from_str(&plain).unwrap();
    assert!(log["runs"][0]["results"][0].get("rank").is_none());
}

#[test]
fn text_and_markdown_list_the_top_risks_with_their_factors_in_words() {
    let scan = scan();
    let risks = scores(&scan);
    let report = scan.report().with_risks(&risks, 3);
    let text = render_to_string(Format::Text, &report, &TextOptions::default());
    let section = &text[text.find("Top risks").unwrap()..];
    insta::assert_snapshot!("text_top_risks", section);
    let markdown = render_to_string(Format::Markdown, &report, &TextOptions::default());
    let section = &markdown[markdown.find("### Top risks").unwrap()..];
    insta::assert_snapshot!("markdown_top_risks", section);
    // Suppressed findings are never top risks; no section without scores or with 0.
    assert!(!section.contains("POD003"));
    // Each finding shows its score; Markdown gets a Risk column.
    assert!(
        text.contains(
            "CRITICAL POD001 privileged-container container `app` runs privileged [risk 150]"
        ),
        "{text}"
    );
    assert!(
        markdown.contains("| Severity | Risk | Rule |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("| 🔴 critical | 150 | `POD001"),
        "{markdown}"
    );
    let none = render_to_string(Format::Text, &scan.report(), &TextOptions::default());
    assert!(!none.contains("[risk"));
    assert!(!none.contains("Top risks"));
    let zero = scan.report().with_risks(&risks, 0);
    let zero = render_to_string(Format::Markdown, &zero, &TextOptions::default());
    assert!(!zero.contains("Top risks"));
}
