use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pods where some container does not get `runAsNonRoot: true`, from its own security context or
    /// the pod's, or where any of them sets it to false (PSA check `runAsNonRoot`, restricted; from policy
    /// v1.35 pods with `hostUsers: false` are exempt). Unlike POD003, which judges the user a container
    /// will run as, this is the admission rule: the field must be set.
    ///
    /// Where POD003 already reports the same field (it has its own wording, and fixes where it can), this
    /// rule does not repeat the finding; both cite the same framework controls.
    ///
    /// ## Why is this bad?
    /// Without `runAsNonRoot: true` the kubelet starts whatever user the image declares, and most images
    /// declare root. An attacker in a root container owns every file the container can see, including
    /// mounted volumes, and is one kernel bug or misconfiguration away from root on the node.
    ///
    /// ## Example
    /// A non-zero `runAsUser` alone does not satisfy the restricted level: the image could still switch
    /// to root.
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
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: app}
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///   containers:
    ///   - name: app
    ///     image: registry.example.com/app:1.0.0
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted: "Running as Non-root"
    /// - CIS Kubernetes Benchmark 5.2.7, 5.6.3
    pub(crate) static RULE = RuleMeta {
        id: "POD027",
        name: "pss-run-as-non-root",
        title: "runAsNonRoot is not true for every container",
        severity: Severity::Medium,
        frameworks: &["cis:5.2.7", "cis:5.6.3", "nsa:pod-security", "nsa:non-root-containers", "pss:restricted", "pss:runAsNonRoot", "owasp:K01"],
        aliases: &[("trivy", "KSV012")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["runAsNonRoot"]);
}
