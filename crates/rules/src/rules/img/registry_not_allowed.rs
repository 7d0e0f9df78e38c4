use kubeward_diagnostics::Severity;
use kubeward_model::{ImageRef, Workload};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags images that do not come from a configured allow-list of registries. Off until the list is
    /// configured (`allowed-registries:` in `.kubeward.yaml`). An entry is a registry host
    /// (`registry.example.com`) or a host and path prefix (`ghcr.io/acme`); images without a registry
    /// are Docker Hub images (`docker.io/library/nginx`), as the container runtime resolves them.
    ///
    /// ## Why is this bad?
    /// Images from arbitrary registries bypass the scanning, signing and provenance controls an
    /// organisation applies to its own registry. Public registries host typo-squatted and backdoored
    /// images (cryptominers are the usual payload), and a pull from outside is also an outbound
    /// dependency an attacker can poison.
    ///
    /// ## Example
    /// With `allowed-registries: [registry.example.com]`:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: tool}
    /// spec:
    ///   containers:
    ///   - {name: tool, image: "docker.io/someone/tool:1.0"}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: tool}
    /// spec:
    ///   containers:
    ///   - {name: tool, image: "registry.example.com/mirror/tool:1.0"}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: the image has to be mirrored first.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Use trusted repositories"
    /// - OWASP Kubernetes Top 10 K02: Supply Chain Vulnerabilities
    pub(crate) static RULE = RuleMeta {
        id: "IMG002",
        name: "registry-not-allowed",
        title: "Image comes from a registry outside the allow-list",
        severity: Severity::High,
        frameworks: &["nsa:supply-chain", "owasp:K02"],
        aliases: &[("kubescape", "C-0078"), ("trivy", "KSV0125")],
        fix: FixAvailability::None,
        default_enabled: false,
    };
}

/// Whether `image` is covered by an allow-list entry (a host, or a host/path prefix on `/` boundaries).
pub(crate) fn is_allowed(image: &ImageRef, allowed: &[String]) -> bool {
    let full = image.full_name();
    allowed.iter().any(|entry| {
        let entry = entry.trim_end_matches('/');
        full == entry || full.starts_with(&format!("{entry}/"))
    })
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    let allowed = &ctx.settings.options.allowed_registries;
    if allowed.is_empty() {
        return;
    }
    for container in workload.all_containers() {
        let Some((node, image)) = container.image_ref() else {
            continue;
        };
        if is_allowed(&image, allowed) {
            continue;
        }
        let message = format!(
            "{} uses image from `{}`, which is not an allowed registry",
            container.describe(),
            image.full_name()
        );
        ctx.report(workload.object, node, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_on_path_boundaries() {
        let allowed = vec![
            "ghcr.io/acme".to_string(),
            "registry.example.com".to_string(),
        ];
        let ok = |s: &str| is_allowed(&ImageRef::parse(s).unwrap(), &allowed);
        assert!(ok("ghcr.io/acme/app:1"));
        assert!(!ok("ghcr.io/acme-evil/app:1"));
        assert!(ok("registry.example.com/x/y:2"));
        assert!(!ok("registry.example.com.evil.io/x:2"));
        assert!(!ok("nginx:1.25"));
    }
}
