//! Turns input problems (unparseable, too large, unrendered) into `KW` findings, so that nothing the
//! scanner could not read passes silently.

use kubeward_diagnostics::{Finding, Location, Span};
use kubeward_model::NotAnObject;
use kubeward_source::{LoadProblem, LoadProblemKind, ParseProblemKind};

use crate::suppress::engine_finding;

/// The KW rule for a load problem.
fn rule_for(kind: &LoadProblemKind) -> &'static str {
    match kind {
        LoadProblemKind::Parse(ParseProblemKind::DuplicateKey { .. }) => "KW004",
        LoadProblemKind::Parse(
            ParseProblemKind::AliasBudget { .. } | ParseProblemKind::TooDeep { .. },
        ) => "KW002",
        LoadProblemKind::Parse(_) => "KW001",
        LoadProblemKind::TooLarge { .. } => "KW002",
        LoadProblemKind::NotUtf8 { .. } | LoadProblemKind::Binary | LoadProblemKind::Io(_) => {
            "KW003"
        }
        LoadProblemKind::RendererMissing { .. } | LoadProblemKind::RenderFailed { .. } => "KW005",
    }
}

/// One finding per load problem; with `verbose`, one per skipped non-object document too.
pub fn findings(problems: &[LoadProblem], skipped: &[NotAnObject], verbose: bool) -> Vec<Finding> {
    let mut out: Vec<Finding> = problems
        .iter()
        .map(|p| {
            let mut message = p.kind.to_string();
            if let Some(doc) = p.document {
                message = format!("{message} (document {})", doc + 1);
            }
            let location = p.source.map(|source| Location {
                source,
                span: p.span.unwrap_or(Span::point(1, 0)),
            });
            engine_finding(rule_for(&p.kind), message, location, None)
        })
        .collect();
    if verbose {
        out.extend(skipped.iter().map(|s| {
            engine_finding(
                "KW006",
                format!(
                    "document {} is not a Kubernetes object ({}); skipped",
                    s.document + 1,
                    s.reason
                ),
                Some(Location {
                    source: s.source,
                    span: s.span,
                }),
                None,
            )
        }));
    }
    out
}

/// Whether any problem means part of the input was not scanned (exit code 2).
pub fn is_incomplete(problems: &[LoadProblem]) -> bool {
    problems.iter().any(|p| p.kind.is_incomplete())
}
