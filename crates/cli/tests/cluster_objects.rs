#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! `kubeward scan` on what the API shows of nodes and the control plane (issue 6): Node objects and
//! kubeadm's mirror pods, as in `examples/cluster-dump`.

use std::process::Command;

fn scan_json(args: &[&str]) -> serde_json::Value {
    let dir = format!("{}/../../examples/cluster-dump", env!("CARGO_MANIFEST_DIR"));
    let o = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(["scan", &dir, "--format", "json", "--no-config"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn messages<'v>(doc: &'v serde_json::Value, rule: &str) -> Vec<&'v str> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"]["id"] == rule)
        .map(|f| f["message"].as_str().unwrap())
        .collect()
}

#[test]
fn control_plane_flags_are_judged_from_mirror_pods() {
    let doc = scan_json(&["--select", "CP100"]);
    let found = messages(&doc, "CP100");
    // The dump's API server leaves anonymous auth, profiling and the audit log at their defaults.
    for check in ["CP001", "CP016", "CP017"] {
        assert!(
            found.iter().any(|m| m.starts_with(&format!("[{check} "))),
            "{check}: {found:?}"
        );
    }
    assert!(found.iter().any(|m| m.contains("CIS 1.2.1")), "{found:?}");
    // etcd is configured with client and peer TLS: nothing about it.
    assert!(!found.iter().any(|m| m.starts_with("[ETCD")), "{found:?}");
    // Findings point at the pod, in the file it came from.
    let finding = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["id"] == "CP100")
        .unwrap();
    assert_eq!(finding["object"]["name"], "kube-apiserver-cp-1");
    assert!(
        finding["location"]["file"]
            .as_str()
            .unwrap()
            .ends_with("kube-system.yaml")
    );
}

#[test]
fn nodes_are_judged_by_version_address_and_image() {
    let doc = scan_json(&["--select", "VER,HOST"]);
    let skew = messages(&doc, "VER003");
    assert_eq!(skew.len(), 1, "{skew:?}");
    assert!(skew[0].contains("worker-1"));
    let public = messages(&doc, "HOST007");
    assert_eq!(public.len(), 1, "{public:?}");
    assert!(public[0].contains("34.141.20.7"));
    let images = messages(&doc, "HOST005");
    assert_eq!(images.len(), 2, "Flatcar is immutable: {images:?}");
    // v1.29 ended its life in 2025: whatever the date of the test run, it stays past.
    assert!(
        messages(&doc, "VER001")
            .iter()
            .any(|m| m.contains("1.29.6"))
    );
    assert!(messages(&doc, "VER004").iter().any(|m| m.contains("CVE-")));
}

/// `--cve-db` replaces the embedded CVE data for the VER rules of `scan`, as for `kubeward node`.
#[test]
fn a_cve_database_given_on_the_command_line_replaces_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cves.json");
    std::fs::write(
        &db,
        r#"{"format": "kubeward-cve-db/1", "source": "test", "cves": [
            {"id": "CVE-2099-0001", "summary": "made up for a test", "severity": "critical",
             "affected": [{"component": "kubelet", "introduced": "1.33.0", "fixed": "1.33.99"}]}
        ]}"#,
    )
    .unwrap();
    let doc = scan_json(&["--select", "VER004", "--cve-db", db.to_str().unwrap()]);
    let found = messages(&doc, "VER004");
    // Only the made-up CVE: the embedded ones are gone; both 1.33.4 kubelets have it.
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found
            .iter()
            .all(|m| m.contains("CVE-2099-0001 (critical, fixed in 1.33.99)"))
    );
    let embedded = scan_json(&["--select", "VER004"]);
    assert!(
        messages(&embedded, "VER004")
            .iter()
            .all(|m| !m.contains("CVE-2099"))
    );

    // A broken file is a usage error before anything is scanned.
    std::fs::write(&db, "{\"format\": 1").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args(["scan", "--no-config", "--cve-db", db.to_str().unwrap(), "."])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("--cve-db") && stderr.contains("cves.json"),
        "{stderr}"
    );
}
