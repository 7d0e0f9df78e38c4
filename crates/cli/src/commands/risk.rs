//! The risk map as `scan` and `groups report` use it: built from the scan's inventory and findings,
//! with the configured asset groups as crown jewels.
//!
//! Reachability is `None` (a flat network) until the NetworkPolicy engine is wired into the graph;
//! it will be passed here the same way as in `kubeward paths`.

use kubeward_diagnostics::Finding;
use kubeward_graph::{CrownJewel, GraphInput, RiskGraph, RiskScore, risk_scores_with};
use kubeward_model::Inventory;
use kubeward_rules::groups::AssetGroup;

/// The map of `inventory`.
pub(crate) fn graph(inventory: &Inventory, findings: &[Finding]) -> RiskGraph {
    RiskGraph::build(&GraphInput {
        inventory,
        findings,
        reachability: None,
    })
}

/// The groups as crown jewels of `inventory`.
pub(crate) fn crown_jewels(groups: &[AssetGroup], inventory: &Inventory) -> Vec<CrownJewel> {
    groups
        .iter()
        .map(|g| CrownJewel::of(g, inventory))
        .collect()
}

/// Each finding's score, in the order of `findings`.
pub(crate) fn scores(
    inventory: &Inventory,
    findings: &[Finding],
    groups: &[AssetGroup],
) -> Vec<RiskScore> {
    let graph = graph(inventory, findings);
    let scores = risk_scores_with(&graph, findings, &crown_jewels(groups, inventory));
    // Freeing the map node by node costs more than the OS reclaiming it when the process ends.
    std::mem::forget(graph);
    scores
}
