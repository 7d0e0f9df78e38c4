//! RBAC: risky permissions and escalation paths, from the `kubeward-rbac` engine.
//!
//! Every rule here reads one shared analysis per scan ([`analysis`]): the scanned objects converted
//! to the engine's input ([`input`]), the risky grants, and the escalation paths. Rule files hold the
//! documentation and metadata; [`findings`] turns engine results into located findings. Objects that
//! cannot be read as RBAC input are left out of the analysis.

pub(crate) mod analysis;
pub(crate) mod findings;
pub mod input;

pub(crate) mod admission_webhook_write;
pub(crate) mod anonymous_grant;
pub(crate) mod authenticated_group_grant;
pub(crate) mod cluster_admin_bound;
pub(crate) mod csr_approval;
pub(crate) mod dangling_binding;
pub(crate) mod default_service_account_bound;
pub(crate) mod ephemeral_containers_allowed;
pub(crate) mod impersonation_allowed;
pub(crate) mod missing_service_account_bound;
pub(crate) mod nodes_proxy_allowed;
pub(crate) mod persistent_volume_create;
pub(crate) mod pod_attach_allowed;
pub(crate) mod pod_create_allowed;
pub(crate) mod pod_exec_allowed;
pub(crate) mod pod_port_forward_allowed;
pub(crate) mod privilege_escalation_path;
pub(crate) mod role_bind_allowed;
pub(crate) mod role_escalate_allowed;
pub(crate) mod role_never_bound;
pub(crate) mod secrets_readable;
pub(crate) mod service_account_token_create;
pub(crate) mod service_account_token_secret;
pub(crate) mod wildcard_permissions;

use kubeward_rbac::RiskKind;

use crate::registry::RuleMeta;

/// The rules that report one kind of risky grant each.
pub(crate) static GRANT_RULES: &[(&RuleMeta, RiskKind)] = &[
    (&cluster_admin_bound::RULE, cluster_admin_bound::KIND),
    (&wildcard_permissions::RULE, wildcard_permissions::KIND),
    (&secrets_readable::RULE, secrets_readable::KIND),
    (&pod_create_allowed::RULE, pod_create_allowed::KIND),
    (&pod_exec_allowed::RULE, pod_exec_allowed::KIND),
    (&pod_attach_allowed::RULE, pod_attach_allowed::KIND),
    (
        &pod_port_forward_allowed::RULE,
        pod_port_forward_allowed::KIND,
    ),
    (
        &ephemeral_containers_allowed::RULE,
        ephemeral_containers_allowed::KIND,
    ),
    (&role_escalate_allowed::RULE, role_escalate_allowed::KIND),
    (&role_bind_allowed::RULE, role_bind_allowed::KIND),
    (&impersonation_allowed::RULE, impersonation_allowed::KIND),
    (
        &service_account_token_create::RULE,
        service_account_token_create::KIND,
    ),
    (&nodes_proxy_allowed::RULE, nodes_proxy_allowed::KIND),
    (&csr_approval::RULE, csr_approval::KIND),
    (
        &admission_webhook_write::RULE,
        admission_webhook_write::KIND,
    ),
    (
        &persistent_volume_create::RULE,
        persistent_volume_create::KIND,
    ),
    (&anonymous_grant::RULE, anonymous_grant::KIND),
    (
        &authenticated_group_grant::RULE,
        authenticated_group_grant::KIND,
    ),
    (
        &default_service_account_bound::RULE,
        default_service_account_bound::KIND,
    ),
    (&dangling_binding::RULE, dangling_binding::KIND),
    (
        &missing_service_account_bound::RULE,
        missing_service_account_bound::KIND,
    ),
    (&role_never_bound::RULE, role_never_bound::KIND),
];

#[cfg(test)]
mod tests {
    use kubeward_diagnostics::Severity;
    use kubeward_rbac::SuggestedSeverity;

    use super::*;

    /// Each rule declares its severity in its metadata; it must be the one the engine suggests.
    fn severity(suggested: SuggestedSeverity) -> Severity {
        match suggested {
            SuggestedSeverity::Info => Severity::Info,
            SuggestedSeverity::Low => Severity::Low,
            SuggestedSeverity::Medium => Severity::Medium,
            SuggestedSeverity::High => Severity::High,
            SuggestedSeverity::Critical => Severity::Critical,
        }
    }

    #[test]
    fn every_risk_kind_has_one_rule_with_the_engines_severity() {
        for kind in RiskKind::ALL {
            let rules: Vec<&&RuleMeta> = GRANT_RULES
                .iter()
                .filter(|(_, k)| *k == kind)
                .map(|(meta, _)| meta)
                .collect();
            assert_eq!(rules.len(), 1, "{kind:?}");
            assert_eq!(
                rules[0].severity,
                severity(kind.suggested_severity()),
                "{}",
                rules[0].id
            );
        }
    }
}
