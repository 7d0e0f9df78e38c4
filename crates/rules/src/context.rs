use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use kubeward_diagnostics::{Finding, Fix, Location};
use kubeward_model::Object;
use kubeward_source::Node;

use crate::registry::RuleMeta;
use crate::settings::Settings;

/// Results several rules of one scan share (the RBAC analysis, say), computed once by whichever
/// rule asks first while the others wait. Owned by the engine for exactly one scan, so nothing leaks
/// from one scan into the next and no fingerprinting of the inventory is needed.
#[derive(Default)]
pub struct Shared {
    slots: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
}

impl Shared {
    /// The value of type `T` for this scan, computed by `init` on first use.
    pub fn get_or_init<T: Any + Send + Sync>(&self, init: impl FnOnce() -> T) -> Arc<T> {
        let slot: Arc<dyn Any + Send + Sync> = {
            let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
            slots
                .entry(TypeId::of::<T>())
                .or_insert_with(|| Arc::new(OnceLock::<Arc<T>>::new()))
                .clone()
        };
        match slot.downcast::<OnceLock<Arc<T>>>() {
            Ok(cell) => cell.get_or_init(|| Arc::new(init())).clone(),
            // Unreachable: the slot for `TypeId::of::<T>()` always holds a `OnceLock<Arc<T>>`.
            Err(_) => Arc::new(init()),
        }
    }
}

/// What a rule's check function gets: the settings, per-scan shared results, and a place to report
/// findings.
pub struct Context<'a> {
    pub(crate) rule: &'static RuleMeta,
    pub settings: &'a Settings,
    pub shared: &'a Shared,
    pub(crate) findings: &'a mut Vec<Finding>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        rule: &'static RuleMeta,
        settings: &'a Settings,
        shared: &'a Shared,
        findings: &'a mut Vec<Finding>,
    ) -> Self {
        Self {
            rule,
            settings,
            shared,
            findings,
        }
    }

    /// Reports a finding about `object`, pointing at `node` (the offending value, or the mapping where a
    /// missing field belongs). Returns it so the caller can attach a fix.
    pub fn report(&mut self, object: &Object, node: &Node, message: String) -> &mut Finding {
        self.report_at(object, object.location(node), message)
    }

    pub fn report_at(
        &mut self,
        object: &Object,
        location: Location,
        message: String,
    ) -> &mut Finding {
        self.findings.push(Finding {
            rule_id: self.rule.id,
            rule_name: self.rule.name,
            severity: self.rule.severity,
            message,
            location: Some(location),
            object: Some(object.reference.clone()),
            fix: None,
            suppression: None,
            sensitive: false,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Reports with a fix.
    pub fn report_fix(&mut self, object: &Object, node: &Node, message: String, fix: Fix) {
        self.report(object, node, message).fix = Some(fix);
    }
}
