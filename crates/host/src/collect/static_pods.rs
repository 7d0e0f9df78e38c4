//! Static pod manifests (kubeadm `/etc/kubernetes/manifests`, RKE2 `agent/pod-manifests`): the first
//! container's command and args become the component's flags, each with its manifest line.

use crate::collect::fs::NodeFs;
use crate::facts::{CollectIssue, Component, ComponentKind, ComponentSource, ConfigDoc, Origin};
use crate::flags::{Flags, Token};
use crate::text::{find_line_from, parse_yaml};

pub const MANIFEST_DIRS: &[&str] = &[
    "/etc/kubernetes/manifests",
    "/var/lib/rancher/rke2/agent/pod-manifests",
];

const KINDS: &[(&str, ComponentKind)] = &[
    ("kube-apiserver", ComponentKind::ApiServer),
    ("kube-controller-manager", ComponentKind::ControllerManager),
    ("kube-scheduler", ComponentKind::Scheduler),
    ("kube-proxy", ComponentKind::KubeProxy),
    ("etcd", ComponentKind::Etcd),
];

pub fn collect(fs: &NodeFs, issues: &mut Vec<CollectIssue>) -> Vec<Component> {
    let mut out = Vec::new();
    for dir in MANIFEST_DIRS {
        for path in fs.list(dir) {
            let file = path.rsplit('/').next().unwrap_or_default();
            let Some(&(_, kind)) = KINDS.iter().find(|(prefix, _)| file.contains(prefix)) else {
                continue;
            };
            if !(file.ends_with(".yaml") || file.ends_with(".yml") || file.ends_with(".manifest")) {
                continue;
            }
            let Some(text) = fs.read(&path) else {
                continue;
            };
            match parse_manifest(&path, &text, kind) {
                Ok(mut c) => {
                    if kind == ComponentKind::Etcd {
                        apply_etcd_config_file(fs, &mut c, issues);
                    }
                    out.push(c);
                }
                Err(message) => issues.push(CollectIssue { path, message }),
            }
        }
    }
    out
}

/// Parse one static pod manifest.
pub fn parse_manifest(path: &str, text: &str, kind: ComponentKind) -> Result<Component, String> {
    let pod = parse_yaml(text)?;
    let containers = pod
        .pointer("/spec/containers")
        .and_then(|c| c.as_array())
        .ok_or("no spec.containers")?;
    let container = containers
        .iter()
        .find(|c| {
            c.get("name")
                .and_then(|n| n.as_str())
                .is_some_and(|n| n.contains(kind.binary()))
        })
        .or_else(|| containers.first())
        .ok_or("no container")?;
    let mut words: Vec<String> = Vec::new();
    for key in ["command", "args"] {
        if let Some(items) = container.get(key).and_then(|v| v.as_array()) {
            words.extend(items.iter().map(crate::facts::json_scalar));
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut cursor = 0usize;
    let mut tokens = Vec::new();
    for w in words {
        let line = find_line_from(&lines, cursor, &w);
        if let Some(l) = line {
            cursor = l + 1;
        }
        tokens.push(Token {
            origin: match line {
                Some(l) => Origin::at_col(path, l as u32 + 1, crate::text::column_of(lines[l], &w)),
                None => Origin::new(path),
            },
            text: w,
        });
    }
    Ok(Component {
        kind,
        source: ComponentSource::StaticPod {
            path: path.to_string(),
        },
        flags: Flags::parse(&tokens),
        image: container
            .get("image")
            .and_then(|i| i.as_str())
            .map(str::to_string),
        manifest: Some(path.to_string()),
    })
}

/// etcd ignores its command-line flags when `--config-file` is given, so the file's settings replace
/// them (RKE2 and k3s run etcd this way).
pub fn apply_etcd_config_file(fs: &NodeFs, c: &mut Component, issues: &mut Vec<CollectIssue>) {
    let Some(path) = c.flags.get("config-file").map(|f| f.value.clone()) else {
        return;
    };
    match etcd_config_flags(fs, &path) {
        Ok(Some(flags)) => c.flags = flags,
        Ok(None) => issues.push(CollectIssue {
            path,
            message: "etcd --config-file points to a file that is not on this node".into(),
        }),
        Err(message) => issues.push(CollectIssue { path, message }),
    }
}

/// An etcd YAML configuration file as the equivalent flags.
pub fn etcd_config_flags(fs: &NodeFs, path: &str) -> Result<Option<Flags>, String> {
    let Some(text) = fs.read(path) else {
        return Ok(None);
    };
    let doc = ConfigDoc {
        path: path.to_string(),
        value: parse_yaml(&text)?,
        text,
    };
    let mut flags = Flags::new();
    let Some(map) = doc.value.as_object() else {
        return Err("etcd config is not a mapping".into());
    };
    for (key, value) in map {
        match key.as_str() {
            "client-transport-security" | "peer-transport-security" => {
                let prefix = if key.starts_with("peer") { "peer-" } else { "" };
                if let Some(inner) = value.as_object() {
                    for (k, v) in inner {
                        let origin = doc
                            .lookup(&format!("{key}.{k}"))
                            .map(|(_, o)| o)
                            .unwrap_or_else(|| Origin::new(path));
                        flags.push(
                            &format!("{prefix}{k}"),
                            &crate::facts::json_scalar(v),
                            origin,
                        );
                    }
                }
            }
            _ if !value.is_object() => {
                let origin = doc
                    .lookup(key)
                    .map(|(_, o)| o)
                    .unwrap_or_else(|| Origin::new(path));
                flags.push(key, &crate::facts::json_scalar(value), origin);
            }
            _ => {}
        }
    }
    Ok(Some(flags))
}

/// etcd packaged as a system service reads `ETCD_*` variables from `/etc/etcd/etcd.conf`
/// (`ETCD_CLIENT_CERT_AUTH=true` is `--client-cert-auth=true`).
pub fn etcd_env_file(fs: &NodeFs) -> Option<Component> {
    let path = "/etc/etcd/etcd.conf";
    let text = fs.read(path)?;
    let mut flags = Flags::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let Some(name) = key.trim().strip_prefix("ETCD_") else {
            continue;
        };
        let flag = name.to_ascii_lowercase().replace('_', "-");
        let value = value.trim().trim_matches('"').trim_matches('\'');
        flags.push(
            &flag,
            value,
            Origin::at_col(path, i as u32 + 1, Some(crate::text::indent_column(raw))),
        );
    }
    Some(Component {
        kind: ComponentKind::Etcd,
        source: ComponentSource::EnvFile {
            path: path.to_string(),
        },
        flags,
        image: None,
        manifest: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_keep_manifest_lines() {
        let text = "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.33.2\n    command:\n    - kube-apiserver\n    - --anonymous-auth=false\n    - --profiling\n    - \"false\"\n";
        let c = parse_manifest("/m.yaml", text, ComponentKind::ApiServer).unwrap();
        let f = c.flags.get("anonymous-auth").unwrap();
        assert_eq!(f.value, "false");
        assert_eq!(f.origin.line, Some(9));
        // `--profiling "false"`: pflag boolean, so the bare flag is true.
        assert_eq!(c.flags.get("profiling").unwrap().value, "true");
        assert_eq!(
            c.image.as_deref(),
            Some("registry.k8s.io/kube-apiserver:v1.33.2")
        );
    }
}
