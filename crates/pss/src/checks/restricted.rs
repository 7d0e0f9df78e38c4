//! Restricted-only checks on volumes and the user a container runs as.

use kubeward_source::Node;

use super::Failure;
use crate::message::{containers, join_quote, pluralize, sorted_set};
use crate::pod::{Pod, field};

/// Volume sources restricted pods may use: ephemeral or API-projected data, and claims whose storage an
/// administrator provisions. `image` has been accepted at every policy version since Kubernetes 1.33
/// (PSA patched it into its v1.0 implementation rather than adding a version).
const ALLOWED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "image",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Every other volume source of the Kubernetes API, in the order PSA names the first one found.
const RESTRICTED_VOLUMES: &[&str] = &[
    "hostPath",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "gitRepo",
    "nfs",
    "iscsi",
    "glusterfs",
    "rbd",
    "flexVolume",
    "cinder",
    "cephfs",
    "flocker",
    "fc",
    "azureFile",
    "vsphereVolume",
    "quobyte",
    "azureDisk",
    "photonPersistentDisk",
    "portworxVolume",
    "scaleIO",
    "storageos",
];

/// Only the allowed volume types. A volume with no known source is not flagged: the API server
/// defaults it to `emptyDir` before admission (unknown fields are dropped when decoding).
pub(crate) fn restricted_volumes(pod: &Pod<'_>) -> Option<Failure> {
    let mut names = Vec::new();
    let mut types = Vec::new();
    let mut spans = Vec::new();
    for volume in pod.spec_field("volumes").into_iter().flat_map(Node::items) {
        if ALLOWED_VOLUMES
            .iter()
            .any(|t| field(Some(volume), t).is_some())
        {
            continue;
        }
        if let Some((ty, node)) = RESTRICTED_VOLUMES
            .iter()
            .find_map(|t| field(Some(volume), t).map(|n| (*t, n)))
        {
            names.push(
                field(Some(volume), "name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
            );
            types.push(ty);
            spans.push(node.span);
        }
    }
    if names.is_empty() {
        return None;
    }
    let types = sorted_set(&types);
    Some(Failure {
        reason: "restricted volume types".into(),
        detail: format!(
            "{} {} {} {} {}",
            pluralize("volume", "volumes", names.len()),
            join_quote(&names),
            pluralize("uses", "use", names.len()),
            pluralize(
                "restricted volume type",
                "restricted volume types",
                types.len()
            ),
            join_quote(&types)
        ),
        spans,
    })
}

/// `runAsNonRoot: true` on the pod (not overridden by a container's `false`) or on every container:
/// the kubelet then refuses to start an image whose user is root.
pub(crate) fn run_as_non_root(pod: &Pod<'_>) -> Option<Failure> {
    let mut setters = Vec::new();
    let mut spans = Vec::new();
    let mut pod_true = false;
    if let Some(n) = pod.security("runAsNonRoot") {
        if n.as_bool() == Some(true) {
            pod_true = true;
        } else {
            setters.push("pod".to_string());
            spans.push(n.span);
        }
    }
    let mut explicit = Vec::new();
    let mut implicit = Vec::new();
    let mut implicit_spans = Vec::new();
    for c in &pod.containers {
        match c.security("runAsNonRoot") {
            Some(n) if n.as_bool() == Some(true) => {}
            Some(n) => {
                explicit.push(c.name);
                spans.push(n.span);
            }
            None if !pod_true => {
                implicit.push(c.name);
                implicit_spans.push(c.span());
            }
            None => {}
        }
    }
    if !explicit.is_empty() {
        setters.push(containers(&explicit));
    }
    if !setters.is_empty() {
        return Some(Failure {
            reason: "runAsNonRoot != true".into(),
            detail: format!(
                "{} must not set securityContext.runAsNonRoot=false",
                setters.join(" and ")
            ),
            spans,
        });
    }
    (!implicit.is_empty()).then(|| Failure {
        reason: "runAsNonRoot != true".into(),
        detail: format!(
            "pod or {} must set securityContext.runAsNonRoot=true",
            containers(&implicit)
        ),
        spans: implicit_spans,
    })
}

/// From v1.35 a pod with `hostUsers: false` is exempt: root in its own user namespace is an
/// unprivileged user on the node.
pub(crate) fn run_as_non_root_1_35(pod: &Pod<'_>) -> Option<Failure> {
    if pod.in_user_namespace() {
        return None;
    }
    run_as_non_root(pod)
}

/// `runAsUser: 0` anywhere (pod or container) — even when every container overrides a pod-level 0.
pub(crate) fn run_as_user(pod: &Pod<'_>) -> Option<Failure> {
    let is_root = |n: &&Node| n.as_i64() == Some(0);
    let mut setters = Vec::new();
    let mut spans = Vec::new();
    if let Some(n) = pod.security("runAsUser").filter(is_root) {
        setters.push("pod".to_string());
        spans.push(n.span);
    }
    let mut bad = Vec::new();
    for c in &pod.containers {
        if let Some(n) = c.security("runAsUser").filter(is_root) {
            bad.push(c.name);
            spans.push(n.span);
        }
    }
    if !bad.is_empty() {
        setters.push(containers(&bad));
    }
    (!setters.is_empty()).then(|| Failure {
        reason: "runAsUser=0".into(),
        detail: format!("{} must not set runAsUser=0", setters.join(" and ")),
        spans,
    })
}

/// From v1.35 a pod with `hostUsers: false` is exempt, as for `runAsNonRoot`.
pub(crate) fn run_as_user_1_35(pod: &Pod<'_>) -> Option<Failure> {
    if pod.in_user_namespace() {
        return None;
    }
    run_as_user(pod)
}
