//! A control plane as the Kubernetes API shows it, without access to any node: kubeadm runs the API
//! server, controller manager, scheduler and etcd as static pods, and the kubelet publishes each as a
//! mirror pod in `kube-system` with the same command line. Their flags can be judged from a cluster or a
//! snapshot; everything that needs node files (modes, owners, configuration file contents, certificates)
//! is absent, so those checks come out manual or not applicable, never pass.

use std::collections::BTreeMap;

use crate::collect::NodeFacts;
use crate::detect::{Distribution, NodeRoles};
use crate::facts::{Component, ComponentKind};

/// What the root of a cluster view is called in reports.
pub const CLUSTER_VIEW_ROOT: &str = "(Kubernetes API: mirror pods)";

/// The facts of a control plane seen through its mirror pods. `components` come from
/// [`parse_manifest`](crate::parse_manifest) on each pod, with the pod's name as path.
pub fn cluster_view(components: Vec<Component>) -> NodeFacts {
    let has = |kind: ComponentKind| components.iter().any(|c| c.kind == kind);
    let roles = NodeRoles {
        control_plane: has(ComponentKind::ApiServer)
            || has(ComponentKind::ControllerManager)
            || has(ComponentKind::Scheduler),
        etcd: has(ComponentKind::Etcd),
        worker: false,
    };
    NodeFacts {
        root: CLUSTER_VIEW_ROOT.to_owned(),
        distribution: Distribution::Kubeadm,
        roles,
        hints: vec!["mirror pods of static pods in kube-system".to_owned()],
        components,
        kubelet: None,
        rancher: None,
        encryption: None,
        audit_policy: None,
        sshd: None,
        firewall: Vec::new(),
        os: None,
        processes: None,
        certs: Vec::new(),
        kubeconfigs: Vec::new(),
        pki_dir: None,
        pki_files: Vec::new(),
        cni_files: Vec::new(),
        files: BTreeMap::new(),
        issues: Vec::new(),
    }
}
