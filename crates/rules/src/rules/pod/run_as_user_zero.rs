use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pods and containers with `securityContext.runAsUser: 0` (PSA check `runAsUser`, restricted,
    /// from policy v1.23; from v1.35 pods with `hostUsers: false` are exempt).
    ///
    /// ## Why is this bad?
    /// UID 0 is root. An attacker in the container can change every file it can see, install tools, and
    /// use any capability left in the bounding set; with a host mount or a kernel bug, that is root on the
    /// node.
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
    ///     securityContext:
    ///       runAsUser: 0
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     securityContext:
    ///       runAsUser: 10001
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted: "Running as Non-root user"
    /// - CIS Kubernetes Benchmark 5.2.7
    pub(crate) static RULE = RuleMeta {
        id: "POD028",
        name: "run-as-user-zero",
        title: "runAsUser is 0",
        severity: Severity::High,
        frameworks: &["cis:5.2.7", "nsa:pod-security", "nsa:non-root-containers", "pss:restricted", "pss:runAsUser", "owasp:K01"],
        aliases: &[("trivy", "KSV105")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["runAsUser"]);
}
