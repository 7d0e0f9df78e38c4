//! Plain input types: the RBAC objects and the few facts about service accounts, pods, secrets and
//! namespaces that permission and escalation analysis needs.
//!
//! The crate does not read YAML itself. The engine builds these from its own spanned documents and sets
//! `origin` so results can be mapped back to file positions; tests and small tools can deserialize them
//! straight from the Kubernetes JSON shapes (camelCase) through serde.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::selector::LabelSelector;

/// Opaque handle to where an input object came from (for example an index into the engine's document
/// list). The crate never interprets it; it is copied into results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceRef(pub usize);

/// A Role (`namespace: Some`) or ClusterRole (`namespace: None`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Role {
    pub namespace: Option<String>,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub rules: Vec<PolicyRule>,
    /// `aggregationRule.clusterRoleSelectors` of a ClusterRole. When present, the aggregation controller
    /// replaces `rules` with the union of the rules of every matching ClusterRole.
    pub aggregation_rule: Option<Vec<LabelSelector>>,
    #[serde(skip)]
    pub origin: Option<SourceRef>,
}

/// One entry of `rules` in a Role or ClusterRole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRule {
    #[serde(default, deserialize_with = "nullable")]
    pub api_groups: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub resources: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub verbs: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub resource_names: Vec<String>,
    #[serde(default, deserialize_with = "nullable", rename = "nonResourceURLs")]
    pub non_resource_urls: Vec<String>,
}

/// A RoleBinding (`namespace: Some`) or ClusterRoleBinding (`namespace: None`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Binding {
    pub namespace: Option<String>,
    pub name: String,
    pub role_ref: RoleRef,
    pub subjects: Vec<Subject>,
    #[serde(skip)]
    pub origin: Option<SourceRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleRef {
    #[serde(default)]
    pub kind: RoleRefKind,
    #[serde(default)]
    pub name: String,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum RoleRefKind {
    Role,
    #[default]
    ClusterRole,
    /// Anything else: the API server rejects it, so such a binding grants nothing.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    #[serde(default)]
    pub name: String,
    /// Only meaningful for service accounts. In a RoleBinding an empty namespace means the binding's own
    /// namespace (the authorizer defaults it); in a ClusterRoleBinding it matches nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum SubjectKind {
    #[default]
    User,
    Group,
    ServiceAccount,
    #[serde(other)]
    Unknown,
}

/// A ServiceAccount object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ServiceAccount {
    pub namespace: String,
    pub name: String,
    /// `automountServiceAccountToken`; `None` means the Kubernetes default (mounted).
    pub automount_token: Option<bool>,
    #[serde(skip)]
    pub origin: Option<SourceRef>,
}

/// What escalation analysis needs to know about one pod (or one pod template of a workload).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PodInfo {
    pub namespace: String,
    pub name: String,
    pub service_account: String,
    /// Whether the service-account token is in the pod: `Some(true)` for `automountServiceAccountToken:
    /// true` or a projected `serviceAccountToken` volume, `Some(false)` when the pod opts out, `None` to
    /// defer to the service account (and then to the default, mounted).
    pub token_mounted: Option<bool>,
    /// Any container (init, ephemeral included) with `securityContext.privileged: true`.
    pub privileged: bool,
    pub host_pid: bool,
    /// Any `hostPath` volume.
    pub host_path: bool,
    pub node_name: Option<String>,
    #[serde(skip)]
    pub origin: Option<SourceRef>,
}

impl PodInfo {
    /// Whether code running in this pod owns the node: a privileged container, the host PID namespace or
    /// a host directory are each well-known escapes to root on the node.
    pub fn is_node_escape(&self) -> bool {
        self.privileged || self.host_pid || self.host_path
    }
}

/// A Secret, reduced to what matters for token theft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SecretInfo {
    pub namespace: String,
    pub name: String,
    /// `type`, for example `kubernetes.io/service-account-token`.
    pub type_: String,
    /// The `kubernetes.io/service-account.name` annotation.
    pub service_account: Option<String>,
    #[serde(skip)]
    pub origin: Option<SourceRef>,
}

impl SecretInfo {
    pub const SERVICE_ACCOUNT_TOKEN: &'static str = "kubernetes.io/service-account-token";

    pub fn is_service_account_token(&self) -> bool {
        self.type_ == Self::SERVICE_ACCOUNT_TOKEN && self.service_account.is_some()
    }
}

/// A Namespace; its labels tell whether Pod Security Admission blocks privileged pods there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct NamespaceInfo {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    #[serde(skip)]
    pub origin: Option<SourceRef>,
}

impl NamespaceInfo {
    /// Pod Security Admission in `enforce` mode at `baseline` or `restricted` rejects privileged,
    /// hostPID and hostPath pods, which closes the "create a pod that escapes to the node" path.
    pub fn blocks_privileged_pods(&self) -> bool {
        matches!(
            self.labels
                .get("pod-security.kubernetes.io/enforce")
                .map(String::as_str),
            Some("baseline" | "restricted")
        )
    }
}

/// Everything the index is built from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RbacInput {
    pub roles: Vec<Role>,
    pub bindings: Vec<Binding>,
    pub service_accounts: Vec<ServiceAccount>,
    pub pods: Vec<PodInfo>,
    pub secrets: Vec<SecretInfo>,
    pub namespaces: Vec<NamespaceInfo>,
}

impl RbacInput {
    /// Adds one deserialized Kubernetes object; kinds the crate does not use are ignored.
    pub fn push(&mut self, object: Object) {
        match object {
            Object::Role(mut role) => {
                role.namespace.get_or_insert_with(default_namespace);
                self.roles.push(role);
            }
            Object::ClusterRole(mut role) => {
                role.namespace = None;
                self.roles.push(role);
            }
            Object::RoleBinding(mut binding) => {
                binding.namespace.get_or_insert_with(default_namespace);
                self.bindings.push(binding);
            }
            Object::ClusterRoleBinding(mut binding) => {
                binding.namespace = None;
                self.bindings.push(binding);
            }
            Object::ServiceAccount(sa) => self.service_accounts.push(sa),
            Object::Pod(pod) => self.pods.push(pod),
            Object::Secret(secret) => self.secrets.push(secret),
            Object::Namespace(ns) => self.namespaces.push(ns),
            Object::List(list) => {
                for item in list.items {
                    self.push(item);
                }
            }
            Object::Other => {}
        }
    }
}

impl FromIterator<Object> for RbacInput {
    fn from_iter<I: IntoIterator<Item = Object>>(iter: I) -> Self {
        let mut input = RbacInput::default();
        for object in iter {
            input.push(object);
        }
        input
    }
}

/// A Kubernetes object as it appears in a manifest, dispatched on `kind`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind")]
pub enum Object {
    Role(Role),
    ClusterRole(Role),
    RoleBinding(Binding),
    ClusterRoleBinding(Binding),
    ServiceAccount(ServiceAccount),
    Pod(PodInfo),
    Secret(SecretInfo),
    Namespace(NamespaceInfo),
    List(ObjectList),
    #[serde(other)]
    Other,
}

/// `kind: List` (what `kubectl get -o yaml` prints for several objects).
#[derive(Debug, Clone, Deserialize)]
pub struct ObjectList {
    #[serde(default, deserialize_with = "nullable")]
    pub items: Vec<Object>,
}

fn default_namespace() -> String {
    "default".to_owned()
}

/// `null` and a missing field both mean empty, as in Go.
fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

// ---- Kubernetes document shapes -------------------------------------------------------------------

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    labels: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "nullable")]
    annotations: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleDoc {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default, deserialize_with = "nullable")]
    rules: Vec<PolicyRule>,
    #[serde(default)]
    aggregation_rule: Option<AggregationRuleDoc>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AggregationRuleDoc {
    #[serde(default, deserialize_with = "nullable")]
    cluster_role_selectors: Vec<LabelSelector>,
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = RoleDoc::deserialize(deserializer)?;
        Ok(Role {
            namespace: doc.metadata.namespace,
            name: doc.metadata.name,
            labels: doc.metadata.labels,
            rules: doc.rules,
            aggregation_rule: doc.aggregation_rule.map(|a| a.cluster_role_selectors),
            origin: None,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BindingDoc {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    role_ref: RoleRef,
    #[serde(default, deserialize_with = "nullable")]
    subjects: Vec<Subject>,
}

impl<'de> Deserialize<'de> for Binding {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = BindingDoc::deserialize(deserializer)?;
        Ok(Binding {
            namespace: doc.metadata.namespace,
            name: doc.metadata.name,
            role_ref: doc.role_ref,
            subjects: doc.subjects,
            origin: None,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServiceAccountDoc {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    automount_service_account_token: Option<bool>,
}

impl<'de> Deserialize<'de> for ServiceAccount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = ServiceAccountDoc::deserialize(deserializer)?;
        Ok(ServiceAccount {
            namespace: doc.metadata.namespace.unwrap_or_else(default_namespace),
            name: doc.metadata.name,
            automount_token: doc.automount_service_account_token,
            origin: None,
        })
    }
}

#[derive(Deserialize)]
struct PodDoc {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default)]
    spec: PodSpecDoc,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct PodSpecDoc {
    #[serde(default)]
    service_account_name: Option<String>,
    /// Deprecated alias of `serviceAccountName`, still honoured by the API server.
    #[serde(default)]
    service_account: Option<String>,
    #[serde(default)]
    automount_service_account_token: Option<bool>,
    #[serde(default, rename = "hostPID")]
    host_pid: Option<bool>,
    #[serde(default)]
    node_name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    containers: Vec<ContainerDoc>,
    #[serde(default, deserialize_with = "nullable")]
    init_containers: Vec<ContainerDoc>,
    #[serde(default, deserialize_with = "nullable")]
    ephemeral_containers: Vec<ContainerDoc>,
    #[serde(default, deserialize_with = "nullable")]
    volumes: Vec<VolumeDoc>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContainerDoc {
    #[serde(default)]
    security_context: Option<SecurityContextDoc>,
}

#[derive(Deserialize)]
struct SecurityContextDoc {
    #[serde(default)]
    privileged: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VolumeDoc {
    #[serde(default)]
    host_path: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    projected: Option<ProjectedDoc>,
}

#[derive(Deserialize)]
struct ProjectedDoc {
    #[serde(default, deserialize_with = "nullable")]
    sources: Vec<ProjectionDoc>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProjectionDoc {
    #[serde(default)]
    service_account_token: Option<serde::de::IgnoredAny>,
}

impl<'de> Deserialize<'de> for PodInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = PodDoc::deserialize(deserializer)?;
        let spec = doc.spec;
        let projected_token = spec.volumes.iter().any(|v| {
            v.projected
                .as_ref()
                .is_some_and(|p| p.sources.iter().any(|s| s.service_account_token.is_some()))
        });
        let privileged = spec
            .containers
            .iter()
            .chain(&spec.init_containers)
            .chain(&spec.ephemeral_containers)
            .any(|c| {
                c.security_context
                    .as_ref()
                    .and_then(|s| s.privileged)
                    .unwrap_or(false)
            });
        Ok(PodInfo {
            namespace: doc.metadata.namespace.unwrap_or_else(default_namespace),
            name: doc.metadata.name,
            service_account: spec
                .service_account_name
                .filter(|s| !s.is_empty())
                .or(spec.service_account.filter(|s| !s.is_empty()))
                .unwrap_or_else(|| "default".to_owned()),
            token_mounted: if projected_token {
                Some(true)
            } else {
                spec.automount_service_account_token
            },
            privileged,
            host_pid: spec.host_pid.unwrap_or(false),
            host_path: spec.volumes.iter().any(|v| v.host_path.is_some()),
            node_name: spec.node_name,
            origin: None,
        })
    }
}

#[derive(Deserialize)]
struct SecretDoc {
    #[serde(default)]
    metadata: Metadata,
    #[serde(default, rename = "type")]
    type_: Option<String>,
}

impl<'de> Deserialize<'de> for SecretInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut doc = SecretDoc::deserialize(deserializer)?;
        Ok(SecretInfo {
            namespace: doc.metadata.namespace.unwrap_or_else(default_namespace),
            name: doc.metadata.name,
            type_: doc.type_.unwrap_or_else(|| "Opaque".to_owned()),
            service_account: doc
                .metadata
                .annotations
                .remove("kubernetes.io/service-account.name"),
            origin: None,
        })
    }
}

#[derive(Deserialize)]
struct NamespaceDoc {
    #[serde(default)]
    metadata: Metadata,
}

impl<'de> Deserialize<'de> for NamespaceInfo {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let doc = NamespaceDoc::deserialize(deserializer)?;
        Ok(NamespaceInfo {
            name: doc.metadata.name,
            labels: doc.metadata.labels,
            origin: None,
        })
    }
}
