//! Who may connect to each endpoint, by the policies alone: any pod, pods of other namespaces,
//! addresses on the internet.

use serde::Serialize;

use crate::cidr::{Cidr, non_public_ranges};
use crate::engine::{Direction, Engine, rule_ports};
use crate::policy::Peer;

/// How open one endpoint is for ingress.
#[derive(Debug, Clone, Serialize)]
pub struct Exposure {
    pub endpoint: crate::EndpointRef,
    pub isolated: bool,
    /// Any pod of the cluster, including pods created later in any namespace.
    pub from_any_pod: bool,
    /// Some pod of another namespace.
    pub from_other_namespaces: bool,
    /// Some public (non-private) address.
    pub from_internet: bool,
    /// The rules that make it reachable from outside its namespace.
    pub because: Vec<String>,
    /// How traffic from outside the cluster is routed to it: LoadBalancer, NodePort and
    /// external-IP Services, Ingresses, Gateway API routes, host ports, the host network.
    pub routed_from_outside: Vec<String>,
    /// CNI policies that also select it (not evaluated).
    pub cni_policies: Vec<String>,
}

impl Engine {
    /// The ingress exposure of every endpoint, in endpoint order.
    pub fn exposure(&self) -> Vec<Exposure> {
        (0..self.endpoints.len())
            .map(|e| self.exposure_of(e))
            .collect()
    }

    pub fn exposure_of(&self, e: usize) -> Exposure {
        let endpoint = &self.endpoints[e];
        let isolating = self.isolating_policies(e, Direction::Ingress);
        let mut x = Exposure {
            endpoint: endpoint.reference(),
            isolated: !isolating.is_empty(),
            from_any_pod: isolating.is_empty(),
            from_other_namespaces: isolating.is_empty(),
            from_internet: isolating.is_empty(),
            because: Vec::new(),
            routed_from_outside: self.outside.get(e).cloned().unwrap_or_default(),
            cni_policies: self
                .cni_cover
                .get(e)
                .into_iter()
                .flatten()
                .map(|&c| self.cni[c].id())
                .collect(),
        };
        if isolating.is_empty() {
            x.because
                .push("no NetworkPolicy isolates it for ingress".into());
            return x;
        }
        let public = non_public_ranges();
        let everything = [Cidr::parse("0.0.0.0/0"), Cidr::parse("::/0")];
        for policy in isolating {
            for (i, rule) in policy.ingress.iter().flatten().enumerate() {
                if rule_ports(rule, &endpoint.ports).is_empty() {
                    continue;
                }
                let at = format!("{} spec.ingress[{i}]", policy.id());
                let Some(peers) = &rule.peers else {
                    x.from_any_pod = true;
                    x.from_other_namespaces = true;
                    x.from_internet = true;
                    x.because.push(format!("{at}: no `from`, every source"));
                    continue;
                };
                for peer in peers {
                    match peer {
                        Peer::Pods {
                            namespaces: Some(ns),
                            pods,
                        } => {
                            let other = ns.is_empty()
                                || self.namespaces.iter().any(|(name, labels)| {
                                    *name != policy.namespace
                                        && ns.matches(
                                            labels.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                                        )
                                });
                            if ns.is_empty() && pods.is_empty() {
                                x.from_any_pod = true;
                            }
                            if other {
                                x.from_other_namespaces = true;
                                x.because.push(format!("{at}: namespaceSelector"));
                            }
                        }
                        Peer::Pods {
                            namespaces: None, ..
                        } => {}
                        Peer::Block(b) => {
                            let internet = everything
                                .iter()
                                .flatten()
                                .any(|all| b.allows_some_outside(all, &public));
                            if internet {
                                x.from_internet = true;
                                x.because.push(format!("{at}: ipBlock {b}"));
                            }
                            if b.is_everything() {
                                x.from_any_pod = true;
                                x.from_other_namespaces = true;
                            }
                        }
                    }
                }
            }
        }
        x
    }
}
