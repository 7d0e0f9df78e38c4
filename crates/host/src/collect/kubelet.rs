//! Kubelet settings: systemd unit and drop-ins (`Environment=`, `EnvironmentFile=`, `ExecStart=` with
//! `$KUBELET_*_ARGS` expanded), `/etc/default/kubelet`, the configuration file (`--config`, default
//! `/var/lib/kubelet/config.yaml`) and `--config-dir` drop-ins.

use std::collections::BTreeMap;

use crate::collect::fs::NodeFs;
use crate::collect::systemd;
use crate::facts::{CollectIssue, ConfigDoc, KubeletFacts};
use crate::flags::{Flags, Token, split_words};
use crate::text::parse_yaml;

const UNIT_FILES: &[&str] = &[
    "/lib/systemd/system/kubelet.service",
    "/usr/lib/systemd/system/kubelet.service",
    "/etc/systemd/system/kubelet.service",
];
const DROPIN_DIRS: &[&str] = &[
    "/lib/systemd/system/kubelet.service.d",
    "/usr/lib/systemd/system/kubelet.service.d",
    "/etc/systemd/system/kubelet.service.d",
];
/// Environment files read even without a unit naming them (Debian/RPM packaging conventions).
const DEFAULT_ENV_FILES: &[&str] = &["/etc/default/kubelet", "/etc/sysconfig/kubelet"];

/// Where kubelet configuration files live when no `--config` flag names one (kubeadm, EKS, GKE, AKS).
pub const CONFIG_CANDIDATES: &[&str] = &[
    "/var/lib/kubelet/config.yaml",
    "/var/lib/kubelet/config.yml",
    "/etc/kubernetes/kubelet-config.yaml",
    "/etc/kubernetes/kubelet/kubelet-config.json",
    "/etc/kubernetes/kubelet/config.json",
    "/home/kubernetes/kubelet-config.yaml",
];

pub const KUBECONFIG_CANDIDATES: &[&str] = &[
    "/etc/kubernetes/kubelet.conf",
    "/var/lib/kubelet/kubeconfig",
    "/etc/kubernetes/kubelet-kubeconfig",
    "/etc/kubernetes/kubelet/kubeconfig",
];

pub fn collect(
    fs: &NodeFs,
    process_flags: Option<Flags>,
    distribution_args: Option<Flags>,
    builtin: Flags,
    extra_config_dirs: &[String],
    issues: &mut Vec<CollectIssue>,
) -> Option<KubeletFacts> {
    let (unit_flags, unit_files) = unit_flags(fs);
    let has_process = process_flags.is_some();
    let flags = match (process_flags, distribution_args) {
        (Some(p), _) => p,
        (None, Some(args)) => {
            let mut f = unit_flags;
            f.extend(&args);
            f
        }
        (None, None) => unit_flags,
    };
    let mut configs = Vec::new();
    let named_config = flags.get("config").map(|f| f.value.clone());
    let config_path = flags
        .get("config")
        .map(|f| f.value.clone())
        .or_else(|| fs.first_existing(CONFIG_CANDIDATES).map(str::to_string));
    if let Some(path) = &config_path {
        load_config(fs, path, &mut configs, issues);
    }
    let mut dirs: Vec<String> = extra_config_dirs.to_vec();
    if let Some(d) = flags.get("config-dir") {
        dirs.push(d.value.clone());
    }
    for dir in dirs {
        for path in fs.list(&dir) {
            if path.ends_with(".conf") {
                load_config(fs, &path, &mut configs, issues);
            }
        }
    }
    if unit_files.is_empty() && configs.is_empty() && !has_process && builtin.is_empty() {
        return None;
    }
    let mut facts = KubeletFacts {
        flags,
        configs,
        unit_files,
        kubeconfig: None,
        client_ca_file: None,
        unreadable_config: named_config.filter(|p| !fs.exists(p)),
        config_path,
        builtin,
    };
    facts.kubeconfig = facts
        .flags
        .get("kubeconfig")
        .map(|f| f.value.clone())
        .or_else(|| facts.builtin.get("kubeconfig").map(|f| f.value.clone()))
        .or_else(|| fs.first_existing(KUBECONFIG_CANDIDATES).map(str::to_string));
    facts.client_ca_file = facts
        .setting("client-ca-file", "authentication.x509.clientCAFile")
        .map(|s| s.value);
    Some(facts)
}

fn load_config(
    fs: &NodeFs,
    path: &str,
    configs: &mut Vec<ConfigDoc>,
    issues: &mut Vec<CollectIssue>,
) {
    let Some(text) = fs.read(path) else {
        issues.push(CollectIssue {
            path: path.to_string(),
            message: "kubelet configuration file named but not found".into(),
        });
        return;
    };
    match parse_yaml(&text) {
        Ok(value) => configs.push(ConfigDoc {
            path: path.to_string(),
            value,
            text,
        }),
        Err(message) => issues.push(CollectIssue {
            path: path.to_string(),
            message,
        }),
    }
}

/// Flags from the unit files, with each flag pointing at the line that defined it.
fn unit_flags(fs: &NodeFs) -> (Flags, Vec<String>) {
    let mut files: Vec<String> = UNIT_FILES
        .iter()
        .filter(|p| fs.exists(p))
        .map(|p| p.to_string())
        .collect();
    // Drop-ins apply in file-name order whatever their directory; a same-named file in /etc wins.
    let mut dropins: BTreeMap<String, String> = BTreeMap::new();
    for dir in DROPIN_DIRS {
        for path in fs.list(dir) {
            if path.ends_with(".conf") {
                let name = path.rsplit('/').next().unwrap_or_default().to_string();
                dropins.insert(name, path);
            }
        }
    }
    files.extend(dropins.into_values());

    let unit = systemd::read_unit(fs, &files);
    let mut env = unit.env;
    let mut consulted = unit.consulted;
    if files.is_empty() {
        for file in DEFAULT_ENV_FILES {
            if fs.exists(file) {
                systemd::read_env_file(fs, file, &mut env);
                consulted.push(file.to_string());
            }
        }
    }
    consulted.retain(|p| fs.exists(p));
    consulted.dedup();
    let tokens = match unit.exec {
        Some(exec) => systemd::expand(&exec, &env),
        // No command line found: every KUBELET_*ARGS variable would be on it in the usual units.
        None => env
            .iter()
            .filter(|(name, _)| name.starts_with("KUBELET_") && name.ends_with("ARGS"))
            .flat_map(|(_, (value, origin))| {
                split_words(value).into_iter().map(|text| Token {
                    text,
                    origin: origin.clone(),
                })
            })
            .collect(),
    };
    (Flags::parse(&tokens), consulted)
}
