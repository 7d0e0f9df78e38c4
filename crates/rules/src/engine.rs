//! Runs the selected rules over an inventory on all cores, then applies severity overrides and
//! suppressions. Sans I/O: the same call serves the CLI, the webhook and the dashboard.

use kubeward_diagnostics::Finding;
use kubeward_model::{Inventory, Object, Workload};
use rayon::prelude::*;

use crate::context::{Context, Shared};
use crate::incremental::{Incremental, Reuse};
use crate::registry::{Check, RULES, Rule};
use crate::settings::Settings;
use crate::suppress;

/// The engine, configured once.
pub struct Engine<'a> {
    settings: &'a Settings,
    workload_rules: Vec<&'static Rule>,
    object_rules: Vec<&'static Rule>,
    inventory_rules: Vec<&'static Rule>,
}

/// Findings of one scan, sorted by location.
#[derive(Debug, Default)]
pub struct ScanResult {
    pub findings: Vec<Finding>,
    pub objects: usize,
    pub rules_run: usize,
}

impl<'a> Engine<'a> {
    pub fn new(settings: &'a Settings) -> Self {
        let enabled: Vec<&'static Rule> = RULES
            .iter()
            .enumerate()
            .filter(|(i, _)| settings.selection.is_enabled_index(*i))
            .map(|(_, r)| r)
            .collect();
        let pick =
            |f: fn(&Check) -> bool| enabled.iter().copied().filter(|r| f(&r.check)).collect();
        Self {
            settings,
            workload_rules: pick(|c| matches!(c, Check::Workload(_))),
            object_rules: pick(|c| matches!(c, Check::Object(..))),
            inventory_rules: pick(|c| matches!(c, Check::Inventory(_))),
        }
    }

    /// Runs the rules; `input_findings` (from [`crate::input::findings`]) are merged in so that
    /// selection, overrides and sorting apply to them too.
    pub fn run(&self, inventory: &Inventory, input_findings: Vec<Finding>) -> ScanResult {
        let shared = Shared::default();
        let mut findings: Vec<Finding> = inventory
            .objects()
            .par_chunks(128)
            .map(|chunk| {
                let mut out = Vec::new();
                for object in chunk {
                    self.check_object(object, &shared, &mut out);
                }
                out
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        let cross: Vec<Finding> = self
            .inventory_rules
            .par_iter()
            .map(|rule| self.check_inventory(rule, inventory, &shared))
            .flatten()
            .collect();
        findings.extend(cross);
        self.finish(inventory, findings, input_findings)
    }

    /// Like [`Engine::run`] for an inventory that changes between calls (watch mode, the
    /// dashboard): objects unchanged since the previous call keep their findings, and cross-object
    /// rules run again only when a kind they read changed. The result equals `run`'s on the same
    /// inventory. Pass the same `state` every time, with the same settings.
    pub fn run_incremental(
        &self,
        inventory: &Inventory,
        input_findings: Vec<Finding>,
        state: &mut Incremental,
    ) -> (ScanResult, Reuse) {
        let shared = Shared::default();
        let plan = state.plan(inventory);
        let per_object: Vec<Vec<Finding>> = inventory
            .objects()
            .par_iter()
            .enumerate()
            .map(|(i, object)| {
                if plan.changed.get(i).copied().unwrap_or(true) {
                    let mut out = Vec::new();
                    self.check_object(object, &shared, &mut out);
                    out
                } else {
                    state.object_findings(&plan, i, object)
                }
            })
            .collect();
        let anchors = crate::incremental::anchors(inventory);
        let cross: Vec<(&'static str, Vec<Finding>, bool)> = self
            .inventory_rules
            .par_iter()
            .map(|rule| {
                if state.cross_kept(rule, &plan) {
                    (
                        rule.meta.id,
                        state.cross_findings(rule.meta.id, &anchors),
                        true,
                    )
                } else {
                    (
                        rule.meta.id,
                        self.check_inventory(rule, inventory, &shared),
                        false,
                    )
                }
            })
            .collect();
        let reuse = state.store(inventory, &plan, &per_object, &cross);
        let mut findings: Vec<Finding> = per_object.into_iter().flatten().collect();
        findings.extend(cross.into_iter().flat_map(|(_, f, _)| f));
        (self.finish(inventory, findings, input_findings), reuse)
    }

    fn check_inventory(&self, rule: &Rule, inventory: &Inventory, shared: &Shared) -> Vec<Finding> {
        let mut out = Vec::new();
        if let Check::Inventory(check) = rule.check {
            check(
                &mut Context::new(rule.meta, self.settings, shared, &mut out),
                inventory,
            );
        }
        out
    }

    /// Selection of input findings, suppressions, repeats, severity overrides and order: what every
    /// run applies to the rules' raw findings.
    fn finish(
        &self,
        inventory: &Inventory,
        mut findings: Vec<Finding>,
        input_findings: Vec<Finding>,
    ) -> ScanResult {
        let settings = self.settings;
        findings.extend(input_findings.into_iter().filter(|f| {
            crate::registry::meta(f.rule_id).is_some_and(|m| settings.selection.is_enabled(m))
        }));
        suppress::apply(&mut findings, inventory, settings);
        drop_repeats(&mut findings);
        for f in &mut findings {
            if let Some(sev) = settings.severity_overrides.get(f.rule_id) {
                f.severity = *sev;
            }
        }
        sort(&mut findings);
        ScanResult {
            findings,
            objects: inventory.len(),
            rules_run: self.workload_rules.len()
                + self.object_rules.len()
                + self.inventory_rules.len(),
        }
    }

    fn check_object(&self, object: &Object, shared: &Shared, out: &mut Vec<Finding>) {
        if let Some(workload) = Workload::of(object) {
            for rule in &self.workload_rules {
                if let Check::Workload(check) = rule.check {
                    check(
                        &mut Context::new(rule.meta, self.settings, shared, out),
                        &workload,
                    );
                }
            }
        }
        for rule in &self.object_rules {
            if let Check::Object(kinds, check) = rule.check
                && kinds.contains(&object.kind())
            {
                check(
                    &mut Context::new(rule.meta, self.settings, shared, out),
                    object,
                );
            }
        }
    }
}

/// Rule pairs that flag the same field at the restricted level: `(repeating, kept)`. Mostly a Pod
/// Security Admission rule and an older, more specific rule with its own wording and fixes —
/// `seccompProfile: Unconfined` is POD022's and POD029's, a `hostPath` volume POD005's and POD026's.
/// The repeating rule's finding at a span where the kept rule reported is dropped. Both cite the same
/// framework controls, so compliance reports do not lose the violation.
const REPEATS: [(&str, &str); 5] = [
    ("POD029", "POD022"),
    ("POD026", "POD005"),
    ("POD030", "POD006"),
    ("POD027", "POD003"),
    // `runAsUser: 0` has no automatic fix in POD003; POD028 says it with PSA's words and severity.
    ("POD003", "POD028"),
];

/// Drops the repeating rule's findings where the kept rule of a [`REPEATS`] pair reported the same span.
/// Runs after suppression, so a suppressed kept finding still stands for the field (the user decided
/// about it once) and suppressions of the repeating rule still count as used.
fn drop_repeats(findings: &mut Vec<Finding>) {
    let kept: std::collections::HashSet<_> = findings
        .iter()
        .filter(|f| REPEATS.iter().any(|(_, kept)| *kept == f.rule_id))
        .filter_map(|f| Some((f.rule_id, f.location?)))
        .collect();
    if kept.is_empty() {
        return;
    }
    findings.retain(|f| {
        let Some(location) = f.location else {
            return true;
        };
        !REPEATS.iter().any(|(repeating, kept_rule)| {
            *repeating == f.rule_id && kept.contains(&(*kept_rule, location))
        })
    });
}

/// Orders findings by source, position, then rule, so output is stable whatever the thread schedule.
fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| f.location.map(|l| (l.source, l.span.start, l.span.end));
        match (key(a), key(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| a.rule_id.cmp(b.rule_id))
        .then_with(|| a.message.cmp(&b.message))
    });
}
