//! Plain-text tables (no colours) for the query results, written to any `fmt::Write`.

use std::fmt::{self, Write};

use crate::escalation::EscalationPath;
use crate::grant::{GrantInfo, subject_label};
use crate::input::PolicyRule;
use crate::query::{Decision, EffectivePermissions, WhoCan};
use crate::risk::RiskyGrant;

/// Left-aligned columns separated by two spaces, sized to their widest cell.
fn table(out: &mut impl Write, header: &[&str], rows: &[Vec<String>]) -> fmt::Result {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: &mut dyn Iterator<Item = &str>| -> fmt::Result {
        let mut text = String::new();
        for (i, (cell, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let _ = write!(text, "{cell:<w$}");
        }
        writeln!(out, "{}", text.trim_end())
    };
    line(out, &mut header.iter().copied())?;
    for row in rows {
        line(out, &mut row.iter().map(String::as_str))?;
    }
    Ok(())
}

fn list(xs: &[String]) -> String {
    if xs.is_empty() {
        "-".to_owned()
    } else {
        xs.join(",")
    }
}

fn groups(rule: &PolicyRule) -> String {
    if rule.api_groups.is_empty() {
        return "-".to_owned();
    }
    rule.api_groups
        .iter()
        .map(|g| if g.is_empty() { "core" } else { g })
        .collect::<Vec<_>>()
        .join(",")
}

fn role_rule(grant: &GrantInfo) -> String {
    match &grant.aggregated_from {
        Some(src) => format!("{} #{} (from {src})", grant.role, grant.rule_index),
        None => format!("{} #{}", grant.role, grant.rule_index),
    }
}

/// SUBJECT, SCOPE, BINDING, ROLE #RULE: one row per granting rule.
pub fn who_can(result: &WhoCan, out: &mut impl Write) -> fmt::Result {
    let mut rows = Vec::new();
    for entry in &result.subjects {
        for grant in &entry.grants {
            rows.push(vec![
                subject_label(&entry.subject),
                grant.scope.to_string(),
                grant.binding.to_string(),
                role_rule(grant),
            ]);
        }
    }
    if rows.is_empty() {
        return writeln!(out, "No subject is allowed.");
    }
    table(out, &["SUBJECT", "SCOPE", "BINDING", "ROLE #RULE"], &rows)
}

/// `yes`/`no`, then the grants that allow the request.
pub fn decision(result: &Decision, out: &mut impl Write) -> fmt::Result {
    writeln!(out, "{}", if result.allowed { "yes" } else { "no" })?;
    if result.system_masters {
        writeln!(out, "allowed without RBAC: member of system:masters")?;
    }
    if result.reasons.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<String>> = result
        .reasons
        .iter()
        .map(|r| {
            vec![
                subject_label(&r.via),
                r.grant.scope.to_string(),
                r.grant.binding.to_string(),
                role_rule(&r.grant),
            ]
        })
        .collect();
    table(out, &["VIA", "SCOPE", "BINDING", "ROLE #RULE"], &rows)
}

/// The effective rules table of one user.
pub fn permissions(result: &EffectivePermissions, out: &mut impl Write) -> fmt::Result {
    if result.system_masters {
        writeln!(out, "member of system:masters: every request is allowed")?;
    }
    let rows: Vec<Vec<String>> = result
        .rules
        .iter()
        .map(|r| {
            let rule = &r.grant.rule;
            let target = if rule.non_resource_urls.is_empty() {
                format!("{} {}", groups(rule), list(&rule.resources))
            } else {
                format!("urls {}", list(&rule.non_resource_urls))
            };
            vec![
                r.grant.scope.to_string(),
                target,
                list(&rule.verbs),
                list(&rule.resource_names),
                subject_label(&r.via),
                r.grant.binding.to_string(),
                role_rule(&r.grant),
            ]
        })
        .collect();
    if rows.is_empty() {
        return writeln!(out, "No permissions.");
    }
    table(
        out,
        &[
            "SCOPE",
            "GROUPS RESOURCES",
            "VERBS",
            "NAMES",
            "VIA",
            "BINDING",
            "ROLE #RULE",
        ],
        &rows,
    )
}

/// One row per risky grant, then nothing else: explanations are in the JSON form.
pub fn risky_grants(grants: &[RiskyGrant], out: &mut impl Write) -> fmt::Result {
    let opt = |x: Option<String>| x.unwrap_or_else(|| "-".to_owned());
    let rows: Vec<Vec<String>> = grants
        .iter()
        .map(|g| {
            vec![
                g.kind.name().to_owned(),
                format!("{:?}", g.kind.suggested_severity()).to_lowercase(),
                opt(g.subject.as_ref().map(subject_label)),
                opt(g.scope.as_ref().map(ToString::to_string)),
                opt(g.binding.as_ref().map(ToString::to_string)),
                match (&g.role, g.rule_index) {
                    (Some(role), Some(i)) => format!("{role} #{i}"),
                    (Some(role), None) => role.to_string(),
                    _ => "-".to_owned(),
                },
            ]
        })
        .collect();
    if rows.is_empty() {
        return writeln!(out, "No risky grants.");
    }
    table(
        out,
        &[
            "KIND",
            "SEVERITY",
            "SUBJECT",
            "SCOPE",
            "BINDING",
            "ROLE #RULE",
        ],
        &rows,
    )
}

/// Each path as a numbered list of steps with the grants behind them.
pub fn escalations(paths: &[EscalationPath], out: &mut impl Write) -> fmt::Result {
    if paths.is_empty() {
        return writeln!(out, "No escalation path to cluster admin.");
    }
    for path in paths {
        let moves = path
            .steps
            .iter()
            .filter(|s| {
                s.kind != crate::escalation::StepKind::HoldsClusterAdmin
                    && s.kind != crate::escalation::StepKind::SystemMastersMember
            })
            .count();
        writeln!(out, "{} -> cluster admin in {moves} step(s)", path.subject)?;
        for (i, step) in path.steps.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, step.explanation)?;
            for grant in &step.grants {
                writeln!(out, "     via {} ({})", grant, grant.scope)?;
            }
        }
    }
    Ok(())
}
