//! Text for terminals, after ripgrep and ruff: findings grouped by file, then by object, each with the
//! offending line and a caret under the span, then a summary.
//!
//! ```text
//! deploy/api.yaml
//!  Deployment payments/api
//!   deploy/api.yaml:21:23 CRITICAL POD001 privileged-container container `app` runs privileged
//!     21 |           privileged: true
//!        |                       ^^^^
//!        = help: Set `privileged: false`
//! ```

use std::collections::HashMap;
use std::hash::Hash;
use std::io::{self, Write};

use kubeward_diagnostics::{Edit, Finding, Location, Severity};
use kubeward_graph::RiskScore;
use kubeward_source::SourceMap;
use unicode_width::UnicodeWidthStr;

use crate::report::{Report, TextOptions, kubectl_get, object_label};
use crate::sanitize;

pub(crate) mod style {
    pub const RESET: &str = "\x1b[0m";
    pub const BOLD: &str = "\x1b[1m";
    pub const DIM: &str = "\x1b[2m";
    pub const GUTTER: &str = "\x1b[1;34m";
    pub const HELP: &str = "\x1b[1;36m";
    pub const WARNING: &str = "\x1b[1;33m";
}

/// Text printed in place of the characters of a sensitive span.
pub(crate) const REDACTED: &str = "****";

pub(crate) fn render(report: &Report, opts: &TextOptions, out: &mut dyn Write) -> io::Result<()> {
    let paint = Paint { color: opts.color };
    // Findings are grouped below, so their scores are looked up by identity, not position.
    let scores: HashMap<*const Finding, &RiskScore> = match report.risks {
        Some(risks) => report
            .findings
            .iter()
            .zip(risks)
            .map(|(f, r)| (f as *const Finding, r))
            .collect(),
        None => HashMap::new(),
    };
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| opts.show_suppressed || !f.is_suppressed())
        .collect();
    for file in group_by(&shown, |f| f.location.map(|l| l.source)) {
        let header = match file.key {
            Some(source) => sanitize::terminal(report.sources.name(source)).into_owned(),
            None => "(objects without a source file)".to_string(),
        };
        writeln!(out, "{}", paint.wrap(style::BOLD, &header))?;
        let live = file
            .key
            .and_then(|source| report.sources.get(source))
            .is_some_and(|s| s.origin == kubeward_source::Origin::Cluster);
        for object in group_by(&file.items, |f| f.object.as_ref()) {
            if let Some(object) = object.key {
                let mut label = paint.wrap(style::BOLD, &sanitize::terminal(&object_label(object)));
                if live {
                    // A live object: how to look at it, rather than a file to open.
                    label.push_str(&paint.wrap(
                        style::DIM,
                        &format!("  ({})", sanitize::terminal(&kubectl_get(object))),
                    ));
                }
                writeln!(out, " {label}")?;
            }
            for finding in object.items {
                let score = scores.get(&(finding as *const Finding)).copied();
                write_finding(report, opts, paint, finding, score, out)?;
            }
        }
        writeln!(out)?;
    }
    write_top_risks(report, paint, out)?;
    if let Some(assessment) = report.framework {
        crate::compliance::text(assessment, paint, out)?;
    }
    write_summary(report, paint, out)
}

/// The highest risk scores, each with its factors in words:
///
/// ```text
/// Top risks (severity × exposure × blast radius, 1–150; see docs/risk.md)
///   1.  140  POD001 Deployment payments/api  deploy/api.yaml:13:21
///            critical × internet-exposed × leads to cluster-admin, Secrets
/// ```
fn write_top_risks(report: &Report, paint: Paint, out: &mut dyn Write) -> io::Result<()> {
    let top = report.top();
    if top.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        paint.wrap(
            style::BOLD,
            "Top risks (severity × exposure × blast radius, 1–150; see docs/risk.md)"
        )
    )?;
    let width = top.len().to_string().len();
    for (i, (finding, risk)) in top.iter().enumerate() {
        let mut line = format!(
            "  {:>width$}. {:>4}  {}",
            i + 1,
            risk.score,
            paint.wrap(style::BOLD, finding.rule_id)
        );
        if let Some(object) = &finding.object {
            line.push_str(&format!(" {}", sanitize::terminal(&object_label(object))));
        }
        if let Some(l) = finding.location {
            line.push_str(&format!(
                "  {}:{}:{}",
                sanitize::terminal(report.sources.name(l.source)),
                l.span.start.line,
                l.span.start.col + 1
            ));
        }
        writeln!(out, "{line}")?;
        writeln!(
            out,
            "  {:>width$}        {}",
            "",
            sanitize::terminal(&risk.words(finding.severity))
        )?;
    }
    writeln!(out)
}

fn write_finding(
    report: &Report,
    opts: &TextOptions,
    paint: Paint,
    finding: &Finding,
    score: Option<&RiskScore>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let severity = finding.severity;
    let mut line = String::from("  ");
    if let Some(location) = finding.location {
        let Location { source, span } = location;
        line.push_str(&format!(
            "{}:{}:{} ",
            sanitize::terminal(report.sources.name(source)),
            span.start.line,
            span.start.col + 1
        ));
    }
    line.push_str(&format!(
        "{} {} {} {}",
        paint.wrap(
            severity_style(severity),
            &severity.as_str().to_ascii_uppercase()
        ),
        paint.wrap(style::BOLD, finding.rule_id),
        finding.rule_name,
        sanitize::terminal(&finding.message)
    ));
    if let Some(score) = score {
        line.push(' ');
        line.push_str(&paint.wrap(style::DIM, &format!("[risk {}]", score.score)));
    }
    if let Some(suppression) = &finding.suppression {
        let note = format!("(suppressed: {})", sanitize::terminal(&suppression.reason));
        line.push(' ');
        line.push_str(&paint.wrap(style::DIM, &note));
    }
    writeln!(out, "{line}")?;

    let gutter_width = finding
        .location
        .map_or(1, |l| l.span.start.line.to_string().len());
    let pad = " ".repeat(gutter_width);
    if let Some(location) = finding.location
        && let Some(snippet) = Snippet::new(report.sources, finding, location)
    {
        writeln!(
            out,
            "    {} {}",
            paint.wrap(style::GUTTER, &format!("{} |", location.span.start.line)),
            snippet.text
        )?;
        writeln!(
            out,
            "    {pad} {}{}{}",
            paint.wrap(style::GUTTER, "|"),
            " ".repeat(snippet.caret_offset + 1),
            paint.wrap(severity_style(severity), &"^".repeat(snippet.caret_len))
        )?;
    }
    if let Some(template) = finding.location.and_then(|l| report.template(&l)) {
        writeln!(
            out,
            "    {pad} = note: rendered from {}",
            sanitize::terminal(&template)
        )?;
    }
    if let Some(fix) = &finding.fix {
        let mut help = format!(
            "{} {}",
            paint.wrap(style::HELP, "help:"),
            sanitize::terminal(&fix.title)
        );
        if opts.show_fixes {
            let applicability = serde_json::to_value(fix.applicability).ok();
            if let Some(serde_json::Value::String(kind)) = applicability {
                help.push_str(&format!(" ({kind} fix)"));
            }
        }
        writeln!(out, "    {pad} = {help}")?;
        if opts.show_fixes {
            for edit in &fix.edits {
                writeln!(
                    out,
                    "    {pad}     {}",
                    sanitize::terminal(&describe_edit(edit))
                )?;
            }
        }
    }
    Ok(())
}

fn describe_edit(edit: &Edit) -> String {
    match edit {
        Edit::Set { value, .. } => format!("set {} = {value}", edit.pointer()),
        Edit::Remove { .. } => format!("remove {}", edit.pointer()),
        Edit::Append { value, .. } => format!("append {value} to {}", edit.pointer()),
    }
}

fn write_summary(report: &Report, paint: Paint, out: &mut dyn Write) -> io::Result<()> {
    let counts = report.counts();
    let summary = &report.summary;
    let mut line = if counts.active() == 0 {
        "No findings".to_string()
    } else {
        let parts: Vec<String> = Severity::ALL
            .iter()
            .filter(|s| counts.get(**s) > 0)
            .map(|s| paint.wrap(severity_style(*s), &format!("{} {}", counts.get(*s), s)))
            .collect();
        format!(
            "Found {}: {}",
            plural(counts.active(), "finding"),
            parts.join(", ")
        )
    };
    if counts.suppressed > 0 {
        line.push_str(&format!(" ({} suppressed)", counts.suppressed));
    }
    writeln!(out, "{}", paint.wrap(style::BOLD, &line))?;
    writeln!(
        out,
        "Scanned {} from {} with {} in {} ms",
        plural(summary.objects, "object"),
        plural(summary.sources, "source"),
        plural(summary.rules_run, "rule"),
        summary.duration_ms
    )?;
    if let Some(threshold) = summary.fail_on {
        writeln!(
            out,
            "{} at or above {threshold} (--fail-on {threshold})",
            plural(counts.at_or_above_fail_on, "finding")
        )?;
    }
    for gap in &summary.not_evaluated {
        writeln!(
            out,
            "{} not evaluated ({}): {} could not be read, so {} did not inspect it: {}",
            paint.wrap(style::WARNING, "warning:"),
            gap.reason,
            sanitize::terminal(&gap.input),
            if gap.rules.is_empty() {
                "no rule".to_string()
            } else {
                gap.rules.join(", ")
            },
            sanitize::terminal(&gap.message)
        )?;
    }
    if summary.incomplete && summary.not_evaluated.is_empty() {
        writeln!(
            out,
            "{} scan incomplete: some input could not be read, parsed or rendered (see the KW findings)",
            paint.wrap(style::WARNING, "warning:")
        )?;
    }
    Ok(())
}

/// The line under a finding, made safe to print, and where its caret goes (in terminal cells).
struct Snippet {
    text: String,
    caret_offset: usize,
    caret_len: usize,
}

/// Lines longer than this (in characters) are shown as a window around the span.
const LONG_LINE: usize = 160;
const WINDOW_BEFORE: usize = 40;
const WINDOW_AFTER: usize = 80;

impl Snippet {
    fn new(sources: &SourceMap, finding: &Finding, location: Location) -> Option<Self> {
        let span = location.span;
        let raw = sources.get(location.source)?.line(span.start.line)?;
        let chars: Vec<char> = sanitize::terminal(raw).chars().collect();
        let start = (span.start.col as usize).min(chars.len());
        // A multi-line span is underlined from its start to the end of its first line.
        let end = if span.end.line == span.start.line {
            (span.end.col as usize).clamp(start, chars.len())
        } else {
            chars.len()
        };
        // Long lines (minified JSON, one object per line from a cluster) are shown as a window
        // around the span.
        let (from, to, cut_before, cut_after) = if chars.len() > LONG_LINE {
            let from = start.saturating_sub(WINDOW_BEFORE);
            let to = end
                .max(start + 1)
                .saturating_add(WINDOW_AFTER)
                .min(chars.len());
            (from, to, from > 0, to < chars.len())
        } else {
            (0, chars.len(), false, false)
        };
        let end = end.min(to);
        let mut before: String = if cut_before {
            "…".into()
        } else {
            String::new()
        };
        before.extend(&chars[from..start]);
        let (middle, mut after): (String, String) = if finding.sensitive {
            // Never print a secret: everything from the span's start to the end of the line goes,
            // even past the span's end (a point span on `password: hunter2` must not leak the value).
            (REDACTED.to_string(), String::new())
        } else {
            (
                chars[start..end].iter().collect(),
                chars[end..to].iter().collect(),
            )
        };
        if cut_after && !finding.sensitive {
            after.push('…');
        }
        Some(Self {
            caret_offset: before.width(),
            caret_len: middle.width().max(1),
            text: format!("{before}{middle}{after}"),
        })
    }
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn severity_style(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "\x1b[1;35m",
        Severity::High => "\x1b[1;31m",
        Severity::Medium => "\x1b[1;33m",
        Severity::Low => "\x1b[1;36m",
        Severity::Info => "\x1b[1;34m",
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Paint {
    color: bool,
}

impl Paint {
    pub(crate) fn wrap(self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{}", style::RESET)
        } else {
            text.to_string()
        }
    }
}

/// Items with the same key, in order of the key's first appearance (findings arrive sorted; grouping
/// must not reorder them).
struct Group<'f, K> {
    key: K,
    items: Vec<&'f Finding>,
}

fn group_by<'f, K: Eq + Hash + Clone>(
    findings: &[&'f Finding],
    key: impl Fn(&'f Finding) -> K,
) -> Vec<Group<'f, K>> {
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut groups: Vec<Group<'f, K>> = Vec::new();
    for finding in findings {
        let k = key(finding);
        match index.get(&k) {
            Some(&i) => groups[i].items.push(finding),
            None => {
                index.insert(k.clone(), groups.len());
                groups.push(Group {
                    key: k,
                    items: vec![finding],
                });
            }
        }
    }
    groups
}
