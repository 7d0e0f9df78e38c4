//! Renders the findings of a scan in every output format kubeward offers: text for terminals, a
//! versioned JSON document, SARIF 2.1.0 for code-scanning services, JUnit XML for CI test reports and
//! Markdown for pull-request comments.
//!
//! Reporters never judge (ripgrep's "printers never search"): they receive findings already selected,
//! suppressed and sorted, and print them in the order given. Two rules hold for every format: output is
//! deterministic (no timestamps, no hash-map order), and the source text under a
//! [`sensitive`](kubeward_diagnostics::Finding::sensitive) finding is never printed.

mod compliance;
mod format;
mod json;
mod junit;
mod markdown;
mod report;
mod sanitize;
mod sarif;
mod text;

pub use format::{Format, ParseFormatError};
pub use json::SCHEMA_ID as JSON_SCHEMA_ID;
pub use report::{
    NotEvaluated, Report, SeverityCounts, Summary, TemplateLookup, TextOptions, kubectl_get,
};

/// Writes `report` to `out` in `format`. `text` only affects [`Format::Text`].
pub fn render(
    format: Format,
    report: &Report,
    text: &TextOptions,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Text => text::render(report, text, out),
        Format::Json => json::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Junit => junit::render(report, out),
        Format::Markdown => markdown::render(report, out),
    }
}

/// The tool name every format reports.
pub(crate) const TOOL_NAME: &str = "kubeward";
/// The version of kubeward (the workspace shares one version).
pub(crate) const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
