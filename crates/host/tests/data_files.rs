//! Replacing the embedded data: a CVE database in the documented format is loaded and used.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kubeward_host::{
    CollectOptions, EvalOptions, HostError, Releases, Status, collect, evaluate_with, load_cve_db,
};

#[test]
fn custom_cve_db_is_used() {
    let dir = std::env::temp_dir().join(format!("kubeward-host-data-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("root/etc/kubernetes/manifests")).unwrap();
    std::fs::write(
        dir.join("root/etc/kubernetes/manifests/kube-apiserver.yaml"),
        "kind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.2\n    command: [kube-apiserver]\n",
    )
    .unwrap();
    let db_path = dir.join("cves.json");
    std::fs::write(
        &db_path,
        r#"{
  "format": "kubeward-cve-db/1",
  "source": "test",
  "cves": [
    {"id": "CVE-2099-0001", "summary": "test entry", "severity": "critical",
     "affected": [{"component": "kube-apiserver", "introduced": "1.34.0", "fixed": "1.34.3"}]},
    {"id": "CVE-2099-0002", "summary": "not this version", "severity": "high",
     "affected": [{"component": "kube-apiserver", "introduced": "1.33.0", "last_affected": "1.33.9"}]}
  ]
}"#,
    )
    .unwrap();
    let db = load_cve_db(&db_path).unwrap();
    let facts = collect(&dir.join("root"), &CollectOptions::default()).unwrap();
    let opts = EvalOptions::default().on_date("2026-07-01").unwrap();
    let report = evaluate_with(&facts, &opts, &db, &Releases::embedded().unwrap());
    let ver = report.result("VER004").unwrap();
    assert_eq!(ver.status, Status::Fail);
    assert_eq!(ver.evidence.len(), 1);
    assert_eq!(ver.evidence[0].subject, "CVE-2099-0001");
    assert!(
        ver.evidence[0]
            .value
            .as_deref()
            .unwrap()
            .contains("fixed in 1.34.3")
    );

    std::fs::write(&db_path, "{\"cves\": 3}").unwrap();
    assert!(matches!(
        load_cve_db(&db_path),
        Err(HostError::DataFile { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}
