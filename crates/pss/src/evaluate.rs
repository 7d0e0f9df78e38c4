//! Evaluating one pod (or pod template) against a level and version.

use kubeward_diagnostics::Span;
use kubeward_model::{Object, Workload};

use crate::checks::{self, CHECKS};
use crate::pod::Pod;
use crate::policy::{Error, Level, Version};

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Pod Security Admission's check ID (`privileged`, `runAsNonRoot`, ...).
    pub check: &'static str,
    /// PSA's short reason (`forbiddenReason`), e.g. `allowPrivilegeEscalation != false`.
    pub reason: String,
    /// Which pod, container, field and value (`forbiddenDetail`).
    pub detail: String,
    /// Spans of the offending fields in the object's source; the container or pod spec when the problem
    /// is a missing field.
    pub locations: Vec<Span>,
}

impl Violation {
    /// The message as the API server words it: `reason (detail)`.
    pub fn message(&self) -> String {
        format!("{} ({})", self.reason, self.detail)
    }
}

/// The verdict for one pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub allowed: bool,
    /// In Pod Security Admission's order: baseline checks, then restricted, each by check ID.
    pub violations: Vec<Violation>,
}

impl Evaluation {
    /// The API server's rejection text without the object prefix:
    /// `violates PodSecurity "restricted:latest": privileged (...), runAsNonRoot != true (...)`.
    pub fn admission_message(&self, level: Level, version: Version) -> Option<String> {
        if self.allowed {
            return None;
        }
        let parts: Vec<String> = self.violations.iter().map(Violation::message).collect();
        Some(format!(
            "violates PodSecurity \"{level}:{version}\": {}",
            parts.join(", ")
        ))
    }
}

/// Evaluates a workload's pod spec and pod metadata (its template's, for controllers) the way Pod
/// Security Admission evaluates a pod at `level` and `version`.
pub fn evaluate(workload: &Workload<'_>, level: Level, version: Version) -> Evaluation {
    let pod = Pod::new(workload);
    let violations: Vec<Violation> = checks::active(level, version.effective_minor())
        .into_iter()
        .filter_map(|(check, implementation)| {
            (implementation.run)(&pod).map(|f| Violation {
                check: check.id,
                reason: f.reason,
                detail: f.detail,
                locations: f.spans,
            })
        })
        .collect();
    Evaluation {
        allowed: violations.is_empty(),
        violations,
    }
}

/// One check on its own, as it behaves at `version`, whatever the level (for rules that each map to one
/// PSA check). `Ok(None)` when the pod passes or the check does not exist yet at that version.
pub fn evaluate_check(
    workload: &Workload<'_>,
    check: &str,
    version: Version,
) -> Result<Option<Violation>, Error> {
    let found = CHECKS
        .iter()
        .find(|c| c.id == check)
        .ok_or_else(|| Error::UnknownCheck(check.to_string()))?;
    let Some(implementation) = found.at(version.effective_minor()) else {
        return Ok(None);
    };
    Ok(
        (implementation.run)(&Pod::new(workload)).map(|f| Violation {
            check: found.id,
            reason: f.reason,
            detail: f.detail,
            locations: f.spans,
        }),
    )
}

/// [`evaluate`] for any object; `None` when the object does not create pods.
pub fn evaluate_object(object: &Object, level: Level, version: Version) -> Option<Evaluation> {
    Workload::of(object).map(|w| evaluate(&w, level, version))
}

/// Description of one check for documentation and for rules that map onto checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInfo {
    pub id: &'static str,
    /// The lowest level that runs it (restricted includes baseline).
    pub level: Level,
    /// The policy minor versions at which its behaviour changes; the first is when it starts to apply.
    pub versions: Vec<u32>,
}

/// Every Pod Security Admission check ID kubeward implements, baseline first.
pub fn check_ids() -> impl Iterator<Item = &'static str> {
    CHECKS.iter().map(|c| c.id)
}

/// Every check with its level and the versions at which it changes.
pub fn checks() -> Vec<CheckInfo> {
    CHECKS
        .iter()
        .map(|c| CheckInfo {
            id: c.id,
            level: c.level,
            versions: c.versions.iter().map(|v| v.since).collect(),
        })
        .collect()
}

/// The check IDs that run for a level and version (restricted without the baseline checks it replaces).
pub fn active_check_ids(level: Level, version: Version) -> Vec<&'static str> {
    checks::active(level, version.effective_minor())
        .into_iter()
        .map(|(c, _)| c.id)
        .collect()
}
