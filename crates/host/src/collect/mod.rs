//! Collection: read a node's filesystem (mounted at a root directory) into [`NodeFacts`]. Reading only;
//! nothing here judges. Unreadable or malformed files become [`CollectIssue`]s and collection goes on.

mod certs;
mod cluster_view;
mod firewall;
pub(crate) mod fs;
mod kubelet;
mod rancher;
mod sshd;
mod static_pods;
mod system;
mod systemd;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

pub use cluster_view::{CLUSTER_VIEW_ROOT, cluster_view};
pub use static_pods::parse_manifest;
pub use system::is_immutable_os_image;

use crate::detect::{self, Distribution, NodeRoles};
use crate::error::HostError;
use crate::facts::{
    AuditPolicyFacts, CertFact, CollectIssue, Component, ComponentKind, ComponentSource,
    EncryptionFacts, FileFact, FirewallSource, KubeletFacts, Origin, OsRelease, ProcessFact,
    RancherFacts, SshdFacts,
};
use crate::flags::Flags;
use fs::NodeFs;

/// What to read besides files.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    /// Also read `/proc/*/cmdline` and `/proc/*/comm` under the root: running components' real flags
    /// win over manifests, and the process list feeds the non-essential-process check. Only meaningful
    /// when the root is a live node's `/` (or a host mount that includes its `/proc`).
    pub read_proc: bool,
}

/// Everything collected from one node. Serialisable, to inspect what a scan saw (e.g. a `--dump-facts`).
#[derive(Debug, Clone, Serialize)]
pub struct NodeFacts {
    pub root: String,
    pub distribution: Distribution,
    pub roles: NodeRoles,
    /// Files and directories that told the distribution and roles apart.
    pub hints: Vec<String>,
    pub components: Vec<Component>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubelet: Option<KubeletFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rancher: Option<RancherFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encryption: Option<EncryptionFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_policy: Option<AuditPolicyFacts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sshd: Option<SshdFacts>,
    pub firewall: Vec<FirewallSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub os: Option<OsRelease>,
    /// `None` when `/proc` was not read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processes: Option<Vec<ProcessFact>>,
    pub certs: Vec<CertFact>,
    /// Kubeconfig files found (admin, controller-manager, scheduler, kubelet, kube-proxy...).
    pub kubeconfigs: Vec<String>,
    /// Files under the PKI directory in use.
    pub pki_dir: Option<String>,
    pub pki_files: Vec<String>,
    pub cni_files: Vec<String>,
    /// Modes and owners of every path the checks look at, present or not.
    pub files: BTreeMap<String, FileFact>,
    pub issues: Vec<CollectIssue>,
}

impl NodeFacts {
    /// The component to judge: a running process beats a static pod manifest, which beats a config file,
    /// which beats distribution defaults.
    pub fn component(&self, kind: ComponentKind) -> Option<&Component> {
        let rank = |c: &Component| match c.source {
            ComponentSource::Process { .. } => 0,
            ComponentSource::StaticPod { .. } => 1,
            ComponentSource::ConfigFile { .. } => 2,
            ComponentSource::EnvFile { .. } => 3,
            ComponentSource::Embedded { .. } => 4,
        };
        self.components
            .iter()
            .filter(|c| c.kind == kind)
            .min_by_key(|c| rank(c))
    }

    /// Mode and owner of a path (a missing fact when it was never looked at or is absent).
    pub fn file(&self, path: &str) -> FileFact {
        self.files
            .get(path)
            .cloned()
            .unwrap_or_else(|| FileFact::missing(path))
    }
}

/// Read the node filesystem under `root`.
pub fn collect(root: &Path, opts: &CollectOptions) -> Result<NodeFacts, HostError> {
    std::fs::read_dir(root).map_err(|source| HostError::Root {
        path: root.to_path_buf(),
        source,
    })?;
    let fs = NodeFs::new(root);
    let mut issues = Vec::new();

    let mut components = Vec::new();
    let processes = opts.read_proc.then(|| system::processes(&fs));
    let mut kubelet_process_flags = None;
    if let Some(procs) = &processes {
        for p in procs {
            let origin = Origin::new(format!("/proc/{}/cmdline", p.pid));
            let kind = match p.comm.as_str() {
                "kube-apiserver" => ComponentKind::ApiServer,
                "kube-controller" | "kube-controller-manager" => ComponentKind::ControllerManager,
                "kube-scheduler" => ComponentKind::Scheduler,
                "etcd" => ComponentKind::Etcd,
                "kube-proxy" => ComponentKind::KubeProxy,
                "kubelet" => {
                    kubelet_process_flags = Some(process_flags(p, &origin));
                    continue;
                }
                _ => continue,
            };
            let mut c = Component {
                kind,
                source: ComponentSource::Process { pid: p.pid },
                flags: process_flags(p, &origin),
                image: None,
                manifest: None,
            };
            if kind == ComponentKind::Etcd {
                static_pods::apply_etcd_config_file(&fs, &mut c, &mut issues);
            }
            components.push(c);
        }
    }
    components.extend(static_pods::collect(&fs, &mut issues));
    if !components.iter().any(|c| c.kind == ComponentKind::Etcd) {
        components.extend(static_pods::etcd_env_file(&fs));
    }

    let rancher = rancher::detect(&fs).map(|d| rancher::collect(&fs, d, &mut issues));
    if let Some(r) = &rancher {
        let embedded = rancher::embedded_components(&fs, r, &components, &mut issues);
        components.extend(embedded);
    }
    // k3s/RKE2: their own kubelet defaults rank below the configuration file; `kubelet-arg` entries are
    // real command-line flags and rank above it.
    let (kubelet_builtin, kubelet_args, kubelet_dirs) = match &rancher {
        Some(r) => (
            rancher::default_flags(r, ComponentKind::Kubelet, &fs),
            r.arg_lists.get("kubelet-arg").cloned(),
            vec![format!("{}/agent/etc/kubelet.conf.d", r.data_dir)],
        ),
        None => (Flags::new(), None, Vec::new()),
    };
    let kubelet = kubelet::collect(
        &fs,
        kubelet_process_flags,
        kubelet_args,
        kubelet_builtin,
        &kubelet_dirs,
        &mut issues,
    );

    let mut facts = NodeFacts {
        root: root.display().to_string(),
        distribution: Distribution::Unknown,
        roles: NodeRoles::default(),
        hints: Vec::new(),
        components,
        kubelet,
        rancher,
        encryption: None,
        audit_policy: None,
        sshd: sshd::collect(&fs),
        firewall: firewall::collect(&fs),
        os: system::os_release(&fs),
        processes,
        certs: Vec::new(),
        kubeconfigs: Vec::new(),
        pki_dir: None,
        pki_files: Vec::new(),
        cni_files: Vec::new(),
        files: BTreeMap::new(),
        issues: Vec::new(),
    };
    apiserver_files(&fs, &mut facts);
    let (distribution, hints) = detect::distribution(&fs, &facts);
    facts.distribution = distribution;
    facts.hints = hints;
    facts.roles = detect::roles(&fs, &facts);
    credentials(&fs, &mut facts, &mut issues);
    stat_files(&fs, &mut facts);
    if facts.components.is_empty() && facts.kubelet.is_none() && facts.rancher.is_none() {
        issues.push(CollectIssue {
            path: "/".into(),
            message: "no Kubernetes component found under this root (static pods, kubelet, k3s/RKE2); is it a node's filesystem?".into(),
        });
    }
    facts.issues = issues;
    Ok(facts)
}

/// Flags of a process: each argument is one token, so values containing spaces survive.
fn process_flags(p: &ProcessFact, origin: &Origin) -> Flags {
    let tokens: Vec<crate::flags::Token> = p
        .args
        .iter()
        .map(|a| crate::flags::Token {
            text: a.clone(),
            origin: origin.clone(),
        })
        .collect();
    Flags::parse(&tokens)
}

/// The EncryptionConfiguration and audit Policy the API server names, read inside the root.
fn apiserver_files(fs: &NodeFs, facts: &mut NodeFacts) {
    let Some(api) = facts.component(ComponentKind::ApiServer) else {
        return;
    };
    let enc_path = api
        .flags
        .get("encryption-provider-config")
        .map(|f| f.value.clone());
    let policy_path = api.flags.get("audit-policy-file").map(|f| f.value.clone());
    if let Some(path) = enc_path {
        facts.encryption = Some(encryption(fs, &path));
    }
    if let Some(path) = policy_path {
        let text = fs.read(&path);
        facts.audit_policy = Some(AuditPolicyFacts {
            exists: text.is_some(),
            text: text.unwrap_or_default(),
            path,
        });
    }
}

fn encryption(fs: &NodeFs, path: &str) -> EncryptionFacts {
    let mut facts = EncryptionFacts {
        path: path.to_string(),
        exists: false,
        secrets_first_provider: None,
        origin: None,
        parse_error: None,
    };
    let Some(text) = fs.read(path) else {
        return facts;
    };
    facts.exists = true;
    let value = match crate::text::parse_yaml(&text) {
        Ok(v) => v,
        Err(e) => {
            facts.parse_error = Some(e);
            return facts;
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let entries = value
        .get("resources")
        .and_then(|r| r.as_array())
        .cloned()
        .unwrap_or_default();
    // The first entry whose resource list covers Secrets decides (later entries never see them).
    for entry in entries {
        let covers = entry
            .get("resources")
            .and_then(|r| r.as_array())
            .is_some_and(|rs| {
                rs.iter()
                    .filter_map(|r| r.as_str())
                    .any(|r| matches!(r, "secrets" | "*.*" | "*." | "secrets."))
            });
        if !covers {
            continue;
        }
        let first = entry
            .get("providers")
            .and_then(|p| p.as_array())
            .and_then(|p| p.first())
            .and_then(|p| p.as_object())
            .and_then(|o| o.iter().next().map(|(k, v)| (k.clone(), v.clone())));
        if let Some((name, body)) = first {
            let label = if name == "kms" {
                let version = body
                    .get("apiVersion")
                    .and_then(|v| v.as_str())
                    .unwrap_or("v1");
                format!("kms {version}")
            } else {
                name.clone()
            };
            let line = crate::text::find_line_from(&lines, 0, "providers")
                .and_then(|l| crate::text::find_line_from(&lines, l, &name))
                .map(|l| l as u32 + 1);
            facts.origin = Some(Origin {
                path: path.to_string(),
                line,
                column: None,
            });
            facts.secrets_first_provider = Some(label);
        }
        break;
    }
    facts
}

const KUBECONFIGS: &[&str] = &[
    "/etc/kubernetes/admin.conf",
    "/etc/kubernetes/super-admin.conf",
    "/etc/kubernetes/controller-manager.conf",
    "/etc/kubernetes/scheduler.conf",
    "/etc/kubernetes/kubelet.conf",
    "/etc/kubernetes/proxy.conf",
    "/var/lib/kubelet/kubeconfig",
];

fn credentials(fs: &NodeFs, facts: &mut NodeFacts, issues: &mut Vec<CollectIssue>) {
    let data_dirs: Vec<String> = facts.rancher.iter().map(|r| r.data_dir.clone()).collect();
    let mut kubeconfigs: Vec<String> = KUBECONFIGS
        .iter()
        .filter(|p| fs.exists(p))
        .map(|p| p.to_string())
        .collect();
    for d in &data_dirs {
        for dir in [format!("{d}/server/cred"), format!("{d}/agent")] {
            kubeconfigs.extend(
                fs.list(&dir)
                    .into_iter()
                    .filter(|p| p.ends_with(".kubeconfig")),
            );
        }
    }
    if let Some(k) = facts.kubelet.as_ref().and_then(|k| k.kubeconfig.clone())
        && fs.exists(&k)
        && !kubeconfigs.contains(&k)
    {
        kubeconfigs.push(k);
    }
    let mut certs = certs::collect_pki(fs, &certs::pki_dirs(&data_dirs), issues);
    for k in &kubeconfigs {
        certs::collect_kubeconfig(fs, k, &mut certs, issues);
    }
    certs.sort_by(|a, b| a.origin.cmp(&b.origin));
    certs.dedup_by(|a, b| {
        a.origin == b.origin && a.subject == b.subject && a.not_after == b.not_after
    });
    facts.certs = certs;
    facts.kubeconfigs = kubeconfigs;

    let pki_dir = ["/etc/kubernetes/pki".to_string()]
        .into_iter()
        .chain(data_dirs.iter().map(|d| format!("{d}/server/tls")))
        .find(|d| fs.is_dir(d));
    if let Some(dir) = &pki_dir {
        facts.pki_files = fs.walk(dir, 2);
    }
    facts.pki_dir = pki_dir;
    facts.cni_files = fs.walk("/etc/cni/net.d", 1);
}

/// Stat every path a check may look at, so evaluation needs no filesystem.
fn stat_files(fs: &NodeFs, facts: &mut NodeFacts) {
    let mut paths: Vec<String> = Vec::new();
    for c in &facts.components {
        paths.extend(c.manifest.clone());
        if c.kind == ComponentKind::Etcd {
            paths.push(
                c.flags
                    .get("data-dir")
                    .map(|f| f.value.clone())
                    .unwrap_or_else(|| "/var/lib/etcd".into()),
            );
        }
    }
    paths.extend(KUBECONFIGS.iter().map(|s| s.to_string()));
    paths.extend(facts.kubeconfigs.iter().cloned());
    paths.extend(facts.pki_dir.iter().cloned());
    paths.extend(facts.pki_files.iter().cloned());
    paths.extend(facts.cni_files.iter().cloned());
    if let Some(k) = &facts.kubelet {
        paths.extend(k.unit_files.iter().cloned());
        paths.extend(k.config_path.iter().cloned());
        paths.extend(k.configs.iter().map(|c| c.path.clone()));
        paths.extend(k.kubeconfig.iter().cloned());
        paths.extend(k.client_ca_file.iter().cloned());
    }
    if let Some(r) = &facts.rancher {
        let d = &r.data_dir;
        paths.extend([
            format!("{d}/server/cred/admin.kubeconfig"),
            format!("{d}/server/cred/scheduler.kubeconfig"),
            format!("{d}/server/cred/controller.kubeconfig"),
            format!("{d}/agent/kubeproxy.kubeconfig"),
            format!("{d}/server/db/etcd"),
            format!("/etc/systemd/system/{}.service", r.distribution),
            format!("/etc/systemd/system/{}-server.service", r.distribution),
            format!("/etc/systemd/system/{}-agent.service", r.distribution),
        ]);
    }
    paths.extend(facts.encryption.iter().map(|e| e.path.clone()));
    paths.extend(facts.audit_policy.iter().map(|a| a.path.clone()));
    paths.push("/var/lib/kube-proxy/kubeconfig.conf".into());
    for p in paths {
        if let std::collections::btree_map::Entry::Vacant(e) = facts.files.entry(p) {
            let stat = fs.stat(e.key());
            e.insert(stat);
        }
    }
}
