/// Kinds that are not namespaced (the common ones; a custom resource is assumed namespaced unless it is
/// listed here, which only matters for display).
const CLUSTER_SCOPED: &[&str] = &[
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "StorageClass",
    "PriorityClass",
    "RuntimeClass",
    "IngressClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionPolicyBinding",
    "APIService",
    "CertificateSigningRequest",
    "PodSecurityPolicy",
    "FlowSchema",
    "PriorityLevelConfiguration",
    "GatewayClass",
    "ClusterIssuer",
    "CiliumClusterwideNetworkPolicy",
    "GlobalNetworkPolicy",
    "GlobalNetworkSet",
    "ComponentStatus",
    "TokenReview",
    "SelfSubjectAccessReview",
    "SubjectAccessReview",
    "SelfSubjectRulesReview",
];

pub fn is_cluster_scoped(kind: &str) -> bool {
    CLUSTER_SCOPED.contains(&kind)
}

/// Kinds that create pods, with the path from the object's root to their pod spec.
pub(crate) fn pod_spec_path(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" => &["spec"],
        "PodTemplate" => &["template", "spec"],
        "Deployment"
        | "StatefulSet"
        | "DaemonSet"
        | "ReplicaSet"
        | "ReplicationController"
        | "Job" => &["spec", "template", "spec"],
        "CronJob" => &["spec", "jobTemplate", "spec", "template", "spec"],
        _ => return None,
    })
}

pub fn is_pod_bearing(kind: &str) -> bool {
    pod_spec_path(kind).is_some()
}
