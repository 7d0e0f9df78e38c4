use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use super::pss_check;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers that do not drop `ALL` capabilities, or add any other than `NET_BIND_SERVICE`
    /// (PSA check `capabilities_restricted`, restricted, from policy v1.22; from v1.25 Windows pods are
    /// exempt). POD006 reports additions at baseline.
    ///
    /// Where POD006 already reports the same field (it has its own wording, and fixes where it can), this
    /// rule does not repeat the finding; both cite the same framework controls.
    ///
    /// ## Why is this bad?
    /// Containers keep a default set of capabilities (`CHOWN`, `DAC_OVERRIDE`, `SETUID`, `NET_RAW`, …) that
    /// few applications need. An attacker in the container uses them to spoof traffic on the pod network,
    /// bypass file permissions, or turn a kernel bug into an escape.
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
    ///       capabilities: {drop: [NET_RAW]}
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
    ///       capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}
    /// ```
    ///
    /// ## Fix safety
    /// No fix is offered: the right value depends on what the workload needs.
    ///
    /// ## Differences from other tools
    /// Trivy KSV003, Checkov CKV_K8S_37 and Polaris `insecureCapabilities` check only that `ALL` is
    /// dropped, not what is added.
    ///
    /// ## References
    /// - Kubernetes Pod Security Standards, Restricted: "Capabilities"
    /// - CIS Kubernetes Benchmark 5.2.9
    pub(crate) static RULE = RuleMeta {
        id: "POD030",
        name: "capabilities-not-dropped",
        title: "Container does not drop ALL capabilities or adds one",
        severity: Severity::Medium,
        frameworks: &["cis:5.2.9", "nsa:pod-security", "pss:restricted", "pss:capabilities_restricted", "owasp:K01"],
        aliases: &[
            ("trivy", "KSV106"),
            ("trivy", "KSV003"),
            ("checkov", "CKV_K8S_37"),
            ("polaris", "insecureCapabilities"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    pss_check::report(ctx, workload, &["capabilities_restricted"]);
}
