#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The ClusterRoles in `deploy/` grant exactly what the collector reads, read-only.

use std::collections::BTreeSet;
use std::path::Path;

use kubeward_cluster::kinds::WANTED;
use serde_json::Value;

/// (group, resource) pairs a ClusterRole grants, checking that every verb is read-only.
fn granted(file: &str) -> BTreeSet<(String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../deploy")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = kubeward_source::load_text(file, text, &kubeward_source::Limits::default());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let role: Value = loaded
        .documents
        .iter()
        .map(|d| d.root.to_json())
        .find(|d| d["kind"] == "ClusterRole")
        .unwrap();
    let mut out = BTreeSet::new();
    for rule in role["rules"].as_array().unwrap() {
        let verbs: Vec<&str> = rule["verbs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(
            verbs.iter().all(|v| matches!(*v, "get" | "list" | "watch")),
            "{file}: {verbs:?} is not read-only"
        );
        if rule.get("nonResourceURLs").is_some() {
            continue;
        }
        for group in rule["apiGroups"].as_array().unwrap() {
            for resource in rule["resources"].as_array().unwrap() {
                assert!(!resource.as_str().unwrap().contains('*'), "no wildcards");
                out.insert((
                    group.as_str().unwrap().to_string(),
                    resource.as_str().unwrap().to_string(),
                ));
            }
        }
    }
    out
}

fn wanted(secrets: bool) -> BTreeSet<(String, String)> {
    WANTED
        .iter()
        .filter(|w| secrets || w.plural != "secrets")
        .map(|w| (w.group.to_string(), w.plural.to_string()))
        .collect()
}

#[test]
fn the_reader_role_grants_what_is_read_and_nothing_else() {
    assert_eq!(granted("kubeward-reader.yaml"), wanted(true));
}

#[test]
fn the_no_secrets_role_grants_nothing_on_secrets() {
    assert_eq!(granted("kubeward-reader-no-secrets.yaml"), wanted(false));
}
