//! The scanned objects as the RBAC engine's input.
//!
//! Objects go through their Kubernetes JSON shape (`Node::to_json`) into `kubeward_rbac::Object`, so
//! the engine's own deserialisers decide what a Role or a Pod means. Every pod-bearing kind becomes a
//! pod (a Deployment's template runs as its service account just like a bare Pod), and each input
//! object carries its position in the inventory as `origin`, which is how findings find their way
//! back to file and line.

use kubeward_model::{Inventory, Object, Workload};
use kubeward_rbac::{PolicyRule, RbacInput, Role, SourceRef};

/// The engine's input, and what could not be converted.
#[derive(Debug, Default)]
pub struct Converted {
    pub input: RbacInput,
    /// Inventory index and reason of each object that looked like an RBAC input but did not convert
    /// (for example `verbs: get` instead of a list). They are left out of the analysis.
    pub skipped: Vec<(usize, String)>,
}

/// How an object takes part in RBAC analysis.
pub(crate) enum Participation {
    /// Read as the object it is (`Role`, `Secret`, ...).
    Direct,
    /// A pod-bearing kind, read as the pod its template creates.
    Workload,
}

/// Whether (and how) an object is RBAC input. RBAC kinds must be in `rbac.authorization.k8s.io`
/// and core kinds in `v1`, so a CRD that happens to be called `Role` is not mistaken for one.
fn participation(object: &Object) -> Option<Participation> {
    let group = object
        .api_version()
        .split_once('/')
        .map_or("", |(group, _)| group);
    match (object.kind(), group) {
        (
            "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding",
            "rbac.authorization.k8s.io",
        ) => Some(Participation::Direct),
        ("ServiceAccount" | "Secret" | "Namespace", "") => Some(Participation::Direct),
        _ if Workload::of(object).is_some() => Some(Participation::Workload),
        _ => None,
    }
}

/// Converts every RBAC-relevant object of `inventory`, then adds the default ClusterRoles every
/// cluster has (`cluster-admin`, `admin`, `edit`, `view`) unless the input defines them: manifests
/// bind them without shipping them, and without their rules a binding to `cluster-admin` would look
/// like a binding to nothing.
pub fn rbac_input(inventory: &Inventory) -> Converted {
    let mut out = Converted::default();
    for (index, object) in inventory.objects().iter().enumerate() {
        let Some(how) = participation(object) else {
            continue;
        };
        let json = match how {
            Participation::Direct => object.root.to_json(),
            Participation::Workload => match Workload::of(object) {
                Some(workload) => pod_of(object, &workload),
                None => continue,
            },
        };
        match serde_json::from_value::<kubeward_rbac::Object>(json) {
            Ok(converted) => push(&mut out.input, converted, SourceRef(index)),
            Err(error) => out.skipped.push((index, error.to_string())),
        }
    }
    add_default_cluster_roles(&mut out.input);
    out
}

/// The pod a workload's template creates, in the Pod shape the engine reads.
fn pod_of(object: &Object, workload: &Workload<'_>) -> serde_json::Value {
    serde_json::json!({
        "kind": "Pod",
        "metadata": {
            "name": object.name(),
            "namespace": object.effective_namespace().unwrap_or("default"),
        },
        "spec": rbac_relevant_spec(workload),
    })
}

/// Only the pod-spec fields the RBAC engine reads (service account, token mounting, node, and what
/// lets a pod escape to its node). Converting whole pod specs — every container's env, probes and
/// resources — cost seconds on 100,000-object scans for nothing.
fn rbac_relevant_spec(workload: &Workload<'_>) -> serde_json::Value {
    let spec = workload.pod_spec;
    let mut out = serde_json::Map::new();
    for field in [
        "serviceAccountName",
        "serviceAccount",
        "automountServiceAccountToken",
        "hostPID",
        "nodeName",
    ] {
        if let Some(value) = spec.get(field) {
            out.insert(field.to_string(), value.to_json());
        }
    }
    for list in ["containers", "initContainers", "ephemeralContainers"] {
        let containers: Vec<serde_json::Value> = spec
            .get(list)
            .into_iter()
            .flat_map(kubeward_source::Node::items)
            .map(|c| {
                let privileged = c
                    .path(&["securityContext", "privileged"])
                    .map_or(serde_json::Value::Null, kubeward_source::Node::to_json);
                serde_json::json!({"securityContext": {"privileged": privileged}})
            })
            .collect();
        out.insert(list.to_string(), containers.into());
    }
    let volumes: Vec<serde_json::Value> = spec
        .get("volumes")
        .into_iter()
        .flat_map(kubeward_source::Node::items)
        .map(|v| match v.get("hostPath") {
            Some(host_path) => serde_json::json!({"hostPath": host_path.to_json()}),
            None => serde_json::json!({}),
        })
        .collect();
    out.insert("volumes".to_string(), volumes.into());
    out.into()
}

fn push(input: &mut RbacInput, object: kubeward_rbac::Object, origin: SourceRef) {
    let before = (
        input.roles.len(),
        input.bindings.len(),
        input.service_accounts.len(),
        input.pods.len(),
        input.secrets.len(),
        input.namespaces.len(),
    );
    input.push(object);
    // `push` appends one element to one list (the model has expanded `List`s already).
    for role in &mut input.roles[before.0..] {
        role.origin = Some(origin);
    }
    for binding in &mut input.bindings[before.1..] {
        binding.origin = Some(origin);
    }
    for sa in &mut input.service_accounts[before.2..] {
        sa.origin = Some(origin);
    }
    for pod in &mut input.pods[before.3..] {
        pod.origin = Some(origin);
    }
    for secret in &mut input.secrets[before.4..] {
        secret.origin = Some(origin);
    }
    for ns in &mut input.namespaces[before.5..] {
        ns.origin = Some(origin);
    }
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
    let strings = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect();
    PolicyRule {
        api_groups: strings(groups),
        resources: strings(resources),
        verbs: strings(verbs),
        ..PolicyRule::default()
    }
}

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];

/// The user-facing default ClusterRoles of the Kubernetes bootstrap policy
/// (`plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go`), with their aggregated rules folded
/// in. Only the parts that matter for risk are exact: who reads Secrets, creates pods, execs into them,
/// manages roles and bindings, impersonates service accounts.
fn default_cluster_roles() -> Vec<Role> {
    let view = vec![
        rule(
            &[""],
            &[
                "pods",
                "pods/log",
                "pods/status",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "replicationcontrollers/status",
                "serviceaccounts",
                "services",
                "services/status",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "configmaps",
                "bindings",
                "events",
                "limitranges",
                "resourcequotas",
                "resourcequotas/status",
                "namespaces",
                "namespaces/status",
            ],
            READ,
        ),
        rule(&["discovery.k8s.io"], &["endpointslices"], READ),
        rule(
            &["apps"],
            &[
                "controllerrevisions",
                "daemonsets",
                "daemonsets/status",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "replicasets",
                "replicasets/scale",
                "replicasets/status",
                "statefulsets",
                "statefulsets/scale",
                "statefulsets/status",
            ],
            READ,
        ),
        rule(
            &["autoscaling"],
            &[
                "horizontalpodautoscalers",
                "horizontalpodautoscalers/status",
            ],
            READ,
        ),
        rule(
            &["batch"],
            &["cronjobs", "cronjobs/status", "jobs", "jobs/status"],
            READ,
        ),
        rule(
            &["policy"],
            &["poddisruptionbudgets", "poddisruptionbudgets/status"],
            READ,
        ),
        rule(
            &["networking.k8s.io"],
            &["ingresses", "ingresses/status", "networkpolicies"],
            READ,
        ),
    ];
    let mut edit = view.clone();
    edit.extend([
        rule(
            &[""],
            &[
                "pods/attach",
                "pods/exec",
                "pods/portforward",
                "pods/proxy",
                "secrets",
                "services/proxy",
            ],
            READ,
        ),
        rule(&[""], &["serviceaccounts"], &["impersonate"]),
        rule(
            &[""],
            &[
                "pods",
                "pods/attach",
                "pods/exec",
                "pods/portforward",
                "pods/proxy",
            ],
            WRITE,
        ),
        rule(&[""], &["pods/eviction"], &["create"]),
        rule(
            &[""],
            &[
                "configmaps",
                "events",
                "persistentvolumeclaims",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "secrets",
                "serviceaccounts",
                "services",
                "services/proxy",
            ],
            WRITE,
        ),
        rule(&[""], &["serviceaccounts/token"], &["create"]),
        rule(
            &["apps"],
            &[
                "daemonsets",
                "deployments",
                "deployments/rollback",
                "deployments/scale",
                "replicasets",
                "replicasets/scale",
                "statefulsets",
                "statefulsets/scale",
            ],
            WRITE,
        ),
        rule(&["autoscaling"], &["horizontalpodautoscalers"], WRITE),
        rule(&["batch"], &["cronjobs", "jobs"], WRITE),
        rule(&["policy"], &["poddisruptionbudgets"], WRITE),
        rule(
            &["networking.k8s.io"],
            &["ingresses", "networkpolicies"],
            WRITE,
        ),
    ]);
    let mut admin = edit.clone();
    admin.extend([
        rule(
            &["authorization.k8s.io"],
            &["localsubjectaccessreviews"],
            &["create"],
        ),
        rule(
            &["rbac.authorization.k8s.io"],
            &["rolebindings", "roles"],
            &[
                "create",
                "delete",
                "deletecollection",
                "get",
                "list",
                "patch",
                "update",
                "watch",
            ],
        ),
    ]);
    let cluster_admin = vec![
        rule(&["*"], &["*"], &["*"]),
        PolicyRule {
            non_resource_urls: vec!["*".to_owned()],
            verbs: vec!["*".to_owned()],
            ..PolicyRule::default()
        },
    ];
    [
        ("cluster-admin", cluster_admin),
        ("admin", admin),
        ("edit", edit),
        ("view", view),
    ]
    .into_iter()
    .map(|(name, rules)| Role {
        name: name.to_owned(),
        rules,
        ..Role::default()
    })
    .collect()
}

fn add_default_cluster_roles(input: &mut RbacInput) {
    for role in default_cluster_roles() {
        let defined = input
            .roles
            .iter()
            .any(|r| r.namespace.is_none() && r.name == role.name);
        if !defined {
            input.roles.push(role);
        }
    }
}
