use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::host_paths;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags `hostPath` volumes of sensitive node locations: `/` itself; `/etc`, `/dev`, `/var/lib`;
    /// anything at or inside `/var/lib/kubelet`, `/var/lib/etcd`, `/etc/kubernetes`, `/root`, `/proc`,
    /// `/sys`, `/boot`, `/var/lib/docker`, `/var/lib/containerd`; and any parent of those (`/var`
    /// contains `/var/lib/kubelet`). Paths are normalised (`/var//lib/../lib/kubelet/`) before they
    /// are compared. Harmless subdirectories such as `/etc/ssl/certs` or `/var/log` are left to the
    /// general hostPath rule (POD005); runtime sockets have their own rule (POD008).
    ///
    /// ## Why is this bad?
    /// These paths hold the node's keys to the cluster. `/var/lib/kubelet` has the kubelet's client
    /// certificate and every pod's service-account token; `/etc/kubernetes` has admin kubeconfigs
    /// and control-plane keys; `/var/lib/etcd` is every Secret in the cluster, unencrypted by default.
    /// Writable `/etc`, `/root` or `/boot` let an intruder add a user, an SSH key or a cron job and
    /// come back as root on the node; `/proc` and `/sys` expose kernel knobs such as `core_pattern`
    /// and cgroup `release_agent`, both classic container escapes.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: debug}
    /// spec:
    ///   containers:
    ///   - name: debug
    ///     image: registry.example.com/toolbox:1.0.0
    ///     volumeMounts: [{name: kubelet, mountPath: /host/kubelet}]
    ///   volumes:
    ///   - name: kubelet
    ///     hostPath: {path: /var/lib/kubelet}
    /// ```
    ///
    /// ## Use instead
    /// Mount only the narrow, non-sensitive path the agent reads, read-only:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: debug}
    /// spec:
    ///   containers:
    ///   - name: debug
    ///     image: registry.example.com/toolbox:1.0.0
    ///     volumeMounts: [{name: logs, mountPath: /host/log, readOnly: true}]
    ///   volumes:
    ///   - name: logs
    ///     hostPath: {path: /var/log/pods}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: what the workload needs from the host needs a human.
    ///
    /// ## Differences from other tools
    /// KubeLinter `sensitive-host-mounts` and Trivy KSV121 match only exact paths (`/etc`, not
    /// `/etc/kubernetes` or `/var`).
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "HostPath Volumes"
    /// - CIS Kubernetes Benchmark 5.2.11
    /// - NSA/CISA Kubernetes Hardening Guide: "Pod security"
    pub(crate) static RULE = RuleMeta {
        id: "POD009",
        name: "sensitive-host-path-mounted",
        title: "Pod mounts a sensitive host path",
        severity: Severity::Critical,
        frameworks: &["cis:5.2.11", "nsa:pod-security", "pss:baseline", "owasp:K01"],
        aliases: &[("trivy", "KSV121"), ("kube-linter", "sensitive-host-mounts")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for (name, node, path) in host_paths::host_path_volumes(workload.pod_spec) {
        let Some(reason) = host_paths::sensitive_reason(&path) else {
            continue;
        };
        let message = format!("volume `{name}` mounts host path `{path}` ({reason})");
        ctx.report(workload.object, node, message);
    }
}
