//! Risk score per finding: severity × exposure × blast radius.
//!
//! | factor | values |
//! |---|---|
//! | severity | info 1, low 2, medium 4, high 7, critical 10 |
//! | exposure of the finding's object | reachable from the internet 3; from another pod (through a `can-reach` or `can-reach-metadata` edge) 2; neither 1 |
//! | blast radius of the finding's object | 1 + 2 if it leads to cluster-admin + 1 if it leads to a node + 1 if it leads to a Secret, without crossing `can-reach` edges (moving to another pod needs another weakness) |
//!
//! The score is the product (1 to 150). "Leads to" and "reachable" follow the map's edges, so with a
//! flat network (no NetworkPolicy engine given) exposure from pods is an upper bound. A finding whose
//! object has no node in the map (a Namespace, a quota) gets exposure 1 and blast radius 1.

use std::collections::VecDeque;

use kubeward_diagnostics::{Finding, Severity};
use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::RiskGraph;
use crate::model::{EdgeKind, NodeKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exposure {
    None,
    AnyPod,
    Internet,
}

impl Exposure {
    pub fn factor(self) -> u32 {
        match self {
            Exposure::None => 1,
            Exposure::AnyPod => 2,
            Exposure::Internet => 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct BlastRadius {
    pub cluster_admin: bool,
    pub nodes: bool,
    pub secrets: bool,
}

impl BlastRadius {
    pub fn factor(self) -> u32 {
        1 + 2 * u32::from(self.cluster_admin) + u32::from(self.nodes) + u32::from(self.secrets)
    }
}

/// A finding's score with its factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RiskScore {
    pub score: u32,
    pub severity: u32,
    pub exposure: Exposure,
    pub exposure_factor: u32,
    pub blast_radius: BlastRadius,
    pub blast_factor: u32,
}

pub fn severity_factor(s: Severity) -> u32 {
    match s {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 4,
        Severity::High => 7,
        Severity::Critical => 10,
    }
}

/// Per-node reachability facts, computed once (five linear passes) and shared by every finding.
pub struct RiskContext<'g> {
    graph: &'g RiskGraph,
    internet: Vec<bool>,
    any_pod: Vec<bool>,
    admin: Vec<bool>,
    nodes: Vec<bool>,
    secrets: Vec<bool>,
}

impl<'g> RiskContext<'g> {
    pub fn new(graph: &'g RiskGraph) -> Self {
        let g = &graph.graph;
        let pick = |f: &dyn Fn(&NodeKind) -> bool| -> Vec<NodeIndex> {
            g.node_indices().filter(|&n| f(&g[n].kind)).collect()
        };
        let internet = reach(
            graph,
            &pick(&|k| *k == NodeKind::Internet),
            Direction::Outgoing,
        );
        // Reachable from any pod: what the pods' network edges lead to, and onwards.
        let mut seeds = Vec::new();
        for e in g.edge_indices() {
            if let (Some(w), Some((_, to))) = (g.edge_weight(e), g.edge_endpoints(e))
                && matches!(w.kind, EdgeKind::CanReach | EdgeKind::CanReachMetadata)
            {
                seeds.push(to);
            }
        }
        let any_pod = reach_only(graph, &seeds);
        RiskContext {
            graph,
            internet,
            any_pod,
            admin: reach(
                graph,
                &pick(&|k| *k == NodeKind::ClusterAdmin),
                Direction::Incoming,
            ),
            nodes: reach(
                graph,
                &pick(&|k| matches!(k, NodeKind::Node { .. })),
                Direction::Incoming,
            ),
            secrets: reach(
                graph,
                &pick(&|k| matches!(k, NodeKind::Secret { .. })),
                Direction::Incoming,
            ),
        }
    }

    /// The score of one finding.
    pub fn score(&self, finding: &Finding) -> RiskScore {
        let nodes: &[NodeIndex] = finding.object.as_ref().map_or(&[], |o| {
            self.graph
                .nodes_of_object(&o.kind, o.namespace.as_deref(), &o.name)
        });
        let any = |v: &Vec<bool>| nodes.iter().any(|n| v[n.index()]);
        let exposure = if any(&self.internet) {
            Exposure::Internet
        } else if any(&self.any_pod) {
            Exposure::AnyPod
        } else {
            Exposure::None
        };
        let blast_radius = BlastRadius {
            cluster_admin: any(&self.admin),
            nodes: any(&self.nodes),
            secrets: any(&self.secrets),
        };
        let severity = severity_factor(finding.severity);
        RiskScore {
            score: severity * exposure.factor() * blast_radius.factor(),
            severity,
            exposure,
            exposure_factor: exposure.factor(),
            blast_radius,
            blast_factor: blast_radius.factor(),
        }
    }
}

/// Scores of `findings`, in their order.
pub fn risk_scores(graph: &RiskGraph, findings: &[Finding]) -> Vec<RiskScore> {
    let ctx = RiskContext::new(graph);
    findings.iter().map(|f| ctx.score(f)).collect()
}

/// Nodes reachable from (Outgoing) or reaching (Incoming) `seeds`, seeds included.
fn reach(graph: &RiskGraph, seeds: &[NodeIndex], dir: Direction) -> Vec<bool> {
    let mut seen = vec![false; graph.graph.node_count()];
    let mut queue: VecDeque<NodeIndex> = VecDeque::new();
    for &s in seeds {
        if !seen[s.index()] {
            seen[s.index()] = true;
            queue.push_back(s);
        }
    }
    while let Some(v) = queue.pop_front() {
        for e in graph.graph.edges_directed(v, dir) {
            // Blast radius stops at the network: reaching another pod is not owning it.
            if dir == Direction::Incoming && e.weight().kind == EdgeKind::CanReach {
                continue;
            }
            let w = if dir == Direction::Outgoing {
                e.target()
            } else {
                e.source()
            };
            if !seen[w.index()] {
                seen[w.index()] = true;
                queue.push_back(w);
            }
        }
    }
    seen
}

fn reach_only(graph: &RiskGraph, seeds: &[NodeIndex]) -> Vec<bool> {
    reach(graph, seeds, Direction::Outgoing)
}
