//! `docs/audit/*.md`: one page per audit-log detector of `kubeward audit`, and an index.

use std::fmt::Write as _;

use kubeward_audit::DetectorMeta;

/// The index: every detector with its severity, technique and title.
pub fn index<'a>(detectors: impl Iterator<Item = &'a DetectorMeta>) -> String {
    let mut out = String::from(
        "# Audit-log detectors\n\nGenerated from the detector sources by `cargo dev docs`; do not edit.\n\n\
         `kubeward audit FILE` (and `audit follow`, `audit serve`) reports API calls that match these\n\
         detectors; `audit.disable` in `.kubeward.yaml` turns some off (by ID or name). See `docs/audit-webhook.md` for\n\
         the API server side.\n\n\
         | ID | Name | Severity | MITRE ATT&CK | Title |\n|---|---|---|---|---|\n",
    );
    for d in detectors {
        let _ = writeln!(
            out,
            "| [{id}]({id}.md) | `{}` | {} | {} | {} |",
            d.name,
            d.severity,
            d.mitre.id,
            d.title,
            id = d.id
        );
    }
    out
}

/// One detector's page: its metadata and its documentation.
pub fn page(d: &DetectorMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} {}\n", d.id, d.name);
    let _ = writeln!(out, "**{}**\n", d.title);
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Severity | {} |", d.severity);
    let _ = writeln!(out, "| MITRE ATT&CK | {} {} |", d.mitre.id, d.mitre.name);
    if !d.frameworks.is_empty() {
        let _ = writeln!(out, "| Frameworks | {} |", d.frameworks.join(", "));
    }
    let docs: Vec<&str> = d
        .docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let _ = writeln!(out, "\n{}", docs.join("\n").trim());
    out
}
