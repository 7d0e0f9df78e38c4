//! Building the map from an inventory, the scan's findings and the RBAC engine.

mod exposure;
mod pods;
mod rbac;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use kubeward_diagnostics::Finding;
use kubeward_model::Inventory;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};

use crate::model::{Edge, EdgeKind, Evidence, GraphNode, NodeFinding, NodeKind};
use crate::reach::Reachability;

/// `(kind, namespace, name)` as findings name objects.
pub(crate) type ObjectKey = (String, Option<String>, String);

/// The risk map: typed nodes and edges, each edge with its evidence.
#[derive(Debug, Clone)]
pub struct RiskGraph {
    pub graph: DiGraph<GraphNode, Edge>,
    index: HashMap<NodeKind, NodeIndex>,
    /// Nodes standing for (or created by) an object: its own node, or the grants of a binding.
    by_object: HashMap<ObjectKey, Vec<NodeIndex>>,
    /// No reachability engine was given: `can-reach` edges assume every pod reaches every Service.
    pub flat_network: bool,
    /// What the network edges do not cover (the reachability source's approximations).
    pub network_notes: Vec<String>,
    /// How long each part of [`RiskGraph::build`] took, for `--verbose` output and benchmarks.
    pub phases: Vec<(&'static str, Duration)>,
}

/// What the builder reads.
pub struct GraphInput<'a> {
    pub inventory: &'a Inventory,
    /// The scan's findings; suppressed ones are ignored.
    pub findings: &'a [Finding],
    /// Which pods may connect to which ([`Reachability::build`] once per inventory); `None` assumes
    /// a flat network (no NetworkPolicy enforced).
    pub reachability: Option<&'a Reachability>,
}

impl RiskGraph {
    /// Builds the map. Cost is linear in objects plus edges: grants point at one node per
    /// namespace (or one for every namespace) standing for what they reach, and groups at one node
    /// per group, never at each object or member.
    pub fn build(input: &GraphInput<'_>) -> RiskGraph {
        let mut phases: Vec<(&'static str, Duration)> = Vec::new();
        let mut last = Instant::now();
        let mut mark = |name: &'static str| {
            let now = Instant::now();
            phases.push((name, now.saturating_duration_since(last)));
            last = now;
        };
        // The RBAC engine's answers (who can read Secrets, exec, create pods; escalation paths)
        // depend on the inventory alone: they are worked out on a thread of their own while this
        // one adds the workload and network edges.
        let (mut b, pods, answers, rbac_engine) = std::thread::scope(|scope| {
            let rbac = scope.spawn(|| {
                let at = Instant::now();
                let answers = rbac::Answers::compute(input.inventory);
                (answers, at.elapsed())
            });
            let mut b = Builder::new(input.findings, input.reachability);
            let pods = pods::add(&mut b, input.inventory, input.reachability);
            mark("workloads");
            exposure::add(&mut b, input.inventory, &pods);
            mark("services and network");
            // A panic in the RBAC engine is a bug; it carries on as one here.
            let (answers, engine) = rbac.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            mark("waiting for the RBAC engine");
            (b, pods, answers, engine)
        });
        rbac::add(&mut b, &answers, &pods, &mut mark);
        phases.push(("RBAC engine (beside workloads and network)", rbac_engine));
        b.graph.phases = phases;
        b.graph
    }

    pub fn node(&self, kind: &NodeKind) -> Option<NodeIndex> {
        self.index.get(kind).copied()
    }

    /// Nodes of the object `kind/namespace/name` (the object's own node first).
    pub fn nodes_of_object(&self, kind: &str, namespace: Option<&str>, name: &str) -> &[NodeIndex] {
        self.by_object
            .get(&(
                kind.to_owned(),
                namespace.map(str::to_owned),
                name.to_owned(),
            ))
            .map_or(&[], Vec::as_slice)
    }

    pub fn edge(&self, e: EdgeIndex) -> Option<&Edge> {
        self.graph.edge_weight(e)
    }

    pub fn kind(&self, n: NodeIndex) -> Option<&NodeKind> {
        self.graph.node_weight(n).map(|n| &n.kind)
    }

    /// Counts of edges per kind, in [`EdgeKind::ALL`] order, for summaries.
    pub fn edge_counts(&self) -> Vec<(EdgeKind, usize)> {
        let mut counts: HashMap<EdgeKind, usize> = HashMap::new();
        for e in self.graph.edge_weights() {
            *counts.entry(e.kind).or_default() += 1;
        }
        EdgeKind::ALL
            .iter()
            .map(|k| (*k, counts.get(k).copied().unwrap_or(0)))
            .collect()
    }
}

pub(crate) struct Builder<'f> {
    pub(crate) graph: RiskGraph,
    findings: HashMap<ObjectKey, Vec<&'f Finding>>,
    /// Edges already added, so repeated facts (two containers, two grants) make one edge.
    seen: HashMap<(NodeIndex, NodeIndex, EdgeKind), EdgeIndex>,
    pub(crate) reachability: Option<&'f Reachability>,
}

impl<'f> Builder<'f> {
    fn new(findings: &'f [Finding], reachability: Option<&'f Reachability>) -> Self {
        let mut by_object: HashMap<ObjectKey, Vec<&Finding>> = HashMap::new();
        for f in findings.iter().filter(|f| !f.is_suppressed()) {
            if let Some(o) = &f.object {
                by_object
                    .entry((o.kind.clone(), o.namespace.clone(), o.name.clone()))
                    .or_default()
                    .push(f);
            }
        }
        Builder {
            graph: RiskGraph {
                graph: DiGraph::new(),
                index: HashMap::new(),
                by_object: HashMap::new(),
                flat_network: reachability.is_none(),
                network_notes: reachability.map(Reachability::notes).unwrap_or_default(),
                phases: Vec::new(),
            },
            findings: by_object,
            seen: HashMap::new(),
            reachability,
        }
    }

    /// The node of `kind`, created on first use with the findings of its object.
    pub(crate) fn node(&mut self, kind: NodeKind) -> NodeIndex {
        if let Some(&n) = self.graph.index.get(&kind) {
            return n;
        }
        let key = kind.object_key();
        let findings = key
            .as_ref()
            .and_then(|k| self.findings.get(k))
            .map(|fs| {
                fs.iter()
                    .map(|f| NodeFinding {
                        rule_id: f.rule_id,
                        severity: f.severity,
                        message: f.message.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let n = self.graph.graph.add_node(GraphNode {
            kind: kind.clone(),
            findings,
        });
        self.graph.index.insert(kind, n);
        if let Some(key) = key {
            self.graph.by_object.entry(key).or_default().push(n);
        }
        n
    }

    pub(crate) fn existing(&self, kind: &NodeKind) -> Option<NodeIndex> {
        self.graph.index.get(kind).copied()
    }

    /// Records that `n` also stands for an object (a grant for its binding and role).
    pub(crate) fn link_object(&mut self, key: ObjectKey, n: NodeIndex) {
        let nodes = self.graph.by_object.entry(key).or_default();
        if !nodes.contains(&n) {
            nodes.push(n);
        }
    }

    /// Whether an edge of this kind already joins the two nodes (callers skip building its
    /// evidence: the same grant is seen once per namespace and capability).
    pub(crate) fn has_edge(&self, from: NodeIndex, to: NodeIndex, kind: EdgeKind) -> bool {
        self.seen.contains_key(&(from, to, kind))
    }

    /// Adds an edge unless one of the same kind already joins the two nodes.
    pub(crate) fn edge(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        kind: EdgeKind,
        evidence: Evidence,
    ) {
        if from == to || self.seen.contains_key(&(from, to, kind)) {
            return;
        }
        let e = self.graph.graph.add_edge(from, to, Edge { kind, evidence });
        self.seen.insert((from, to, kind), e);
    }

    /// The first unsuppressed finding on `object` whose rule is one of `rules`.
    pub(crate) fn finding(&self, object: &ObjectKey, rules: &[&str]) -> Option<&'static str> {
        self.findings
            .get(object)?
            .iter()
            .find(|f| rules.contains(&f.rule_id))
            .map(|f| f.rule_id)
    }
}

/// `Kind/namespace/name` or `Kind/name`.
pub(crate) fn object_label(key: &ObjectKey) -> String {
    match &key.1 {
        Some(ns) => format!("{}/{}/{}", key.0, ns, key.2),
        None => format!("{}/{}", key.0, key.2),
    }
}

pub(crate) fn evidence(text: String, object: &ObjectKey, rule: Option<&'static str>) -> Evidence {
    Evidence {
        text,
        object: Some(object_label(object)),
        rule,
    }
}
