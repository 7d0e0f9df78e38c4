use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Object;
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags Services that set `spec.externalIPs`.
    ///
    /// ## Why is this bad?
    /// Kubernetes does not check who owns an external IP. Whoever may create or edit a Service can
    /// claim any address — another tenant's database, the cloud metadata endpoint, a public DNS
    /// resolver — and kube-proxy on every node then sends cluster traffic for that address to the
    /// attacker's pods (CVE-2020-8554, a design flaw with no patch). A legitimate use is rare; the
    /// upstream advice is to forbid the field with an admission policy and to flag any use.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: api}
    /// spec:
    ///   selector: {app: api}
    ///   ports: [{port: 443}]
    ///   externalIPs: [203.0.113.10]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata: {name: api}
    /// spec:
    ///   type: LoadBalancer
    ///   selector: {app: api}
    ///   ports: [{port: 443}]
    ///   loadBalancerSourceRanges: [203.0.113.0/24]
    /// ```
    ///
    /// ## Fix safety
    /// The fix removes `externalIPs`. It is unsafe: clients that use those addresses lose the
    /// service; give them a load balancer or an Ingress first.
    ///
    /// ## Differences from other tools
    /// Trivy KSV0108 also flags `ExternalName` Services.
    ///
    /// ## References
    /// - CVE-2020-8554: "Man in the middle using LoadBalancer or ExternalIPs"
    /// - Kubernetes admission plugin `DenyServiceExternalIPs`
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET004",
        name: "service-external-ips",
        title: "Service claims external IPs (CVE-2020-8554)",
        severity: Severity::High,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[("trivy", "KSV0108")],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["Service"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    let Some(ips) = object
        .root
        .path(&["spec", "externalIPs"])
        .filter(|n| n.as_seq().is_some_and(|s| !s.is_empty()))
    else {
        return;
    };
    let list: Vec<String> = ips.items().filter_map(Node::scalar_text).collect();
    let message = format!(
        "Service `{}` claims external IPs {}: kube-proxy redirects cluster traffic for them to its pods",
        object.name(),
        list.join(", ")
    );
    let fix = Fix::new(
        "Remove `externalIPs`",
        Applicability::Unsafe,
        vec![Edit::Remove {
            path: vec!["spec".into(), "externalIPs".into()],
        }],
    );
    ctx.report_fix(object, ips, message, fix);
}
