use kubeward_diagnostics::Severity;
use kubeward_model::Workload;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags container images referenced by a version tag without a digest (`app:1.4.2` rather than
    /// `app:1.4.2@sha256:…`). Images without a tag or with `latest` are IMG001's findings and are not
    /// repeated here.
    ///
    /// ## Why is this bad?
    /// A tag is a pointer the registry lets anyone with push rights move. An attacker holding a leaked
    /// CI token pushes a backdoored build under the same `1.4.2`; every node that pulls it next — a
    /// new node, a rescheduled pod — runs the attacker's code while the manifest, the Git history and
    /// the admission checks all still say `1.4.2`. A digest names the content itself, so the image
    /// that was reviewed and scanned is the one that runs.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api}
    /// spec:
    ///   containers:
    ///   - {name: api, image: "registry.example.com/api:1.4.2"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:1.4.2@sha256:4bf1d8b0d1e4bd0e7c9ab6cd8e2a01f7a5b0cf2d1d0e9f8a7b6c5d4e3f2a1b0c
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: resolving the digest needs the registry, and the digest must be the one that
    /// was tested. `crane digest` or `docker buildx imagetools inspect` print it.
    ///
    /// ## Differences from other tools
    /// Checkov CKV_K8S_43 and KubeLinter `image-not-pinned-by-digest` also fail untagged and
    /// `latest` images, which are IMG001's findings here.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Use immutable images"
    /// - OWASP Kubernetes Top 10 K02: Supply Chain Vulnerabilities
    pub(crate) static RULE = RuleMeta {
        id: "IMG003",
        name: "image-not-pinned-by-digest",
        title: "Image is referenced by tag, not by digest",
        severity: Severity::Info,
        frameworks: &["nsa:supply-chain", "owasp:K02"],
        aliases: &[("checkov", "CKV_K8S_43"), ("kube-linter", "image-not-pinned-by-digest")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        let Some((node, image)) = container.image_ref() else {
            continue;
        };
        if image.digest.is_some() {
            continue;
        }
        let Some(tag) = image.tag.as_deref().filter(|t| *t != "latest") else {
            continue;
        };
        let message = format!(
            "{} uses image `{}:{tag}` by tag, without a digest",
            container.describe(),
            image.full_name()
        );
        ctx.report(workload.object, node, message);
    }
}
