use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Reports an `ignore.kubeward.io/<rule>` annotation that names an unknown rule (with the closest
    /// rule as a suggestion), has no reason, or has an `until=` date that is not a valid `YYYY-MM-DD`.
    /// Such a suppression is not applied.
    ///
    /// The annotation syntax is `ignore.kubeward.io/<rule ID or name>: "[until=YYYY-MM-DD;] reason"`.
    ///
    /// ## Why is this bad?
    /// A suppression that silently fails leaves its author believing a finding is handled; one without
    /// a reason is an exception nobody can review later.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    ///   annotations:
    ///     ignore.kubeward.io/privileged-containr: "node agent"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: settings
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - kubeward documentation: suppressions
    pub(crate) static RULE = RuleMeta {
        id: "KW007",
        name: "invalid-suppression",
        title: "Suppression is malformed and suppresses nothing",
        severity: Severity::Medium,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
