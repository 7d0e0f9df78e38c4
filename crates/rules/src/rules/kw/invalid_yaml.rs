use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Reports a YAML syntax error, or a document Kubernetes itself would refuse to convert (a mapping
    /// key that is a list or a mapping, a merge key `<<` whose value is not a mapping), with the file,
    /// line and column. The broken document is skipped; the other documents of the file are still
    /// scanned (parsing resumes at the next `---` line).
    ///
    /// ## Why is this bad?
    /// What kubeward cannot read it cannot check. A file that `kubectl apply` also rejects is harmless,
    /// but a file that another tool (Helm, Argo CD, a custom deployer) reads differently may still reach
    /// the cluster — unchecked. The scan exits with code 2 so the gap is never mistaken for a pass.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: broken
    /// spec: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: fixed}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - YAML 1.1 as implemented by go-yaml v2 (sigs.k8s.io/yaml), which kubectl and the API server use
    pub(crate) static RULE = RuleMeta {
        id: "KW001",
        name: "invalid-yaml",
        title: "File or document is not valid YAML",
        severity: Severity::High,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
