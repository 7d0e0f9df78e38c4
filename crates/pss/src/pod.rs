//! The pod as Pod Security Admission sees it: decoded Go structs, where an explicit `null` is the same as an
//! absent field, and containers are visited init, regular, ephemeral (PSA's `visitContainers` order).

use kubeward_diagnostics::Span;
use kubeward_model::{Container, Workload};
use kubeward_source::Node;

/// A field of a mapping, `None` when absent or `null`.
pub(crate) fn field<'a>(node: Option<&'a Node>, key: &str) -> Option<&'a Node> {
    node?.get(key).filter(|n| !n.is_null())
}

/// A path of mapping fields, `None` when any step is absent or `null`.
pub(crate) fn path<'a>(node: Option<&'a Node>, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(node?, |n, k| field(Some(n), k))
}

/// A string field's value. Non-string scalars are what a Go decoder would reject, so they never reach
/// admission; here they read as their text so that a finding still shows the value.
pub(crate) fn text(node: &Node) -> String {
    node.scalar_text().unwrap_or_default()
}

/// One container with the pieces every check needs.
#[derive(Clone, Copy)]
pub(crate) struct PodContainer<'a> {
    pub name: &'a str,
    pub node: &'a Node,
}

impl<'a> PodContainer<'a> {
    /// A field of the container's `securityContext` (unset when the context or the field is null).
    pub fn security(&self, key: &str) -> Option<&'a Node> {
        field(field(Some(self.node), "securityContext"), key)
    }

    pub fn span(&self) -> Span {
        self.node.span
    }
}

/// The pod spec and metadata of one workload.
pub(crate) struct Pod<'a> {
    pub spec: &'a Node,
    pub metadata: Option<&'a Node>,
    pub containers: Vec<PodContainer<'a>>,
}

impl<'a> Pod<'a> {
    pub fn new(workload: &Workload<'a>) -> Self {
        let containers = workload
            .all_containers()
            .map(|c: Container<'a>| PodContainer {
                name: c.name(),
                node: c.node,
            })
            .collect();
        Self {
            spec: workload.pod_spec,
            metadata: workload.pod_metadata,
            containers,
        }
    }

    /// A field of the pod spec.
    pub fn spec_field(&self, key: &str) -> Option<&'a Node> {
        field(Some(self.spec), key)
    }

    /// A field of the pod-level `securityContext`.
    pub fn security(&self, key: &str) -> Option<&'a Node> {
        field(self.spec_field("securityContext"), key)
    }

    /// Pod annotations with string values (`key`, `value`, span of the value).
    pub fn annotations(&self) -> impl Iterator<Item = (&'a str, &'a Node)> + 'a {
        field(self.metadata, "annotations")
            .into_iter()
            .flat_map(Node::entries)
            .map(|e| (&*e.key, &e.value))
    }

    /// `spec.os.name: windows` — the pod declares it runs on Windows nodes (exempts some restricted checks
    /// from policy v1.25, because those Linux-only fields are rejected by validation on Windows pods).
    pub fn is_windows(&self) -> bool {
        path(Some(self.spec), &["os", "name"]).and_then(Node::as_str) == Some("windows")
    }

    /// `spec.hostUsers: false`: the pod runs in its own user namespace, so container root is not host root.
    pub fn in_user_namespace(&self) -> bool {
        self.spec_field("hostUsers").and_then(Node::as_bool) == Some(false)
    }
}
