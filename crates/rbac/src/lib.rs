//! Kubernetes RBAC as the API server evaluates it, for kubeward.
//!
//! [`RbacIndex::build`] resolves an [`RbacInput`] (Roles, ClusterRoles with aggregation, bindings,
//! service accounts, pods, secrets, namespaces) once. Queries then answer exactly what the RBAC
//! authorizer would, and say which binding and rule grant it:
//! - [`RbacIndex::who_can`], [`RbacIndex::can_i`], [`RbacIndex::show`];
//! - [`RbacIndex::risky_grants`]: grants an attacker would want, each with what they would do with it;
//! - [`RbacIndex::escalations`]: the shortest chain of steps from a subject to cluster-admin power.
//!
//! The crate does no I/O; [`render`] writes plain-text tables, and every result type serialises.
//!
//! ```
//! use kubeward_rbac::{Binding, PolicyRule, RbacIndex, RbacInput, Request, Role, RoleRef,
//!     RoleRefKind, Subject, SubjectKind, UserInfo};
//!
//! let strings = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
//! let mut input = RbacInput::default();
//! input.roles.push(Role {
//!     name: "secret-reader".into(),
//!     rules: vec![PolicyRule {
//!         api_groups: strings(&[""]),
//!         resources: strings(&["secrets"]),
//!         verbs: strings(&["get"]),
//!         ..PolicyRule::default()
//!     }],
//!     ..Role::default()
//! });
//! input.bindings.push(Binding {
//!     namespace: Some("payments".into()),
//!     name: "read-secrets".into(),
//!     role_ref: RoleRef { kind: RoleRefKind::ClusterRole, name: "secret-reader".into() },
//!     subjects: vec![Subject { kind: SubjectKind::User, name: "alice".into(), namespace: None }],
//!     origin: None,
//! });
//! let index = RbacIndex::build(&input);
//! let get = Request::resource("get", "secrets").in_namespace("payments").named("db");
//! assert_eq!(index.who_can(&get).subjects.len(), 1);
//! assert!(index.can_i(&UserInfo::user("alice", &[]), &get).allowed);
//! // A RoleBinding grants its ClusterRole only inside its own namespace.
//! let elsewhere = Request::resource("get", "secrets").in_namespace("default").named("db");
//! assert!(!index.can_i(&UserInfo::user("alice", &[]), &elsewhere).allowed);
//! ```

mod authz;
mod error;
mod escalation;
mod grant;
mod index;
mod input;
mod query;
pub mod render;
mod risk;
mod selector;

pub use authz::{
    GROUP_AUTHENTICATED, GROUP_MASTERS, GROUP_SERVICE_ACCOUNTS, GROUP_UNAUTHENTICATED, Request,
    USER_ANONYMOUS, UserInfo, service_account_user, split_service_account,
};
pub use error::RbacError;
pub use escalation::{EscalationPath, Principal, Step, StepKind};
pub use grant::{BindingInfo, BindingKind, GrantInfo, RoleInfo, RoleKind, Scope, subject_label};
pub use index::{IndexWarning, RbacIndex};
pub use input::{
    Binding, NamespaceInfo, Object, ObjectList, PodInfo, PolicyRule, RbacInput, Role, RoleRef,
    RoleRefKind, SecretInfo, ServiceAccount, SourceRef, Subject, SubjectKind,
};
pub use query::{Decision, EffectivePermissions, Reason, SubjectGrants, WhoCan};
pub use risk::{RiskKind, RiskOptions, RiskyGrant, SuggestedSeverity};
pub use selector::{LabelSelector, LabelSelectorRequirement, SelectorOperator};
