//! `kubeward groups`: the configured business-critical asset groups (`groups:` in
//! `.kubeward.yaml`), their members, and a per-group report of posture, compliance, access,
//! exposure and attack paths.
//!
//! Every part reuses an engine as its own command does: findings and compliance as `scan` and
//! `scan --framework` (restricted to the group's objects), access as `rbac who-can`, exposure as
//! `netpol exposure`, attack paths as `paths --to group:NAME`. This file only selects and prints;
//! the rendering of a report is in `groups_render.rs`.
//!
//! Exit codes: 0; 1 (report) when a finding of a reported group is at or above `--fail-on`; 2 on a
//! usage, configuration or input error, or when part of the input could not be read.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use kubeward_diagnostics::{Finding, Severity};
use kubeward_graph::{CrownJewel, Entry, ObjectKey, PathReport, RiskScore, Target, object_key};
use kubeward_model::{Inventory, Object, is_cluster_scoped};
use kubeward_rbac::{RbacIndex, Request, SubjectKind};
use kubeward_rules::config::{self, LoadedConfig};
use kubeward_rules::groups::AssetGroup;
use kubeward_rules::{Scan, scan_loaded};
use kubeward_source::LoadOptions;
use serde::Serialize;

use super::groups_render;
use crate::args::{GroupsArgs, GroupsCommand, GroupsFormat, GroupsInputArgs, QueryFormat};

/// The frameworks a group is assessed against (`pss` is `pss-restricted`).
const FRAMEWORKS: [&str; 4] = ["cis", "nsa", "owasp", "pss-restricted"];
/// Top risks listed per group.
const TOP_RISKS: usize = 5;

pub fn run(args: GroupsArgs) -> Result<ExitCode> {
    match args.command {
        GroupsCommand::List { format, input } => list(format, &input),
        GroupsCommand::Report {
            args,
            format,
            fail_on,
            k,
            config,
            exclude,
        } => {
            // `[NAME] PATHS...`: a first argument that exists (or is stdin) is a path.
            let (name, paths) = match args.split_first() {
                Some((first, rest)) if first.as_os_str() != "-" && !first.exists() => {
                    (Some(first.to_string_lossy().into_owned()), rest.to_vec())
                }
                _ => (None, args),
            };
            let input = GroupsInputArgs {
                paths,
                config,
                exclude,
            };
            let options = ReportOptions {
                name,
                format,
                fail_on,
                k: usize::from(k),
            };
            report(&options, &input)
        }
    }
}

struct ReportOptions {
    name: Option<String>,
    format: GroupsFormat,
    fail_on: Option<String>,
    k: usize,
}

/// The configuration file `explicit`, or the one discovered as `scan` discovers it.
fn load_config(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Option<LoadedConfig>> {
    super::scan::find_config(false, explicit.map(Path::to_path_buf).as_ref(), paths)
}

/// The validated groups of the configuration file `explicit`, or of the one discovered. No file:
/// no groups.
pub(crate) fn load_groups(explicit: Option<&Path>, paths: &[PathBuf]) -> Result<Vec<AssetGroup>> {
    match load_config(explicit, paths)? {
        Some(loaded) => Ok(config::build_groups(&loaded.config, Some(&loaded))?),
        None => Ok(Vec::new()),
    }
}

/// Config, groups (at least one), and the scan of the input with the config's settings.
struct Loaded {
    config: Option<LoadedConfig>,
    groups: Vec<AssetGroup>,
    scan: Scan,
}

/// Reads the input as `scan` does. `name`, when given, must name a configured group: checked before
/// anything is read, so a typo fails fast.
fn load(input: &GroupsInputArgs, name: Option<&str>) -> Result<Loaded> {
    let paths = if input.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        input.paths.clone()
    };
    let loaded_config = load_config(input.config.as_deref(), &paths)?;
    let default_config = config::Config::default();
    let cfg = loaded_config
        .as_ref()
        .map_or(&default_config, |l| &l.config);
    let groups = config::build_groups(cfg, loaded_config.as_ref())?;
    if groups.is_empty() {
        match &loaded_config {
            Some(l) => bail!(
                "{}: no `groups` are configured (see docs/risk.md)",
                l.path.display()
            ),
            None => bail!("no .kubeward.yaml found: configure `groups` there (see docs/risk.md)"),
        }
    }
    if let Some(name) = name {
        kubeward_rules::groups::find(&groups, name).map_err(anyhow::Error::msg)?;
    }
    let settings = config::build_settings(cfg, loaded_config.as_ref(), &[], &[], None)?;
    let mut options = LoadOptions::default();
    cfg.limits.apply(&mut options.limits);
    options.exclude.extend(cfg.exclude.iter().cloned());
    options.exclude.extend(input.exclude.iter().cloned());
    if let Ok(helm) = std::env::var("KUBEWARD_HELM") {
        options.helm = Some(PathBuf::from(helm));
    }
    let loaded = kubeward_source::load(&paths, &options);
    for problem in &loaded.problems {
        eprintln!("kubeward: warning: {}: {}", problem.path, problem.kind);
    }
    let scan = scan_loaded(loaded, &settings);
    if scan.incomplete {
        eprintln!(
            "kubeward: warning: part of the input was not read; the report may be incomplete"
        );
    }
    Ok(Loaded {
        config: loaded_config,
        groups,
        scan,
    })
}

#[derive(Serialize)]
struct ListRow<'a> {
    name: &'a str,
    criticality: &'a str,
    members: usize,
    kinds: BTreeMap<String, usize>,
}

fn list(format: QueryFormat, input: &GroupsInputArgs) -> Result<ExitCode> {
    let loaded = load(input, None)?;
    let rows: Vec<ListRow> = loaded
        .groups
        .iter()
        .map(|g| {
            let members = g.members(&loaded.scan.inventory);
            let mut kinds = BTreeMap::new();
            for m in &members {
                *kinds.entry(m.kind().to_owned()).or_insert(0) += 1;
            }
            ListRow {
                name: &g.name,
                criticality: g.criticality.as_str(),
                members: members.len(),
                kinds,
            }
        })
        .collect();
    super::rbac::emit(
        format,
        || Ok(serde_json::json!({ "groups": serde_json::to_value(&rows)? })),
        |out| {
            use std::fmt::Write as _;
            let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0);
            for r in &rows {
                let kinds: Vec<String> = r.kinds.iter().map(|(k, n)| format!("{k} {n}")).collect();
                writeln!(
                    out,
                    "{:<width$}  {:<8}  {} member{}{}",
                    r.name,
                    r.criticality,
                    r.members,
                    if r.members == 1 { "" } else { "s" },
                    if kinds.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", kinds.join(", "))
                    }
                )?;
            }
            Ok(())
        },
    )?;
    let incomplete = loaded.scan.incomplete;
    std::mem::forget(loaded);
    Ok(ExitCode::from(if incomplete { 2 } else { 0 }))
}

/// One group's report, as every format prints it.
#[derive(Serialize)]
pub(crate) struct GroupReport {
    pub name: String,
    pub criticality: &'static str,
    pub members: Vec<String>,
    pub posture: Posture,
    pub compliance: Vec<Compliance>,
    pub access: Vec<Access>,
    pub exposure: Vec<ExposureRow>,
    pub attack_paths: PathReport,
}

/// netpol's exposure of one workload of the group, plus the namespaces whose workloads in the
/// input may connect to it.
#[derive(Serialize)]
pub(crate) struct ExposureRow {
    #[serde(flatten)]
    pub exposure: kubeward_netpol::Exposure,
    /// Namespaces with a workload (other than itself) that may open a connection to it on some
    /// port. Only workloads in the input: `from_any_pod` also covers pods created later.
    pub from_namespaces: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct Posture {
    /// Unsuppressed findings by severity, most severe first.
    pub findings: BTreeMap<&'static str, usize>,
    pub total: usize,
    pub suppressed: usize,
    pub top_risks: Vec<TopRisk>,
}

#[derive(Serialize)]
pub(crate) struct TopRisk {
    pub score: u32,
    pub rule: &'static str,
    pub severity: Severity,
    pub object: String,
    pub message: String,
    /// The factors in words.
    pub why: String,
}

#[derive(Serialize)]
pub(crate) struct Compliance {
    pub framework: String,
    pub selected: &'static str,
    pub coverage: String,
    pub fail: usize,
    pub pass: usize,
    /// `ID title` of each failed control.
    pub failed_controls: Vec<String>,
}

/// Who may do one thing to the group's objects.
#[derive(Serialize)]
pub(crate) struct Access {
    /// `get secrets in payments`.
    pub request: String,
    /// `ServiceAccount ci/deployer (RoleBinding payments/ci-reads)`.
    pub subjects: Vec<String>,
}

fn report(options: &ReportOptions, input: &GroupsInputArgs) -> Result<ExitCode> {
    let loaded = load(input, options.name.as_deref())?;
    let selected: Vec<&AssetGroup> = match &options.name {
        Some(name) => {
            vec![kubeward_rules::groups::find(&loaded.groups, name).map_err(anyhow::Error::msg)?]
        }
        None => loaded.groups.iter().collect(),
    };
    let cfg_fail_on = loaded
        .config
        .as_ref()
        .and_then(|l| l.config.fail_on.as_deref());
    let fail_on = super::scan::parse_fail_on(options.fail_on.as_deref().or(cfg_fail_on))?;
    let scan = &loaded.scan;
    let inventory = &scan.inventory;
    let findings = &scan.result.findings;
    let graph = super::risk::graph(inventory, findings);
    let jewels = super::risk::crown_jewels(&loaded.groups, inventory);
    let scores = kubeward_graph::risk_scores_with(&graph, findings, &jewels);
    let rbac = kubeward_rules::rbac_input(inventory);
    let rbac = RbacIndex::build(&rbac.input);
    let netpol = kubeward_netpol::Engine::build(inventory);
    let frameworks = kubeward_frameworks::frameworks()?;
    let settings = match &loaded.config {
        Some(l) => config::build_settings(&l.config, Some(l), &[], &[], None)?,
        None => kubeward_rules::Settings::default(),
    };

    let mut reports = Vec::new();
    let mut failing = false;
    for group in selected {
        let members = group.members(inventory);
        let keys: HashSet<ObjectKey> = members.iter().map(|o| object_key(o)).collect();
        let in_group: Vec<(&Finding, &RiskScore)> = findings
            .iter()
            .zip(&scores)
            .filter(|(f, _)| finding_key(f).is_some_and(|k| keys.contains(&k)))
            .collect();
        failing |= fail_on.is_some_and(|t| {
            in_group
                .iter()
                .any(|(f, _)| !f.is_suppressed() && f.severity >= t)
        });
        let jewel = jewels
            .iter()
            .find(|j| j.name == group.name)
            .cloned()
            .unwrap_or_else(|| CrownJewel::of(group, inventory));
        let target = Target::Group {
            name: group.name.clone(),
            members: jewel.objects,
        };
        let attack_paths = graph
            .attack_paths(&Entry::Internet, &target, options.k)
            .unwrap_or_else(|e| PathReport {
                from: Entry::Internet,
                to: target.clone(),
                paths: Vec::new(),
                cuts: Vec::new(),
                truncated: false,
                notes: vec![e.to_string()],
            });
        reports.push(GroupReport {
            name: group.name.clone(),
            criticality: group.criticality.as_str(),
            members: members.iter().map(|o| label(o)).collect(),
            posture: posture(&in_group),
            compliance: compliance(&frameworks, &settings, &members, &in_group)?,
            access: access(&rbac, &members),
            exposure: exposure(&netpol, &keys),
            attack_paths,
        });
    }
    groups_render::emit(options.format, &reports)?;
    let incomplete = scan.incomplete;
    std::mem::forget(graph);
    std::mem::forget(loaded);
    Ok(if incomplete {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The map key of a finding's object (namespace `default` when a namespaced object names none).
fn finding_key(f: &Finding) -> Option<ObjectKey> {
    let o = f.object.as_ref()?;
    let ns = if is_cluster_scoped(&o.kind) {
        None
    } else {
        Some(o.namespace.clone().unwrap_or_else(|| "default".into()))
    };
    Some((o.kind.clone(), ns, o.name.clone()))
}

fn label(o: &Object) -> String {
    match o.effective_namespace() {
        Some(ns) => format!("{} {ns}/{}", o.kind(), o.name()),
        None => format!("{} {}", o.kind(), o.name()),
    }
}

fn posture(in_group: &[(&Finding, &RiskScore)]) -> Posture {
    let mut counts = BTreeMap::new();
    let mut suppressed = 0;
    for (f, _) in in_group {
        if f.is_suppressed() {
            suppressed += 1;
        } else {
            *counts.entry(f.severity.as_str()).or_insert(0) += 1;
        }
    }
    let mut active: Vec<&(&Finding, &RiskScore)> = in_group
        .iter()
        .filter(|(f, _)| !f.is_suppressed())
        .collect();
    active.sort_by_key(|(f, r)| (std::cmp::Reverse(r.score), std::cmp::Reverse(f.severity)));
    Posture {
        total: counts.values().sum(),
        findings: counts,
        suppressed,
        top_risks: active
            .iter()
            .take(TOP_RISKS)
            .map(|(f, r)| TopRisk {
                score: r.score,
                rule: f.rule_id,
                severity: f.severity,
                object: f.object.as_ref().map(|o| o.to_string()).unwrap_or_default(),
                message: f.message.clone(),
                why: r.words(f.severity),
            })
            .collect(),
    }
}

/// Each framework judged on the group's objects and findings only, as `scan --framework` does.
fn compliance(
    frameworks: &[kubeward_frameworks::Framework],
    settings: &kubeward_rules::Settings,
    members: &[&Object],
    in_group: &[(&Finding, &RiskScore)],
) -> Result<Vec<Compliance>> {
    let inventory = Inventory::new(members.iter().map(|o| (*o).clone()).collect());
    let findings: Vec<Finding> = in_group.iter().map(|(f, _)| (*f).clone()).collect();
    let runs = kubeward_rules::rule_runs(settings, &inventory, &findings);
    let mut out = Vec::new();
    for name in FRAMEWORKS {
        let (framework, scope) = kubeward_frameworks::select(frameworks, name)?;
        let a = kubeward_frameworks::assess(framework, name, scope, &runs);
        out.push(Compliance {
            framework: format!("{} {}", framework.name, framework.version),
            selected: name,
            coverage: a.coverage_line(),
            fail: a.count(kubeward_frameworks::Outcome::Fail),
            pass: a.count(kubeward_frameworks::Outcome::Pass),
            failed_controls: a
                .controls
                .iter()
                .filter(|c| c.outcome == kubeward_frameworks::Outcome::Fail)
                .map(|c| format!("{} {}", c.control.id, c.control.title))
                .collect(),
        });
    }
    std::mem::forget(inventory);
    Ok(out)
}

/// The resource of a pod-bearing kind, for who-can.
fn workload_resource(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Pod" => "pods",
        "Deployment" => "deployments.apps",
        "StatefulSet" => "statefulsets.apps",
        "DaemonSet" => "daemonsets.apps",
        "ReplicaSet" => "replicasets.apps",
        "Job" => "jobs.batch",
        "CronJob" => "cronjobs.batch",
        _ => return None,
    })
}

/// who-can, per namespace of the group: read its Secrets, create pods (and so run as any of its
/// service accounts), exec into its pods, and change or delete its workloads.
fn access(rbac: &RbacIndex<'_>, members: &[&Object]) -> Vec<Access> {
    // (namespace, order, verb, resource): Secrets first, then pod creation, exec, changes.
    let mut requests: BTreeSet<(String, u8, &'static str, &'static str)> = BTreeSet::new();
    for o in members {
        let Some(ns) = o.effective_namespace() else {
            continue;
        };
        if o.kind() == "Secret" {
            requests.insert((ns.to_owned(), 0, "get", "secrets"));
            requests.insert((ns.to_owned(), 1, "list", "secrets"));
        }
        if let Some(resource) = workload_resource(o.kind()) {
            requests.insert((ns.to_owned(), 2, "create", "pods"));
            requests.insert((ns.to_owned(), 3, "create", "pods/exec"));
            for (i, verb) in (4..).zip(["update", "patch", "delete"]) {
                requests.insert((ns.to_owned(), i, verb, resource));
            }
        }
    }
    requests
        .into_iter()
        .map(|(ns, _, verb, resource)| {
            let answer = rbac.who_can(&Request::resource(verb, resource).in_namespace(&ns));
            let subjects = answer
                .subjects
                .iter()
                .map(|sg| {
                    let s = &sg.subject;
                    let who = match (s.kind, &s.namespace) {
                        (SubjectKind::ServiceAccount, Some(sns)) => {
                            format!("ServiceAccount {sns}/{}", s.name)
                        }
                        (SubjectKind::ServiceAccount, None) => format!("ServiceAccount {}", s.name),
                        (SubjectKind::Group, _) => format!("Group {}", s.name),
                        _ => format!("User {}", s.name),
                    };
                    let mut via: Vec<String> =
                        sg.grants.iter().map(|g| g.binding.to_string()).collect();
                    via.dedup();
                    format!("{who} ({})", via.join(", "))
                })
                .collect();
            Access {
                request: format!("{verb} {resource} in {ns}"),
                subjects,
            }
        })
        .collect()
}

/// netpol exposure of the group's workloads, and from which namespaces each is reachable.
fn exposure(engine: &kubeward_netpol::Engine, keys: &HashSet<ObjectKey>) -> Vec<ExposureRow> {
    let endpoints = engine.endpoints();
    endpoints
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            keys.contains(&(e.kind.clone(), Some(e.namespace.clone()), e.name.clone()))
        })
        .map(|(to, _)| {
            let from: BTreeSet<String> = endpoints
                .iter()
                .enumerate()
                .filter(|&(from, _)| from != to && engine.allows(from, to, None))
                .map(|(_, e)| e.namespace.clone())
                .collect();
            ExposureRow {
                exposure: engine.exposure_of(to),
                from_namespaces: from.into_iter().collect(),
            }
        })
        .collect()
}
