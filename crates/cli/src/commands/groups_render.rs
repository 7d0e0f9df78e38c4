//! `groups report` as text, Markdown or JSON. Object names and messages come from scanned input:
//! Markdown escapes them, text prints them without control characters.

use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::Result;
use kubeward_graph::render;

use super::groups::GroupReport;
use crate::args::GroupsFormat;

pub(crate) fn emit(format: GroupsFormat, reports: &[GroupReport]) -> Result<()> {
    let mut text = String::new();
    match format {
        GroupsFormat::Json => {
            text = serde_json::to_string_pretty(&serde_json::json!({ "groups": reports }))?;
            text.push('\n');
        }
        GroupsFormat::Text => {
            for r in reports {
                group_text(r, &mut text)?;
            }
        }
        GroupsFormat::Markdown => {
            for r in reports {
                group_markdown(r, &mut text)?;
            }
        }
    }
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// No terminal control characters from scanned input.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() && c != '\n' { '?' } else { c })
        .collect()
}

fn counts(r: &GroupReport) -> String {
    if r.posture.total == 0 {
        return "no findings".into();
    }
    let parts: Vec<String> = ["critical", "high", "medium", "low", "info"]
        .iter()
        .filter_map(|s| r.posture.findings.get(s).map(|n| format!("{n} {s}")))
        .collect();
    let mut line = format!("{} findings: {}", r.posture.total, parts.join(", "));
    if r.posture.suppressed > 0 {
        line.push_str(&format!(" ({} suppressed)", r.posture.suppressed));
    }
    line
}

fn members(n: usize) -> String {
    if n == 1 {
        "1 member".into()
    } else {
        format!("{n} members")
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn group_text(r: &GroupReport, out: &mut String) -> std::fmt::Result {
    writeln!(
        out,
        "Group {} ({}): {}",
        clean(&r.name),
        r.criticality,
        members(r.members.len())
    )?;
    for m in &r.members {
        writeln!(out, "  {}", clean(m))?;
    }
    writeln!(out, "\nPosture: {}", counts(r))?;
    for (i, t) in r.posture.top_risks.iter().enumerate() {
        writeln!(
            out,
            "  {}. {:>3}  {} {}: {}\n          {}",
            i + 1,
            t.score,
            t.rule,
            clean(&t.object),
            clean(&t.message),
            t.why
        )?;
    }
    writeln!(out, "\nCompliance (the group's objects only)")?;
    for c in &r.compliance {
        writeln!(
            out,
            "  {} (--framework {}): {}",
            c.framework, c.selected, c.coverage
        )?;
        for f in &c.failed_controls {
            writeln!(out, "    FAIL {f}")?;
        }
    }
    writeln!(out, "\nAccess")?;
    if r.access.is_empty() {
        writeln!(out, "  (no namespaced Secrets or workloads in the group)")?;
    }
    for a in &r.access {
        if a.subjects.is_empty() {
            writeln!(out, "  {}: nobody", a.request)?;
        } else {
            writeln!(out, "  {}:", a.request)?;
            for s in &a.subjects {
                writeln!(out, "    {}", clean(s))?;
            }
        }
    }
    writeln!(out, "\nExposure")?;
    if r.exposure.is_empty() {
        writeln!(out, "  (no workloads in the group)")?;
    }
    for row in &r.exposure {
        let x = &row.exposure;
        writeln!(
            out,
            "  {} {}/{}: internet: {}, other namespaces: {}, any pod: {}",
            x.endpoint.kind,
            clean(&x.endpoint.namespace),
            clean(&x.endpoint.name),
            yes(x.from_internet),
            yes(x.from_other_namespaces),
            yes(x.from_any_pod)
        )?;
        for b in &x.because {
            writeln!(out, "    {}", clean(b))?;
        }
        if !row.from_namespaces.is_empty() {
            writeln!(
                out,
                "    reachable from workloads in: {}",
                clean(&row.from_namespaces.join(", "))
            )?;
        }
        if !x.routed_from_outside.is_empty() {
            writeln!(
                out,
                "    routed from outside the cluster by {}",
                clean(&x.routed_from_outside.join(", "))
            )?;
        }
    }
    writeln!(out, "\nAttack paths from the internet")?;
    for line in render::text(&r.attack_paths).lines() {
        if line.is_empty() {
            writeln!(out)?;
        } else {
            writeln!(out, "  {}", clean(line))?;
        }
    }
    writeln!(out)
}

/// Markdown-inert text: no HTML, links, emphasis or mentions from scanned input.
fn md(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '@' | '!' | '~'
        ) {
            out.push('\\');
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    out
}

fn group_markdown(r: &GroupReport, out: &mut String) -> std::fmt::Result {
    writeln!(
        out,
        "## Group {} ({})\n\n{}. {}.\n",
        md(&r.name),
        r.criticality,
        members(r.members.len()),
        counts(r)
    )?;
    writeln!(out, "<details><summary>Members</summary>\n")?;
    for m in &r.members {
        writeln!(out, "- {}", md(m))?;
    }
    writeln!(out, "\n</details>\n\n### Top risks\n")?;
    if r.posture.top_risks.is_empty() {
        writeln!(out, "No findings.")?;
    } else {
        writeln!(
            out,
            "| Score | Rule | Object | Why |\n| ---: | --- | --- | --- |"
        )?;
        for t in &r.posture.top_risks {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                t.score,
                t.rule,
                md(&t.object),
                md(&t.why)
            )?;
        }
    }
    writeln!(
        out,
        "\n### Compliance\n\n| Framework | Fail | Pass | Coverage |\n| --- | ---: | ---: | --- |"
    )?;
    for c in &r.compliance {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            md(&c.framework),
            c.fail,
            c.pass,
            md(&c.coverage)
        )?;
    }
    writeln!(out, "\n### Access\n\n| Request | Who |\n| --- | --- |")?;
    for a in &r.access {
        let who: Vec<String> = a.subjects.iter().map(|s| md(s)).collect();
        writeln!(
            out,
            "| {} | {} |",
            md(&a.request),
            if who.is_empty() {
                "nobody".into()
            } else {
                who.join("<br>")
            }
        )?;
    }
    writeln!(
        out,
        "\n### Exposure\n\n| Workload | Internet | Other namespaces | Any pod | Reachable from workloads in |\n| --- | --- | --- | --- | --- |"
    )?;
    for row in &r.exposure {
        let x = &row.exposure;
        writeln!(
            out,
            "| {} {}/{} | {} | {} | {} | {} |",
            x.endpoint.kind,
            md(&x.endpoint.namespace),
            md(&x.endpoint.name),
            yes(x.from_internet),
            yes(x.from_other_namespaces),
            yes(x.from_any_pod),
            md(&row.from_namespaces.join(", "))
        )?;
    }
    writeln!(out, "\n### Attack paths from the internet\n")?;
    if r.attack_paths.paths.is_empty() {
        writeln!(out, "None found.")?;
    }
    for (i, p) in r.attack_paths.paths.iter().enumerate() {
        let steps: Vec<String> = p
            .steps
            .iter()
            .map(|s| format!("{} → {}", s.edge, md(&s.to.to_string())))
            .collect();
        writeln!(
            out,
            "{}. {} → {} (cost {})",
            i + 1,
            md(&p.start.to_string()),
            steps.join(" → "),
            p.cost
        )?;
    }
    for n in &r.attack_paths.notes {
        writeln!(out, "\n> {}", md(n))?;
    }
    writeln!(out)
}
