//! Attack paths: the k cheapest simple paths from entry points to targets, and the fixes that cut
//! the most of them.
//!
//! One reverse Dijkstra from all targets gives every node its exact remaining cost; a best-first
//! search over partial paths ordered by cost-so-far plus that remaining cost then completes paths
//! in order of total cost (the remaining cost is a lower bound once paths must stay simple, so the
//! order is exact). Paths stop at the first target they reach. The search is bounded by
//! [`MAX_EXPANSIONS`]; when the bound is hit the result says so.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;

use petgraph::Direction;
use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::RiskGraph;
use crate::model::{EdgeKind, Evidence, NodeKind};

/// Partial paths the search may pop before it gives up.
pub const MAX_EXPANSIONS: usize = 1_000_000;

/// Where the attacker starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Entry {
    Internet,
    /// Code execution in any one pod.
    AnyPod,
    /// Code execution in the pods of one workload, `namespace/name` (any pod-bearing kind).
    Workload {
        namespace: String,
        name: String,
    },
}

/// What the attacker wants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    ClusterAdmin,
    Secrets,
    Nodes,
    Metadata,
    /// Any node of the object `namespace/name` (a Secret, a workload, a service account, ...).
    Object {
        namespace: String,
        name: String,
    },
    /// Any object of a configured asset group (`group:NAME`); the caller fills in `members` from
    /// the group's [`CrownJewel`](crate::CrownJewel) before searching.
    Group {
        name: String,
        #[serde(skip)]
        members: std::collections::BTreeSet<crate::groups::ObjectKey>,
    },
}

/// A value that names no entry or target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEndpoint(pub String);

impl fmt::Display for UnknownEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for UnknownEndpoint {}

/// `namespace/name`, both non-empty.
fn namespaced(s: &str) -> Option<(String, String)> {
    let (ns, name) = s.split_once('/')?;
    (!ns.is_empty() && !name.is_empty() && !name.contains('/')).then(|| (ns.into(), name.into()))
}

impl std::str::FromStr for Entry {
    type Err = UnknownEndpoint;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "internet" => Ok(Entry::Internet),
            "any-pod" => Ok(Entry::AnyPod),
            _ => match namespaced(s) {
                Some((namespace, name)) => Ok(Entry::Workload { namespace, name }),
                None => Err(UnknownEndpoint(format!(
                    "unknown entry point `{s}`: expected internet, any-pod or NAMESPACE/WORKLOAD"
                ))),
            },
        }
    }
}

impl std::str::FromStr for Target {
    type Err = UnknownEndpoint;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cluster-admin" => Ok(Target::ClusterAdmin),
            "secrets" => Ok(Target::Secrets),
            "nodes" => Ok(Target::Nodes),
            "metadata" => Ok(Target::Metadata),
            _ => match (namespaced(s), s.strip_prefix("group:")) {
                (_, Some(name)) if !name.is_empty() => Ok(Target::Group {
                    name: name.to_owned(),
                    members: Default::default(),
                }),
                (Some((namespace, name)), None) => Ok(Target::Object { namespace, name }),
                _ => Err(UnknownEndpoint(format!(
                    "unknown target `{s}`: expected cluster-admin, secrets, nodes, metadata, group:NAME or NAMESPACE/NAME"
                ))),
            },
        }
    }
}

/// One step of a path, in words, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathStep {
    pub from: NodeKind,
    pub edge: EdgeKind,
    pub to: NodeKind,
    pub evidence: Evidence,
    /// Rule IDs of findings on the step's target (a vulnerable exposed pod, a risky binding).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub target_findings: Vec<&'static str>,
    #[serde(skip)]
    pub index: Option<EdgeIndex>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttackPath {
    /// Sum of edge costs ([`EdgeKind::cost`]).
    pub cost: u32,
    pub start: NodeKind,
    pub steps: Vec<PathStep>,
}

/// One fix and the paths it would cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cut {
    pub edge: EdgeKind,
    pub from: NodeKind,
    pub to: NodeKind,
    pub evidence: Evidence,
    /// How many of the paths found use this edge.
    pub paths_cut: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathReport {
    pub from: Entry,
    pub to: Target,
    pub paths: Vec<AttackPath>,
    /// Single edges whose removal cuts the most of `paths`, most first; only fixable kinds.
    pub cuts: Vec<Cut>,
    /// The search stopped at [`MAX_EXPANSIONS`]: more or cheaper-ranked paths may exist.
    pub truncated: bool,
    /// Caveats, such as the flat-network assumption.
    pub notes: Vec<String>,
}

/// Error when an entry or target names nothing in the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotInGraph(pub String);

impl fmt::Display for NotInGraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotInGraph {}

impl RiskGraph {
    fn entry_nodes(&self, entry: &Entry) -> Result<Vec<NodeIndex>, NotInGraph> {
        let nodes: Vec<NodeIndex> = match entry {
            Entry::Internet => self.node(&NodeKind::Internet).into_iter().collect(),
            Entry::AnyPod => self
                .graph
                .node_indices()
                .filter(|&n| matches!(self.graph[n].kind, NodeKind::Workload { .. }))
                .collect(),
            Entry::Workload { namespace, name } => self
                .graph
                .node_indices()
                .filter(|&n| {
                    matches!(&self.graph[n].kind, NodeKind::Workload { namespace: ns, name: nm, .. } if ns == namespace && nm == name)
                })
                .collect(),
        };
        if let (Entry::Workload { namespace, name }, true) = (entry, nodes.is_empty()) {
            return Err(NotInGraph(format!(
                "no workload {namespace}/{name} in the input"
            )));
        }
        Ok(nodes)
    }

    fn is_target(&self, n: NodeIndex, target: &Target) -> bool {
        let kind = &self.graph[n].kind;
        match target {
            Target::ClusterAdmin => *kind == NodeKind::ClusterAdmin,
            Target::Secrets => matches!(kind, NodeKind::Secret { .. }),
            Target::Nodes => matches!(kind, NodeKind::Node { .. }),
            Target::Metadata => *kind == NodeKind::MetadataEndpoint,
            Target::Object { namespace, name } => {
                kind.namespaced_name() == Some((namespace.as_str(), name.as_str()))
            }
            Target::Group { members, .. } => {
                kind.object_key().is_some_and(|k| members.contains(&k))
            }
        }
    }

    /// The `k` cheapest simple paths from `entry` to `target`, and the cuts.
    pub fn attack_paths(
        &self,
        entry: &Entry,
        target: &Target,
        k: usize,
    ) -> Result<PathReport, NotInGraph> {
        let sources = self.entry_nodes(entry)?;
        let targets: Vec<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&n| self.is_target(n, target))
            .collect();
        if let (Target::Object { namespace, name }, true) = (target, targets.is_empty()) {
            return Err(NotInGraph(format!(
                "no object {namespace}/{name} in the map"
            )));
        }
        if let (Target::Group { name, .. }, true) = (target, targets.is_empty()) {
            return Err(NotInGraph(format!(
                "no object of group {name} is in the map (groups are reached through workloads, service accounts, Secrets, ConfigMaps, Services, routes and nodes)"
            )));
        }
        // An attacker already in the target has no path to take: entry points that are targets
        // themselves (`--from any-pod --to NS/WORKLOAD`) would be zero-step paths.
        let entries = sources.len();
        let sources: Vec<NodeIndex> = sources
            .into_iter()
            .filter(|&n| !self.is_target(n, target))
            .collect();
        let (found, truncated) = self.k_cheapest(&sources, &targets, k);
        let paths: Vec<AttackPath> = found.iter().map(|p| self.describe(p)).collect();
        let cuts = self.cuts(&found);
        let mut notes = Vec::new();
        if self.flat_network {
            notes.push(crate::reach::FLAT_NETWORK_NOTE.to_owned());
        }
        notes.extend(self.network_notes.iter().cloned());
        if sources.len() < entries {
            notes.push(format!(
                "{} entry point(s) are targets themselves and start no path",
                entries - sources.len()
            ));
        }
        if truncated {
            notes.push(format!(
                "the search stopped after {MAX_EXPANSIONS} partial paths; fewer than {k} paths were found"
            ));
        }
        Ok(PathReport {
            from: entry.clone(),
            to: target.clone(),
            paths,
            cuts,
            truncated,
            notes,
        })
    }

    /// Remaining cost from every node to the nearest target (reverse Dijkstra).
    fn remaining(&self, targets: &[NodeIndex]) -> Vec<u32> {
        let mut dist = vec![u32::MAX; self.graph.node_count()];
        let mut heap = BinaryHeap::new();
        for &t in targets {
            dist[t.index()] = 0;
            heap.push(Reverse((0u32, t.index())));
        }
        while let Some(Reverse((d, v))) = heap.pop() {
            if d > dist[v] {
                continue;
            }
            for e in self
                .graph
                .edges_directed(NodeIndex::new(v), Direction::Incoming)
            {
                let u = e.source().index();
                let nd = d + e.weight().kind.cost();
                if nd < dist[u] {
                    dist[u] = nd;
                    heap.push(Reverse((nd, u)));
                }
            }
        }
        dist
    }

    /// Best-first enumeration of simple paths; returns edge lists with their start node.
    fn k_cheapest(
        &self,
        sources: &[NodeIndex],
        targets: &[NodeIndex],
        k: usize,
    ) -> (Vec<Found>, bool) {
        let h = self.remaining(targets);
        let is_target = {
            let mut t = vec![false; self.graph.node_count()];
            for &n in targets {
                t[n.index()] = true;
            }
            t
        };
        // Partial paths as a tree: (node, edge into it, parent slot, cost so far, length).
        let mut tree: Vec<(NodeIndex, Option<EdgeIndex>, usize, u32, u32)> = Vec::new();
        let mut heap: BinaryHeap<Reverse<(u32, u32, usize)>> = BinaryHeap::new();
        for &s in sources {
            if h[s.index()] != u32::MAX {
                tree.push((s, None, usize::MAX, 0, 0));
                heap.push(Reverse((h[s.index()], 0, tree.len() - 1)));
            }
        }
        let mut out = Vec::new();
        let mut expansions = 0usize;
        while let Some(Reverse((_, _, slot))) = heap.pop() {
            if out.len() >= k {
                return (out, false);
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS {
                return (out, true);
            }
            let (v, _, _, g, len) = tree[slot];
            if is_target[v.index()] {
                out.push(unwind(&tree, slot));
                continue;
            }
            for e in self.graph.edges_directed(v, Direction::Outgoing) {
                let w = e.target();
                if h[w.index()] == u32::MAX || on_path(&tree, slot, w) {
                    continue;
                }
                let ng = g + e.weight().kind.cost();
                tree.push((w, Some(e.id()), slot, ng, len + 1));
                heap.push(Reverse((ng + h[w.index()], len + 1, tree.len() - 1)));
            }
        }
        (out, false)
    }

    fn describe(&self, found: &Found) -> AttackPath {
        let steps = found
            .edges
            .iter()
            .filter_map(|&e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                let edge = self.graph.edge_weight(e)?;
                Some(PathStep {
                    from: self.graph[a].kind.clone(),
                    edge: edge.kind,
                    to: self.graph[b].kind.clone(),
                    evidence: edge.evidence.clone(),
                    target_findings: self.graph[b].findings.iter().map(|f| f.rule_id).collect(),
                    index: Some(e),
                })
            })
            .collect();
        AttackPath {
            cost: found.cost,
            start: self.graph[found.start].kind.clone(),
            steps,
        }
    }

    /// Fixable edges by how many of `paths` they appear in, most first (at most 10).
    fn cuts(&self, paths: &[Found]) -> Vec<Cut> {
        let mut count: HashMap<EdgeIndex, usize> = HashMap::new();
        for p in paths {
            for &e in &p.edges {
                *count.entry(e).or_default() += 1;
            }
        }
        let mut ranked: Vec<(EdgeIndex, usize)> = count
            .into_iter()
            .filter(|(e, _)| {
                self.graph
                    .edge_weight(*e)
                    .is_some_and(|w| w.kind.is_fixable())
            })
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(10)
            .filter_map(|(e, n)| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                let w = self.graph.edge_weight(e)?;
                Some(Cut {
                    edge: w.kind,
                    from: self.graph[a].kind.clone(),
                    to: self.graph[b].kind.clone(),
                    evidence: w.evidence.clone(),
                    paths_cut: n,
                })
            })
            .collect()
    }
}

/// A path as found: start node, edges, cost.
pub(crate) struct Found {
    start: NodeIndex,
    edges: Vec<EdgeIndex>,
    cost: u32,
}

fn on_path(
    tree: &[(NodeIndex, Option<EdgeIndex>, usize, u32, u32)],
    mut slot: usize,
    n: NodeIndex,
) -> bool {
    while slot != usize::MAX {
        if tree[slot].0 == n {
            return true;
        }
        slot = tree[slot].2;
    }
    false
}

fn unwind(tree: &[(NodeIndex, Option<EdgeIndex>, usize, u32, u32)], slot: usize) -> Found {
    let cost = tree[slot].3;
    let mut edges = Vec::new();
    let mut at = slot;
    let mut start = tree[slot].0;
    while at != usize::MAX {
        let (n, e, parent, _, _) = tree[at];
        if let Some(e) = e {
            edges.push(e);
        }
        start = n;
        at = parent;
    }
    edges.reverse();
    Found { start, edges, cost }
}
