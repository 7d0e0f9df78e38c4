use kubeward_diagnostics::Severity;
use kubeward_model::Workload;
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pod volumes of type `hostPath`, naming the host path.
    ///
    /// ## Why is this bad?
    /// A hostPath volume exposes the node's filesystem to the pod. Read-write mounts of `/`, `/etc`,
    /// `/var/lib/kubelet` or a container runtime socket are a direct node takeover; even read-only
    /// mounts leak credentials (kubelet client certificates, other pods' service-account tokens under
    /// `/var/lib/kubelet/pods`). Symlink tricks have repeatedly turned "harmless" log directories into
    /// host access (CVE-2017-1002101, CVE-2021-25741).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: logs}
    /// spec:
    ///   containers:
    ///   - name: shipper
    ///     image: registry.example.com/shipper:5.0.0
    ///     volumeMounts: [{name: varlog, mountPath: /var/log}]
    ///   volumes:
    ///   - name: varlog
    ///     hostPath: {path: /var/log}
    /// ```
    ///
    /// ## Use instead
    /// Ship logs through the runtime's log files read by a dedicated, audited agent, or use a CSI or
    /// `emptyDir` volume:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: logs}
    /// spec:
    ///   containers:
    ///   - name: shipper
    ///     image: registry.example.com/shipper:5.0.0
    ///     volumeMounts: [{name: scratch, mountPath: /scratch}]
    ///   volumes:
    ///   - name: scratch
    ///     emptyDir: {}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the replacement depends on why the workload reads the host.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "HostPath Volumes"
    /// - CIS Kubernetes Benchmark 5.2.11
    pub(crate) static RULE = RuleMeta {
        id: "POD005",
        name: "host-path-volume",
        title: "Pod mounts a hostPath volume",
        severity: Severity::High,
        frameworks: &["cis:5.2.11", "nsa:pod-security", "pss:baseline", "pss:hostPathVolumes", "pss:restrictedVolumes", "owasp:K01"],
        aliases: &[("kubescape", "C-0048"), ("trivy", "KSV023")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for volume in workload
        .pod_field("volumes")
        .into_iter()
        .flat_map(Node::items)
    {
        let Some(host_path) = volume.get("hostPath").filter(|n| !n.is_null()) else {
            continue;
        };
        let name = volume.get("name").and_then(Node::as_str).unwrap_or("");
        let path = host_path
            .get("path")
            .and_then(Node::scalar_text)
            .unwrap_or_default();
        let message = format!("volume `{name}` mounts host path `{path}`");
        ctx.report(workload.object, host_path, message);
    }
}
