//! Baseline checks on what a pod shares with its node: namespaces, ports, host paths, probe targets,
//! Windows HostProcess and node-wide sysctls.

use kubeward_source::Node;

use super::Failure;
use crate::message::{containers, join_quote, pluralize, sorted_set};
use crate::pod::{Pod, field, path, text};

/// `hostNetwork`, `hostPID`, `hostIPC`: sharing the node's network stack, process table or IPC lets a
/// container sniff traffic, signal and ptrace host processes, read shared memory.
pub(crate) fn host_namespaces(pod: &Pod<'_>) -> Option<Failure> {
    let mut detail = Vec::new();
    let mut spans = Vec::new();
    for key in ["hostNetwork", "hostPID", "hostIPC"] {
        if let Some(n) = pod.spec_field(key).filter(|n| n.as_bool() == Some(true)) {
            detail.push(format!("{key}=true"));
            spans.push(n.span);
        }
    }
    (!detail.is_empty()).then(|| Failure {
        reason: "host namespaces".into(),
        detail: detail.join(", "),
        spans,
    })
}

/// Any `hostPath` volume: the node's filesystem inside the container.
pub(crate) fn host_path_volumes(pod: &Pod<'_>) -> Option<Failure> {
    let mut names = Vec::new();
    let mut spans = Vec::new();
    for volume in pod.spec_field("volumes").into_iter().flat_map(Node::items) {
        if let Some(hp) = field(Some(volume), "hostPath") {
            names.push(field(Some(volume), "name").map(text).unwrap_or_default());
            spans.push(hp.span);
        }
    }
    (!names.is_empty()).then(|| Failure {
        reason: "hostPath volumes".into(),
        detail: format!(
            "{} {}",
            pluralize("volume", "volumes", names.len()),
            join_quote(&names)
        ),
        spans,
    })
}

/// A non-zero `hostPort` on any container port.
pub(crate) fn host_ports(pod: &Pod<'_>) -> Option<Failure> {
    let mut bad = Vec::new();
    let mut ports = Vec::new();
    let mut spans = Vec::new();
    for c in &pod.containers {
        let mut valid = true;
        for port in field(Some(c.node), "ports")
            .into_iter()
            .flat_map(Node::items)
        {
            if let Some(hp) = field(Some(port), "hostPort").filter(|n| n.as_i64() != Some(0)) {
                valid = false;
                ports.push(text(hp));
                spans.push(hp.span);
            }
        }
        if !valid {
            bad.push(c.name);
        }
    }
    if bad.is_empty() {
        return None;
    }
    let ports = sorted_set(&ports);
    Some(Failure {
        reason: "hostPort".into(),
        detail: format!(
            "{} {} {} {}",
            containers(&bad),
            pluralize("uses", "use", bad.len()),
            pluralize("hostPort", "hostPorts", ports.len()),
            ports.join(", ")
        ),
        spans,
    })
}

/// Probes and lifecycle handlers with a `host`: the kubelet would connect to an arbitrary address on the
/// pod's behalf (a server-side request forgery from the node's network position).
pub(crate) fn host_probes_and_lifecycle(pod: &Pod<'_>) -> Option<Failure> {
    const HANDLERS: [&[&str]; 5] = [
        &["livenessProbe"],
        &["readinessProbe"],
        &["startupProbe"],
        &["lifecycle", "postStart"],
        &["lifecycle", "preStop"],
    ];
    let mut bad = Vec::new();
    let mut hosts = Vec::new();
    let mut spans = Vec::new();
    for c in &pod.containers {
        let mut found = false;
        for handler in HANDLERS {
            let handler = path(Some(c.node), handler);
            for kind in ["httpGet", "tcpSocket"] {
                if let Some(host) = path(handler, &[kind, "host"]).filter(|h| !text(h).is_empty()) {
                    found = true;
                    hosts.push(text(host));
                    spans.push(host.span);
                }
            }
        }
        if found {
            bad.push(c.name);
        }
    }
    if bad.is_empty() {
        return None;
    }
    let bad = sorted_set(&bad);
    let hosts = sorted_set(&hosts);
    Some(Failure {
        reason: "probe or lifecycle host".into(),
        detail: format!(
            "{} {} {} {} {}",
            pluralize("container", "containers", bad.len()),
            join_quote(&bad),
            pluralize("uses", "use", bad.len()),
            pluralize(
                "probe or lifecycle host",
                "probe or lifecycle hosts",
                hosts.len()
            ),
            join_quote(&hosts)
        ),
        spans,
    })
}

/// `windowsOptions.hostProcess: true`: a Windows container with full access to the node.
pub(crate) fn windows_host_process(pod: &Pod<'_>) -> Option<Failure> {
    fn host_process(opts: Option<&Node>) -> Option<&Node> {
        field(opts, "hostProcess").filter(|n| n.as_bool() == Some(true))
    }
    let mut spans = Vec::new();
    let pod_set = host_process(pod.security("windowsOptions"));
    if let Some(n) = pod_set {
        spans.push(n.span);
    }
    let mut bad = Vec::new();
    for c in &pod.containers {
        if let Some(n) = host_process(c.security("windowsOptions")) {
            bad.push(c.name);
            spans.push(n.span);
        }
    }
    let setters = match (pod_set.is_some(), bad.is_empty()) {
        (false, true) => return None,
        (true, true) => "pod".to_string(),
        (true, false) => format!("pod and {}", containers(&bad)),
        (false, false) => containers(&bad),
    };
    Some(Failure {
        reason: "hostProcess".into(),
        detail: format!("{setters} must not set securityContext.windowsOptions.hostProcess=true"),
        spans,
    })
}

/// Sysctls that are namespaced and isolated from other pods, by the policy version that first allowed them.
const SAFE_SYSCTLS: &[(u32, &str)] = &[
    (0, "kernel.shm_rmid_forced"),
    (0, "net.ipv4.ip_local_port_range"),
    (0, "net.ipv4.tcp_syncookies"),
    (0, "net.ipv4.ping_group_range"),
    (0, "net.ipv4.ip_unprivileged_port_start"),
    (27, "net.ipv4.ip_local_reserved_ports"),
    (29, "net.ipv4.tcp_keepalive_time"),
    (29, "net.ipv4.tcp_fin_timeout"),
    (29, "net.ipv4.tcp_keepalive_intvl"),
    (29, "net.ipv4.tcp_keepalive_probes"),
    (32, "net.ipv4.tcp_rmem"),
    (32, "net.ipv4.tcp_wmem"),
    (37, "net.ipv4.tcp_slow_start_after_idle"),
    (37, "net.ipv4.tcp_notsent_lowat"),
];

/// The safe sysctls at a policy minor version.
pub(crate) fn safe_sysctls(minor: u32) -> impl Iterator<Item = &'static str> {
    SAFE_SYSCTLS
        .iter()
        .filter(move |(since, _)| *since <= minor)
        .map(|(_, name)| *name)
}

fn sysctls(pod: &Pod<'_>, minor: u32) -> Option<Failure> {
    let mut names = Vec::new();
    let mut spans = Vec::new();
    for sysctl in pod.security("sysctls").into_iter().flat_map(Node::items) {
        let name_node = field(Some(sysctl), "name");
        let name = name_node.map(text).unwrap_or_default();
        if !safe_sysctls(minor).any(|safe| safe == name) {
            spans.push(name_node.map_or(sysctl.span, |n| n.span));
            names.push(name);
        }
    }
    (!names.is_empty()).then(|| Failure {
        reason: "forbidden sysctls".into(),
        detail: names.join(", "),
        spans,
    })
}

pub(crate) fn sysctls_1_0(pod: &Pod<'_>) -> Option<Failure> {
    sysctls(pod, 0)
}

pub(crate) fn sysctls_1_27(pod: &Pod<'_>) -> Option<Failure> {
    sysctls(pod, 27)
}

pub(crate) fn sysctls_1_29(pod: &Pod<'_>) -> Option<Failure> {
    sysctls(pod, 29)
}

pub(crate) fn sysctls_1_32(pod: &Pod<'_>) -> Option<Failure> {
    sysctls(pod, 32)
}

pub(crate) fn sysctls_1_37(pod: &Pod<'_>) -> Option<Failure> {
    sysctls(pod, 37)
}
