//! Requests, users and the rule-matching functions of the Kubernetes RBAC authorizer
//! (`pkg/apis/rbac/v1/evaluation_helpers.go`, `plugin/pkg/auth/authorizer/rbac/rbac.go`).

use serde::{Deserialize, Serialize};

use crate::error::RbacError;
use crate::input::PolicyRule;

/// The `*` of verbs, apiGroups, resources and nonResourceURLs.
pub const ALL: &str = "*";
pub const GROUP_AUTHENTICATED: &str = "system:authenticated";
pub const GROUP_UNAUTHENTICATED: &str = "system:unauthenticated";
pub const GROUP_SERVICE_ACCOUNTS: &str = "system:serviceaccounts";
/// Members bypass authorization entirely (the API server's privileged-group authorizer runs before RBAC).
pub const GROUP_MASTERS: &str = "system:masters";
pub const USER_ANONYMOUS: &str = "system:anonymous";
const SA_PREFIX: &str = "system:serviceaccount:";

/// One API request as the authorizer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    Resource {
        verb: String,
        api_group: String,
        resource: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        subresource: Option<String>,
        /// `None`: a cluster-scoped request, or a request across all namespaces. Only
        /// ClusterRoleBindings can allow it.
        #[serde(skip_serializing_if = "Option::is_none")]
        namespace: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    NonResource {
        verb: String,
        path: String,
    },
}

impl Request {
    /// A resource request. `resource` is written as kubectl takes it: `pods`, `pods/exec`,
    /// `deployments.apps`, `deployments.apps/scale` (the group after the first dot; core group when
    /// there is none).
    pub fn resource(verb: &str, resource: &str) -> Self {
        let (resource, subresource) = match resource.split_once('/') {
            Some((r, s)) => (r, Some(s.to_owned())),
            None => (resource, None),
        };
        let (resource, api_group) = resource.split_once('.').unwrap_or((resource, ""));
        Request::Resource {
            verb: verb.to_owned(),
            api_group: api_group.to_owned(),
            resource: resource.to_owned(),
            subresource,
            namespace: None,
            name: None,
        }
    }

    /// A request for a non-resource URL such as `/healthz` or `/metrics`.
    pub fn non_resource(verb: &str, path: &str) -> Self {
        Request::NonResource {
            verb: verb.to_owned(),
            path: path.to_owned(),
        }
    }

    pub fn in_group(mut self, group: &str) -> Self {
        if let Request::Resource { api_group, .. } = &mut self {
            group.clone_into(api_group);
        }
        self
    }

    pub fn in_namespace(mut self, ns: &str) -> Self {
        if let Request::Resource { namespace, .. } = &mut self {
            *namespace = Some(ns.to_owned()).filter(|n| !n.is_empty());
        }
        self
    }

    pub fn named(mut self, object: &str) -> Self {
        if let Request::Resource { name, .. } = &mut self {
            *name = Some(object.to_owned()).filter(|n| !n.is_empty());
        }
        self
    }

    pub fn verb(&self) -> &str {
        match self {
            Request::Resource { verb, .. } | Request::NonResource { verb, .. } => verb,
        }
    }

    pub fn namespace(&self) -> Option<&str> {
        match self {
            Request::Resource { namespace, .. } => namespace.as_deref(),
            Request::NonResource { .. } => None,
        }
    }

    /// Checks the request is well formed.
    pub fn validate(&self) -> Result<(), RbacError> {
        match self {
            Request::Resource { resource, .. } if resource.is_empty() => {
                Err(RbacError::EmptyResource)
            }
            _ => Ok(()),
        }
    }
}

/// A request flattened into the attribute strings the authorizer compares.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Attrs<'a> {
    Resource {
        verb: &'a str,
        group: &'a str,
        /// `resource` or `resource/subresource`.
        combined: &'a str,
        subresource: &'a str,
        name: &'a str,
    },
    NonResource {
        verb: &'a str,
        path: &'a str,
    },
}

/// Owns the combined resource string so `Attrs` can borrow it.
pub(crate) struct Flat<'a> {
    req: &'a Request,
    combined: String,
}

impl<'a> Flat<'a> {
    pub(crate) fn new(req: &'a Request) -> Self {
        let combined = match req {
            Request::Resource {
                resource,
                subresource: Some(sub),
                ..
            } => format!("{resource}/{sub}"),
            Request::Resource { resource, .. } => resource.clone(),
            Request::NonResource { .. } => String::new(),
        };
        Flat { req, combined }
    }

    pub(crate) fn attrs(&self) -> Attrs<'_> {
        match self.req {
            Request::Resource {
                verb,
                api_group,
                subresource,
                name,
                ..
            } => {
                let sub = subresource.as_deref().unwrap_or("");
                // The API server never puts a name on a create of a top-level object or on a
                // deletecollection, so rules limited by resourceNames cannot allow those. list and
                // watch carry the name of a `metadata.name=` field selector, get/update/... the object's.
                let nameless = (verb == "create" && sub.is_empty()) || verb == "deletecollection";
                Attrs::Resource {
                    verb,
                    group: api_group,
                    combined: &self.combined,
                    subresource: sub,
                    name: if nameless {
                        ""
                    } else {
                        name.as_deref().unwrap_or("")
                    },
                }
            }
            Request::NonResource { verb, path } => Attrs::NonResource { verb, path },
        }
    }
}

/// `RuleAllows` of the RBAC authorizer.
pub(crate) fn rule_allows(rule: &PolicyRule, attrs: &Attrs<'_>) -> bool {
    match *attrs {
        Attrs::Resource {
            verb,
            group,
            combined,
            subresource,
            name,
        } => {
            verb_matches(rule, verb)
                && group_matches(rule, group)
                && resource_matches(rule, combined, subresource)
                && name_matches(rule, name)
        }
        Attrs::NonResource { verb, path } => verb_matches(rule, verb) && url_matches(rule, path),
    }
}

pub(crate) fn verb_matches(rule: &PolicyRule, verb: &str) -> bool {
    rule.verbs.iter().any(|v| v == ALL || v == verb)
}

pub(crate) fn group_matches(rule: &PolicyRule, group: &str) -> bool {
    rule.api_groups.iter().any(|g| g == ALL || g == group)
}

/// `*` matches every resource and subresource; `*/scale` matches the `scale` subresource of any
/// resource; `pods` alone does not match `pods/exec`.
pub(crate) fn resource_matches(rule: &PolicyRule, combined: &str, subresource: &str) -> bool {
    rule.resources.iter().any(|r| {
        r == ALL
            || r == combined
            || (!subresource.is_empty()
                && r.len() == subresource.len() + 2
                && r.starts_with("*/")
                && r.ends_with(subresource))
    })
}

/// An empty `resourceNames` allows every name, including the empty one of list and create.
pub(crate) fn name_matches(rule: &PolicyRule, name: &str) -> bool {
    rule.resource_names.is_empty() || rule.resource_names.iter().any(|n| n == name)
}

/// `*` matches every path; a trailing `*` (all trailing stars are trimmed) is a prefix match; anything
/// else must be equal.
pub(crate) fn url_matches(rule: &PolicyRule, path: &str) -> bool {
    rule.non_resource_urls.iter().any(|u| {
        u == ALL || u == path || (u.ends_with('*') && path.starts_with(u.trim_end_matches('*')))
    })
}

/// The identity a request is made as: user name plus groups, as an authenticator hands them over.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserInfo {
    /// Empty when the identity only stands for the members of its groups.
    pub name: String,
    pub groups: Vec<String>,
}

impl UserInfo {
    /// Exactly these attributes, without implicit groups.
    pub fn raw(name: &str, groups: &[&str]) -> Self {
        UserInfo {
            name: name.to_owned(),
            groups: groups.iter().map(|g| (*g).to_owned()).collect(),
        }
    }

    /// An authenticated user with its groups; adds `system:authenticated` as every authenticator does,
    /// and the service-account groups when `name` is a service-account user name. `system:anonymous`
    /// gets `system:unauthenticated` instead.
    pub fn user(name: &str, groups: &[&str]) -> Self {
        if let Ok((ns, sa)) = split_service_account(name) {
            let mut user = UserInfo::service_account(ns, sa);
            for g in groups {
                user.add_group(g);
            }
            return user;
        }
        if name == USER_ANONYMOUS {
            let mut user = UserInfo::anonymous();
            for g in groups {
                user.add_group(g);
            }
            return user;
        }
        let mut user = UserInfo::raw(name, groups);
        user.add_group(GROUP_AUTHENTICATED);
        user
    }

    /// What the service-account authenticator produces for `system:serviceaccount:<ns>:<name>`.
    pub fn service_account(namespace: &str, name: &str) -> Self {
        UserInfo {
            name: service_account_user(namespace, name),
            groups: vec![
                GROUP_SERVICE_ACCOUNTS.to_owned(),
                format!("{GROUP_SERVICE_ACCOUNTS}:{namespace}"),
                GROUP_AUTHENTICATED.to_owned(),
            ],
        }
    }

    /// What the anonymous authenticator produces.
    pub fn anonymous() -> Self {
        UserInfo::raw(USER_ANONYMOUS, &[GROUP_UNAUTHENTICATED])
    }

    /// Any member of `group` (an authenticated one, unless the group is `system:unauthenticated`).
    pub fn group_member(group: &str) -> Self {
        let mut user = UserInfo::raw("", &[group]);
        if group != GROUP_UNAUTHENTICATED {
            user.add_group(GROUP_AUTHENTICATED);
        }
        user
    }

    fn add_group(&mut self, group: &str) {
        if !self.groups.iter().any(|g| g == group) {
            self.groups.push(group.to_owned());
        }
    }

    pub fn is_anonymous(&self) -> bool {
        self.name == USER_ANONYMOUS || self.groups.iter().any(|g| g == GROUP_UNAUTHENTICATED)
    }
}

pub fn service_account_user(namespace: &str, name: &str) -> String {
    format!("{SA_PREFIX}{namespace}:{name}")
}

/// Splits `system:serviceaccount:<ns>:<name>`.
pub fn split_service_account(user: &str) -> Result<(&str, &str), RbacError> {
    user.strip_prefix(SA_PREFIX)
        .and_then(|rest| rest.split_once(':'))
        .filter(|(ns, name)| !ns.is_empty() && !name.is_empty() && !name.contains(':'))
        .ok_or_else(|| RbacError::NotAServiceAccount(user.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(groups: &[&str], resources: &[&str], verbs: &[&str], names: &[&str]) -> PolicyRule {
        let v = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect();
        PolicyRule {
            api_groups: v(groups),
            resources: v(resources),
            verbs: v(verbs),
            resource_names: v(names),
            non_resource_urls: vec![],
        }
    }

    fn allows(rule: &PolicyRule, req: &Request) -> bool {
        rule_allows(rule, &Flat::new(req).attrs())
    }

    #[test]
    fn subresource_wildcards() {
        let scale = rule(&["*"], &["*/scale"], &["update"], &[]);
        assert!(allows(
            &scale,
            &Request::resource("update", "deployments/scale")
        ));
        assert!(!allows(&scale, &Request::resource("update", "deployments")));
        assert!(!allows(&scale, &Request::resource("update", "pods/exec")));
        let pods = rule(&[""], &["pods"], &["create"], &[]);
        assert!(!allows(&pods, &Request::resource("create", "pods/exec")));
        let star = rule(&[""], &["*"], &["create"], &[]);
        assert!(allows(&star, &Request::resource("create", "pods/exec")));
    }

    #[test]
    fn kubectl_resource_spelling() {
        let r = Request::resource("update", "deployments.apps/scale");
        assert_eq!(
            r,
            Request::resource("update", "deployments/scale").in_group("apps")
        );
        let r = Request::resource("get", "ingresses.networking.k8s.io");
        assert_eq!(
            r,
            Request::resource("get", "ingresses").in_group("networking.k8s.io")
        );
    }

    #[test]
    fn resource_names_and_nameless_verbs() {
        let r = rule(&[""], &["secrets"], &["*"], &["db"]);
        assert!(allows(&r, &Request::resource("get", "secrets").named("db")));
        assert!(!allows(&r, &Request::resource("list", "secrets")));
        assert!(allows(
            &r,
            &Request::resource("list", "secrets").named("db")
        ));
        assert!(!allows(
            &r,
            &Request::resource("create", "secrets").named("db")
        ));
        assert!(!allows(
            &r,
            &Request::resource("deletecollection", "secrets").named("db")
        ));
    }

    #[test]
    fn non_resource_urls() {
        let mut r = rule(&[], &[], &["get"], &[]);
        r.non_resource_urls = vec!["/healthz/*".into(), "/metrics".into()];
        assert!(allows(&r, &Request::non_resource("get", "/healthz/etcd")));
        assert!(allows(&r, &Request::non_resource("get", "/healthz/")));
        assert!(!allows(&r, &Request::non_resource("get", "/healthz")));
        assert!(allows(&r, &Request::non_resource("get", "/metrics")));
        assert!(!allows(
            &r,
            &Request::non_resource("get", "/metrics/cadvisor")
        ));
    }

    #[test]
    fn service_account_names() {
        assert_eq!(
            split_service_account("system:serviceaccount:ns:app"),
            Ok(("ns", "app"))
        );
        assert!(split_service_account("system:serviceaccount:ns").is_err());
        let u = UserInfo::user("system:serviceaccount:ns:app", &[]);
        assert!(u.groups.contains(&"system:serviceaccounts:ns".to_owned()));
    }
}
