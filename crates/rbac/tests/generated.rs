//! Properties on the synthetic corpus of `examples/support/generator.rs`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "../examples/support/generator.rs"]
mod generator;

use kubeward_rbac::{RbacIndex, Request, RiskOptions, UserInfo};

#[test]
fn generated_corpus_is_deterministic_and_consistent() {
    let input = generator::generate(1000, 42);
    let a = RbacIndex::build(&input);
    let b = RbacIndex::build(&input);
    let paths_a = a.escalations(None);
    assert_eq!(
        serde_json::to_string(&paths_a).unwrap(),
        serde_json::to_string(&b.escalations(None)).unwrap()
    );
    assert_eq!(
        a.risky_grants(&RiskOptions::default()),
        b.risky_grants(&RiskOptions::default())
    );
    // who-can and can-i agree: every subject who-can lists is allowed by can-i.
    let req = Request::resource("get", "secrets")
        .in_namespace("ns-0003")
        .named("db");
    for entry in a.who_can(&req).subjects {
        let user = match entry.subject.kind {
            kubeward_rbac::SubjectKind::ServiceAccount => UserInfo::service_account(
                entry.subject.namespace.as_deref().unwrap(),
                &entry.subject.name,
            ),
            kubeward_rbac::SubjectKind::Group => UserInfo::group_member(&entry.subject.name),
            _ => UserInfo::user(&entry.subject.name, &[]),
        };
        assert!(a.can_i(&user, &req).allowed, "{:?}", entry.subject);
    }
    // Every path ends in cluster-admin power and starts at its subject.
    assert!(!paths_a.is_empty());
    for path in &paths_a {
        let first = path.steps.first().unwrap();
        assert_eq!(first.from, path.subject);
        let last = path.steps.last().unwrap();
        assert_eq!(last.to, kubeward_rbac::Principal::ClusterAdmin, "{path:?}");
    }
}
