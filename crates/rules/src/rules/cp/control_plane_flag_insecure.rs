use std::collections::BTreeMap;

use kubeward_diagnostics::Severity;
use kubeward_host::{CheckResult, EvalOptions, Status};
use kubeward_model::Inventory;

use crate::context::Context;
use crate::registry::FixAvailability;
use crate::rules::cluster::{ControlPlanePod, control_plane_pods};

declare_rule! {
    /// ## What it does
    /// Judges the command lines of the control plane's static pods — `kube-apiserver`,
    /// `kube-controller-manager`, `kube-scheduler` and `etcd` — as they appear in `kube-system`
    /// (kubeadm's mirror pods, in a live cluster, a snapshot or `kubectl get pods -n kube-system -o
    /// yaml`), with the same flag checks `kubeward node` runs on a control-plane node: anonymous
    /// authentication, `AlwaysAllow` authorization, missing `Node`/`RBAC` modes, `AlwaysAdmit`, missing
    /// `NodeRestriction`/`PodSecurity`/`ServiceAccount` admission, profiling, audit log off, static token
    /// files, kubelet and etcd client TLS, weak TLS versions and ciphers, controller-manager shared
    /// credentials and exposed bind addresses, etcd client/peer TLS and auto-TLS. Each finding names the
    /// node check it comes from and its CIS number (`[CP001 apiserver-anonymous-auth-enabled, CIS
    /// 1.2.1]`) and points at the flag, or
    /// at the container's command when the flag is missing and its default is unsafe. Pods on different
    /// machines of an HA control plane are judged machine by machine.
    ///
    /// Only checks that need nothing but flags are run here: file modes, certificates, encryption and
    /// audit-policy *contents* need the node's files (`kubeward node`), and such checks are never
    /// reported as passing from the API alone.
    ///
    /// ## Why is this bad?
    /// These flags decide who may talk to the cluster and what they may do. An API server that
    /// accepts anonymous requests or authorizes everything hands the cluster to anyone who can reach
    /// port 6443; an etcd without client-certificate authentication gives every Secret, in plain text,
    /// to anyone who can reach port 2379; a controller manager using one shared credential turns any
    /// of its bugs into cluster-admin. Managed clusters hide these pods; self-managed ones show them to
    /// anyone who can list pods in `kube-system`, so an attacker reads them too.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver-cp-1
    ///   namespace: kube-system
    ///   labels: {component: kube-apiserver, tier: control-plane}
    /// spec:
    ///   nodeName: cp-1
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.34.1
    ///       command:
    ///         - kube-apiserver
    ///         - --anonymous-auth=true
    ///         - --authorization-mode=AlwaysAllow
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver-cp-1
    ///   namespace: kube-system
    ///   labels: {component: kube-apiserver, tier: control-plane}
    /// spec:
    ///   nodeName: cp-1
    ///   containers:
    ///     - name: kube-apiserver
    ///       image: registry.k8s.io/kube-apiserver:v1.34.1
    ///       command:
    ///         - kube-apiserver
    ///         - --anonymous-auth=false
    ///         - --authorization-mode=Node,RBAC
    ///         - --enable-admission-plugins=NodeRestriction,PodSecurity
    ///         - --profiling=false
    ///         - --audit-log-path=/var/log/kubernetes/audit.log
    ///         - --audit-log-maxage=30
    ///         - --audit-log-maxbackup=10
    ///         - --audit-log-maxsize=100
    ///         - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    ///         - --encryption-provider-config=/etc/kubernetes/encryption.yaml
    ///         - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
    ///         - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
    ///         - --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt
    ///         - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    ///         - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    ///         - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    ///         - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
    ///         - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
    ///         - --client-ca-file=/etc/kubernetes/pki/ca.crt
    ///         - --service-account-key-file=/etc/kubernetes/pki/sa.pub
    ///         - --service-account-extend-token-expiration=false
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: a mirror pod is a read-only copy. Change the static pod manifest under
    /// `/etc/kubernetes/manifests/` on each control-plane node (or kubeadm's `ClusterConfiguration`
    /// `extraArgs`), one node at a time; the kubelet restarts the component.
    ///
    /// ## Differences from other tools
    /// Other tools have one check per flag (Checkov CKV_K8S_68–121, Kubescape C-0113–C-0158,
    /// Trivy's KCV checks such as KCV0001), while CP100 reports each flag check under its
    /// `kubeward node` ID.
    ///
    /// ## References
    /// - CIS Kubernetes Benchmark sections 1.2 (API server), 1.3 (controller manager), 1.4 (scheduler)
    ///   and 2 (etcd); every finding names the `kubeward node` check and so its CIS number
    /// - NSA/CISA Kubernetes Hardening Guide: "Control plane hardening"
    /// - OWASP Kubernetes Top 10 K09: Misconfigured Cluster Components
    pub(crate) static RULE = RuleMeta {
        id: "CP100",
        name: "control-plane-flag-insecure",
        title: "Control-plane component runs with an insecure flag",
        severity: Severity::High,
        frameworks: &["nsa:control-plane", "owasp:K09"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, inventory: &Inventory) {
    let pods = control_plane_pods(inventory);
    // One machine at a time, as `kubeward node` would see it.
    let mut machines: BTreeMap<&str, Vec<&ControlPlanePod<'_>>> = BTreeMap::new();
    for pod in &pods {
        machines.entry(pod.node_name()).or_default().push(pod);
    }
    let options = EvalOptions {
        now: crate::rules::cluster::unix_time(ctx.settings.today),
        ..EvalOptions::default()
    };
    for machine in machines.values() {
        let components = machine
            .iter()
            .filter_map(|pod| {
                let json = serde_json::to_string(&pod.object.root.to_json()).ok()?;
                kubeward_host::parse_manifest(&label(pod), &json, pod.kind).ok()
            })
            .collect();
        let facts = kubeward_host::cluster_view(components);
        let Ok(report) = kubeward_host::evaluate(&facts, &options) else {
            continue;
        };
        for result in report.results.iter().filter(|r| judged_by_flags(r)) {
            let Some(pod) = machine.iter().find(|p| owns(p, result)) else {
                continue;
            };
            let node = result
                .evidence
                .iter()
                .find_map(|e| pod.flag(&e.subject))
                .or_else(|| pod.container.get("command"))
                .unwrap_or(pod.container);
            let cis = if result.cis.is_empty() {
                String::new()
            } else {
                format!(", CIS {}", result.cis.join(", "))
            };
            let message = format!("[{} {}{cis}] {}", result.id, result.name, result.message);
            ctx.report(pod.object, node, message).severity = result.severity;
        }
    }
}

/// The node-file path given to a pod's component, which its evidence carries back.
fn label(pod: &ControlPlanePod<'_>) -> String {
    format!("kube-system/{}", pod.object.name())
}

/// Control-plane checks (CP, ETCD) that failed on evidence that is all command-line flags.
fn judged_by_flags(result: &CheckResult) -> bool {
    result.status == Status::Fail
        && (result.id.starts_with("CP") || result.id.starts_with("ETCD"))
        && !result.evidence.is_empty()
        && result.evidence.iter().all(|e| e.subject.starts_with("--"))
}

fn owns(pod: &ControlPlanePod<'_>, result: &CheckResult) -> bool {
    let path = label(pod);
    result
        .evidence
        .iter()
        .any(|e| e.origin.as_ref().is_some_and(|o| o.path == path))
        || result.file.as_deref() == Some(path.as_str())
}
