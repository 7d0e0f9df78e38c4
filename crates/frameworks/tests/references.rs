//! Meta-tests: every framework reference a rule, audit detector or node check declares names a control, and
//! the framework data keeps its invariants.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use kubeward_frameworks::{Status, coverage, find, frameworks, unresolved};

fn rule_refs() -> Vec<(&'static str, &'static [&'static str])> {
    kubeward_rules::registry::RULES
        .iter()
        .map(|r| (r.meta.id, r.meta.frameworks))
        .collect()
}

fn detector_refs() -> Vec<(&'static str, &'static [&'static str])> {
    kubeward_audit::detectors()
        .map(|d| (d.id, d.frameworks))
        .collect()
}

/// Node checks cite bare CIS numbers (`1.2.1`); as references they are `cis:1.2.1`.
fn node_refs() -> Vec<(String, Vec<String>)> {
    kubeward_host::catalog()
        .iter()
        .map(|c| {
            let refs = c.cis.iter().map(|n| format!("cis:{n}")).collect();
            (c.id.to_owned(), refs)
        })
        .collect()
}

#[test]
fn data_parses() {
    let all = frameworks().unwrap();
    let ids: Vec<_> = all.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["CIS", "NSA", "PSS", "OWASP"]);
}

#[test]
fn every_rule_reference_resolves() {
    let all = frameworks().unwrap();
    let bad = unresolved(&all, rule_refs());
    assert!(bad.is_empty(), "rule references naming no control: {bad:?}");
}

#[test]
fn every_detector_reference_resolves() {
    let all = frameworks().unwrap();
    let bad = unresolved(&all, detector_refs());
    assert!(
        bad.is_empty(),
        "detector references naming no control: {bad:?}"
    );
}

#[test]
fn every_node_check_reference_resolves_to_a_node_control() {
    let all = frameworks().unwrap();
    let bad = unresolved(&all, node_refs());
    assert!(
        bad.is_empty(),
        "node check CIS numbers naming no control: {bad:?}"
    );
    let cis = find(&all, "cis").unwrap();
    let mut cov = coverage(cis, std::iter::empty::<(&str, Vec<&str>)>());
    cov.attach_checks(node_refs());
    for c in &cov.controls {
        let is_node = c.control.status == Status::Node;
        assert_eq!(
            is_node,
            !c.checks.is_empty(),
            "CIS {}: status `{}` but node checks {:?}",
            c.control.id,
            c.control.status,
            c.checks
        );
    }
}

#[test]
fn every_pss_check_is_a_control() {
    let all = frameworks().unwrap();
    let pss = find(&all, "pss").unwrap();
    let commanded: BTreeSet<_> = pss
        .controls
        .iter()
        .filter(|c| c.status == Status::Pss)
        .map(|c| c.id.as_str())
        .collect();
    // The level-wide controls are what rules reference as `pss:baseline` and `pss:restricted`.
    assert!(pss.control("baseline").is_some() && pss.control("restricted").is_some());
    assert_eq!(commanded.len(), 19, "{commanded:?}");
}

#[test]
fn data_invariants() {
    for f in frameworks().unwrap() {
        let mut seen = BTreeSet::new();
        for c in &f.controls {
            assert!(seen.insert(&c.id), "{}: duplicate control {}", f.id, c.id);
            assert!(
                !c.title.is_empty() && !c.section.is_empty(),
                "{}: {}",
                f.id,
                c.id
            );
            // `automated` is derived from the rules' references, never declared.
            assert_ne!(
                c.status,
                Status::Automated,
                "{}: {} declares automated",
                f.id,
                c.id
            );
        }
    }
}

#[test]
fn owasp_is_k01_to_k10() {
    let all = frameworks().unwrap();
    let owasp = find(&all, "OWASP").unwrap();
    let ids: Vec<_> = owasp.controls.iter().map(|c| c.id.clone()).collect();
    let expected: Vec<_> = (1..=10).map(|n| format!("K{n:02}")).collect();
    assert_eq!(ids, expected);
}

#[test]
fn coverage_inverts_references() {
    let all = frameworks().unwrap();
    let cis = find(&all, "cis").unwrap();
    let refs: [&[&str]; 2] = [
        &["cis:5.2.2", "nsa:pod-security"],
        &["cis:5.2.2", "cis:5.6.4"],
    ];
    let cov = coverage(cis, [("A", refs[0]), ("B", refs[1])]);
    assert_eq!(cov.control("5.2.2").unwrap().rules, ["A", "B"]);
    assert_eq!(cov.control("5.6.4").unwrap().rules, ["B"]);
    assert_eq!(
        cov.control("5.2.3").unwrap().status,
        Status::NotEvaluatedYet
    );
    assert_eq!(cov.automated(), 2);
    assert_eq!(cov.total(), cis.controls.len());
}

#[test]
fn unknown_references_are_reported() {
    let all = frameworks().unwrap();
    let refs: &[&str] = &["cis:9.9.9", "iso:27001", "owasp:K01", "nope"];
    let bad = unresolved(&all, [("X", refs)]);
    let bad: Vec<_> = bad.iter().map(|u| u.reference.as_str()).collect();
    assert_eq!(bad, ["cis:9.9.9", "iso:27001", "nope"]);
}
