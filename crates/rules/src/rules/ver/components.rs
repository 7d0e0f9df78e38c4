//! Kubernetes component versions a cluster shows through its objects: each Node's kubelet
//! (`status.nodeInfo.kubeletVersion`) and the control-plane mirror pods' image tags. Shared by the
//! VER001–VER004 rules, which judge them with the same release and CVE data as `kubeward node`.

use kubeward_host::facts::ComponentKind;
use kubeward_host::versions::{CveDb, Releases, Version};
use kubeward_model::{Inventory, Object};
use kubeward_source::Node;

use crate::context::Context;
use crate::rules::cluster::{control_plane_pods, nodes, reported_api_server};

/// One component at one version, with where to point.
pub(crate) struct Versioned<'i> {
    pub object: &'i Object,
    /// The `kubeletVersion` field or the `image` field.
    pub node: &'i Node,
    pub component: &'static str,
    pub version: Version,
    /// A managed offering's build (`v1.29.3-eks-…`, `v1.29.3-gke.…`): its provider publishes its own,
    /// often longer, support calendar.
    pub managed: bool,
}

impl Versioned<'_> {
    /// `kubelet v1.29.3 on Node worker-1`, `kube-apiserver v1.29.3 (Pod kube-system/kube-apiserver-cp-1)`.
    pub fn describe(&self) -> String {
        match self.object.kind() {
            "Node" => format!("kubelet {} on node `{}`", self.version, self.object.name()),
            "ClusterSnapshot" => format!(
                "{} {} (as its /version endpoint reports)",
                self.component, self.version
            ),
            _ => format!("{} {}", self.component, self.version),
        }
    }
}

/// Every component version visible in the inventory: kubelets first, then the control plane.
pub(crate) fn versioned(inventory: &Inventory) -> Vec<Versioned<'_>> {
    let mut out = Vec::new();
    for node in nodes(inventory) {
        if let Some((field, version)) = node.kubelet_version() {
            let raw = field.as_str().unwrap_or_default();
            out.push(Versioned {
                object: node.object,
                node: field,
                component: "kubelet",
                version,
                managed: is_managed_build(raw),
            });
        }
    }
    // etcd follows its own release line, which the Kubernetes release data does not cover.
    for pod in control_plane_pods(inventory)
        .into_iter()
        .filter(|p| p.kind != ComponentKind::Etcd)
    {
        if let Some((image, version)) = pod.image_version() {
            out.push(Versioned {
                object: pod.object,
                node: image,
                component: pod.kind.binary(),
                version,
                managed: false,
            });
        }
    }
    // Managed control planes show no pods: the API server's own answer stands in for them.
    if !out.iter().any(|v| v.component == "kube-apiserver")
        && let Some(reported) = reported_api_server(inventory)
    {
        out.push(Versioned {
            object: reported.object,
            node: reported.node,
            component: "kube-apiserver",
            version: reported.version,
            managed: is_managed_build(reported.raw),
        });
    }
    out
}

fn is_managed_build(raw: &str) -> bool {
    ["-eks-", "-gke.", "-aks", "+aks"]
        .iter()
        .any(|marker| raw.contains(marker))
}

/// The release and CVE data, parsed once per scan. `None` only if the embedded data were broken, which
/// the host crate's tests rule out.
pub(crate) struct Data {
    pub releases: Option<Releases>,
    pub cves: Option<CveDb>,
}

pub(crate) fn data(ctx: &Context<'_>) -> std::sync::Arc<Data> {
    ctx.shared.get_or_init(|| Data {
        releases: Releases::embedded().ok(),
        cves: match &ctx.settings.options.cve_db {
            Some(db) => Some(CveDb::clone(db)),
            None => CveDb::embedded().ok(),
        },
    })
}

/// Today as the release data writes dates, for comparisons.
pub(crate) fn today(ctx: &Context<'_>) -> kubeward_host::versions::Date {
    kubeward_host::versions::Date::from_unix(crate::rules::cluster::unix_time(ctx.settings.today))
}
