use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags `seLinuxOptions` at pod or container level that set a `user` or `role`, or a `type` other than
    /// `container_t`, `container_init_t`, `container_kvm_t` or (from policy v1.31) `container_engine_t`
    /// (PSA check `seLinuxOptions`, baseline).
    ///
    /// ## Why is this bad?
    /// SELinux labels decide what a process may touch on the node. A pod that chooses its own type (such as
    /// `spc_t`, the "super privileged container" type) or user runs outside the container policy: an
    /// attacker in it can read and write host files that the label grants, undoing the isolation SELinux
    /// was enabled for.
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
    ///       seLinuxOptions: {type: spc_t}
    /// ```
    ///
    /// ## Use instead
    /// Set only the level (MCS categories), or nothing:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     securityContext:
    ///       seLinuxOptions: {level: "s0:c123,c456"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## Differences from other tools
    /// Trivy KSV025 uses the pre-v1.31 type list, so `container_engine_t` fails there.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "SELinux"
    pub(crate) static RULE = RuleMeta {
        id: "POD020",
        name: "selinux-options-forbidden",
        title: "SELinux options set a custom user, role or type",
        severity: Severity::High,
        frameworks: &["nsa:pod-security", "pss:baseline", "pss:seLinuxOptions", "owasp:K01"],
        aliases: &[("trivy", "KSV025")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["seLinuxOptions"]);
}
