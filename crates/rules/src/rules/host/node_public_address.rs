use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use kubeward_diagnostics::Severity;
use kubeward_model::Inventory;

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::cluster::nodes;

declare_rule! {
    /// ## What it does
    /// Flags Nodes that report a publicly routable address in `status.addresses` (`ExternalIP`, or an
    /// `InternalIP` that is public). Private (RFC 1918), shared (100.64.0.0/10), loopback, link-local,
    /// unique-local IPv6 and documentation ranges are not reported.
    ///
    /// ## Why is this bad?
    /// A node with a public address is one security-group mistake away from exposing everything that
    /// listens on it: the kubelet API (10250, which runs commands in pods if its authentication is
    /// weak), every NodePort Service, `hostPort` and `hostNetwork` pods, SSH, and the node's own
    /// services. Nodes belong on a private network, with the internet reaching workloads only through
    /// load balancers and ingress controllers that were meant to be reached.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   addresses:
    ///     - {type: InternalIP, address: 10.0.1.17}
    ///     - {type: ExternalIP, address: 34.141.20.7}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Node
    /// metadata: {name: worker-1}
    /// status:
    ///   addresses:
    ///     - {type: InternalIP, address: 10.0.1.17}
    ///     - {type: Hostname, address: worker-1}
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: create node pools without public addresses (private subnets, `--enable-private-nodes`
    /// on GKE, private node groups on EKS) and give them egress through NAT.
    ///
    /// ## References
    /// - NSA/CISA Kubernetes Hardening Guide: "Network separation and hardening"
    /// - OWASP Kubernetes Top 10 K07: Missing Network Segmentation Controls
    pub(crate) static RULE = RuleMeta {
        id: "HOST007",
        name: "node-public-address",
        title: "Node has a public IP address",
        severity: Severity::Medium,
        frameworks: &["nsa:network-separation", "owasp:K07"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    for node in nodes(inventory) {
        for (kind, address, field) in node.addresses() {
            if !matches!(kind, "ExternalIP" | "InternalIP") {
                continue;
            }
            let Ok(ip) = address.parse::<IpAddr>() else {
                continue;
            };
            if is_public(ip) {
                let message = format!(
                    "node `{}` has the public address {address} ({kind}): its kubelet, NodePorts and SSH are one firewall rule away from the internet",
                    node.object.name()
                );
                ctx.report(node.object, field, message);
            }
        }
    }
}

/// Whether an address is routable on the internet.
fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b);
    let benchmarking = a == 198 && (b == 18 || b == 19);
    let documentation = matches!((a, b, c), (192, 0, 2) | (198, 51, 100) | (203, 0, 113));
    let ietf = a == 192 && b == 0 && c == 0;
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        || a >= 240
        || shared
        || benchmarking
        || documentation
        || ietf)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = (first & 0xfe00) == 0xfc00;
    let link_local = (first & 0xffc0) == 0xfe80;
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || unique_local
        || link_local
        || documentation)
}

#[cfg(test)]
mod tests {
    use super::is_public;

    #[test]
    fn private_shared_and_special_ranges_are_not_public() {
        for private in [
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "127.0.0.1",
            "169.254.169.254",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fd00::1",
            "fe80::1",
            "2001:db8::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "34.141.20.7",
            "172.32.0.1",
            "100.128.0.1",
            "8.8.8.8",
            "2a00:1450:4001::1",
            "::ffff:34.141.20.7",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }
}
