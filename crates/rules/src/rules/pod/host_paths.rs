//! Host paths that matter to an attacker, shared by the runtime-socket and sensitive-host-path rules.

use kubeward_source::Node;

/// File names of container runtime API sockets: whoever can write to one starts privileged
/// containers on the node.
const RUNTIME_SOCKETS: [&str; 6] = [
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
    "podman.sock",
    "dockershim.sock",
];

/// Directories whose whole subtree is sensitive: node credentials, cluster state, root's home,
/// kernel interfaces.
const SENSITIVE_TREES: [&str; 9] = [
    "/var/lib/kubelet",
    "/var/lib/etcd",
    "/etc/kubernetes",
    "/root",
    "/proc",
    "/sys",
    "/boot",
    "/var/lib/docker",
    "/var/lib/containerd",
];

/// Directories sensitive as a whole (their subdirectories are not all sensitive: `/etc/ssl/certs`
/// is public CA data, `/var/run/secrets` is ordinary).
const SENSITIVE_DIRECTORIES: [&str; 3] = ["/etc", "/dev", "/var/lib"];

/// Directories that hold runtime sockets (mounting the directory exposes the socket).
const SOCKET_DIRECTORIES: [(&str, &str); 7] = [
    ("/var/run", "docker.sock"),
    ("/run", "docker.sock"),
    ("/var/run/containerd", "containerd.sock"),
    ("/run/containerd", "containerd.sock"),
    ("/run/k3s/containerd", "containerd.sock"),
    ("/var/run/crio", "crio.sock"),
    ("/run/crio", "crio.sock"),
];

/// `hostPath` volumes of a pod spec as `(volume name, path node, normalised path)`.
pub(crate) fn host_path_volumes(pod_spec: &Node) -> Vec<(String, &Node, String)> {
    pod_spec
        .get("volumes")
        .into_iter()
        .flat_map(Node::items)
        .filter_map(|v| {
            let path = v.get("hostPath")?.get("path")?;
            let name = v
                .get("name")
                .and_then(Node::scalar_text)
                .unwrap_or_default();
            Some((name, path, normalise(&path.scalar_text()?)))
        })
        .collect()
}

/// Resolves `.`, `..`, repeated and trailing slashes, as the kubelet's bind mount sees the path.
pub(crate) fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// Whether `path` is `dir` or inside it.
fn is_within(path: &str, dir: &str) -> bool {
    path == dir || (path.starts_with(dir) && path[dir.len()..].starts_with('/'))
}

/// The runtime socket a path exposes: the socket itself or the directory that holds it.
pub(crate) fn runtime_socket(path: &str) -> Option<&'static str> {
    let file = path.rsplit('/').next().unwrap_or("");
    RUNTIME_SOCKETS
        .iter()
        .copied()
        .find(|s| *s == file)
        .or_else(|| {
            SOCKET_DIRECTORIES
                .iter()
                .find(|(dir, _)| *dir == path)
                .map(|(_, sock)| *sock)
        })
}

/// Why a host path is sensitive: the sensitive location it is, contains or lies inside. Runtime
/// sockets are left to their own rule.
pub(crate) fn sensitive_reason(path: &str) -> Option<String> {
    if path == "/" {
        return Some("the node's whole filesystem".into());
    }
    if runtime_socket(path).is_some() {
        return None;
    }
    if let Some(tree) = SENSITIVE_TREES.iter().find(|t| is_within(path, t)) {
        return Some(if path == *tree {
            "a sensitive node directory".to_string()
        } else {
            format!("inside `{tree}`")
        });
    }
    if SENSITIVE_DIRECTORIES.contains(&path) {
        return Some("a sensitive node directory".to_string());
    }
    // A parent of a sensitive tree (`/var` holds `/var/lib/kubelet`) exposes it too.
    SENSITIVE_TREES
        .iter()
        .find(|t| is_within(t, path))
        .map(|t| format!("contains `{t}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_and_reasons() {
        assert_eq!(normalise("/var//lib/./kubelet/"), "/var/lib/kubelet");
        assert_eq!(normalise("/var/log/../lib/etcd"), "/var/lib/etcd");
        assert_eq!(normalise("//"), "/");
        assert!(sensitive_reason("/").is_some());
        assert!(sensitive_reason("/var").is_some());
        assert!(sensitive_reason("/var/lib/kubelet/pods").is_some());
        assert!(sensitive_reason("/etc").is_some());
        assert!(sensitive_reason("/etc/ssl/certs").is_none());
        assert!(sensitive_reason("/var/log").is_none());
        assert!(sensitive_reason("/rootfs").is_none());
        assert!(sensitive_reason("/var/run/docker.sock").is_none());
        assert_eq!(
            runtime_socket("/run/containerd/containerd.sock"),
            Some("containerd.sock")
        );
        assert_eq!(runtime_socket("/var/run/crio"), Some("crio.sock"));
        assert_eq!(runtime_socket("/var/run/secrets"), None);
    }
}
