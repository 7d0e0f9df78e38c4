//! The scanned objects as the RBAC engine's input.
//!
//! Roles and bindings go through their Kubernetes JSON shape (`Node::to_json`) into
//! `kubeward_rbac::Object`, so the engine's own deserialisers decide what a rule or a subject means.
//! Pods, service accounts, Secrets and namespaces are read straight from the tree into the few fields
//! the engine keeps (a Secret's data is never copied): on a 100,000-object scan the JSON detour for
//! them cost most of the RBAC analysis. Every pod-bearing kind becomes a pod (a Deployment's template
//! runs as its service account just like a bare Pod), and each input object carries its position in
//! the inventory as `origin`, which is how findings find their way back to file and line.

use std::collections::BTreeMap;

use kubeward_model::{Inventory, Object, Workload};
use kubeward_rbac::{
    NamespaceInfo, PodInfo, PolicyRule, RbacInput, Role, SecretInfo, ServiceAccount, SourceRef,
};
use kubeward_source::Node;

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
    /// A Role, ClusterRole or binding, read by the engine's deserialisers.
    Rbac,
    /// A ServiceAccount, Secret or Namespace, read into its summary directly.
    Core,
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
        ) => Some(Participation::Rbac),
        ("ServiceAccount" | "Secret" | "Namespace", "") => Some(Participation::Core),
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
        let origin = Some(SourceRef(index));
        match how {
            Participation::Rbac => {
                match serde_json::from_value::<kubeward_rbac::Object>(object.root.to_json()) {
                    Ok(converted) => push(&mut out.input, converted, SourceRef(index)),
                    Err(error) => out.skipped.push((index, error.to_string())),
                }
            }
            Participation::Core => core(&mut out.input, object, origin),
            Participation::Workload => {
                if let Some(workload) = Workload::of(object) {
                    out.input.pods.push(pod_of(object, &workload, origin));
                }
            }
        }
    }
    add_default_cluster_roles(&mut out.input);
    out
}

/// A string field; other scalars in its place count as absent, as a failed decode would.
fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key).and_then(Node::as_str)
}

fn namespace_or_default(object: &Object) -> String {
    object.namespace().unwrap_or("default").to_owned()
}

/// A string map (`labels`, `annotations`), scalar values as their text.
fn string_map(node: Option<&Node>) -> BTreeMap<String, String> {
    node.into_iter()
        .flat_map(Node::entries)
        .filter_map(|e| Some((e.key.to_string(), e.value.scalar_text()?)))
        .collect()
}

/// A ServiceAccount, Secret or Namespace, reduced to what the engine keeps.
fn core(input: &mut RbacInput, object: &Object, origin: Option<SourceRef>) {
    let root = &object.root;
    match object.kind() {
        "ServiceAccount" => input.service_accounts.push(ServiceAccount {
            namespace: namespace_or_default(object),
            name: object.name().to_owned(),
            automount_token: root
                .get("automountServiceAccountToken")
                .and_then(Node::as_bool),
            origin,
        }),
        "Secret" => input.secrets.push(SecretInfo {
            namespace: namespace_or_default(object),
            name: object.name().to_owned(),
            type_: text(root, "type").unwrap_or("Opaque").to_owned(),
            service_account: object
                .annotations()
                .and_then(|a| text(a, "kubernetes.io/service-account.name"))
                .map(str::to_owned),
            origin,
        }),
        "Namespace" => input.namespaces.push(NamespaceInfo {
            name: object.name().to_owned(),
            labels: string_map(object.labels()),
            origin,
        }),
        _ => {}
    }
}

/// The pod a workload's template creates, as the engine sees a pod: its service account, whether the
/// token is mounted, and what lets it escape to its node.
fn pod_of(object: &Object, workload: &Workload<'_>, origin: Option<SourceRef>) -> PodInfo {
    let spec = workload.pod_spec;
    let volumes = || spec.get("volumes").into_iter().flat_map(Node::items);
    let projected_token = volumes().any(|v| {
        v.path(&["projected", "sources"])
            .into_iter()
            .flat_map(Node::items)
            .any(|source| source.get("serviceAccountToken").is_some())
    });
    let privileged = ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .filter_map(|list| spec.get(list))
        .flat_map(Node::items)
        .any(|c| {
            c.path(&["securityContext", "privileged"])
                .and_then(Node::as_bool)
                .unwrap_or(false)
        });
    let service_account = ["serviceAccountName", "serviceAccount"]
        .iter()
        .filter_map(|key| text(spec, key))
        .find(|name| !name.is_empty())
        .unwrap_or("default");
    PodInfo {
        namespace: object.effective_namespace().unwrap_or("default").to_owned(),
        name: object.name().to_owned(),
        service_account: service_account.to_owned(),
        token_mounted: if projected_token {
            Some(true)
        } else {
            spec.get("automountServiceAccountToken")
                .and_then(Node::as_bool)
        },
        privileged,
        host_pid: spec.get("hostPID").and_then(Node::as_bool).unwrap_or(false),
        host_path: volumes().any(|v| v.get("hostPath").is_some_and(|h| !h.is_null())),
        node_name: text(spec, "nodeName").map(str::to_owned),
        origin,
    }
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

#[cfg(test)]
mod tests {
    use kubeward_model::{Inventory, objects_from_documents};
    use kubeward_source::{Limits, load_text};

    fn input(yaml: &str) -> super::Converted {
        let loaded = load_text("t.yaml", yaml.to_owned(), &Limits::default());
        let (objects, _) = objects_from_documents(loaded.documents);
        super::rbac_input(&Inventory::new(objects))
    }

    #[test]
    fn core_objects_and_pods_keep_what_the_engine_reads() {
        let converted = input(
            r#"apiVersion: v1
kind: Secret
metadata:
  name: ci-token
  namespace: ci
  annotations: {kubernetes.io/service-account.name: deployer}
type: kubernetes.io/service-account-token
data: {token: c2VjcmV0}
---
apiVersion: v1
kind: Namespace
metadata:
  name: ci
  labels: {pod-security.kubernetes.io/enforce: baseline, team-owned: true}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: ci}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: runner, namespace: ci}
spec:
  template:
    spec:
      serviceAccountName: deployer
      automountServiceAccountToken: false
      hostPID: true
      initContainers: [{name: init, securityContext: {privileged: true}}]
      containers: [{name: run}]
      volumes:
        - name: token
          projected:
            sources: [{serviceAccountToken: {path: token}}]
        - {name: empty, hostPath: null}
"#,
        );
        let input = &converted.input;
        assert!(converted.skipped.is_empty());
        let secret = &input.secrets[0];
        assert!(secret.is_service_account_token());
        assert_eq!(secret.service_account.as_deref(), Some("deployer"));
        let ns = &input.namespaces[0];
        assert!(ns.blocks_privileged_pods());
        assert_eq!(ns.labels["team-owned"], "true");
        assert_eq!(input.service_accounts[0].automount_token, Some(false));
        let pod = &input.pods[0];
        assert_eq!(pod.service_account, "deployer");
        // A projected token volume mounts the token whatever automountServiceAccountToken says.
        assert_eq!(pod.token_mounted, Some(true));
        assert!(pod.privileged && pod.host_pid && !pod.host_path);
        assert_eq!(pod.namespace, "ci");
        assert!(pod.origin.is_some() && secret.origin.is_some());
    }
}
