use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags pods where some container gets no seccomp profile of type `RuntimeDefault` or `Localhost`,
    /// from its own security context or the pod's (PSA check `seccompProfile_restricted`, restricted;
    /// from policy v1.25 Windows pods are exempt).
    ///
    /// Where POD022 already reports the same field (it has its own wording, and fixes where it can), this
    /// rule does not repeat the finding; both cite the same framework controls.
    ///
    /// ## Why is this bad?
    /// Kubernetes runs containers `Unconfined` unless told otherwise (or the kubelet sets
    /// `--seccomp-default`). Without a filter an attacker in the container can reach every system call,
    /// including the ones most container-escape kernel bugs are in.
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
    /// Kubescape C-0210 and Checkov CKV_K8S_31 accept only `RuntimeDefault`, so a `Localhost`
    /// profile fails there, and Checkov reads only the pod-level field.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted: "Seccomp"
    /// - CIS Kubernetes Benchmark 5.6.2
    pub(crate) static RULE = RuleMeta {
        id: "POD029",
        name: "seccomp-profile-missing",
        title: "Seccomp profile is not RuntimeDefault or Localhost",
        severity: Severity::Medium,
        frameworks: &["cis:5.6.2", "nsa:pod-security", "pss:restricted", "pss:seccompProfile_restricted", "owasp:K01"],
        aliases: &[("kubescape", "C-0210"), ("trivy", "KSV030"), ("checkov", "CKV_K8S_31")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["seccompProfile_restricted"]);
}
