use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Workload;
use kubeward_source::Node;

use super::host_paths;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers that mount a `hostPath` volume without `readOnly: true` on the
    /// `volumeMounts` entry. One finding per mount, so a volume mounted read-only in one container
    /// and writable in another is reported for the second only. POD005 reports every hostPath volume;
    /// this rule narrows that to the writable ones, which are the ones that let a pod change the node.
    ///
    /// ## Why is this bad?
    /// A writable host mount lets an intruder in the container change files the node trusts: drop a
    /// binary or a systemd unit, edit a kubelet or runtime configuration, or plant a symlink that a
    /// privileged process on the node later follows (the pattern behind CVE-2017-1002101 and
    /// CVE-2021-25741). Read-only mounts still leak data, but they cannot turn into persistence or
    /// code execution on the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata: {name: log-shipper}
    /// spec:
    ///   selector: {matchLabels: {app: shipper}}
    ///   template:
    ///     metadata: {labels: {app: shipper}}
    ///     spec:
    ///       containers:
    ///       - name: shipper
    ///         image: registry.example.com/shipper:5.0.0
    ///         volumeMounts: [{name: varlog, mountPath: /var/log}]
    ///       volumes:
    ///       - {name: varlog, hostPath: {path: /var/log}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata: {name: log-shipper}
    /// spec:
    ///   selector: {matchLabels: {app: shipper}}
    ///   template:
    ///     metadata: {labels: {app: shipper}}
    ///     spec:
    ///       containers:
    ///       - name: shipper
    ///         image: registry.example.com/shipper:5.0.0
    ///         volumeMounts: [{name: varlog, mountPath: /var/log, readOnly: true}]
    ///       volumes:
    ///       - {name: varlog, hostPath: {path: /var/log}}
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `readOnly: true` on the mount. It is unsafe for agents that write to the host
    /// on purpose (log position files, CNI configuration): give those a separate, narrow writable
    /// mount.
    ///
    /// ## References
    /// - Kubernetes documentation: "Volumes — hostPath" (security warning)
    /// - NSA/CISA Kubernetes Hardening Guide: "Pod security"
    /// - OWASP Kubernetes Top 10 K01: Insecure Workload Configurations
    pub(crate) static RULE = RuleMeta {
        id: "POD017",
        name: "writable-host-mount",
        title: "Container mounts a host path writable",
        severity: Severity::High,
        frameworks: &["cis:5.2.11", "nsa:pod-security", "owasp:K01"],
        aliases: &[("kubescape", "C-0045"), ("kube-linter", "writable-host-mount")],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    let volumes = host_paths::host_path_volumes(workload.pod_spec);
    if volumes.is_empty() {
        return;
    }
    for container in workload.all_containers() {
        let mounts = container
            .node
            .get("volumeMounts")
            .into_iter()
            .flat_map(Node::items);
        for (index, mount) in mounts.enumerate() {
            let Some(name) = mount.get("name").and_then(Node::scalar_text) else {
                continue;
            };
            let Some((_, _, path)) = volumes.iter().find(|(v, _, _)| *v == name) else {
                continue;
            };
            if mount.get("readOnly").and_then(Node::as_bool) == Some(true) {
                continue;
            }
            let fix = Fix::new(
                "Set `readOnly: true` on the mount",
                Applicability::Unsafe,
                vec![Edit::Set {
                    path: {
                        let mut p = workload.container_path(&container, &["volumeMounts"]);
                        p.push(index.into());
                        p.push("readOnly".into());
                        p
                    },
                    value: true.into(),
                }],
            );
            let message = format!(
                "{} mounts host path `{path}` (volume `{name}`) writable",
                container.describe()
            );
            ctx.report_fix(workload.object, mount, message, fix);
        }
    }
}
