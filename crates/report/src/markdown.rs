//! Markdown for pull-request comments: a summary table by severity, a table of the findings, and with
//! `scan --framework` a table of the framework's controls.
//!
//! Everything that comes from scanned manifests (messages, object names, paths) is escaped: a comment
//! must not render attacker-chosen HTML, links or images, nor notify `@someone`.

use std::io::{self, Write};

use kubeward_diagnostics::{Finding, Severity};

use crate::report::{Report, object_label};
use crate::sanitize::{markdown, markdown_code};

/// GitHub rejects comments over 65,536 characters; this many rows stays well under that.
const MAX_ROWS: usize = 200;

pub(crate) fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let counts = report.counts();
    let summary = &report.summary;
    writeln!(out, "## kubeward scan\n")?;
    if summary.incomplete {
        writeln!(
            out,
            "> [!WARNING]\n> The scan is incomplete: some input could not be read, parsed or rendered.\n"
        )?;
    }
    for gap in &summary.not_evaluated {
        writeln!(
            out,
            "> [!WARNING]\n> Not evaluated ({}): `{}` could not be read; rules: {}.\n",
            gap.reason,
            gap.input.replace('`', "'"),
            gap.rules.join(", ")
        )?;
    }
    writeln!(out, "| Severity | Findings |\n| --- | ---: |")?;
    for severity in Severity::ALL {
        writeln!(out, "| {} | {} |", label(severity), counts.get(severity))?;
    }
    writeln!(out, "| **Total** | **{}** |\n", counts.active())?;
    let mut facts = vec![format!(
        "{} objects in {} sources, {} rules, {} ms",
        summary.objects, summary.sources, summary.rules_run, summary.duration_ms
    )];
    if counts.suppressed > 0 {
        facts.push(format!("{} suppressed", counts.suppressed));
    }
    if let Some(threshold) = summary.fail_on {
        facts.push(format!(
            "{} at or above `{threshold}` (fail-on)",
            counts.at_or_above_fail_on
        ));
    }
    writeln!(out, "{}.\n", facts.join(" · "))?;

    let active: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| !f.is_suppressed())
        .collect();
    if active.is_empty() {
        writeln!(out, "No findings.")?;
    } else {
        findings_table(report, &active, out)?;
    }
    top_risks(report, out)?;
    if let Some(assessment) = report.framework {
        crate::compliance::markdown_section(assessment, out)?;
    }
    Ok(())
}

/// The highest risk scores with their factors in words.
fn top_risks(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let top = report.top();
    if top.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n### Top risks\n\nseverity × exposure × blast radius, 1–150.\n"
    )?;
    writeln!(
        out,
        "| Score | Rule | Object | Location | Why |\n| ---: | --- | --- | --- | --- |"
    )?;
    for (finding, risk) in top {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            risk.score,
            markdown_code(&format!("{} {}", finding.rule_id, finding.rule_name)),
            finding
                .object
                .as_ref()
                .map_or(String::new(), |o| markdown_code(&object_label(o))),
            location(report, finding),
            markdown(&risk.words(finding.severity)),
        )?;
    }
    Ok(())
}

fn findings_table(report: &Report, active: &[&Finding], out: &mut dyn Write) -> io::Result<()> {
    // With scores, a Risk column; scores are looked up by identity since `active` is filtered.
    let scores: std::collections::HashMap<*const Finding, u32> = report
        .risks
        .map(|risks| {
            report
                .findings
                .iter()
                .zip(risks)
                .map(|(f, r)| (f as *const Finding, r.score))
                .collect()
        })
        .unwrap_or_default();
    let risk = report.risks.is_some();
    writeln!(
        out,
        "| Severity |{} Rule | Object | Location | Message |\n| --- |{} --- | --- | --- | --- |",
        if risk { " Risk |" } else { "" },
        if risk { " ---: |" } else { "" }
    )?;
    for finding in active.iter().take(MAX_ROWS) {
        let score = scores
            .get(&(*finding as *const Finding))
            .map_or(String::new(), |s| format!(" {s} |"));
        writeln!(
            out,
            "| {} |{score} {} | {} | {} | {} |",
            label(finding.severity),
            markdown_code(&format!("{} {}", finding.rule_id, finding.rule_name)),
            finding
                .object
                .as_ref()
                .map_or(String::new(), |o| markdown_code(&object_label(o))),
            location(report, finding),
            markdown(&finding.message),
        )?;
    }
    if active.len() > MAX_ROWS {
        writeln!(
            out,
            "\n… and {} more findings; see the full report.",
            active.len() - MAX_ROWS
        )?;
    }
    Ok(())
}

fn location(report: &Report, finding: &Finding) -> String {
    finding.location.map_or(String::new(), |l| {
        markdown_code(&format!(
            "{}:{}:{}",
            report.sources.name(l.source),
            l.span.start.line,
            l.span.start.col + 1
        ))
    })
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "🔴 critical",
        Severity::High => "🟠 high",
        Severity::Medium => "🟡 medium",
        Severity::Low => "🔵 low",
        Severity::Info => "⚪ info",
    }
}
