//! What a cluster (or a snapshot, or `kubectl get -o yaml` output) shows about its nodes and control
//! plane without access to any node: `Node` objects with their kubelet versions, OS images and
//! addresses, and the mirror pods kubeadm's static pods appear as in `kube-system`. Shared by the CP,
//! VER and HOST rules that judge them.

use kubeward_host::facts::ComponentKind;
use kubeward_host::versions::Version;
use kubeward_model::{Inventory, Object};
use kubeward_source::Node;

/// Control-plane components by the `component` label kubeadm puts on their static pods.
const COMPONENTS: [(&str, ComponentKind); 4] = [
    ("kube-apiserver", ComponentKind::ApiServer),
    ("kube-controller-manager", ComponentKind::ControllerManager),
    ("kube-scheduler", ComponentKind::Scheduler),
    ("etcd", ComponentKind::Etcd),
];

/// A control-plane pod: a kubeadm static pod's mirror (or the static pod manifest itself).
pub(crate) struct ControlPlanePod<'i> {
    pub object: &'i Object,
    pub kind: ComponentKind,
    /// The container running the component.
    pub container: &'i Node,
}

impl<'i> ControlPlanePod<'i> {
    /// The node the pod runs on (`spec.nodeName`), which groups an HA control plane by machine.
    pub fn node_name(&self) -> &'i str {
        self.object
            .root
            .path(&["spec", "nodeName"])
            .and_then(Node::as_str)
            .unwrap_or("")
    }

    /// The image node and the version its tag carries (`registry.k8s.io/kube-apiserver:v1.31.2`).
    pub fn image_version(&self) -> Option<(&'i Node, Version)> {
        let image = self.container.get("image")?;
        let (_, tag) = image.as_str()?.rsplit_once(':')?;
        Some((image, Version::parse(tag)?))
    }

    /// The command-line word `--flag` or `--flag=value` of this pod's container, to point at.
    pub fn flag(&self, flag: &str) -> Option<&'i Node> {
        ["command", "args"]
            .iter()
            .filter_map(|key| self.container.get(key))
            .flat_map(Node::items)
            .find(|word| {
                word.as_str().is_some_and(|w| {
                    w == flag || w.strip_prefix(flag).is_some_and(|r| r.starts_with('='))
                })
            })
    }
}

/// Control-plane pods in `kube-system`, recognised by kubeadm's `component` label and a container
/// running that binary.
pub(crate) fn control_plane_pods(inventory: &Inventory) -> Vec<ControlPlanePod<'_>> {
    inventory
        .of_kind("Pod")
        .filter(|pod| pod.namespace() == Some("kube-system"))
        .filter_map(|pod| {
            let label = pod.labels()?.get("component")?.as_str()?;
            let (binary, kind) = COMPONENTS.iter().find(|(name, _)| *name == label)?;
            let container = pod
                .root
                .path(&["spec", "containers"])?
                .items()
                .find(|c| runs(c, binary))?;
            Some(ControlPlanePod {
                object: pod,
                kind: *kind,
                container,
            })
        })
        .collect()
}

/// Whether a container runs `binary`: by its name, or the first word of its command.
fn runs(container: &Node, binary: &str) -> bool {
    let named = container
        .get("name")
        .and_then(Node::as_str)
        .is_some_and(|n| n == binary);
    let commanded = container
        .get("command")
        .and_then(|c| c.items().next())
        .and_then(Node::as_str)
        .is_some_and(|c| c.rsplit('/').next() == Some(binary));
    named || commanded
}

/// A `Node` object's facts as its kubelet reports them in `status`.
pub(crate) struct NodeStatus<'i> {
    pub object: &'i Object,
    pub node_info: Option<&'i Node>,
}

impl<'i> NodeStatus<'i> {
    /// `status.nodeInfo.<field>` with its node.
    pub fn info(&self, field: &str) -> Option<(&'i Node, &'i str)> {
        let node = self.node_info?.get(field)?;
        Some((node, node.as_str()?))
    }

    /// The kubelet version, parsed, with the node to point at.
    pub fn kubelet_version(&self) -> Option<(&'i Node, Version)> {
        let (node, text) = self.info("kubeletVersion")?;
        Some((node, Version::parse(text)?))
    }

    /// `status.addresses` as (type, address, node).
    pub fn addresses(&self) -> impl Iterator<Item = (&'i str, &'i str, &'i Node)> + 'i {
        self.object
            .root
            .path(&["status", "addresses"])
            .into_iter()
            .flat_map(Node::items)
            .filter_map(|a| {
                let kind = a.get("type")?.as_str()?;
                let address = a.get("address")?;
                Some((kind, address.as_str()?, address))
            })
    }
}

/// Every `Node` object.
pub(crate) fn nodes(inventory: &Inventory) -> impl Iterator<Item = NodeStatus<'_>> {
    inventory.of_kind("Node").map(|object| NodeStatus {
        object,
        node_info: object.root.path(&["status", "nodeInfo"]),
    })
}

/// The control plane's version: the API server pods' image tag (the oldest, during an upgrade).
pub(crate) fn control_plane_version(inventory: &Inventory) -> Option<Version> {
    control_plane_pods(inventory)
        .iter()
        .filter(|p| p.kind == ComponentKind::ApiServer)
        .filter_map(|p| p.image_version().map(|(_, v)| v))
        .min()
        .or_else(|| reported_api_server(inventory).map(|r| r.version))
}

/// `kind` and `apiVersion` of the cluster description a live scan adds and a snapshot keeps in
/// `cluster.json` (kubeward_cluster::snapshot).
const CLUSTER_DESCRIPTION: (&str, &str) = ("ClusterSnapshot", "kubeward.io/v1");

/// The API server's version as its `/version` endpoint answered, from the cluster description of a
/// live scan or snapshot: the only source on managed clusters, whose control plane runs no pods the
/// cluster can see.
pub(crate) struct ReportedVersion<'i> {
    pub object: &'i Object,
    /// The `gitVersion` field.
    pub node: &'i Node,
    pub raw: &'i str,
    pub version: Version,
}

pub(crate) fn reported_api_server(inventory: &Inventory) -> Option<ReportedVersion<'_>> {
    inventory
        .of_kind(CLUSTER_DESCRIPTION.0)
        .filter(|o| o.api_version() == CLUSTER_DESCRIPTION.1)
        .find_map(|object| {
            let node = object.root.path(&["cluster", "version", "gitVersion"])?;
            let raw = node.as_str()?;
            Some(ReportedVersion {
                object,
                node,
                raw,
                version: Version::parse(raw)?,
            })
        })
}

/// Seconds since the Unix epoch at the start of `date` (UTC), for the node checks' clock.
pub(crate) fn unix_time(date: crate::date::Date) -> i64 {
    kubeward_host::versions::days_from_civil(
        i64::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    ) * 86_400
}
