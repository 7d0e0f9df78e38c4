#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! End-to-end tests of `kubeward pss check` and `kubeward pss predict`: verdicts, JSON shape, exit codes
//! and argument errors.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn kubeward(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(args)
        .env("KUBEWARD_TEST", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

const RESTRICTED_POD: &str = "apiVersion: v1
kind: Pod
metadata: {name: good, namespace: apps}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: app
    image: i
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
";

const PRIVILEGED_DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec:
  template:
    spec:
      initContainers:
      - name: setup
        image: i
        securityContext: {privileged: true}
      containers:
      - name: app
        image: i
";

fn both() -> String {
    format!("{RESTRICTED_POD}---\n{PRIVILEGED_DEPLOYMENT}")
}

#[test]
fn check_json_has_the_documented_shape() {
    let o = kubeward(
        &[
            "pss", "check", "--level", "baseline", "--format", "json", "-",
        ],
        &both(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let objects = v["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[0]["kind"], "Pod");
    assert_eq!(objects[0]["name"], "good");
    assert_eq!(objects[0]["namespace"], "apps");
    assert_eq!(objects[0]["allowed"], true);
    assert_eq!(objects[0]["violations"], serde_json::json!([]));
    assert!(objects[0]["file"].is_string());
    assert_eq!(objects[1]["kind"], "Deployment");
    assert_eq!(objects[1]["allowed"], false);
    assert_eq!(
        objects[1]["violations"],
        serde_json::json!([{
            "check": "privileged",
            "message": "privileged (container \"setup\" must not set securityContext.privileged=true)"
        }])
    );
    let mut keys: Vec<_> = objects[1].as_object().unwrap().keys().cloned().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["allowed", "file", "kind", "name", "namespace", "violations"]
    );
}

#[test]
fn check_exits_zero_when_everything_is_allowed() {
    let o = kubeward(
        &["pss", "check", "--level", "restricted", "-"],
        RESTRICTED_POD,
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(out(&o).contains("Pod apps/good: allowed"), "{}", out(&o));
    assert!(out(&o).contains("1 allowed, 0 rejected"), "{}", out(&o));
}

#[test]
fn check_text_names_checks_containers_and_fields() {
    let o = kubeward(
        &["pss", "check", "--level", "restricted", "-"],
        PRIVILEGED_DEPLOYMENT,
    );
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    for expected in [
        "Deployment apps/web: rejected",
        "privileged: privileged (container \"setup\" must not set securityContext.privileged=true)",
        "allowPrivilegeEscalation: allowPrivilegeEscalation != false (containers \"setup\", \"app\" must set securityContext.allowPrivilegeEscalation=false)",
        "runAsNonRoot: runAsNonRoot != true (pod or containers \"setup\", \"app\" must set securityContext.runAsNonRoot=true)",
        "seccompProfile_restricted:",
        "capabilities_restricted:",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn check_text_points_at_the_offending_value() {
    let o = kubeward(
        &["pss", "check", "--level", "baseline", "-"],
        PRIVILEGED_DEPLOYMENT,
    );
    // `privileged: true` of the init container: line 10, the value at column 39 (1-based).
    assert!(
        out(&o).contains(":10:39 privileged: privileged (container \"setup\""),
        "{}",
        out(&o)
    );
}

#[test]
fn check_version_changes_the_verdict() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls: [{name: net.ipv4.tcp_keepalive_time, value: '60'}]\n  containers: [{name: a, image: i}]\n";
    let old = kubeward(
        &[
            "pss",
            "check",
            "--level",
            "baseline",
            "--version",
            "v1.28",
            "-",
        ],
        pod,
    );
    assert_eq!(old.status.code(), Some(1));
    assert!(
        out(&old).contains("sysctls: forbidden sysctls (net.ipv4.tcp_keepalive_time)"),
        "{}",
        out(&old)
    );
    let new = kubeward(
        &[
            "pss",
            "check",
            "--level",
            "baseline",
            "--version",
            "v1.29",
            "-",
        ],
        pod,
    );
    assert_eq!(new.status.code(), Some(0), "{}", out(&new));
}

#[test]
fn bad_level_or_version_is_a_usage_error() {
    let o = kubeward(&["pss", "check", "--level", "strict", "-"], RESTRICTED_POD);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("unknown Pod Security level `strict`"),
        "{}",
        err(&o)
    );
    let o = kubeward(
        &[
            "pss",
            "check",
            "--level",
            "baseline",
            "--version",
            "1.30",
            "-",
        ],
        RESTRICTED_POD,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains("expected `latest` or `v1.N`"),
        "{}",
        err(&o)
    );
}

#[test]
fn unreadable_input_exits_two_but_still_reports_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.yaml");
    std::fs::write(&good, RESTRICTED_POD).unwrap();
    let missing = dir.path().join("missing.yaml");
    let o = kubeward(
        &[
            "pss",
            "check",
            "--level",
            "restricted",
            good.to_str().unwrap(),
            missing.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    assert!(out(&o).contains("Pod apps/good: allowed"), "{}", out(&o));
    assert!(err(&o).contains("missing.yaml"), "{}", err(&o));
}

const NAMESPACES: &str = "apiVersion: v1
kind: Namespace
metadata:
  name: apps
  labels: {pod-security.kubernetes.io/enforce: privileged}
---
apiVersion: v1
kind: Namespace
metadata:
  name: locked
  labels: {pod-security.kubernetes.io/enforce: restricted, pod-security.kubernetes.io/enforce-version: v1.30}
---
apiVersion: v1
kind: Namespace
metadata: {name: open}
";

#[test]
fn predict_lists_rejected_workloads_and_weak_namespaces() {
    let input = format!("{NAMESPACES}---\n{}", both());
    let o = kubeward(&["pss", "predict", "--level", "baseline", "-"], &input);
    assert_eq!(o.status.code(), Some(1), "{}", err(&o));
    let text = out(&o);
    assert!(
        text.contains("namespace apps: enforces privileged"),
        "{text}"
    );
    assert!(
        text.contains("1 of 2 workloads would be rejected"),
        "{text}"
    );
    assert!(text.contains("Deployment web"), "{text}");
    assert!(
        text.contains("namespace locked: enforces restricted:v1.30"),
        "{text}"
    );
    assert!(text.contains("namespace open: enforces nothing"), "{text}");

    let o = kubeward(
        &[
            "pss", "predict", "--level", "baseline", "--format", "json", "-",
        ],
        &input,
    );
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    let namespaces = v["namespaces"].as_array().unwrap();
    let apps = namespaces.iter().find(|n| n["name"] == "apps").unwrap();
    assert_eq!(apps["weak"], true);
    assert_eq!(apps["workloads"], 2);
    assert_eq!(apps["rejected"][0]["name"], "web");
    assert_eq!(apps["rejected"][0]["violations"][0]["check"], "privileged");
    let locked = namespaces.iter().find(|n| n["name"] == "locked").unwrap();
    assert_eq!(locked["weak"], false);
    assert_eq!(locked["enforce"]["version"], "v1.30");
    let open = namespaces.iter().find(|n| n["name"] == "open").unwrap();
    assert_eq!(open["weak"], true);
}

#[test]
fn predict_is_clean_when_nothing_would_be_rejected() {
    let input = format!(
        "apiVersion: v1\nkind: Namespace\nmetadata: {{name: apps, labels: {{pod-security.kubernetes.io/enforce: baseline}}}}\n---\n{RESTRICTED_POD}"
    );
    let o = kubeward(
        &[
            "pss",
            "predict",
            "--level",
            "restricted",
            "--version",
            "v1.25",
            "-",
        ],
        &input,
    );
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(
        out(&o).contains("0 of 1 workloads would be rejected"),
        "{}",
        out(&o)
    );
}

#[test]
fn predict_reports_what_current_labels_already_reject() {
    // The Deployment comes before its Namespace: order must not matter.
    let input = format!(
        "{PRIVILEGED_DEPLOYMENT}---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: apps, labels: {{pod-security.kubernetes.io/enforce: baseline, pod-security.kubernetes.io/enforce-version: v1.25}}}}\n"
    );
    let o = kubeward(&["pss", "predict", "--level", "restricted", "-"], &input);
    let text = out(&o);
    assert!(
        text.contains(
            "under the current labels (baseline:v1.25): 1 of 1 workloads are rejected already"
        ),
        "{text}"
    );
    let o = kubeward(
        &["pss", "predict", "--level", "restricted", "-f", "json", "-"],
        &input,
    );
    let v: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(v["namespaces"][0]["rejected_now"][0]["name"], "web");
    assert_eq!(v["namespaces"][0]["enforce"]["version"], "v1.25");
}

#[test]
fn predict_falls_back_to_restricted_for_invalid_labels() {
    let input = "apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {pod-security.kubernetes.io/enforce: strict}}\n";
    let o = kubeward(&["pss", "predict", "--level", "baseline", "-"], input);
    assert!(
        out(&o).contains("the API server enforces restricted:latest"),
        "{}",
        out(&o)
    );
}
