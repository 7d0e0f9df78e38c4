//! End-to-end tests of `kubeward rbac`: who-can, can-i, show and escalations on the RBAC engine's
//! fixtures, in text and JSON, with their exit codes and errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)))
}

const ESCALATION: &str = "crates/rbac/fixtures/escalation.yaml";
const SCOPING: &str = "crates/rbac/fixtures/namespace_scoping.yaml";
const RISKY: &str = "crates/rbac/fixtures/risky.yaml";

#[test]
fn who_can_names_subject_binding_and_rule() {
    let o = run(&["rbac", "who-can", "create", "pods", "-n", "ci", ESCALATION]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("SUBJECT"), "{out}");
    let dev = out.lines().find(|l| l.starts_with("User dev")).unwrap();
    assert!(dev.contains("namespace ci"), "{dev}");
    assert!(dev.contains("RoleBinding ci/dev-pods"), "{dev}");
    assert!(dev.contains("ClusterRole pod-creator #0"), "{dev}");
    // A RoleBinding grants only inside its own namespace.
    assert!(!out.contains("locked-dev"), "{out}");
}

#[test]
fn who_can_json_lists_grants() {
    let o = run(&[
        "rbac", "who-can", "create", "pods", "-n", "ci", "--format", "json", ESCALATION,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["request"]["resource"], "pods");
    assert_eq!(v["request"]["namespace"], "ci");
    let dev = v["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["subject"]["name"] == "dev")
        .unwrap();
    let grant = &dev["grants"][0];
    assert_eq!(grant["binding"]["name"], "dev-pods");
    assert_eq!(grant["role"]["name"], "pod-creator");
    assert_eq!(grant["rule_index"], 0);
}

#[test]
fn who_can_subresource_and_non_resource_url() {
    let o = run(&["rbac", "who-can", "get", "/healthz", "crates/rbac/fixtures"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&[
        "rbac",
        "who-can",
        "create",
        "pods/exec",
        "-n",
        "team-a",
        SCOPING,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn can_i_exit_codes_follow_the_answer() {
    let yes = run(&[
        "rbac", "can-i", "--as", "dev", "create", "pods", "-n", "ci", ESCALATION,
    ]);
    assert_eq!(yes.status.code(), Some(0), "{}", stderr(&yes));
    let out = stdout(&yes);
    assert!(out.starts_with("yes\n"), "{out}");
    assert!(out.contains("RoleBinding ci/dev-pods"), "{out}");

    let no = run(&[
        "rbac",
        "can-i",
        "--as",
        "dev",
        "create",
        "pods",
        "-n",
        "kube-system",
        ESCALATION,
    ]);
    assert_eq!(no.status.code(), Some(1), "{}", stderr(&no));
    assert_eq!(stdout(&no), "no\n");
}

#[test]
fn can_i_as_service_account_and_group() {
    let sa = run(&[
        "rbac",
        "can-i",
        "--as",
        "system:serviceaccount:ci:deployer",
        "bind",
        "clusterroles.rbac.authorization.k8s.io",
        "--name",
        "cluster-admin",
        "--format",
        "json",
        ESCALATION,
    ]);
    assert_eq!(
        sa.status.code(),
        Some(0),
        "{}\n{}",
        stdout(&sa),
        stderr(&sa)
    );
    let v = json(&sa);
    assert_eq!(v["allowed"], true);
    assert_eq!(
        v["reasons"][0]["grant"]["binding"]["name"],
        "deployer-binds"
    );
    assert!(
        v["user"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == "system:serviceaccounts:ci"),
        "{v}"
    );
    // system:masters is allowed before RBAC is consulted.
    let masters = run(&[
        "rbac",
        "can-i",
        "--as",
        "root",
        "--as-group",
        "system:masters",
        "delete",
        "nodes",
        ESCALATION,
    ]);
    assert_eq!(masters.status.code(), Some(0), "{}", stderr(&masters));
    assert!(stdout(&masters).contains("system:masters"));
}

#[test]
fn show_lists_effective_rules() {
    let o = run(&["rbac", "show", "User:dev", ESCALATION]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("RoleBinding ci/dev-pods"), "{out}");
    assert!(out.contains("create"), "{out}");
    let o = run(&[
        "rbac",
        "show",
        "ServiceAccount:ci/deployer",
        "-f",
        "json",
        ESCALATION,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["user"]["name"], "system:serviceaccount:ci:deployer");
    assert!(!v["rules"].as_array().unwrap().is_empty(), "{v}");
    let nobody = run(&["rbac", "show", "nobody", ESCALATION]);
    assert_eq!(stdout(&nobody), "No permissions.\n");
}

#[test]
fn escalations_show_every_step_with_its_grant() {
    let o = run(&["rbac", "escalations", "--subject", "dev", ESCALATION]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("User dev -> cluster admin in 2 step(s)"),
        "{out}"
    );
    assert!(out.contains("via RoleBinding ci/dev-pods"), "{out}");
    assert!(out.contains("ServiceAccount ci/deployer"), "{out}");

    let o = run(&["rbac", "escalations", "--format", "json", ESCALATION]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let paths = json(&o);
    let subjects: Vec<String> = paths
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["subject"]["name"].as_str().unwrap_or("").to_owned())
        .collect();
    for who in ["dev", "auditor", "nodeproxy", "deployer"] {
        assert!(
            subjects.iter().any(|s| s == who),
            "{who} missing: {subjects:?}"
        );
    }
    // The impersonation cycle never reaches admin, and Pod Security blocks `locked-dev`'s escape.
    for who in ["cycler-a", "cycler-b"] {
        assert!(
            !subjects.iter().any(|s| s == who),
            "{who} listed: {subjects:?}"
        );
    }

    let none = run(&[
        "rbac",
        "escalations",
        "--subject",
        "Group:nobody",
        ESCALATION,
    ]);
    assert_eq!(none.status.code(), Some(0));
    assert_eq!(stdout(&none), "No escalation path to cluster admin.\n");
}

#[test]
fn scan_reports_rbac_findings() {
    let o = run(&[
        "scan",
        RISKY,
        "--no-config",
        "--select",
        "RBAC",
        "--format",
        "json",
        "--fail-on",
        "critical",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"]["id"].as_str())
        .collect();
    for id in ["RBAC001", "RBAC003", "RBAC005", "RBAC011", "RBAC024"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn bad_input_and_usage_errors() {
    // Unknown flags are clap errors (exit 2).
    let o = run(&["rbac", "who-can", "get", "pods", "--bogus", ESCALATION]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--bogus"), "{}", stderr(&o));
    // can-i needs --as.
    let o = run(&["rbac", "can-i", "get", "pods", ESCALATION]);
    assert_eq!(o.status.code(), Some(2));
    // A malformed subject is explained.
    let o = run(&["rbac", "show", "ServiceAccount:nonamespace", ESCALATION]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("ServiceAccount:NAMESPACE/NAME"),
        "{}",
        stderr(&o)
    );
    // A missing path is reported, and a "no" on incomplete input is not trusted.
    let o = run(&[
        "rbac",
        "can-i",
        "--as",
        "dev",
        "get",
        "pods",
        "does/not/exist.yaml",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does/not/exist.yaml"), "{}", stderr(&o));
}

#[test]
fn objects_that_are_not_valid_rbac_are_left_out_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.yaml");
    std::fs::write(
        &file,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: broken}\nrules:\n- verbs: get\n",
    )
    .unwrap();
    let o = run(&["rbac", "who-can", "get", "pods", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("ClusterRole `broken`"),
        "{}",
        stderr(&o)
    );
}
