use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Workload;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pods that share a namespace with the node: `hostNetwork`, `hostPID` or `hostIPC` set to true.
    ///
    /// ## Why is this bad?
    /// - `hostNetwork`: the pod sees and binds the node's interfaces, sniffs traffic of other pods,
    ///   reaches services bound to localhost on the node (the kubelet's read-only port, etcd on control
    ///   planes) and bypasses NetworkPolicies that select pods.
    /// - `hostPID`: the pod sees every process on the node, reads their environment (secrets) through
    ///   `/proc`, and with `ptrace` or `nsenter` enters them.
    /// - `hostIPC`: the pod reads and writes shared memory of every process on the node.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata: {name: monitor}
    /// spec:
    ///   selector: {matchLabels: {app: monitor}}
    ///   template:
    ///     metadata: {labels: {app: monitor}}
    ///     spec:
    ///       hostPID: true
    ///       hostNetwork: true
    ///       containers:
    ///       - {name: monitor, image: "registry.example.com/monitor:1.0.0"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata: {name: monitor}
    /// spec:
    ///   selector: {matchLabels: {app: monitor}}
    ///   template:
    ///     metadata: {labels: {app: monitor}}
    ///     spec:
    ///       containers:
    ///       - {name: monitor, image: "registry.example.com/monitor:1.0.0"}
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the field. It is unsafe: node agents that really need the host's view stop
    /// working; suppress the finding for them, with a reason.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Host Namespaces"
    /// - CIS Kubernetes Benchmark 5.2.3, 5.2.4, 5.2.5
    pub(crate) static RULE = RuleMeta {
        id: "POD004",
        name: "host-namespaces",
        title: "Pod shares the node's network, PID or IPC namespace",
        severity: Severity::High,
        frameworks: &["cis:5.2.3", "cis:5.2.4", "cis:5.2.5", "nsa:pod-security", "pss:baseline", "pss:hostNamespaces", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0038"),
            ("kubescape", "C-0041"),
            ("trivy", "KSV008"),
            ("trivy", "KSV009"),
            ("trivy", "KSV010"),
            ("checkov", "CKV_K8S_17"),
            ("checkov", "CKV_K8S_18"),
            ("checkov", "CKV_K8S_19"),
            ("polaris", "hostNetworkSet"),
            ("polaris", "hostPIDSet"),
            ("polaris", "hostIPCSet"),
            ("kube-linter", "host-network"),
            ("kube-linter", "host-pid"),
            ("kube-linter", "host-ipc"),
        ],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

const FIELDS: [(&str, &str); 3] = [
    ("hostNetwork", "the node's network namespace"),
    ("hostPID", "the node's process namespace"),
    ("hostIPC", "the node's IPC namespace"),
];

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for (field, what) in FIELDS {
        let Some(value) = workload.pod_field(field) else {
            continue;
        };
        if value.as_bool() != Some(true) {
            continue;
        }
        let fix = Fix::new(
            format!("Remove `{field}`"),
            Applicability::Unsafe,
            vec![Edit::Remove {
                path: workload.pod_path(&[field]),
            }],
        );
        let message = format!("pod shares {what} (`{field}: true`)");
        ctx.report_fix(workload.object, value, message, fix);
    }
}
