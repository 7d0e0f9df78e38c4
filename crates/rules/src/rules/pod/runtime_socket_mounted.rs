use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::host_paths;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags `hostPath` volumes that expose a container runtime's API socket: `docker.sock`,
    /// `containerd.sock`, `crio.sock`, `cri-dockerd.sock`, `podman.sock`, or a directory that holds
    /// one (`/var/run`, `/run`, `/run/containerd`, `/var/run/crio`, …). Paths are normalised first,
    /// so `/var/run//docker.sock` and `/var/log/../run/docker.sock` are caught too.
    ///
    /// ## Why is this bad?
    /// The runtime socket is an unauthenticated root API on the node. Anyone who can write to it
    /// — an intruder in the pod, or anyone allowed to `exec` into it — asks the runtime to start a
    /// privileged container with the host's root filesystem mounted, and owns the node, the kubelet's
    /// credentials and every pod on it. No RBAC, admission policy or audit log sees that container.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata: {name: builder}
    /// spec:
    ///   selector: {matchLabels: {app: builder}}
    ///   template:
    ///     metadata: {labels: {app: builder}}
    ///     spec:
    ///       containers:
    ///       - name: builder
    ///         image: registry.example.com/builder:2.0.1
    ///         volumeMounts: [{name: sock, mountPath: /var/run/docker.sock}]
    ///       volumes:
    ///       - name: sock
    ///         hostPath: {path: /var/run/docker.sock, type: Socket}
    /// ```
    ///
    /// ## Use instead
    /// Build images without a daemon (BuildKit rootless, kaniko-style builders) in an unprivileged pod:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata: {name: builder}
    /// spec:
    ///   selector: {matchLabels: {app: builder}}
    ///   template:
    ///     metadata: {labels: {app: builder}}
    ///     spec:
    ///       containers:
    ///       - name: builder
    ///         image: registry.example.com/buildkit-rootless:0.15.2
    ///         volumeMounts: [{name: cache, mountPath: /home/user/.local/share/buildkit}]
    ///       volumes:
    ///       - {name: cache, emptyDir: {}}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the workload was built around the socket and needs another design.
    ///
    /// ## Differences from other tools
    /// Trivy KSV006 matches only the exact path `/var/run/docker.sock`.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "HostPath Volumes"
    /// - NSA/CISA Kubernetes Hardening Guide: "Pod security"
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "POD008",
        name: "runtime-socket-mounted",
        title: "Pod mounts a container runtime socket",
        severity: Severity::Critical,
        frameworks: &["cis:5.2.11", "nsa:pod-security", "pss:baseline", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0074"),
            ("trivy", "KSV006"),
            ("checkov", "CKV_K8S_27"),
            ("kube-linter", "docker-sock"),
            ("kube-linter", "container-runtime-sock"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for (name, node, path) in host_paths::host_path_volumes(workload.pod_spec) {
        let Some(socket) = host_paths::runtime_socket(&path) else {
            continue;
        };
        let what = if path.ends_with(socket) {
            format!("the runtime socket `{path}`")
        } else {
            format!("`{path}`, which holds the runtime socket `{socket}`")
        };
        let message = format!("volume `{name}` mounts {what} from the host");
        ctx.report(workload.object, node, message);
    }
}
