use kubeward_diagnostics::Severity;
use kubeward_model::{Object, Service};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Services of type `NodePort`. (LoadBalancer Services also allocate node ports unless
    /// `allocateLoadBalancerNodePorts: false`; they are NET002's and NET005's findings.)
    ///
    /// ## Why is this bad?
    /// A NodePort opens the port on every node of the cluster, on every node address, for every
    /// client that can route to a node — including, on many clouds, the internet when nodes have
    /// public IPs. It sidesteps the Ingress controller's TLS and authentication, and NetworkPolicies
    /// often do not apply as expected because kube-proxy may rewrite the source address. Attackers
    /// scan the 30000–32767 range precisely because forgotten NodePorts live there.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: grafana}
    /// spec:
    ///   type: NodePort
    ///   selector: {app: grafana}
    ///   ports: [{port: 3000, nodePort: 30300}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: grafana}
    /// spec:
    ///   type: ClusterIP
    ///   selector: {app: grafana}
    ///   ports: [{port: 3000}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: clients outside the cluster may depend on the port.
    ///
    /// ## Differences from other tools
    /// KubeLinter `exposed-services` also fails LoadBalancer Services.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET003",
        name: "service-node-port",
        title: "Service opens a port on every node",
        severity: Severity::Low,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[("kube-linter", "exposed-services")],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["Service"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    let Some(service) = Service::of(object) else {
        return;
    };
    if service.service_type() != "NodePort" {
        return;
    }
    let node = object.root.path(&["spec", "type"]).unwrap_or(&object.root);
    let ports: Vec<String> = service
        .ports()
        .iter()
        .map(|p| {
            p.node_port
                .map_or("an allocated port".to_string(), |n| n.to_string())
        })
        .collect();
    let message = format!(
        "Service `{}` is reachable on every node at {}",
        object.name(),
        if ports.is_empty() {
            "its node ports".to_string()
        } else {
            ports.join(", ")
        }
    );
    ctx.report(object, node, message);
}
