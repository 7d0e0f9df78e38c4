//! The HTML risk map in a real browser: `tests/browser/risk-map.test.mjs` opens a page written by
//! `kubeward paths --format html` in headless Chromium through Playwright and checks it renders
//! offline, with evidence on click and no network request.
//!
//! Needs `node`, Chromium (`/usr/bin/chromium` or `$CHROMIUM`) and `npm ci --prefix tests/browser`.
//! Skipped with a message when one is missing, unless `KUBEWARD_REQUIRE_BROWSER_TESTS=1` (set by
//! `scripts/test.sh` once it installed them), which turns a missing one into a failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Why the browser test cannot run here, if it cannot.
fn missing() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "Chromium not found at {chromium} (apt-get install chromium)"
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node not found".into());
    }
    let pw = repo().join("tests/browser/node_modules/playwright-core");
    if !pw.exists() {
        return Some(format!(
            "{} missing (npm ci --prefix tests/browser)",
            pw.display()
        ));
    }
    None
}

fn skip_or_fail() -> bool {
    let Some(why) = missing() else {
        return false;
    };
    if std::env::var("KUBEWARD_REQUIRE_BROWSER_TESTS").as_deref() == Ok("1") {
        panic!("browser test required (KUBEWARD_REQUIRE_BROWSER_TESTS=1) but {why}");
    }
    eprintln!("SKIPPED browser test: {why}; set KUBEWARD_REQUIRE_BROWSER_TESTS=1 to fail instead");
    true
}

fn kubeward(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .arg("paths")
        .arg("--no-config")
        .args(args)
        .output()
        .unwrap()
}

/// Nodes and edges of the union of the report's paths, as the page should draw them.
fn union_counts(json: &[u8]) -> (usize, usize) {
    let v: serde_json::Value = serde_json::from_slice(json).unwrap();
    let mut nodes = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for path in v["paths"].as_array().unwrap() {
        nodes.insert(path["start"].to_string());
        for s in path["steps"].as_array().unwrap() {
            let (a, b) = (s["from"].to_string(), s["to"].to_string());
            edges.insert((a.clone(), s["edge"].to_string(), b.clone()));
            nodes.insert(a);
            nodes.insert(b);
        }
    }
    (nodes.len(), edges.len())
}

#[test]
fn the_html_map_renders_offline_in_chromium() {
    if skip_or_fail() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("kubeward-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // A fixture with several paths, plus a pod whose name is markup.
    let mut input =
        std::fs::read_to_string(repo().join("crates/graph/fixtures/privileged_node_tokens.yaml"))
            .unwrap();
    input.push_str("\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: '<img src=x onerror=alert(1)>', namespace: dev}\nspec: {hostPID: true, containers: [{name: '<script>alert(2)</script>', image: 'x:1'}]}\n");
    let yaml = dir.join("cluster.yaml");
    std::fs::write(&yaml, input).unwrap();
    let yaml = yaml.to_str().unwrap();
    let args = ["--from", "any-pod", "--to", "nodes", "-k", "20"];
    let json = kubeward(&[&args[..], &["--format", "json", yaml]].concat());
    assert_eq!(json.status.code(), Some(1), "paths found");
    let (nodes, edges) = union_counts(&json.stdout);
    let page = dir.join("map.html");
    let html = kubeward(
        &[
            &args[..],
            &["--format", "html", "-o", page.to_str().unwrap(), yaml],
        ]
        .concat(),
    );
    assert_eq!(
        html.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&html.stderr)
    );

    let out = Command::new("node")
        .arg("risk-map.test.mjs")
        .arg(&page)
        .arg(nodes.to_string())
        .arg(edges.to_string())
        .current_dir(repo().join("tests/browser"))
        .output()
        .unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "browser test failed:\n{log}");
    assert!(
        log.contains(&format!("ok: {nodes} nodes, {edges} edges")),
        "{log}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
