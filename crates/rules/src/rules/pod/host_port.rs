use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers that declare a `hostPort` (PSA check `hostPorts`, baseline): the Pod Security
    /// Standards allow none.
    ///
    /// ## Why is this bad?
    /// A host port is opened on the node's own network interfaces, outside any Service and usually
    /// outside NetworkPolicy, which selects pods, not nodes. An attacker who compromises the container gets
    /// a listener reachable by everything that can reach the node; a malicious workload can also take a
    /// port such as 10250 or 53 on the node first and impersonate a node service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     ports:
    ///     - {containerPort: 8080, hostPort: 8080}
    /// ```
    ///
    /// ## Use instead
    /// Expose the port through a Service:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     ports:
    ///     - containerPort: 8080
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Host Ports"
    /// - CIS Kubernetes Benchmark 5.2.12
    pub(crate) static RULE = RuleMeta {
        id: "POD018",
        name: "host-port",
        title: "Container binds a port on the node",
        severity: Severity::Medium,
        frameworks: &["cis:5.2.12", "nsa:pod-security", "pss:baseline", "pss:hostPorts", "owasp:K01"],
        aliases: &[
            ("kubescape", "C-0044"),
            ("trivy", "KSV024"),
            ("checkov", "CKV_K8S_26"),
            ("polaris", "hostPortSet"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["hostPorts"]);
}
