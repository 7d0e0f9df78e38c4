//! Authorizer semantics, one fixture per case. Expectations follow the Kubernetes RBAC documentation
//! and `plugin/pkg/auth/authorizer/rbac`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use kubeward_rbac::{
    Decision, IndexWarning, Object, Principal, RbacIndex, RbacInput, Request, RiskKind,
    RiskOptions, StepKind, SubjectKind, UserInfo, render,
};

fn load(name: &str) -> RbacInput {
    let path = format!("{}/fixtures/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let objects: Vec<Object> = serde_saphyr::from_multiple(&text).unwrap();
    objects.into_iter().collect()
}

fn can(index: &RbacIndex<'_>, user: &UserInfo, req: &Request) -> bool {
    index.can_i(user, req).allowed
}

fn who(index: &RbacIndex<'_>, req: &Request) -> Vec<String> {
    index
        .who_can(req)
        .subjects
        .iter()
        .map(|s| kubeward_rbac::subject_label(&s.subject))
        .collect()
}

#[test]
fn aggregation_is_transitive_and_replaces_stored_rules() {
    let input = load("aggregation");
    let index = RbacIndex::build(&input);
    let prom = UserInfo::service_account("monitoring", "prometheus");
    assert!(can(
        &index,
        &prom,
        &Request::resource("list", "pods").in_namespace("x")
    ));
    // Through monitoring-extra (itself aggregated) from metrics-reader.
    assert!(can(
        &index,
        &prom,
        &Request::non_resource("get", "/metrics")
    ));
    // The stored `secrets` rule of an aggregated role is replaced by the controller.
    assert!(!can(
        &index,
        &prom,
        &Request::resource("get", "secrets").in_namespace("x")
    ));
    // NotIn [frozen] excludes frozen-reader.
    let deploy = Request::resource("get", "deployments")
        .in_group("apps")
        .in_namespace("x");
    assert!(!can(&index, &prom, &deploy));
    // Explanation names the source role of an aggregated rule.
    let d = index.can_i(&prom, &Request::non_resource("get", "/metrics"));
    let g = &d.reasons[0].grant;
    assert_eq!(g.role.name, "monitoring");
    assert_eq!(g.aggregated_from.as_ref().unwrap().name, "metrics-reader");
    // Cycles terminate and only non-aggregated sources count.
    let carol = UserInfo::user("carol", &[]);
    assert!(can(
        &index,
        &carol,
        &Request::resource("list", "configmaps").in_namespace("x")
    ));
    assert_eq!(index.show(&carol).rules.len(), 1);
}

#[test]
fn resource_names_with_list_watch_create() {
    let input = load("resource_names");
    let index = RbacIndex::build(&input);
    let alice = UserInfo::user("alice", &[]);
    let cm = |verb: &str| Request::resource(verb, "configmaps").in_namespace("shop");
    assert!(can(&index, &alice, &cm("get").named("app-config")));
    assert!(can(&index, &alice, &cm("update").named("app-config")));
    assert!(!can(&index, &alice, &cm("get").named("other")));
    // list/watch without a metadata.name field selector carry no name.
    assert!(!can(&index, &alice, &cm("list")));
    assert!(!can(&index, &alice, &cm("watch")));
    assert!(can(&index, &alice, &cm("list").named("app-config")));
    assert!(can(&index, &alice, &cm("watch").named("app-config")));
    // create and deletecollection never carry a name.
    assert!(!can(&index, &alice, &cm("create").named("app-config")));
    assert!(!can(
        &index,
        &alice,
        &cm("deletecollection").named("app-config")
    ));
    assert_eq!(who(&index, &cm("get").named("app-config")), ["User alice"]);
    assert!(who(&index, &cm("get")).is_empty());
}

#[test]
fn non_resource_urls_and_suffix_wildcards() {
    let input = load("non_resource_urls");
    let index = RbacIndex::build(&input);
    let prober = UserInfo::user("prober", &[]);
    let get = |p: &str| Request::non_resource("get", p);
    assert!(can(&index, &prober, &get("/healthz")));
    assert!(!can(&index, &prober, &get("/healthz/etcd")));
    assert!(can(&index, &prober, &get("/livez/ping")));
    assert!(can(&index, &prober, &get("/livez/")));
    assert!(!can(&index, &prober, &get("/livez")));
    assert!(!can(
        &index,
        &prober,
        &Request::non_resource("post", "/metrics")
    ));
    // A RoleBinding cannot grant non-resource URLs.
    let ns = UserInfo::user("namespaced-prober", &[]);
    assert!(!can(&index, &ns, &get("/healthz")));
    assert_eq!(who(&index, &get("/livez/x")), ["User prober"]);
}

#[test]
fn subresource_wildcards() {
    let input = load("subresources");
    let index = RbacIndex::build(&input);
    let scale = |r: &str| {
        Request::resource("update", r)
            .in_group("apps")
            .in_namespace("x")
    };
    assert_eq!(who(&index, &scale("deployments/scale")), ["User hpa"]);
    assert!(who(&index, &scale("deployments")).is_empty());
    assert!(who(&index, &scale("deployments/status")).is_empty());
    let exec = Request::resource("create", "pods/exec").in_namespace("x");
    // `pods` with `*` verbs does not cover pods/exec; core `*` resources does.
    assert_eq!(who(&index, &exec), ["User creator"]);
    let pods = Request::resource("delete", "pods")
        .in_namespace("x")
        .named("p");
    assert_eq!(who(&index, &pods), ["User pm"]);
}

#[test]
fn namespace_scoping() {
    let input = load("namespace_scoping");
    let index = RbacIndex::build(&input);
    let dave = UserInfo::user("dave", &[]);
    let secrets = |ns: &str| {
        Request::resource("get", "secrets")
            .in_namespace(ns)
            .named("s")
    };
    assert!(can(&index, &dave, &secrets("team-a")));
    assert!(!can(&index, &dave, &secrets("team-b")));
    // Across all namespaces (no namespace): only ClusterRoleBindings count.
    assert!(!can(&index, &dave, &Request::resource("list", "secrets")));
    assert_eq!(
        who(&index, &Request::resource("list", "secrets")),
        ["User erin"]
    );
    assert_eq!(who(&index, &secrets("team-a")), ["User dave", "User erin"]);
    // Cluster-scoped resources are out of reach of RoleBindings.
    assert!(!can(
        &index,
        &dave,
        &Request::resource("get", "nodes").named("n1")
    ));
    // A Role is only reachable from its namespace.
    let cm = |ns: &str| {
        Request::resource("update", "configmaps")
            .in_namespace(ns)
            .named("c")
    };
    assert!(!can(&index, &dave, &cm("team-a")));
    assert!(!can(&index, &dave, &cm("team-b")));
    assert!(can(&index, &UserInfo::user("frank", &[]), &cm("team-b")));
    let risks = index.risky_grants(&RiskOptions::default());
    assert!(risks.iter().any(|r| {
        r.kind == RiskKind::DanglingRoleRef
            && r.binding.as_ref().unwrap().name == "cm-editor"
            && r.explanation
                .contains("Role team-a/cm-editor does not exist")
    }));
}

#[test]
fn groups_and_implicit_groups() {
    let input = load("subjects");
    let index = RbacIndex::build(&input);
    let cm = |ns: &str| {
        Request::resource("get", "configmaps")
            .in_namespace(ns)
            .named("c")
    };
    assert!(can(&index, &UserInfo::user("gina", &["devs"]), &cm("any")));
    assert!(!can(&index, &UserInfo::user("gina", &[]), &cm("any")));
    // system:authenticated is added to every authenticated user, not to anonymous.
    let ns_list = Request::resource("list", "namespaces");
    assert!(can(&index, &UserInfo::user("gina", &[]), &ns_list));
    assert!(!can(&index, &UserInfo::anonymous(), &ns_list));
    assert!(can(&index, &UserInfo::anonymous(), &cm("public")));
    assert!(!can(&index, &UserInfo::user("gina", &[]), &cm("public")));
    // system:serviceaccounts:<ns> covers every service account of ci, only in ci.
    let ci_sa = UserInfo::service_account("ci", "runner");
    assert!(can(&index, &ci_sa, &cm("ci")));
    assert!(!can(
        &index,
        &UserInfo::service_account("other", "runner"),
        &cm("ci")
    ));
    // The raw attributes, without implicit groups, are not matched by group bindings.
    assert!(!can(&index, &UserInfo::raw("gina", &[]), &ns_list));
}

#[test]
fn service_account_subjects() {
    let input = load("subjects");
    let index = RbacIndex::build(&input);
    let builder = UserInfo::service_account("build", "builder");
    let cm = |ns: &str| {
        Request::resource("get", "configmaps")
            .in_namespace(ns)
            .named("c")
    };
    // Namespace defaulted from the RoleBinding.
    assert!(can(&index, &builder, &cm("build")));
    // The namespace-less subject of the ClusterRoleBinding matches nothing.
    assert!(!can(&index, &builder, &cm("elsewhere")));
    assert!(
        index
            .warnings()
            .iter()
            .any(|w| matches!(w, IndexWarning::ServiceAccountWithoutNamespace { .. }))
    );
    // A User subject with the service-account user name matches it.
    let d: Decision = index.can_i(&builder, &Request::resource("list", "namespaces"));
    assert!(
        d.reasons
            .iter()
            .any(|r| r.via.kind == SubjectKind::User && r.grant.binding.name == "sa-as-user")
    );
    let names = who(&index, &cm("build"));
    assert!(
        names.contains(&"ServiceAccount build/builder".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"Group devs".to_owned()));
}

#[test]
fn risky_grant_kinds() {
    let input = load("risky");
    let index = RbacIndex::build(&input);
    let risks = index.risky_grants(&RiskOptions::default());
    let kinds_of = |subject: &str| -> Vec<RiskKind> {
        let mut k: Vec<RiskKind> = risks
            .iter()
            .filter(|r| r.subject.as_ref().is_some_and(|s| s.name == subject))
            .map(|r| r.kind)
            .collect();
        k.dedup();
        k
    };
    assert_eq!(kinds_of("ops"), [RiskKind::ClusterAdminEquivalent]);
    let mallory = kinds_of("mallory");
    for kind in [
        RiskKind::SecretsRead,
        RiskKind::PodCreate,
        RiskKind::PodExec,
        RiskKind::PodAttach,
        RiskKind::PodPortForward,
        RiskKind::PodEphemeralContainers,
        RiskKind::RoleEscalate,
        RiskKind::RoleBind,
        RiskKind::Impersonate,
        RiskKind::ServiceAccountTokenCreate,
        RiskKind::NodesProxy,
        RiskKind::CsrApproval,
        RiskKind::WebhookConfigWrite,
        RiskKind::PersistentVolumeCreate,
    ] {
        assert!(mallory.contains(&kind), "{kind:?} missing from {mallory:?}");
    }
    // Secrets in kube-system through a RoleBinding are reported; in `app` they are not.
    let sam_secrets: Vec<_> = risks
        .iter()
        .filter(|r| {
            r.kind == RiskKind::SecretsRead && r.subject.as_ref().is_some_and(|s| s.name == "sam")
        })
        .collect();
    assert_eq!(sam_secrets.len(), 1);
    assert_eq!(
        sam_secrets[0].binding.as_ref().unwrap().name,
        "kube-system-secrets"
    );
    assert!(kinds_of("system:anonymous").contains(&RiskKind::AnonymousGrant));
    assert!(kinds_of("system:anonymous").contains(&RiskKind::WildcardRule));
    // The default public-info-viewer binding is not reported.
    assert!(kinds_of("system:unauthenticated").is_empty());
    assert!(kinds_of("default").contains(&RiskKind::DefaultServiceAccountBound));
    assert!(kinds_of("ghost").contains(&RiskKind::DanglingServiceAccount));
    assert!(risks.iter().any(|r| r.kind == RiskKind::DanglingRoleRef));
    let unused: Vec<_> = risks
        .iter()
        .filter(|r| r.kind == RiskKind::UnusedRole)
        .map(|r| r.role.as_ref().unwrap().name.as_str())
        .collect();
    assert_eq!(unused, ["never-bound"]);
    for r in &risks {
        assert!(
            r.explanation.len() > 80,
            "thin explanation: {}",
            r.explanation
        );
    }
    let mut table = String::new();
    render::risky_grants(&risks, &mut table).unwrap();
    assert!(table.starts_with("KIND"));
    serde_json::to_string(&risks).unwrap();
}

fn path_kinds(index: &RbacIndex<'_>, p: &Principal) -> Vec<StepKind> {
    let paths = index.escalations(Some(p));
    paths
        .first()
        .map(|p| p.steps.iter().map(|s| s.kind).collect())
        .unwrap_or_default()
}

fn user(name: &str) -> Principal {
    Principal::User {
        name: name.to_owned(),
    }
}

#[test]
fn escalation_paths() {
    let input = load("escalation");
    let index = RbacIndex::build(&input);
    assert_eq!(
        path_kinds(&index, &user("dev")),
        [StepKind::CreatePod, StepKind::BindRole]
    );
    let dev = &index.escalations(Some(&user("dev")))[0];
    assert_eq!(
        dev.steps[0].to,
        Principal::ServiceAccount {
            namespace: "ci".into(),
            name: "deployer".into()
        }
    );
    assert_eq!(dev.steps[0].grants[0].binding.name, "dev-pods");
    assert_eq!(dev.steps[1].grants.len(), 2);
    assert_eq!(
        path_kinds(&index, &user("auditor")),
        [
            StepKind::ReadTokenSecret,
            StepKind::Impersonate,
            StepKind::HoldsClusterAdmin
        ]
    );
    assert_eq!(
        path_kinds(&index, &user("nodeproxy")),
        [StepKind::NodesProxy, StepKind::HoldsClusterAdmin]
    );
    assert_eq!(
        path_kinds(&index, &user("escalator")),
        [StepKind::EscalateRole]
    );
    assert_eq!(
        path_kinds(&index, &user("csr-bot")),
        [StepKind::SignClientCertificate]
    );
    assert!(path_kinds(&index, &user("cycler-a")).is_empty());
    assert!(path_kinds(&index, &user("locked-dev")).is_empty());
    assert_eq!(
        path_kinds(&index, &user("minter")),
        [StepKind::MintTokenSecret, StepKind::HoldsClusterAdmin]
    );
    assert_eq!(
        path_kinds(&index, &user("group-imp")),
        [StepKind::Impersonate, StepKind::SystemMastersMember]
    );
    assert!(path_kinds(&index, &user("group-imp-without-user")).is_empty());
    assert_eq!(
        path_kinds(&index, &user("pv-user")),
        [
            StepKind::EscapeToNode,
            StepKind::StealNodeTokens,
            StepKind::HoldsClusterAdmin
        ]
    );
    let pv = &index.escalations(Some(&user("pv-user")))[0];
    assert!(
        pv.steps[0]
            .explanation
            .contains("hostPath PersistentVolume"),
        "{}",
        pv.steps[0].explanation
    );
    assert_eq!(
        path_kinds(&index, &user("execer")),
        [StepKind::ExecIntoPod, StepKind::HoldsClusterAdmin]
    );
    assert_eq!(
        path_kinds(&index, &user("rb-editor")),
        [
            StepKind::BindRole,
            StepKind::CreatePod,
            StepKind::HoldsClusterAdmin
        ]
    );
    let rb = &index.escalations(Some(&user("rb-editor")))[0];
    assert!(
        rb.steps[0]
            .explanation
            .contains("RoleBinding team-x/team-x-admins"),
        "{}",
        rb.steps[0].explanation
    );
    // An identity that no binding names, reaching admin through one of its groups.
    let mut nobody = UserInfo::user("nobody-in-particular", &[]);
    nobody.groups.push("system:masters".to_owned());
    let path = index.escalation_of_user(&nobody).unwrap();
    assert_eq!(path.steps[0].kind, StepKind::SystemMastersMember);
    let dev_again = index
        .escalation_of_user(&UserInfo::user("dev", &[]))
        .unwrap();
    assert_eq!(dev_again.steps.len(), 2);
    assert!(
        index
            .escalation_of_user(&UserInfo::user("cycler-a", &[]))
            .is_none()
    );
    let ops = &index.escalations(Some(&user("ops")))[0];
    assert!(ops.already_admin);
    let all = index.escalations(None);
    assert!(all.iter().any(|p| p.subject == user("dev")));
    assert!(!all.iter().any(|p| p.subject == user("cycler-b")));
    let mut text = String::new();
    render::escalations(&all, &mut text).unwrap();
    assert!(
        text.contains("User dev -> cluster admin in 2 step(s)"),
        "{text}"
    );
    serde_json::to_string(&all).unwrap();
}

#[test]
fn renderers() {
    let input = load("namespace_scoping");
    let index = RbacIndex::build(&input);
    let who = index.who_can(
        &Request::resource("get", "secrets")
            .in_namespace("team-a")
            .named("s"),
    );
    let json = serde_json::to_value(&who).unwrap();
    assert_eq!(json["request"]["type"], "resource");
    assert_eq!(json["subjects"][0]["subject"]["name"], "dave");
    assert_eq!(
        json["subjects"][0]["grants"][0]["binding"]["kind"],
        "RoleBinding"
    );
    assert_eq!(
        json["subjects"][0]["grants"][0]["scope"]["namespace"],
        "team-a"
    );
    assert_eq!(json["subjects"][0]["grants"][0]["rule_index"], 0);
    let mut out = String::new();
    render::who_can(
        &index.who_can(
            &Request::resource("get", "secrets")
                .in_namespace("team-a")
                .named("s"),
        ),
        &mut out,
    )
    .unwrap();
    assert!(out.contains("User dave  namespace team-a"), "{out}");
    out.clear();
    render::permissions(&index.show(&UserInfo::user("dave", &[])), &mut out).unwrap();
    assert!(out.contains("core secrets"), "{out}");
    out.clear();
    render::decision(
        &index.can_i(
            &UserInfo::user("erin", &[]),
            &Request::resource("list", "secrets"),
        ),
        &mut out,
    )
    .unwrap();
    assert!(out.starts_with("yes\n"), "{out}");
}

#[test]
fn results_are_deterministic() {
    // Hash maps are seeded per index: two builds must still give identical answers.
    let input = load("escalation");
    let a = RbacIndex::build(&input);
    let b = RbacIndex::build(&input);
    let json = |i: &RbacIndex<'_>| {
        serde_json::to_string(&(i.escalations(None), i.risky_grants(&RiskOptions::default())))
            .unwrap()
    };
    assert_eq!(json(&a), json(&b));
}
