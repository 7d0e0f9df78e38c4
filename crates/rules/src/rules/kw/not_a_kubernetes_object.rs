use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// With `--verbose`, reports YAML documents that are not Kubernetes objects (no string `apiVersion`
    /// and `kind`), such as values files, CI pipelines or plain data. They are skipped; without
    /// `--verbose` they are skipped silently.
    ///
    /// ## Why is this bad?
    /// Usually it is not: directories mix manifests with other YAML. The finding helps when a manifest
    /// is skipped because of a typo (`Kind:` instead of `kind:`).
    ///
    /// ## Example
    /// ```text
    /// replicaCount: 3
    /// image: {repository: nginx}
    /// ```
    ///
    /// ## Use instead
    /// Nothing to change for non-manifests; fix the field names of misspelt manifests.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - Kubernetes object format: `apiVersion`, `kind`, `metadata`
    pub(crate) static RULE = RuleMeta {
        id: "KW006",
        name: "not-a-kubernetes-object",
        title: "Document is not a Kubernetes object",
        severity: Severity::Info,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
