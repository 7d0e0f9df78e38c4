#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Collection against the test API server.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kubeward_cluster::{CollectOptions, Collection, ConnectOptions, KindStatus, collect_blocking};
use kubeward_testapi::{Fault, Options, RecordedRequest, Store, TestApi};
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testapi/fixtures/cluster")
}

fn server(options: Options) -> TestApi {
    let mut store = Store::new();
    assert!(store.load_dirs(&[fixture_dir()]).is_empty());
    TestApi::start(store, options).unwrap()
}

struct Setup {
    api: TestApi,
    _dir: tempfile::TempDir,
    options: CollectOptions,
}

fn setup(server_options: Options) -> Setup {
    let api = server(server_options);
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    std::fs::write(&kubeconfig, api.kubeconfig("test")).unwrap();
    let options = CollectOptions {
        connect: ConnectOptions {
            kubeconfig: Some(kubeconfig),
            ..ConnectOptions::default()
        },
        initial_backoff: Duration::from_millis(10),
        ..CollectOptions::default()
    };
    Setup {
        api,
        _dir: dir,
        options,
    }
}

fn items(collection: &Collection, kind: &str) -> Vec<Value> {
    collection
        .lists
        .iter()
        .filter(|l| l.resource.kind == kind)
        .flat_map(|l| {
            let list: Value = serde_json::from_str(&l.text).unwrap();
            list["items"].as_array().unwrap().clone()
        })
        .collect()
}

fn lists(requests: &[RecordedRequest]) -> Vec<&RecordedRequest> {
    requests
        .iter()
        .filter(|r| r.param("limit").is_some())
        .collect()
}

#[test]
fn collects_every_object_with_one_list_per_kind() {
    let s = setup(Options::default());
    let collection = collect_blocking(&s.options).unwrap();
    let collected: usize = collection.lists.iter().map(|l| l.objects).sum();
    // Every kind in the fixture is one kubeward reads.
    assert_eq!(collected, s.api.object_count());
    assert!(!collection.is_incomplete());
    let deployments = items(&collection, "Deployment");
    assert_eq!(deployments.len(), 3);
    assert!(
        deployments
            .iter()
            .all(|d| d["kind"] == "Deployment" && d["apiVersion"] == "apps/v1")
    );
    assert_eq!(items(&collection, "Gateway").len(), 1, "Gateway API served");
    let cilium = collection
        .coverage
        .iter()
        .find(|k| k.kind == "CiliumNetworkPolicy")
        .unwrap();
    assert_eq!(cilium.status, KindStatus::NotServed);
    assert_eq!(collection.meta.version["gitVersion"], "v1.37.0");
    assert_eq!(collection.meta.nodes[0].kubelet_version, "v1.37.0");
    assert_eq!(collection.meta.context, "test");

    let requests = s.api.requests();
    let list_requests = lists(&requests);
    let served = collection
        .coverage
        .iter()
        .filter(|k| k.status == KindStatus::Collected)
        .count();
    // One LIST per kind, plus one for the `type` of service-account token Secrets.
    assert_eq!(list_requests.len(), served + 1, "one LIST per kind");
    assert!(
        list_requests
            .iter()
            .all(|r| !r.path.contains("/namespaces/")),
        "cluster-wide lists, never per namespace"
    );
    assert!(requests.iter().all(|r| r.method == "GET"));
}

#[test]
fn secrets_are_read_as_metadata_only() {
    let s = setup(Options::default());
    let collection = collect_blocking(&s.options).unwrap();
    let requests = s.api.requests();
    let secret_requests: Vec<_> = requests
        .iter()
        .filter(|r| r.path.contains("secrets"))
        .collect();
    // The list, and the list of service-account token Secrets (metadata does not carry `type`).
    assert_eq!(secret_requests.len(), 2);
    assert!(
        requests.iter().all(|r| !r.may_read_secret_data()),
        "{requests:?}"
    );
    let secrets = items(&collection, "Secret");
    assert_eq!(secrets.len(), 2);
    assert!(
        secrets
            .iter()
            .all(|s| s["kind"] == "Secret" && s.get("data").is_none())
    );
    let types: Vec<&str> = secrets
        .iter()
        .map(|s| s["type"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(types, ["-", "kubernetes.io/service-account-token"]);
    // Not even through `kubectl apply`'s copy of the object.
    for list in &collection.lists {
        assert!(!list.text.contains("c3VwZXItc2VjcmV0"), "{}", list.text);
    }
}

#[test]
fn no_secrets_skips_them_entirely() {
    let mut s = setup(Options::default());
    s.options.secrets = false;
    let collection = collect_blocking(&s.options).unwrap();
    assert!(s.api.requests().iter().all(|r| !r.path.contains("secrets")));
    assert!(items(&collection, "Secret").is_empty());
    let secret = collection
        .coverage
        .iter()
        .find(|k| k.kind == "Secret")
        .unwrap();
    assert!(matches!(secret.status, KindStatus::Skipped(_)));
    assert!(!collection.is_incomplete());
}

#[test]
fn pages_follow_continue_tokens() {
    let mut s = setup(Options::default());
    s.options.page_size = 1;
    let collection = collect_blocking(&s.options).unwrap();
    assert_eq!(
        collection.lists.iter().map(|l| l.objects).sum::<usize>(),
        s.api.object_count()
    );
    let requests = s.api.requests();
    let continued = lists(&requests)
        .iter()
        .filter(|r| r.param("continue").is_some())
        .count();
    assert!(continued > 5, "{continued} continued pages");
    assert_eq!(items(&collection, "Deployment").len(), 3);
}

#[test]
fn a_forbidden_kind_is_reported_not_skipped() {
    let s = setup(Options {
        forbidden: vec!["roles.rbac.authorization.k8s.io".into()],
        ..Options::default()
    });
    let collection = collect_blocking(&s.options).unwrap();
    let roles = collection
        .coverage
        .iter()
        .find(|k| k.kind == "Role")
        .unwrap();
    match &roles.status {
        KindStatus::Forbidden(message) => assert!(message.contains("cannot list"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(collection.is_incomplete());
    // The rest is still collected.
    assert_eq!(items(&collection, "RoleBinding").len(), 1);
}

#[test]
fn throttling_is_retried_after_retry_after() {
    let s = setup(Options {
        faults_once: vec![
            Fault {
                resource: "pods".into(),
                status: 429,
                retry_after: Some(1),
            },
            Fault {
                resource: "deployments.apps".into(),
                status: 503,
                retry_after: None,
            },
        ],
        ..Options::default()
    });
    let started = std::time::Instant::now();
    let collection = collect_blocking(&s.options).unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited Retry-After"
    );
    assert_eq!(collection.retries, 2);
    assert!(!collection.is_incomplete());
    assert_eq!(items(&collection, "Pod").len(), 1);
    assert_eq!(items(&collection, "Deployment").len(), 3);
    let statuses: Vec<u16> = s
        .api
        .requests()
        .iter()
        .filter(|r| r.path == "/api/v1/pods")
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200]);
}

#[test]
fn one_namespace_lists_in_that_namespace_only() {
    let mut s = setup(Options::default());
    s.options.namespace = Some("payments".into());
    let collection = collect_blocking(&s.options).unwrap();
    let deployments = items(&collection, "Deployment");
    assert_eq!(deployments.len(), 1);
    assert_eq!(deployments[0]["metadata"]["name"], "ledger");
    let namespaces = items(&collection, "Namespace");
    assert_eq!(namespaces.len(), 1);
    // Cluster-scoped kinds are still read: bindings refer to ClusterRoles.
    assert_eq!(items(&collection, "ClusterRole").len(), 1);
    let requests = s.api.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.path == "/apis/apps/v1/namespaces/payments/deployments")
    );
}

#[test]
fn excluded_namespaces_are_dropped() {
    let mut s = setup(Options::default());
    s.options.exclude_namespaces = vec!["shop".into(), "kube-system".into()];
    let collection = collect_blocking(&s.options).unwrap();
    let deployments = items(&collection, "Deployment");
    assert_eq!(deployments.len(), 2);
    assert!(
        deployments
            .iter()
            .all(|d| d["metadata"]["namespace"] != "shop")
    );
    assert!(
        items(&collection, "Namespace")
            .iter()
            .all(|n| n["metadata"]["name"] != "shop")
    );
}

#[test]
fn controller_made_objects_are_left_to_their_owner() {
    let s = setup(Options::default());
    s.api
        .apply(serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "ledger-abc", "namespace": "payments",
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                              "name": "ledger-5d9", "uid": "1", "controller": true}]},
            "spec": {"containers": [{"name": "ledger", "image": "ledger:latest"}]}
        }))
        .unwrap();
    let collection = collect_blocking(&s.options).unwrap();
    let pods = collection
        .lists
        .iter()
        .find(|l| l.resource.kind == "Pod")
        .unwrap();
    assert_eq!(pods.objects, 1);
    assert_eq!(pods.skipped_owned, 1);
}

#[test]
fn a_wrong_token_is_an_error() {
    let s = setup(Options::default());
    let path = s.options.connect.kubeconfig.clone().unwrap();
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace(s.api.token(), "wrong");
    std::fs::write(&path, text).unwrap();
    let error = collect_blocking(&s.options).unwrap_err();
    assert!(error.to_string().contains("401"), "{error}");
}

/// The cluster, user and context entries of a kubeconfig for `api`, named `name`.
fn entries(api: &TestApi, name: &str) -> [String; 3] {
    let ca = data_encoding::BASE64.encode(api.ca_pem().as_bytes());
    [
        format!(
            "- name: {name}\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\n",
            api.url()
        ),
        format!("- name: {name}\n  user:\n    token: {}\n", api.token()),
        format!("- name: {name}\n  context:\n    cluster: {name}\n    user: {name}\n"),
    ]
}

#[test]
fn the_context_flag_picks_a_context() {
    let s = setup(Options::default());
    let other = server(Options::default());
    let [c1, u1, x1] = entries(&s.api, "first");
    let [c2, u2, x2] = entries(&other, "second");
    let text = format!(
        "apiVersion: v1\nkind: Config\ncurrent-context: first\nclusters:\n{c1}{c2}users:\n{u1}{u2}contexts:\n{x1}{x2}"
    );
    let path = s.options.connect.kubeconfig.clone().unwrap();
    std::fs::write(&path, &text).unwrap();
    let mut options = s.options.clone();
    options.connect.context = Some("second".into());
    let collection = collect_blocking(&options).unwrap();
    assert_eq!(collection.meta.context, "second");
    assert!(
        s.api.requests().is_empty(),
        "the current context's server was not asked"
    );
    assert!(!other.requests().is_empty());
    options.connect.context = None;
    assert_eq!(collect_blocking(&options).unwrap().meta.context, "first");
}
