//! Which resources the server serves: the built-in API groups of a current Kubernetes, plus the
//! resources that CustomResourceDefinitions among the served objects define (Gateway API, Cilium,
//! Calico...), plus, as a last resort, a guess for objects of kinds nothing defines.

use serde_json::Value;

/// One served resource, as discovery describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub group: String,
    pub version: String,
    pub kind: String,
    /// The plural name used in URLs (`deployments`).
    pub plural: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
}

impl Resource {
    /// `apps/v1`, or `v1` for the core group.
    pub fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// `deployments.apps`, `pods`: how RBAC messages and [`crate::Options::forbidden`] name it.
    pub fn qualified(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// The URL prefix of the resource's group version: `/api/v1` or `/apis/apps/v1`.
    pub fn prefix(&self) -> String {
        if self.group.is_empty() {
            format!("/api/{}", self.version)
        } else {
            format!("/apis/{}/{}", self.group, self.version)
        }
    }
}

/// (group, version, kind, plural, namespaced, short names) of a built-in resource.
type BuiltIn = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    &'static [&'static str],
);

/// The built-in resources served.
const BUILT_IN: &[BuiltIn] = &[
    ("", "v1", "Pod", "pods", true, &["po"]),
    ("", "v1", "Service", "services", true, &["svc"]),
    ("", "v1", "ServiceAccount", "serviceaccounts", true, &["sa"]),
    ("", "v1", "Secret", "secrets", true, &[]),
    ("", "v1", "ConfigMap", "configmaps", true, &["cm"]),
    ("", "v1", "Namespace", "namespaces", false, &["ns"]),
    ("", "v1", "Node", "nodes", false, &["no"]),
    (
        "",
        "v1",
        "PersistentVolume",
        "persistentvolumes",
        false,
        &["pv"],
    ),
    (
        "",
        "v1",
        "PersistentVolumeClaim",
        "persistentvolumeclaims",
        true,
        &["pvc"],
    ),
    (
        "",
        "v1",
        "ResourceQuota",
        "resourcequotas",
        true,
        &["quota"],
    ),
    ("", "v1", "LimitRange", "limitranges", true, &["limits"]),
    ("", "v1", "Endpoints", "endpoints", true, &["ep"]),
    (
        "",
        "v1",
        "ReplicationController",
        "replicationcontrollers",
        true,
        &["rc"],
    ),
    ("", "v1", "PodTemplate", "podtemplates", true, &[]),
    ("apps", "v1", "Deployment", "deployments", true, &["deploy"]),
    ("apps", "v1", "StatefulSet", "statefulsets", true, &["sts"]),
    ("apps", "v1", "DaemonSet", "daemonsets", true, &["ds"]),
    ("apps", "v1", "ReplicaSet", "replicasets", true, &["rs"]),
    ("batch", "v1", "Job", "jobs", true, &[]),
    ("batch", "v1", "CronJob", "cronjobs", true, &["cj"]),
    (
        "autoscaling",
        "v2",
        "HorizontalPodAutoscaler",
        "horizontalpodautoscalers",
        true,
        &["hpa"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "NetworkPolicy",
        "networkpolicies",
        true,
        &["netpol"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "Ingress",
        "ingresses",
        true,
        &["ing"],
    ),
    (
        "networking.k8s.io",
        "v1",
        "IngressClass",
        "ingressclasses",
        false,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "Role",
        "roles",
        true,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "RoleBinding",
        "rolebindings",
        true,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRole",
        "clusterroles",
        false,
        &[],
    ),
    (
        "rbac.authorization.k8s.io",
        "v1",
        "ClusterRoleBinding",
        "clusterrolebindings",
        false,
        &[],
    ),
    (
        "policy",
        "v1",
        "PodDisruptionBudget",
        "poddisruptionbudgets",
        true,
        &["pdb"],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "MutatingWebhookConfiguration",
        "mutatingwebhookconfigurations",
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicy",
        "validatingadmissionpolicies",
        false,
        &[],
    ),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingAdmissionPolicyBinding",
        "validatingadmissionpolicybindings",
        false,
        &[],
    ),
    (
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
        &["crd", "crds"],
    ),
    (
        "storage.k8s.io",
        "v1",
        "StorageClass",
        "storageclasses",
        false,
        &["sc"],
    ),
];

/// Groups of older API versions whose kinds a current server serves from another group
/// (`extensions/v1beta1` Deployments are `apps/v1` Deployments today).
const RETIRED_GROUPS: &[&str] = &["extensions"];

/// The resources a server serves, in discovery order.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    resources: Vec<Resource>,
}

impl Catalog {
    /// The built-in resources.
    pub fn built_in() -> Self {
        let resources = BUILT_IN
            .iter()
            .map(
                |(group, version, kind, plural, namespaced, short)| Resource {
                    group: (*group).into(),
                    version: (*version).into(),
                    kind: (*kind).into(),
                    plural: (*plural).into(),
                    namespaced: *namespaced,
                    short_names: short.iter().map(|s| (*s).into()).collect(),
                },
            )
            .collect();
        Self { resources }
    }

    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }

    /// Adds the resource a CustomResourceDefinition defines (its storage version, else its first
    /// served one).
    pub fn add_crd(&mut self, crd: &Value) {
        let spec = &crd["spec"];
        let (Some(group), Some(kind), Some(plural)) = (
            spec["group"].as_str(),
            spec["names"]["kind"].as_str(),
            spec["names"]["plural"].as_str(),
        ) else {
            return;
        };
        let versions = spec["versions"].as_array().cloned().unwrap_or_default();
        let version = versions
            .iter()
            .find(|v| v["storage"].as_bool() == Some(true))
            .or_else(|| versions.first())
            .and_then(|v| v["name"].as_str());
        let Some(version) = version else { return };
        let short_names = spec["names"]["shortNames"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        self.add(Resource {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
            plural: plural.into(),
            namespaced: spec["scope"].as_str() != Some("Cluster"),
            short_names,
        });
    }

    fn add(&mut self, resource: Resource) {
        if self
            .resources
            .iter()
            .any(|r| r.group == resource.group && r.kind == resource.kind)
        {
            return;
        }
        self.resources.push(resource);
    }

    /// The resource an object of `apiVersion`/`kind` is stored as; defines a guessed one for kinds
    /// nothing defines (plural by English rules, scope from whether the object has a namespace).
    pub fn resource_for(&mut self, api_version: &str, kind: &str, has_namespace: bool) -> usize {
        let (group, version) = match api_version.split_once('/') {
            Some((g, v)) => (g, v),
            None => ("", api_version),
        };
        let found = self
            .resources
            .iter()
            .position(|r| r.kind == kind && (r.group == group || RETIRED_GROUPS.contains(&group)));
        if let Some(index) = found {
            return index;
        }
        self.resources.push(Resource {
            group: group.into(),
            version: version.into(),
            kind: kind.into(),
            plural: plural_of(kind),
            namespaced: has_namespace,
            short_names: Vec::new(),
        });
        self.resources.len() - 1
    }

    /// The resource served at `group`/`version` under `plural`.
    pub fn find(&self, group: &str, version: &str, plural: &str) -> Option<usize> {
        self.resources
            .iter()
            .position(|r| r.group == group && r.version == version && r.plural == plural)
    }

    /// Group versions served, core first.
    pub fn group_versions(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        for r in &self.resources {
            let gv = (r.group.clone(), r.version.clone());
            if !out.contains(&gv) {
                out.push(gv);
            }
        }
        out
    }
}

/// How Kubernetes pluralises a kind when a CRD does not say (`NetworkPolicy` -> `networkpolicies`).
pub fn plural_of(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return format!("{stem}ies");
    }
    if lower.ends_with('s') || lower.ends_with("ch") || lower.ends_with('x') {
        return format!("{lower}es");
    }
    format!("{lower}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_follow_kubernetes() {
        assert_eq!(plural_of("NetworkPolicy"), "networkpolicies");
        assert_eq!(plural_of("Gateway"), "gateways");
        assert_eq!(plural_of("Ingress"), "ingresses");
        assert_eq!(plural_of("HTTPRoute"), "httproutes");
    }

    #[test]
    fn retired_groups_map_to_current_ones() {
        let mut c = Catalog::built_in();
        let i = c.resource_for("extensions/v1beta1", "Deployment", true);
        assert_eq!(c.resources()[i].api_version(), "apps/v1");
        let j = c.resource_for("example.com/v1", "Widget", false);
        assert_eq!(c.resources()[j].plural, "widgets");
        assert!(!c.resources()[j].namespaced);
    }
}
