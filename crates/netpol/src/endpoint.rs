//! Endpoints: what policies select and peers match. One per workload pod template (a Deployment's
//! replicas behave alike, so they are one endpoint) and one per bare Pod.

use kubeward_model::{ContainerKind, Object, Workload, labels_of};
use kubeward_source::Node;
use serde::Serialize;

use crate::cidr::Cidr;
use crate::port::{ContainerPort, Protocol};

/// A pod, or every pod of one workload.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub namespace: String,
    pub kind: String,
    pub name: String,
    pub labels: Vec<(String, String)>,
    /// Host-network pods use the node's address: pod and namespace selectors never match them, and
    /// policies do not isolate them.
    pub host_network: bool,
    pub ports: Vec<ContainerPort>,
    /// `status.podIP` when known (objects read from a cluster); manifests have none.
    pub ip: Option<Cidr>,
}

/// How endpoints are named in output: `namespace/name`, or `namespace/Kind/name` when needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndpointRef {
    pub namespace: String,
    pub kind: String,
    pub name: String,
}

impl Endpoint {
    /// The endpoint of a pod-bearing object, `None` for pods a controller owns (counted through
    /// the controller) and for PodTemplates (which run nothing by themselves).
    pub fn of(object: &Object) -> Option<Self> {
        if object.kind() == "PodTemplate" || has_controller(object) {
            return None;
        }
        let workload = Workload::of(object)?;
        let labels = labels_of(workload.pod_labels())
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let ports = workload
            .all_containers()
            .filter(|c| c.kind != ContainerKind::Ephemeral)
            .flat_map(|c| c.node.get("ports").into_iter().flat_map(Node::items))
            .filter_map(|p| {
                Some(ContainerPort {
                    name: p.get("name").and_then(Node::scalar_text),
                    number: u16::try_from(p.get("containerPort")?.as_i64()?).ok()?,
                    protocol: Protocol::parse(p.get("protocol").and_then(Node::as_str))?,
                })
            })
            .collect();
        let ip = (object.kind() == "Pod")
            .then(|| object.root.path(&["status", "podIP"]))
            .flatten()
            .and_then(Node::as_str)
            .and_then(Cidr::parse);
        Some(Endpoint {
            namespace: object
                .effective_namespace()
                .unwrap_or("default")
                .to_string(),
            kind: object.kind().to_string(),
            name: object.name().to_string(),
            labels,
            host_network: workload
                .pod_field("hostNetwork")
                .and_then(Node::as_bool)
                .unwrap_or(false),
            ports,
            ip,
        })
    }

    pub fn reference(&self) -> EndpointRef {
        EndpointRef {
            namespace: self.namespace.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
        }
    }

    pub fn label_pairs(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.labels.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

fn has_controller(object: &Object) -> bool {
    object
        .metadata()
        .and_then(|m| m.get("ownerReferences"))
        .and_then(Node::as_seq)
        .is_some_and(|o| {
            o.iter()
                .any(|r| r.get("controller").and_then(Node::as_bool) == Some(true))
        })
}
