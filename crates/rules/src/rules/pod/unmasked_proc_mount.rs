use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers with `securityContext.procMount` other than `Default` (PSA check `procMount`,
    /// baseline). From policy v1.35 baseline allows `Unmasked` in pods with `hostUsers: false`; restricted
    /// keeps forbidding it (check `procMount_restricted`), and this rule follows whichever applies at the
    /// configured level and version.
    ///
    /// ## Why is this bad?
    /// The runtime masks and makes read-only parts of `/proc` (`/proc/kcore`, `/proc/sysrq-trigger`,
    /// `/proc/sys`) because they expose the node's kernel. With `Unmasked`, an attacker in the container
    /// can read kernel memory layout and write kernel parameters, which are steps towards escaping to the
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
    ///       procMount: Unmasked
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
    ///       procMount: Default
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## Differences from other tools
    /// Trivy KSV027 fails any `procMount` field, even `Default`, and neither tool applies the v1.35
    /// `hostUsers: false` exemption.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "/proc Mount Type"
    pub(crate) static RULE = RuleMeta {
        id: "POD021",
        name: "unmasked-proc-mount",
        title: "Container unmasks /proc",
        severity: Severity::High,
        frameworks: &["nsa:pod-security", "pss:baseline", "pss:procMount", "pss:procMount_restricted", "owasp:K01"],
        aliases: &[("trivy", "KSV027"), ("kube-linter", "unsafe-proc-mount")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["procMount_restricted", "procMount"]);
}
