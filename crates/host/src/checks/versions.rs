//! Versions and CVEs — area `VER`: end of life, end of standard support, kubelet skew, known CVEs.
//! Versions come from the caller (cluster version, kubelet versions from the API) or from the image tags
//! of static pods on this node.

use crate::checks::{
    Area, CheckDef, Ctx, Evidence, Outcome, Severity, fail, manual, not_applicable, pass, warn,
};
use crate::facts::{ComponentKind, Origin};
use crate::versions::{Date, Version, kubelet_skew_problem};

const fn def(
    id: &'static str,
    name: &'static str,
    severity: Severity,
    title: &'static str,
    remediation: &'static str,
    run: fn(&Ctx) -> Outcome,
) -> CheckDef {
    CheckDef {
        id,
        name,
        area: Area::Ver,
        cis: &[],
        severity,
        title,
        remediation,
        run,
    }
}

pub(super) const CHECKS: &[CheckDef] = &[
    def(
        "VER001",
        "kubernetes-version-end-of-life",
        Severity::High,
        "Kubernetes version is past end of life",
        "Upgrade to a supported minor release (one minor version at a time for the control plane). End-of-life releases get no security fixes.",
        end_of_life,
    ),
    def(
        "VER002",
        "kubernetes-version-end-of-standard-support",
        Severity::Medium,
        "Kubernetes version is past end of standard support",
        "Plan the upgrade now: after end of standard support only critical fixes are released until end of life.",
        end_of_support,
    ),
    def(
        "VER003",
        "kubelet-version-skew",
        Severity::Medium,
        "Kubelet and control-plane versions are further apart than Kubernetes supports",
        "Upgrade the kubelets (or the control plane first, when kubelets are newer) so kubelets are never newer than the API server and at most three minor versions older.",
        skew,
    ),
    def(
        "VER004",
        "known-vulnerable-component-version",
        Severity::High,
        "A component version has known CVEs",
        "Upgrade the affected component to at least the fixed version listed for each CVE (or the newest patch of its minor release). For CVEs without a fix, apply the mitigation in the advisory.",
        cves,
    ),
];

/// Component versions known for this node: (component, version, where it came from).
fn known_versions(ctx: &Ctx) -> Vec<(String, Version, Option<Origin>)> {
    let mut out = Vec::new();
    let cluster = ctx.opts.cluster_version.as_deref().and_then(Version::parse);
    for (kind, name) in [
        (ComponentKind::ApiServer, "kube-apiserver"),
        (ComponentKind::ControllerManager, "kube-controller-manager"),
        (ComponentKind::Scheduler, "kube-scheduler"),
        (ComponentKind::KubeProxy, "kube-proxy"),
    ] {
        let from_image = ctx.facts.component(kind).and_then(|c| {
            let image = c.image.as_deref()?;
            let tag = image.rsplit_once(':')?.1;
            Some((Version::parse(tag)?, c.manifest.clone().map(Origin::new)))
        });
        match (from_image, &cluster) {
            (Some((v, o)), _) => out.push((name.to_string(), v, o)),
            (None, Some(v)) if kind == ComponentKind::ApiServer => {
                out.push((name.to_string(), v.clone(), None))
            }
            _ => {}
        }
    }
    for k in &ctx.opts.kubelet_versions {
        if let Some(v) = Version::parse(k) {
            out.push(("kubelet".into(), v, None));
        }
    }
    out
}

fn control_plane_version(ctx: &Ctx) -> Option<(Version, Option<Origin>)> {
    if let Some(v) = ctx.opts.cluster_version.as_deref().and_then(Version::parse) {
        return Some((v, None));
    }
    known_versions(ctx)
        .into_iter()
        .find(|(c, _, _)| c == "kube-apiserver")
        .map(|(_, v, o)| (v, o))
}

fn lifecycle(ctx: &Ctx, pick: fn(&crate::versions::Release) -> &str, what: &str) -> Outcome {
    let versions = known_versions(ctx);
    let mut seen: Vec<(String, Version, Option<Origin>)> = Vec::new();
    for (c, v, o) in versions {
        if !seen.iter().any(|(_, s, _)| s.minor_key() == v.minor_key()) {
            seen.push((c, v, o));
        }
    }
    if seen.is_empty() {
        return not_applicable(
            "no Kubernetes version known for this node (pass the cluster version to check it)",
        );
    }
    let today = Date::from_unix(ctx.opts.now);
    let mut past = Vec::new();
    let mut evidence = Vec::new();
    let mut unknown = Vec::new();
    for (component, v, origin) in &seen {
        let Some(rel) = ctx.releases.find(v) else {
            unknown.push(format!("{component} {v}"));
            continue;
        };
        let Some(date) = Date::parse(pick(rel)) else {
            continue;
        };
        let e = Evidence {
            subject: format!("{component} {v}"),
            value: Some(format!("{what} {date}")),
            origin: origin.clone(),
        };
        if date < today {
            past.push(format!("{component} {v} ({what} {date})"));
            evidence.insert(past.len() - 1, e);
        } else {
            evidence.push(e);
        }
    }
    if !past.is_empty() {
        if ctx.facts.distribution.is_managed() {
            // Managed offerings publish their own (often longer) support calendars.
            return warn(
                format!(
                    "past upstream {what}: {}; check the provider's support calendar",
                    past.join(", ")
                ),
                evidence,
            );
        }
        return fail(format!("past {what}: {}", past.join(", ")), evidence);
    }
    if !unknown.is_empty() {
        let newest = ctx
            .releases
            .newest()
            .map(|r| r.cycle.clone())
            .unwrap_or_default();
        return manual(
            format!(
                "release data has no entry for {} (newest known: {newest})",
                unknown.join(", ")
            ),
            evidence,
        );
    }
    pass(format!("within {what} as of {today}"), evidence)
}

fn end_of_life(ctx: &Ctx) -> Outcome {
    lifecycle(ctx, |r| r.eol.as_str(), "end of life")
}

fn end_of_support(ctx: &Ctx) -> Outcome {
    lifecycle(ctx, |r| r.eoas.as_str(), "end of standard support")
}

fn skew(ctx: &Ctx) -> Outcome {
    let Some((api, origin)) = control_plane_version(ctx) else {
        return not_applicable("no control-plane version known (pass the cluster version)");
    };
    let kubelets: Vec<Version> = ctx
        .opts
        .kubelet_versions
        .iter()
        .filter_map(|k| Version::parse(k))
        .collect();
    if kubelets.is_empty() {
        return not_applicable(
            "no kubelet versions known (pass them from the cluster's Node objects)",
        );
    }
    let mut evidence = vec![Evidence {
        subject: "kube-apiserver".into(),
        value: Some(api.to_string()),
        origin,
    }];
    let mut problems = Vec::new();
    for k in &kubelets {
        evidence.push(Evidence {
            subject: "kubelet".into(),
            value: Some(k.to_string()),
            origin: None,
        });
        if let Some(p) = kubelet_skew_problem(&api, k) {
            problems.push(p);
        }
    }
    problems.dedup();
    if problems.is_empty() {
        pass("kubelet versions are within the supported skew", evidence)
    } else {
        fail(problems.join("; "), evidence)
    }
}

fn cves(ctx: &Ctx) -> Outcome {
    let versions = known_versions(ctx);
    if versions.is_empty() {
        return not_applicable(
            "no component version known for this node (pass the cluster version to check it)",
        );
    }
    // One evidence entry per CVE, listing every affected component version.
    let mut by_cve: std::collections::BTreeMap<
        String,
        (crate::versions::CveMatch, Vec<String>, Option<Origin>),
    > = std::collections::BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for (component, v, origin) in &versions {
        if !seen.insert((component.clone(), v.to_string())) {
            continue;
        }
        for m in ctx.cves.matches(component, v) {
            let entry = by_cve
                .entry(m.id.clone())
                .or_insert_with(|| (m.clone(), Vec::new(), origin.clone()));
            entry.1.push(format!("{component} {v}"));
            if entry.0.fixed.is_none() {
                entry.0.fixed = m.fixed.clone();
            }
        }
    }
    let fixable = by_cve
        .values()
        .filter(|(m, _, _)| m.fixed.is_some())
        .count();
    let unfixed = by_cve.len() - fixable;
    let mut entries: Vec<_> = by_cve.into_values().collect();
    // Fixable, most severe first: the ones an upgrade removes.
    entries.sort_by(|a, b| {
        b.0.fixed
            .is_some()
            .cmp(&a.0.fixed.is_some())
            .then(b.0.severity.cmp(&a.0.severity))
    });
    let evidence: Vec<Evidence> = entries
        .into_iter()
        .map(|(m, affected, origin)| Evidence {
            subject: m.id.clone(),
            value: Some(format!(
                "{:?}: {}; affects {}; {}",
                m.severity,
                if m.summary.is_empty() {
                    "(no summary)"
                } else {
                    m.summary.as_str()
                },
                affected.join(", "),
                match &m.fixed {
                    Some(f) => format!("fixed in {f}"),
                    None => "no fixed version".into(),
                }
            )),
            origin,
        })
        .collect();
    let checked: Vec<String> = versions
        .iter()
        .map(|(c, v, _)| format!("{c} {v}"))
        .collect();
    if fixable > 0 {
        fail(
            format!(
                "{fixable} known CVE(s) fixed in newer releases affect {}",
                checked.join(", ")
            ),
            evidence,
        )
    } else if unfixed > 0 {
        warn(
            format!(
                "{unfixed} known CVE(s) without a fixed release affect {}; apply their mitigations",
                checked.join(", ")
            ),
            evidence,
        )
    } else {
        pass(
            format!("no known CVE affects {}", checked.join(", ")),
            evidence,
        )
    }
}
