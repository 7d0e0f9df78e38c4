use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Reports an input that could not be read at all: a missing path, a permission error, a file that
    /// is not UTF-8 text (with the offset of the first invalid byte), or a binary file.
    ///
    /// ## Why is this bad?
    /// An input the user asked to scan was not scanned. The scan exits with code 2 instead of looking
    /// clean.
    ///
    /// ## Example
    /// ```text
    /// kubeward scan deploy/ missing-dir/
    /// ```
    ///
    /// ## Use instead
    /// Pass existing, UTF-8 encoded manifest files.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - Kubernetes reads manifests as UTF-8 (JSON and YAML)
    pub(crate) static RULE = RuleMeta {
        id: "KW003",
        name: "unreadable-input",
        title: "Input could not be read",
        severity: Severity::High,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
