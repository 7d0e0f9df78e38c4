use kubeward_diagnostics::Severity;
use kubeward_model::Object;
use kubeward_netpol::{Cidr, Protocol};

use super::egress_blocks::{allows_port, egress_blocks};
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags NetworkPolicy egress rules whose `ipBlock` includes a cloud instance metadata address
    /// (`169.254.169.254`, used by AWS, GCP, Azure, OCI and most others, and AWS's IPv6
    /// `fd00:ec2::254`) on port 80/TCP, typically `0.0.0.0/0` without
    /// `except: [169.254.169.254/32]`. (Alibaba Cloud's `100.100.100.200` is not checked: it is an
    /// ordinary carrier-grade NAT address elsewhere, and flagging every `0.0.0.0/0` that excepts only
    /// `169.254.169.254` would bury the real findings.)
    ///
    /// ## Why is this bad?
    /// The metadata endpoint hands out the node's cloud credentials (the instance role) to whoever
    /// asks from the node's network. A compromised pod that reaches it can act as the node in the
    /// cloud account: read buckets, pull images, sometimes take over the cluster. It is the first
    /// address an attacker tries after a server-side request forgery.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api-egress, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata: {name: api-egress, namespace: payments}
    /// spec:
    ///   podSelector: {matchLabels: {app: api}}
    ///   policyTypes: [Egress]
    ///   egress:
    ///   - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]
    /// ```
    ///
    /// ## Fix safety
    /// Adding the `except` entry is safe unless the pods really read instance metadata (then give
    /// them workload identity instead).
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "NET016",
        name: "egress-to-cloud-metadata",
        title: "NetworkPolicy allows egress to the cloud metadata endpoint",
        severity: Severity::High,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) const KINDS: &[&str] = &["NetworkPolicy"];

const METADATA: [&str; 2] = ["169.254.169.254", "fd00:ec2::254"];

pub(crate) fn check(ctx: &mut Context<'_>, object: &Object) {
    for b in egress_blocks(object) {
        let reached: Vec<&str> = METADATA
            .into_iter()
            .filter(|a| Cidr::parse(a).is_some_and(|c| b.block.allows_some(&c)))
            .collect();
        if reached.is_empty() || !allows_port(&b.rule, 80, Protocol::Tcp) {
            continue;
        }
        let message = format!(
            "NetworkPolicy `{}` allows egress to cloud metadata ({}) through ipBlock {}",
            object.name(),
            reached.join(", "),
            b.block
        );
        ctx.report(object, b.node, message);
    }
}
