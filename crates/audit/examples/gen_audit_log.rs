//! Deterministic generator of realistic audit logs, for benchmarks and the benign fixture.
//!
//! ```text
//! cargo run --release -p kubeward-audit --example gen_audit_log -- --events 1000000 --seed 42 --out audit.log
//! ```
//! `--benign` leaves out the attack traffic (about 0.2% of events otherwise): what remains is a busy
//! cluster's background (kubelets, controllers, scheduler, leases, CoreDNS, health checks, operators,
//! people using kubectl) and must raise no alert with the default configuration.

use std::fmt::Write as _;
use std::io::{BufWriter, Write};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: deterministic, fast, good enough for traffic mixes.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const NAMESPACES: &[&str] = &[
    "shop",
    "payments",
    "web",
    "search",
    "monitoring",
    "ci",
    "data",
];
const KUBELET_UA: &str = "kubelet/v1.30.1 (linux/amd64) kubernetes/6911225";
const KCM_UA: &str = "kube-controller-manager/v1.30.1 (linux/amd64) kubernetes/6911225";
const KUBECTL_UA: &str = "kubectl/v1.30.1 (linux/amd64) kubernetes/6911225";

struct Req<'a> {
    verb: &'a str,
    uri: String,
    user: String,
    groups: &'a [&'a str],
    ip: String,
    ua: &'a str,
    resource: Option<(&'a str, &'a str, String, String, &'a str)>, // group, resource, ns, name, subresource
    code: u16,
    stage: &'a str,
    level: &'a str,
    request_object: Option<String>,
}

fn timestamp(micros: i64) -> String {
    let secs = micros / 1_000_000;
    let frac = micros % 1_000_000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let day = 1 + h / 24;
    format!("2024-05-{day:02}T{:02}:{m:02}:{s:02}.{frac:06}Z", h % 24)
}

fn render(out: &mut String, req: &Req<'_>, id: u64, t: i64) {
    out.clear();
    let _ = write!(
        out,
        r#"{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"{}","auditID":"{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}","stage":"{}","requestURI":"{}","verb":"{}","user":{{"username":"{}","uid":"{:08x}","groups":["#,
        req.level,
        id as u32,
        (id >> 32) as u16,
        id % 4096,
        (id >> 12) % 4096,
        id.wrapping_mul(2_654_435_761) & 0xffff_ffff_ffff,
        req.stage,
        req.uri,
        req.verb,
        req.user,
        (id.wrapping_mul(31)) as u32
    );
    for (i, g) in req.groups.iter().enumerate() {
        let _ = write!(out, "{}\"{g}\"", if i > 0 { "," } else { "" });
    }
    let _ = write!(
        out,
        r#"]}},"sourceIPs":["{}"],"userAgent":"{}""#,
        req.ip, req.ua
    );
    if let Some((group, resource, ns, name, sub)) = &req.resource {
        let _ = write!(out, r#","objectRef":{{"resource":"{resource}""#);
        if !ns.is_empty() {
            let _ = write!(out, r#","namespace":"{ns}""#);
        }
        if !name.is_empty() {
            let _ = write!(out, r#","name":"{name}""#);
        }
        if !group.is_empty() {
            let _ = write!(out, r#","apiGroup":"{group}""#);
        }
        let _ = write!(out, r#","apiVersion":"v1""#);
        if !sub.is_empty() {
            let _ = write!(out, r#","subresource":"{sub}""#);
        }
        out.push('}');
    }
    let _ = write!(
        out,
        r#","responseStatus":{{"metadata":{{}},"code":{}}}"#,
        req.code
    );
    if let Some(obj) = &req.request_object {
        let _ = write!(out, r#","requestObject":{obj}"#);
    }
    let decision = if req.code == 403 { "forbid" } else { "allow" };
    let _ = write!(
        out,
        r#","requestReceivedTimestamp":"{}","stageTimestamp":"{}","annotations":{{"authorization.k8s.io/decision":"{decision}","authorization.k8s.io/reason":"RBAC: allowed by ClusterRoleBinding \"system:basic-user\" of ClusterRole \"system:basic-user\" to Group \"system:authenticated\""}}}}"#,
        timestamp(t),
        timestamp(t + 1500 + (id % 9000) as i64)
    );
}

fn node_user(rng: &mut Rng) -> (String, String) {
    let n = rng.below(40);
    (
        format!("system:node:worker-{n}"),
        format!("10.0.1.{}", 10 + n),
    )
}

const NODE_GROUPS: &[&str] = &["system:nodes", "system:authenticated"];
const KS_GROUPS: &[&str] = &[
    "system:serviceaccounts",
    "system:serviceaccounts:kube-system",
    "system:authenticated",
];
const AUTH: &[&str] = &["system:authenticated"];
const HUMAN: &[&str] = &["oidc:platform", "system:authenticated"];

fn benign<'a>(rng: &mut Rng) -> Req<'a> {
    let ns = rng.pick(NAMESPACES).to_owned();
    let pod = format!(
        "{}-{:x}-{:05x}",
        rng.pick(&["api", "web", "worker", "db"]),
        rng.below(0xfff),
        rng.below(0xfffff)
    );
    let base = |verb: &'a str,
                uri: String,
                user: String,
                groups: &'a [&'a str],
                ip: String,
                ua: &'a str| Req {
        verb,
        uri,
        user,
        groups,
        ip,
        ua,
        resource: None,
        code: 200,
        stage: "ResponseComplete",
        level: "Metadata",
        request_object: None,
    };
    match rng.below(100) {
        0..=17 => {
            let (user, ip) = node_user(rng);
            let node = user.trim_start_matches("system:node:").to_owned();
            let mut r = base(
                "update",
                format!(
                    "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/{node}?timeout=10s"
                ),
                user,
                NODE_GROUPS,
                ip,
                KUBELET_UA,
            );
            r.resource = Some((
                "coordination.k8s.io",
                "leases",
                "kube-node-lease".into(),
                node,
                "",
            ));
            r
        }
        18..=27 => {
            let (user, ip) = node_user(rng);
            let node = user.trim_start_matches("system:node:").to_owned();
            let mut r = base(
                "patch",
                format!("/api/v1/nodes/{node}/status?timeout=10s"),
                user,
                NODE_GROUPS,
                ip,
                KUBELET_UA,
            );
            r.resource = Some(("", "nodes", String::new(), node, "status"));
            r
        }
        28..=35 => {
            let (component, ua) = if rng.below(2) == 0 {
                ("kube-controller-manager", KCM_UA)
            } else {
                (
                    "kube-scheduler",
                    "kube-scheduler/v1.30.1 (linux/amd64) kubernetes/6911225/leader-election",
                )
            };
            let mut r = base(
                "update",
                format!(
                    "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/{component}?timeout=5s"
                ),
                format!("system:{component}"),
                AUTH,
                "172.18.0.2".into(),
                ua,
            );
            r.resource = Some((
                "coordination.k8s.io",
                "leases",
                "kube-system".into(),
                component.into(),
                "",
            ));
            r
        }
        36..=41 => {
            let mut r = base(
                "create",
                format!("/api/v1/namespaces/{ns}/pods/{pod}/binding"),
                "system:kube-scheduler".into(),
                AUTH,
                "172.18.0.2".into(),
                "kube-scheduler/v1.30.1 (linux/amd64) kubernetes/6911225/scheduler",
            );
            r.code = 201;
            r.resource = Some(("", "pods", ns, pod, "binding"));
            r
        }
        42..=47 => {
            let mut r = base(
                "create",
                format!("/api/v1/namespaces/{ns}/pods"),
                "system:serviceaccount:kube-system:replicaset-controller".into(),
                KS_GROUPS,
                "172.18.0.2".into(),
                KCM_UA,
            );
            r.code = 201;
            r.level = "Request";
            r.request_object = Some(format!(
                r#"{{"kind":"Pod","apiVersion":"v1","metadata":{{"generateName":"{pod}-","namespace":"{ns}","labels":{{"app":"api"}}}},"spec":{{"containers":[{{"name":"app","image":"registry.example.com/{ns}/app:1.4.2","resources":{{"requests":{{"cpu":"100m","memory":"128Mi"}}}}}}],"serviceAccountName":"default"}}}}"#
            ));
            r.resource = Some(("", "pods", ns, pod, ""));
            r
        }
        48..=53 => {
            let mut r = base(
                "update",
                format!("/apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices/{ns}-api-x7f2q"),
                "system:serviceaccount:kube-system:endpointslice-controller".into(),
                KS_GROUPS,
                "172.18.0.2".into(),
                KCM_UA,
            );
            r.resource = Some((
                "discovery.k8s.io",
                "endpointslices",
                ns,
                format!("{}-api-x7f2q", "svc"),
                "",
            ));
            r
        }
        54..=59 => {
            let what = rng.pick(&["endpointslices", "services", "namespaces"]);
            let group = if what == "endpointslices" {
                "discovery.k8s.io"
            } else {
                ""
            };
            let prefix = if group.is_empty() {
                "/api/v1".to_owned()
            } else {
                format!("/apis/{group}/v1")
            };
            let watch = rng.below(3) == 0;
            let mut r = base(
                if watch { "watch" } else { "list" },
                format!("{prefix}/{what}?limit=500&resourceVersion=0"),
                "system:serviceaccount:kube-system:coredns".into(),
                KS_GROUPS,
                format!("10.244.0.{}", 2 + rng.below(2)),
                "coredns/v1.11.1 (linux/amd64) kubernetes/ae2bbc2",
            );
            if watch {
                r.stage = rng.pick(&["ResponseStarted", "ResponseComplete"]);
            }
            r.resource = Some((group, what, String::new(), String::new(), ""));
            r
        }
        60..=67 => {
            let path = rng.pick(&[
                "/healthz",
                "/livez",
                "/readyz",
                "/readyz?verbose",
                "/livez/ping",
                "/version",
                "/openapi/v3",
            ]);
            base(
                "get",
                path.into(),
                "system:anonymous".into(),
                &["system:unauthenticated"],
                format!("10.0.0.{}", 2 + rng.below(3)),
                "kube-probe/1.30",
            )
        }
        68..=70 => base(
            "get",
            "/metrics".into(),
            "system:serviceaccount:monitoring:prometheus".into(),
            &[
                "system:serviceaccounts",
                "system:serviceaccounts:monitoring",
                "system:authenticated",
            ],
            "10.244.5.3".into(),
            "Prometheus/2.51.2",
        ),
        71..=76 => {
            let (user, ip) = node_user(rng);
            let kind = rng.pick(&["secrets", "configmaps"]);
            let name = if kind == "secrets" {
                format!("{ns}-tls")
            } else {
                "kube-root-ca.crt".to_owned()
            };
            let mut r = base(
                "get",
                format!("/api/v1/namespaces/{ns}/{kind}/{name}"),
                user,
                NODE_GROUPS,
                ip,
                KUBELET_UA,
            );
            r.resource = Some(("", kind, ns, name, ""));
            r
        }
        77..=79 => {
            let (user, ip) = node_user(rng);
            let mut r = base(
                "create",
                format!("/api/v1/namespaces/{ns}/serviceaccounts/default/token"),
                user,
                NODE_GROUPS,
                ip,
                KUBELET_UA,
            );
            r.code = 201;
            r.resource = Some(("", "serviceaccounts", ns, "default".into(), "token"));
            r
        }
        80..=83 => {
            let (user, ip) = node_user(rng);
            let mut r = base(
                "create",
                format!("/api/v1/namespaces/{ns}/events"),
                user,
                NODE_GROUPS,
                ip,
                KUBELET_UA,
            );
            r.code = 201;
            r.resource = Some(("", "events", ns, format!("{pod}.17c2a3b4d5e6f708"), ""));
            r
        }
        84..=87 => {
            let verb = rng.pick(&["get", "list", "watch", "patch"]);
            let mut r = base(
                verb,
                format!("/apis/apps/v1/namespaces/{ns}/deployments"),
                "system:serviceaccount:argocd:argocd-application-controller".into(),
                &[
                    "system:serviceaccounts",
                    "system:serviceaccounts:argocd",
                    "system:authenticated",
                ],
                "10.244.4.2".into(),
                "argocd-application-controller/v2.10.4+f89a0a1 (linux/amd64)",
            );
            r.resource = Some((
                "apps",
                "deployments",
                ns,
                if verb == "list" || verb == "watch" {
                    String::new()
                } else {
                    "api".into()
                },
                "",
            ));
            r
        }
        88..=89 => {
            let mut r = base(
                "watch",
                "/api/v1/namespaces/cert-manager/secrets?watch=true".into(),
                "system:serviceaccount:cert-manager:cert-manager".into(),
                &[
                    "system:serviceaccounts",
                    "system:serviceaccounts:cert-manager",
                    "system:authenticated",
                ],
                "10.244.3.4".into(),
                "cert-manager/v1.14.4 (linux/amd64) cert-manager/controller",
            );
            r.stage = "ResponseStarted";
            r.resource = Some(("", "secrets", "cert-manager".into(), String::new(), ""));
            r
        }
        90..=96 => {
            let user = format!(
                "{}@example.com",
                rng.pick(&["alice", "bob", "carol", "dan"])
            );
            let (verb, what, sub) = match rng.below(4) {
                0 => ("list", "pods", ""),
                1 => ("get", "deployments", ""),
                2 => ("get", "pods", "log"),
                _ => ("list", "services", ""),
            };
            let group = if what == "deployments" { "apps" } else { "" };
            let mut r = base(
                verb,
                format!("/api/v1/namespaces/{ns}/{what}"),
                user,
                HUMAN,
                format!("10.8.0.{}", 10 + rng.below(50)),
                KUBECTL_UA,
            );
            r.resource = Some((
                group,
                what,
                ns,
                if verb == "get" { pod } else { String::new() },
                sub,
            ));
            r
        }
        _ => {
            let mut r = base(
                "get",
                format!("/apis/apps/v1/namespaces/{ns}/statefulsets/missing"),
                "system:serviceaccount:data:operator".into(),
                &[
                    "system:serviceaccounts",
                    "system:serviceaccounts:data",
                    "system:authenticated",
                ],
                "10.244.6.7".into(),
                "data-operator/0.9.0",
            );
            r.code = 404;
            r.resource = Some(("apps", "statefulsets", ns, "missing".into(), ""));
            r
        }
    }
}

fn attack<'a>(rng: &mut Rng) -> Req<'a> {
    let ns = rng.pick(NAMESPACES).to_owned();
    let sa_groups: &'a [&'a str] = &[
        "system:serviceaccounts",
        "system:serviceaccounts:web",
        "system:authenticated",
    ];
    let mut r = Req {
        verb: "get",
        uri: String::new(),
        user: "system:serviceaccount:web:frontend".into(),
        groups: sa_groups,
        ip: "10.244.1.17".into(),
        ua: "curl/8.5.0",
        resource: None,
        code: 200,
        stage: "ResponseComplete",
        level: "Metadata",
        request_object: None,
    };
    match rng.below(6) {
        0 => {
            r.verb = "list";
            r.uri = "/api/v1/secrets?limit=500".into();
            r.resource = Some(("", "secrets", String::new(), String::new(), ""));
        }
        1 => {
            r.user = String::new();
            r.groups = &[];
            r.ip = format!("198.51.100.{}", rng.below(4));
            r.ua = "python-requests/2.31.0";
            r.uri = "/api/v1/namespaces/kube-system/secrets".into();
            r.code = 401;
            r.stage = "ResponseStarted";
        }
        2 => {
            r.verb = "create";
            r.user = "mallory@example.com".into();
            r.groups = HUMAN;
            r.ua = KUBECTL_UA;
            r.uri =
                format!("/api/v1/namespaces/{ns}/pods/api-0/exec?command=sh&stdin=true&tty=true");
            r.code = 101;
            r.stage = "ResponseStarted";
            r.resource = Some(("", "pods", ns, "api-0".into(), "exec"));
        }
        3 => {
            r.verb = "create";
            r.uri = format!("/api/v1/namespaces/{ns}/pods");
            r.code = 201;
            r.level = "Request";
            r.request_object = Some(r#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"node-shell"},"spec":{"hostPID":true,"containers":[{"name":"s","image":"alpine:3.20","securityContext":{"privileged":true}}]}}"#.into());
            r.resource = Some(("", "pods", ns, "node-shell".into(), ""));
        }
        4 => {
            r.verb = "create";
            r.uri = format!("/apis/apps/v1/namespaces/{ns}/deployments");
            r.code = 201;
            r.level = "Request";
            r.request_object = Some(r#"{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"kube-metrics"},"spec":{"template":{"spec":{"containers":[{"name":"m","image":"metal3d/xmrig:latest"}]}}}}"#.into());
            r.resource = Some(("apps", "deployments", ns, "kube-metrics".into(), ""));
        }
        _ => {
            r.user = "mallory@example.com".into();
            r.groups = HUMAN;
            r.ua = KUBECTL_UA;
            r.uri = format!("/api/v1/namespaces/{ns}/secrets/db-credentials");
            r.resource = Some(("", "secrets", ns, "db-credentials".into(), ""));
        }
    }
    r
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut events: u64 = 100_000;
    let mut seed: u64 = 42;
    let mut out_path: Option<String> = None;
    let mut benign_only = false;
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--events" => events = value.parse().unwrap_or(events),
            "--seed" => seed = value.parse().unwrap_or(seed),
            "--out" => out_path = Some(value),
            "--benign" => {
                benign_only = true;
                i += 1;
                continue;
            }
            other => {
                eprintln!(
                    "unknown argument `{other}`; usage: --events N --seed S --out FILE [--benign]"
                );
                return std::process::ExitCode::from(2);
            }
        }
        i += 2;
    }
    let sink: Box<dyn Write> = match &out_path {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("cannot create {path}: {e}");
                return std::process::ExitCode::from(2);
            }
        },
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut line = String::with_capacity(4096);
    let mut t: i64 = 0;
    for id in 0..events {
        // About 200 requests per second.
        t += rng.below(10_000) as i64;
        let req = if !benign_only && rng.below(500) == 0 {
            attack(&mut rng)
        } else {
            benign(&mut rng)
        };
        render(&mut line, &req, id.wrapping_mul(0x9E37_79B9) ^ seed, t);
        line.push('\n');
        if out.write_all(line.as_bytes()).is_err() {
            return std::process::ExitCode::from(2);
        }
    }
    if out.flush().is_err() {
        return std::process::ExitCode::from(2);
    }
    std::process::ExitCode::SUCCESS
}
