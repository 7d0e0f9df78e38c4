use kubeward_diagnostics::Severity;
use kubeward_model::{Ingress, Object};
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Ingresses that serve plain HTTP: no `spec.tls` at all, or rule hosts that no `tls`
    /// entry covers (`*.example.com` covers one label, as in certificates). A `tls` entry without
    /// `hosts` applies to every host and covers them all.
    ///
    /// ## Why is this bad?
    /// Without TLS, session cookies, bearer tokens, passwords and API keys cross the internet, the
    /// cloud provider's network and the office Wi-Fi in clear text. Anyone on the path — a hostile
    /// hotspot, a compromised router — reads and rewrites them, injecting scripts into pages or
    /// replaying captured credentials.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata: {name: shop}
    /// spec:
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata: {name: shop}
    /// spec:
    ///   tls:
    ///   - {hosts: [shop.example.com], secretName: shop-tls}
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - {path: /, pathType: Prefix, backend: {service: {name: shop, port: {number: 80}}}}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a certificate (cert-manager annotation or Secret) is needed too.
    ///
    /// ## Differences from other tools
    /// Polaris `tlsSettingsMissing` and Kubescape C-0263 only check that `spec.tls` exists, not
    /// that it covers every host.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET006",
        name: "ingress-without-tls",
        title: "Ingress serves hosts over plain HTTP",
        severity: Severity::Medium,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[("kubescape", "C-0263"), ("polaris", "tlsSettingsMissing")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["Ingress"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    let Some(ingress) = Ingress::of(object) else {
        return;
    };
    if !ingress.has_tls() {
        let node = object.spec().unwrap_or(&object.root);
        let message = format!(
            "Ingress `{}` has no `tls` section: it serves plain HTTP",
            object.name()
        );
        ctx.report(object, node, message);
        return;
    }
    let covers_all = object
        .root
        .path(&["spec", "tls"])
        .into_iter()
        .flat_map(Node::items)
        .any(|t| {
            t.get("hosts")
                .and_then(Node::as_seq)
                .is_none_or(<[Node]>::is_empty)
        });
    if covers_all {
        return;
    }
    let tls_hosts = ingress.tls_hosts();
    for rule in object
        .root
        .path(&["spec", "rules"])
        .into_iter()
        .flat_map(Node::items)
    {
        let Some(host_node) = rule.get("host") else {
            continue;
        };
        let Some(host) = host_node.scalar_text() else {
            continue;
        };
        if tls_hosts.iter().any(|t| covers(t, &host)) {
            continue;
        }
        let message = format!(
            "Ingress `{}` serves host `{host}` without TLS",
            object.name()
        );
        ctx.report(object, host_node, message);
    }
}

/// Whether a TLS host (possibly `*.example.com`) covers a rule host.
fn covers(tls_host: &str, host: &str) -> bool {
    let (tls_host, host) = (tls_host.to_ascii_lowercase(), host.to_ascii_lowercase());
    if tls_host == host {
        return true;
    }
    match (tls_host.strip_prefix("*."), host.split_once('.')) {
        (Some(domain), Some((_, rest))) => domain == rest,
        _ => false,
    }
}
