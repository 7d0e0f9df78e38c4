//! End-to-end tests of `kubeward scan --cluster` and `kubeward snapshot save` against the test API
//! server: same findings as the same objects in files, forbidden kinds in the coverage and exit 2,
//! no request for Secret data, snapshots scanned offline, kubectl output accepted.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kubeward_testapi::{Options, Store, TestApi};
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testapi/fixtures/cluster")
}

struct Cluster {
    api: TestApi,
    dir: tempfile::TempDir,
}

impl Cluster {
    fn start(options: Options) -> Self {
        let mut store = Store::new();
        assert!(store.load_dirs(&[fixture_dir()]).is_empty());
        let api = TestApi::start(store, options).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config"), api.kubeconfig("test")).unwrap();
        Self { api, dir }
    }

    fn kubeconfig(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// `kubeward ARGS` with KUBECONFIG pointing at the server and HOME in a temporary directory.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kubeward"))
            .args(args)
            .env("KUBECONFIG", self.kubeconfig())
            .env("HOME", self.dir.path())
            .env("NO_COLOR", "1")
            .current_dir(self.dir.path())
            .output()
            .unwrap()
    }
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Findings as (rule, object, message), counted: what must not depend on where objects came from.
fn verdicts(report: &Value) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let object = &f["object"];
        let key = format!(
            "{} {} {}/{} {}",
            f["rule"]["id"].as_str().unwrap(),
            object["kind"].as_str().unwrap_or("-"),
            object["namespace"].as_str().unwrap_or(""),
            object["name"].as_str().unwrap_or("-"),
            f["message"].as_str().unwrap()
        );
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

const JSON_ARGS: &[&str] = &["--no-config", "--format", "json", "--fail-on", "never"];

fn scan_files(paths: &[&Path], extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .arg("scan")
        .args(paths)
        .args(JSON_ARGS)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_live_scan_finds_what_a_scan_of_the_files_finds() {
    let cluster = Cluster::start(Options::default());
    let live = cluster.run(&[&["scan", "--cluster"], JSON_ARGS].concat());
    assert_eq!(
        live.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    let files = scan_files(&[&fixture_dir()], &[]);
    let (live, files) = (json(&live), json(&files));
    let mut expected = verdicts(&files);
    // The one difference, by design: a Secret's data is never read from a cluster, so SEC004
    // (values committed in a manifest) has nothing to look at there.
    let sec004 = expected.len();
    expected.retain(|k, _| !k.starts_with("SEC004 "));
    assert_eq!(sec004 - expected.len(), 2);
    assert!(
        expected.keys().any(|k| k.starts_with("RBAC023 ")),
        "token Secrets keep their type"
    );
    assert_eq!(verdicts(&live), expected);
    assert!(verdicts(&live).len() > 20);
    // Plus one: the cluster description (what `/version` answered), as a snapshot's cluster.json.
    assert_eq!(
        live["summary"]["objects"].as_u64().unwrap(),
        files["summary"]["objects"].as_u64().unwrap() + 1
    );
    assert_eq!(live["summary"]["notEvaluated"], serde_json::json!([]));
    assert_eq!(live["summary"]["incomplete"], false);
    // Findings point at the live object.
    let first = &live["findings"][0];
    assert!(
        first["location"]["file"]
            .as_str()
            .unwrap()
            .starts_with("cluster://")
    );
    assert!(first["object"]["name"].is_string());
    // No request could have returned a Secret's data, and nothing was written.
    let requests = cluster.api.requests();
    assert!(requests.iter().all(|r| !r.may_read_secret_data()));
    assert!(requests.iter().all(|r| r.method == "GET"));
    assert!(requests.iter().any(|r| r.path == "/api/v1/secrets"));
}

/// A managed control plane shows no pods: the API server's version comes from `/version`, in a live
/// scan and in a snapshot of it, and is judged like a kube-apiserver image tag.
#[test]
fn the_api_server_version_comes_from_version_when_no_pod_shows_it() {
    let cluster = Cluster::start(Options {
        git_version: "v1.29.3-eks-4f3a2b1".into(),
        ..Options::default()
    });
    let about_api_server = |report: &Value| -> Vec<Value> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["object"]["kind"] == "ClusterSnapshot")
            .cloned()
            .collect()
    };
    let live = json(&cluster.run(&[&["scan", "--cluster"], JSON_ARGS].concat()));
    let found = about_api_server(&live);
    let rules: Vec<&str> = found
        .iter()
        .map(|f| f["rule"]["id"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"VER001") && rules.contains(&"VER004"),
        "{found:#?}"
    );
    let eol = found.iter().find(|f| f["rule"]["id"] == "VER001").unwrap();
    let message = eol["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "kube-apiserver 1.29.3 (as its /version endpoint reports) is past end of life"
        ),
        "{message}"
    );
    // A managed build: the provider's calendar is pointed to, and the severity lowered.
    assert!(message.contains("managed build"), "{message}");
    assert_eq!(eol["object"]["name"], "test");
    // Kubelets newer than the API server are out of the supported skew.
    assert!(
        live["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"]["id"] == "VER003"),
        "no skew finding against 1.29"
    );
    // The same from a snapshot of it.
    let saved = cluster.run(&["snapshot", "save", "-o", "snap"]);
    assert_eq!(saved.status.code(), Some(0));
    let offline = json(&scan_files(&[&cluster.dir.path().join("snap")], &[]));
    let messages = |found: Vec<Value>| -> Vec<String> {
        let mut m: Vec<String> = found.iter().map(|f| f["message"].to_string()).collect();
        m.sort();
        m
    };
    assert_eq!(messages(about_api_server(&offline)), messages(found));
    // The text report shows how to see the version.
    let text = cluster.run(&["scan", "--cluster", "--no-config", "--select", "VER001"]);
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("kubectl version"),
        "{}",
        String::from_utf8_lossy(&text.stdout)
    );
}

#[test]
fn a_forbidden_kind_is_not_evaluated_and_exits_2() {
    let cluster = Cluster::start(Options {
        forbidden: vec!["roles.rbac.authorization.k8s.io".into()],
        ..Options::default()
    });
    let output = cluster.run(&[&["scan", "--cluster"], JSON_ARGS].concat());
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    assert_eq!(report["summary"]["incomplete"], true);
    let gap = &report["summary"]["notEvaluated"][0];
    assert_eq!(gap["input"], "roles.rbac.authorization.k8s.io");
    assert_eq!(gap["reason"], "forbidden");
    let rules: Vec<&str> = gap["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(rules.contains(&"RBAC020"), "{rules:?}");
    // Cross-object RBAC rules did not run on half the picture: no "dangling" binding to the
    // Role that could not be read.
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"]["id"] != "RBAC020"),
        "{report}"
    );
    // Accepting the gap exits by the findings, and still reports it.
    let output = cluster.run(&[&["scan", "--cluster", "--allow-incomplete"], JSON_ARGS].concat());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        json(&output)["summary"]["notEvaluated"][0]["reason"],
        "forbidden"
    );
    // A compliance report never shows a control as passed by rules that could not see their input.
    let output = cluster.run(&[&["scan", "--cluster", "--framework", "cis"], JSON_ARGS].concat());
    let report = json(&output);
    let controls = report["framework"]["controls"].as_array().unwrap();
    let blind: Vec<&Value> = controls
        .iter()
        .filter(|c| {
            c["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| rules.contains(&r.as_str().unwrap()))
        })
        .collect();
    assert!(!blind.is_empty());
    for control in &blind {
        assert_ne!(control["outcome"], "pass", "{control}");
        if control["outcome"] == "not-evaluated" {
            let reason = control["reason"].as_str().unwrap();
            assert!(
                reason.contains("roles.rbac.authorization.k8s.io (forbidden)"),
                "{control}"
            );
            assert!(!reason.contains("--select"), "{control}");
        }
    }
    // The text report says so too.
    let text = cluster.run(&["scan", "--cluster", "--no-config", "--fail-on", "never"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("not evaluated (forbidden): roles.rbac.authorization.k8s.io"),
        "{text}"
    );
}

#[test]
fn namespace_options_narrow_the_scan() {
    let cluster = Cluster::start(Options::default());
    let report =
        json(&cluster.run(&[&["scan", "--cluster", "-n", "payments"], JSON_ARGS].concat()));
    let namespaces: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["object"]["namespace"].as_str())
        .collect();
    assert!(!namespaces.is_empty());
    assert!(
        namespaces.iter().all(|ns| *ns == "payments"),
        "{namespaces:?}"
    );
    let report = json(
        &cluster.run(
            &[
                &[
                    "scan",
                    "--cluster",
                    "-A",
                    "--exclude-namespaces",
                    "payments,shop",
                ],
                JSON_ARGS,
            ]
            .concat(),
        ),
    );
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !matches!(f["object"]["namespace"].as_str(), Some("payments" | "shop")))
    );
    // Cluster options without --cluster are a usage error.
    let output = cluster.run(&["scan", ".", "-n", "payments"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn no_secrets_never_asks_for_secrets() {
    let cluster = Cluster::start(Options::default());
    let output = cluster.run(&[&["scan", "--cluster", "--no-secrets"], JSON_ARGS].concat());
    assert_eq!(output.status.code(), Some(0));
    assert!(
        cluster
            .api
            .requests()
            .iter()
            .all(|r| !r.path.contains("secrets"))
    );
}

#[test]
fn kubeconfig_files_merge_and_context_selects() {
    let first = Cluster::start(Options::default());
    let second = Cluster::start(Options::default());
    // KUBECONFIG=a:b, the current context in a; --context picks b's.
    let b = second
        .api
        .kubeconfig("second")
        .replace("current-context: second\n", "");
    let b_path = first.dir.path().join("second-config");
    std::fs::write(&b_path, b).unwrap();
    let merged = std::env::join_paths([first.kubeconfig(), b_path]).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_kubeward"))
            .args(args)
            .env("KUBECONFIG", &merged)
            .env("HOME", first.dir.path())
            .output()
            .unwrap()
    };
    let output = run(&[&["scan", "--cluster", "--context", "second"], JSON_ARGS].concat());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(first.api.requests().is_empty());
    assert!(!second.api.requests().is_empty());
    let output = run(&[&["scan", "--cluster"], JSON_ARGS].concat());
    assert_eq!(output.status.code(), Some(0));
    assert!(!first.api.requests().is_empty());
    // --kubeconfig wins over KUBECONFIG.
    let output = run(&[
        &["scan", "--cluster", "--kubeconfig"],
        &[second.kubeconfig().to_str().unwrap()][..],
        JSON_ARGS,
    ]
    .concat());
    assert_eq!(output.status.code(), Some(0));
    // An unknown context is an error, not a scan of something else.
    let output = run(&["scan", "--cluster", "--context", "nope"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_snapshot_scans_offline_like_the_cluster() {
    let cluster = Cluster::start(Options::default());
    let output = cluster.run(&["snapshot", "save", "-o", "snap"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let snap = cluster.dir.path().join("snap");
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(snap.join("cluster.json")).unwrap()).unwrap();
    assert_eq!(meta["kind"], "ClusterSnapshot");
    assert_eq!(meta["cluster"]["context"], "test");
    assert_eq!(meta["cluster"]["version"]["gitVersion"], "v1.37.0");
    assert_eq!(meta["cluster"]["nodes"][0]["name"], "node-1");
    assert!(
        meta["cluster"]["collectedAt"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert!(snap.join("apps_v1_deployments.json").is_file());
    for entry in std::fs::read_dir(&snap).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            !text.contains("c3VwZXItc2VjcmV0"),
            "no Secret data in a snapshot"
        );
    }
    let requests_before = cluster.api.requests().len();
    let offline = json(&scan_files(&[&snap], &[]));
    assert_eq!(cluster.api.requests().len(), requests_before, "offline");
    let live = json(&cluster.run(&[&["scan", "--cluster"], JSON_ARGS].concat()));
    assert_eq!(verdicts(&offline), verdicts(&live));
}

#[test]
fn an_incomplete_snapshot_stays_incomplete() {
    let cluster = Cluster::start(Options {
        forbidden: vec!["roles.rbac.authorization.k8s.io".into()],
        ..Options::default()
    });
    let output = cluster.run(&["snapshot", "save", "-o", "snap"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Role (roles) not saved"));
    let snap = cluster.dir.path().join("snap");
    let output = scan_files(&[&snap], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        json(&output)["summary"]["notEvaluated"][0]["input"],
        "roles.rbac.authorization.k8s.io"
    );
    let output = scan_files(&[&snap], &["--allow-incomplete"]);
    assert_eq!(output.status.code(), Some(0));
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

/// `kubectl get -o json` output is input too; and the command a live finding shows works.
#[test]
fn kubectl_output_scans_and_kubectl_commands_work() {
    let Some(kubectl) = kubectl() else { return };
    let cluster = Cluster::start(Options::default());
    let kubectl_run = |args: &[&str]| {
        let out = Command::new(&kubectl)
            .args(args)
            .env("KUBECONFIG", cluster.kubeconfig())
            .env("HOME", cluster.dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kubectl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let dump = cluster.dir.path().join("deployments.json");
    std::fs::write(
        &dump,
        kubectl_run(&["get", "deployments", "-A", "-o", "json"]),
    )
    .unwrap();
    let from_kubectl = verdicts(&json(&scan_files(&[&dump], &["--select", "POD"])));
    let live = verdicts(&json(
        &cluster.run(&[&["scan", "--cluster", "--select", "POD"], JSON_ARGS].concat()),
    ));
    let live_deployments: BTreeMap<String, usize> = live
        .into_iter()
        .filter(|(k, _)| k.split(' ').nth(1) == Some("Deployment"))
        .collect();
    assert!(!from_kubectl.is_empty());
    assert_eq!(from_kubectl, live_deployments);

    let text = cluster.run(&["scan", "--cluster", "--no-config", "--fail-on", "never"]);
    let text = String::from_utf8_lossy(&text.stdout);
    let command = text
        .lines()
        .find_map(|l| {
            let start = l.find("(kubectl get ")?;
            Some(l[start + 1..l.rfind(')')?].to_string())
        })
        .unwrap();
    let args: Vec<&str> = command.split(' ').skip(1).collect();
    let shown = kubectl_run(&args);
    let name = args.last().unwrap();
    assert!(shown.contains(name), "{command}: {shown}");
}

/// Watch mode prints a finding when an object that has it appears, and its resolution when the
/// object goes away (JSON lines).
#[test]
fn watch_reports_new_and_resolved_findings() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;

    let cluster = Cluster::start(Options::default());
    let mut child = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .args([
            "scan",
            "--cluster",
            "--watch",
            "--no-config",
            "--format",
            "json",
            "--verbose",
        ])
        .env("KUBECONFIG", cluster.kubeconfig())
        .env("HOME", cluster.dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let reuse_lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let collected = reuse_lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            collected.lock().unwrap().push(line);
        }
    });
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(serde_json::from_str(&line).unwrap()).is_err() {
                return;
            }
        }
    });
    let api = &cluster.api;
    let next = |what: &str| -> Value {
        rx.recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| {
                let watches: Vec<_> = api
                    .requests()
                    .into_iter()
                    .filter(|r| r.param("watch").is_some())
                    .collect();
                let paths: Vec<String> = watches
                    .iter()
                    .map(|r| format!("{} {}", r.path, r.status))
                    .collect();
                panic!("no {what} event; watch requests: {paths:?}")
            })
    };
    let ready = next("ready");
    assert_eq!(ready["event"], "ready", "{ready}");
    let initial = ready["findings"].as_u64().unwrap();
    assert!(initial > 20);
    for _ in 0..initial {
        assert_eq!(next("initial")["event"], "new");
    }
    cluster
        .api
        .apply(serde_json::json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "intruder", "namespace": "payments"},
            "spec": {"containers": [{"name": "x", "image": "x:1",
                                     "securityContext": {"privileged": true}}]}
        }))
        .unwrap();
    // One re-evaluation per burst of changes: its events, then quiet.
    let burst = |what: &str| -> Vec<Value> {
        let mut events = vec![next(what)];
        while let Ok(event) = rx.recv_timeout(Duration::from_secs(2)) {
            events.push(event);
        }
        events
    };
    // The pod's own findings appear; findings about its namespace change with it (NET001 now
    // counts one more workload: the old message is resolved, the new one appears).
    let about = |events: &[Value], name: &str| -> Vec<Value> {
        events
            .iter()
            .filter(|e| e["object"]["name"] == name)
            .cloned()
            .collect()
    };
    let first = burst("new");
    assert!(
        first
            .iter()
            .all(|e| matches!(e["object"]["name"].as_str(), Some("intruder" | "payments"))),
        "{first:?}"
    );
    let appeared = about(&first, "intruder");
    assert!(
        appeared.iter().any(|e| e["rule"]["id"] == "POD001"),
        "{first:?}"
    );
    for event in &appeared {
        assert_eq!(event["event"], "new", "{event}");
        assert_eq!(event["kubectl"], "kubectl get pod -n payments intruder");
    }
    assert!(cluster.api.delete("v1", "Pod", "payments", "intruder"));
    let second = burst("resolved");
    let resolved = about(&second, "intruder");
    assert_eq!(resolved.len(), appeared.len(), "{second:?}");
    assert!(resolved.iter().all(|e| e["event"] == "resolved"));
    child.kill().unwrap();
    child.wait().unwrap();
    // Each burst re-checked only the pod that came or went, not the whole cluster.
    let lines = reuse_lines.lock().unwrap().clone();
    let reevaluations: Vec<_> = lines
        .iter()
        .filter(|l| l.contains("re-evaluated"))
        .collect();
    assert!(reevaluations.len() >= 3, "{lines:?}");
    assert!(
        reevaluations[1].starts_with("kubeward: re-evaluated 1 of "),
        "{reevaluations:?}"
    );
    assert!(
        reevaluations[2].starts_with("kubeward: re-evaluated 0 of ")
            && reevaluations[2].contains("(1 removed)"),
        "{reevaluations:?}"
    );
    // Watching is reading too: only GETs, and never a Secret's data.
    let requests = cluster.api.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.method == "GET" && !r.may_read_secret_data())
    );
    assert!(requests.iter().any(|r| r.param("watch").is_some()));
}

/// `paths --cluster` collects the cluster as `scan --cluster` does and finds the paths a run on the
/// same objects in files finds, without asking for Secret data.
#[test]
fn paths_on_a_live_cluster_match_paths_on_the_files() {
    let cluster = Cluster::start(Options::default());
    let args = [
        "--no-config",
        "--from",
        "any-pod",
        "--to",
        "secrets",
        "-k",
        "50",
        "--format",
        "json",
    ];
    let live = cluster.run(&[&["paths", "--cluster"][..], &args].concat());
    assert_eq!(
        live.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    let files = Command::new(env!("CARGO_BIN_EXE_kubeward"))
        .arg("paths")
        .arg(fixture_dir())
        .args(args)
        .output()
        .unwrap();
    assert_eq!(files.status.code(), Some(1));
    // Steps as `from -edge-> to` and costs: findings on the steps may differ (a Secret's data, which
    // SEC004 reads in files, is never read from a cluster).
    let steps = |report: &Value| -> Vec<String> {
        report["paths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let steps: Vec<String> = p["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| format!("{} -{}-> {}", s["from"], s["edge"], s["to"]))
                    .collect();
                format!("{} {}", p["cost"], steps.join(" "))
            })
            .collect()
    };
    let (live, files) = (json(&live), json(&files));
    assert!(steps(&live).len() > 3, "{live}");
    assert_eq!(steps(&live), steps(&files));
    assert!(
        cluster
            .api
            .requests()
            .iter()
            .all(|r| !r.may_read_secret_data())
    );
}
