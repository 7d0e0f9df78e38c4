use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags container images with no tag or the `latest` tag, unless they are pinned by digest.
    ///
    /// ## Why is this bad?
    /// A mutable tag means the code that runs is whatever the registry serves at pull time. Whoever can
    /// push to the repository — a compromised CI token, a typo-squatted public image — replaces the
    /// workload on its next restart, with no change in Git to review. It also makes rollbacks and
    /// incident forensics guesswork: nobody can say which build ran.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata: {name: report}
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: Never
    ///           containers:
    ///           - {name: report, image: "registry.example.com/report:latest"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata: {name: report}
    /// spec:
    ///   schedule: "0 3 * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: Never
    ///           containers:
    ///           - {name: report, image: "registry.example.com/report:4.2.1"}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: only the owner knows which version is meant.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Use immutable images"
    /// - OWASP Kubernetes Top 10 K02: Supply Chain Vulnerabilities
    pub(crate) static RULE = RuleMeta {
        id: "IMG001",
        name: "image-tag-mutable",
        title: "Image has no tag or uses `latest`",
        severity: Severity::Medium,
        frameworks: &["nsa:supply-chain", "owasp:K02"],
        aliases: &[
            ("trivy", "KSV013"),
            ("checkov", "CKV_K8S_14"),
            ("polaris", "tagNotSpecified"),
            ("kube-linter", "latest-tag"),
        ],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        let Some((node, image)) = container.image_ref() else {
            continue;
        };
        let text = node.scalar_text().unwrap_or_default();
        if image.digest.is_some() {
            continue;
        }
        let message = match image.tag.as_deref() {
            None => format!(
                "{} uses image `{text}` without a tag (pulls whatever `latest` is)",
                container.describe()
            ),
            Some("latest") => format!(
                "{} uses image `{text}` with the mutable `latest` tag",
                container.describe()
            ),
            Some(_) => continue,
        };
        ctx.report(workload.object, node, message);
    }
}
