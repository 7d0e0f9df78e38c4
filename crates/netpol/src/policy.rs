//! `networking.k8s.io/v1` NetworkPolicies read into the parts the semantics need.

use kubeward_model::{LabelSelector, NetworkPolicy, Object};
use kubeward_source::Node;

use crate::cidr::{Cidr, IpBlock};
use crate::port::{PolicyPort, PortRef, Protocol};

/// One peer of a rule (`from` / `to` entry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    /// Pods matching `pods` in the namespaces `namespaces` selects; `None` means the policy's own
    /// namespace (a peer with only `podSelector`). A peer with only `namespaceSelector` has the empty
    /// pod selector: every pod of those namespaces.
    Pods {
        namespaces: Option<LabelSelector>,
        pods: LabelSelector,
    },
    Block(IpBlock),
}

/// One ingress or egress rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// `None` when `from`/`to` is missing or empty: every source or destination.
    pub peers: Option<Vec<Peer>>,
    /// Empty when `ports` is missing or empty: every port.
    pub ports: Vec<PolicyPort>,
}

/// A NetworkPolicy with its defaults applied.
#[derive(Debug, Clone)]
pub struct Policy {
    pub namespace: String,
    pub name: String,
    pub pod_selector: LabelSelector,
    /// The ingress rules when the policy has policy type `Ingress` (an empty list isolates and
    /// allows nothing), `None` when it does not apply to ingress.
    pub ingress: Option<Vec<Rule>>,
    pub egress: Option<Vec<Rule>>,
}

impl Policy {
    /// Reads a NetworkPolicy object. An error names what the API server would reject; such a
    /// policy could not exist in a cluster, so it is left out of the analysis and reported.
    pub fn from_object(object: &Object) -> Result<Self, String> {
        let view = NetworkPolicy::of(object).ok_or("not a networking.k8s.io NetworkPolicy")?;
        let pod_selector = view
            .pod_selector()
            .map_err(|e| format!("spec.podSelector: {}", e.0))?;
        let (ingress_type, egress_type) = view.policy_types();
        let spec = object.spec();
        let rules = |field: &str, peer_field: &str| -> Result<Vec<Rule>, String> {
            spec.and_then(|s| s.get(field))
                .into_iter()
                .flat_map(Node::items)
                .enumerate()
                .map(|(i, r)| {
                    read_rule(r, peer_field).map_err(|e| format!("spec.{field}[{i}]: {e}"))
                })
                .collect()
        };
        Ok(Policy {
            namespace: object
                .effective_namespace()
                .unwrap_or("default")
                .to_string(),
            name: object.name().to_string(),
            pod_selector,
            ingress: if ingress_type {
                Some(rules("ingress", "from")?)
            } else {
                None
            },
            egress: if egress_type {
                Some(rules("egress", "to")?)
            } else {
                None
            },
        })
    }

    /// The rules of one direction; `None` when the policy is not of that type.
    pub fn rules(&self, direction: crate::Direction) -> Option<&[Rule]> {
        match direction {
            crate::Direction::Ingress => self.ingress.as_deref(),
            crate::Direction::Egress => self.egress.as_deref(),
        }
    }

    /// Indices of the rules of a direction that allow every peer on every port.
    pub fn open_rules(&self, direction: crate::Direction) -> Vec<usize> {
        self.rules(direction)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .filter(|(_, r)| r.peers.is_none() && r.ports.is_empty())
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether this is a namespace default-deny for a direction: it selects every pod of its
    /// namespace (pods created later included), is of that type, and no rule of it opens everything.
    pub fn denies_by_default(&self, direction: crate::Direction) -> bool {
        self.pod_selector.is_empty()
            && self.rules(direction).is_some()
            && self.open_rules(direction).is_empty()
    }

    /// `namespace/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

fn read_rule(node: &Node, peer_field: &str) -> Result<Rule, String> {
    let peers: Vec<Peer> = node
        .get(peer_field)
        .into_iter()
        .flat_map(Node::items)
        .enumerate()
        .map(|(i, p)| read_peer(p).map_err(|e| format!("{peer_field}[{i}]: {e}")))
        .collect::<Result<_, _>>()?;
    let ports = node
        .get("ports")
        .into_iter()
        .flat_map(Node::items)
        .enumerate()
        .map(|(i, p)| read_port(p).map_err(|e| format!("ports[{i}]: {e}")))
        .collect::<Result<_, _>>()?;
    Ok(Rule {
        // `from: []` is the same as no `from`: Kubernetes treats an empty list as "all".
        peers: (!peers.is_empty()).then_some(peers),
        ports,
    })
}

fn selector(node: &Node, field: &str) -> Result<Option<LabelSelector>, String> {
    match node.get(field).filter(|n| !n.is_null()) {
        None => Ok(None),
        Some(n) => LabelSelector::from_node(n)
            .map(Some)
            .map_err(|e| format!("{field}: {}", e.0)),
    }
}

fn read_peer(node: &Node) -> Result<Peer, String> {
    let pods = selector(node, "podSelector")?;
    let namespaces = selector(node, "namespaceSelector")?;
    if let Some(block) = node.get("ipBlock").filter(|n| !n.is_null()) {
        if pods.is_some() || namespaces.is_some() {
            return Err("ipBlock cannot be combined with a selector".into());
        }
        let cidr_text = block
            .get("cidr")
            .and_then(Node::scalar_text)
            .ok_or("ipBlock without cidr")?;
        let cidr = Cidr::parse(&cidr_text).ok_or(format!("invalid cidr `{cidr_text}`"))?;
        let except = block
            .get("except")
            .into_iter()
            .flat_map(Node::items)
            .map(|e| {
                let text = e.scalar_text().unwrap_or_default();
                Cidr::parse(&text)
                    .filter(|c| cidr.contains(c))
                    .ok_or(format!(
                        "except `{text}` is not a CIDR inside `{cidr_text}`"
                    ))
            })
            .collect::<Result<_, _>>()?;
        return Ok(Peer::Block(IpBlock { cidr, except }));
    }
    if pods.is_none() && namespaces.is_none() {
        return Err("peer without podSelector, namespaceSelector or ipBlock".into());
    }
    Ok(Peer::Pods {
        namespaces,
        pods: pods.unwrap_or_default(),
    })
}

fn read_port(node: &Node) -> Result<PolicyPort, String> {
    let protocol_text = node.get("protocol").and_then(Node::as_str);
    let protocol = Protocol::parse(protocol_text).ok_or(format!(
        "unsupported protocol `{}`",
        protocol_text.unwrap_or("")
    ))?;
    let port = match node.get("port").filter(|n| !n.is_null()) {
        None => PortRef::Any,
        Some(p) => match p.as_i64() {
            Some(n) => {
                let lo = port_number(n)?;
                let hi = match node.get("endPort").and_then(Node::as_i64) {
                    Some(e) => port_number(e)?,
                    None => lo,
                };
                if hi < lo {
                    return Err(format!("endPort {hi} is below port {lo}"));
                }
                PortRef::Range(lo, hi)
            }
            None => {
                if node.get("endPort").is_some() {
                    return Err("endPort needs a numeric port".into());
                }
                PortRef::Name(p.scalar_text().unwrap_or_default())
            }
        },
    };
    Ok(PolicyPort { protocol, port })
}

fn port_number(n: i64) -> Result<u16, String> {
    u16::try_from(n)
        .ok()
        .filter(|p| *p > 0)
        .ok_or(format!("port {n} is out of range"))
}
