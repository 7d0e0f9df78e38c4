//! End-to-end tests of `kubeward netpol`: can-reach, matrix and exposure on the NetworkPolicy
//! engine's fixtures, in text and JSON, with their exit codes and errors.

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

const DEFAULTING: &str = "crates/netpol/fixtures/07_policy_types_defaulting.yaml";
const COMBINED: &str = "crates/netpol/fixtures/11_namespace_and_pod_selector_combined.yaml";
const IP_BLOCKS: &str = "crates/netpol/fixtures/13_ip_block_with_except.yaml";

#[test]
fn can_reach_allowed_names_the_rules_and_exits_0() {
    let o = run(&["netpol", "can-reach", "shop/web", "shop/db", DEFAULTING]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("shop/web -> shop/db (any port): allowed"),
        "{out}"
    );
    assert!(
        out.contains("shop/web-egress-to-db spec.egress[0]"),
        "{out}"
    );
    assert!(out.contains("shop/db-from-web spec.ingress[0]"), "{out}");
}

#[test]
fn can_reach_denied_exits_1_and_json_says_why() {
    let o = run(&[
        "netpol",
        "can-reach",
        "other/client",
        "shop/web",
        "--port",
        "443/TCP",
        "--format",
        "json",
        DEFAULTING,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["allowed"], false);
    assert_eq!(v["port"], "443/TCP");
    let pair = &v["pairs"][0];
    assert_eq!(pair["ingress"]["isolated_by"][0], "shop/web-egress-to-db");
    assert_eq!(pair["ingress"]["allowed"], false);
    assert_eq!(pair["egress"]["allowed"], true);
}

#[test]
fn can_reach_from_the_internet_through_an_ip_block() {
    let o = run(&[
        "netpol",
        "can-reach",
        "0.0.0.0/0",
        "shop/web",
        "-f",
        "json",
        IP_BLOCKS,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        json(&o)["pairs"][0]["ingress"]["rules"][0]["policy"],
        "shop/web-ip-blocks"
    );
    let metadata = run(&[
        "netpol",
        "can-reach",
        "shop/web",
        "169.254.169.254",
        IP_BLOCKS,
    ]);
    assert_eq!(metadata.status.code(), Some(1), "{}", stdout(&metadata));
}

#[test]
fn selectors_answer_for_every_matching_workload() {
    let o = run(&["netpol", "can-reach", "team=x", "shop/db", COMBINED]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "netpol",
        "can-reach",
        "other/app=client",
        "shop/app=db",
        COMBINED,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn unknown_workload_is_an_error_with_a_suggestion() {
    let o = run(&["netpol", "can-reach", "shop/wbe", "shop/db", DEFAULTING]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `shop/web`?"),
        "{}",
        stderr(&o)
    );
    let bad_port = run(&[
        "netpol",
        "can-reach",
        "shop/web",
        "shop/db",
        "--port",
        "80/ICMP",
        DEFAULTING,
    ]);
    assert_eq!(bad_port.status.code(), Some(2));
}

#[test]
fn matrix_in_text_and_json_agrees_with_can_reach() {
    let o = run(&["netpol", "matrix", "-f", "json", COMBINED]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let names: Vec<&str> = v["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(names, ["shop/web", "shop/db", "other/client", "other/tool"]);
    for (i, from) in names.iter().enumerate() {
        for (j, to) in names.iter().enumerate() {
            let single = run(&["netpol", "can-reach", from, to, COMBINED]);
            assert_eq!(
                v["allowed"][i][j].as_bool().unwrap(),
                single.status.code() == Some(0),
                "{from} -> {to}"
            );
        }
    }
    let text = run(&["netpol", "matrix", "-n", "shop", COMBINED]);
    assert!(stdout(&text).contains("[1] shop/web"), "{}", stdout(&text));
    assert!(!stdout(&text).contains("other/client"));
    let none = run(&["netpol", "matrix", "-n", "nope", COMBINED]);
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn exposure_reports_isolation_and_open_workloads() {
    let o = run(&["netpol", "exposure", "-f", "json", IP_BLOCKS]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    let web = &v["workloads"][0];
    assert_eq!(web["endpoint"]["name"], "web");
    assert_eq!(web["isolated"], true);
    assert_eq!(web["from_internet"], false, "172.17.0.0/16 is private");
    assert_eq!(
        v["workloads"][1]["from_internet"], true,
        "db is not isolated"
    );
    let demo = run(&[
        "netpol",
        "exposure",
        "-f",
        "json",
        "crates/netpol/fixtures/apps/microservices_demo.yaml",
    ]);
    let routed: Vec<String> = json(&demo)["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| !w["routed_from_outside"].as_array().unwrap().is_empty())
        .map(|w| format!("{} {}", w["endpoint"]["name"], w["routed_from_outside"][0]))
        .collect();
    assert_eq!(
        routed,
        ["\"frontend\" \"Service `frontend-external` (a public load balancer)\""]
    );
    let text = run(&["netpol", "exposure", IP_BLOCKS]);
    assert!(stdout(&text).contains("3 workloads: 2 not isolated for ingress"));
}

#[test]
fn generate_writes_verified_policies_that_scan_accepts() {
    let app = "crates/netpol/fixtures/apps/microservices_demo.yaml";
    let o = run(&["netpol", "generate", app]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let yaml = stdout(&o);
    assert_eq!(yaml.matches("kind: NetworkPolicy").count(), 2 + 12 + 4);
    assert!(
        stderr(&o).contains("16 declared flows and 1 exposed workloads kept"),
        "{}",
        stderr(&o)
    );
    // Applied next to the app, the policies leave nothing for the default-deny rules to report.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join(app), dir.path().join("app.yaml")).unwrap();
    std::fs::write(dir.path().join("policies.yaml"), &yaml).unwrap();
    let scan = run(&[
        "scan",
        "--select",
        "NET001,NET010,NET011,NET012",
        "--format",
        "json",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        json(&scan)["findings"].as_array().unwrap().len(),
        0,
        "{}",
        stdout(&scan)
    );
    let json_out = run(&["netpol", "generate", "-n", "default", "-f", "json", app]);
    assert_eq!(json(&json_out)["policies"].as_array().unwrap().len(), 18);
    let none = run(&["netpol", "generate", "-n", "nope", app]);
    assert_eq!(none.status.code(), Some(2));
}

#[test]
fn generate_adds_flows_from_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let app = repo().join("crates/netpol/fixtures/apps/gateway_udp.yaml");
    std::fs::copy(&app, dir.path().join("app.yaml")).unwrap();
    std::fs::write(
        dir.path().join(".kubeward.yaml"),
        "netpol:\n  flows:\n  - {from: games/debug, to: games/game, ports: [8080/TCP]}\n",
    )
    .unwrap();
    let o = run(&["netpol", "generate", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("2 declared flows"), "{}", stderr(&o));
    assert!(stdout(&o).contains("kubeward-pod-debug-egress"));
    std::fs::write(
        dir.path().join(".kubeward.yaml"),
        "netpol:\n  flows:\n  - {from: games/debg, to: games/game}\n",
    )
    .unwrap();
    let bad = run(&["netpol", "generate", dir.path().to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("did you mean `games/debug`?"),
        "{}",
        stderr(&bad)
    );
}
