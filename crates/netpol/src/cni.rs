//! Cilium and Calico policies, recognised for coverage only.
//!
//! Their rule languages (L7 rules, FQDNs, entities, deny rules, tiers and orders) are not evaluated:
//! reachability answers cover Kubernetes NetworkPolicies, and say so when a CNI policy also selects
//! an endpoint. What *is* read is which pods a CNI policy selects, so that those pods are not
//! reported as unprotected: Cilium `endpointSelector` (a label selector; `k8s:`/`any:` key prefixes
//! dropped, `io.kubernetes.pod.namespace` matched against the namespace), and Calico `selector`
//! expressions made of `all()`, `has(k)`, `!has(k)`, `k == 'v'`, `k != 'v'`, `k in {..}`, `k not in
//! {..}` joined by `&&`. Any other Calico selector is taken to select every pod in its scope.

use std::collections::BTreeMap;

use kubeward_model::{Inventory, LabelSelector, Object, Requirement};
use kubeward_source::Node;

use crate::endpoint::Endpoint;

/// The label Cilium gives every endpoint with its namespace.
const CILIUM_NAMESPACE_LABEL: &str = "io.kubernetes.pod.namespace";
/// The label Calico gives every endpoint with its namespace.
const CALICO_NAMESPACE_LABEL: &str = "projectcalico.org/namespace";

/// A CNI policy and the pods it selects.
#[derive(Debug, Clone)]
pub struct CniPolicy {
    pub kind: String,
    /// `None` for cluster-wide kinds.
    pub namespace: Option<String>,
    pub name: String,
    /// Alternatives: the policy selects a pod when any selector matches.
    selectors: Vec<LabelSelector>,
    /// Set when the selector could not be read exactly and the policy is assumed to select every
    /// pod in its scope.
    pub approximated: Option<String>,
}

impl CniPolicy {
    /// `Kind namespace/name` or `Kind name`.
    pub fn id(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{} {ns}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }

    pub(crate) fn covers(
        &self,
        endpoint: &Endpoint,
        _namespaces: &BTreeMap<String, Vec<(String, String)>>,
    ) -> bool {
        if self
            .namespace
            .as_ref()
            .is_some_and(|ns| *ns != endpoint.namespace)
        {
            return false;
        }
        let mut labels = endpoint.labels.clone();
        labels.push((CILIUM_NAMESPACE_LABEL.into(), endpoint.namespace.clone()));
        labels.push((CALICO_NAMESPACE_LABEL.into(), endpoint.namespace.clone()));
        self.selectors
            .iter()
            .any(|s| s.matches(labels.iter().map(|(k, v)| (k.as_str(), v.as_str()))))
    }
}

/// Every Cilium and Calico policy of the inventory.
pub(crate) fn read(inventory: &Inventory) -> Vec<CniPolicy> {
    inventory.objects().iter().filter_map(read_one).collect()
}

fn read_one(object: &Object) -> Option<CniPolicy> {
    let group = object.api_version().split('/').next().unwrap_or("");
    let (cilium, cluster_wide) = match (object.kind(), group) {
        ("CiliumNetworkPolicy", "cilium.io") => (true, false),
        ("CiliumClusterwideNetworkPolicy", "cilium.io") => (true, true),
        ("NetworkPolicy", "crd.projectcalico.org" | "projectcalico.org") => (false, false),
        ("GlobalNetworkPolicy", "crd.projectcalico.org" | "projectcalico.org") => (false, true),
        _ => return None,
    };
    let mut approximated = None;
    let selectors = if cilium {
        let specs: Vec<&Node> = object
            .spec()
            .into_iter()
            .chain(object.root.get("specs").into_iter().flat_map(Node::items))
            .collect();
        specs
            .iter()
            .filter_map(|s| s.get("endpointSelector"))
            .filter_map(|n| LabelSelector::from_node(n).ok())
            .map(strip_cilium_prefixes)
            .collect()
    } else {
        let text = object
            .path_text(&["spec", "selector"])
            .unwrap_or_else(|| "all()".to_string());
        match calico_selector(&text) {
            Some(s) => vec![s],
            None => {
                approximated = Some(format!(
                    "Calico selector `{text}` is not evaluated; assumed to select every pod in scope"
                ));
                vec![LabelSelector::default()]
            }
        }
    };
    Some(CniPolicy {
        kind: object.kind().to_string(),
        namespace: (!cluster_wide).then(|| {
            object
                .effective_namespace()
                .unwrap_or("default")
                .to_string()
        }),
        name: object.name().to_string(),
        selectors,
        approximated,
    })
}

trait PathText {
    fn path_text(&self, path: &[&str]) -> Option<String>;
}

impl PathText for Object {
    fn path_text(&self, path: &[&str]) -> Option<String> {
        self.root.path(path).and_then(Node::scalar_text)
    }
}

fn strip_cilium_prefixes(selector: LabelSelector) -> LabelSelector {
    let strip = |k: String| -> String {
        k.strip_prefix("k8s:")
            .or_else(|| k.strip_prefix("any:"))
            .map(str::to_string)
            .unwrap_or(k)
    };
    LabelSelector {
        requirements: selector
            .requirements
            .into_iter()
            .map(|r| match r {
                Requirement::Equals(k, v) => Requirement::Equals(strip(k), v),
                Requirement::In(k, v) => Requirement::In(strip(k), v),
                Requirement::NotIn(k, v) => Requirement::NotIn(strip(k), v),
                Requirement::Exists(k) => Requirement::Exists(strip(k)),
                Requirement::DoesNotExist(k) => Requirement::DoesNotExist(strip(k)),
            })
            .collect(),
    }
}

/// The Calico selector subset described in the module docs; `None` for anything else.
fn calico_selector(text: &str) -> Option<LabelSelector> {
    let unquote = |s: &str| -> Option<String> {
        let s = s.trim();
        s.strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .or_else(|| s.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
            .map(str::to_string)
    };
    let set = |s: &str| -> Option<Vec<String>> {
        let inner = s.trim().strip_prefix('{')?.strip_suffix('}')?;
        inner.split(',').map(unquote).collect()
    };
    let mut requirements = Vec::new();
    if text.contains("||") || text.contains('(') && !text.contains("has(") && !text.contains("all(")
    {
        return None;
    }
    for term in text.split("&&").map(str::trim).filter(|t| !t.is_empty()) {
        let req = if term == "all()" {
            continue;
        } else if let Some(k) = term.strip_prefix("!has(").and_then(|t| t.strip_suffix(')')) {
            Requirement::DoesNotExist(k.trim().to_string())
        } else if let Some(k) = term.strip_prefix("has(").and_then(|t| t.strip_suffix(')')) {
            Requirement::Exists(k.trim().to_string())
        } else if let Some((k, v)) = term.split_once("==") {
            Requirement::Equals(k.trim().to_string(), unquote(v)?)
        } else if let Some((k, v)) = term.split_once("!=") {
            Requirement::NotIn(k.trim().to_string(), vec![unquote(v)?])
        } else if let Some((k, v)) = term.split_once(" not in ") {
            Requirement::NotIn(k.trim().to_string(), set(v)?)
        } else if let Some((k, v)) = term.split_once(" in ") {
            Requirement::In(k.trim().to_string(), set(v)?)
        } else {
            return None;
        };
        requirements.push(req);
    }
    Some(LabelSelector { requirements })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calico_selector_subset() {
        let s = calico_selector("app == 'web' && has(tier) && env in {'a', 'b'}").unwrap();
        assert!(s.matches([("app", "web"), ("tier", "x"), ("env", "a")]));
        assert!(!s.matches([("app", "web"), ("env", "a")]));
        assert!(calico_selector("all()").unwrap().is_empty());
        assert!(calico_selector("a == 'x' || b == 'y'").is_none());
    }
}
