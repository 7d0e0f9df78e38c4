//! What collection found on a node. Every fact keeps where it came from ([`Origin`]); an absent file is a
//! fact too ([`FileFact::exists`] false), so a check over it can say "not found" instead of passing.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::flags::Flags;

/// Where a fact came from: a node-absolute path (as the node sees it, not prefixed with the scan root)
/// and, for text files, a 1-based line and (where known) a 1-based column in characters. `path` may also
/// name a built-in default, e.g. `(k3s built-in default)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Origin {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
}

impl Origin {
    pub fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: None,
            column: None,
        }
    }

    pub fn at(path: impl Into<String>, line: u32) -> Self {
        Self {
            path: path.into(),
            line: Some(line),
            column: None,
        }
    }

    pub fn at_col(path: impl Into<String>, line: u32, column: Option<u32>) -> Self {
        Self {
            path: path.into(),
            line: Some(line),
            column,
        }
    }

    /// A value the distribution sets when nothing overrides it.
    pub fn builtin(what: &str) -> Self {
        Self::new(format!("({what} built-in default)"))
    }

    pub fn is_builtin(&self) -> bool {
        self.path.starts_with('(')
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// Mode and owner of one path, or its absence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFact {
    pub path: String,
    pub exists: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_dir: Option<bool>,
    /// Permission bits (`0o777` mask).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gid: Option<u32>,
    /// User and group names from the node's own `/etc/passwd` and `/etc/group`, when listed there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

impl FileFact {
    pub fn missing(path: &str) -> Self {
        Self {
            path: path.to_string(),
            exists: false,
            is_dir: None,
            mode: None,
            uid: None,
            gid: None,
            user: None,
            group: None,
        }
    }

    /// `user:group` with names where known, numbers otherwise.
    pub fn owner_string(&self) -> String {
        let user = self
            .user
            .clone()
            .or_else(|| self.uid.map(|u| u.to_string()))
            .unwrap_or_else(|| "?".into());
        let group = self
            .group
            .clone()
            .or_else(|| self.gid.map(|g| g.to_string()))
            .unwrap_or_else(|| "?".into());
        format!("{user}:{group}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
    Kubelet,
    KubeProxy,
}

impl ComponentKind {
    pub fn binary(self) -> &'static str {
        match self {
            Self::ApiServer => "kube-apiserver",
            Self::ControllerManager => "kube-controller-manager",
            Self::Scheduler => "kube-scheduler",
            Self::Etcd => "etcd",
            Self::Kubelet => "kubelet",
            Self::KubeProxy => "kube-proxy",
        }
    }
}

/// How a component's settings were found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ComponentSource {
    /// A static pod manifest (kubeadm, RKE2).
    StaticPod { path: String },
    /// A running process's command line.
    Process { pid: u32 },
    /// Embedded in a k3s or RKE2 server process: distribution defaults plus `*-arg` lists of its config.
    Embedded { distribution: String },
    /// An environment file of a packaged service (`/etc/etcd/etcd.conf` with `ETCD_*` variables).
    EnvFile { path: String },
    /// An etcd YAML configuration file (`--config-file`).
    ConfigFile { path: String },
}

/// One Kubernetes component on the node with its effective flags.
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    pub kind: ComponentKind,
    pub source: ComponentSource,
    pub flags: Flags,
    /// Container image of a static pod (its tag usually carries the version).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Manifest or unit file holding the settings, for the file-permission checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
}

/// A parsed YAML/JSON configuration file (kubelet config, etcd config) with its text kept for line lookups.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigDoc {
    pub path: String,
    pub value: serde_json::Value,
    #[serde(skip)]
    pub text: String,
}

impl ConfigDoc {
    /// A value at a dotted path (`authentication.anonymous.enabled`) with its origin.
    pub fn lookup(&self, dotted: &str) -> Option<(&serde_json::Value, Origin)> {
        let mut v = &self.value;
        let keys: Vec<&str> = dotted.split('.').collect();
        for k in &keys {
            v = v.get(k)?;
        }
        let pos = crate::text::find_key_pos(&self.text, &keys);
        Some((
            v,
            Origin {
                path: self.path.clone(),
                line: pos.map(|p| p.0),
                column: pos.map(|p| p.1),
            },
        ))
    }
}

/// Kubelet settings: the configuration file(s) and the flags. Flags override the file, as the kubelet
/// documents ("command-line flags take precedence over the configuration file").
#[derive(Debug, Clone, Serialize)]
pub struct KubeletFacts {
    pub flags: Flags,
    /// Configuration files in merge order (`--config`, then `--config-dir` drop-ins).
    pub configs: Vec<ConfigDoc>,
    /// systemd unit and drop-in files consulted.
    pub unit_files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kubeconfig: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ca_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_path: Option<String>,
    /// Settings the distribution applies itself (k3s/RKE2 agent defaults).
    pub builtin: Flags,
    /// A configuration file the kubelet is told to read (`--config`) that could not be read here:
    /// settings it may hold are unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable_config: Option<String>,
}

/// An effective setting with where it was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Setting {
    pub value: String,
    pub origin: Origin,
}

impl KubeletFacts {
    /// Resolve a setting: flag first, then the last config file that sets it, then distribution
    /// defaults. `None` means the kubelet's own default applies.
    pub fn setting(&self, flag: &str, config_path: &str) -> Option<Setting> {
        if let Some(f) = self.flags.get(flag) {
            return Some(Setting {
                value: f.value.clone(),
                origin: f.origin.clone(),
            });
        }
        for doc in self.configs.iter().rev() {
            if let Some((v, origin)) = doc.lookup(config_path) {
                return Some(Setting {
                    value: json_scalar(v),
                    origin,
                });
            }
        }
        self.builtin.get(flag).map(|f| Setting {
            value: f.value.clone(),
            origin: f.origin.clone(),
        })
    }

    /// A feature gate from flags or `featureGates` in the config.
    pub fn feature_gate(&self, gate: &str) -> Option<(bool, Origin)> {
        if let Some((b, o)) = self.flags.feature_gate(gate) {
            return Some((b, o.clone()));
        }
        for doc in self.configs.iter().rev() {
            if let Some((v, origin)) = doc.lookup(&format!("featureGates.{gate}")) {
                return v.as_bool().map(|b| (b, origin));
            }
        }
        None
    }
}

/// JSON scalar as the text a flag would carry; arrays become comma-separated lists.
pub fn json_scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(a) => a.iter().map(json_scalar).collect::<Vec<_>>().join(","),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// k3s / RKE2 configuration (`/etc/rancher/<dist>/config.yaml` and `config.yaml.d/*.yaml`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RancherFacts {
    pub distribution: String,
    pub files: Vec<String>,
    /// Top-level keys with scalar values (`secrets-encryption`, `protect-kernel-defaults`, `server`, ...).
    pub settings: BTreeMap<String, Setting>,
    /// `kube-apiserver-arg`, `kubelet-arg`, ... as flags per list key.
    pub arg_lists: BTreeMap<String, Flags>,
    /// The node runs the server (control plane) part.
    pub is_server: bool,
    pub data_dir: String,
}

/// `identity`, `aescbc`, `aesgcm`, `secretbox`, `kms` (with API version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EncryptionFacts {
    pub path: String,
    pub exists: bool,
    /// First provider configured for Secrets, the one new writes use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secrets_first_provider: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parse_error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditPolicyFacts {
    pub path: String,
    pub exists: bool,
    #[serde(skip)]
    pub text: String,
}

/// `sshd_config` after includes, first value wins per keyword as sshd does.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SshdFacts {
    pub files: Vec<String>,
    /// Lower-cased keyword -> first global value.
    pub global: BTreeMap<String, Setting>,
    /// Every occurrence of `Port`.
    pub ports: Vec<Setting>,
    pub listen_addresses: Vec<Setting>,
    /// Settings inside `Match` blocks: (match criteria, keyword, value).
    pub match_settings: Vec<(String, String, Setting)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FirewallKind {
    Nftables,
    Iptables,
    Ufw,
    Firewalld,
}

/// Host firewall configuration found on disk.
#[derive(Debug, Clone, Serialize)]
pub struct FirewallSource {
    pub kind: FirewallKind,
    pub path: String,
    /// Inbound traffic is dropped unless allowed (policy drop, or a final drop/reject rule).
    pub default_deny_input: bool,
    /// Number of filtering rules found.
    pub rule_count: usize,
    /// Inbound rules that name destination ports, with whether each accepts and restricts the source.
    pub port_rules: Vec<PortRule>,
    /// ufw/firewalld installed but switched off.
    pub disabled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PortRule {
    pub origin: Origin,
    pub text: String,
    /// Destination ports as written: `22`, `ssh`, ranges `2379:2380` / `2379-2380`.
    pub ports: Vec<String>,
    pub accepts: bool,
    pub source_restricted: bool,
}

impl PortRule {
    /// Whether the rule covers TCP port `port` (`ssh` stands for 22).
    pub fn covers(&self, port: u16) -> bool {
        self.ports.iter().any(|p| {
            if p == "ssh" {
                return port == 22;
            }
            match p.split_once([':', '-']) {
                Some((a, b)) => match (a.trim().parse::<u16>(), b.trim().parse::<u16>()) {
                    (Ok(a), Ok(b)) => (a..=b).contains(&port),
                    _ => false,
                },
                None => p.trim().parse::<u16>() == Ok(port),
            }
        })
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OsRelease {
    pub path: String,
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_id: Option<String>,
    pub pretty_name: String,
    pub immutable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProcessFact {
    pub pid: u32,
    pub comm: String,
    /// Arguments exactly as the kernel keeps them (NUL-separated in `/proc/PID/cmdline`).
    pub args: Vec<String>,
}

impl ProcessFact {
    /// Arguments joined with spaces, for display.
    pub fn cmdline(&self) -> String {
        self.args.join(" ")
    }
}

/// A certificate found in a PKI directory or embedded in a kubeconfig.
#[derive(Debug, Clone, Serialize)]
pub struct CertFact {
    pub origin: Origin,
    pub subject: String,
    pub issuer: String,
    pub is_ca: bool,
    /// Unix seconds.
    pub not_before: i64,
    pub not_after: i64,
}

/// Something collection could not read or parse. It is reported, and the checks that need it say so.
#[derive(Debug, Clone, Serialize)]
pub struct CollectIssue {
    pub path: String,
    pub message: String,
}
