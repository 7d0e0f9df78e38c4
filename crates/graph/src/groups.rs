//! Crown jewels: the configured asset groups (`groups:` in `.kubeward.yaml`) as sets of map nodes.
//!
//! A group is resolved against the inventory once ([`CrownJewel::of`]); its objects then name the
//! map nodes that stand for them. Only an object's own node counts: the grant nodes of a
//! RoleBinding in the group's namespace are capabilities of their holders, not part of the group.

use std::collections::BTreeSet;

use kubeward_model::{Inventory, Object};
use kubeward_rules::groups::{AssetGroup, Criticality};
use petgraph::graph::NodeIndex;
use serde::Serialize;

use crate::RiskGraph;

/// `(kind, namespace, name)`, as the map keys objects (namespace `default` when none is written).
pub type ObjectKey = (String, Option<String>, String);

/// A group of business-critical objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrownJewel {
    pub name: String,
    pub criticality: Criticality,
    #[serde(skip)]
    pub objects: BTreeSet<ObjectKey>,
}

/// The key of an object as the map's nodes name it.
pub fn object_key(object: &Object) -> ObjectKey {
    (
        object.kind().to_owned(),
        object.effective_namespace().map(str::to_owned),
        object.name().to_owned(),
    )
}

impl CrownJewel {
    /// The group's members in `inventory`.
    pub fn of(group: &AssetGroup, inventory: &Inventory) -> Self {
        CrownJewel {
            name: group.name.clone(),
            criticality: group.criticality,
            objects: group
                .members(inventory)
                .into_iter()
                .map(object_key)
                .collect(),
        }
    }

    /// Added to the blast-radius factor of findings whose object leads here.
    pub fn weight(&self) -> u32 {
        criticality_weight(self.criticality)
    }
}

/// low 0, medium 1, high 2, critical 3: a low group is tracked and reported, not weighted.
pub fn criticality_weight(c: Criticality) -> u32 {
    match c {
        Criticality::Low => 0,
        Criticality::Medium => 1,
        Criticality::High => 2,
        Criticality::Critical => 3,
    }
}

impl RiskGraph {
    /// The map nodes that stand for the objects of `objects` themselves.
    pub fn nodes_of_objects(&self, objects: &BTreeSet<ObjectKey>) -> Vec<NodeIndex> {
        objects
            .iter()
            .flat_map(|(kind, ns, name)| {
                self.nodes_of_object(kind, ns.as_deref(), name)
                    .iter()
                    .copied()
                    .filter(|&n| {
                        self.kind(n)
                            .and_then(|k| k.object_key())
                            .is_some_and(|k| k.0 == *kind && k.1 == *ns && k.2 == *name)
                    })
            })
            .collect()
    }
}
