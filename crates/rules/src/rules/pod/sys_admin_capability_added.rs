use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::capability_set;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers that add `SYS_ADMIN` to their capabilities, in any spelling the runtime
    /// accepts (`SYS_ADMIN`, `CAP_SYS_ADMIN`, `cap_sys_admin`).
    ///
    /// ## Why is this bad?
    /// `SYS_ADMIN` is the catch-all capability: mount filesystems, create namespaces, load BPF
    /// programs, administer cgroups. Without a seccomp profile — and Kubernetes runs pods
    /// `Unconfined` unless told otherwise — a process with it mounts a cgroup filesystem, sets a
    /// `release_agent` and gets the node to run its script as root (CVE-2022-0492), or mounts the
    /// node's block devices and reads every secret on disk. An RCE in such a container is a node
    /// compromise.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: fuse}
    /// spec:
    ///   containers:
    ///   - name: fuse
    ///     image: registry.example.com/s3fs:1.94.0
    ///     securityContext:
    ///       capabilities: {add: [SYS_ADMIN]}
    /// ```
    ///
    /// ## Use instead
    /// Mount through a CSI driver (its node plugin is one audited component) instead of in each pod:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: fuse}
    /// spec:
    ///   containers:
    ///   - name: fuse
    ///     image: registry.example.com/app:1.94.0
    ///     securityContext:
    ///       capabilities: {drop: [ALL]}
    ///     volumeMounts: [{name: data, mountPath: /data}]
    ///   volumes:
    ///   - name: data
    ///     persistentVolumeClaim: {claimName: bucket}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the workload added the capability for a reason that needs another design.
    ///
    /// ## Differences from other tools
    /// Polaris `dangerousCapabilities` also fails `NET_ADMIN` and `ALL` (ALL is POD012 here).
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Capabilities"
    /// - CIS Kubernetes Benchmark 5.2.9
    /// - NSA/CISA Kubernetes Hardening Guide: "Pod security"
    pub(crate) static RULE = RuleMeta {
        id: "POD011",
        name: "sys-admin-capability-added",
        title: "Container adds the SYS_ADMIN capability",
        severity: Severity::Critical,
        frameworks: &["cis:5.2.9", "nsa:pod-security", "pss:baseline", "owasp:K01"],
        aliases: &[
            ("trivy", "KSV005"),
            ("checkov", "CKV_K8S_39"),
            ("polaris", "dangerousCapabilities"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        if let Some(node) = capability_set::added(&container, "SYS_ADMIN") {
            let message = format!("{} adds capability `SYS_ADMIN`", container.describe());
            ctx.report(workload.object, node, message);
        }
    }
}
