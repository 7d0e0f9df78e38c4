use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pods and containers that set their seccomp profile to `Unconfined`, in the
    /// `seccompProfile` fields or (before policy v1.19 also) the `seccomp.security.alpha.kubernetes.io/*`
    /// annotations (PSA check `seccompProfile_baseline`, baseline). At level restricted, POD029 also
    /// reports these, together with containers that set no profile at all.
    ///
    /// ## Why is this bad?
    /// Seccomp filters the system calls a container may make. Without it, an attacker in the container can
    /// call the rarely used kernel interfaces (`keyctl`, `bpf`, `userfaultfd`, `unshare`) where most
    /// container-escape kernel bugs are found.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   securityContext:
    ///     seccompProfile: {type: Unconfined}
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
    ///     seccompProfile: {type: RuntimeDefault}
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## Differences from other tools
    /// Trivy KSV104 also fails containers with no seccomp profile at all, which is POD029's finding
    /// here.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "Seccomp"
    /// - CIS Kubernetes Benchmark 5.6.2
    pub(crate) static RULE = RuleMeta {
        id: "POD022",
        name: "seccomp-unconfined",
        title: "Seccomp explicitly disabled",
        severity: Severity::High,
        frameworks: &["cis:5.6.2", "nsa:pod-security", "pss:baseline", "pss:seccompProfile_baseline", "pss:seccompProfile_restricted", "owasp:K01"],
        aliases: &[("trivy", "KSV104")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["seccompProfile_baseline"]);
}
