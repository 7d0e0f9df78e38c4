//! Rule documentation pages, generated from the registry (`docs/rules/*.md`, `kubeward rules explain`).

use std::fmt::Write;

use crate::registry::{Area, RULES, RuleMeta};

/// One rule's page in Markdown.
pub fn rule_page(meta: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} {}\n", meta.id, meta.name);
    let _ = writeln!(out, "**{}**\n", meta.title);
    let _ = writeln!(out, "| | |\n|---|---|");
    let _ = writeln!(out, "| Severity | {} |", meta.severity);
    let _ = writeln!(out, "| Area | {} |", meta.area().map_or("?", Area::title));
    let _ = writeln!(
        out,
        "| Enabled by default | {} |",
        if meta.default_enabled {
            "yes"
        } else {
            "no (needs configuration)"
        }
    );
    let fix = match meta.fix {
        crate::registry::FixAvailability::None => "no",
        crate::registry::FixAvailability::Sometimes => "sometimes",
        crate::registry::FixAvailability::Always => "yes",
    };
    let _ = writeln!(out, "| Fix | {fix} |");
    if !meta.frameworks.is_empty() {
        let _ = writeln!(out, "| Frameworks | {} |", meta.frameworks.join(", "));
    }
    if !meta.aliases.is_empty() {
        let aliases: Vec<String> = meta
            .aliases
            .iter()
            .map(|(t, i)| format!("{t} `{i}`"))
            .collect();
        let _ = writeln!(out, "| Equivalent checks | {} |", aliases.join(", "));
    }
    let _ = writeln!(out, "\n{}", meta.documentation().trim());
    let _ = writeln!(
        out,
        "\n## Suppressing\n\nAnnotate the object: `ignore.kubeward.io/{}: \"[until=YYYY-MM-DD;] reason\"`, or add a\n`suppressions:` entry with `rule: {}` to `.kubeward.yaml`.",
        meta.id, meta.id
    );
    out
}

/// The index page listing every rule by area.
pub fn index() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule sources by `cargo dev docs`; do not edit.\n",
    );
    for area in Area::ALL {
        let rules: Vec<&RuleMeta> = RULES
            .iter()
            .map(|r| r.meta)
            .filter(|m| m.area() == Some(area))
            .collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {} — {}\n", area.prefix(), area.title());
        let _ = writeln!(out, "| ID | Name | Severity | Title |\n|---|---|---|---|");
        for m in rules {
            let _ = writeln!(
                out,
                "| [{}]({}.md) | `{}` | {} | {} |",
                m.id, m.id, m.name, m.severity, m.title
            );
        }
    }
    out
}
