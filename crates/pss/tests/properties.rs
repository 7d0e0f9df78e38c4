//! Properties over many generated pods and every policy version: restricted only ever adds
//! requirements to baseline, privileged admits everything, and verdicts are consistent.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use kubeward_model::Workload;
use kubeward_pss::{Level, NEWEST_MINOR, Version, evaluate};
use support::objects;

/// Pod-spec fragments, each a deviation from a restricted pod or a setting that relaxes a check.
const SPEC_MUTATIONS: &[&str] = &[
    "",
    "hostNetwork: true",
    "hostPID: true",
    "hostUsers: false",
    "os: {name: windows}",
    "volumes: [{name: h, hostPath: {path: /}}]",
    "volumes: [{name: data, nfs: {server: s, path: /}}]",
    "securityContext: {runAsNonRoot: true}",
    "securityContext: {runAsNonRoot: false}",
    "securityContext: {runAsUser: 0}",
    "securityContext: {seccompProfile: {type: Unconfined}}",
    "securityContext: {seccompProfile: {type: RuntimeDefault}}",
    "securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: '1'}]}",
    "securityContext: {appArmorProfile: {type: Unconfined}}",
    "securityContext: {seLinuxOptions: {type: container_engine_t}}",
    "securityContext: {windowsOptions: {hostProcess: true}}",
];

/// Container securityContext bodies.
const CONTAINER_MUTATIONS: &[&str] = &[
    "{}",
    "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}",
    "{allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}",
    "{privileged: true}",
    "{capabilities: {add: [NET_RAW]}}",
    "{capabilities: {add: [CHOWN], drop: [ALL]}}",
    "{procMount: Unmasked}",
    "{runAsUser: 0, runAsNonRoot: true}",
    "{seccompProfile: {type: Unconfined}}",
    "{seLinuxOptions: {type: spc_t}}",
    "{allowPrivilegeEscalation: true}",
];

const ANNOTATIONS: &[&str] = &[
    "{}",
    "{container.apparmor.security.beta.kubernetes.io/app: unconfined}",
    "{seccomp.security.alpha.kubernetes.io/pod: unconfined}",
];

/// Pods the API server's validation would accept. Windows pods may not set Linux-only security fields
/// (capabilities, seccomp, SELinux, procMount, privileged, allowPrivilegeEscalation, runAsUser): such
/// pods never reach a namespace, and PSA's verdicts on them are not ordered (see
/// `windows_exemptions_override_baseline_checks`).
fn pods() -> Vec<String> {
    let mut out = Vec::new();
    for spec in SPEC_MUTATIONS {
        for sc in CONTAINER_MUTATIONS {
            if spec.contains("windows") && *sc != "{}" {
                continue;
            }
            for ann in ANNOTATIONS {
                let spec = if spec.is_empty() {
                    String::new()
                } else {
                    format!(", {spec}")
                };
                out.push(format!(
                    "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, annotations: {ann}}}\nspec: {{containers: [{{name: app, image: i, securityContext: {sc}}}], initContainers: [{{name: init, image: i, securityContext: {sc}}}]{spec}}}\n"
                ));
            }
        }
    }
    out
}

fn versions() -> impl Iterator<Item = Version> {
    (0..=NEWEST_MINOR + 1)
        .map(Version::V1)
        .chain([Version::Latest])
}

#[test]
fn restricted_allowed_implies_baseline_allowed_and_privileged_admits_all() {
    let yamls = pods();
    let mut checked = 0;
    for yaml in &yamls {
        let objs = objects(yaml);
        let workload = Workload::of(&objs[0]).unwrap();
        for version in versions() {
            let restricted = evaluate(&workload, Level::Restricted, version);
            let baseline = evaluate(&workload, Level::Baseline, version);
            let privileged = evaluate(&workload, Level::Privileged, version);
            assert!(privileged.allowed && privileged.violations.is_empty());
            assert_eq!(baseline.allowed, baseline.violations.is_empty());
            assert_eq!(restricted.allowed, restricted.violations.is_empty());
            if restricted.allowed {
                assert!(
                    baseline.allowed,
                    "restricted admits but baseline rejects at {version}:\n{yaml}\n{baseline:?}"
                );
            }
            // Every baseline violation is still reported under restricted, by the same check or by
            // the restricted check that replaces it.
            for v in &baseline.violations {
                let replaced_by = match v.check {
                    "hostPathVolumes" => "restrictedVolumes",
                    "capabilities_baseline" => "capabilities_restricted",
                    "seccompProfile_baseline" => "seccompProfile_restricted",
                    "procMount" => "procMount_restricted",
                    other => other,
                };
                assert!(
                    restricted
                        .violations
                        .iter()
                        .any(|r| r.check == v.check || r.check == replaced_by),
                    "{} at baseline but not at restricted {version}:\n{yaml}\n{restricted:?}",
                    v.check
                );
            }
            for v in baseline.violations.iter().chain(&restricted.violations) {
                assert!(!v.reason.is_empty() && !v.detail.is_empty());
                assert!(!v.locations.is_empty(), "{} has no location", v.check);
            }
            checked += 1;
        }
    }
    assert!(checked > 15_000, "{checked}");
}

#[test]
fn latest_and_future_versions_equal_the_newest() {
    for yaml in pods() {
        let objs = objects(&yaml);
        let w = Workload::of(&objs[0]).unwrap();
        for level in [Level::Baseline, Level::Restricted] {
            let newest = evaluate(&w, level, Version::V1(NEWEST_MINOR));
            assert_eq!(evaluate(&w, level, Version::Latest), newest);
            assert_eq!(evaluate(&w, level, Version::V1(NEWEST_MINOR + 5)), newest);
        }
    }
}

/// A PSA quirk kept on purpose: from v1.25 `capabilities_restricted` exempts Windows pods and still
/// replaces `capabilities_baseline`, so restricted admits a Windows pod adding `NET_RAW` that baseline
/// rejects. Validation rejects such a pod before admission, so the quirk has no effect on a cluster.
#[test]
fn windows_exemptions_override_baseline_checks() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {os: {name: windows}, securityContext: {runAsNonRoot: true}, containers: [{name: a, image: i, securityContext: {capabilities: {add: [NET_RAW]}}}]}\n";
    let objs = objects(yaml);
    let w = Workload::of(&objs[0]).unwrap();
    assert!(evaluate(&w, Level::Restricted, Version::Latest).allowed);
    assert!(!evaluate(&w, Level::Baseline, Version::Latest).allowed);
    assert!(!evaluate(&w, Level::Restricted, Version::V1(24)).allowed);
}

/// The shape of Pod Security Admission's own minimal restricted pod (pod-level `runAsNonRoot` and
/// seccomp, per-container `allowPrivilegeEscalation: false` and `drop: [ALL]`, an init container) is
/// admitted at every level and version; each single deviation PSA's fixtures use is refused.
#[test]
fn minimal_restricted_pod_and_single_deviations() {
    let container = |name: &str, extra: &str| {
        format!(
            "{{name: {name}, image: registry.example/pause, securityContext: {{allowPrivilegeEscalation: false, capabilities: {{drop: [{extra}]}}}}}}"
        )
    };
    let pod = |drop: &str, spec_extra: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: minimal}}\nspec: {{securityContext: {{runAsNonRoot: true, seccompProfile: {{type: RuntimeDefault}}}}, containers: [{}], initContainers: [{}]{spec_extra}}}\n",
            container("container1", drop),
            container("initcontainer1", drop)
        )
    };
    let minimal = pod("ALL", "");
    let objs = objects(&minimal);
    let w = Workload::of(&objs[0]).unwrap();
    for version in versions() {
        for level in [Level::Baseline, Level::Restricted] {
            assert!(evaluate(&w, level, version).allowed, "{level}:{version}");
        }
    }
    let deviations = [
        (
            pod("SYS_ADMIN, NET_RAW, CHOWN", ""),
            "capabilities_restricted",
            22,
        ),
        (
            pod(
                "ALL",
                ", volumes: [{name: volume1, storageos: {volumeName: test}}]",
            ),
            "restrictedVolumes",
            0,
        ),
        (
            pod(
                "ALL",
                ", volumes: [{name: volume1, flocker: {datasetName: test}}]",
            ),
            "restrictedVolumes",
            0,
        ),
        (pod("ALL", ", hostIPC: true"), "hostNamespaces", 0),
        (
            pod(
                "ALL",
                ", securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}, runAsUser: 0}",
            ),
            "runAsUser",
            23,
        ),
    ];
    for (yaml, check, since) in deviations {
        let objs = objects(&yaml);
        let w = Workload::of(&objs[0]).unwrap();
        for minor in 0..=NEWEST_MINOR {
            let ids: Vec<_> = evaluate(&w, Level::Restricted, Version::V1(minor))
                .violations
                .iter()
                .map(|v| v.check)
                .collect();
            assert_eq!(
                ids.contains(&check),
                minor >= since,
                "{check} at v1.{minor}: {ids:?}"
            );
        }
    }
}
