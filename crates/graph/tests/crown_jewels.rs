//! Crown jewels (configured asset groups) as path targets and as a weight on blast radius.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use kubeward_graph::{
    BlastRadius, CrownJewel, Entry, GraphInput, JewelReached, MAX_BLAST, RiskGraph, Target,
    risk_scores, risk_scores_with,
};
use kubeward_rules::config;
use kubeward_rules::groups::{AssetGroup, Criticality};
use kubeward_rules::{Scan, Settings, scan_loaded};
use kubeward_source::LoadOptions;

/// A pod in `shop` mounting the `payments` database password; a pod in `batch` that holds nothing.
const CLUSTER: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec:
      automountServiceAccountToken: false
      containers:
      - name: app
        image: shop/web:latest
        env:
        - name: KEY
          valueFrom: {secretKeyRef: {name: api-key, key: key}}
---
apiVersion: v1
kind: Secret
metadata: {name: api-key, namespace: shop, labels: {tier: crown}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: batch}
spec:
  template:
    spec:
      automountServiceAccountToken: false
      containers:
      - name: app
        image: batch/worker:latest
";

fn scan(text: &str) -> Scan {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kubeward-jewels-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("input.yaml");
    std::fs::write(&file, text).unwrap();
    let loaded = kubeward_source::load(&[file], &LoadOptions::default());
    let scan = scan_loaded(loaded, &Settings::default());
    std::fs::remove_dir_all(&dir).unwrap();
    scan
}

fn groups(yaml: &str) -> Vec<AssetGroup> {
    let c = config::parse(".kubeward.yaml", Path::new(".kubeward.yaml"), yaml.into()).unwrap();
    config::build_groups(&c.config, Some(&c)).unwrap()
}

fn jewel(criticality: &str, scan: &Scan) -> CrownJewel {
    let g = groups(&format!(
        "groups:\n- name: keys\n  criticality: {criticality}\n  selectors:\n  - labels: {{tier: crown}}\n"
    ));
    CrownJewel::of(&g[0], &scan.inventory)
}

fn graph(scan: &Scan) -> RiskGraph {
    RiskGraph::build(&GraphInput {
        inventory: &scan.inventory,
        findings: &scan.result.findings,
        reachability: None,
    })
}

/// The score of the image-tag finding on the named workload.
fn img001(
    scan: &Scan,
    scores: &[kubeward_graph::RiskScore],
    name: &str,
) -> kubeward_graph::RiskScore {
    scan.result
        .findings
        .iter()
        .zip(scores)
        .find(|(f, _)| f.rule_id == "IMG001" && f.object.as_ref().is_some_and(|o| o.name == name))
        .map(|(_, s)| s.clone())
        .unwrap()
}

#[test]
fn criticality_weights_the_blast_radius_of_what_leads_to_the_group() {
    let scan = scan(CLUSTER);
    let g = graph(&scan);
    let plain = img001(&scan, &risk_scores(&g, &scan.result.findings), "web");
    assert!(plain.blast_radius.secrets);
    assert_eq!(plain.blast_radius.crown_jewel, None);
    assert_eq!(plain.blast_factor, 2);
    let mut factors = Vec::new();
    for (criticality, expected) in [("low", 2), ("medium", 3), ("high", 4), ("critical", 5)] {
        let jewels = [jewel(criticality, &scan)];
        let scores = risk_scores_with(&g, &scan.result.findings, &jewels);
        let web = img001(&scan, &scores, "web");
        assert_eq!(web.blast_factor, expected, "{criticality}");
        assert_eq!(web.score, web.severity * web.exposure_factor * expected);
        assert_eq!(
            web.blast_radius
                .crown_jewel
                .as_ref()
                .map(|j| j.name.as_str()),
            Some("keys")
        );
        factors.push(web.blast_factor);
        // The worker leads nowhere: no group, no weight.
        let worker = img001(&scan, &scores, "worker");
        assert_eq!(worker.blast_radius.crown_jewel, None);
        assert_eq!(worker.blast_factor, 1);
    }
    assert!(factors.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn blast_radius_is_capped_and_reports_the_most_critical_group() {
    let all = BlastRadius {
        cluster_admin: true,
        nodes: true,
        secrets: true,
        crown_jewel: Some(JewelReached {
            name: "payments".into(),
            criticality: Criticality::Critical,
        }),
    };
    assert_eq!(all.factor(), MAX_BLAST);
    assert_eq!(
        all.words(),
        "leads to cluster-admin, nodes, Secrets, group payments (critical)"
    );
    assert_eq!(BlastRadius::default().words(), "contained");

    let scan = scan(CLUSTER);
    let g = graph(&scan);
    let jewels = [jewel("low", &scan), {
        let mut j = jewel("high", &scan);
        j.name = "keys-high".into();
        j
    }];
    let scores = risk_scores_with(&g, &scan.result.findings, &jewels);
    let web = img001(&scan, &scores, "web");
    assert_eq!(
        web.blast_radius.crown_jewel,
        Some(JewelReached {
            name: "keys-high".into(),
            criticality: Criticality::High
        })
    );
}

#[test]
fn groups_are_path_targets() {
    let scan = scan(CLUSTER);
    let g = graph(&scan);
    let mut target: Target = "group:keys".parse().unwrap();
    // Without members (not resolved), the group names nothing in the map.
    assert!(g.attack_paths(&Entry::AnyPod, &target, 3).is_err());
    if let Target::Group { members, .. } = &mut target {
        *members = jewel("critical", &scan).objects;
    }
    let report = g.attack_paths(&Entry::AnyPod, &target, 3).unwrap();
    assert_eq!(report.paths.len(), 1);
    assert_eq!(
        report.paths[0].steps.last().unwrap().to.to_string(),
        "Secret shop/api-key"
    );
    assert!("group:".parse::<Target>().is_err());
}
