//! End-to-end tests of `kubeward node` and `kubeward audit-policy lint` on the host crate's fixture
//! node roots.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kubeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const INSECURE: &str = "crates/host/fixtures/roots/kubeadm-insecure";
const SECURE: &str = "crates/host/fixtures/roots/kubeadm-secure";

#[test]
fn insecure_control_plane_fails_with_cis_ids() {
    let o = kubeward(&["node", "--root", INSECURE]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("[FAIL] 1.2.1 CP001"), "{text}");
    assert!(text.contains("cis-1.12"), "{text}");
}

#[test]
fn json_report_is_versioned_and_maps_checks_to_cis() {
    let o = kubeward(&[
        "node",
        "--root",
        INSECURE,
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["schema"], "kubeward/node/v1");
    let cp001 = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "CP001")
        .unwrap();
    assert_eq!(cp001["cis"][0], "1.2.1");
    assert_eq!(cp001["status"], "Fail");
}

#[test]
fn sarif_junit_and_markdown_carry_failed_checks() {
    let o = kubeward(&[
        "node",
        "--root",
        INSECURE,
        "--format",
        "sarif",
        "--fail-on",
        "never",
    ]);
    let sarif: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "CP001"));
    let o = kubeward(&[
        "node",
        "--root",
        INSECURE,
        "--format",
        "junit",
        "--fail-on",
        "never",
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("CP001"));
    let o = kubeward(&[
        "node",
        "--root",
        INSECURE,
        "--format",
        "markdown",
        "--fail-on",
        "never",
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("CP001"));
}

#[test]
fn secure_control_plane_has_no_high_api_server_failures() {
    let o = kubeward(&[
        "node",
        "--root",
        SECURE,
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let failed_api: Vec<&serde_json::Value> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("CP0") && r["status"] == "Fail")
        .filter(|r| !r["id"].as_str().unwrap().starts_with("CP06"))
        .collect();
    assert!(failed_api.is_empty(), "{failed_api:?}");
}

#[test]
fn bad_root_and_format_are_usage_errors() {
    assert_eq!(
        kubeward(&["node", "--root", "/nonexistent/root"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        kubeward(&["node", "--root", SECURE, "--format", "yaml"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn audit_policy_lint() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n  resources:\n  - group: \"\"\n    resources: [secrets]\n",
    )
    .unwrap();
    let o = kubeward(&[
        "audit-policy",
        "lint",
        bad.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let issues: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(!issues.as_array().unwrap().is_empty());
    assert_eq!(
        o.status.code(),
        Some(1),
        "logging Secret bodies is an error"
    );
}
