//! Thin typed views over objects that rules and engines read often.

use kubeward_source::Node;

use crate::object::Object;
use crate::selector::LabelSelector;

/// A Service port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub name: Option<String>,
    pub port: Option<i64>,
    pub protocol: String,
    /// `targetPort`: a number or a named container port.
    pub target: Option<String>,
    pub node_port: Option<i64>,
}

/// A `v1/Service`.
#[derive(Debug, Clone, Copy)]
pub struct Service<'a>(pub &'a Object);

impl<'a> Service<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "Service").then_some(Self(object))
    }

    /// `spec.type`, `ClusterIP` when unset.
    pub fn service_type(&self) -> &'a str {
        self.0
            .root
            .path(&["spec", "type"])
            .and_then(Node::as_str)
            .unwrap_or("ClusterIP")
    }

    /// The pod selector; `None` when the Service has none (it then selects no pods by labels).
    pub fn selector(&self) -> Option<LabelSelector> {
        self.0
            .root
            .path(&["spec", "selector"])
            .filter(|n| n.as_map().is_some_and(|m| !m.is_empty()))
            .map(LabelSelector::from_match_labels)
    }

    pub fn ports(&self) -> Vec<Port> {
        self.0
            .root
            .path(&["spec", "ports"])
            .into_iter()
            .flat_map(Node::items)
            .map(|p| Port {
                name: p.get("name").and_then(Node::scalar_text),
                port: p.get("port").and_then(Node::as_i64),
                protocol: p
                    .get("protocol")
                    .and_then(Node::as_str)
                    .unwrap_or("TCP")
                    .to_string(),
                target: p.get("targetPort").and_then(Node::scalar_text),
                node_port: p.get("nodePort").and_then(Node::as_i64),
            })
            .collect()
    }
}

/// A `networking.k8s.io/v1` NetworkPolicy.
#[derive(Debug, Clone, Copy)]
pub struct NetworkPolicy<'a>(pub &'a Object);

impl<'a> NetworkPolicy<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "NetworkPolicy" && object.api_version().starts_with("networking.k8s.io/"))
            .then_some(Self(object))
    }

    /// `spec.podSelector`; an absent selector is the empty selector (all pods in the namespace).
    pub fn pod_selector(&self) -> Result<LabelSelector, crate::SelectorError> {
        match self.0.root.path(&["spec", "podSelector"]) {
            Some(n) if !n.is_null() => LabelSelector::from_node(n),
            _ => Ok(LabelSelector::default()),
        }
    }

    /// `policyTypes` with Kubernetes' defaulting: Ingress always, Egress when egress rules exist.
    pub fn policy_types(&self) -> (bool, bool) {
        let spec = self.0.spec();
        match spec
            .and_then(|s| s.get("policyTypes"))
            .and_then(Node::as_seq)
        {
            Some(types) => (
                types.iter().any(|t| t.as_str() == Some("Ingress")),
                types.iter().any(|t| t.as_str() == Some("Egress")),
            ),
            None => (true, spec.and_then(|s| s.get("egress")).is_some()),
        }
    }
}

/// A subject of a RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

/// A rule of a Role or ClusterRole.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

impl RoleRule {
    /// The rules of a Role or ClusterRole object.
    pub fn of(object: &Object) -> Vec<RoleRule> {
        let strings = |n: &Node, k: &str| -> Vec<String> {
            n.get(k)
                .into_iter()
                .flat_map(Node::items)
                .filter_map(Node::scalar_text)
                .collect()
        };
        object
            .root
            .get("rules")
            .into_iter()
            .flat_map(Node::items)
            .map(|r| RoleRule {
                api_groups: strings(r, "apiGroups"),
                resources: strings(r, "resources"),
                verbs: strings(r, "verbs"),
                resource_names: strings(r, "resourceNames"),
                non_resource_urls: strings(r, "nonResourceURLs"),
            })
            .collect()
    }
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a>(pub &'a Object);

impl<'a> Binding<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        matches!(object.kind(), "RoleBinding" | "ClusterRoleBinding").then_some(Self(object))
    }

    /// `(kind, name)` of `roleRef`.
    pub fn role_ref(&self) -> Option<(&'a str, &'a str)> {
        let r = self.0.root.get("roleRef")?;
        Some((r.get("kind")?.as_str()?, r.get("name")?.as_str()?))
    }

    pub fn subjects(&self) -> Vec<Subject> {
        self.0
            .root
            .get("subjects")
            .into_iter()
            .flat_map(Node::items)
            .map(|s| Subject {
                kind: s
                    .get("kind")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
                name: s
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
                namespace: s.get("namespace").and_then(Node::scalar_text),
            })
            .collect()
    }
}
