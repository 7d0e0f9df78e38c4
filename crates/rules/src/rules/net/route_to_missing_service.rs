use kubeward_diagnostics::Severity;
use kubeward_model::{Ingress, Inventory, Object};
use kubeward_netpol::{ROUTE_KINDS, route_backends};
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Ingress backends and Gateway API route backends (`HTTPRoute`, `GRPCRoute`, `TLSRoute`
    /// `backendRefs` of kind Service) that name a Service missing from the scan, when the scan has
    /// Services in the backend's namespace (a partial scan is not judged).
    ///
    /// ## Why is this bad?
    /// The public hostname and path stay routed. Whoever later creates a Service of that name in the
    /// namespace (a compromised CI job, a tenant with create rights) receives the internet traffic
    /// meant for the application, with its cookies and credentials.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata: {name: shop, namespace: shop}
    /// spec:
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - {path: /, pathType: Prefix, backend: {service: {name: storefront, port: {number: 80}}}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: web, namespace: shop}
    /// spec:
    ///   selector: {app: web}
    ///   ports: [{port: 80}]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata: {name: shop, namespace: shop}
    /// spec:
    ///   rules:
    ///   - host: shop.example.com
    ///     http:
    ///       paths:
    ///       - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: remove the route or correct the Service name.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET021",
        name: "route-to-missing-service",
        title: "Ingress or route points at a missing Service",
        severity: Severity::Low,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let has_services = |ns: &str| {
        inventory
            .of_kind("Service")
            .any(|s| s.effective_namespace() == Some(ns))
    };
    for object in inventory.of_kind("Ingress") {
        let (Some(ingress), Some(ns)) = (Ingress::of(object), object.effective_namespace()) else {
            continue;
        };
        if !has_services(ns) {
            continue;
        }
        for backend in ingress.backends() {
            if inventory
                .get("Service", Some(ns), &backend.service)
                .is_none()
            {
                let node = object.spec().unwrap_or(&object.root);
                report(ctx, object, node, &backend.service, ns);
            }
        }
    }
    for object in ROUTE_KINDS.iter().flat_map(|k| inventory.of_kind(k)) {
        for b in route_backends(object) {
            if has_services(&b.namespace)
                && inventory
                    .get("Service", Some(&b.namespace), &b.name)
                    .is_none()
            {
                report(ctx, object, b.node, &b.name, &b.namespace);
            }
        }
    }
}

fn report(ctx: &mut Context<'_>, object: &Object, node: &Node, service: &str, ns: &str) {
    let message = format!(
        "{} `{}` routes to Service `{service}`, which does not exist in namespace `{ns}`",
        object.kind(),
        object.name()
    );
    ctx.report(object, node, message);
}
