#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The test server speaks the protocol: checked over HTTPS with a plain HTTP client, and with the
//! real kubectl when it is installed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use kubeward_testapi::{Fault, Options, Store, TestApi};
use serde_json::{Value, json};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/cluster")
}

fn server(options: Options) -> TestApi {
    let mut store = Store::new();
    let rejected = store.load_dirs(&[fixture_dir()]);
    assert!(rejected.is_empty(), "{rejected:?}");
    TestApi::start(store, options).unwrap()
}

fn agent(api: &TestApi) -> ureq::Agent {
    let ca = ureq::tls::Certificate::from_pem(api.ca_pem().as_bytes()).unwrap();
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![ca])))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .build()
        .into()
}

/// GET with the token; returns status, content type and body.
fn get(api: &TestApi, path: &str, accept: &str) -> (u16, String, String) {
    let mut request = agent(api)
        .get(format!("{}{path}", api.url()))
        .header("Authorization", format!("Bearer {}", api.token()));
    if !accept.is_empty() {
        request = request.header("Accept", accept);
    }
    let response = request.call().unwrap();
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().read_to_string().unwrap();
    (status, content_type, body)
}

fn get_json(api: &TestApi, path: &str) -> Value {
    let (status, _, body) = get(api, path, "application/json");
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

#[test]
fn discovery_lists_built_in_and_crd_groups() {
    let api = server(Options::default());
    let version = get_json(&api, "/version");
    assert_eq!(version["gitVersion"], "v1.37.0");
    let core = get_json(&api, "/api");
    assert_eq!(core["versions"], json!(["v1"]));
    let groups = get_json(&api, "/apis");
    let names: Vec<&str> = groups["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    for group in [
        "apps",
        "rbac.authorization.k8s.io",
        "gateway.networking.k8s.io",
    ] {
        assert!(names.contains(&group), "{group} not in {names:?}");
    }
    let apps = get_json(&api, "/apis/apps/v1");
    let deployments = apps["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "deployments")
        .unwrap();
    assert_eq!(deployments["namespaced"], true);
    assert_eq!(deployments["kind"], "Deployment");
    let gateway = get_json(&api, "/apis/gateway.networking.k8s.io/v1");
    assert_eq!(gateway["resources"][0]["name"], "gateways");
    assert_eq!(get(&api, "/apis/nothing.example/v1", "").0, 404);
    // Not implemented, answered as a server without them: clients fall back.
    assert_eq!(get(&api, "/openapi/v3", "").0, 404);
    let aggregated = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    assert_eq!(get(&api, "/apis", aggregated).0, 406);
    let (status, content_type, _) = get(&api, "/apis", &format!("{aggregated},application/json"));
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
}

#[test]
fn requests_without_the_token_are_unauthorized() {
    let api = server(Options::default());
    let response = agent(&api)
        .get(format!("{}/api/v1/pods", api.url()))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 401);
    let body: Value =
        serde_json::from_str(&response.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(body["kind"], "Status");
    assert_eq!(body["reason"], "Unauthorized");
    assert_eq!(api.requests()[0].status, 401);
}

#[test]
fn list_pages_with_limit_and_continue_and_strips_item_types() {
    let api = server(Options::default());
    let all = get_json(&api, "/apis/rbac.authorization.k8s.io/v1/clusterroles");
    let mut collected = Vec::new();
    let mut token = String::new();
    let mut pages = 0;
    // Every namespaced kind, cluster-wide, one object per page.
    loop {
        let page = get_json(
            &api,
            &format!("/apis/apps/v1/deployments?limit=1&continue={token}"),
        );
        pages += 1;
        assert_eq!(page["kind"], "DeploymentList");
        for item in page["items"].as_array().unwrap() {
            assert!(item.get("kind").is_none(), "list items carry no kind");
            collected.push(format!(
                "{}/{}",
                item["metadata"]["namespace"].as_str().unwrap(),
                item["metadata"]["name"].as_str().unwrap()
            ));
        }
        match page["metadata"]["continue"].as_str() {
            Some(next) => {
                assert!(page["metadata"]["remainingItemCount"].as_u64().unwrap() >= 1);
                token = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, collected.len());
    assert!(collected.len() >= 3, "{collected:?}");
    let mut sorted = collected.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted, collected,
        "pages neither repeat nor reorder objects"
    );
    assert_eq!(all["items"].as_array().unwrap().len(), 1);
    // One namespace only.
    let payments = get_json(&api, "/apis/apps/v1/namespaces/payments/deployments");
    assert_eq!(payments["items"].as_array().unwrap().len(), 1);
    // A single object carries its type.
    let ledger = get_json(&api, "/apis/apps/v1/namespaces/payments/deployments/ledger");
    assert_eq!(ledger["kind"], "Deployment");
    assert!(ledger["metadata"]["resourceVersion"].is_string());
    assert_eq!(
        get(
            &api,
            "/apis/apps/v1/namespaces/payments/deployments/nope",
            ""
        )
        .0,
        404
    );
    assert_eq!(get(&api, "/api/v1/pods?continue=garbage", "").0, 400);
    let selected = get_json(
        &api,
        "/api/v1/pods?fieldSelector=metadata.name%3Ddebug-shell",
    );
    assert_eq!(selected["items"].as_array().unwrap().len(), 1);
    let none = get_json(
        &api,
        "/api/v1/secrets?fieldSelector=type%3Dkubernetes.io/tls",
    );
    assert!(none["items"].as_array().unwrap().is_empty());
    assert_eq!(
        get(&api, "/api/v1/pods?resourceVersion=999999999", "").0,
        504
    );
}

#[test]
fn secrets_can_be_listed_as_metadata_only() {
    let api = server(Options::default());
    let accept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    let (status, content_type, body) = get(&api, "/api/v1/secrets", accept);
    assert_eq!(status, 200);
    assert!(content_type.contains("as=PartialObjectMetadataList"));
    let list: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(list["kind"], "PartialObjectMetadataList");
    assert_eq!(list["items"][0]["kind"], "PartialObjectMetadata");
    assert_eq!(list["items"][0]["metadata"]["name"], "db-credentials");
    assert!(!body.contains("\"data\""), "{body}");
    let requests = api.requests();
    assert!(!requests[0].may_read_secret_data());
    // A plain request would return the data, and is flagged.
    let (_, _, full) = get(&api, "/api/v1/secrets", "application/json");
    assert!(full.contains("c3VwZXItc2VjcmV0"));
    assert!(api.requests()[1].may_read_secret_data());
}

#[test]
fn a_forbidden_resource_gets_403_and_others_still_work() {
    let api = server(Options {
        forbidden: vec!["roles.rbac.authorization.k8s.io".into()],
        ..Options::default()
    });
    let (status, _, body) = get(&api, "/apis/rbac.authorization.k8s.io/v1/roles", "");
    assert_eq!(status, 403);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["reason"], "Forbidden");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("cannot list resource \"roles\"")
    );
    assert_eq!(
        get(&api, "/apis/rbac.authorization.k8s.io/v1/rolebindings", "").0,
        200
    );
}

#[test]
fn throttling_answers_429_with_retry_after_once() {
    let api = server(Options {
        faults_once: vec![Fault {
            resource: "pods".into(),
            status: 429,
            retry_after: Some(2),
        }],
        ..Options::default()
    });
    let response = agent(&api)
        .get(format!("{}/api/v1/pods", api.url()))
        .header("Authorization", format!("Bearer {}", api.token()))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    assert_eq!(response.headers().get("retry-after").unwrap(), "2");
    assert_eq!(get(&api, "/api/v1/pods", "").0, 200);
}

#[test]
fn watch_streams_changes_and_bookmarks() {
    let api = server(Options {
        bookmark_interval: Duration::from_millis(100),
        ..Options::default()
    });
    let list = get_json(&api, "/api/v1/namespaces/payments/configmaps");
    let rv = list["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    let response = agent(&api)
        .get(format!(
            "{}/api/v1/namespaces/payments/configmaps?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=5",
            api.url()
        ))
        .header("Authorization", format!("Bearer {}", api.token()))
        .call()
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let mut lines = BufReader::new(response.into_body().into_reader()).lines();
    api.apply(json!({"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "new", "namespace": "payments"}, "data": {"a": "b"}}))
        .unwrap();
    api.apply(json!({"apiVersion": "v1", "kind": "ConfigMap",
                     "metadata": {"name": "elsewhere", "namespace": "shop"}}))
        .unwrap();
    assert!(api.delete("v1", "ConfigMap", "payments", "new"));
    let mut types = Vec::new();
    while types.len() < 3 {
        let line = lines.next().expect("the watch ended early").unwrap();
        let event: Value = serde_json::from_str(&line).unwrap();
        let kind = event["type"].as_str().unwrap().to_string();
        if kind == "BOOKMARK" {
            assert_eq!(event["object"]["kind"], "ConfigMap");
            assert!(event["object"]["metadata"]["resourceVersion"].is_string());
            if types.last() == Some(&kind) {
                continue;
            }
        } else {
            assert_eq!(event["object"]["metadata"]["name"], "new", "{event}");
        }
        types.push(kind);
    }
    let changes: Vec<&str> = types
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "BOOKMARK")
        .collect();
    assert_eq!(changes, ["ADDED", "DELETED"]);
    assert!(types.iter().any(|t| t == "BOOKMARK"));
}

#[test]
fn watch_without_resource_version_starts_with_current_objects() {
    let api = server(Options::default());
    let response = agent(&api)
        .get(format!(
            "{}/apis/apps/v1/deployments?watch=1&timeoutSeconds=1",
            api.url()
        ))
        .header("Authorization", format!("Bearer {}", api.token()))
        .call()
        .unwrap();
    let text = response.into_body().read_to_string().unwrap();
    let added = text
        .lines()
        .filter(|l| l.contains("\"type\":\"ADDED\""))
        .count();
    assert_eq!(added, 3, "{text}");
}

fn kubectl() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/bin/kubectl");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipped: /usr/bin/kubectl is not installed");
        None
    }
}

/// The real kubectl accepts the server: the check that it speaks the protocol.
#[test]
fn kubectl_gets_pods_and_version() {
    let Some(kubectl) = kubectl() else { return };
    let api = server(Options::default());
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("config");
    std::fs::write(&kubeconfig, api.kubeconfig("testapi")).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(&kubectl)
            .args(args)
            .env("KUBECONFIG", &kubeconfig)
            .env("HOME", dir.path())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "kubectl {args:?}: {stdout}\n{stderr}");
        stdout
    };
    let version = run(&["get", "--raw", "/version"]);
    let version: Value = serde_json::from_str(&version).unwrap();
    assert_eq!(version["gitVersion"], "v1.37.0");

    let pods = run(&["get", "pods", "-A"]);
    assert!(pods.contains("debug-shell"), "{pods}");
    assert!(pods.contains("payments"), "{pods}");

    let deployments = run(&["get", "deploy", "-n", "payments", "-o", "json"]);
    let deployments: Value = serde_json::from_str(&deployments).unwrap();
    assert_eq!(deployments["items"][0]["kind"], "Deployment");

    let gateways = run(&["get", "gateways.gateway.networking.k8s.io", "-A"]);
    assert!(gateways.contains("public"), "{gateways}");

    let requests = api.requests();
    assert!(requests.iter().all(|r| r.status != 401), "{requests:?}");
    assert!(
        requests.iter().any(|r| r.path == "/api/v1/pods"),
        "{requests:?}"
    );
}

/// The generator's and the real-world corpus's objects are all served (skipped without ../shared).
#[test]
fn shared_corpora_are_served() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let generator = shared.join("bench/gen.py");
    let realworld = shared.join("corpus/realworld");
    if !generator.is_file() || !realworld.is_dir() {
        eprintln!("skipped: ../shared (generator and real-world corpus) is absent");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("gen");
    let status = Command::new("python3")
        .arg(&generator)
        .args(["--objects", "2000", "--seed", "7", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let mut store = Store::new();
    let rejected = store.load_dirs(&[out]);
    assert!(
        rejected.is_empty(),
        "{:?}",
        &rejected[..rejected.len().min(5)]
    );
    assert_eq!(store.len(), 2000);

    let mut store = Store::new();
    let rejected = store.load_dirs(&[realworld]);
    // Objects without a name (Helm fragments, kustomize patches) cannot exist in a cluster.
    assert!(store.len() > 5000, "{} served", store.len());
    assert!(
        rejected.len() < store.len() / 5,
        "{} rejected",
        rejected.len()
    );
    let api = TestApi::start(store, Options::default()).unwrap();
    let pods = get_json(&api, "/api/v1/pods?limit=500");
    assert!(!pods["items"].as_array().unwrap().is_empty());
}
