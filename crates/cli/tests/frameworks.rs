#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End-to-end tests of `kubeward frameworks`.

use std::process::{Command, Output};

fn kubeward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn list_text_names_every_framework() {
    let o = kubeward(&["frameworks", "list"]);
    assert!(o.status.success());
    let s = stdout(&o);
    for id in ["CIS", "NSA", "PSS", "OWASP"] {
        assert!(s.lines().any(|l| l.starts_with(id)), "{id} missing:\n{s}");
    }
}

#[test]
fn list_json_has_coverage() {
    let o = kubeward(&["frameworks", "list", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 4);
    for f in list {
        let c = &f["coverage"];
        assert!(c["automated"].as_u64().unwrap() <= c["total"].as_u64().unwrap());
    }
}

#[test]
fn show_cis_lists_rules_and_node_checks() {
    let o = kubeward(&["frameworks", "show", "cis"]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(s.contains("5.2 Pod Security Standards"), "{s}");
    assert!(s.contains("kubeward node: KLT001"), "{s}");
    assert!(s.contains("Coverage: "), "{s}");
}

#[test]
fn show_json_controls_carry_rules_and_status() {
    let o = kubeward(&["frameworks", "show", "OWASP", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let controls = v["controls"].as_array().unwrap();
    assert_eq!(controls.len(), 10);
    assert_eq!(controls[0]["id"], "K01");
    assert_eq!(controls[0]["reference"], "owasp:K01");
    assert_eq!(controls[0]["status"], "automated");
    assert!(!controls[0]["rules"].as_array().unwrap().is_empty());

    let o = kubeward(&["frameworks", "show", "pss", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let host_ns = v["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "hostNamespaces")
        .unwrap();
    // The PSA check IDs are evaluated by the POD rules that cite them.
    assert_eq!(host_ns["evaluatedBy"], "rules");
    assert_eq!(host_ns["rules"], serde_json::json!(["POD004"]));
}

#[test]
fn unknown_framework_is_an_error() {
    let o = kubeward(&["frameworks", "show", "iso27001"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("unknown framework `iso27001`"), "{err}");
}

fn examples(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `scan --framework`: only the framework's rules run, and every format carries the per-control report.
#[test]
fn scan_framework_cis_reports_every_control() {
    let dir = examples("insecure-shop");
    let o = kubeward(&["scan", &dir, "--framework", "cis", "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &v["framework"];
    assert_eq!(f["id"], "CIS");
    assert_eq!(f["selected"], "cis");
    let controls = f["controls"].as_array().unwrap();
    assert_eq!(
        controls.len() as u64,
        f["coverage"]["total"].as_u64().unwrap()
    );
    let outcome = |id: &str| {
        controls.iter().find(|c| c["id"] == id).unwrap()["outcome"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // The shop runs a privileged container; node settings need `kubeward node`.
    assert_eq!(outcome("5.2.2"), "fail");
    assert_eq!(outcome("1.2.1"), "not-evaluated");
    assert_eq!(outcome("5.3.1"), "manual");
    // Every finding comes from a rule that cites CIS, or from the input checks.
    for finding in v["findings"].as_array().unwrap() {
        let id = finding["rule"]["id"].as_str().unwrap();
        let cites_cis = controls
            .iter()
            .any(|c| c["rules"].as_array().unwrap().iter().any(|r| r == id));
        assert!(cites_cis || id.starts_with("KW"), "{id} does not cite CIS");
    }
}

#[test]
fn scan_framework_pss_baseline_passes_the_hardened_example() {
    let dir = examples("hardened");
    let o = kubeward(&[
        "scan",
        &dir,
        "--framework",
        "pss-baseline",
        "--format",
        "json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let controls = v["framework"]["controls"].as_array().unwrap();
    assert!(controls.iter().all(|c| c["section"] == "Baseline"));
    let baseline = controls.iter().find(|c| c["id"] == "baseline").unwrap();
    assert_eq!(baseline["outcome"], "pass", "{baseline}");
    assert_eq!(v["framework"]["coverage"]["fail"], 0);
}

#[test]
fn scan_framework_text_ends_with_coverage() {
    let dir = examples("insecure-shop");
    let o = kubeward(&["scan", &dir, "--framework", "owasp", "--color", "never"]);
    let s = stdout(&o);
    assert!(
        s.contains("OWASP Kubernetes Top 10 2022 (--framework owasp)"),
        "{s}"
    );
    assert!(s.lines().any(|l| l.starts_with("  FAIL K01")), "{s}");
    assert!(s.lines().any(|l| l.starts_with("Coverage: ")), "{s}");
}

#[test]
fn scan_unknown_framework_is_an_error_with_a_suggestion() {
    let o = kubeward(&["scan", &examples("hardened"), "--framework", "ciss"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unknown framework `ciss`"), "{err}");
    assert!(err.contains("did you mean `cis`?"), "{err}");
}

#[test]
fn scan_framework_pss_conflicts_with_another_pss_level() {
    let o = kubeward(&[
        "scan",
        &examples("hardened"),
        "--framework",
        "pss-restricted",
        "--pss-level",
        "baseline",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--pss-level"));
}

/// A control whose rules saw nothing of the kinds they inspect is not applicable, never a pass.
#[test]
fn scan_framework_without_workloads_is_not_applicable() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args([
            "scan",
            "-",
            "--framework",
            "cis",
            "--format",
            "json",
            "--no-config",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: fast\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let controls = v["framework"]["controls"].as_array().unwrap();
    let privileged = controls.iter().find(|c| c["id"] == "5.2.2").unwrap();
    assert_eq!(privileged["outcome"], "not-applicable", "{privileged}");
}
