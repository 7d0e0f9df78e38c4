//! `kubeward groups list|report` and `paths --to group:NAME` on a hand-made cluster: a payments
//! namespace (the crown jewels) whose Secrets a CI runner exposed through a NodePort may read.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CLUSTER: &str = "crates/cli/tests/fixtures/groups";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn kubeward(args: &[&str]) -> Output {
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

/// A config file in a fresh directory, for error cases.
fn config(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".kubeward.yaml");
    std::fs::write(&path, text).unwrap();
    (dir, path.display().to_string())
}

#[test]
fn list_shows_each_group_with_its_member_counts() {
    let o = kubeward(&["groups", "list", CLUSTER]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("payments    critical  7 members (Deployment 1, Namespace 1, Role 1, RoleBinding 1, Secret 1, Service 1, ServiceAccount 1)"),
        "{text}"
    );
    assert!(
        text.contains("ci-runners  low       1 member (Deployment 1)"),
        "{text}"
    );
    let doc = json(&kubeward(&["groups", "list", "--format", "json", CLUSTER]));
    assert_eq!(doc["groups"][0]["name"], "payments");
    assert_eq!(doc["groups"][0]["members"], 7);
    assert_eq!(doc["groups"][1]["kinds"]["Deployment"], 1);
}

#[test]
fn report_covers_members_posture_compliance_access_exposure_and_paths() {
    let o = kubeward(&["groups", "report", "payments", "--format", "json", CLUSTER]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "medium findings only: {}",
        stderr(&o)
    );
    let doc = json(&o);
    let groups = doc["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!(g["name"], "payments");
    assert_eq!(g["criticality"], "critical");
    assert!(
        g["members"]
            .as_array()
            .unwrap()
            .contains(&"Secret payments/db-password".into())
    );
    // Posture: only the group's findings, ranked by risk, the crown jewel named in the factors.
    let top = &g["posture"]["top_risks"][0];
    assert_eq!(top["score"], 60);
    assert!(
        top["object"].as_str().unwrap().contains("payments"),
        "{top}"
    );
    assert!(
        top["why"]
            .as_str()
            .unwrap()
            .ends_with("group payments (critical)"),
        "{top}"
    );
    assert!(g["posture"]["findings"]["medium"].as_u64().unwrap() > 0);
    // Compliance per framework on the group's objects.
    let frameworks: Vec<&str> = g["compliance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["selected"].as_str().unwrap())
        .collect();
    assert_eq!(frameworks, ["cis", "nsa", "owasp", "pss-restricted"]);
    // Access: the CI service account reads the payments Secrets.
    let secrets = g["access"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["request"] == "get secrets in payments")
        .unwrap();
    assert_eq!(
        secrets["subjects"][0],
        "ServiceAccount ci/deployer (RoleBinding payments/ci-reads-payments-secrets)"
    );
    // Exposure from netpol: no policy isolates the API.
    assert_eq!(g["exposure"][0]["endpoint"]["name"], "api");
    assert_eq!(g["exposure"][0]["from_internet"], true);
    // ...and the CI runner's namespace has a workload that may connect to it.
    assert_eq!(
        g["exposure"][0]["from_namespaces"],
        serde_json::json!(["ci"])
    );
    // Attack paths from the internet end in the group.
    let path = &g["attack_paths"]["paths"][0];
    let last = path["steps"].as_array().unwrap().last().unwrap();
    assert_eq!(last["to"]["name"], "db-password");
    // The grant reaches every Secret of payments, which includes the group's.
    assert_eq!(last["edge"], "includes");
    let steps = path["steps"].as_array().unwrap();
    let grant = &steps[steps.len() - 2];
    assert_eq!(grant["edge"], "can-read-secret");
    assert_eq!(grant["to"]["type"], "every");
    assert_eq!(grant["to"]["namespace"], "payments");
}

#[test]
fn report_in_text_and_markdown_and_for_every_group() {
    let o = kubeward(&["groups", "report", CLUSTER]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        text.contains("Group payments (critical): 7 members"),
        "{text}"
    );
    assert!(text.contains("Group ci-runners (low): 1 member"), "{text}");
    assert!(
        text.contains("get secrets in payments:\n    ServiceAccount ci/deployer"),
        "{text}"
    );
    assert!(
        text.contains("--can-read-secret--> every Secret in namespace payments")
            && text.contains(
                "every Secret in namespace payments --includes--> Secret payments/db-password"
            ),
        "{text}"
    );
    let md = stdout(&kubeward(&[
        "groups", "report", "payments", "--format", "markdown", CLUSTER,
    ]));
    assert!(md.starts_with("## Group payments (critical)"), "{md}");
    assert!(md.contains("### Compliance"), "{md}");
    assert!(
        md.contains("| get secrets in payments | ServiceAccount ci/deployer"),
        "{md}"
    );
}

#[test]
fn fail_on_counts_the_groups_findings_only() {
    let o = kubeward(&[
        "groups",
        "report",
        "payments",
        "--fail-on",
        "medium",
        CLUSTER,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = kubeward(&[
        "groups",
        "report",
        "payments",
        "--fail-on",
        "critical",
        CLUSTER,
    ]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn an_unknown_group_is_an_error_with_a_suggestion() {
    let o = kubeward(&["groups", "report", "paymnts", CLUSTER]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "unknown group `paymnts` (configured: payments, ci-runners); did you mean `payments`?"
        ),
        "{}",
        stderr(&o)
    );
    // Checked before the input is read: a missing path is not reported first.
    let o = kubeward(&["groups", "report", "paymnts", CLUSTER, "no/such/dir"]);
    assert!(
        stderr(&o).contains("did you mean `payments`?"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("no/such/dir"), "{}", stderr(&o));
    let o = kubeward(&["paths", "--to", "group:paymnts", CLUSTER]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `payments`?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn paths_to_a_group_end_in_its_objects() {
    let o = kubeward(&[
        "paths",
        "--to",
        "group:payments",
        "--format",
        "json",
        CLUSTER,
    ]);
    assert_eq!(o.status.code(), Some(1), "a path exits 1: {}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["to"]["group"]["name"], "payments");
    assert_eq!(doc["paths"][0]["steps"][5]["to"]["name"], "db-password");
}

#[test]
fn config_errors_name_the_field() {
    let (dir, path) = config(
        "groups:\n- name: payments\n  criticality: critcal\n  selectors: [{namespaces: [payments]}]\n",
    );
    let o = kubeward(&[
        "groups",
        "list",
        "--config",
        &path,
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains(":3:16: `groups.0.criticality`: unknown variant `critcal`"),
        "{err}"
    );
    assert!(err.contains("did you mean `critical`?"), "{err}");
    let (dir, path) = config(
        "groups:\n- name: payments\n  criticality: high\n  selectors:\n  - {namespace: [payments]}\n",
    );
    let o = kubeward(&[
        "groups",
        "list",
        "--config",
        &path,
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        stderr(&o).contains("unknown field `namespace`"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("did you mean `namespaces`?"),
        "{}",
        stderr(&o)
    );
    let (dir, path) =
        config("groups:\n- name: payments\n  criticality: high\n  selectors:\n  - {}\n");
    let o = kubeward(&[
        "groups",
        "list",
        "--config",
        &path,
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`groups.0.selectors.0`: an empty selector"),
        "{}",
        stderr(&o)
    );
    // scan and config check reject the same file.
    let o = kubeward(&["scan", "--config", &path, dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let o = kubeward(&["config", "check", &path]);
    assert_eq!(o.status.code(), Some(2));
    // The published schema has the groups.
    let schema = stdout(&kubeward(&["config", "schema"]));
    assert!(schema.contains("\"groups\""), "{schema}");
    assert!(schema.contains("\"critical\""), "{schema}");
    // No groups configured.
    let (dir, path) = config("fail-on: high\n");
    let o = kubeward(&[
        "groups",
        "list",
        "--config",
        &path,
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no `groups` are configured"),
        "{}",
        stderr(&o)
    );
}
