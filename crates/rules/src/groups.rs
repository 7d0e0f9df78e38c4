//! Business-critical asset groups (`groups:` in `.kubeward.yaml`): which objects make up the
//! payments system, the customer database, the CI runners, and how critical each group is.
//!
//! A group selects an object when any of its selectors does; a selector when every field it gives
//! matches (each list field matching when any of its values does). Groups never change findings:
//! they name crown jewels for the risk map (`kubeward paths --to group:NAME`, the blast-radius
//! weight of risk scores) and scope `kubeward groups report`.

use kubeward_model::{Inventory, Object, labels_of};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How much the business loses when a group is compromised; weights the blast radius of risk scores.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Criticality {
    Low,
    Medium,
    High,
    Critical,
}

impl Criticality {
    pub fn as_str(self) -> &'static str {
        match self {
            Criticality::Low => "low",
            Criticality::Medium => "medium",
            Criticality::High => "high",
            Criticality::Critical => "critical",
        }
    }
}

impl std::fmt::Display for Criticality {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One validated group.
#[derive(Debug, Clone)]
pub struct AssetGroup {
    pub name: String,
    pub criticality: Criticality,
    pub selectors: Vec<GroupSelector>,
}

/// One validated selector: every given field must match.
#[derive(Debug, Clone, Default)]
pub struct GroupSelector {
    /// Namespace globs; a Namespace object matches by its own name, cluster-scoped objects never.
    pub namespaces: Vec<globset::GlobMatcher>,
    /// `metadata.labels` must contain each pair.
    pub labels: Vec<(String, String)>,
    /// Exact kinds (`Deployment`, `Secret`).
    pub kinds: Vec<String>,
    /// Object name globs.
    pub names: Vec<globset::GlobMatcher>,
}

impl GroupSelector {
    pub fn selects(&self, object: &Object) -> bool {
        let namespace = if object.kind() == "Namespace" {
            Some(object.name())
        } else {
            object.effective_namespace()
        };
        let namespace_ok = self.namespaces.is_empty()
            || namespace.is_some_and(|ns| self.namespaces.iter().any(|g| g.is_match(ns)));
        let kind_ok = self.kinds.is_empty() || self.kinds.iter().any(|k| k == object.kind());
        let name_ok = self.names.is_empty() || self.names.iter().any(|g| g.is_match(object.name()));
        let labels_ok = self.labels.is_empty() || {
            let have = labels_of(object.labels());
            self.labels
                .iter()
                .all(|(k, v)| have.iter().any(|(hk, hv)| hk == k && hv == v))
        };
        namespace_ok && kind_ok && name_ok && labels_ok
    }
}

impl AssetGroup {
    pub fn selects(&self, object: &Object) -> bool {
        self.selectors.iter().any(|s| s.selects(object))
    }

    /// The group's objects, in inventory order.
    pub fn members<'i>(&self, inventory: &'i Inventory) -> Vec<&'i Object> {
        inventory
            .objects()
            .iter()
            .filter(|o| self.selects(o))
            .collect()
    }
}

/// The group named `name`, or an error that lists the groups and suggests the closest name.
pub fn find<'g>(groups: &'g [AssetGroup], name: &str) -> Result<&'g AssetGroup, String> {
    if let Some(g) = groups.iter().find(|g| g.name == name) {
        return Ok(g);
    }
    if groups.is_empty() {
        return Err(format!(
            "unknown group `{name}`: the configuration defines no `groups`"
        ));
    }
    let names: Vec<String> = groups.iter().map(|g| g.name.clone()).collect();
    let hint = crate::selection::closest(name, names.iter().cloned())
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    Err(format!(
        "unknown group `{name}` (configured: {}){hint}",
        names.join(", ")
    ))
}
