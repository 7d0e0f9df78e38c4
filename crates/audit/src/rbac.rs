//! Least-privilege RBAC from observed use: the Roles and bindings that grant a subject exactly what
//! the audit log shows it doing, and nothing else.
//!
//! [`RbacDeriver`] folds events (streaming, any log size) into [`DerivedPermissions`], a plain data
//! model; [`DerivedPermissions::to_yaml`] renders it. The model is the extension point for comparing
//! with what the subject is granted today (the RBAC engine's effective permissions): unused grants
//! are the difference between the two rule sets.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::any_match;
use crate::event::{Event, Stage};
use crate::identity::service_account;
use crate::time::Timestamp;

/// Options of the derivation.
#[derive(Debug, Clone)]
pub struct DeriveOptions {
    /// Only events at or after this time (`--since`).
    pub since: Option<Timestamp>,
    /// Name objects in `resourceNames` when a resource was touched under at most this many names.
    pub max_resource_names: usize,
    /// Prefix of the generated Role and binding names.
    pub name_prefix: String,
}

impl Default for DeriveOptions {
    fn default() -> Self {
        DeriveOptions {
            since: None,
            max_resource_names: 5,
            name_prefix: "kubeward-derived".to_owned(),
        }
    }
}

/// Who the roles are for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    User(String),
    ServiceAccount { namespace: String, name: String },
}

impl Subject {
    /// `system:serviceaccount:ns:name` is a service account; anything else a user.
    pub fn parse(text: &str) -> Subject {
        match service_account(text) {
            Some((namespace, name)) => Subject::ServiceAccount {
                namespace: namespace.to_owned(),
                name: name.to_owned(),
            },
            None => Subject::User(text.to_owned()),
        }
    }

    /// The user name the API server authenticates this subject as.
    pub fn username(&self) -> String {
        match self {
            Subject::User(name) => name.clone(),
            Subject::ServiceAccount { namespace, name } => {
                format!("system:serviceaccount:{namespace}:{name}")
            }
        }
    }
}

/// One RBAC rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct PolicyRule {
    pub api_groups: Vec<String>,
    pub resources: Vec<String>,
    pub resource_names: Vec<String>,
    pub non_resource_urls: Vec<String>,
    pub verbs: Vec<String>,
}

/// What the subject was seen doing, as rules per scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedPermissions {
    pub subject: Subject,
    /// Rules for a ClusterRole: cluster-scoped resources, requests across all namespaces,
    /// non-resource URLs.
    pub cluster: Vec<PolicyRule>,
    /// Rules for a Role in each namespace.
    pub namespaced: BTreeMap<String, Vec<PolicyRule>>,
    /// Allowed requests the rules were derived from.
    pub events: u64,
    pub first_seen: Option<Timestamp>,
    pub last_seen: Option<Timestamp>,
}

/// Non-resource paths every authenticated user may already read (`system:discovery`,
/// `system:public-info-viewer`): never worth granting.
const DEFAULT_NON_RESOURCE: &[&str] = &[
    "/api",
    "/api/*",
    "/apis",
    "/apis/*",
    "/version",
    "/version/",
    "/healthz",
    "/livez",
    "/readyz",
    "/openapi/*",
];

#[derive(Debug, Default)]
struct Access {
    /// Verb -> names it was used with (capped just past the limit).
    named: BTreeMap<String, BTreeSet<String>>,
    /// Verbs used without a name (list, create, deletecollection, watch of a collection).
    unnamed: BTreeSet<String>,
}

/// Folds events into [`DerivedPermissions`].
#[derive(Debug)]
pub struct RbacDeriver {
    subject: Subject,
    username: String,
    options: DeriveOptions,
    // scope ("" = cluster) -> (api group, resource[/subresource]) -> access
    access: BTreeMap<String, BTreeMap<(String, String), Access>>,
    non_resource: BTreeMap<String, BTreeSet<String>>,
    events: u64,
    first_seen: Option<Timestamp>,
    last_seen: Option<Timestamp>,
}

impl RbacDeriver {
    pub fn new(subject: &str, options: DeriveOptions) -> RbacDeriver {
        let subject = Subject::parse(subject);
        RbacDeriver {
            username: subject.username(),
            subject,
            options,
            access: BTreeMap::new(),
            non_resource: BTreeMap::new(),
            events: 0,
            first_seen: None,
            last_seen: None,
        }
    }

    /// Takes one event into account if it is an allowed request of the subject. The effective
    /// identity counts: a request impersonating the subject is the subject's.
    pub fn observe(&mut self, event: &Event<'_>) {
        let effective = event
            .impersonated_user
            .as_ref()
            .and_then(|u| u.username.as_deref())
            .unwrap_or(event.username());
        if effective != self.username
            || event.stage == Stage::RequestReceived
            || !event.is_allowed()
        {
            return;
        }
        let Some(time) = event.time() else {
            return;
        };
        if self.options.since.is_some_and(|since| time < since) {
            return;
        }
        self.events += 1;
        self.first_seen = Some(self.first_seen.map_or(time, |t| t.min(time)));
        self.last_seen = Some(self.last_seen.map_or(time, |t| t.max(time)));
        let verb = event.verb.to_string();
        if event.object_ref.is_none() {
            let path = event.path();
            if !any_match(DEFAULT_NON_RESOURCE, path) {
                self.non_resource
                    .entry(path.to_owned())
                    .or_default()
                    .insert(verb);
            }
            return;
        }
        let resource = match event.subresource() {
            "" => event.resource().to_owned(),
            sub => format!("{}/{sub}", event.resource()),
        };
        let access = self
            .access
            .entry(event.namespace().to_owned())
            .or_default()
            .entry((event.api_group().to_owned(), resource))
            .or_default();
        match event.name() {
            "" => {
                access.unnamed.insert(verb);
            }
            name => {
                let names = access.named.entry(verb).or_default();
                if names.len() <= self.options.max_resource_names {
                    names.insert(name.to_owned());
                }
            }
        }
    }

    pub fn finish(self) -> DerivedPermissions {
        let max_names = self.options.max_resource_names;
        let mut cluster = Vec::new();
        let mut namespaced = BTreeMap::new();
        for (scope, resources) in self.access {
            let rules = rules_for(resources, max_names);
            if scope.is_empty() {
                cluster.extend(rules);
            } else {
                namespaced.insert(scope, rules);
            }
        }
        // Paths used with the same verbs share a rule.
        let mut by_verbs: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
        for (path, verbs) in self.non_resource {
            by_verbs
                .entry(verbs.into_iter().collect())
                .or_default()
                .push(path);
        }
        for (verbs, urls) in by_verbs {
            cluster.push(PolicyRule {
                non_resource_urls: urls,
                verbs,
                ..PolicyRule::default()
            });
        }
        DerivedPermissions {
            subject: self.subject,
            cluster,
            namespaced,
            events: self.events,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
        }
    }
}

fn rules_for(resources: BTreeMap<(String, String), Access>, max_names: usize) -> Vec<PolicyRule> {
    let mut named_rules = Vec::new();
    // (api group, verbs) -> resources: resources used with the same verbs share a rule.
    let mut unnamed: BTreeMap<(String, Vec<String>), Vec<String>> = BTreeMap::new();
    for ((group, resource), access) in resources {
        let mut plain: BTreeSet<String> = access.unnamed;
        let mut names: BTreeSet<String> = BTreeSet::new();
        let mut named_verbs: Vec<String> = Vec::new();
        for (verb, verb_names) in access.named {
            if !plain.contains(&verb) {
                names.extend(verb_names);
                named_verbs.push(verb);
            }
        }
        if names.len() > max_names || names.is_empty() {
            plain.extend(named_verbs.drain(..));
        } else {
            named_rules.push(PolicyRule {
                api_groups: vec![group.clone()],
                resources: vec![resource.clone()],
                resource_names: names.into_iter().collect(),
                verbs: named_verbs,
                ..PolicyRule::default()
            });
        }
        if !plain.is_empty() {
            unnamed
                .entry((group, plain.into_iter().collect()))
                .or_default()
                .push(resource);
        }
    }
    let mut rules: Vec<PolicyRule> = unnamed
        .into_iter()
        .map(|((group, verbs), resources)| PolicyRule {
            api_groups: vec![group],
            resources,
            verbs,
            ..PolicyRule::default()
        })
        .collect();
    rules.extend(named_rules);
    rules.sort();
    rules
}

/// Derives the permissions of `subject` from `events` and renders them as YAML.
pub fn derive_rbac<'a, 'e: 'a>(
    events: impl IntoIterator<Item = &'a Event<'e>>,
    subject: &str,
    options: &DeriveOptions,
) -> String {
    let mut deriver = RbacDeriver::new(subject, options.clone());
    for event in events {
        deriver.observe(event);
    }
    deriver.finish().to_yaml(&options.name_prefix)
}

impl DerivedPermissions {
    /// Role/ClusterRole and binding documents, `---` separated, in a deterministic order: the
    /// ClusterRole first, then one Role per namespace by name. Empty rule sets produce no document.
    pub fn to_yaml(&self, name_prefix: &str) -> String {
        let name = format!("{name_prefix}-{}", slug(&self.subject.username()));
        let mut out = String::new();
        let range = match (self.first_seen, self.last_seen) {
            (Some(a), Some(b)) => format!(" between {a} and {b}"),
            _ => String::new(),
        };
        out.push_str(&format!(
            "# Derived by kubeward from {} allowed request(s) of {}{range}.\n# It grants exactly what was observed: review it before applying.\n",
            self.events,
            self.subject.username()
        ));
        let mut documents = Vec::new();
        if !self.cluster.is_empty() {
            documents.push(role_yaml("ClusterRole", &name, None, &self.cluster));
            documents.push(binding_yaml(
                "ClusterRoleBinding",
                "ClusterRole",
                &name,
                None,
                &self.subject,
            ));
        }
        for (namespace, rules) in &self.namespaced {
            documents.push(role_yaml("Role", &name, Some(namespace), rules));
            documents.push(binding_yaml(
                "RoleBinding",
                "Role",
                &name,
                Some(namespace),
                &self.subject,
            ));
        }
        if documents.is_empty() {
            out.push_str("# No allowed requests of this subject were found: nothing to grant.\n");
        }
        out.push_str(&documents.join("---\n"));
        out
    }
}

fn role_yaml(kind: &str, name: &str, namespace: Option<&str>, rules: &[PolicyRule]) -> String {
    let mut out = format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\n{}rules:\n",
        metadata(name, namespace)
    );
    for rule in rules {
        let mut first = true;
        let mut field = |key: &str, values: &[String]| {
            if values.is_empty() {
                return;
            }
            let dash = if first { "- " } else { "  " };
            first = false;
            out.push_str(&format!("{dash}{key}: {}\n", list(values)));
        };
        if rule.non_resource_urls.is_empty() {
            field("apiGroups", &rule.api_groups);
            field("resources", &rule.resources);
            field("resourceNames", &rule.resource_names);
        } else {
            field("nonResourceURLs", &rule.non_resource_urls);
        }
        field("verbs", &rule.verbs);
    }
    out
}

fn binding_yaml(
    kind: &str,
    role_kind: &str,
    name: &str,
    namespace: Option<&str>,
    subject: &Subject,
) -> String {
    let subject = match subject {
        Subject::User(user) => format!(
            "- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: {}\n",
            quote(user)
        ),
        Subject::ServiceAccount { namespace, name } => {
            format!(
                "- kind: ServiceAccount\n  name: {}\n  namespace: {}\n",
                quote(name),
                quote(namespace)
            )
        }
    };
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\n{}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: {role_kind}\n  name: {}\nsubjects:\n{subject}",
        metadata(name, namespace),
        quote(name)
    )
}

fn metadata(name: &str, namespace: Option<&str>) -> String {
    match namespace {
        Some(ns) => format!(
            "metadata:\n  name: {}\n  namespace: {}\n",
            quote(name),
            quote(ns)
        ),
        None => format!("metadata:\n  name: {}\n", quote(name)),
    }
}

/// A double-quoted scalar: JSON string syntax is valid YAML and needs no case analysis.
fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

fn list(values: &[String]) -> String {
    let items: Vec<String> = values.iter().map(|v| quote(v)).collect();
    format!("[{}]", items.join(", "))
}

/// A DNS-label-like form of a user name for object names.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    out.chars().take(200).collect()
}
