use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Object;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Ingress annotations that inject raw NGINX configuration: ingress-nginx's
    /// `configuration-snippet`, `server-snippet`, `location-snippet`, `auth-snippet`,
    /// `stream-snippet` and `modsecurity-snippet` (under `nginx.ingress.kubernetes.io/` or any custom
    /// annotation prefix), and NGINX Inc.'s `nginx.org/server-snippets` and
    /// `nginx.org/location-snippets`.
    ///
    /// ## Why is this bad?
    /// A snippet is code run by the Ingress controller, which holds a service-account token that can
    /// read every Secret in the cluster (to load TLS certificates). Anyone allowed to create an
    /// Ingress in any namespace writes a snippet that serves that token or those Secrets over HTTP
    /// (CVE-2021-25742), and every later injection bug in annotations (CVE-2023-5044,
    /// CVE-2025-1974) follows the same path. Namespace-level Ingress rights become cluster-admin.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/configuration-snippet: |
    ///       more_set_headers "X-Frame-Options: DENY";
    /// spec:
    ///   ingressClassName: nginx
    ///   tls: [{hosts: [shop.example.com], secretName: shop-tls}]
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
    /// ```
    ///
    /// ## Use instead
    /// Use the dedicated annotation or a controller-wide setting, and keep
    /// `allow-snippet-annotations: "false"` in the controller's ConfigMap:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/custom-headers: shop/security-headers
    /// spec:
    ///   ingressClassName: nginx
    ///   tls: [{hosts: [shop.example.com], secretName: shop-tls}]
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes the annotation. It is unsafe: whatever the snippet configured (headers,
    /// redirects, rate limits) stops applying.
    ///
    /// ## Differences from other tools
    /// Checkov CKV_K8S_153 fails any annotation whose key contains `snippet`.
    ///
    /// ## References
    /// - CVE-2021-25742: "ingress-nginx custom snippets allow retrieval of ingress-nginx service
    ///   account tokens and secrets across all namespaces"
    /// - ingress-nginx documentation: `allow-snippet-annotations`, `annotations-risk-level`
    /// - OWASP Kubernetes Top 10 K09: Misconfigured Cluster Components
    pub(crate) static RULE = RuleMeta {
        id: "NET007",
        name: "ingress-nginx-snippet-annotation",
        title: "Ingress injects raw NGINX configuration through a snippet annotation",
        severity: Severity::High,
        frameworks: &["nsa:network-separation", "owasp:K09"],
        aliases: &[("checkov", "CKV_K8S_153")],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["Ingress"];

/// ingress-nginx snippet annotation names; the prefix is configurable (`--annotations-prefix`).
const NGINX_SNIPPETS: [&str; 6] = [
    "configuration-snippet",
    "server-snippet",
    "location-snippet",
    "auth-snippet",
    "stream-snippet",
    "modsecurity-snippet",
];

/// NGINX Inc.'s controller.
const NGINX_ORG_SNIPPETS: [&str; 2] = ["nginx.org/server-snippets", "nginx.org/location-snippets"];

fn is_snippet(key: &str) -> bool {
    NGINX_ORG_SNIPPETS.contains(&key)
        || key
            .rsplit_once('/')
            .is_some_and(|(_, name)| NGINX_SNIPPETS.contains(&name))
}

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    let Some(annotations) = object.annotations() else {
        return;
    };
    for entry in annotations.entries() {
        if !is_snippet(&entry.key) {
            continue;
        }
        let message = format!(
            "Ingress `{}` injects NGINX configuration through annotation `{}`",
            object.name(),
            entry.key
        );
        let fix = Fix::new(
            format!("Remove annotation `{}`", entry.key),
            Applicability::Unsafe,
            vec![Edit::Remove {
                path: vec![
                    "metadata".into(),
                    "annotations".into(),
                    (&*entry.key).into(),
                ],
            }],
        );
        let location = kubeward_diagnostics::Location {
            source: object.source,
            span: entry.key_span,
        };
        ctx.report_at(object, location, message).fix = Some(fix);
    }
}
