//! Risk score per finding: severity × exposure × blast radius.
//!
//! | factor | values |
//! |---|---|
//! | severity | info 1, low 2, medium 4, high 7, critical 10 |
//! | exposure of the finding's object | reachable from the internet 3; from another pod (through a `can-reach` or `can-reach-metadata` edge) 2; neither 1 |
//! | blast radius of the finding's object | 1 + 2 if it leads to cluster-admin + 1 if it leads to a node + 1 if it leads to a Secret + the weight of the most critical crown jewel (configured asset group) it leads to (low 0, medium 1, high 2, critical 3), at most 5; "leads to" does not cross `can-reach` edges (moving to another pod needs another weakness) |
//!
//! The blast radius is capped at 5 because cluster-admin with root on nodes and every Secret
//! already owns every crown jewel; the cap keeps scores comparable with and without groups. The
//! score is the product (1 to 150). "Leads to" and "reachable" follow the map's edges, so with a
//! flat network (no NetworkPolicy engine given) exposure from pods is an upper bound. A finding whose
//! object has no node in the map (a Namespace, a quota) gets exposure 1 and blast radius 1.

use std::collections::VecDeque;

use kubeward_diagnostics::{Finding, Severity};
use petgraph::Direction;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::RiskGraph;
use crate::groups::CrownJewel;
use crate::model::{EdgeKind, NodeKind};

/// The largest blast-radius factor, and so the largest score is 10 × 3 × 5.
pub const MAX_BLAST: u32 = 5;
/// The largest score.
pub const MAX_SCORE: u32 = 150;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exposure {
    None,
    AnyPod,
    Internet,
}

impl Exposure {
    /// How reports say it.
    pub fn words(self) -> &'static str {
        match self {
            Exposure::None => "not exposed",
            Exposure::AnyPod => "reachable from pods",
            Exposure::Internet => "internet-exposed",
        }
    }

    pub fn factor(self) -> u32 {
        match self {
            Exposure::None => 1,
            Exposure::AnyPod => 2,
            Exposure::Internet => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct BlastRadius {
    pub cluster_admin: bool,
    pub nodes: bool,
    pub secrets: bool,
    /// The most critical crown jewel (configured asset group) the object leads to.
    pub crown_jewel: Option<JewelReached>,
}

/// A crown jewel a finding's object leads to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JewelReached {
    pub name: String,
    pub criticality: kubeward_rules::groups::Criticality,
}

impl BlastRadius {
    pub fn factor(&self) -> u32 {
        let jewel = self
            .crown_jewel
            .as_ref()
            .map_or(0, |j| crate::groups::criticality_weight(j.criticality));
        (1 + 2 * u32::from(self.cluster_admin)
            + u32::from(self.nodes)
            + u32::from(self.secrets)
            + jewel)
            .min(MAX_BLAST)
    }

    /// "leads to cluster-admin, nodes, Secrets, group payments (critical)", or "contained".
    pub fn words(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        if self.cluster_admin {
            parts.push("cluster-admin".into());
        }
        if self.nodes {
            parts.push("nodes".into());
        }
        if self.secrets {
            parts.push("Secrets".into());
        }
        if let Some(j) = &self.crown_jewel {
            parts.push(format!("group {} ({})", j.name, j.criticality));
        }
        if parts.is_empty() {
            "contained".into()
        } else {
            format!("leads to {}", parts.join(", "))
        }
    }
}

/// A finding's score with its factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskScore {
    pub score: u32,
    pub severity: u32,
    pub exposure: Exposure,
    pub exposure_factor: u32,
    pub blast_radius: BlastRadius,
    pub blast_factor: u32,
}

impl RiskScore {
    /// The factors in words: "high × internet-exposed × leads to cluster-admin, Secrets".
    pub fn words(&self, severity: Severity) -> String {
        format!(
            "{} × {} × {}",
            severity.as_str(),
            self.exposure.words(),
            self.blast_radius.words()
        )
    }

    /// SARIF `rank`: the score scaled from 1–150 to 0–100, one decimal.
    pub fn rank(&self) -> f64 {
        let scaled = f64::from(self.score.saturating_sub(1)) * 100.0 / f64::from(MAX_SCORE - 1);
        (scaled.clamp(0.0, 100.0) * 10.0).round() / 10.0
    }
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
    /// Per node, the index in `jewels` of the most critical crown jewel it leads to.
    jewel: Vec<Option<usize>>,
    jewels: Vec<JewelReached>,
}

impl<'g> RiskContext<'g> {
    pub fn new(graph: &'g RiskGraph) -> Self {
        Self::with_crown_jewels(graph, &[])
    }

    /// As [`RiskContext::new`], with the blast radius weighted by the crown jewels each node leads to
    /// (one more reverse pass per group).
    pub fn with_crown_jewels(graph: &'g RiskGraph, crown_jewels: &[CrownJewel]) -> Self {
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
        // Most critical first, so the first group to mark a node is the one it reports.
        let mut order: Vec<&CrownJewel> = crown_jewels.iter().collect();
        order.sort_by(|a, b| b.criticality.cmp(&a.criticality).then(a.name.cmp(&b.name)));
        let mut jewel = vec![None; g.node_count()];
        let mut jewels = Vec::new();
        for cj in order {
            let reached = reach(
                graph,
                &graph.nodes_of_objects(&cj.objects),
                Direction::Incoming,
            );
            for (slot, hit) in jewel.iter_mut().zip(reached) {
                if hit && slot.is_none() {
                    *slot = Some(jewels.len());
                }
            }
            jewels.push(JewelReached {
                name: cj.name.clone(),
                criticality: cj.criticality,
            });
        }
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
            jewel,
            jewels,
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
        let crown_jewel = nodes
            .iter()
            .filter_map(|n| self.jewel[n.index()])
            .min()
            .and_then(|i| self.jewels.get(i).cloned());
        let blast_radius = BlastRadius {
            cluster_admin: any(&self.admin),
            nodes: any(&self.nodes),
            secrets: any(&self.secrets),
            crown_jewel,
        };
        let severity = severity_factor(finding.severity);
        let blast_factor = blast_radius.factor();
        RiskScore {
            score: severity * exposure.factor() * blast_factor,
            severity,
            exposure,
            exposure_factor: exposure.factor(),
            blast_radius,
            blast_factor,
        }
    }
}

/// Scores of `findings`, in their order.
pub fn risk_scores(graph: &RiskGraph, findings: &[Finding]) -> Vec<RiskScore> {
    risk_scores_with(graph, findings, &[])
}

/// Scores of `findings`, in their order, with the blast radius weighted by `crown_jewels`.
pub fn risk_scores_with(
    graph: &RiskGraph,
    findings: &[Finding],
    crown_jewels: &[CrownJewel],
) -> Vec<RiskScore> {
    let ctx = RiskContext::with_crown_jewels(graph, crown_jewels);
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
