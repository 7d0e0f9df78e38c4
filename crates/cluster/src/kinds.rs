//! The resources kubeward reads, and how: everything the rules inspect, Secrets as metadata only,
//! CRDs by name only. Optional groups (Gateway API, Cilium, Calico) are read when the cluster
//! serves them; their absence is not a gap.

/// How a resource is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetch {
    /// Whole objects.
    Full,
    /// `PartialObjectMetadataList`: names, labels, annotations, owners — never the body. Secrets are
    /// read this way so that kubeward never holds a Secret's data; CRDs so that their (large) schemas
    /// are not transferred.
    Metadata,
}

/// A resource kubeward wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub group: &'static str,
    pub plural: &'static str,
    pub kind: &'static str,
    pub fetch: Fetch,
    /// Served only by some clusters (add-ons): not being served is normal.
    pub optional: bool,
}

const fn full(group: &'static str, plural: &'static str, kind: &'static str) -> Wanted {
    Wanted {
        group,
        plural,
        kind,
        fetch: Fetch::Full,
        optional: false,
    }
}

const fn add_on(group: &'static str, plural: &'static str, kind: &'static str) -> Wanted {
    Wanted {
        group,
        plural,
        kind,
        fetch: Fetch::Full,
        optional: true,
    }
}

/// Every resource read, in the order they are reported.
pub const WANTED: &[Wanted] = &[
    full("", "namespaces", "Namespace"),
    full("", "nodes", "Node"),
    full("", "pods", "Pod"),
    full("", "services", "Service"),
    full("", "serviceaccounts", "ServiceAccount"),
    Wanted {
        group: "",
        plural: "secrets",
        kind: "Secret",
        fetch: Fetch::Metadata,
        optional: false,
    },
    full("", "configmaps", "ConfigMap"),
    full("", "resourcequotas", "ResourceQuota"),
    full("", "limitranges", "LimitRange"),
    full("", "replicationcontrollers", "ReplicationController"),
    full("", "persistentvolumes", "PersistentVolume"),
    full("apps", "deployments", "Deployment"),
    full("apps", "statefulsets", "StatefulSet"),
    full("apps", "daemonsets", "DaemonSet"),
    full("apps", "replicasets", "ReplicaSet"),
    full("batch", "jobs", "Job"),
    full("batch", "cronjobs", "CronJob"),
    full("networking.k8s.io", "networkpolicies", "NetworkPolicy"),
    full("networking.k8s.io", "ingresses", "Ingress"),
    full("networking.k8s.io", "ingressclasses", "IngressClass"),
    full("rbac.authorization.k8s.io", "roles", "Role"),
    full("rbac.authorization.k8s.io", "rolebindings", "RoleBinding"),
    full("rbac.authorization.k8s.io", "clusterroles", "ClusterRole"),
    full(
        "rbac.authorization.k8s.io",
        "clusterrolebindings",
        "ClusterRoleBinding",
    ),
    full("policy", "poddisruptionbudgets", "PodDisruptionBudget"),
    full(
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        "ValidatingWebhookConfiguration",
    ),
    full(
        "admissionregistration.k8s.io",
        "mutatingwebhookconfigurations",
        "MutatingWebhookConfiguration",
    ),
    full(
        "admissionregistration.k8s.io",
        "validatingadmissionpolicies",
        "ValidatingAdmissionPolicy",
    ),
    full(
        "admissionregistration.k8s.io",
        "validatingadmissionpolicybindings",
        "ValidatingAdmissionPolicyBinding",
    ),
    Wanted {
        group: "apiextensions.k8s.io",
        plural: "customresourcedefinitions",
        kind: "CustomResourceDefinition",
        fetch: Fetch::Metadata,
        optional: false,
    },
    add_on("gateway.networking.k8s.io", "gateways", "Gateway"),
    add_on("gateway.networking.k8s.io", "httproutes", "HTTPRoute"),
    add_on("gateway.networking.k8s.io", "grpcroutes", "GRPCRoute"),
    add_on("gateway.networking.k8s.io", "tlsroutes", "TLSRoute"),
    add_on("gateway.networking.k8s.io", "tcproutes", "TCPRoute"),
    add_on("cilium.io", "ciliumnetworkpolicies", "CiliumNetworkPolicy"),
    add_on(
        "cilium.io",
        "ciliumclusterwidenetworkpolicies",
        "CiliumClusterwideNetworkPolicy",
    ),
    add_on("crd.projectcalico.org", "networkpolicies", "NetworkPolicy"),
    add_on(
        "crd.projectcalico.org",
        "globalnetworkpolicies",
        "GlobalNetworkPolicy",
    ),
];

/// Owners whose pod template their controller copies into what it creates (a Deployment's
/// ReplicaSets, their Pods, a CronJob's Jobs). Objects whose controller is one of these are not
/// scanned: the template is, on the owner, so a finding is reported once, on the object to fix.
pub const TEMPLATE_OWNERS: &[&str] = &[
    "Deployment",
    "ReplicaSet",
    "StatefulSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "ReplicationController",
];
