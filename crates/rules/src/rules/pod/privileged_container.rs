use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Workload;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers — init, regular and ephemeral, in every pod-bearing kind — whose
    /// `securityContext.privileged` is true, in any spelling Kubernetes accepts (`true`, `yes`, `on`, `y`).
    ///
    /// ## Why is this bad?
    /// A privileged container runs with every Linux capability, without seccomp or AppArmor confinement,
    /// and with access to all host devices. Whoever gets code execution in it — through an application
    /// bug or a poisoned image — can mount the node's disk, load kernel modules and take over the node,
    /// and from there every pod, token and secret scheduled on it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: agent}
    /// spec:
    ///   containers:
    ///   - name: agent
    ///     image: registry.example.com/agent:1.4.2
    ///     securityContext:
    ///       privileged: yes
    /// ```
    ///
    /// ## Use instead
    /// Grant only the capabilities the process needs:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: agent}
    /// spec:
    ///   containers:
    ///   - name: agent
    ///     image: registry.example.com/agent:1.4.2
    ///     securityContext:
    ///       privileged: false
    ///       capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `privileged: false`. It is unsafe: a workload that really manages the host (a CNI or
    /// storage driver) stops working, so review which capabilities it needs instead.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Privileged Containers"
    /// - CIS Kubernetes Benchmark 5.2.2
    /// - NSA/CISA Kubernetes Hardening Guide: "Non-root containers and rootless container engines"
    pub(crate) static RULE = RuleMeta {
        id: "POD001",
        name: "privileged-container",
        title: "Container runs privileged",
        severity: Severity::Critical,
        frameworks: &["cis:5.2.2", "nsa:pod-security", "pss:baseline", "pss:privileged", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0057"),
            ("trivy", "KSV017"),
            ("checkov", "CKV_K8S_16"),
            ("polaris", "runAsPrivileged"),
            ("kube-linter", "privileged-container"),
        ],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        let Some(value) = container.security_field("privileged") else {
            continue;
        };
        if value.as_bool() != Some(true) {
            continue;
        }
        let fix = Fix::new(
            "Set `privileged: false`",
            Applicability::Unsafe,
            vec![Edit::Set {
                path: workload.container_path(&container, &["securityContext", "privileged"]),
                value: false.into(),
            }],
        );
        let message = format!("{} runs privileged", container.describe());
        ctx.report_fix(workload.object, value, message, fix);
    }
}
