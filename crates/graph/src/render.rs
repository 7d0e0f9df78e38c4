//! Path reports as text, DOT, Mermaid and a self-contained HTML map (JSON is the report's
//! `Serialize`).

mod html;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::NodeKind;
use crate::paths::PathReport;

pub use html::{VENDORED_JS, html};

/// Plain text: each path as numbered steps with evidence, then the cuts and the notes.
pub fn text(report: &PathReport) -> String {
    let mut out = String::new();
    if report.paths.is_empty() {
        out.push_str("No attack path found.\n");
    }
    for (i, path) in report.paths.iter().enumerate() {
        let _ = writeln!(
            out,
            "Path {} (cost {}): from {}",
            i + 1,
            path.cost,
            path.start
        );
        for (j, step) in path.steps.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} --{}--> {}",
                j + 1,
                step.from,
                step.edge,
                step.to
            );
            let _ = write!(out, "     because {}", step.evidence.text);
            if let Some(o) = &step.evidence.object {
                let _ = write!(out, " [{o}]");
            }
            if let Some(r) = step.evidence.rule {
                let _ = write!(out, " (finding {r})");
            }
            out.push('\n');
            if !step.target_findings.is_empty() {
                let _ = writeln!(
                    out,
                    "     {} has findings: {}",
                    step.to,
                    step.target_findings.join(", ")
                );
            }
        }
        out.push('\n');
    }
    if !report.cuts.is_empty() {
        out.push_str("Fixes that cut the most paths:\n");
        for cut in &report.cuts {
            let _ = write!(
                out,
                "  cuts {} of {}: remove {} --{}--> {}: {}",
                cut.paths_cut,
                report.paths.len(),
                cut.from,
                cut.edge,
                cut.to,
                cut.evidence.text
            );
            if let Some(r) = cut.evidence.rule {
                let _ = write!(out, " (fix finding {r})");
            }
            out.push('\n');
        }
    }
    for note in &report.notes {
        let _ = writeln!(out, "Note: {note}");
    }
    out
}

/// Graphviz DOT of the union of the paths.
pub fn dot(report: &PathReport) -> String {
    let (ids, edges) = union(report);
    let mut out = String::from("digraph attack_paths {\n  rankdir=LR;\n");
    for (kind, id) in &ids {
        let _ = writeln!(out, "  n{id} [label=\"{}\"];", escape(&kind.to_string()));
    }
    for (a, b, label) in &edges {
        let _ = writeln!(out, "  n{a} -> n{b} [label=\"{}\"];", escape(label));
    }
    for note in &report.notes {
        let _ = writeln!(out, "  // {}", note.replace('\n', " "));
    }
    out.push_str("}\n");
    out
}

/// Mermaid flowchart of the union of the paths.
pub fn mermaid(report: &PathReport) -> String {
    let (ids, edges) = union(report);
    let mut out = String::from("flowchart LR\n");
    for note in &report.notes {
        let _ = writeln!(out, "  %% {}", note.replace('\n', " "));
    }
    for (kind, id) in &ids {
        let _ = writeln!(
            out,
            "  n{id}[\"{}\"]",
            kind.to_string().replace('"', "#quot;")
        );
    }
    for (a, b, label) in &edges {
        let _ = writeln!(out, "  n{a} -->|{label}| n{b}");
    }
    out
}

type Union = (BTreeMap<NodeKind, usize>, Vec<(usize, usize, String)>);

fn union(report: &PathReport) -> Union {
    let mut ids: BTreeMap<NodeKind, usize> = BTreeMap::new();
    let mut edges: Vec<(usize, usize, String)> = Vec::new();
    for path in &report.paths {
        for step in &path.steps {
            let next = ids.len();
            let a = *ids.entry(step.from.clone()).or_insert(next);
            let next = ids.len();
            let b = *ids.entry(step.to.clone()).or_insert(next);
            let e = (a, b, step.edge.name().to_owned());
            if !edges.contains(&e) {
                edges.push(e);
            }
        }
    }
    (ids, edges)
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
