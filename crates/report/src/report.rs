//! What every reporter receives: the findings, the sources they point into, and the scan's summary.

use std::path::Path;

use kubeward_diagnostics::{Finding, Location, ObjectRef, Severity};
use kubeward_frameworks::Assessment;
use kubeward_graph::RiskScore;
use kubeward_source::SourceMap;

/// Maps a location in a rendered source (`helm template` output) to the template it came from, e.g.
/// `app/templates/deployment.yaml` from the `# Source:` comment. The loader knows this; findings don't.
pub type TemplateLookup<'a> = &'a dyn Fn(&Location) -> Option<String>;

/// Facts about the scan as a whole, for the summary every format ends with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Kubernetes objects inspected.
    pub objects: usize,
    /// Sources read (files, stdin, rendered charts).
    pub sources: usize,
    /// Rules that ran.
    pub rules_run: usize,
    /// Some input could not be read, parsed or rendered: absence of findings proves less.
    pub incomplete: bool,
    pub duration_ms: u64,
    /// The `--fail-on` threshold, so reports can say how many findings reach it.
    pub fail_on: Option<Severity>,
    /// Input the rules needed that could not be read (a kind a cluster refused to list), and the
    /// rules that were therefore not evaluated on it. Never a silent pass.
    pub not_evaluated: Vec<NotEvaluated>,
}

/// Rules that could not be evaluated on some input, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotEvaluated {
    /// What could not be read: `roles.rbac.authorization.k8s.io`.
    pub input: String,
    /// `forbidden` (403) or `failed`.
    pub reason: String,
    /// The server's message.
    pub message: String,
    /// IDs of the rules that inspect this input.
    pub rules: Vec<String>,
}

/// One scan's results, as every format needs them.
pub struct Report<'a> {
    /// In the order they are to be printed (the engine sorts them by location).
    pub findings: &'a [Finding],
    pub sources: &'a SourceMap,
    pub summary: Summary,
    /// The directory SARIF URIs are made relative to (`uriBaseId` `SRCROOT`). Relative source paths are
    /// taken to be relative to it already, so pass the working directory (or make paths absolute).
    pub base_dir: Option<&'a Path>,
    /// Template provenance for rendered Helm sources; `None` when unknown.
    pub templates: Option<TemplateLookup<'a>>,
    /// The per-control compliance report of `scan --framework`.
    pub framework: Option<&'a Assessment<'a>>,
    /// Each finding's risk score, in the order of `findings`, when the risk map was built.
    pub risks: Option<&'a [RiskScore]>,
    /// How many of the highest scores the "Top risks" section of text and Markdown lists (0: none).
    pub top_risks: usize,
}

impl<'a> Report<'a> {
    pub fn new(findings: &'a [Finding], sources: &'a SourceMap, summary: Summary) -> Self {
        Self {
            findings,
            sources,
            summary,
            base_dir: None,
            templates: None,
            framework: None,
            risks: None,
            top_risks: 0,
        }
    }

    /// Risk scores parallel to the findings, and how many to list as top risks.
    pub fn with_risks(mut self, risks: &'a [RiskScore], top_risks: usize) -> Self {
        self.risks = Some(risks);
        self.top_risks = top_risks;
        self
    }

    /// The risk score of the finding at `index`, when scores were computed.
    pub fn risk(&self, index: usize) -> Option<&'a RiskScore> {
        self.risks.and_then(|r| r.get(index))
    }

    /// Unsuppressed findings with the `top_risks` highest scores, highest first (ties: the order
    /// of `findings`), with their scores.
    pub fn top(&self) -> Vec<(&'a Finding, &'a RiskScore)> {
        let (Some(risks), n) = (self.risks, self.top_risks) else {
            return Vec::new();
        };
        let mut ranked: Vec<(&Finding, &RiskScore)> = self
            .findings
            .iter()
            .zip(risks)
            .filter(|(f, _)| !f.is_suppressed())
            .collect();
        ranked.sort_by_key(|r| std::cmp::Reverse(r.1.score));
        ranked.truncate(n);
        ranked
    }

    pub fn with_framework(mut self, assessment: &'a Assessment<'a>) -> Self {
        self.framework = Some(assessment);
        self
    }

    pub fn with_base_dir(mut self, base_dir: &'a Path) -> Self {
        self.base_dir = Some(base_dir);
        self
    }

    pub fn with_templates(mut self, templates: TemplateLookup<'a>) -> Self {
        self.templates = Some(templates);
        self
    }

    /// Counts of findings by severity (suppressed ones apart).
    pub fn counts(&self) -> SeverityCounts {
        SeverityCounts::of(self.findings, self.summary.fail_on)
    }

    /// The template a location was rendered from, when known.
    pub(crate) fn template(&self, location: &Location) -> Option<String> {
        self.templates.and_then(|lookup| lookup(location))
    }
}

/// How to print text output; the CLI decides `color` from the TTY and `NO_COLOR`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    pub color: bool,
    /// Also print suppressed findings, marked `(suppressed: reason)`. They are counted either way.
    pub show_suppressed: bool,
    /// Print each fix's edits under its `help:` line (the `help:` title is always printed).
    pub show_fixes: bool,
}

/// Finding counts for summaries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    /// Suppressed findings, whatever their severity (not included in the counts above).
    pub suppressed: usize,
    /// Unsuppressed findings at or above the `fail_on` threshold (0 without a threshold).
    pub at_or_above_fail_on: usize,
}

impl SeverityCounts {
    pub fn of(findings: &[Finding], fail_on: Option<Severity>) -> Self {
        let mut counts = Self::default();
        for finding in findings {
            if finding.is_suppressed() {
                counts.suppressed += 1;
                continue;
            }
            *counts.slot(finding.severity) += 1;
            if fail_on.is_some_and(|threshold| finding.severity >= threshold) {
                counts.at_or_above_fail_on += 1;
            }
        }
        counts
    }

    fn slot(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }

    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    /// Unsuppressed findings.
    pub fn active(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// How every human-facing format names an object: `Deployment payments/api`, or `ClusterRole admin`
/// for cluster-scoped objects. Not sanitised: each format escapes it for its medium.
/// The kubectl command that shows a live object: `kubectl get deployment.apps -n shop web`.
pub fn kubectl_get(object: &ObjectRef) -> String {
    // The cluster description (a snapshot's cluster.json) stands for the API server itself.
    if object.kind == "ClusterSnapshot" && object.api_version == "kubeward.io/v1" {
        return "kubectl version".to_string();
    }
    let resource = match object.api_version.split_once('/') {
        Some((group, _)) => format!("{}.{group}", object.kind.to_ascii_lowercase()),
        None => object.kind.to_ascii_lowercase(),
    };
    match &object.namespace {
        Some(ns) => format!("kubectl get {resource} -n {ns} {}", object.name),
        None => format!("kubectl get {resource} {}", object.name),
    }
}

pub(crate) fn object_label(object: &ObjectRef) -> String {
    match &object.namespace {
        Some(ns) => format!("{} {}/{}", object.kind, ns, object.name),
        None => format!("{} {}", object.kind, object.name),
    }
}
