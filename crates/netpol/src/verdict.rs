//! Answers with their reasons: which policy and rule allow a connection, or that an endpoint is
//! isolated and nothing allows it.

use serde::Serialize;

use crate::engine::{Direction, Engine, RuleMatch, Target};
use crate::port::{PortQuery, PortSet};

/// Why one direction allows or blocks a connection.
#[derive(Debug, Clone, Serialize)]
pub struct SideVerdict {
    pub direction: Direction,
    pub allowed: bool,
    /// Whether a policy of this direction selects the endpoint on this side (an address outside
    /// the scanned pods, or a host-network pod, is never isolated).
    pub isolated: bool,
    /// `namespace/name` of every policy that isolates it.
    pub isolated_by: Vec<String>,
    /// The rules whose peers match the other end, with the ports they allow there.
    pub rules: Vec<RuleRef>,
    /// One sentence: why.
    pub reason: String,
}

/// A rule of a policy: `spec.ingress[0]` of `shop/allow-web`.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRef {
    pub policy: String,
    pub rule: String,
    pub ports: Vec<String>,
}

/// The answer to "may SRC connect to DST (on PORT)?".
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub allowed: bool,
    pub port: Option<String>,
    /// Ports allowed end to end (both directions), when no port was asked about.
    pub ports: Vec<String>,
    pub egress: SideVerdict,
    pub ingress: SideVerdict,
    /// What the answer does not cover (CNI policies selecting either end, unknown pod addresses).
    pub notes: Vec<String>,
}

impl Engine {
    /// Whether `from` may open a connection to `to`, on `port` or on any port, with reasons.
    pub fn verdict(&self, from: Target, to: Target, port: Option<PortQuery>) -> Verdict {
        let (out_ports, out_rules) = self.side(Direction::Egress, from, to);
        let (in_ports, in_rules) = self.side(Direction::Ingress, from, to);
        let both = out_ports.intersect(&in_ports);
        let side_ok = |ports: &PortSet| match port {
            Some(q) => ports.contains(q.port, q.protocol),
            None => !ports.is_empty(),
        };
        let allowed = match port {
            Some(q) => both.contains(q.port, q.protocol),
            None => !both.is_empty(),
        };
        let egress = self.side_verdict(
            Direction::Egress,
            from,
            out_rules,
            side_ok(&out_ports),
            port,
        );
        let ingress = self.side_verdict(Direction::Ingress, to, in_rules, side_ok(&in_ports), port);
        let mut notes = Vec::new();
        for t in [from, to] {
            if let Target::Endpoint(e) = t {
                for &c in self.cni_cover.get(e).into_iter().flatten() {
                    let cni = &self.cni[c];
                    notes.push(format!(
                        "{} also selects {}: its rules are not evaluated, so it may block more",
                        cni.id(),
                        self.endpoint_name(e)
                    ));
                }
            }
        }
        if self.ip_blocks_judge_unknown_address(from, to) {
            notes.push(
                "a policy on this path has ipBlock peers and a pod's address is not in the manifests: ipBlocks were taken to match a pod only when they cover every address (docs/netpol.md)"
                    .into(),
            );
        }
        if egress.allowed && ingress.allowed && !allowed {
            notes.push("each direction allows some port, but no port is allowed by both".into());
        }
        Verdict {
            allowed,
            port: port.map(|p| p.to_string()),
            ports: if port.is_none() {
                both.describe()
            } else {
                Vec::new()
            },
            egress,
            ingress,
            notes,
        }
    }

    fn side_verdict(
        &self,
        direction: Direction,
        subject: Target,
        rules: Vec<RuleMatch>,
        allowed: bool,
        port: Option<PortQuery>,
    ) -> SideVerdict {
        let word = match direction {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        };
        let (isolated_by, reason) = match subject {
            Target::Cidr(c) => (
                Vec::new(),
                format!("{c} is outside the cluster: no policy applies to its {word}"),
            ),
            Target::Endpoint(e) => {
                let by: Vec<String> = self
                    .isolating_policies(e, direction)
                    .iter()
                    .map(|p| p.id())
                    .collect();
                let name = self.endpoint_name(e);
                let host = self.endpoints.get(e).is_some_and(|x| x.host_network);
                let reason = if host {
                    format!("{name} uses the host network: NetworkPolicies do not apply to it")
                } else if by.is_empty() {
                    format!("no NetworkPolicy selects {name} for {word}: all {word} is allowed")
                } else if allowed {
                    format!("{name} is isolated for {word}; a rule allows this")
                } else if rules.is_empty() {
                    format!(
                        "{name} is isolated for {word} and no rule of {} matches the peer",
                        by.join(", ")
                    )
                } else {
                    let what = port.map_or("any port".to_string(), |p| p.to_string());
                    format!("{name} is isolated for {word}; matching rules do not allow {what}")
                };
                (by, reason)
            }
        };
        let field = match direction {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        };
        SideVerdict {
            direction,
            allowed,
            isolated: !isolated_by.is_empty(),
            isolated_by,
            rules: rules
                .into_iter()
                .map(|m| RuleRef {
                    policy: self.policies[m.policy].policy.id(),
                    rule: format!("spec.{field}[{}]", m.rule),
                    ports: m.ports.describe(),
                })
                .collect(),
            reason,
        }
    }

    /// Whether an ipBlock rule of an isolating policy had to be matched against a pod of unknown
    /// address (the source for ingress, the destination for egress).
    fn ip_blocks_judge_unknown_address(&self, from: Target, to: Target) -> bool {
        let unknown = |t: Target| match t {
            Target::Endpoint(e) => self.endpoints.get(e).is_some_and(|x| x.ip.is_none()),
            Target::Cidr(_) => false,
        };
        let has_blocks = |subject: Target, direction: Direction| match subject {
            Target::Endpoint(e) => self.isolating_policies(e, direction).iter().any(|p| {
                p.rules(direction).unwrap_or_default().iter().any(|r| {
                    r.peers
                        .iter()
                        .flatten()
                        .any(|peer| matches!(peer, crate::policy::Peer::Block(_)))
                })
            }),
            Target::Cidr(_) => false,
        };
        (unknown(from) && has_blocks(to, Direction::Ingress))
            || (unknown(to) && has_blocks(from, Direction::Egress))
    }

    /// `namespace/name` of an endpoint.
    pub fn endpoint_name(&self, e: usize) -> String {
        self.endpoints
            .get(e)
            .map(|x| format!("{}/{}", x.namespace, x.name))
            .unwrap_or_default()
    }
}
