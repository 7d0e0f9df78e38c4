//! `kubeward scan --sort` and the risk scores every format carries with `--sort risk`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TWINS: &str = "crates/cli/tests/fixtures/risk/twins.yaml";
const GROUPS: &str = "crates/cli/tests/fixtures/groups";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .arg("scan")
        .args(["--fail-on", "never"])
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// `(rule, object name, score)` of each finding, in output order.
fn rows(doc: &serde_json::Value) -> Vec<(String, String, Option<u64>)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"]["id"].as_str().unwrap().to_owned(),
                f["object"]["name"].as_str().unwrap_or("").to_owned(),
                f["risk"]["score"].as_u64(),
            )
        })
        .collect()
}

#[test]
fn the_same_finding_scores_higher_on_an_exposed_over_privileged_pod() {
    let o = scan(&["--no-config", "--sort", "risk", "--format", "json", TWINS]);
    assert_eq!(o.status.code(), Some(0));
    let doc = json(&o);
    let rows = rows(&doc);
    let score = |name: &str| {
        rows.iter()
            .find(|(rule, n, _)| rule == "IMG001" && n == name)
            .and_then(|r| r.2)
            .unwrap()
    };
    // medium 4 × internet 3 × (nodes 1 + Secrets 1 + 1) vs medium 4 × 1 × 1.
    assert_eq!(score("web"), 36);
    assert_eq!(score("worker"), 4);
    let scores: Vec<u64> = rows.iter().map(|r| r.2.unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let web = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["id"] == "IMG001" && f["object"]["name"] == "web")
        .unwrap();
    assert_eq!(web["risk"]["exposure"], "internet");
    assert_eq!(web["risk"]["blastRadius"]["secrets"], true);
    assert_eq!(web["risk"]["blastRadius"]["nodes"], true);
}

#[test]
fn text_sorted_by_risk_ends_with_the_top_risks_in_words() {
    let o = scan(&["--no-config", "--sort", "risk", TWINS]);
    let text = String::from_utf8_lossy(&o.stdout);
    let top = &text[text.find("Top risks").expect(&text)..];
    assert!(
        top.contains("1.   90  RBAC009 RoleBinding shop/web-owns-shop"),
        "{top}"
    );
    assert!(
        top.contains("critical × internet-exposed × leads to nodes, Secrets"),
        "{top}"
    );
    assert_eq!(top.matches(" × ").count(), 2 + 2 * 10, "ten entries: {top}");
    let three = scan(&["--no-config", "--top-risks", "3", TWINS]);
    let text = String::from_utf8_lossy(&three.stdout);
    assert!(text.contains("  3.   90  "), "{text}");
    assert!(!text.contains("  4.   "), "{text}");
}

#[test]
fn the_default_scan_builds_no_risk_map() {
    let o = scan(&["--no-config", "--format", "json", TWINS]);
    let doc = json(&o);
    assert!(rows(&doc).iter().all(|r| r.2.is_none()));
    let text = scan(&["--no-config", TWINS]);
    assert!(!String::from_utf8_lossy(&text.stdout).contains("Top risks"));
}

#[test]
fn sort_by_severity_rule_and_file() {
    let by_severity = rows(&json(&scan(&[
        "--no-config",
        "--sort",
        "severity",
        "--format",
        "json",
        TWINS,
    ])));
    assert_eq!(
        by_severity[0].1, "web-owns-shop",
        "a critical finding first"
    );
    let by_rule = rows(&json(&scan(&[
        "--no-config",
        "--sort",
        "rule",
        "--format",
        "json",
        TWINS,
    ])));
    let rules: Vec<&String> = by_rule.iter().map(|r| &r.0).collect();
    let mut sorted = rules.clone();
    sorted.sort();
    assert_eq!(rules, sorted);
    let default = rows(&json(&scan(&["--no-config", "--format", "json", TWINS])));
    let by_file = rows(&json(&scan(&[
        "--no-config",
        "--sort",
        "file",
        "--format",
        "json",
        TWINS,
    ])));
    assert_eq!(default, by_file);
}

#[test]
fn an_unknown_order_is_a_usage_error_with_a_suggestion() {
    let o = scan(&["--sort", "rsik", TWINS]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("a similar value exists: 'risk'"), "{err}");
}

#[test]
fn sarif_ranks_by_risk_and_crown_jewels_weigh_in() {
    let o = scan(&["--sort", "risk", "--format", "sarif", GROUPS]);
    let log = json(&o);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let first = &results[0];
    // medium 4 × internet 3 × (Secrets 1 + payments critical 3 + 1 = 5) = 60 → rank 39.6.
    assert_eq!(first["rank"], 39.6);
    assert_eq!(
        first["properties"]["risk"]["blastRadius"]["crownJewel"]["name"],
        "payments"
    );
    let without = json(&scan(&[
        "--no-config",
        "--sort",
        "risk",
        "--format",
        "json",
        GROUPS,
    ]));
    assert_eq!(without["findings"][0]["risk"]["score"], 24);
}
