//! Thin typed views over objects that rules and engines read often.

use kubeward_source::Node;

use crate::object::Object;
use crate::selector::LabelSelector;

/// A Service port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub name: Option<String>,
    pub port: Option<i64>,
    pub protocol: String,
    /// `targetPort`: a number or a named container port.
    pub target: Option<String>,
    pub node_port: Option<i64>,
}

/// A `v1/Service`.
#[derive(Debug, Clone, Copy)]
pub struct Service<'a>(pub &'a Object);

impl<'a> Service<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "Service").then_some(Self(object))
    }

    /// `spec.type`, `ClusterIP` when unset.
    pub fn service_type(&self) -> &'a str {
        self.0
            .root
            .path(&["spec", "type"])
            .and_then(Node::as_str)
            .unwrap_or("ClusterIP")
    }

    /// The pod selector; `None` when the Service has none (it then selects no pods by labels).
    pub fn selector(&self) -> Option<LabelSelector> {
        self.0
            .root
            .path(&["spec", "selector"])
            .filter(|n| n.as_map().is_some_and(|m| !m.is_empty()))
            .map(LabelSelector::from_match_labels)
    }

    pub fn ports(&self) -> Vec<Port> {
        self.0
            .root
            .path(&["spec", "ports"])
            .into_iter()
            .flat_map(Node::items)
            .map(|p| Port {
                name: p.get("name").and_then(Node::scalar_text),
                port: p.get("port").and_then(Node::as_i64),
                protocol: p
                    .get("protocol")
                    .and_then(Node::as_str)
                    .unwrap_or("TCP")
                    .to_string(),
                target: p.get("targetPort").and_then(Node::scalar_text),
                node_port: p.get("nodePort").and_then(Node::as_i64),
            })
            .collect()
    }
}

/// A `networking.k8s.io/v1` NetworkPolicy.
#[derive(Debug, Clone, Copy)]
pub struct NetworkPolicy<'a>(pub &'a Object);

impl<'a> NetworkPolicy<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "NetworkPolicy" && object.api_version().starts_with("networking.k8s.io/"))
            .then_some(Self(object))
    }

    /// `spec.podSelector`; an absent selector is the empty selector (all pods in the namespace).
    pub fn pod_selector(&self) -> Result<LabelSelector, crate::SelectorError> {
        match self.0.root.path(&["spec", "podSelector"]) {
            Some(n) if !n.is_null() => LabelSelector::from_node(n),
            _ => Ok(LabelSelector::default()),
        }
    }

    /// `policyTypes` with Kubernetes' defaulting: Ingress always, Egress when egress rules exist.
    pub fn policy_types(&self) -> (bool, bool) {
        let spec = self.0.spec();
        match spec
            .and_then(|s| s.get("policyTypes"))
            .and_then(Node::as_seq)
        {
            Some(types) => (
                types.iter().any(|t| t.as_str() == Some("Ingress")),
                types.iter().any(|t| t.as_str() == Some("Egress")),
            ),
            None => (true, spec.and_then(|s| s.get("egress")).is_some()),
        }
    }
}

/// A subject of a RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

/// A rule of a Role or ClusterRole.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub verbs: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
}

impl RoleRule {
    /// The rules of a Role or ClusterRole object.
    pub fn of(object: &Object) -> Vec<RoleRule> {
        let strings = |n: &Node, k: &str| -> Vec<String> {
            n.get(k)
                .into_iter()
                .flat_map(Node::items)
                .filter_map(Node::scalar_text)
                .collect()
        };
        object
            .root
            .get("rules")
            .into_iter()
            .flat_map(Node::items)
            .map(|r| RoleRule {
                api_groups: strings(r, "apiGroups"),
                resources: strings(r, "resources"),
                verbs: strings(r, "verbs"),
                resource_names: strings(r, "resourceNames"),
                non_resource_urls: strings(r, "nonResourceURLs"),
            })
            .collect()
    }
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone, Copy)]
pub struct Binding<'a>(pub &'a Object);

impl<'a> Binding<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        matches!(object.kind(), "RoleBinding" | "ClusterRoleBinding").then_some(Self(object))
    }

    /// `(kind, name)` of `roleRef`.
    pub fn role_ref(&self) -> Option<(&'a str, &'a str)> {
        let r = self.0.root.get("roleRef")?;
        Some((r.get("kind")?.as_str()?, r.get("name")?.as_str()?))
    }

    pub fn subjects(&self) -> Vec<Subject> {
        self.0
            .root
            .get("subjects")
            .into_iter()
            .flat_map(Node::items)
            .map(|s| Subject {
                kind: s
                    .get("kind")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
                name: s
                    .get("name")
                    .and_then(Node::scalar_text)
                    .unwrap_or_default(),
                namespace: s.get("namespace").and_then(Node::scalar_text),
            })
            .collect()
    }
}

/// A backend an Ingress routes to: a Service name and port (number or name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressBackend {
    pub service: String,
    pub port: Option<String>,
    /// The host of the rule it belongs to; `None` for the default backend or a host-less rule.
    pub host: Option<String>,
}

/// A `networking.k8s.io/v1` Ingress.
#[derive(Debug, Clone, Copy)]
pub struct Ingress<'a>(pub &'a Object);

impl<'a> Ingress<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "Ingress").then_some(Self(object))
    }

    /// Every Service backend: the default backend and each rule path's backend (v1 and the old
    /// `serviceName`/`servicePort` form of extensions/v1beta1).
    pub fn backends(&self) -> Vec<IngressBackend> {
        let backend = |n: &Node, host: Option<String>| -> Option<IngressBackend> {
            if let Some(svc) = n.get("service") {
                let port = svc
                    .get("port")
                    .and_then(|p| p.get("number").or_else(|| p.get("name")));
                return Some(IngressBackend {
                    service: svc.get("name")?.scalar_text()?,
                    port: port.and_then(Node::scalar_text),
                    host,
                });
            }
            Some(IngressBackend {
                service: n.get("serviceName")?.scalar_text()?,
                port: n.get("servicePort").and_then(Node::scalar_text),
                host,
            })
        };
        let spec = self.0.spec();
        let mut out: Vec<IngressBackend> = spec
            .and_then(|s| s.get("defaultBackend").or_else(|| s.get("backend")))
            .and_then(|b| backend(b, None))
            .into_iter()
            .collect();
        for rule in spec
            .and_then(|s| s.get("rules"))
            .into_iter()
            .flat_map(Node::items)
        {
            let host = rule.get("host").and_then(Node::scalar_text);
            for path in rule
                .path(&["http", "paths"])
                .into_iter()
                .flat_map(Node::items)
            {
                if let Some(b) = path.get("backend").and_then(|b| backend(b, host.clone())) {
                    out.push(b);
                }
            }
        }
        out
    }

    /// Hosts covered by a `tls` entry.
    pub fn tls_hosts(&self) -> Vec<String> {
        self.0
            .root
            .path(&["spec", "tls"])
            .into_iter()
            .flat_map(Node::items)
            .flat_map(|t| t.get("hosts").into_iter().flat_map(Node::items))
            .filter_map(Node::scalar_text)
            .collect()
    }

    /// Whether the Ingress declares any TLS section.
    pub fn has_tls(&self) -> bool {
        self.0
            .root
            .path(&["spec", "tls"])
            .and_then(Node::as_seq)
            .is_some_and(|t| !t.is_empty())
    }
}

/// A `v1/ServiceAccount`.
#[derive(Debug, Clone, Copy)]
pub struct ServiceAccount<'a>(pub &'a Object);

impl<'a> ServiceAccount<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "ServiceAccount").then_some(Self(object))
    }

    /// `automountServiceAccountToken`; `None` when unset (Kubernetes then mounts the token).
    pub fn automount_token(&self) -> Option<bool> {
        self.0
            .root
            .get("automountServiceAccountToken")
            .and_then(Node::as_bool)
    }

    /// Names of the Secrets listed under `secrets` (legacy token references).
    pub fn secret_names(&self) -> Vec<String> {
        self.0
            .root
            .get("secrets")
            .into_iter()
            .flat_map(Node::items)
            .filter_map(|s| s.get("name").and_then(Node::scalar_text))
            .collect()
    }
}

/// A `v1/ConfigMap` or `v1/Secret`: both carry key/value data.
#[derive(Debug, Clone, Copy)]
pub struct DataObject<'a>(pub &'a Object);

impl<'a> DataObject<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        matches!(object.kind(), "ConfigMap" | "Secret").then_some(Self(object))
    }

    /// Every data entry: `data`, then `binaryData` (ConfigMap) or `stringData` (Secret).
    pub fn entries(&self) -> impl Iterator<Item = &'a kubeward_source::Entry> {
        ["data", "binaryData", "stringData"]
            .into_iter()
            .filter_map(|f| self.0.root.get(f))
            .flat_map(Node::entries)
    }

    /// A Secret's `type` (`Opaque` when unset); `None` for ConfigMaps.
    pub fn secret_type(&self) -> Option<&'a str> {
        (self.0.kind() == "Secret").then(|| {
            self.0
                .root
                .get("type")
                .and_then(Node::as_str)
                .unwrap_or("Opaque")
        })
    }
}

/// A `v1/Namespace`.
#[derive(Debug, Clone, Copy)]
pub struct Namespace<'a>(pub &'a Object);

impl<'a> Namespace<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "Namespace").then_some(Self(object))
    }

    /// A Pod Security Admission label for a mode (`enforce`, `audit`, `warn`): level and version.
    pub fn pod_security(&self, mode: &str) -> (Option<String>, Option<String>) {
        let label = |suffix: &str| {
            self.0
                .labels()
                .and_then(|l| l.get(&format!("pod-security.kubernetes.io/{mode}{suffix}")))
                .and_then(Node::scalar_text)
        };
        (label(""), label("-version"))
    }
}

/// A `v1/ResourceQuota`.
#[derive(Debug, Clone, Copy)]
pub struct ResourceQuota<'a>(pub &'a Object);

impl<'a> ResourceQuota<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "ResourceQuota").then_some(Self(object))
    }

    /// `spec.hard` as `(resource, quantity)` pairs.
    pub fn hard(&self) -> Vec<(String, String)> {
        self.0
            .root
            .path(&["spec", "hard"])
            .into_iter()
            .flat_map(Node::entries)
            .map(|e| (e.key.to_string(), e.value.scalar_text().unwrap_or_default()))
            .collect()
    }
}

/// A `v1/LimitRange`.
#[derive(Debug, Clone, Copy)]
pub struct LimitRange<'a>(pub &'a Object);

impl<'a> LimitRange<'a> {
    pub fn of(object: &'a Object) -> Option<Self> {
        (object.kind() == "LimitRange").then_some(Self(object))
    }

    /// Whether a limit of `type: Container` sets default limits (what containers without their own
    /// limits get).
    pub fn sets_container_defaults(&self) -> bool {
        self.0
            .root
            .path(&["spec", "limits"])
            .into_iter()
            .flat_map(Node::items)
            .any(|l| {
                l.get("type").and_then(Node::as_str) == Some("Container")
                    && l.get("default")
                        .and_then(Node::as_map)
                        .is_some_and(|m| !m.is_empty())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects_from_documents;
    use kubeward_source::{Limits, load_text};

    fn objects(yaml: &str) -> Vec<Object> {
        objects_from_documents(load_text("t.yaml", yaml.into(), &Limits::default()).documents).0
    }

    #[test]
    fn ingress_backends_and_tls() {
        let objs = objects(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i}\nspec:\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n  tls: [{hosts: [shop.example.com]}]\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}\n",
        );
        let i = Ingress::of(&objs[0]).unwrap();
        let b = i.backends();
        assert_eq!(b.len(), 2);
        assert_eq!(
            (
                b[1].service.as_str(),
                b[1].port.as_deref(),
                b[1].host.as_deref()
            ),
            ("api", Some("http"), Some("shop.example.com"))
        );
        assert!(i.has_tls());
        assert_eq!(i.tls_hosts(), ["shop.example.com"]);
    }

    #[test]
    fn service_account_data_namespace_quota_limits() {
        let objs = objects(
            "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a}\nautomountServiceAccountToken: false\nsecrets: [{name: a-token}]\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: v}\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels: {pod-security.kubernetes.io/enforce: restricted, pod-security.kubernetes.io/enforce-version: v1.30}\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: q}\nspec: {hard: {pods: \"10\"}}\n---\napiVersion: v1\nkind: LimitRange\nmetadata: {name: l}\nspec: {limits: [{type: Container, default: {memory: 256Mi}}]}\n",
        );
        let sa = ServiceAccount::of(&objs[0]).unwrap();
        assert_eq!(
            (sa.automount_token(), sa.secret_names()),
            (Some(false), vec!["a-token".to_string()])
        );
        let s = DataObject::of(&objs[1]).unwrap();
        assert_eq!((s.secret_type(), s.entries().count()), (Some("Opaque"), 1));
        let ns = Namespace::of(&objs[2]).unwrap();
        assert_eq!(
            ns.pod_security("enforce"),
            (Some("restricted".into()), Some("v1.30".into()))
        );
        assert_eq!(
            ResourceQuota::of(&objs[3]).unwrap().hard(),
            [("pods".to_string(), "10".to_string())]
        );
        assert!(LimitRange::of(&objs[4]).unwrap().sets_container_defaults());
    }
}
