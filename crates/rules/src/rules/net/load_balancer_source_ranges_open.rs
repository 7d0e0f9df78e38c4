use kubeward_diagnostics::Severity;
use kubeward_model::{Object, Service};
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags public LoadBalancer Services (see NET002 for what counts as internal) that accept
    /// connections from the whole internet: no `spec.loadBalancerSourceRanges` and no
    /// `service.beta.kubernetes.io/load-balancer-source-ranges` annotation, or a range with a `/0`
    /// prefix (`0.0.0.0/0`, `::/0`, or any other address written with `/0`).
    ///
    /// ## Why is this bad?
    /// Source ranges are the cheapest firewall there is: the cloud drops traffic from outside them
    /// before it reaches a node. Without them every address on the internet can open connections,
    /// so a leaked credential, an unauthenticated endpoint or an unpatched CVE in the service is
    /// exploitable by anyone, not only from the office or the partner's network. `0.0.0.0/0` is the
    /// same as writing nothing, but looks reviewed.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: admin-api}
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: admin-api}
    ///   ports: [{port: 443}]
    ///   loadBalancerSourceRanges: [0.0.0.0/0]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: admin-api}
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: admin-api}
    ///   ports: [{port: 443}]
    ///   loadBalancerSourceRanges: [198.51.100.0/24]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: only the owner knows which networks are clients.
    ///
    /// ## References
    /// - Kubernetes documentation: "Create an External Load Balancer — loadBalancerSourceRanges"
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET005",
        name: "load-balancer-open-to-internet",
        title: "Load balancer accepts connections from any address",
        severity: Severity::Medium,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["Service"];

const ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    let Some(service) = Service::of(object) else {
        return;
    };
    if service.service_type() != "LoadBalancer"
        || kubeward_netpol::is_internal_load_balancer(&service)
    {
        return;
    }
    // The field wins over the annotation when both are set, as in the cloud providers.
    let field = object
        .root
        .path(&["spec", "loadBalancerSourceRanges"])
        .filter(|n| n.as_seq().is_some_and(|s| !s.is_empty()));
    let ranges: Vec<(&Node, String)> = match field {
        Some(list) => list
            .items()
            .filter_map(|n| Some((n, n.scalar_text()?)))
            .collect(),
        None => match object.annotation(ANNOTATION) {
            Some(n) => n
                .scalar_text()
                .unwrap_or_default()
                .split(',')
                .map(|r| (n, r.trim().to_string()))
                .filter(|(_, r)| !r.is_empty())
                .collect(),
            None => Vec::new(),
        },
    };
    if ranges.is_empty() {
        let node = object.root.path(&["spec", "type"]).unwrap_or(&object.root);
        let message = format!(
            "load balancer of Service `{}` has no source ranges: any address on the internet may connect",
            object.name()
        );
        ctx.report(object, node, message);
        return;
    }
    if let Some((node, range)) = ranges.iter().find(|(_, r)| r.trim().ends_with("/0")) {
        let message = format!(
            "load balancer of Service `{}` allows `{range}`: any address may connect",
            object.name()
        );
        ctx.report(object, node, message);
    }
}
