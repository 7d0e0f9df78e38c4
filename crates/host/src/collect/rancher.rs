//! k3s and RKE2: `/etc/rancher/<dist>/config.yaml` plus `config.yaml.d/*.yaml` drop-ins, and the
//! settings these distributions apply themselves when the config does not override them (taken from
//! their documentation and the CIS self-assessment guides). k3s runs the control plane inside its own
//! process, so these defaults plus the `*-arg` lists are the effective flags.

use crate::collect::fs::NodeFs;
use crate::facts::{
    CollectIssue, Component, ComponentKind, ComponentSource, Origin, RancherFacts, Setting,
    json_scalar,
};
use crate::flags::Flags;
use crate::text::parse_yaml;

pub const ARG_KEYS: &[&str] = &[
    "kube-apiserver-arg",
    "kube-controller-manager-arg",
    "kube-scheduler-arg",
    "kubelet-arg",
    "kube-proxy-arg",
    "etcd-arg",
];

/// Cipher suites k3s and RKE2 configure for the API server.
const RANCHER_CIPHERS: &str = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305";

pub fn detect(fs: &NodeFs) -> Option<&'static str> {
    ["rke2", "k3s"].into_iter().find(|d| {
        fs.exists(&format!("/etc/rancher/{d}"))
            || fs.exists(&format!("/var/lib/rancher/{d}"))
            || fs.exists(&format!("/etc/systemd/system/{d}.service"))
            || fs.exists(&format!("/etc/systemd/system/{d}-server.service"))
            || fs.exists(&format!("/etc/systemd/system/{d}-agent.service"))
    })
}

pub fn collect(fs: &NodeFs, dist: &str, issues: &mut Vec<CollectIssue>) -> RancherFacts {
    let mut facts = RancherFacts {
        distribution: dist.to_string(),
        ..RancherFacts::default()
    };
    let mut files = vec![format!("/etc/rancher/{dist}/config.yaml")];
    files.extend(
        fs.list(&format!("/etc/rancher/{dist}/config.yaml.d"))
            .into_iter()
            .filter(|p| p.ends_with(".yaml") || p.ends_with(".yml")),
    );
    for path in files {
        let Some(text) = fs.read(&path) else { continue };
        let value = match parse_yaml(&text) {
            Ok(v) => v,
            Err(message) => {
                issues.push(CollectIssue { path, message });
                continue;
            }
        };
        facts.files.push(path.clone());
        let Some(map) = value.as_object() else {
            continue;
        };
        let lines: Vec<&str> = text.lines().collect();
        for (key, v) in map {
            // k3s: a key ending in `+` appends to earlier files' lists instead of replacing them.
            let (base, append) = match key.strip_suffix('+') {
                Some(b) => (b.to_string(), true),
                None => (key.clone(), false),
            };
            let key_line = crate::text::find_key_line(&text, &[key.as_str()]);
            if ARG_KEYS.contains(&base.as_str()) {
                let items: Vec<String> = match v {
                    serde_json::Value::Array(a) => a.iter().map(json_scalar).collect(),
                    other => vec![json_scalar(other)],
                };
                let mut flags = Flags::new();
                let mut cursor = key_line.map(|l| l as usize).unwrap_or(0);
                for item in items {
                    let line = crate::text::find_line_from(&lines, cursor, &item);
                    if let Some(l) = line {
                        cursor = l + 1;
                    }
                    let origin = match line.or(key_line.map(|l| l as usize - 1)) {
                        Some(l) => Origin::at_col(
                            path.as_str(),
                            l as u32 + 1,
                            lines.get(l).and_then(|t| crate::text::column_of(t, &item)),
                        ),
                        None => Origin::new(path.as_str()),
                    };
                    let item = item.trim_start_matches('-');
                    let (name, value) = item.split_once('=').unwrap_or((item, "true"));
                    flags.push(name, value, origin);
                }
                let entry = facts.arg_lists.entry(base).or_default();
                if !append {
                    *entry = Flags::new();
                }
                entry.extend(&flags);
            } else {
                let origin = match key_line {
                    Some(l) => Origin::at_col(path.as_str(), l, Some(1)),
                    None => Origin::new(path.as_str()),
                };
                facts.settings.insert(
                    base,
                    Setting {
                        value: json_scalar(v),
                        origin,
                    },
                );
            }
        }
    }
    service_args(fs, dist, &mut facts);
    facts.data_dir = facts
        .settings
        .get("data-dir")
        .map(|s| s.value.clone())
        .unwrap_or_else(|| format!("/var/lib/rancher/{dist}"));
    facts.is_server = fs.is_dir(&format!("{}/server", facts.data_dir))
        || fs.exists(&format!("/etc/systemd/system/{dist}.service"))
            && dist == "k3s"
            && !facts.settings.contains_key("server")
        || fs.exists(&format!("/etc/systemd/system/{dist}-server.service"));
    facts
}

/// Flags on the service's command line (`ExecStart=/usr/local/bin/k3s server --secrets-encryption
/// --kube-apiserver-arg=...`, as the install script writes them). They take precedence over the config
/// file for scalar settings and add to its `*-arg` lists.
fn service_args(fs: &NodeFs, dist: &str, facts: &mut RancherFacts) {
    let units: Vec<String> = [
        format!("/etc/systemd/system/{dist}.service"),
        format!("/etc/systemd/system/{dist}-server.service"),
        format!("/etc/systemd/system/{dist}-agent.service"),
        format!("/usr/local/lib/systemd/system/{dist}-server.service"),
        format!("/usr/local/lib/systemd/system/{dist}-agent.service"),
    ]
    .into_iter()
    .filter(|p| fs.exists(p))
    .collect();
    if units.is_empty() {
        return;
    }
    let unit = crate::collect::systemd::read_unit(fs, &units);
    let Some(exec) = &unit.exec else { return };
    let flags = Flags::parse(&crate::collect::systemd::expand(exec, &unit.env));
    for f in flags.iter() {
        if ARG_KEYS.contains(&f.name.as_str()) {
            let item = f.value.trim_start_matches('-');
            let (name, value) = item.split_once('=').unwrap_or((item, "true"));
            facts
                .arg_lists
                .entry(f.name.clone())
                .or_default()
                .push(name, value, f.origin.clone());
        } else {
            facts.settings.insert(
                f.name.clone(),
                Setting {
                    value: f.value.clone(),
                    origin: f.origin.clone(),
                },
            );
        }
    }
    facts.files.extend(units);
}

fn setting_is_true(facts: &RancherFacts, key: &str) -> bool {
    facts
        .settings
        .get(key)
        .is_some_and(|s| matches!(s.value.as_str(), "true" | "True" | "TRUE"))
}

/// Distribution defaults for one component, before the config's `*-arg` list.
pub fn default_flags(facts: &RancherFacts, kind: ComponentKind, fs: &NodeFs) -> Flags {
    let d = facts.data_dir.as_str();
    let origin = Origin::builtin(&facts.distribution);
    let mut f = Flags::new();
    let mut set = |k: &str, v: &str| f.push(k, v, origin.clone());
    match kind {
        ComponentKind::ApiServer => {
            set("anonymous-auth", "false");
            set("authorization-mode", "Node,RBAC");
            set("enable-admission-plugins", "NodeRestriction");
            set("profiling", "false");
            set(
                "tls-cert-file",
                &format!("{d}/server/tls/serving-kube-apiserver.crt"),
            );
            set(
                "tls-private-key-file",
                &format!("{d}/server/tls/serving-kube-apiserver.key"),
            );
            set("client-ca-file", &format!("{d}/server/tls/client-ca.crt"));
            set(
                "kubelet-client-certificate",
                &format!("{d}/server/tls/client-kube-apiserver.crt"),
            );
            set(
                "kubelet-client-key",
                &format!("{d}/server/tls/client-kube-apiserver.key"),
            );
            set(
                "kubelet-certificate-authority",
                &format!("{d}/server/tls/server-ca.crt"),
            );
            set(
                "service-account-key-file",
                &format!("{d}/server/tls/service.key"),
            );
            set("tls-cipher-suites", RANCHER_CIPHERS);
            if fs.exists(&format!("{d}/server/db/etcd")) || facts.distribution == "rke2" {
                set("etcd-cafile", &format!("{d}/server/tls/etcd/server-ca.crt"));
                set("etcd-certfile", &format!("{d}/server/tls/etcd/client.crt"));
                set("etcd-keyfile", &format!("{d}/server/tls/etcd/client.key"));
            } else {
                set("etcd-servers", "unix://kine.sock");
            }
            if setting_is_true(facts, "secrets-encryption") {
                set(
                    "encryption-provider-config",
                    &format!("{d}/server/cred/encryption-config.json"),
                );
            }
        }
        ComponentKind::ControllerManager => {
            set("profiling", "false");
            set("use-service-account-credentials", "true");
            set(
                "service-account-private-key-file",
                &format!("{d}/server/tls/service.current.key"),
            );
            set("root-ca-file", &format!("{d}/server/tls/server-ca.crt"));
            set("bind-address", "127.0.0.1");
        }
        ComponentKind::Scheduler => {
            set("profiling", "false");
            set("bind-address", "127.0.0.1");
        }
        ComponentKind::Kubelet => {
            set("anonymous-auth", "false");
            set("authorization-mode", "Webhook");
            set("client-ca-file", &format!("{d}/agent/client-ca.crt"));
            set("read-only-port", "0");
            set("tls-cert-file", &format!("{d}/agent/serving-kubelet.crt"));
            set(
                "tls-private-key-file",
                &format!("{d}/agent/serving-kubelet.key"),
            );
            set("kubeconfig", &format!("{d}/agent/kubelet.kubeconfig"));
            if setting_is_true(facts, "protect-kernel-defaults") {
                set("protect-kernel-defaults", "true");
            }
        }
        ComponentKind::Etcd | ComponentKind::KubeProxy => {}
    }
    f
}

fn arg_key(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::ApiServer => "kube-apiserver-arg",
        ComponentKind::ControllerManager => "kube-controller-manager-arg",
        ComponentKind::Scheduler => "kube-scheduler-arg",
        ComponentKind::Kubelet => "kubelet-arg",
        ComponentKind::KubeProxy => "kube-proxy-arg",
        ComponentKind::Etcd => "etcd-arg",
    }
}

/// Effective flags of an embedded component: defaults, then the `*-arg` list (later wins).
pub fn embedded_flags(facts: &RancherFacts, kind: ComponentKind, fs: &NodeFs) -> Flags {
    let mut flags = default_flags(facts, kind, fs);
    if let Some(args) = facts.arg_lists.get(arg_key(kind)) {
        flags.extend(args);
    }
    flags
}

/// Control-plane components of a server node that are not already known from static pods (RKE2 writes
/// static pods; k3s does not), and etcd from its generated configuration file.
pub fn embedded_components(
    fs: &NodeFs,
    facts: &RancherFacts,
    known: &[Component],
    issues: &mut Vec<CollectIssue>,
) -> Vec<Component> {
    let mut out = Vec::new();
    let has = |k: ComponentKind| known.iter().any(|c| c.kind == k);
    // Every k3s/RKE2 node runs kube-proxy in-process unless it is switched off.
    if !has(ComponentKind::KubeProxy) && !setting_is_true(facts, "disable-kube-proxy") {
        out.push(Component {
            kind: ComponentKind::KubeProxy,
            source: ComponentSource::Embedded {
                distribution: facts.distribution.clone(),
            },
            flags: embedded_flags(facts, ComponentKind::KubeProxy, fs),
            image: None,
            manifest: None,
        });
    }
    if !facts.is_server {
        return out;
    }
    for kind in [
        ComponentKind::ApiServer,
        ComponentKind::ControllerManager,
        ComponentKind::Scheduler,
    ] {
        if !has(kind) {
            out.push(Component {
                kind,
                source: ComponentSource::Embedded {
                    distribution: facts.distribution.clone(),
                },
                flags: embedded_flags(facts, kind, fs),
                image: None,
                manifest: None,
            });
        }
    }
    let etcd_config = format!("{}/server/db/etcd/config", facts.data_dir);
    if !has(ComponentKind::Etcd) {
        match crate::collect::static_pods::etcd_config_flags(fs, &etcd_config) {
            Ok(Some(flags)) => out.push(Component {
                kind: ComponentKind::Etcd,
                source: ComponentSource::ConfigFile { path: etcd_config },
                flags,
                image: None,
                manifest: None,
            }),
            Ok(None) => {}
            Err(message) => issues.push(CollectIssue {
                path: etcd_config,
                message,
            }),
        }
    }
    out
}
