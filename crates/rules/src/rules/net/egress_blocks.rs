//! The egress `ipBlock`s of a NetworkPolicy, with their nodes, for NET015 and NET016.

use kubeward_model::{NetworkPolicy, Object};
use kubeward_netpol::{Cidr, IpBlock, Policy, Protocol, Rule};
use kubeward_source::Node;

/// One `to[].ipBlock` of an egress rule that takes effect (the policy is of type Egress).
pub(crate) struct EgressBlock<'a> {
    pub(crate) node: &'a Node,
    pub(crate) block: IpBlock,
    pub(crate) rule: Rule,
}

pub(crate) fn egress_blocks(object: &Object) -> Vec<EgressBlock<'_>> {
    let Some(view) = NetworkPolicy::of(object) else {
        return Vec::new();
    };
    if !view.policy_types().1 {
        return Vec::new();
    }
    // A policy the API server would reject never takes effect.
    let Ok(policy) = Policy::from_object(object) else {
        return Vec::new();
    };
    let rule_nodes = object
        .root
        .path(&["spec", "egress"])
        .into_iter()
        .flat_map(Node::items);
    let mut out = Vec::new();
    for (rule, rule_node) in policy
        .egress
        .unwrap_or_default()
        .into_iter()
        .zip(rule_nodes)
    {
        for peer in rule_node.get("to").into_iter().flat_map(Node::items) {
            let Some(node) = peer.get("ipBlock") else {
                continue;
            };
            let Some(cidr) = node
                .get("cidr")
                .and_then(Node::scalar_text)
                .and_then(|c| Cidr::parse(&c))
            else {
                continue;
            };
            let except = node
                .get("except")
                .into_iter()
                .flat_map(Node::items)
                .filter_map(|e| e.scalar_text().and_then(|t| Cidr::parse(&t)))
                .collect();
            out.push(EgressBlock {
                node,
                block: IpBlock { cidr, except },
                rule: rule.clone(),
            });
        }
    }
    out
}

/// Whether a rule's ports allow `port` over `protocol` to an address outside the cluster (named
/// ports resolve only on pods, so they never do).
pub(crate) fn allows_port(rule: &Rule, port: u16, protocol: Protocol) -> bool {
    rule.ports.is_empty()
        || rule.ports.iter().any(|p| {
            p.resolve(&[])
                .iter()
                .any(|r| r.protocol == protocol && r.lo <= port && port <= r.hi)
        })
}
