//! Which distribution a node runs and which roles it has, from the files collection saw; and the CIS
//! benchmark variant that fits (kube-bench's names, so results can be compared).

use serde::Serialize;

use crate::collect::NodeFacts;
use crate::collect::fs::NodeFs;
use crate::facts::ComponentKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Distribution {
    /// kubeadm or another upstream-style install with static pods under `/etc/kubernetes/manifests`.
    Kubeadm,
    K3s,
    Rke2,
    /// Managed worker nodes: the control plane is the provider's and out of reach.
    Eks,
    Gke,
    Aks,
    Unknown,
}

impl Distribution {
    pub fn is_managed(self) -> bool {
        matches!(self, Self::Eks | Self::Gke | Self::Aks)
    }

    pub fn is_rancher(self) -> bool {
        matches!(self, Self::K3s | Self::Rke2)
    }
}

/// A node can be several of these at once (kubeadm control planes also run a kubelet and etcd).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct NodeRoles {
    pub control_plane: bool,
    pub etcd: bool,
    pub worker: bool,
}

impl NodeRoles {
    pub fn names(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.control_plane {
            v.push("control-plane");
        }
        if self.etcd {
            v.push("etcd");
        }
        if self.worker {
            v.push("worker");
        }
        v
    }
}

/// The benchmark results are reported against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Benchmark {
    /// kube-bench's folder name, e.g. `cis-1.12`, `k3s-cis-1.9`.
    pub id: String,
    pub reason: String,
}

/// Newest generic CIS Kubernetes benchmark in kube-bench's list (Kubernetes 1.32–1.34).
pub const GENERIC_BENCHMARK: &str = "cis-1.12";

pub fn benchmark(distribution: Distribution, override_id: Option<&str>) -> Benchmark {
    if let Some(id) = override_id {
        return Benchmark {
            id: id.to_string(),
            reason: "chosen by the caller".into(),
        };
    }
    let (id, reason) = match distribution {
        Distribution::K3s => (
            "k3s-cis-1.9",
            "k3s node: newest k3s self-assessment variant",
        ),
        Distribution::Rke2 => (
            "rke2-cis-1.8",
            "RKE2 node: newest RKE2 self-assessment variant",
        ),
        Distribution::Eks => ("eks-1.8.0", "EKS hints found: managed-node benchmark"),
        Distribution::Gke => ("gke-1.9.0", "GKE hints found: managed-node benchmark"),
        Distribution::Aks => ("aks-1.8", "AKS hints found: managed-node benchmark"),
        Distribution::Kubeadm | Distribution::Unknown => {
            (GENERIC_BENCHMARK, "newest generic CIS Kubernetes benchmark")
        }
    };
    Benchmark {
        id: id.into(),
        reason: reason.into(),
    }
}

pub(crate) fn distribution(fs: &NodeFs, facts: &NodeFacts) -> (Distribution, Vec<String>) {
    let mut hints = Vec::new();
    let mut hit = |p: &str| {
        if fs.exists(p) {
            hints.push(p.to_string());
            true
        } else {
            false
        }
    };
    if let Some(r) = &facts.rancher {
        let d = if r.distribution == "rke2" {
            Distribution::Rke2
        } else {
            Distribution::K3s
        };
        for p in [
            format!("/etc/rancher/{}", r.distribution),
            format!("/var/lib/rancher/{}", r.distribution),
        ] {
            hit(&p);
        }
        return (d, hints);
    }
    let eks = hit("/etc/eks")
        | hit("/etc/eks/bootstrap.sh")
        | hit("/etc/kubernetes/kubelet/kubelet-config.json");
    if eks {
        return (Distribution::Eks, hints);
    }
    if hit("/home/kubernetes/kubelet-config.yaml") | hit("/home/kubernetes/bin") {
        return (Distribution::Gke, hints);
    }
    if hit("/etc/kubernetes/azure.json") | hit("/var/lib/waagent") {
        return (Distribution::Aks, hints);
    }
    if hit("/etc/kubernetes/manifests")
        | hit("/var/lib/kubelet/kubeadm-flags.env")
        | hit("/etc/kubernetes/admin.conf")
    {
        return (Distribution::Kubeadm, hints);
    }
    (Distribution::Unknown, hints)
}

pub(crate) fn roles(fs: &NodeFs, facts: &NodeFacts) -> NodeRoles {
    let has = |k| facts.component(k).is_some();
    NodeRoles {
        control_plane: has(ComponentKind::ApiServer)
            || has(ComponentKind::ControllerManager)
            || has(ComponentKind::Scheduler),
        etcd: has(ComponentKind::Etcd) || fs.is_dir("/var/lib/etcd/member"),
        worker: facts.kubelet.is_some(),
    }
}
