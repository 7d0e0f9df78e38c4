use kubeward_diagnostics::{Finding, Fix, Location};
use kubeward_model::Object;
use kubeward_source::Node;

use crate::registry::RuleMeta;
use crate::settings::Settings;

/// What a rule's check function gets: the settings and a place to report findings.
pub struct Context<'a> {
    pub(crate) rule: &'static RuleMeta,
    pub settings: &'a Settings,
    pub(crate) findings: &'a mut Vec<Finding>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        rule: &'static RuleMeta,
        settings: &'a Settings,
        findings: &'a mut Vec<Finding>,
    ) -> Self {
        Self {
            rule,
            settings,
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
