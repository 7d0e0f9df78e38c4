use kubeward_diagnostics::Severity;
use kubeward_model::{Object, Service};

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Services of type `LoadBalancer` that get a public load balancer: those without an
    /// annotation asking the cloud for an internal one (AWS `aws-load-balancer-internal` or
    /// `aws-load-balancer-scheme: internal`, GKE `load-balancer-type: Internal`, Azure
    /// `azure-load-balancer-internal`, OCI, IBM). Whether its source ranges are restricted is NET005's
    /// question.
    ///
    /// ## Why is this bad?
    /// Each public load balancer is a door from the internet straight to the pods behind it,
    /// bypassing the Ingress controller, its TLS, WAF and authentication. Internet-wide scanners find
    /// new load balancer addresses within minutes, and the service behind them — often a database,
    /// a metrics endpoint or an admin UI exposed "temporarily" — gets probed and brute-forced from
    /// then on. Exposure should be a short, reviewed list.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: postgres}
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: postgres}
    ///   ports: [{port: 5432}]
    /// ```
    ///
    /// ## Use instead
    /// Keep the Service internal to the cluster, or ask for an internal load balancer:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: postgres
    ///   annotations: {networking.gke.io/load-balancer-type: Internal}
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: postgres}
    ///   ports: [{port: 5432}]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: whether the service is meant for the internet needs its owner.
    ///
    /// ## Differences from other tools
    /// KubeLinter `exposed-services` fails NodePort and LoadBalancer Services alike and has no
    /// exemption for internal load balancers.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET002",
        name: "service-load-balancer",
        title: "Service is exposed through a public load balancer",
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
    if service.service_type() != "LoadBalancer"
        || kubeward_netpol::is_internal_load_balancer(&service)
    {
        return;
    }
    let node = object.root.path(&["spec", "type"]).unwrap_or(&object.root);
    let ports: Vec<String> = service
        .ports()
        .iter()
        .filter_map(|p| p.port.map(|n| n.to_string()))
        .collect();
    let message = format!(
        "Service `{}` gets a public load balancer (port{} {})",
        object.name(),
        if ports.len() == 1 { "" } else { "s" },
        if ports.is_empty() {
            "none listed".to_string()
        } else {
            ports.join(", ")
        }
    );
    ctx.report(object, node, message);
}
