use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pods whose `securityContext.sysctls` name a sysctl outside the set Kubernetes considers
    /// namespaced and safe at the configured policy version (PSA check `sysctls`, baseline; the set grows
    /// at v1.27, v1.29, v1.32 and v1.37).
    ///
    /// ## Why is this bad?
    /// Sysctls outside the safe set are not isolated per pod, or can starve the node: a pod allowed to set
    /// `kernel.*` or `vm.*` values changes them for every workload on the node, and an attacker can use
    /// that to weaken kernel protections or take the node down.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///     - {name: kernel.msgmax, value: "65536"}
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   securityContext:
    ///     sysctls:
    ///     - {name: net.ipv4.ip_local_port_range, value: "1024 65535"}
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## Differences from other tools
    /// Trivy KSV026 uses the four-entry safe list from before v1.27, so sysctls allowed since then
    /// fail there.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Sysctls"
    /// - Kubernetes documentation: "Using sysctls in a Kubernetes Cluster"
    pub(crate) static RULE = RuleMeta {
        id: "POD023",
        name: "forbidden-sysctl",
        title: "Pod sets a sysctl outside the safe set",
        severity: Severity::High,
        frameworks: &["nsa:pod-security", "pss:baseline", "pss:sysctls", "owasp:K01"],
        aliases: &[("trivy", "KSV026")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["sysctls"]);
}
