//! The reachability engine: policies compiled once into per-rule endpoint sets, then per-endpoint
//! unions, so one question costs a few bit tests and the full matrix stays quadratic in endpoints
//! only.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kubeward_model::{Inventory, LabelSelector, Namespace, labels_of};

use crate::bitset::Bitset;
use crate::cidr::{Cidr, IpBlock};
use crate::cni::CniPolicy;
use crate::endpoint::Endpoint;
use crate::policy::{Peer, Policy, Rule};
use crate::port::{PortQuery, PortSet};

/// The label every namespace carries with its own name (Kubernetes 1.21+), so policies can select a
/// namespace by name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Traffic direction as NetworkPolicy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ingress,
    Egress,
}

/// A policy left out of the analysis because the API server would reject it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub policy: String,
    pub message: String,
}

/// One side of a connection: a known endpoint, or an address range outside the scanned pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Endpoint(usize),
    Cidr(Cidr),
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    /// Endpoints the rule's peers match.
    pub(crate) endpoints: Bitset,
    /// `from`/`to` missing or empty: every peer, pods and addresses.
    pub(crate) all_peers: bool,
    pub(crate) blocks: Vec<IpBlock>,
}

#[derive(Debug)]
pub(crate) struct CompiledPolicy {
    pub(crate) policy: Policy,
    pub(crate) selected: Bitset,
    pub(crate) ingress: Vec<CompiledRule>,
    pub(crate) egress: Vec<CompiledRule>,
}

impl CompiledPolicy {
    pub(crate) fn rules(&self, direction: Direction) -> (&[Rule], &[CompiledRule]) {
        let (rules, compiled) = match direction {
            Direction::Ingress => (self.policy.ingress.as_deref(), &self.ingress),
            Direction::Egress => (self.policy.egress.as_deref(), &self.egress),
        };
        (rules.unwrap_or_default(), compiled)
    }
}

/// Per-endpoint unions for one direction, seen from the isolated endpoint.
#[derive(Debug)]
struct Aggregate {
    /// Policies of this direction that select the endpoint (empty: not isolated).
    isolating: Vec<usize>,
    /// Peers allowed on every port. Shared between endpoints with the same policies.
    all_ports: Arc<Bitset>,
    /// Peers allowed on at least one port whatever the other end is: every port, a number or a
    /// range. For egress, named ports depend on the destination and are left to the exact path.
    some_port: Arc<Bitset>,
    /// Egress only: peers of rules with a named port, the only ones the exact path can add.
    named_port: Arc<Bitset>,
}

impl Aggregate {
    /// An endpoint no policy isolates allows every peer on every port. Its sets stay unallocated:
    /// on a large cluster most endpoints are open, and three full n-bit sets each were most of
    /// the engine's memory.
    fn all_ports_has(&self, peer: usize) -> bool {
        self.isolating.is_empty() || self.all_ports.contains(peer)
    }

    fn some_port_has(&self, peer: usize) -> bool {
        self.isolating.is_empty() || self.some_port.contains(peer)
    }
}

/// NetworkPolicy reachability over one inventory.
#[derive(Debug)]
pub struct Engine {
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) policies: Vec<CompiledPolicy>,
    /// Every namespace with its labels (the name label included).
    pub(crate) namespaces: BTreeMap<String, Vec<(String, String)>>,
    ingress: Vec<Aggregate>,
    egress: Vec<Aggregate>,
    pub(crate) cni: Vec<CniPolicy>,
    pub(crate) cni_cover: Vec<Vec<usize>>,
    /// Per endpoint, how traffic from outside the cluster reaches it (Services, Ingresses, routes,
    /// host ports); empty when built from parts.
    pub(crate) outside: Vec<Vec<String>>,
    pub warnings: Vec<Warning>,
}

impl Engine {
    /// Reads endpoints, namespaces and policies from an inventory and compiles them.
    pub fn build(inventory: &Inventory) -> Self {
        let index = crate::outside::OutsideIndex::new(inventory);
        let mut outside = Vec::new();
        let endpoints: Vec<Endpoint> = inventory
            .objects()
            .iter()
            .filter_map(|o| {
                let e = Endpoint::of(o)?;
                let paths = kubeward_model::Workload::of(o)
                    .map(|w| index.paths(&w))
                    .unwrap_or_default();
                outside.push(paths);
                Some(e)
            })
            .collect();
        let mut namespaces: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for object in inventory.of_kind("Namespace") {
            if Namespace::of(object).is_some() {
                let labels = labels_of(object.labels())
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect();
                namespaces.insert(object.name().to_string(), labels);
            }
        }
        for ns in inventory.namespaces() {
            namespaces.entry(ns.to_string()).or_default();
        }
        for (name, labels) in &mut namespaces {
            // The API server sets this label on every namespace and does not let it be changed.
            labels.retain(|(k, _)| k != NAMESPACE_NAME_LABEL);
            labels.push((NAMESPACE_NAME_LABEL.to_string(), name.clone()));
        }
        let mut warnings = Vec::new();
        let mut policies = Vec::new();
        for object in inventory.of_kind("NetworkPolicy") {
            if !object.api_version().starts_with("networking.k8s.io/") {
                continue;
            }
            match Policy::from_object(object) {
                Ok(p) => policies.push(p),
                Err(message) => warnings.push(Warning {
                    policy: format!(
                        "{}/{}",
                        object.effective_namespace().unwrap_or("default"),
                        object.name()
                    ),
                    message,
                }),
            }
        }
        let cni = crate::cni::read(inventory);
        let mut engine = Self::from_parts(endpoints, namespaces, policies, cni, warnings);
        engine.outside = outside;
        engine
    }

    /// Compiles already-read parts (tests and benchmarks build them directly).
    pub fn from_parts(
        endpoints: Vec<Endpoint>,
        namespaces: BTreeMap<String, Vec<(String, String)>>,
        policies: Vec<Policy>,
        cni: Vec<CniPolicy>,
        warnings: Vec<Warning>,
    ) -> Self {
        let n = endpoints.len();
        let mut by_namespace: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, e) in endpoints.iter().enumerate() {
            by_namespace
                .entry(e.namespace.as_str())
                .or_default()
                .push(i);
        }
        let matcher = Matcher {
            endpoints: &endpoints,
            namespaces: &namespaces,
            by_namespace: &by_namespace,
        };
        let compiled: Vec<CompiledPolicy> = policies
            .into_iter()
            .map(|policy| matcher.compile(policy))
            .collect();
        let cni_cover = endpoints
            .iter()
            .map(|e| {
                cni.iter()
                    .enumerate()
                    .filter(|(_, c)| c.covers(e, &namespaces))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        let ingress = aggregate(&endpoints, &compiled, Direction::Ingress, n);
        let egress = aggregate(&endpoints, &compiled, Direction::Egress, n);
        Engine {
            endpoints,
            policies: compiled,
            namespaces,
            ingress,
            egress,
            cni,
            cni_cover,
            outside: Vec::new(),
            warnings,
        }
    }

    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.policies.iter().map(|p| &p.policy)
    }

    pub fn namespaces(&self) -> impl Iterator<Item = &str> {
        self.namespaces.keys().map(String::as_str)
    }

    /// Whether a policy of this direction selects the endpoint.
    pub fn is_isolated(&self, endpoint: usize, direction: Direction) -> bool {
        self.aggregate(direction)
            .get(endpoint)
            .is_some_and(|a| !a.isolating.is_empty())
    }

    /// `namespace/name` of the policies of this direction that select the endpoint.
    pub fn isolating_policies(&self, endpoint: usize, direction: Direction) -> Vec<&Policy> {
        self.aggregate(direction)
            .get(endpoint)
            .map(|a| {
                a.isolating
                    .iter()
                    .map(|&p| &self.policies[p].policy)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Endpoints each policy selects, in policy order.
    pub fn selected_by(&self, policy: usize) -> Vec<usize> {
        self.policies
            .get(policy)
            .map(|p| p.selected.iter().collect())
            .unwrap_or_default()
    }

    /// The CNI policies (Cilium, Calico) that select an endpoint.
    pub fn cni_policies_of(&self, endpoint: usize) -> Vec<&CniPolicy> {
        self.cni_cover
            .get(endpoint)
            .into_iter()
            .flatten()
            .map(|&c| &self.cni[c])
            .collect()
    }

    /// Namespaces (of the inputs, and those objects live in) whose labels a selector matches.
    pub fn namespaces_matching(&self, selector: &LabelSelector) -> Vec<&str> {
        self.namespaces
            .iter()
            .filter(|(_, labels)| {
                selector.matches(labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            })
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// How traffic from outside the cluster is routed to an endpoint (Services, Ingresses, Gateway
    /// routes, host ports); empty for an engine built from parts.
    pub fn routed_from_outside(&self, endpoint: usize) -> &[String] {
        self.outside.get(endpoint).map_or(&[], Vec::as_slice)
    }

    fn aggregate(&self, direction: Direction) -> &[Aggregate] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }

    /// Whether `from` may open a connection to `to` on some port (or on `port`).
    pub fn allows(&self, from: usize, to: usize, port: Option<PortQuery>) -> bool {
        if port.is_some() {
            return self
                .verdict(Target::Endpoint(from), Target::Endpoint(to), port)
                .allowed;
        }
        let (Some(ing), Some(eg)) = (self.ingress.get(to), self.egress.get(from)) else {
            return false;
        };
        let in_all = ing.all_ports_has(from);
        let out_all = eg.all_ports_has(to);
        match (in_all, out_all) {
            (true, true) => true,
            // One side allows every port: the other side only needs one.
            (true, false) => {
                eg.some_port_has(to)
                    || (eg.named_port.contains(to) && self.named_egress_resolves(eg, to))
            }
            (false, true) => ing.some_port_has(from),
            (false, false) => {
                ing.some_port_has(from) && (eg.some_port_has(to) || eg.named_port.contains(to)) && {
                    let (a, _) = self.side(
                        Direction::Ingress,
                        Target::Endpoint(from),
                        Target::Endpoint(to),
                    );
                    let (b, _) = self.side(
                        Direction::Egress,
                        Target::Endpoint(from),
                        Target::Endpoint(to),
                    );
                    !a.intersect(&b).is_empty()
                }
            }
        }
    }

    /// Whether one direction of `endpoint` lets every pod through on every port, and why: no
    /// policy of that direction selects it (`Some(None)`), or a rule of an isolating policy allows
    /// every pod on every port (`Some(Some(rule))`). `None` when the direction restricts pods.
    ///
    /// With [`Engine::candidate_peers`] this answers "who may talk to whom" for a whole cluster
    /// without asking about every pair: open endpoints can be grouped, and only the restricted
    /// ones need their few candidates checked with [`Engine::allows`].
    pub fn open_to_every_pod(
        &self,
        endpoint: usize,
        direction: Direction,
    ) -> Option<Option<crate::verdict::RuleRef>> {
        let agg = self.aggregate(direction).get(endpoint)?;
        if agg.isolating.is_empty() {
            return Some(None);
        }
        let n = self.endpoints.len();
        let field = match direction {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        };
        agg.isolating.iter().find_map(|&p| {
            let (rules, compiled) = self.policies[p].rules(direction);
            rules
                .iter()
                .zip(compiled)
                .position(|(rule, c)| rule.ports.is_empty() && c.endpoints.is_full(n))
                .map(|i| {
                    Some(crate::verdict::RuleRef {
                        policy: self.policies[p].policy.id(),
                        rule: format!("spec.{field}[{i}]"),
                        ports: PortSet::All.describe(),
                    })
                })
        })
    }

    /// The endpoints one direction of `endpoint` may allow on some port: a superset of the peers
    /// [`Engine::allows`] accepts on that side (every endpoint when the direction is not
    /// isolated), in index order. For egress the peers of named-port rules are included.
    pub fn candidate_peers(&self, endpoint: usize, direction: Direction) -> Vec<usize> {
        let Some(agg) = self.aggregate(direction).get(endpoint) else {
            return Vec::new();
        };
        if agg.isolating.is_empty() {
            return (0..self.endpoints.len()).collect();
        }
        let mut set = Bitset::clone(&agg.some_port);
        if direction == Direction::Egress {
            set.union_with(&agg.named_port);
        }
        set.iter().collect()
    }

    /// Whether an egress rule with a named port that `to` exists on allows `to` (the exact question
    /// of the "ingress allows every port" case, without building port sets).
    fn named_egress_resolves(&self, egress: &Aggregate, to: usize) -> bool {
        let Some(destination) = self.endpoints.get(to) else {
            return false;
        };
        egress.isolating.iter().any(|&p| {
            let (rules, compiled) = self.policies[p].rules(Direction::Egress);
            rules.iter().zip(compiled).any(|(rule, c)| {
                c.endpoints.contains(to)
                    && rule
                        .ports
                        .iter()
                        .any(|port| !port.resolve(&destination.ports).is_empty())
            })
        })
    }

    /// Every endpoint pair among `subset` (all endpoints when `None`): row = source, column =
    /// destination, `true` when some port is allowed.
    pub fn matrix(&self, subset: Option<&[usize]>) -> Vec<Vec<bool>> {
        let all: Vec<usize>;
        let ids = match subset {
            Some(s) => s,
            None => {
                all = (0..self.endpoints.len()).collect();
                &all
            }
        };
        ids.iter()
            .map(|&s| ids.iter().map(|&d| self.allows(s, d, None)).collect())
            .collect()
    }

    /// The ports one direction allows from `from` to `to`, and the rules that allow them. An
    /// endpoint the direction does not isolate (or no endpoint at all: an address outside) allows
    /// every port with no rule.
    pub(crate) fn side(
        &self,
        direction: Direction,
        from: Target,
        to: Target,
    ) -> (PortSet, Vec<RuleMatch>) {
        let (subject, peer) = match direction {
            Direction::Ingress => (to, from),
            Direction::Egress => (from, to),
        };
        let Target::Endpoint(subject) = subject else {
            return (PortSet::All, Vec::new());
        };
        let Some(agg) = self.aggregate(direction).get(subject) else {
            return (PortSet::All, Vec::new());
        };
        if agg.isolating.is_empty() {
            return (PortSet::All, Vec::new());
        }
        let destination_ports = match to {
            Target::Endpoint(d) => self.endpoints.get(d).map(|e| e.ports.as_slice()),
            Target::Cidr(_) => None,
        }
        .unwrap_or_default();
        let mut ports = PortSet::none();
        let mut matches = Vec::new();
        for &p in &agg.isolating {
            let (rules, compiled) = self.policies[p].rules(direction);
            for (i, (rule, c)) in rules.iter().zip(compiled).enumerate() {
                let hit = match peer {
                    Target::Endpoint(e) => c.endpoints.contains(e),
                    Target::Cidr(range) => {
                        c.all_peers || c.blocks.iter().any(|b| b.allows_some(&range))
                    }
                };
                if !hit {
                    continue;
                }
                let allowed = rule_ports(rule, destination_ports);
                matches.push(RuleMatch {
                    policy: p,
                    rule: i,
                    ports: allowed.clone(),
                });
                ports.add(allowed);
            }
        }
        (ports, matches)
    }
}

/// A rule that matches the peer, with the ports it allows at the destination.
#[derive(Debug, Clone)]
pub(crate) struct RuleMatch {
    pub(crate) policy: usize,
    pub(crate) rule: usize,
    pub(crate) ports: PortSet,
}

/// The ports a rule allows at a destination with `ports` (named ports resolved there).
pub(crate) fn rule_ports(rule: &Rule, ports: &[crate::port::ContainerPort]) -> PortSet {
    if rule.ports.is_empty() {
        return PortSet::All;
    }
    PortSet::Ranges(rule.ports.iter().flat_map(|p| p.resolve(ports)).collect())
}

/// Whether a rule allows some port whatever the destination (no named port needed).
fn has_unnamed_port(rule: &Rule) -> bool {
    rule.ports.is_empty()
        || rule
            .ports
            .iter()
            .any(|p| !matches!(p.port, crate::port::PortRef::Name(_)))
}

fn aggregate(
    endpoints: &[Endpoint],
    policies: &[CompiledPolicy],
    direction: Direction,
    n: usize,
) -> Vec<Aggregate> {
    let applies = |p: &CompiledPolicy| {
        !matches!(
            (direction, &p.policy.ingress, &p.policy.egress),
            (Direction::Ingress, None, _) | (Direction::Egress, _, None)
        )
    };
    let mut isolating: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (pi, p) in policies.iter().enumerate().filter(|(_, p)| applies(p)) {
        for e in p.selected.iter() {
            if let Some(list) = isolating.get_mut(e) {
                list.push(pi);
            }
        }
    }
    // Endpoints selected by the same policies (and, for ingress, whose ports give each rule the same
    // emptiness) have the same sets: each distinct set is computed once and shared. On a large
    // cluster most isolated endpoints share a namespace's policies, and one n-bit set per endpoint
    // and direction was most of the engine's memory.
    let empty = Arc::new(Bitset::default());
    let mut shared: HashMap<(Vec<usize>, Vec<bool>), Sets> = HashMap::new();
    let mut out = Vec::with_capacity(n);
    for (e, isolating) in isolating.into_iter().enumerate() {
        if isolating.is_empty() {
            out.push(Aggregate {
                isolating,
                all_ports: empty.clone(),
                some_port: empty.clone(),
                named_port: empty.clone(),
            });
            continue;
        }
        let nonempty: Vec<bool> = match direction {
            // Ingress ports resolve on the isolated endpoint itself.
            Direction::Ingress => isolating
                .iter()
                .flat_map(|&pi| policies[pi].rules(direction).0)
                .map(|rule| !rule_ports(rule, &endpoints[e].ports).is_empty())
                .collect(),
            Direction::Egress => Vec::new(),
        };
        let sets = shared
            .entry((isolating.clone(), nonempty))
            .or_insert_with_key(|(isolating, nonempty)| {
                sets_of(policies, isolating, nonempty, direction, n, &empty)
            })
            .clone();
        out.push(Aggregate {
            isolating,
            all_ports: sets.0,
            some_port: sets.1,
            named_port: sets.2,
        });
    }
    out
}

/// `all_ports`, `some_port`, `named_port` of an [`Aggregate`].
type Sets = (Arc<Bitset>, Arc<Bitset>, Arc<Bitset>);

/// The peer sets of an endpoint isolated by `isolating`; `nonempty` says, per rule of those
/// policies in order, whether its ports select any port of the endpoint (ingress only).
fn sets_of(
    policies: &[CompiledPolicy],
    isolating: &[usize],
    nonempty: &[bool],
    direction: Direction,
    n: usize,
    empty: &Arc<Bitset>,
) -> Sets {
    let mut all_ports = Bitset::new(n);
    let mut some_port = Bitset::new(n);
    // Only when an egress rule names a port: unallocated, it reads as empty.
    let mut named_port = Bitset::default();
    let mut flags = nonempty.iter();
    for &pi in isolating {
        let (rules, compiled) = policies[pi].rules(direction);
        for (rule, c) in rules.iter().zip(compiled) {
            let ingress_nonempty = flags.next().copied().unwrap_or(false);
            if rule.ports.is_empty() {
                all_ports.union_with(&c.endpoints);
                some_port.union_with(&c.endpoints);
                continue;
            }
            let has_port = match direction {
                Direction::Ingress => ingress_nonempty,
                Direction::Egress => has_unnamed_port(rule),
            };
            if has_port {
                some_port.union_with(&c.endpoints);
            }
            if direction == Direction::Egress
                && rule
                    .ports
                    .iter()
                    .any(|p| matches!(p.port, crate::port::PortRef::Name(_)))
            {
                named_port.allocate(n);
                named_port.union_with(&c.endpoints);
            }
        }
    }
    let named_port = if named_port == Bitset::default() {
        empty.clone()
    } else {
        Arc::new(named_port)
    };
    (Arc::new(all_ports), Arc::new(some_port), named_port)
}

/// Selector evaluation over the endpoints, by namespace.
struct Matcher<'a> {
    endpoints: &'a [Endpoint],
    namespaces: &'a BTreeMap<String, Vec<(String, String)>>,
    by_namespace: &'a HashMap<&'a str, Vec<usize>>,
}

impl Matcher<'_> {
    fn compile(&self, policy: Policy) -> CompiledPolicy {
        let mut selected = Bitset::new(self.endpoints.len());
        for &i in self
            .by_namespace
            .get(policy.namespace.as_str())
            .into_iter()
            .flatten()
        {
            let e = &self.endpoints[i];
            if !e.host_network && policy.pod_selector.matches(e.label_pairs()) {
                selected.insert(i);
            }
        }
        let compile_rules = |rules: &Option<Vec<Rule>>| -> Vec<CompiledRule> {
            rules
                .iter()
                .flatten()
                .map(|r| self.compile_rule(r, &policy.namespace))
                .collect()
        };
        let ingress = compile_rules(&policy.ingress);
        let egress = compile_rules(&policy.egress);
        CompiledPolicy {
            policy,
            selected,
            ingress,
            egress,
        }
    }

    fn compile_rule(&self, rule: &Rule, namespace: &str) -> CompiledRule {
        let n = self.endpoints.len();
        let Some(peers) = &rule.peers else {
            return CompiledRule {
                endpoints: Bitset::full(n),
                all_peers: true,
                blocks: Vec::new(),
            };
        };
        let mut endpoints = Bitset::new(n);
        let mut blocks = Vec::new();
        for peer in peers {
            match peer {
                Peer::Pods {
                    namespaces: None,
                    pods,
                } => self.add_pods(&mut endpoints, namespace, pods),
                Peer::Pods {
                    namespaces: Some(ns_selector),
                    pods,
                } => {
                    for (ns, labels) in self.namespaces {
                        let pairs = labels.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                        if ns_selector.matches(pairs) {
                            self.add_pods(&mut endpoints, ns, pods);
                        }
                    }
                }
                Peer::Block(block) => {
                    for (i, e) in self.endpoints.iter().enumerate() {
                        if block_matches_endpoint(block, e) {
                            endpoints.insert(i);
                        }
                    }
                    blocks.push(block.clone());
                }
            }
        }
        CompiledRule {
            endpoints,
            all_peers: false,
            blocks,
        }
    }

    fn add_pods(&self, set: &mut Bitset, namespace: &str, pods: &LabelSelector) {
        for &i in self.by_namespace.get(namespace).into_iter().flatten() {
            let e = &self.endpoints[i];
            // Selectors match pods by their labels; a host-network pod is the node as far as the
            // network is concerned, so no selector matches it.
            if !e.host_network && pods.matches(e.label_pairs()) {
                set.insert(i);
            }
        }
    }
}

/// Ranges cluster pod networks are drawn from. A pod whose address is unknown (manifests carry
/// none) is taken to be somewhere in them.
fn pod_ranges() -> [Option<Cidr>; 5] {
    [
        Cidr::parse("10.0.0.0/8"),
        Cidr::parse("172.16.0.0/12"),
        Cidr::parse("192.168.0.0/16"),
        Cidr::parse("100.64.0.0/10"),
        Cidr::parse("fc00::/7"),
    ]
}

/// Whether an ipBlock matches an endpoint's address. With a known address (a Pod read from a
/// cluster) this is exact. Without one it is an approximation, stated in the docs: a block for every
/// address (`0.0.0.0/0`, `::/0`) matches unless an `except` takes a /16 (IPv6: a /64) or more out of
/// the private ranges pod networks use; any narrower block does not match.
pub(crate) fn block_matches_endpoint(block: &IpBlock, endpoint: &Endpoint) -> bool {
    match endpoint.ip {
        Some(ip) => block.allows_some(&ip),
        None => {
            block.cidr.is_everything()
                && !block.except.iter().any(|e| {
                    let large = e.prefix_len() <= if e.is_v6() { 64 } else { 16 };
                    large && pod_ranges().iter().flatten().any(|r| r.overlaps(e))
                })
        }
    }
}
