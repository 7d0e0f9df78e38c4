//! The template behind the PSS rules (POD018 and up): each rule is one Pod Security Admission check,
//! evaluated by `kubeward-pss` exactly as the API server would at the configured level and version.

use kubeward_diagnostics::Location;
use kubeward_model::Workload;

use crate::context::Context;

/// Evaluates the first of `checks` that applies at the configured level and version and reports its
/// violation, one finding per offending field, worded like the API server's rejection. A check applies
/// when the level includes it (a restricted check does nothing at baseline) and the version defines it
/// (`hostProbesAndHostLifecycle` starts at v1.34). Listing a stricter check first lets one rule follow a
/// control whose check PSA swaps by level and version (`procMount_restricted`, then `procMount`).
pub(super) fn report(ctx: &mut Context<'_>, workload: &Workload<'_>, checks: &[&str]) {
    let options = &ctx.settings.options;
    let (level, version) = (options.pss_level, options.pss_version);
    let known = kubeward_pss::checks();
    let applies = |id: &str| {
        known.iter().any(|c| {
            c.id == id
                && c.level <= level
                && c.versions
                    .first()
                    .is_some_and(|&since| since <= version.effective_minor())
        })
    };
    let Some(check) = checks.iter().copied().find(|c| applies(c)) else {
        return;
    };
    // The IDs are constants checked by the test below; an unknown one would only mean no findings.
    let Ok(Some(violation)) = kubeward_pss::evaluate_check(workload, check, version) else {
        return;
    };
    let message = violation.message();
    let object = workload.object;
    if violation.locations.is_empty() {
        let location = Location {
            source: object.source,
            span: workload.pod_spec_key,
        };
        ctx.report_at(object, location, message);
        return;
    }
    for span in violation.locations {
        let location = Location {
            source: object.source,
            span,
        };
        ctx.report_at(object, location, message.clone());
    }
}

#[cfg(test)]
mod tests {
    /// PSA checks with their rule: every check kubeward-pss knows is a rule, new or pre-existing.
    const COVERED: [(&str, &str); 19] = [
        ("allowPrivilegeEscalation", "POD002"),
        ("appArmorProfile", "POD019"),
        ("capabilities_baseline", "POD006"),
        ("capabilities_restricted", "POD030"),
        ("hostNamespaces", "POD004"),
        ("hostPathVolumes", "POD005"),
        ("hostPorts", "POD018"),
        ("hostProbesAndHostLifecycle", "POD025"),
        ("privileged", "POD001"),
        ("procMount", "POD021"),
        ("procMount_restricted", "POD021"),
        ("restrictedVolumes", "POD026"),
        ("runAsNonRoot", "POD027"),
        ("runAsUser", "POD028"),
        ("seLinuxOptions", "POD020"),
        ("seccompProfile_baseline", "POD022"),
        ("seccompProfile_restricted", "POD029"),
        ("sysctls", "POD023"),
        ("windowsHostProcess", "POD024"),
    ];

    #[test]
    fn every_pss_check_has_a_rule() {
        for id in kubeward_pss::check_ids() {
            let rule = COVERED.iter().find(|(c, _)| *c == id).map(|(_, r)| *r);
            let Some(rule) = rule else {
                panic!("PSA check `{id}` has no rule")
            };
            assert!(
                crate::registry::RULES.iter().any(|r| r.meta.id == rule),
                "{rule} for `{id}` is not registered"
            );
        }
        assert_eq!(kubeward_pss::check_ids().count(), COVERED.len());
    }
}
