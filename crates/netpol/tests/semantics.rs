//! One fixture per NetworkPolicy semantic case of the Kubernetes documentation. Each fixture states
//! its expectations in comments, `# expect: SRC -> DST [PORT/PROTO] allow|deny`, and is also checked
//! for agreement between the explained answer and the matrix's bit-test answer on every pair.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use kubeward_model::{Inventory, objects_from_documents};
use kubeward_netpol::{Engine, PortQuery, Target};
use kubeward_source::{Limits, load_text};

fn engine(text: &str) -> Engine {
    let loaded = load_text("fixture.yaml", text.to_string(), &Limits::default());
    Engine::build(&Inventory::new(objects_from_documents(loaded.documents).0))
}

fn one(engine: &Engine, text: &str) -> Target {
    let targets = engine.resolve(text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(targets.len(), 1, "`{text}` names one endpoint");
    targets[0]
}

#[test]
fn every_fixture_meets_its_expectations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 20, "one fixture per documented case");
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let engine = engine(&text);
        assert!(
            engine.warnings.is_empty(),
            "{file:?}: {:?}",
            engine.warnings
        );
        let expectations: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .collect();
        assert!(!expectations.is_empty(), "{file:?} states no expectation");
        for line in expectations {
            let words: Vec<&str> = line.split_whitespace().collect();
            let (src, dst, port, want) = match words.as_slice() {
                [s, "->", d, w] => (*s, *d, None, *w),
                [s, "->", d, p, w] => (*s, *d, Some(p.parse::<PortQuery>().unwrap()), *w),
                _ => panic!("{file:?}: bad expectation `{line}`"),
            };
            let verdict = engine.verdict(one(&engine, src), one(&engine, dst), port);
            if verdict.allowed != (want == "allow") {
                failures.push(format!(
                    "{}: {line}: got allowed={} ({}; {})",
                    file.file_name().unwrap().to_string_lossy(),
                    verdict.allowed,
                    verdict.egress.reason,
                    verdict.ingress.reason
                ));
            }
        }
        let n = engine.endpoints().len();
        for s in 0..n {
            for d in 0..n {
                let explained = engine
                    .verdict(Target::Endpoint(s), Target::Endpoint(d), None)
                    .allowed;
                assert_eq!(
                    engine.allows(s, d, None),
                    explained,
                    "{file:?}: matrix and verdict disagree on {} -> {}",
                    engine.endpoint_name(s),
                    engine.endpoint_name(d)
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn verdicts_name_the_allowing_rule_and_the_isolating_policy() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/07_policy_types_defaulting.yaml"),
    )
    .unwrap();
    let engine = engine(&text);
    let v = engine.verdict(
        one(&engine, "shop/web"),
        one(&engine, "shop/db"),
        Some("5432/TCP".parse().unwrap()),
    );
    assert!(v.allowed);
    assert_eq!(v.ingress.rules[0].policy, "shop/db-from-web");
    assert_eq!(v.ingress.rules[0].rule, "spec.ingress[0]");
    assert_eq!(v.egress.rules[0].policy, "shop/web-egress-to-db");
    let denied = engine.verdict(one(&engine, "other/client"), one(&engine, "shop/web"), None);
    assert!(!denied.allowed);
    assert_eq!(denied.ingress.isolated_by, ["shop/web-egress-to-db"]);
    assert!(
        denied.ingress.reason.contains("no rule"),
        "{}",
        denied.ingress.reason
    );
    let json = serde_json::to_value(&denied).unwrap();
    assert_eq!(json["allowed"], false);
}

#[test]
fn unknown_names_get_a_suggestion_and_selectors_resolve_to_several() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/01_no_policy_allows_everything.yaml"),
    )
    .unwrap();
    let engine = engine(&text);
    let err = engine.resolve("shop/wbe").unwrap_err();
    assert_eq!(err.suggestion.as_deref(), Some("shop/web"));
    assert_eq!(engine.resolve("app=web").unwrap().len(), 1);
    assert_eq!(engine.resolve("shop/Deployment/db").unwrap().len(), 1);
    assert!(engine.resolve("other/app=web").is_err());
}

#[test]
fn invalid_policies_are_reported_and_left_out() {
    let engine = engine(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: a}\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]\n",
    );
    assert_eq!(engine.policies().count(), 0);
    assert_eq!(engine.warnings[0].policy, "a/bad");
    assert!(engine.warnings[0].message.contains("ipBlock"));
}

#[test]
fn cni_policies_are_recognised_for_coverage() {
    let engine = engine(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: a}\nspec:\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: c}]}\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: api, namespace: a}\nspec:\n  endpointSelector: {matchLabels: {k8s:app: api}}\n---\napiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: g}\nspec:\n  selector: app == 'other'\n",
    );
    let api = one(&engine, "a/api");
    let v = engine.verdict(api, api, None);
    assert!(v.allowed, "CNI rules are not evaluated");
    assert_eq!(v.notes.len(), 2, "{:?}", v.notes);
    assert!(v.notes[0].contains("CiliumNetworkPolicy a/api"));
    assert_eq!(
        engine.exposure()[0].cni_policies,
        ["CiliumNetworkPolicy a/api"]
    );
}

#[test]
fn ip_blocks_match_pods_exactly_when_their_address_is_known() {
    let engine = engine(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: known, namespace: a}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.1.2.3}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: unknown, namespace: a}\nspec: {containers: [{name: c}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: db, namespace: a, labels: {app: db}}\nspec: {containers: [{name: c}]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from: [{ipBlock: {cidr: 10.1.0.0/16, except: [10.1.9.0/24]}}]\n",
    );
    let db = one(&engine, "a/db");
    assert!(engine.verdict(one(&engine, "a/known"), db, None).allowed);
    let unknown = engine.verdict(one(&engine, "a/unknown"), db, None);
    assert!(
        unknown.notes.iter().any(|n| n.contains("ipBlock")),
        "{:?}",
        unknown.notes
    );
    assert!(
        engine
            .verdict(one(&engine, "a/known"), db, None)
            .notes
            .is_empty()
    );
    assert!(
        !engine.verdict(one(&engine, "a/unknown"), db, None).allowed,
        "a narrow block does not match a pod of unknown address"
    );
    assert!(!engine.verdict(one(&engine, "10.1.9.7"), db, None).allowed);
    assert!(
        engine
            .verdict(one(&engine, "10.1.0.0/16"), db, None)
            .allowed
    );
}

#[test]
fn a_wide_block_matches_pods_unless_its_exceptions_cut_the_pod_ranges() {
    let policy = |except: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: c, namespace: a}}\nspec: {{containers: [{{name: c}}]}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: db, namespace: a, labels: {{app: db}}}}\nspec: {{containers: [{{name: c}}]}}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: db, namespace: a}}\nspec:\n  podSelector: {{matchLabels: {{app: db}}}}\n  ingress:\n  - from: [{{ipBlock: {{cidr: 0.0.0.0/0, except: {except}}}}}]\n"
        )
    };
    let allowed = |except: &str| {
        let e = engine(&policy(except));
        e.verdict(one(&e, "a/c"), one(&e, "a/db"), None).allowed
    };
    assert!(allowed("[]"));
    assert!(allowed("[169.254.169.254/32]"));
    assert!(!allowed("[10.0.0.0/8]"));
    let mixed = engine(&policy("[\"fd00::/8\"]"));
    assert_eq!(
        mixed.policies().count(),
        0,
        "an except outside the cidr is rejected"
    );
    assert!(
        mixed.warnings[0].message.contains("fd00::/8"),
        "{:?}",
        mixed.warnings
    );
}
