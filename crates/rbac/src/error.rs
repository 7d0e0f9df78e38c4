use crate::selector::SelectorOperator;

/// Errors of the RBAC crate. Analysis itself never fails: problems in the input (a binding to a missing
/// role, an invalid selector) are reported as warnings or risky grants instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RbacError {
    #[error("invalid label selector requirement on key `{key}` with operator {operator:?}")]
    InvalidSelector {
        key: String,
        operator: SelectorOperator,
    },
    #[error("`{0}` is not a service-account user name (system:serviceaccount:<namespace>:<name>)")]
    NotAServiceAccount(String),
    #[error("empty resource in request")]
    EmptyResource,
}
