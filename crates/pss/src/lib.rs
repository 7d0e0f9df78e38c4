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
//! ```
//! use kubeward_pss::{Level, Version, evaluate_object};
//! use kubeward_source::{Limits, load_text};
//!
//! let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: app, image: nginx, securityContext: {privileged: true}}]\n";
//! let loaded = load_text("web.yaml", yaml.into(), &Limits::default());
//! let (objects, _) = kubeward_model::objects_from_documents(loaded.documents);
//! let level: Level = "baseline".parse()?;
//! let version: Version = "v1.30".parse()?;
//! if let Some(evaluation) = evaluate_object(&objects[0], level, version) {
//!     assert!(!evaluation.allowed);
//!     assert_eq!(
//!         evaluation.violations[0].message(),
//!         r#"privileged (container "app" must not set securityContext.privileged=true)"#
//!     );
//! }
//! # Ok::<(), kubeward_pss::Error>(())
//! ```
//!
//! | Check | Level | Policy versions at which it changes |
//! |---|---|---|
//! | `appArmorProfile`, `capabilities_baseline`, `hostNamespaces`, `hostPathVolumes`, `hostPorts`, `privileged`, `windowsHostProcess` | baseline | v1.0 |
//! | `hostProbesAndHostLifecycle` | baseline | v1.34 |
//! | `procMount` | baseline | v1.0; v1.35 allows any value with `hostUsers: false` |
//! | `seLinuxOptions` | baseline | v1.0; v1.31 adds `container_engine_t` |
//! | `seccompProfile_baseline` | baseline | v1.0 (annotations); v1.19 (fields) |
//! | `sysctls` | baseline | v1.0; v1.27, v1.29, v1.32, v1.37 widen the safe list |
//! | `allowPrivilegeEscalation` | restricted | v1.8; v1.25 exempts Windows pods |
//! | `capabilities_restricted` | restricted | v1.22 (replaces `capabilities_baseline`); v1.25 exempts Windows pods |
//! | `procMount_restricted` | restricted | v1.35 (replaces `procMount`, keeps the strict rule) |
//! | `restrictedVolumes` | restricted | v1.0 (replaces `hostPathVolumes`) |
//! | `runAsNonRoot` | restricted | v1.0; v1.35 exempts `hostUsers: false` |
//! | `runAsUser` | restricted | v1.23; v1.35 exempts `hostUsers: false` |
//! | `seccompProfile_restricted` | restricted | v1.19 (replaces `seccompProfile_baseline`); v1.25 exempts Windows pods |
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
    evaluate_check, evaluate_object,
};
pub use policy::{Error, Level, NEWEST_MINOR, Version};

/// Capabilities baseline lets a container add (the container runtimes' defaults), compared exactly.
pub fn baseline_capabilities() -> &'static [&'static str] {
    checks::BASELINE_CAPABILITIES
}

/// Sysctls baseline allows at a policy minor version (for documentation and for rules that explain
/// findings).
pub fn safe_sysctls(minor: u32) -> Vec<&'static str> {
    checks::safe_sysctls(minor).collect()
}
