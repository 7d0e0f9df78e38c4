//! `kubeward frameworks`: the compliance frameworks kubeward maps to, and what evaluates each control.
//!
//! The controls come from `kubeward-frameworks`; which rules evaluate them is inverted there from the
//! references rules and audit detectors declare, and CIS controls of sections 1–4 list the `kubeward node`
//! checks that cite them.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use kubeward_frameworks::{Coverage, Status};
use serde_json::json;

use crate::args::{FrameworksArgs, FrameworksCommand, FrameworksFormat};

pub fn run(args: FrameworksArgs) -> Result<ExitCode> {
    let frameworks = kubeward_frameworks::frameworks()?;
    let mut out = std::io::stdout().lock();
    match args.command {
        FrameworksCommand::List { format } => {
            let all: Vec<Coverage> = frameworks
                .iter()
                .map(kubeward_frameworks::catalog_coverage)
                .collect();
            match format {
                FrameworksFormat::Text => list_text(&mut out, &all)?,
                FrameworksFormat::Json => {
                    let list: Vec<_> = all.iter().map(|c| summary_json(c, false)).collect();
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                }
            }
        }
        FrameworksCommand::Show { framework, format } => {
            let Some(f) = kubeward_frameworks::find(&frameworks, &framework) else {
                let known: Vec<_> = frameworks.iter().map(|f| f.id.as_str()).collect();
                bail!(
                    "unknown framework `{framework}` (expected one of {})",
                    known.join(", ")
                );
            };
            let cov = kubeward_frameworks::catalog_coverage(f);
            match format {
                FrameworksFormat::Text => show_text(&mut out, &cov)?,
                FrameworksFormat::Json => {
                    serde_json::to_writer_pretty(&mut out, &summary_json(&cov, true))?;
                    writeln!(out)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

const STATUSES: [Status; 5] = [
    Status::Automated,
    Status::Node,
    Status::Pss,
    Status::Manual,
    Status::NotEvaluatedYet,
];

fn list_text(out: &mut impl Write, all: &[Coverage]) -> Result<()> {
    writeln!(
        out,
        "{:<6} {:<18} {:>8} {:>9} {:>9}  NAME",
        "ID", "VERSION", "CONTROLS", "AUTOMATED", "EVALUATED"
    )?;
    for c in all {
        let f = c.framework;
        writeln!(
            out,
            "{:<6} {:<18} {:>8} {:>9} {:>9}  {}",
            f.id,
            f.version,
            c.total(),
            c.automated(),
            c.evaluated(),
            f.name
        )?;
    }
    writeln!(
        out,
        "\nAUTOMATED: evaluated by rules; EVALUATED: by rules, `kubeward node` or `kubeward pss check`."
    )?;
    writeln!(out, "Details: kubeward frameworks show ID")?;
    Ok(())
}

fn show_text(out: &mut impl Write, cov: &Coverage) -> Result<()> {
    let f = cov.framework;
    writeln!(out, "{} ({}) {}", f.name, f.id, f.version)?;
    writeln!(out, "{}", f.description)?;
    writeln!(out, "{}", f.url)?;
    let mut section = "";
    for c in &cov.controls {
        if c.control.section != section {
            section = &c.control.section;
            writeln!(out, "\n{section}")?;
        }
        writeln!(
            out,
            "  {:<26} {:<17} {}",
            c.control.id,
            c.status.as_str(),
            c.control.title
        )?;
        if !c.rules.is_empty() {
            writeln!(out, "  {:<26} rules: {}", "", c.rules.join(", "))?;
        }
        if !c.checks.is_empty() {
            writeln!(out, "  {:<26} kubeward node: {}", "", c.checks.join(", "))?;
        } else if c.status == Status::Pss {
            writeln!(out, "  {:<26} kubeward pss check: {}", "", c.control.id)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "{}", coverage_line(cov))?;
    Ok(())
}

/// `Coverage: 25/120 controls automated by rules (21%); 92 by kubeward node; 3 manual; 0 not evaluated yet`.
fn coverage_line(cov: &Coverage) -> String {
    let total = cov.total();
    let percent = (cov.automated() * 100).checked_div(total).unwrap_or(0);
    let mut line = format!(
        "Coverage: {}/{total} controls automated by rules ({percent}%)",
        cov.automated()
    );
    for status in &STATUSES[1..] {
        let n = cov.count(*status);
        if n > 0 {
            line.push_str(&format!("; {n} {}", status_phrase(*status)));
        }
    }
    line
}

fn status_phrase(status: Status) -> &'static str {
    match status {
        Status::Automated => "automated by rules",
        Status::Node => "by `kubeward node`",
        Status::Pss => "by `kubeward pss check`",
        Status::Manual => "manual",
        Status::NotEvaluatedYet => "not evaluated yet",
    }
}

fn summary_json(cov: &Coverage, with_controls: bool) -> serde_json::Value {
    let f = cov.framework;
    let mut v = json!({
        "id": f.id,
        "prefix": f.prefix,
        "name": f.name,
        "version": f.version,
        "url": f.url,
        "coverage": {
            "total": cov.total(),
            "automated": cov.automated(),
            "node": cov.count(Status::Node),
            "pss": cov.count(Status::Pss),
            "manual": cov.count(Status::Manual),
            "notEvaluatedYet": cov.count(Status::NotEvaluatedYet),
            "evaluated": cov.evaluated(),
        },
    });
    if with_controls {
        v["description"] = json!(f.description);
        v["controls"] = cov
            .controls
            .iter()
            .map(|c| {
                json!({
                    "id": c.control.id,
                    "reference": c.reference,
                    "section": c.control.section,
                    "title": c.control.title,
                    "status": c.status,
                    "evaluatedBy": c.status.evaluated_by(),
                    "rules": c.rules,
                    "checks": c.checks,
                })
            })
            .collect();
    }
    v
}
