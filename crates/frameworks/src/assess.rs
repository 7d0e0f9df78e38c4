//! A framework judged on one scan (`kubeward scan --framework`): for each control pass, fail, not
//! applicable, not evaluated, or manual — with the reason in words, so a report never claims more than
//! the scan could see.

use kubeward_rules::RuleRun;
use serde::Serialize;

use crate::{Control, Error, Framework, Status, catalog_coverage};

/// What one scan says about one control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Its rules found something.
    Fail,
    /// Its rules ran over objects they inspect and found nothing.
    Pass,
    /// Its rules ran, but nothing they inspect was in the input.
    NotApplicable,
    /// This scan cannot judge it: its rules are off, or it needs `kubeward node`, `kubeward audit`, or
    /// a rule kubeward does not have yet.
    NotEvaluated,
    /// It needs human judgement.
    Manual,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Fail => "fail",
            Outcome::Pass => "pass",
            Outcome::NotApplicable => "not-applicable",
            Outcome::NotEvaluated => "not-evaluated",
            Outcome::Manual => "manual",
        }
    }

    /// Every outcome, in report order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Fail,
        Outcome::Pass,
        Outcome::NotApplicable,
        Outcome::NotEvaluated,
        Outcome::Manual,
    ];
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One control's verdict.
#[derive(Debug, Clone)]
pub struct ControlResult<'a> {
    pub control: &'a Control,
    /// `cis:5.2.2`.
    pub reference: String,
    pub outcome: Outcome,
    /// The scan rules that evaluate it, whether they ran or not.
    pub rules: Vec<String>,
    /// Unsuppressed findings of those rules.
    pub findings: usize,
    /// Suppressed findings of those rules (they do not fail the control; reports say so).
    pub suppressed: usize,
    /// Why, in words: which rules found what, or what would be needed to evaluate it.
    pub reason: String,
}

/// The part of a framework a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Whole,
    /// The Pod Security Standards' baseline level only.
    PssBaseline,
}

/// The names `--framework` accepts, with the framework ID and scope each means.
pub const NAMES: [(&str, &str, Scope); 6] = [
    ("cis", "CIS", Scope::Whole),
    ("nsa", "NSA", Scope::Whole),
    ("owasp", "OWASP", Scope::Whole),
    ("pss", "PSS", Scope::Whole),
    ("pss-restricted", "PSS", Scope::Whole),
    ("pss-baseline", "PSS", Scope::PssBaseline),
];

/// A framework judged on one scan.
#[derive(Debug, Clone)]
pub struct Assessment<'a> {
    pub framework: &'a Framework,
    /// The name the user asked for (`pss-baseline`), for titles.
    pub name: String,
    pub controls: Vec<ControlResult<'a>>,
}

impl Assessment<'_> {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.controls
            .iter()
            .filter(|c| c.outcome == outcome)
            .count()
    }

    /// Controls this scan could judge (pass, fail or not applicable).
    pub fn evaluated(&self) -> usize {
        self.count(Outcome::Pass) + self.count(Outcome::Fail) + self.count(Outcome::NotApplicable)
    }

    pub fn total(&self) -> usize {
        self.controls.len()
    }

    /// The share of controls this scan could judge, in whole percent.
    pub fn coverage_percent(&self) -> usize {
        (self.evaluated() * 100)
            .checked_div(self.total())
            .unwrap_or(0)
    }

    /// `Coverage: 31 of 131 controls evaluated (23%): 4 fail, 25 pass, 2 not applicable, 91 not evaluated, 8 manual`.
    pub fn coverage_line(&self) -> String {
        let mut parts = Vec::new();
        for outcome in Outcome::ALL {
            let n = self.count(outcome);
            if n > 0 {
                parts.push(format!("{n} {}", outcome.as_str().replace('-', " ")));
            }
        }
        format!(
            "Coverage: {} of {} controls evaluated ({}%): {}",
            self.evaluated(),
            self.total(),
            self.coverage_percent(),
            parts.join(", ")
        )
    }
}

/// The framework and scope a `--framework` name means. Unknown names are errors with a suggestion.
pub fn select<'a>(
    frameworks: &'a [Framework],
    name: &str,
) -> Result<(&'a Framework, Scope), Error> {
    let lower = name.to_ascii_lowercase();
    let found = NAMES
        .iter()
        .find(|(n, _, _)| *n == lower)
        .and_then(|(_, id, scope)| Some((frameworks.iter().find(|f| f.id == *id)?, *scope)));
    found.ok_or_else(|| Error::UnknownFramework {
        name: name.to_owned(),
        expected: NAMES
            .iter()
            .map(|(n, _, _)| *n)
            .collect::<Vec<_>>()
            .join(", "),
        suggestion: closest(&lower),
    })
}

/// The accepted name closest to a misspelling, if any is close (shares a prefix or differs little).
fn closest(input: &str) -> Option<String> {
    NAMES
        .iter()
        .map(|(n, _, _)| *n)
        .filter(|n| n.starts_with(input) || input.starts_with(n) || edit_distance(n, input) <= 2)
        .min_by_key(|n| edit_distance(n, input))
        .map(str::to_owned)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Judges every control of `framework` in `scope` from what each rule did in a scan.
pub fn assess<'a>(
    framework: &'a Framework,
    name: &str,
    scope: Scope,
    runs: &[RuleRun],
) -> Assessment<'a> {
    let coverage = catalog_coverage(framework);
    let mut controls: Vec<ControlResult<'a>> = coverage
        .controls
        .iter()
        .filter(|c| scope == Scope::Whole || c.control.section == "Baseline")
        .map(|c| judge(c.control, &c.reference, &c.rules, &c.checks, runs))
        .collect();
    if framework.prefix == "pss" {
        roll_up_levels(&mut controls);
    }
    Assessment {
        framework,
        name: name.to_owned(),
        controls,
    }
}

/// The inputs some of `runs` could not read, once each: `pods (forbidden), roles... (forbidden)`.
fn unread(runs: &[&RuleRun]) -> String {
    let mut inputs: Vec<&str> = runs
        .iter()
        .flat_map(|r| r.unread.iter().map(String::as_str))
        .collect();
    inputs.sort_unstable();
    inputs.dedup();
    inputs.join(", ")
}

fn judge<'a>(
    control: &'a Control,
    reference: &str,
    evaluators: &[String],
    node_checks: &[String],
    runs: &[RuleRun],
) -> ControlResult<'a> {
    let rules: Vec<&RuleRun> = evaluators
        .iter()
        .filter_map(|id| runs.iter().find(|r| r.id == id))
        .collect();
    let detectors: Vec<&str> = evaluators
        .iter()
        .filter(|id| !runs.iter().any(|r| r.id == *id))
        .map(String::as_str)
        .collect();
    let ran: Vec<&RuleRun> = rules.iter().copied().filter(|r| r.ran).collect();
    let not_run: Vec<&str> = rules.iter().filter(|r| !r.ran).map(|r| r.id).collect();
    let findings = ran.iter().map(|r| r.findings).sum();
    let suppressed = ran.iter().map(|r| r.suppressed).sum();
    // Rules that did not run: turned off for lack of input (a live scan's unread kinds), or by
    // the user.
    let blind: Vec<&str> = rules
        .iter()
        .filter(|r| !r.ran && !r.unread.is_empty())
        .map(|r| r.id)
        .collect();
    let off: Vec<&str> = rules
        .iter()
        .filter(|r| !r.ran && r.unread.is_empty())
        .map(|r| r.id)
        .collect();
    let (outcome, mut reason) = if !ran.is_empty() {
        if findings > 0 {
            let by_rule: Vec<String> = ran
                .iter()
                .filter(|r| r.findings > 0)
                .map(|r| format!("{} ({})", r.id, r.findings))
                .collect();
            (
                Outcome::Fail,
                format!(
                    "{findings} finding{}: {}",
                    plural(findings),
                    by_rule.join(", ")
                ),
            )
        } else if rules.iter().any(|r| !r.unread.is_empty()) {
            // Nothing found in part of the input, or by part of the rules, is not a pass.
            (
                Outcome::NotEvaluated,
                format!(
                    "{} found nothing in what could be read; not read: {}",
                    ids(ran.iter().map(|r| r.id)),
                    unread(&rules)
                ),
            )
        } else if ran.iter().any(|r| r.applicable) {
            (
                Outcome::Pass,
                format!("{} found nothing", ids(ran.iter().map(|r| r.id))),
            )
        } else {
            (
                Outcome::NotApplicable,
                format!(
                    "nothing {} inspects was in the input",
                    ids(ran.iter().map(|r| r.id))
                ),
            )
        }
    } else if !blind.is_empty() {
        let mut reason = format!(
            "its rules could not run: {} need {}, which could not be read",
            blind.join(", "),
            unread(&rules)
        );
        if !off.is_empty() {
            reason.push_str(&format!("; not enabled: {}", off.join(", ")));
        }
        (Outcome::NotEvaluated, reason)
    } else if !rules.is_empty() {
        (
            Outcome::NotEvaluated,
            format!(
                "its rules are not enabled: {} (select them with --select)",
                not_run.join(", ")
            ),
        )
    } else if control.status == Status::Manual && detectors.is_empty() {
        (Outcome::Manual, "needs human review".to_owned())
    } else {
        (
            Outcome::NotEvaluated,
            needs(control.status, node_checks, &detectors),
        )
    };
    if !ran.is_empty() && !blind.is_empty() {
        reason.push_str(&format!("; could not run: {}", blind.join(", ")));
    }
    if !ran.is_empty() && !off.is_empty() {
        reason.push_str(&format!("; not enabled: {}", off.join(", ")));
    }
    if suppressed > 0 {
        reason.push_str(&format!("; {suppressed} suppressed"));
    }
    ControlResult {
        control,
        reference: reference.to_owned(),
        outcome,
        rules: rules.iter().map(|r| r.id.to_owned()).collect(),
        findings,
        suppressed,
        reason,
    }
}

/// What would evaluate a control this scan cannot: `kubeward node` on each node, `kubeward audit` on the
/// audit log, `kubeward pss check`, or a rule kubeward does not have yet.
fn needs(status: Status, node_checks: &[String], detectors: &[&str]) -> String {
    let mut needs = Vec::new();
    if status == Status::Node || !node_checks.is_empty() {
        needs.push(if node_checks.is_empty() {
            "`kubeward node` on each node".to_owned()
        } else {
            format!("`kubeward node` on each node ({})", node_checks.join(", "))
        });
    }
    if !detectors.is_empty() {
        needs.push(format!(
            "`kubeward audit` on the API server's audit log ({})",
            detectors.join(", ")
        ));
    }
    if status == Status::Pss {
        needs.push("`kubeward pss check`".to_owned());
    }
    if needs.is_empty() {
        "no kubeward rule evaluates it yet".to_owned()
    } else {
        format!("needs {}", needs.join(" or "))
    }
}

/// The Pod Security Standards' levels are cumulative: `baseline` holds when every baseline control holds,
/// `restricted` when every control holds. A level fails when any of its controls (or a rule citing the
/// level itself) fails.
fn roll_up_levels(controls: &mut [ControlResult<'_>]) {
    for level in ["baseline", "restricted"] {
        let Some(index) = controls.iter().position(|c| c.control.id == level) else {
            continue;
        };
        let members: Vec<(&str, Outcome)> = controls
            .iter()
            .filter(|c| c.control.id != "baseline" && c.control.id != "restricted")
            .filter(|c| level == "restricted" || c.control.section == "Baseline")
            .map(|c| (c.control.id.as_str(), c.outcome))
            .collect();
        let failing: Vec<&str> = members
            .iter()
            .filter(|(_, o)| *o == Outcome::Fail)
            .map(|(id, _)| *id)
            .collect();
        let own = controls[index].outcome;
        let (outcome, reason) = if !failing.is_empty() || own == Outcome::Fail {
            let mut reason = controls[index].reason.clone();
            if !failing.is_empty() {
                reason = format!("violated controls: {}", failing.join(", "));
                if own == Outcome::Fail {
                    reason.push_str(&format!("; {}", controls[index].reason));
                }
            }
            (Outcome::Fail, reason)
        } else if members.iter().any(|(_, o)| *o == Outcome::NotEvaluated) {
            (
                Outcome::NotEvaluated,
                "some of its controls were not evaluated".to_owned(),
            )
        } else if own == Outcome::Pass || members.iter().any(|(_, o)| *o == Outcome::Pass) {
            (Outcome::Pass, "every control of the level holds".to_owned())
        } else {
            (
                Outcome::NotApplicable,
                "no pods or pod templates were in the input".to_owned(),
            )
        };
        let result = &mut controls[index];
        result.outcome = outcome;
        result.reason = reason;
    }
}

fn ids<'s>(ids: impl Iterator<Item = &'s str>) -> String {
    ids.collect::<Vec<_>>().join(", ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
