//! The per-control part of `kubeward scan --framework`, in the formats where it is a section of its own
//! (text and Markdown); JSON, SARIF and JUnit carry it in their own structures.
//!
//! Control titles and reasons come from kubeward's embedded data and rule IDs, never from scanned input,
//! but Markdown still escapes them: the data may one day quote a field name with `*` or `_`.

use std::io::{self, Write};

use kubeward_frameworks::{Assessment, Outcome};

use crate::sanitize::markdown;
use crate::text::{Paint, style};

/// The heading every format uses: `CIS Kubernetes Benchmark v1.12 (--framework cis)`.
pub(crate) fn title(assessment: &Assessment) -> String {
    let f = assessment.framework;
    format!("{} {} (--framework {})", f.name, f.version, assessment.name)
}

/// The four-letter tag of an outcome in text tables.
fn tag(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Fail => "FAIL",
        Outcome::Pass => "PASS",
        Outcome::NotApplicable => "N/A ",
        Outcome::NotEvaluated => "----",
        Outcome::Manual => "MAN ",
    }
}

fn outcome_style(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Fail => "\x1b[1;31m",
        Outcome::Pass => "\x1b[1;32m",
        _ => "\x1b[2m",
    }
}

pub(crate) fn text(assessment: &Assessment, paint: Paint, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", paint.wrap(style::BOLD, &title(assessment)))?;
    let width = assessment
        .controls
        .iter()
        .map(|c| c.control.id.len())
        .max()
        .unwrap_or(0);
    let mut section = "";
    for c in &assessment.controls {
        if c.control.section != section {
            section = &c.control.section;
            writeln!(out, " {}", paint.wrap(style::BOLD, section))?;
        }
        writeln!(
            out,
            "  {} {:<width$}  {}",
            paint.wrap(outcome_style(c.outcome), tag(c.outcome)),
            c.control.id,
            c.control.title
        )?;
        writeln!(out, "       {:<width$}  {}", "", c.reason)?;
    }
    writeln!(
        out,
        "{}\n(PASS/FAIL: judged by this scan; N/A: nothing the rules inspect was scanned; ----: not evaluated by this scan; MAN: manual review)\n",
        assessment.coverage_line()
    )
}

pub(crate) fn markdown_section(assessment: &Assessment, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\n### {}\n", markdown(&title(assessment)))?;
    writeln!(out, "{}\n", assessment.coverage_line())?;
    writeln!(
        out,
        "| Outcome | Control | Title | Why |\n| --- | --- | --- | --- |"
    )?;
    for c in &assessment.controls {
        let outcome = match c.outcome {
            Outcome::Fail => "**fail**",
            other => other.as_str(),
        };
        writeln!(
            out,
            "| {outcome} | {} | {} | {} |",
            markdown(&c.control.id),
            markdown(&c.control.title),
            markdown(&c.reason)
        )?;
    }
    Ok(())
}
