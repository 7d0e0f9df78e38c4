use kubeward_diagnostics::Severity;
use kubeward_model::{Ingress, Inventory, Object};
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

const ROUTES: [&str; 3] = ["HTTPRoute", "GRPCRoute", "TLSRoute"];

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
    for object in ROUTES.iter().flat_map(|k| inventory.of_kind(k)) {
        let Some(route_ns) = object.effective_namespace() else {
            continue;
        };
        let refs = object
            .root
            .path(&["spec", "rules"])
            .into_iter()
            .flat_map(Node::items)
            .flat_map(|r| r.get("backendRefs").into_iter().flat_map(Node::items));
        for backend in refs {
            let kind = backend
                .get("kind")
                .and_then(Node::as_str)
                .unwrap_or("Service");
            let group = backend.get("group").and_then(Node::as_str).unwrap_or("");
            let Some(name) = backend.get("name").and_then(Node::as_str) else {
                continue;
            };
            if kind != "Service" || !group.is_empty() {
                continue;
            }
            let ns = backend
                .get("namespace")
                .and_then(Node::as_str)
                .unwrap_or(route_ns);
            if has_services(ns) && inventory.get("Service", Some(ns), name).is_none() {
                report(ctx, object, backend, name, ns);
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
