//! The check registry: every Pod Security Admission check, with the policy version each behaviour starts
//! at and the baseline checks a restricted check replaces.
//!
//! Mirrors PSA's `policy/registry.go` model: a check has one or more versioned implementations; the one
//! used is the newest whose minimum version is at or below the requested version, and a check with no
//! such implementation does not run. Restricted runs every baseline check except those that a selected
//! restricted implementation overrides.

mod container;
mod host;
mod profiles;
mod restricted;

use kubeward_diagnostics::Span;

pub(crate) use container::BASELINE_CAPABILITIES;
pub(crate) use host::safe_sysctls;

use crate::pod::Pod;
use crate::policy::Level;

/// What a failed check reports, in PSA's `forbiddenReason` / `forbiddenDetail` terms.
#[derive(Debug, Clone)]
pub(crate) struct Failure {
    pub reason: String,
    pub detail: String,
    pub spans: Vec<Span>,
}

pub(crate) type CheckFn = fn(&Pod<'_>) -> Option<Failure>;

/// One implementation of a check, in force from policy version `v1.{since}`.
pub(crate) struct Versioned {
    pub since: u32,
    pub run: CheckFn,
    /// Baseline check IDs this (restricted) implementation replaces.
    pub overrides: &'static [&'static str],
}

pub(crate) struct Check {
    pub id: &'static str,
    pub level: Level,
    pub versions: &'static [Versioned],
}

impl Check {
    /// The implementation in force at a minor version, if the check exists yet.
    pub fn at(&self, minor: u32) -> Option<&Versioned> {
        self.versions.iter().rev().find(|v| v.since <= minor)
    }
}

const fn v(since: u32, run: CheckFn) -> Versioned {
    Versioned {
        since,
        run,
        overrides: &[],
    }
}

const fn v_over(since: u32, run: CheckFn, overrides: &'static [&'static str]) -> Versioned {
    Versioned {
        since,
        run,
        overrides,
    }
}

use Level::{Baseline, Restricted};

/// Every check, baseline first then restricted, each group sorted by ID in byte order: the order in
/// which Pod Security Admission lists violations.
pub(crate) static CHECKS: &[Check] = &[
    Check {
        id: "appArmorProfile",
        level: Baseline,
        versions: &[v(0, profiles::app_armor)],
    },
    Check {
        id: "capabilities_baseline",
        level: Baseline,
        versions: &[v(0, container::capabilities_baseline)],
    },
    Check {
        id: "hostNamespaces",
        level: Baseline,
        versions: &[v(0, host::host_namespaces)],
    },
    Check {
        id: "hostPathVolumes",
        level: Baseline,
        versions: &[v(0, host::host_path_volumes)],
    },
    Check {
        id: "hostPorts",
        level: Baseline,
        versions: &[v(0, host::host_ports)],
    },
    Check {
        id: "hostProbesAndHostLifecycle",
        level: Baseline,
        versions: &[v(34, host::host_probes_and_lifecycle)],
    },
    Check {
        id: "privileged",
        level: Baseline,
        versions: &[v(0, container::privileged)],
    },
    Check {
        id: "procMount",
        level: Baseline,
        versions: &[
            v(0, container::proc_mount_strict),
            v(35, container::proc_mount_baseline_1_35),
        ],
    },
    Check {
        id: "seLinuxOptions",
        level: Baseline,
        versions: &[v(0, profiles::selinux_1_0), v(31, profiles::selinux_1_31)],
    },
    Check {
        id: "seccompProfile_baseline",
        level: Baseline,
        versions: &[
            v(0, profiles::seccomp_annotations),
            v(19, profiles::seccomp_baseline_fields),
        ],
    },
    Check {
        id: "sysctls",
        level: Baseline,
        versions: &[
            v(0, host::sysctls_1_0),
            v(27, host::sysctls_1_27),
            v(29, host::sysctls_1_29),
            v(32, host::sysctls_1_32),
            v(37, host::sysctls_1_37),
        ],
    },
    Check {
        id: "windowsHostProcess",
        level: Baseline,
        versions: &[v(0, host::windows_host_process)],
    },
    Check {
        id: "allowPrivilegeEscalation",
        level: Restricted,
        versions: &[
            v(8, container::allow_privilege_escalation),
            v(25, container::allow_privilege_escalation_1_25),
        ],
    },
    Check {
        id: "capabilities_restricted",
        level: Restricted,
        versions: &[
            v_over(
                22,
                container::capabilities_restricted,
                &["capabilities_baseline"],
            ),
            v_over(
                25,
                container::capabilities_restricted_1_25,
                &["capabilities_baseline"],
            ),
        ],
    },
    Check {
        id: "procMount_restricted",
        level: Restricted,
        versions: &[v_over(35, container::proc_mount_strict, &["procMount"])],
    },
    Check {
        id: "restrictedVolumes",
        level: Restricted,
        versions: &[v_over(
            0,
            restricted::restricted_volumes,
            &["hostPathVolumes"],
        )],
    },
    Check {
        id: "runAsNonRoot",
        level: Restricted,
        versions: &[
            v(0, restricted::run_as_non_root),
            v(35, restricted::run_as_non_root_1_35),
        ],
    },
    Check {
        id: "runAsUser",
        level: Restricted,
        versions: &[
            v(23, restricted::run_as_user),
            v(35, restricted::run_as_user_1_35),
        ],
    },
    Check {
        id: "seccompProfile_restricted",
        level: Restricted,
        versions: &[
            v_over(
                19,
                profiles::seccomp_restricted,
                &["seccompProfile_baseline"],
            ),
            v_over(
                25,
                profiles::seccomp_restricted_1_25,
                &["seccompProfile_baseline"],
            ),
        ],
    },
];

/// The checks that run for a level at a minor version, in reporting order.
pub(crate) fn active(level: Level, minor: u32) -> Vec<(&'static Check, &'static Versioned)> {
    if level == Level::Privileged {
        return Vec::new();
    }
    let selected: Vec<_> = CHECKS
        .iter()
        .filter(|c| c.level <= level)
        .filter_map(|c| c.at(minor).map(|v| (c, v)))
        .collect();
    let overridden: Vec<&str> = selected
        .iter()
        .filter(|(c, _)| c.level == Level::Restricted && level == Level::Restricted)
        .flat_map(|(_, v)| v.overrides.iter().copied())
        .collect();
    selected
        .into_iter()
        .filter(|(c, _)| !overridden.contains(&c.id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_sorted_within_levels_and_ids_are_unique() {
        let mut previous: Option<&Check> = None;
        for check in CHECKS {
            if let Some(p) = previous {
                assert!(
                    (p.level, p.id) < (check.level, check.id),
                    "{} must come after {}",
                    check.id,
                    p.id
                );
            }
            assert!(check.versions.windows(2).all(|w| w[0].since < w[1].since));
            previous = Some(check);
        }
    }

    #[test]
    fn overrides_name_existing_baseline_checks() {
        for check in CHECKS {
            for v in check.versions {
                for o in v.overrides {
                    assert_eq!(check.level, Level::Restricted);
                    assert!(
                        CHECKS
                            .iter()
                            .any(|c| c.id == *o && c.level == Level::Baseline)
                    );
                }
            }
        }
    }

    #[test]
    fn restricted_replaces_baseline_checks_from_their_versions() {
        let ids = |minor| -> Vec<&str> {
            active(Level::Restricted, minor)
                .iter()
                .map(|(c, _)| c.id)
                .collect()
        };
        let v18 = ids(18);
        assert!(
            v18.contains(&"seccompProfile_baseline") && !v18.contains(&"seccompProfile_restricted")
        );
        assert!(v18.contains(&"capabilities_baseline") && !v18.contains(&"runAsUser"));
        let v22 = ids(22);
        assert!(
            !v22.contains(&"capabilities_baseline") && v22.contains(&"capabilities_restricted")
        );
        assert!(!ids(0).contains(&"hostPathVolumes"));
        assert!(ids(34).contains(&"procMount") && !ids(35).contains(&"procMount"));
        assert!(ids(35).contains(&"procMount_restricted"));
        assert!(
            active(Level::Baseline, 37)
                .iter()
                .all(|(c, _)| c.level == Level::Baseline)
        );
        assert!(active(Level::Privileged, 37).is_empty());
    }
}
