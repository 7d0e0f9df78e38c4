//! Where `can-reach` and `can-reach-metadata` edges come from: the NetworkPolicy engine.
//!
//! [`Reachability::build`] compiles the inventory's NetworkPolicies once (`kubeward-netpol`) and
//! maps every workload of the map to its endpoint. The builder then asks in bulk, never about
//! every workload × Service pair: a direction that lets every pod through (no policy isolates it,
//! or a rule allows every pod on every port) is grouped behind one "pod network" hub node, and only
//! restricted endpoints have their few candidate peers checked with the engine's bit tests.
//!
//! Without a source the builder assumes a flat network (every pod reaches every Service and the
//! metadata endpoint unless a default-deny egress policy selects it) and every report says so
//! ([`FLAT_NETWORK_NOTE`]).

use std::collections::HashMap;

use kubeward_model::{Inventory, Object};
use kubeward_netpol::{Cidr, Direction, Engine, RuleRef, Target, Verdict};
use kubeward_source::Node;

use crate::model::Evidence;

/// Wording every output carries while the network is assumed flat.
pub const FLAT_NETWORK_NOTE: &str = "network edges (can-reach, can-reach-metadata) assume no NetworkPolicy enforcement: every pod reaches every Service and the metadata endpoint unless a default-deny egress policy selects it; this is an upper bound (the NetworkPolicy engine was not used)";

/// The cloud instance metadata address, as a range the engine can judge egress to.
const METADATA_ADDRESS: &str = "169.254.169.254/32";

/// Owner references followed from a pod to the workload that templates it (Pod → ReplicaSet →
/// Deployment; Pod → Job → CronJob).
const MAX_OWNER_HOPS: usize = 3;

/// NetworkPolicy reachability over one inventory, for the map builder.
pub struct Reachability {
    engine: Engine,
    /// `(kind, namespace, name)` → endpoint index.
    endpoints: HashMap<(String, String, String), usize>,
    /// Controller-owned pods and other objects without an endpoint of their own → their owner's.
    owners: HashMap<(String, String, String), usize>,
    metadata: Option<Cidr>,
}

impl Reachability {
    /// Compiles the inventory's NetworkPolicies and indexes the endpoints.
    pub fn build(inventory: &Inventory) -> Self {
        let engine = Engine::build(inventory);
        let endpoints: HashMap<(String, String, String), usize> = engine
            .endpoints()
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.kind.clone(), e.namespace.clone(), e.name.clone()), i))
            .collect();
        let mut owners = HashMap::new();
        for w in inventory.workloads() {
            let key = object_key(w.object);
            if endpoints.contains_key(&key) {
                continue;
            }
            if let Some(e) = owner_endpoint(inventory, w.object, &endpoints) {
                owners.insert(key, e);
            }
        }
        Reachability {
            engine,
            endpoints,
            owners,
            metadata: Cidr::parse(METADATA_ADDRESS),
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The endpoint whose pods are the workload's: its own, or its controller's.
    pub(crate) fn endpoint_of(&self, object: &Object) -> Option<usize> {
        let key = object_key(object);
        self.endpoints
            .get(&key)
            .or_else(|| self.owners.get(&key))
            .copied()
    }

    /// Whether one direction of an endpoint lets every pod through, with the evidence.
    pub(crate) fn open(&self, endpoint: usize, direction: Direction) -> Option<String> {
        let name = self.engine.endpoint_name(endpoint);
        let word = match direction {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        };
        match self.engine.open_to_every_pod(endpoint, direction)? {
            None => Some(format!(
                "no NetworkPolicy selects {name} for {word}: every pod is allowed"
            )),
            Some(rule) => Some(format!(
                "NetworkPolicy {} {} allows {word} of {name} to and from every pod on every port",
                rule.policy, rule.rule
            )),
        }
    }

    pub(crate) fn candidates(&self, endpoint: usize, direction: Direction) -> Vec<usize> {
        self.engine.candidate_peers(endpoint, direction)
    }

    pub(crate) fn allows(&self, from: usize, to: usize) -> bool {
        self.engine.allows(from, to, None)
    }

    /// Evidence of an allowed connection: the rules of both sides that allow it. The object is
    /// the first allowing policy, so a cut names the policy to tighten.
    pub(crate) fn explain(&self, from: usize, to: usize) -> Evidence {
        let v = self
            .engine
            .verdict(Target::Endpoint(from), Target::Endpoint(to), None);
        evidence_of(&v, &self.engine.endpoint_name(to))
    }

    /// Whether pods of the endpoint may connect to 169.254.169.254, with the evidence.
    pub(crate) fn metadata(&self, endpoint: usize) -> Option<Evidence> {
        // Not isolated: every address is allowed. (A rule open to every pod may still leave the
        // metadata address out with an ipBlock `except`, so that case asks the engine.)
        if matches!(
            self.engine.open_to_every_pod(endpoint, Direction::Egress),
            Some(None)
        ) {
            return Some(Evidence {
                text: format!(
                    "no NetworkPolicy selects {} for egress: every address is allowed",
                    self.engine.endpoint_name(endpoint)
                ),
                object: None,
                rule: None,
            });
        }
        let cidr = self.metadata?;
        let v = self
            .engine
            .verdict(Target::Endpoint(endpoint), Target::Cidr(cidr), None);
        v.allowed
            .then(|| evidence_of(&v, "the metadata endpoint 169.254.169.254"))
    }

    /// What the answers do not cover, for every report built with this source.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = vec![
            "network edges follow the NetworkPolicies (kubeward-netpol); a connection counts when some port is allowed by both the source's egress and the destination's ingress".to_owned(),
        ];
        let blocks = self.engine.policies().any(|p| {
            [Direction::Ingress, Direction::Egress].iter().any(|&d| {
                p.rules(d).unwrap_or_default().iter().any(|r| {
                    r.peers
                        .iter()
                        .flatten()
                        .any(|peer| matches!(peer, kubeward_netpol::Peer::Block(_)))
                })
            })
        });
        if blocks {
            notes.push("pod addresses are not in manifests: an ipBlock was taken to match a pod only when it covers every address and its excepts leave the private pod ranges (docs/netpol.md)".to_owned());
        }
        let cni = (0..self.engine.endpoints().len())
            .flat_map(|e| self.engine.cni_policies_of(e))
            .map(kubeward_netpol::CniPolicy::id)
            .collect::<std::collections::BTreeSet<_>>();
        if !cni.is_empty() {
            notes.push(format!(
                "{} Cilium/Calico policies select pods here but their rules are not evaluated: they may block edges the map shows",
                cni.len()
            ));
        }
        if !self.engine.warnings.is_empty() {
            notes.push(format!(
                "{} NetworkPolicies the API server would reject were left out",
                self.engine.warnings.len()
            ));
        }
        notes
    }
}

fn object_key(o: &Object) -> (String, String, String) {
    (
        o.kind().to_owned(),
        o.effective_namespace().unwrap_or("default").to_owned(),
        o.name().to_owned(),
    )
}

/// The endpoint of the controller chain above a controller-owned object, when it is in the input.
fn owner_endpoint(
    inventory: &Inventory,
    object: &Object,
    endpoints: &HashMap<(String, String, String), usize>,
) -> Option<usize> {
    let mut at = object;
    for _ in 0..MAX_OWNER_HOPS {
        let owner = at
            .metadata()
            .and_then(|m| m.get("ownerReferences"))
            .into_iter()
            .flat_map(Node::items)
            .find(|r| r.get("controller").and_then(Node::as_bool) == Some(true))?;
        let kind = owner.get("kind").and_then(Node::as_str)?;
        let name = owner.get("name").and_then(Node::as_str)?;
        let ns = at.effective_namespace().unwrap_or("default");
        let key = (kind.to_owned(), ns.to_owned(), name.to_owned());
        if let Some(&e) = endpoints.get(&key) {
            return Some(e);
        }
        at = inventory.get(kind, Some(ns), name)?;
    }
    None
}

/// "ingress ...; egress ... (ports ...)" from a verdict, naming the rules that allow each side.
fn evidence_of(v: &Verdict, to: &str) -> Evidence {
    let side = |rules: &[RuleRef], reason: &str, word: &str| -> String {
        if rules.is_empty() {
            return reason.to_owned();
        }
        let by = rules
            .iter()
            .map(|r| format!("NetworkPolicy {} {}", r.policy, r.rule))
            .collect::<Vec<_>>()
            .join(", ");
        format!("{word} allowed by {by}")
    };
    let text = format!(
        "{}; {} (to {to}, ports {})",
        side(&v.ingress.rules, &v.ingress.reason, "ingress"),
        side(&v.egress.rules, &v.egress.reason, "egress"),
        v.ports.join(", ")
    );
    let object = v
        .ingress
        .rules
        .first()
        .or(v.egress.rules.first())
        .map(|r| format!("NetworkPolicy/{}", r.policy));
    Evidence {
        text,
        object,
        rule: None,
    }
}
