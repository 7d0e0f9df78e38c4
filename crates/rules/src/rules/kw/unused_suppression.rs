use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Reports a suppression for an enabled rule that matched no finding in this scan.
    ///
    /// ## Why is this bad?
    /// A stale exception is harmless today and dangerous tomorrow: when someone reintroduces the
    /// problem, it is suppressed without review.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   annotations:
    ///     ignore.kubeward.io/POD001: "needed for the old driver"
    /// spec:
    ///   automountServiceAccountToken: false
    ///   securityContext: {runAsNonRoot: true}
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.0.0
    ///     securityContext: {allowPrivilegeEscalation: false}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   automountServiceAccountToken: false
    ///   securityContext: {runAsNonRoot: true}
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.0.0
    ///     securityContext: {allowPrivilegeEscalation: false}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - kubeward documentation: suppressions
    pub(crate) static RULE = RuleMeta {
        id: "KW009",
        name: "unused-suppression",
        title: "Suppression matches no finding",
        severity: Severity::Info,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
