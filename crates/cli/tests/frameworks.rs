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
    assert_eq!(host_ns["evaluatedBy"], "kubeward pss check");
}

#[test]
fn unknown_framework_is_an_error() {
    let o = kubeward(&["frameworks", "show", "iso27001"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("unknown framework `iso27001`"), "{err}");
}
