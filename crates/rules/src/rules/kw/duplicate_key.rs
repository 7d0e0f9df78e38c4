use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Reports a key that appears twice in the same mapping. kubeward, like Kubernetes' YAML decoder,
    /// keeps the last value, and reports where the first one was.
    ///
    /// ## Why is this bad?
    /// Duplicate keys are a known evasion: a reviewer — or a scanner that keeps the first value — sees
    /// `privileged: false`, while the cluster applies the `privileged: true` written further down.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: settings}
    /// data:
    ///   mode: safe
    ///   mode: unsafe
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata: {name: settings}
    /// data:
    ///   mode: safe
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: which value was meant needs a human.
    ///
    /// ## References
    /// - sigs.k8s.io/yaml (go-yaml v2): the last duplicate wins when decoding
    pub(crate) static RULE = RuleMeta {
        id: "KW004",
        name: "duplicate-key",
        title: "Mapping has a duplicate key",
        severity: Severity::Medium,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
