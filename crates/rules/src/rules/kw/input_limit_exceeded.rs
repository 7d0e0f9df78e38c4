use kubeward_diagnostics::Severity;

use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Reports input that kubeward refuses to process in full because it exceeds a safety limit: a
    /// file over the size limit (64 MiB by default, `--max-file-size`), a document nested deeper than
    /// the depth limit (256), or a document whose aliases expand to more nodes than the alias budget
    /// (1,000,000 — the "billion laughs" attack). The rest of the scan goes on.
    ///
    /// ## Why is this bad?
    /// Such input is either an attack on the tools that read it (memory exhaustion of a CI runner or an
    /// admission webhook) or a generated artefact no human reviews. Either way it was not checked, and
    /// the scan exits with code 2.
    ///
    /// ## Example
    /// ```text
    /// a: &a [x, x, x, x, x, x, x, x, x, x]
    /// b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    /// ... nine levels: 10^9 nodes from a few hundred bytes
    /// ```
    ///
    /// ## Use instead
    /// Split huge bundles into files per component; avoid deep alias chains.
    ///
    /// ## Fix safety
    /// No automatic fix.
    ///
    /// ## References
    /// - CVE-2019-11253 (Kubernetes API server YAML billion-laughs denial of service)
    pub(crate) static RULE = RuleMeta {
        id: "KW002",
        name: "input-limit-exceeded",
        title: "Input exceeds a safety limit and was not scanned",
        severity: Severity::High,
        frameworks: &[],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}
