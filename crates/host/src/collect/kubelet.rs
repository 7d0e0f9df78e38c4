//! Kubelet settings: systemd unit and drop-ins (`Environment=`, `EnvironmentFile=`, `ExecStart=` with
//! `$KUBELET_*_ARGS` expanded), `/etc/default/kubelet`, the configuration file (`--config`, default
//! `/var/lib/kubelet/config.yaml`) and `--config-dir` drop-ins.

use std::collections::BTreeMap;

use crate::collect::fs::NodeFs;
use crate::facts::{CollectIssue, ConfigDoc, KubeletFacts, Origin};
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

    let mut env: BTreeMap<String, (String, Origin)> = BTreeMap::new();
    let mut exec: Option<(String, Origin)> = None;
    let mut consulted = files.clone();
    for path in &files {
        let Some(text) = fs.read(path) else { continue };
        for (i, joined) in logical_lines(&text) {
            let line = joined.trim();
            let origin = Origin::at(path.as_str(), i as u32 + 1);
            if let Some(rest) = line.strip_prefix("Environment=") {
                for assignment in split_words(rest) {
                    if let Some((k, v)) = assignment.split_once('=') {
                        env.insert(k.to_string(), (v.to_string(), origin.clone()));
                    }
                }
            } else if let Some(rest) = line.strip_prefix("EnvironmentFile=") {
                let file = rest.trim().trim_start_matches('-');
                read_env_file(fs, file, &mut env);
                consulted.push(file.to_string());
            } else if let Some(rest) = line.strip_prefix("ExecStart=") {
                // An empty `ExecStart=` resets the list (how drop-ins replace the command).
                exec = if rest.trim().is_empty() {
                    None
                } else {
                    Some((rest.to_string(), origin))
                };
            }
        }
    }
    if files.is_empty() {
        for file in DEFAULT_ENV_FILES {
            if fs.exists(file) {
                read_env_file(fs, file, &mut env);
                consulted.push(file.to_string());
            }
        }
    }
    consulted.retain(|p| fs.exists(p));
    consulted.dedup();

    let mut tokens = Vec::new();
    match exec {
        Some((cmd, origin)) => {
            for word in split_words(&cmd) {
                let var = word
                    .strip_prefix("${")
                    .and_then(|w| w.strip_suffix('}'))
                    .or_else(|| word.strip_prefix('$'));
                match var {
                    Some(name) => {
                        if let Some((value, vorigin)) = env.get(name) {
                            tokens.extend(split_words(value).into_iter().map(|text| Token {
                                text,
                                origin: vorigin.clone(),
                            }));
                        }
                    }
                    None => tokens.push(Token {
                        text: word,
                        origin: origin.clone(),
                    }),
                }
            }
        }
        None => {
            // No command line found: every KUBELET_*ARGS variable would be on it in the usual units.
            for (name, (value, origin)) in &env {
                if name.starts_with("KUBELET_") && name.ends_with("ARGS") {
                    tokens.extend(split_words(value).into_iter().map(|text| Token {
                        text,
                        origin: origin.clone(),
                    }));
                }
            }
        }
    }
    (Flags::parse(&tokens), consulted)
}

/// systemd joins a line ending in a backslash with the next one; keep the first line's index.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (start, mut acc) = pending.take().unwrap_or((i, String::new()));
        match raw.trim_end().strip_suffix('\\') {
            Some(head) => {
                acc.push_str(head);
                acc.push(' ');
                pending = Some((start, acc));
            }
            None => {
                acc.push_str(raw);
                out.push((start, acc));
            }
        }
    }
    out.extend(pending);
    out
}

fn read_env_file(fs: &NodeFs, path: &str, env: &mut BTreeMap<String, (String, Origin)>) {
    let Some(text) = fs.read(path) else { return };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let value = split_words(v).join(" ");
            env.insert(
                k.trim().to_string(),
                (value, Origin::at(path, i as u32 + 1)),
            );
        }
    }
}
