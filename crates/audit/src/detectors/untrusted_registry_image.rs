use crate::alert::{Severity, Technique};
use crate::config::any_match;
use crate::event::Event;

use super::workload::pod_spec;
use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// When `allowed-registries` is set, reports pod-bearing objects created or changed with an
    /// image from any other registry (images allow-listed in `allow.images`, as written or fully qualified, excepted). Images without
    /// a registry host are Docker Hub images (`nginx` is `docker.io/library/nginx`). It reads
    /// `requestObject`; with no `allowed-registries` it is off.
    ///
    /// ## Why is this bad?
    /// An image from an unreviewed registry is code nobody vetted: a typosquatted name, a
    /// backdoored public image, an attacker's own registry serving tools and miners. Clusters that
    /// mirror and scan images in their own registry lose that protection for every pod that does not
    /// come from it.
    ///
    /// ## MITRE ATT&CK
    /// T1204.003 User Execution: Malicious Image.
    ///
    /// ## Example
    /// With `allowed-registries: [registry.example.com]`:
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"u1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/pods","verb":"create","user":{"username":"dev@example.com","groups":["system:authenticated"]},"sourceIPs":["10.0.8.15"],"userAgent":"kubectl/v1.30.1","objectRef":{"resource":"pods","namespace":"default","name":"tools","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"tools"},"spec":{"containers":[{"name":"tools","image":"evil.example.net/tools:1"}]}},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - Kubernetes docs, "Images": image names and registries
    /// - OWASP Kubernetes Top 10: K02 Supply Chain Vulnerabilities
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD020",
        name: "untrusted-registry-image",
        title: "Image from a registry outside the allow-list started",
        severity: Severity::Medium,
        mitre: Technique { id: "T1204.003", name: "User Execution: Malicious Image" },
        frameworks: &["owasp:K02", "nsa:pod-security"],
    };
}

pub(crate) fn check(ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    let config = &ctx.config;
    if config.allowed_registries.is_empty() || !event.is_allowed() || !event.is_success() {
        return None;
    }
    let spec = pod_spec(event)?;
    let outside: Vec<String> = spec
        .all_containers()
        .filter_map(|c| c.image.as_deref())
        .filter(|image| {
            let full = normalise(image);
            let allowed_image =
                any_match(&config.allow.images, image) || any_match(&config.allow.images, &full);
            let allowed_registry = config
                .allowed_registries
                .iter()
                .any(|r| is_under(&full, r.trim_end_matches('/')));
            !allowed_image && !allowed_registry
        })
        .map(|image| format!("`{image}`"))
        .collect();
    if outside.is_empty() {
        return None;
    }
    let did = format!(
        "{} {} with images from outside the allowed registries: {}",
        past(&event.verb),
        target(event),
        outside.join(", ")
    );
    Some(Finding::new(fact(event, &did)))
}

/// The fully-qualified image reference: registry host, then path, as the container runtime reads it.
fn normalise(image: &str) -> String {
    match image.split_once('/') {
        Some((host, _)) if host.contains(['.', ':']) || host == "localhost" => image.to_owned(),
        Some(_) => format!("docker.io/{image}"),
        None => format!("docker.io/library/{image}"),
    }
}

/// Whether `image` lies under `prefix` at a path boundary (`ghcr.io/acme` holds `ghcr.io/acme/x:1`,
/// not `ghcr.io/acme-evil/x`).
fn is_under(image: &str, prefix: &str) -> bool {
    image
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', ':', '@']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_docker_hub_names() {
        assert_eq!(normalise("nginx:1.25"), "docker.io/library/nginx:1.25");
        assert_eq!(normalise("bitnami/redis"), "docker.io/bitnami/redis");
        assert_eq!(normalise("localhost/x"), "localhost/x");
        assert!(is_under("ghcr.io/acme/x:1", "ghcr.io/acme"));
        assert!(!is_under("ghcr.io/acme-evil/x:1", "ghcr.io/acme"));
    }
}
