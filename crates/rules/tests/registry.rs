//! Meta-tests over the registry: IDs, names, docs and references follow the conventions.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use kubeward_rules::registry::{Area, RULES};

#[test]
fn ids_and_names_are_unique_and_well_formed() {
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for r in RULES {
        let m = r.meta;
        assert!(ids.insert(m.id), "duplicate ID {}", m.id);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        let digits = m.id.trim_start_matches(|c: char| c.is_ascii_uppercase());
        assert!(
            digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit()),
            "{}: ID must be <AREA><NNN>",
            m.id
        );
        assert!(Area::of_id(m.id).is_some(), "{}: unknown area", m.id);
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !m.name.starts_with('-')
                && !m.name.ends_with('-'),
            "{}: name `{}` is not kebab-case",
            m.id,
            m.name
        );
        assert!(
            !m.title.is_empty() && !m.title.ends_with('.'),
            "{}: title",
            m.id
        );
    }
}

#[test]
fn every_rule_is_documented() {
    for r in RULES {
        for heading in [
            "What it does",
            "Why is this bad?",
            "Example",
            "Use instead",
            "Fix safety",
            "References",
        ] {
            let section = r.meta.section(heading);
            assert!(
                section.as_deref().is_some_and(|s| s.len() > 10),
                "{} lacks a `## {heading}` section",
                r.meta.id
            );
        }
    }
}

#[test]
fn framework_references_and_aliases_use_known_names() {
    const FRAMEWORKS: [&str; 4] = ["cis", "nsa", "pss", "owasp"];
    const TOOLS: [&str; 5] = ["kubescape", "trivy", "checkov", "polaris", "kube-linter"];
    for r in RULES {
        for f in r.meta.frameworks {
            let (fw, control) = f.split_once(':').unwrap_or((f, ""));
            assert!(
                FRAMEWORKS.contains(&fw) && !control.is_empty(),
                "{}: framework ref `{f}`",
                r.meta.id
            );
        }
        for (tool, id) in r.meta.aliases {
            assert!(
                TOOLS.contains(tool) && !id.is_empty(),
                "{}: alias {tool}:{id}",
                r.meta.id
            );
        }
        if !r.meta.id.starts_with("KW") {
            assert!(
                !r.meta.frameworks.is_empty(),
                "{}: no framework reference",
                r.meta.id
            );
        }
    }
}
