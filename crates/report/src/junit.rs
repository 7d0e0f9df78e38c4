//! JUnit XML, for CI systems that display test reports (GitLab, Jenkins, Azure Pipelines, …).
//!
//! Layout, chosen so that a CI page reads "which rules failed, on which objects":
//! - one `<testsuite>` per rule that has findings, in order of the rule's first finding, named
//!   `POD001 privileged-container`;
//! - one `<testcase>` per (object, rule), named after the object (`Deployment payments/api`) — or after
//!   the file for findings about no object — with classname `kubeward.POD001`;
//! - a `<failure type="<severity>">` when any of its findings is not suppressed, its text listing every
//!   finding; a `<skipped>` when all of them are suppressed;
//! - with `scan --framework`, a suite for the framework with one testcase per control (failure: its
//!   rules found something; skipped: not evaluated by this scan, or manual);
//! - a last suite `kubeward` with one testcase `scan` that has an `<error>` when the scan was
//!   incomplete, so that an empty report still says whether it can be trusted.
//!
//! Passing (object, rule) pairs are not listed: reporters see findings, not every check that ran.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use kubeward_diagnostics::Finding;
use kubeward_frameworks::{Assessment, Outcome};

use crate::report::{Report, object_label};
use crate::sanitize::xml;
use crate::{TOOL_NAME, TOOL_VERSION};

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let suites = suites(report);
    let mut body = String::new();
    let (mut tests, mut failures, mut skipped) = (0, 0, 0);
    for suite in &suites {
        tests += suite.cases.len();
        failures += suite.failures();
        skipped += suite.skipped();
        write_suite(report, suite, &mut body);
    }
    if let Some(assessment) = report.framework {
        let (t, f, s) = write_framework_suite(assessment, &mut body);
        tests += t;
        failures += f;
        skipped += s;
    }
    let incomplete = report.summary.incomplete;
    let seconds = report.summary.duration_ms as f64 / 1000.0;
    let _ = write!(
        body,
        "  <testsuite name=\"{TOOL_NAME}\" tests=\"1\" failures=\"0\" errors=\"{}\" skipped=\"0\">\n    \
         <properties>\n      <property name=\"version\" value=\"{}\"/>\n      \
         <property name=\"objects\" value=\"{}\"/>\n      <property name=\"sources\" value=\"{}\"/>\n    \
         </properties>\n    <testcase name=\"scan\" classname=\"{TOOL_NAME}\"",
        usize::from(incomplete),
        xml(TOOL_VERSION),
        report.summary.objects,
        report.summary.sources,
    );
    if incomplete {
        body.push_str(
            ">\n      <error message=\"scan incomplete: some input could not be read, parsed or rendered\" \
             type=\"incomplete\"/>\n    </testcase>\n",
        );
    } else {
        body.push_str("/>\n");
    }
    body.push_str("  </testsuite>\n");
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"{TOOL_NAME}\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{skipped}\" \
         time=\"{seconds:.3}\">\n{body}</testsuites>\n",
        tests + 1,
        usize::from(incomplete),
    )
}

/// `scan --framework`: one testcase per control — a failure when its rules found something, skipped when
/// this scan cannot judge it (or it is manual), passing otherwise. Returns (tests, failures, skipped).
fn write_framework_suite(assessment: &Assessment, body: &mut String) -> (usize, usize, usize) {
    let failures = assessment.count(Outcome::Fail);
    let skipped = assessment.count(Outcome::NotEvaluated) + assessment.count(Outcome::Manual);
    let id = xml(&assessment.framework.id);
    let _ = writeln!(
        body,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\">\n    \
         <properties>\n      <property name=\"coverage\" value=\"{}\"/>\n    </properties>",
        xml(&crate::compliance::title(assessment)),
        assessment.total(),
        xml(&assessment.coverage_line()),
    );
    for c in &assessment.controls {
        let _ = write!(
            body,
            "    <testcase name=\"{} {}\" classname=\"kubeward.framework.{id}\"",
            xml(&c.control.id),
            xml(&c.control.title),
        );
        let reason = xml(&c.reason);
        match c.outcome {
            Outcome::Fail => {
                let _ = writeln!(
                    body,
                    ">\n      <failure message=\"{reason}\" type=\"fail\">{reason}</failure>\n    </testcase>"
                );
            }
            Outcome::NotEvaluated | Outcome::Manual => {
                let _ = writeln!(
                    body,
                    ">\n      <skipped message=\"{}: {reason}\"/>\n    </testcase>",
                    c.outcome
                );
            }
            Outcome::Pass | Outcome::NotApplicable => {
                let _ = writeln!(
                    body,
                    ">\n      <system-out>{}: {reason}</system-out>\n    </testcase>",
                    c.outcome
                );
            }
        }
    }
    body.push_str("  </testsuite>\n");
    (assessment.total(), failures, skipped)
}

struct Suite<'f> {
    rule_id: &'static str,
    rule_name: &'static str,
    cases: Vec<Case<'f>>,
}

impl Suite<'_> {
    fn failures(&self) -> usize {
        self.cases.iter().filter(|c| c.is_failure()).count()
    }

    fn skipped(&self) -> usize {
        self.cases.len() - self.failures()
    }
}

struct Case<'f> {
    name: String,
    findings: Vec<&'f Finding>,
}

impl Case<'_> {
    fn is_failure(&self) -> bool {
        self.findings.iter().any(|f| !f.is_suppressed())
    }
}

fn suites<'f>(report: &Report<'f>) -> Vec<Suite<'f>> {
    let mut suites: Vec<Suite<'f>> = Vec::new();
    let mut suite_index: HashMap<&str, usize> = HashMap::new();
    let mut case_index: HashMap<(&str, String), usize> = HashMap::new();
    for finding in report.findings {
        let s = *suite_index.entry(finding.rule_id).or_insert_with(|| {
            suites.push(Suite {
                rule_id: finding.rule_id,
                rule_name: finding.rule_name,
                cases: Vec::new(),
            });
            suites.len() - 1
        });
        let name = case_name(report, finding);
        let cases = &mut suites[s].cases;
        let c = *case_index
            .entry((finding.rule_id, name.clone()))
            .or_insert_with(|| {
                cases.push(Case {
                    name,
                    findings: Vec::new(),
                });
                cases.len() - 1
            });
        cases[c].findings.push(finding);
    }
    suites
}

fn case_name(report: &Report, finding: &Finding) -> String {
    match (&finding.object, finding.location) {
        (Some(o), _) => object_label(o),
        (None, Some(l)) => report.sources.name(l.source).to_string(),
        (None, None) => "(no object)".to_string(),
    }
}

fn write_suite(report: &Report, suite: &Suite, body: &mut String) {
    let _ = writeln!(
        body,
        "  <testsuite name=\"{} {}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">",
        xml(suite.rule_id),
        xml(suite.rule_name),
        suite.cases.len(),
        suite.failures(),
        suite.skipped(),
    );
    for case in &suite.cases {
        let _ = write!(
            body,
            "    <testcase name=\"{}\" classname=\"{TOOL_NAME}.{}\"",
            xml(&case.name),
            xml(suite.rule_id)
        );
        if let Some(location) = case.findings.iter().find_map(|f| f.location) {
            let _ = write!(
                body,
                " file=\"{}\" line=\"{}\"",
                xml(report.sources.name(location.source)),
                location.span.start.line
            );
        }
        body.push_str(">\n");
        let active: Vec<&&Finding> = case
            .findings
            .iter()
            .filter(|f| !f.is_suppressed())
            .collect();
        match active.iter().max_by_key(|f| f.severity) {
            Some(worst) => {
                let first = active.first().map_or(worst, |f| f);
                let _ = writeln!(
                    body,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    xml(&first.message),
                    worst.severity,
                    xml(&failure_text(report, &case.findings)),
                );
            }
            None => {
                let reason = case
                    .findings
                    .iter()
                    .find_map(|f| f.suppression.as_ref())
                    .map_or("", |s| s.reason.as_str());
                let _ = writeln!(
                    body,
                    "      <skipped message=\"{}\"/>",
                    xml(&format!("suppressed: {reason}"))
                );
            }
        }
        body.push_str("    </testcase>\n");
    }
    body.push_str("  </testsuite>\n");
}

/// Every finding of a test case, one per line: `path:line:col SEVERITY message`, then its fix.
fn failure_text(report: &Report, findings: &[&Finding]) -> String {
    let mut text = String::new();
    for finding in findings {
        if let Some(location) = finding.location {
            let _ = write!(
                text,
                "{}:{}:{} ",
                report.sources.name(location.source),
                location.span.start.line,
                location.span.start.col + 1
            );
        }
        let _ = write!(
            text,
            "{} {}",
            finding.severity.as_str().to_ascii_uppercase(),
            finding.message
        );
        if let Some(suppression) = &finding.suppression {
            let _ = write!(text, " (suppressed: {})", suppression.reason);
        }
        text.push('\n');
        if let Some(fix) = &finding.fix {
            let _ = writeln!(text, "  help: {}", fix.title);
        }
    }
    text
}
