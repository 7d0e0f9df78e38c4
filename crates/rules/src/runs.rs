//! What each rule did in one scan: whether it ran, whether anything it inspects was there, and how many
//! findings it raised. Compliance reports judge controls from this, so a control whose rules never saw
//! an object of their kind is "not applicable", not "pass".

use std::collections::HashMap;

use kubeward_diagnostics::Finding;
use kubeward_model::Inventory;

use crate::registry::{Check, RULES};
use crate::settings::Settings;

/// One rule's part in a scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRun {
    pub id: &'static str,
    /// The rule was selected and ran.
    pub ran: bool,
    /// Objects the rule inspects were in the input (always true for cross-object rules, which judge
    /// absences too).
    pub applicable: bool,
    /// Unsuppressed findings it raised.
    pub findings: usize,
    /// Suppressed findings it raised.
    pub suppressed: usize,
    /// Inputs the rule reads that could not be read (`pods (forbidden)`), filled in by the caller
    /// that knows (a live scan): a rule that found nothing then did not show a pass.
    pub unread: Vec<String>,
}

/// The part every registered rule played in a scan of `inventory` with `settings`.
pub fn rule_runs(settings: &Settings, inventory: &Inventory, findings: &[Finding]) -> Vec<RuleRun> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for f in findings {
        let slot = counts.entry(f.rule_id).or_default();
        if f.is_suppressed() {
            slot.1 += 1;
        } else {
            slot.0 += 1;
        }
    }
    let has_workloads = inventory.workloads().next().is_some();
    RULES
        .iter()
        .enumerate()
        .map(|(index, rule)| {
            let (findings, suppressed) = counts.get(rule.meta.id).copied().unwrap_or_default();
            let applicable = match rule.check {
                Check::Workload(_) => has_workloads,
                Check::Object(kinds, _) => kinds
                    .iter()
                    .any(|kind| inventory.of_kind(kind).next().is_some()),
                Check::Inventory(_) | Check::Engine => true,
            };
            RuleRun {
                id: rule.meta.id,
                ran: settings.selection.is_enabled_index(index),
                applicable: applicable || findings + suppressed > 0,
                findings,
                suppressed,
                unread: Vec::new(),
            }
        })
        .collect()
}
