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

/// The generated corpus plus grants through the groups every service account is in, and grants of
/// a few service accounts' own that only escalate combined with a group's.
fn with_group_bindings(seed: u64) -> kubeward_rbac::RbacInput {
    use kubeward_rbac::{Binding, PolicyRule, Role, RoleRef, RoleRefKind, Subject, SubjectKind};
    let mut input = generator::generate(1000, seed);
    let mut namespaces: Vec<String> = input
        .service_accounts
        .iter()
        .map(|s| s.namespace.clone())
        .collect();
    namespaces.sort();
    namespaces.dedup();
    let rule = |group: &str, resource: &str, verb: &str| PolicyRule {
        api_groups: vec![group.to_owned()],
        resources: vec![resource.to_owned()],
        verbs: vec![verb.to_owned()],
        ..PolicyRule::default()
    };
    let rbac = "rbac.authorization.k8s.io";
    for (name, rule) in [
        ("g-bind", rule(rbac, "clusterroles", "bind")),
        ("o-create-crb", rule(rbac, "clusterrolebindings", "create")),
        ("g-exec", rule("", "pods/exec", "create")),
        ("g-read-configmaps", rule("", "configmaps", "get")),
        ("g-create-pods", rule("", "pods", "create")),
    ] {
        input.roles.push(Role {
            name: name.to_owned(),
            rules: vec![rule],
            ..Role::default()
        });
    }
    let subject = |kind: SubjectKind, name: &str, namespace: Option<&str>| Subject {
        kind,
        name: name.to_owned(),
        namespace: namespace.map(str::to_owned),
    };
    let mut bind = |name: String, namespace: Option<&str>, role: &str, subject: Subject| {
        input.bindings.push(Binding {
            name,
            namespace: namespace.map(str::to_owned),
            role_ref: RoleRef {
                kind: RoleRefKind::ClusterRole,
                name: role.to_owned(),
            },
            subjects: vec![subject],
            ..Binding::default()
        });
    };
    let group = |name: &str| subject(SubjectKind::Group, name, None);
    bind(
        "g-bind".into(),
        None,
        "g-bind",
        group("system:serviceaccounts"),
    );
    bind(
        "g-read-configmaps".into(),
        None,
        "g-read-configmaps",
        group("system:authenticated"),
    );
    for (i, ns) in namespaces.iter().enumerate().take(6) {
        bind(
            format!("g-exec-{i}"),
            Some(ns),
            "g-exec",
            group(&format!("system:serviceaccounts:{ns}")),
        );
        bind(
            format!("g-create-pods-{i}"),
            Some(ns),
            "g-create-pods",
            group("system:authenticated"),
        );
    }
    let owners: Vec<(String, String)> = input
        .service_accounts
        .iter()
        .step_by(97)
        .map(|s| (s.namespace.clone(), s.name.clone()))
        .collect();
    for (i, (ns, name)) in owners.iter().enumerate() {
        bind(
            format!("o-create-crb-{i}"),
            None,
            "o-create-crb",
            subject(SubjectKind::ServiceAccount, name, Some(ns)),
        );
    }
    input
}

/// Steps an attacker takes: holding cluster-admin or being in system:masters costs nothing.
fn cost(path: &kubeward_rbac::EscalationPath) -> usize {
    use kubeward_rbac::StepKind;
    path.steps
        .iter()
        .filter(|s| {
            !matches!(
                s.kind,
                StepKind::HoldsClusterAdmin | StepKind::SystemMastersMember
            )
        })
        .count()
}

#[test]
fn shared_group_steps_lose_no_escalation() {
    use kubeward_rbac::Principal;
    // Each principal's path comes from a graph where group grants are worked out once per set of
    // groups; `escalation_of_user` adds the same identity with every grant of its own. Both must
    // find a path of the same cost (ties may pick different steps), or none.
    let input = with_group_bindings(7);
    let index = RbacIndex::build(&input);
    let paths = index.escalations(None);
    assert!(paths.len() > 20, "{}", paths.len());
    let mut found: std::collections::HashMap<Principal, usize> =
        paths.iter().map(|p| (p.subject.clone(), cost(p))).collect();
    let mut checked = 0;
    for sa in &input.service_accounts {
        let principal = Principal::ServiceAccount {
            namespace: sa.namespace.clone(),
            name: sa.name.clone(),
        };
        let alone = index
            .escalation_of_user(&UserInfo::service_account(&sa.namespace, &sa.name))
            .map(|p| cost(&p));
        assert_eq!(found.remove(&principal), alone, "{principal}");
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
    // Their own `create clusterrolebindings` with the group's `bind` makes them cluster admin in
    // one step, which neither grant does alone.
    for sa in input.service_accounts.iter().step_by(97) {
        let principal = Principal::ServiceAccount {
            namespace: sa.namespace.clone(),
            name: sa.name.clone(),
        };
        let path = index.escalations(Some(&principal)).pop().unwrap();
        assert_eq!(cost(&path), 1, "{path:?}");
    }
}

#[test]
fn who_can_in_any_namespace_is_the_union_of_every_namespace() {
    let input = with_group_bindings(11);
    let index = RbacIndex::build(&input);
    let mut namespaces: Vec<String> = input
        .bindings
        .iter()
        .filter_map(|b| b.namespace.clone())
        .collect();
    namespaces.sort();
    namespaces.dedup();
    for (verb, resource) in [
        ("get", "secrets"),
        ("create", "pods"),
        ("create", "pods/exec"),
    ] {
        let any = index.who_can_in_any_namespace(&Request::resource(verb, resource));
        let mut union: Vec<(String, kubeward_rbac::GrantInfo)> = Vec::new();
        for ns in &namespaces {
            for s in index
                .who_can(&Request::resource(verb, resource).in_namespace(ns))
                .subjects
            {
                for g in s.grants {
                    union.push((kubeward_rbac::subject_label(&s.subject), g));
                }
            }
        }
        let mut flat: Vec<(String, kubeward_rbac::GrantInfo)> = any
            .subjects
            .iter()
            .flat_map(|s| {
                s.grants
                    .iter()
                    .map(|g| (kubeward_rbac::subject_label(&s.subject), g.clone()))
            })
            .collect();
        union.sort();
        union.dedup();
        flat.sort();
        flat.dedup();
        assert!(!flat.is_empty(), "{verb} {resource}");
        assert_eq!(flat, union, "{verb} {resource}");
    }
}
