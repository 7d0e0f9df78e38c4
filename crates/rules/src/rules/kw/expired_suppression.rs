use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Reports a suppression (annotation or configuration entry) whose expiry date has passed. The
    /// findings it used to suppress are reported again, as ordinary findings.
    ///
    /// ## Why is this bad?
    /// Temporary exceptions are how risk gets accepted "for now" and forgotten. An expiry date makes
    /// the exception come back for review.
    ///
    /// ## Example
    /// ```text
    /// ignore.kubeward.io/POD001: "until=2024-01-31; migration to CSI driver"
    /// ```
    ///
    /// ## Use instead
    /// Fix the finding, or renew the suppression with a new date and reason.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - kubeward documentation: suppressions
    pub(crate) static RULE = RuleMeta {
        id: "KW008",
        name: "expired-suppression",
        title: "Suppression has expired",
        severity: Severity::Medium,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
