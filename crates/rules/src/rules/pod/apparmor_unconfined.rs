use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pods and containers whose AppArmor profile is `Unconfined` or another value than
    /// `RuntimeDefault` or a `Localhost` profile, in the `appArmorProfile` fields or the
    /// `container.apparmor.security.beta.kubernetes.io/*` annotations (PSA check `appArmorProfile`, baseline).
    ///
    /// ## Why is this bad?
    /// The runtime's default AppArmor profile denies writes to `/proc` and `/sys` files and mount operations
    /// that container escapes rely on. Turning it off removes that layer: an attacker with code execution
    /// in the container needs one fewer mistake elsewhere to reach the node.
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
    ///       appArmorProfile: {type: Unconfined}
    /// ```
    ///
    /// ## Use instead
    /// Keep the runtime's default profile, or a profile loaded on the node:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    ///     securityContext:
    ///       appArmorProfile: {type: RuntimeDefault}
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## Differences from other tools
    /// Trivy KSV002 reads only the annotations, not `appArmorProfile`, and fails `localhost/*`
    /// profiles too.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Baseline: "AppArmor"
    pub(crate) static RULE = RuleMeta {
        id: "POD019",
        name: "apparmor-unconfined",
        title: "Container runs without AppArmor confinement",
        severity: Severity::High,
        frameworks: &["nsa:pod-security", "pss:baseline", "pss:appArmorProfile", "owasp:K01"],
        aliases: &[("trivy", "KSV002")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["appArmorProfile"]);
}
