//! The Pod Security Standards, evaluated with the semantics of Kubernetes' Pod Security Admission.
//!
//! Every check of PSA (`k8s.io/pod-security-admission/policy`) is here under its PSA check ID, with each
//! version-specific behaviour from policy v1.0 to the newest (`latest`): a pod allowed or rejected by the
//! API server at `enforce=<level>`, `enforce-version=<version>` gets the same verdict from [`evaluate`],
//! with violations worded like the API server's (`privileged (container "app" must not set
//! securityContext.privileged=true)`) and pointing at the offending fields.
//!
//! The input is a [`kubeward_model::Workload`], so Deployments, CronJobs and every other pod-bearing kind
//! are evaluated through their pod template, as PSA does for its warnings and audit annotations. As after
//! Go decoding, an explicit `null` is the same as an absent field.
//!
//! Behaviour follows the newest PSA: where upstream amended an old version's implementation in place
//! (the `appArmorProfile` field, `image` volumes), old policy versions include the amendment too.

mod checks;
mod evaluate;
mod message;
mod pod;
mod policy;

pub use evaluate::{
    CheckInfo, Evaluation, Violation, active_check_ids, check_ids, checks, evaluate,
    evaluate_object,
};
pub use policy::{Level, NEWEST_MINOR, ParseError, Version};

/// Sysctls baseline allows at a policy minor version (for documentation and for rules that explain
/// findings).
pub fn safe_sysctls(minor: u32) -> Vec<&'static str> {
    checks::safe_sysctls(minor).collect()
}
