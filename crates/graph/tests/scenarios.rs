//! The hand-made scenarios and each edge type, on fixture clusters.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use kubeward_graph::{
    EdgeKind, Entry, Exposure, FLAT_NETWORK_NOTE, GraphInput, NodeKind, PathReport, Reachability,
    RiskGraph, Target, risk_scores,
};
use kubeward_rules::{Scan, Settings, scan_loaded};
use kubeward_source::LoadOptions;

fn scan_paths(paths: &[PathBuf]) -> Scan {
    let loaded = kubeward_source::load(paths, &LoadOptions::default());
    scan_loaded(loaded, &Settings::default())
}

fn fixture(name: &str) -> Scan {
    scan_paths(&[Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)])
}

fn yaml(text: &str) -> Scan {
    let dir = std::env::temp_dir().join(format!(
        "kubeward-graph-{}-{}",
        std::process::id(),
        text.len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("input.yaml");
    std::fs::write(&file, text).unwrap();
    let scan = scan_paths(&[file]);
    std::fs::remove_dir_all(&dir).unwrap();
    scan
}

fn graph(scan: &Scan) -> RiskGraph {
    RiskGraph::build(&GraphInput {
        inventory: &scan.inventory,
        findings: &scan.result.findings,
        reachability: None,
    })
}

fn kinds(report: &PathReport, i: usize) -> Vec<&'static str> {
    report.paths[i]
        .steps
        .iter()
        .map(|s| s.edge.name())
        .collect()
}

fn has_edge(g: &RiskGraph, from: &NodeKind, kind: EdgeKind, to: &NodeKind) -> bool {
    let (Some(a), Some(b)) = (g.node(from), g.node(to)) else {
        return false;
    };
    g.graph
        .edges_connecting(a, b)
        .any(|e| e.weight().kind == kind)
}

fn sa(ns: &str, name: &str) -> NodeKind {
    NodeKind::ServiceAccount {
        namespace: ns.into(),
        name: name.into(),
    }
}

fn workload(kind: &str, ns: &str, name: &str) -> NodeKind {
    NodeKind::Workload {
        kind: kind.into(),
        namespace: ns.into(),
        name: name.into(),
    }
}

#[test]
fn internet_to_exposed_pod_to_over_privileged_account_to_secrets() {
    let scan = fixture("internet_to_secrets.yaml");
    let g = graph(&scan);
    let report = g
        .attack_paths(&Entry::Internet, &Target::Secrets, 5)
        .unwrap();
    assert!(!report.paths.is_empty());
    assert_eq!(
        kinds(&report, 0),
        [
            "exposed-to-internet",
            "selects",
            "runs-as",
            "granted",
            "can-read-secret",
            "includes"
        ]
    );
    let path = &report.paths[0];
    // `includes` costs nothing: the ClusterRoleBinding reaches every Secret of every namespace.
    assert_eq!(path.cost, 5);
    assert_eq!(path.start, NodeKind::Internet);
    assert_eq!(
        path.steps[4].to,
        NodeKind::Every {
            of: kubeward_graph::Collection::Secrets,
            namespace: None
        }
    );
    assert!(
        path.steps[4].evidence.text.contains("in every namespace"),
        "{:?}",
        path.steps[4]
    );
    assert_eq!(
        path.steps[5].to,
        NodeKind::Secret {
            namespace: "payments".into(),
            name: "db-password".into()
        }
    );
    let exposed = &path.steps[0];
    assert!(
        exposed.evidence.text.contains("LoadBalancer"),
        "{exposed:?}"
    );
    assert_eq!(exposed.evidence.rule, Some("NET002"));
    assert_eq!(exposed.evidence.object.as_deref(), Some("Service/shop/web"));
    assert!(
        !path.steps[1].target_findings.is_empty(),
        "the exposed pod carries its findings"
    );
    assert!(path.steps[3].evidence.text.contains("web-reads-secrets"));
    assert!(
        path.steps[4]
            .evidence
            .text
            .contains("get secrets in every namespace")
    );
    assert_eq!(
        path.steps[5].evidence.text,
        "Secret payments/db-password is in namespace payments"
    );
    // Every path goes through the exposed Service: it is a cut of all of them.
    let top = &report.cuts[0];
    assert_eq!(top.paths_cut, report.paths.len());
    assert!(report.notes.iter().any(|n| n == FLAT_NETWORK_NOTE));
    // Costs never decrease and no path repeats.
    for w in report.paths.windows(2) {
        assert!(w[0].cost <= w[1].cost);
        assert_ne!(w[0], w[1]);
    }
    // The unexposed batch pod opted out of its token: no runs-as edge.
    assert!(!has_edge(
        &g,
        &workload("Deployment", "payments", "batch"),
        EdgeKind::RunsAs,
        &sa("payments", "default")
    ));
}

#[test]
fn privileged_pod_to_node_to_other_namespaces_tokens() {
    let scan = fixture("privileged_node_tokens.yaml");
    let g = graph(&scan);
    let from = Entry::Workload {
        namespace: "dev".into(),
        name: "debug".into(),
    };
    let to_token = Target::Object {
        namespace: "prod".into(),
        name: "api-sa".into(),
    };
    let report = g.attack_paths(&from, &to_token, 1).unwrap();
    assert_eq!(kinds(&report, 0), ["escapes-to-node", "node-holds"]);
    assert!(
        report.paths[0].steps[0]
            .evidence
            .text
            .contains("privileged")
    );
    assert_eq!(report.paths[0].steps[0].evidence.rule, Some("POD001"));
    let admin = g.attack_paths(&from, &Target::ClusterAdmin, 3).unwrap();
    assert_eq!(
        kinds(&admin, 0),
        ["escapes-to-node", "node-holds", "granted", "can-escalate"]
    );
    // `quiet` is pinned to node-b and has no token: node-b holds nothing of it, yet node-b still
    // holds the unpinned api pod's token.
    let node_b = NodeKind::Node {
        name: Some("node-b".into()),
    };
    assert!(!has_edge(
        &g,
        &node_b,
        EdgeKind::NodeHolds,
        &sa("prod", "default")
    ));
    assert!(has_edge(
        &g,
        &node_b,
        EdgeKind::NodeHolds,
        &sa("prod", "api-sa")
    ));
}

#[test]
fn create_pods_grant_to_privileged_service_account() {
    let scan = fixture("create_pods_grant.yaml");
    let g = graph(&scan);
    let from = Entry::Workload {
        namespace: "ci".into(),
        name: "runner".into(),
    };
    let report = g.attack_paths(&from, &Target::ClusterAdmin, 5).unwrap();
    let via_deployer = report.paths.iter().find(|p| {
        p.steps
            .iter()
            .any(|s| s.edge == EdgeKind::Includes && s.to == sa("ci", "deployer"))
    });
    let via_deployer = via_deployer.expect("a path through the deployer account");
    let names: Vec<&str> = via_deployer.steps.iter().map(|s| s.edge.name()).collect();
    assert_eq!(
        names,
        [
            "runs-as",
            "granted",
            "can-create-pods",
            "includes",
            "granted",
            "can-escalate"
        ]
    );
    assert_eq!(
        via_deployer.steps[2].to,
        NodeKind::Every {
            of: kubeward_graph::Collection::ServiceAccounts,
            namespace: Some("ci".into())
        }
    );
    assert!(
        via_deployer.steps[2]
            .evidence
            .text
            .contains("create pods in namespace ci")
    );
    // Pod Security Admission enforces baseline in ci: no privileged pod, no node.
    let to_nodes = g.attack_paths(&from, &Target::Nodes, 5).unwrap();
    assert!(to_nodes.paths.is_empty(), "{to_nodes:?}");
}

#[test]
fn create_pods_without_pod_security_reaches_a_node() {
    let scan = yaml(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  serviceAccountName: s\n  containers: [{name: c, image: x:1}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: a}\nrules: [{apiGroups: [''], resources: [pods], verbs: [create]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: a}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}\nsubjects: [{kind: ServiceAccount, name: s}]\n",
    );
    let g = graph(&scan);
    let from = Entry::Workload {
        namespace: "a".into(),
        name: "p".into(),
    };
    let report = g.attack_paths(&from, &Target::Nodes, 1).unwrap();
    assert_eq!(kinds(&report, 0), ["runs-as", "granted", "can-create-pods"]);
}

#[test]
fn ingress_routes_to_its_service_and_internal_load_balancers_are_not_exposed() {
    let scan = yaml(
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing, namespace: nsx}\nspec:\n  rules:\n    - host: shop.example.com\n      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: front, port: {number: 80}}}}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: front, namespace: nsx}\nspec: {selector: {app: front}, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: private\n  namespace: nsx\n  annotations: {service.beta.kubernetes.io/aws-load-balancer-internal: 'true'}\nspec: {type: LoadBalancer, selector: {app: front}, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: front, namespace: nsx, labels: {app: front}}\nspec: {containers: [{name: c, image: x:1}]}\n",
    );
    let g = graph(&scan);
    let route = NodeKind::Route {
        kind: "Ingress".into(),
        namespace: "nsx".into(),
        name: "ing".into(),
    };
    let front = NodeKind::Service {
        namespace: "nsx".into(),
        name: "front".into(),
    };
    let private = NodeKind::Service {
        namespace: "nsx".into(),
        name: "private".into(),
    };
    assert!(has_edge(
        &g,
        &NodeKind::Internet,
        EdgeKind::ExposedToInternet,
        &route
    ));
    assert!(has_edge(&g, &route, EdgeKind::RoutesTo, &front));
    assert!(has_edge(
        &g,
        &front,
        EdgeKind::Selects,
        &workload("Pod", "nsx", "front")
    ));
    assert!(!has_edge(
        &g,
        &NodeKind::Internet,
        EdgeKind::ExposedToInternet,
        &private
    ));
    assert!(has_edge(
        &g,
        &private,
        EdgeKind::Selects,
        &workload("Pod", "nsx", "front")
    ));
}

#[test]
fn pod_spec_edges_host_access_mounts_and_tokens() {
    let scan = yaml(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: nsx}\nspec:\n  hostPID: true\n  volumes:\n    - {name: root, hostPath: {path: /}}\n    - {name: creds, secret: {secretName: creds}}\n    - {name: conf, configMap: {name: conf}}\n  containers:\n    - name: c\n      image: x:1\n      ports: [{containerPort: 80, hostPort: 8080}]\n      securityContext: {capabilities: {add: [SYS_ADMIN]}}\n      env: [{name: TOKEN, valueFrom: {secretKeyRef: {name: api-token, key: t}}}]\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: sa-token\n  namespace: nsx\n  annotations: {kubernetes.io/service-account.name: builder}\ntype: kubernetes.io/service-account-token\n",
    );
    let g = graph(&scan);
    let p = workload("Pod", "nsx", "p");
    let any_node = NodeKind::Node { name: None };
    let secret = |name: &str| NodeKind::Secret {
        namespace: "nsx".into(),
        name: name.into(),
    };
    let dir = NodeKind::HostPath {
        node: None,
        path: "/".into(),
    };
    assert!(has_edge(
        &g,
        &NodeKind::Internet,
        EdgeKind::ExposedToInternet,
        &p
    ));
    assert!(has_edge(&g, &p, EdgeKind::EscapesToNode, &any_node));
    assert!(has_edge(&g, &p, EdgeKind::Mounts, &dir));
    assert!(has_edge(&g, &dir, EdgeKind::EscapesToNode, &any_node));
    assert!(has_edge(&g, &p, EdgeKind::Mounts, &secret("creds")));
    assert!(has_edge(&g, &p, EdgeKind::Mounts, &secret("api-token")));
    let conf = NodeKind::ConfigMap {
        namespace: "nsx".into(),
        name: "conf".into(),
    };
    assert!(has_edge(&g, &p, EdgeKind::Mounts, &conf));
    assert!(has_edge(&g, &p, EdgeKind::RunsAs, &sa("nsx", "default")));
    assert!(has_edge(
        &g,
        &any_node,
        EdgeKind::NodeHolds,
        &sa("nsx", "default")
    ));
    assert!(has_edge(
        &g,
        &any_node,
        EdgeKind::NodeHolds,
        &secret("creds")
    ));
    assert!(has_edge(
        &g,
        &secret("sa-token"),
        EdgeKind::AuthenticatesAs,
        &sa("nsx", "builder")
    ));
    assert!(has_edge(
        &g,
        &p,
        EdgeKind::CanReachMetadata,
        &NodeKind::MetadataEndpoint
    ));
    let escapes: Vec<String> = g
        .graph
        .edge_weights()
        .filter(|e| e.kind == EdgeKind::EscapesToNode)
        .map(|e| e.evidence.text.clone())
        .collect();
    assert!(escapes.iter().any(|t| t.contains("hostPID")), "{escapes:?}");
}

#[test]
fn default_deny_egress_blocks_the_metadata_endpoint() {
    let scan = yaml(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: nsx}\nspec: {containers: [{name: c, image: x:1}]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-egress, namespace: nsx}\nspec: {podSelector: {}, policyTypes: [Egress]}\n",
    );
    let g = graph(&scan);
    assert!(g.node(&NodeKind::MetadataEndpoint).is_none());
}

fn with_policies(scan: &Scan) -> RiskGraph {
    let reach = Reachability::build(&scan.inventory);
    RiskGraph::build(&GraphInput {
        inventory: &scan.inventory,
        findings: &scan.result.findings,
        reachability: Some(&reach),
    })
}

fn from_workload(g: &RiskGraph, name: &str, to: &str) -> PathReport {
    g.attack_paths(
        &Entry::Workload {
            namespace: "shop".into(),
            name: name.into(),
        },
        &Target::Object {
            namespace: "shop".into(),
            name: to.into(),
        },
        5,
    )
    .unwrap()
}

#[test]
fn a_network_policy_removes_a_hop_the_flat_network_allows() {
    let scan = fixture("netpol_lateral.yaml");
    let flat = graph(&scan);
    assert!(flat.flat_network);
    let flat_paths = from_workload(&flat, "batch", "api");
    assert_eq!(kinds(&flat_paths, 0), ["can-reach", "can-reach"]);
    assert!(flat_paths.notes.iter().any(|n| n == FLAT_NETWORK_NOTE));

    let g = with_policies(&scan);
    assert!(!g.flat_network);
    // batch may only send to 10.0.0.0/8, which matches no pod of unknown address; api admits web only.
    for name in ["batch", "worker"] {
        let report = from_workload(&g, name, "api");
        assert!(report.paths.is_empty(), "{name}: {:?}", report.paths);
        assert!(!report.notes.iter().any(|n| n == FLAT_NETWORK_NOTE));
    }
}

#[test]
fn an_allowed_hop_carries_the_policy_rule_as_evidence() {
    let scan = fixture("netpol_lateral.yaml");
    let g = with_policies(&scan);
    let report = from_workload(&g, "web", "api");
    assert_eq!(kinds(&report, 0), ["can-reach"]);
    let ev = &report.paths[0].steps[0].evidence;
    assert!(
        ev.text
            .contains("NetworkPolicy shop/api-from-web spec.ingress[0]"),
        "{ev:?}"
    );
    assert!(ev.text.contains("8080"), "{ev:?}");
    assert_eq!(
        ev.object.as_deref(),
        Some("NetworkPolicy/shop/api-from-web")
    );
    assert!(
        report.notes.iter().any(|n| n.contains("ipBlock")),
        "the ipBlock approximation is stated: {:?}",
        report.notes
    );
    // The cut names the policy to tighten.
    assert_eq!(report.cuts[0].evidence.object, ev.object);
}

#[test]
fn egress_policies_decide_the_metadata_endpoint() {
    let scan = fixture("netpol_lateral.yaml");
    let g = with_policies(&scan);
    let meta = NodeKind::MetadataEndpoint;
    let reaches = |name: &str| {
        has_edge(
            &g,
            &workload("Pod", "shop", name),
            EdgeKind::CanReachMetadata,
            &meta,
        )
    };
    assert!(reaches("web"), "no egress policy selects web");
    assert!(reaches("api"), "api is isolated for ingress only");
    assert!(
        !reaches("batch"),
        "10.0.0.0/8 does not hold 169.254.169.254"
    );
    assert!(!reaches("worker"), "0.0.0.0/0 except 169.254.169.254/32");
    // Under a flat network only a default-deny egress policy would block it.
    let flat = graph(&scan);
    assert!(has_edge(
        &flat,
        &workload("Pod", "shop", "worker"),
        EdgeKind::CanReachMetadata,
        &meta
    ));
}

#[test]
fn open_pods_meet_through_the_pod_network_hub() {
    let scan = yaml(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: a}\nspec: {containers: [{name: c, image: x:1}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: server, namespace: a, labels: {app: s}}\nspec: {containers: [{name: c, image: x:1}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: server, namespace: a}\nspec: {selector: {app: s}, ports: [{port: 80}]}\n",
    );
    let g = with_policies(&scan);
    let net = NodeKind::PodNetwork;
    assert!(has_edge(
        &g,
        &workload("Pod", "a", "client"),
        EdgeKind::CanReach,
        &net
    ));
    let server = NodeKind::Service {
        namespace: "a".into(),
        name: "server".into(),
    };
    assert!(has_edge(&g, &net, EdgeKind::CanReach, &server));
    let text: Vec<String> = g
        .graph
        .edge_weights()
        .filter(|e| e.kind == EdgeKind::CanReach)
        .map(|e| e.evidence.text.clone())
        .collect();
    assert!(
        text.iter()
            .any(|t| t.contains("no NetworkPolicy selects a/client for egress")),
        "{text:?}"
    );
}

#[test]
fn risk_scores_multiply_severity_exposure_and_blast_radius() {
    let scan = fixture("internet_to_secrets.yaml");
    let g = graph(&scan);
    let scores = risk_scores(&g, &scan.result.findings);
    let (finding, score) = scan
        .result
        .findings
        .iter()
        .zip(&scores)
        .find(|(f, _)| {
            f.object
                .as_ref()
                .is_some_and(|o| o.kind == "Deployment" && o.name == "web")
        })
        .unwrap();
    assert_eq!(score.exposure, Exposure::Internet);
    assert!(score.blast_radius.secrets);
    assert!(!score.blast_radius.cluster_admin);
    assert_eq!(
        score.score,
        kubeward_graph::severity_factor(finding.severity) * 3 * 2
    );
    // The unexposed batch pod: reachable from other pods only through the flat network.
    let batch = scan
        .result
        .findings
        .iter()
        .zip(&scores)
        .find(|(f, _)| f.object.as_ref().is_some_and(|o| o.name == "batch"))
        .unwrap()
        .1;
    assert_eq!(batch.exposure, Exposure::None);
    assert_eq!(batch.blast_factor, 1);
}

#[test]
fn endpoints_parse_and_unknown_ones_are_errors() {
    assert_eq!("internet".parse::<Entry>().unwrap(), Entry::Internet);
    assert_eq!("any-pod".parse::<Entry>().unwrap(), Entry::AnyPod);
    assert!("nowhere".parse::<Entry>().is_err());
    assert!("a/b/c".parse::<Target>().is_err());
    assert_eq!("nodes".parse::<Target>().unwrap(), Target::Nodes);
    let scan = fixture("create_pods_grant.yaml");
    let g = graph(&scan);
    let missing = Entry::Workload {
        namespace: "ci".into(),
        name: "nope".into(),
    };
    assert!(g.attack_paths(&missing, &Target::ClusterAdmin, 1).is_err());
}

#[test]
fn an_entry_that_is_the_target_is_not_a_path() {
    let scan = fixture("internet_to_secrets.yaml");
    let g = graph(&scan);
    let target = Target::Object {
        namespace: "shop".into(),
        name: "web".into(),
    };
    let report = g.attack_paths(&Entry::AnyPod, &target, 10).unwrap();
    assert!(
        report.paths.iter().all(|p| !p.steps.is_empty()),
        "{report:?}"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("are targets themselves")),
        "{:?}",
        report.notes
    );
    let from_itself = Entry::Workload {
        namespace: "shop".into(),
        name: "web".into(),
    };
    assert!(
        g.attack_paths(&from_itself, &target, 10)
            .unwrap()
            .paths
            .is_empty()
    );
}

#[test]
fn group_grants_reach_members_through_one_group_node() {
    // system:serviceaccounts:a may read Secrets in a; system:authenticated may exec everywhere.
    let scan = yaml(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  serviceAccountName: s\n  containers: [{name: c, image: x:1}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: b}\nspec:\n  serviceAccountName: t\n  containers: [{name: c, image: x:1}]\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: x, namespace: a}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: y, namespace: b}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: read, namespace: a}\nrules: [{apiGroups: [''], resources: [secrets], verbs: [get]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: team, namespace: a}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read}\nsubjects: [{kind: Group, name: 'system:serviceaccounts:a'}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: exec}\nrules: [{apiGroups: [''], resources: [pods/exec], verbs: [create]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: everyone-execs}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: exec}\nsubjects: [{kind: Group, name: 'system:authenticated'}]\n",
    );
    let g = graph(&scan);
    let team = NodeKind::Group {
        name: "system:serviceaccounts:a".into(),
    };
    let everyone = NodeKind::Group {
        name: "system:authenticated".into(),
    };
    assert!(has_edge(&g, &sa("a", "s"), EdgeKind::MemberOf, &team));
    assert!(!has_edge(&g, &sa("b", "t"), EdgeKind::MemberOf, &team));
    assert!(has_edge(&g, &sa("a", "s"), EdgeKind::MemberOf, &everyone));
    assert!(has_edge(&g, &sa("b", "t"), EdgeKind::MemberOf, &everyone));
    let secrets_a = NodeKind::Every {
        of: kubeward_graph::Collection::Secrets,
        namespace: Some("a".into()),
    };
    let secret = |ns: &str, name: &str| NodeKind::Secret {
        namespace: ns.into(),
        name: name.into(),
    };
    assert!(has_edge(
        &g,
        &secrets_a,
        EdgeKind::Includes,
        &secret("a", "x")
    ));
    assert!(!has_edge(
        &g,
        &secrets_a,
        EdgeKind::Includes,
        &secret("b", "y")
    ));
    // One edge per grant, whatever the number of objects it reaches.
    let grant_edges = |kind: EdgeKind| g.graph.edge_weights().filter(|e| e.kind == kind).count();
    assert_eq!(grant_edges(EdgeKind::CanReadSecret), 1);
    assert_eq!(grant_edges(EdgeKind::CanExec), 1);
    assert_eq!(grant_edges(EdgeKind::Granted), 2);
    // The path: runs-as, member-of, granted, can-read-secret, includes; member-of and includes
    // cost nothing.
    let from = Entry::Workload {
        namespace: "a".into(),
        name: "p".into(),
    };
    let report = g.attack_paths(&from, &Target::Secrets, 5).unwrap();
    assert_eq!(
        kinds(&report, 0),
        [
            "runs-as",
            "member-of",
            "granted",
            "can-read-secret",
            "includes"
        ]
    );
    assert_eq!(report.paths[0].cost, 3);
    assert_eq!(report.paths[0].steps[4].to, secret("a", "x"));
    // From b, the group grant of a is out of reach, except by exec into a's pod (everyone may).
    let from_b = Entry::Workload {
        namespace: "b".into(),
        name: "q".into(),
    };
    let report = g.attack_paths(&from_b, &Target::Secrets, 5).unwrap();
    assert_eq!(
        kinds(&report, 0),
        [
            "runs-as",
            "member-of",
            "granted",
            "can-exec",
            "includes",
            "runs-as",
            "member-of",
            "granted",
            "can-read-secret",
            "includes"
        ]
    );
    assert_eq!(report.paths[0].steps[4].to, workload("Pod", "a", "p"));
    // Neither membership nor inclusion is offered as a fix.
    let from_a = g.attack_paths(&from, &Target::Secrets, 5).unwrap();
    assert!(
        from_a
            .cuts
            .iter()
            .all(|c| !matches!(c.edge, EdgeKind::MemberOf | EdgeKind::Includes))
    );
}
