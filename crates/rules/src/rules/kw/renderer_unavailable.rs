use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Reports a Helm chart (a directory with `Chart.yaml`) or a Kustomize overlay (a directory with
    /// `kustomization.yaml`) that could not be rendered, because `helm` or `kubectl` is not installed or
    /// because rendering failed (the tool's error is included). Templates are never parsed raw: they are
    /// not Kubernetes objects until rendered.
    ///
    /// ## Why is this bad?
    /// The chart or overlay is what gets deployed, and it was not scanned. The scan exits with code 2.
    ///
    /// ## Example
    /// ```text
    /// charts/app/Chart.yaml exists, `helm` is not on PATH
    /// ```
    ///
    /// ## Use instead
    /// Install `helm` (for charts) or `kubectl` (for `kubectl kustomize`), or scan the rendered output:
    /// `helm template app charts/app | kubeward scan -`.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - `helm template`, `kubectl kustomize`
    pub(crate) static RULE = RuleMeta {
        id: "KW005",
        name: "renderer-unavailable",
        title: "Helm chart or Kustomize overlay could not be rendered",
        severity: Severity::High,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
