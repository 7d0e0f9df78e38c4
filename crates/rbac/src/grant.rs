//! Grants: one rule reaching one subject through one binding, and their serialisable descriptions.

use std::fmt;

use serde::Serialize;

use crate::index::SubjectSlot;
use crate::input::{Binding, PolicyRule, Role, SourceRef, Subject, SubjectKind};

/// Rule `eff` of the effective rules of role `role`, granted through subject line `slot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Grant {
    pub(crate) slot: SubjectSlot,
    pub(crate) role: u32,
    pub(crate) eff: u32,
}

/// Where a grant applies: everywhere (ClusterRoleBinding) or inside one namespace (RoleBinding).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Cluster,
    Namespace(String),
}

impl Scope {
    pub(crate) fn of(namespace: Option<&str>) -> Self {
        match namespace {
            None => Scope::Cluster,
            Some(ns) => Scope::Namespace(ns.to_owned()),
        }
    }

    pub fn namespace(&self) -> Option<&str> {
        match self {
            Scope::Cluster => None,
            Scope::Namespace(ns) => Some(ns),
        }
    }
}

impl Scope {
    /// The scope as a phrase that follows a verb: "cluster-wide", "in namespace ci".
    pub fn phrase(&self) -> String {
        match self {
            Scope::Cluster => "cluster-wide".to_string(),
            Scope::Namespace(ns) => format!("in namespace {ns}"),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Cluster => f.write_str("cluster-wide"),
            Scope::Namespace(ns) => write!(f, "namespace {ns}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum RoleKind {
    Role,
    ClusterRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct RoleInfo {
    pub kind: RoleKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<SourceRef>,
}

impl RoleInfo {
    pub(crate) fn of(role: &Role) -> Self {
        RoleInfo {
            kind: if role.namespace.is_some() {
                RoleKind::Role
            } else {
                RoleKind::ClusterRole
            },
            namespace: role.namespace.clone(),
            name: role.name.clone(),
            origin: role.origin,
        }
    }
}

impl fmt::Display for RoleInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "Role {ns}/{}", self.name),
            None => write!(f, "ClusterRole {}", self.name),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum BindingKind {
    RoleBinding,
    ClusterRoleBinding,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct BindingInfo {
    pub kind: BindingKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<SourceRef>,
}

impl BindingInfo {
    pub(crate) fn of(binding: &Binding) -> Self {
        BindingInfo {
            kind: if binding.namespace.is_some() {
                BindingKind::RoleBinding
            } else {
                BindingKind::ClusterRoleBinding
            },
            namespace: binding.namespace.clone(),
            name: binding.name.clone(),
            origin: binding.origin,
        }
    }
}

impl fmt::Display for BindingInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "RoleBinding {ns}/{}", self.name),
            None => write!(f, "ClusterRoleBinding {}", self.name),
        }
    }
}

/// Which binding, role and rule grant something, and where.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct GrantInfo {
    pub scope: Scope,
    pub binding: BindingInfo,
    /// The role the binding references.
    pub role: RoleInfo,
    /// Index of the rule in `rules` of `aggregated_from` when set, else of `role`.
    pub rule_index: usize,
    /// The ClusterRole whose rule this is, when it reached `role` through aggregation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregated_from: Option<RoleInfo>,
    pub rule: PolicyRule,
}

impl fmt::Display for GrantInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} -> {} rule {}",
            self.binding, self.role, self.rule_index
        )?;
        if let Some(src) = &self.aggregated_from {
            write!(f, " (aggregated from {src})")?;
        }
        Ok(())
    }
}

/// A subject with the namespace of a service account resolved (RoleBindings default it).
pub(crate) fn resolved_subject(binding: &Binding, subject: &Subject) -> Subject {
    let mut out = subject.clone();
    if subject.kind == SubjectKind::ServiceAccount {
        out.namespace = crate::index::subject_sa_namespace(binding, subject).map(str::to_owned);
    } else {
        out.namespace = None;
    }
    out
}

/// `User alice`, `Group dev`, `ServiceAccount ns/name`.
pub fn subject_label(subject: &Subject) -> String {
    match subject.kind {
        SubjectKind::ServiceAccount => format!(
            "ServiceAccount {}/{}",
            subject.namespace.as_deref().unwrap_or(""),
            subject.name
        ),
        SubjectKind::User => format!("User {}", subject.name),
        SubjectKind::Group => format!("Group {}", subject.name),
        SubjectKind::Unknown => format!("Unknown {}", subject.name),
    }
}
