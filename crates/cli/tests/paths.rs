//! End-to-end tests of `kubeward paths` on the graph crate's scenario fixtures: every output format,
//! exit codes and errors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SECRETS: &str = "crates/graph/fixtures/internet_to_secrets.yaml";
const NODE: &str = "crates/graph/fixtures/privileged_node_tokens.yaml";
const CREATE_PODS: &str = "crates/graph/fixtures/create_pods_grant.yaml";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .arg("paths")
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            stdout(o),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn edges(path: &serde_json::Value) -> Vec<String> {
    path["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["edge"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn internet_to_secrets_in_text_explains_each_step_and_the_flat_network() {
    let o = run(&["--to", "secrets", "--flat-network", SECRETS]);
    assert_eq!(o.status.code(), Some(1), "a path exits 1");
    let text = stdout(&o);
    assert!(
        text.contains("the internet --exposed-to-internet--> Service shop/web"),
        "{text}"
    );
    assert!(
        text.contains("--can-read-secret--> every Secret in every namespace")
            && text.contains("--includes--> Secret payments/db-password"),
        "{text}"
    );
    assert!(text.contains("Deployment shop/web has findings:"), "{text}");
    assert!(text.contains("Fixes that cut the most paths:"), "{text}");
    assert!(
        text.contains("assume no NetworkPolicy enforcement"),
        "{text}"
    );
}

#[test]
fn internet_to_secrets_in_json() {
    let o = run(&["--to", "secrets", "--format", "json", SECRETS]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(
        edges(&v["paths"][0]),
        [
            "exposed-to-internet",
            "selects",
            "runs-as",
            "granted",
            "can-read-secret",
            "includes"
        ]
    );
    assert_eq!(v["paths"][0]["steps"][0]["evidence"]["rule"], "NET002");
    assert_eq!(
        v["graph"]["flat_network"], false,
        "NetworkPolicies by default"
    );
    assert!(v["graph"]["edges"]["selects"].as_u64().unwrap() >= 1);
    assert_eq!(v["cuts"][0]["paths_cut"], 1);
    assert!(v["notes"][0].as_str().unwrap().contains("NetworkPolicies"));
}

#[test]
fn privileged_pod_reaches_other_namespaces_tokens_and_cluster_admin() {
    let o = run(&[
        "--from",
        "dev/debug",
        "--to",
        "prod/api-sa",
        "--format",
        "json",
        NODE,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        edges(&json(&o)["paths"][0]),
        ["escapes-to-node", "node-holds"]
    );
    let o = run(&["--from", "dev/debug", "--format", "json", NODE]);
    let v = json(&o);
    assert_eq!(
        edges(&v["paths"][0]),
        ["escapes-to-node", "node-holds", "granted", "can-escalate"]
    );
    assert_eq!(v["to"], "cluster-admin");
}

#[test]
fn create_pods_grant_leads_to_the_privileged_service_account() {
    let o = run(&[
        "--from",
        "ci/runner",
        "-k",
        "5",
        "--format",
        "json",
        CREATE_PODS,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    let found = v["paths"].as_array().unwrap().iter().any(|p| {
        p["steps"]
            .as_array()
            .unwrap()
            .iter()
            .zip(p["steps"].as_array().unwrap().iter().skip(1))
            .any(|(grant, member)| {
                grant["edge"] == "can-create-pods"
                    && grant["to"]["type"] == "every"
                    && member["edge"] == "includes"
                    && member["to"]["name"] == "deployer"
            })
    });
    assert!(found, "{v:#}");
}

#[test]
fn dot_and_mermaid_draw_the_union_of_the_paths() {
    let o = run(&["--to", "secrets", "--format", "dot", SECRETS]);
    let dot = stdout(&o);
    assert!(dot.starts_with("digraph attack_paths {"), "{dot}");
    assert!(dot.contains("[label=\"can-read-secret\"]"), "{dot}");
    assert!(
        dot.contains("NetworkPolic"),
        "the caveat is kept as a comment: {dot}"
    );
    let o = run(&["--to", "secrets", "--format", "mermaid", SECRETS]);
    let mermaid = stdout(&o);
    assert!(mermaid.starts_with("flowchart LR"), "{mermaid}");
    assert!(mermaid.contains("-->|exposed-to-internet|"), "{mermaid}");
    assert!(mermaid.contains("Secret payments/db-password"), "{mermaid}");
}

#[test]
fn no_path_exits_zero() {
    let o = run(&["--from", "payments/batch", "--to", "cluster-admin", SECRETS]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("No attack path found."));
}

#[test]
fn bad_endpoints_are_usage_errors() {
    let o = run(&["--from", "somewhere", SECRETS]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown entry point `somewhere`"));
    let o = run(&["--from", "shop/nope", SECRETS]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no workload shop/nope"));
}

const NETPOL: &str = "crates/graph/fixtures/netpol_lateral.yaml";

#[test]
fn network_policies_decide_lateral_hops_by_default() {
    let o = run(&["--from", "shop/batch", "--to", "shop/api", NETPOL]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let o = run(&[
        "--from",
        "shop/batch",
        "--to",
        "shop/api",
        "--flat-network",
        NETPOL,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("assume no NetworkPolicy enforcement"));
    let o = run(&[
        "--from", "shop/web", "--to", "shop/api", "--format", "json", NETPOL,
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(
        v["paths"][0]["steps"][0]["evidence"]["object"],
        "NetworkPolicy/shop/api-from-web"
    );
}

#[test]
fn a_configuration_file_is_read_as_by_scan() {
    let dir = std::env::temp_dir().join(format!("kubeward-paths-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(repo().join(SECRETS), dir.join("cluster.yaml")).unwrap();
    // Without configuration the exposure step carries NET002; a config ignoring it drops it.
    let first_rule = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_kubeward"))
            .arg("paths")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        json(&o)["paths"][0]["steps"][0]["evidence"]["rule"].clone()
    };
    let args = ["--to", "secrets", "--format", "json", "cluster.yaml"];
    assert_eq!(first_rule(&args), "NET002");
    std::fs::write(dir.join(".kubeward.yaml"), "ignore: [NET002]\n").unwrap();
    assert_ne!(
        first_rule(&args),
        "NET002",
        "the discovered .kubeward.yaml applies"
    );
    let mut no_config = args.to_vec();
    no_config.push("--no-config");
    assert_eq!(first_rule(&no_config), "NET002");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cluster_options_need_cluster() {
    let o = run(&["--context", "x", SECRETS]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("need --cluster"));
}
