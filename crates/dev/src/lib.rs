//! Generated documentation: `docs/rules/*.md` from the rule registry, `docs/audit/*.md` from the
//! audit-log detectors, `docs/frameworks/*.md` from the framework data and the rules' references,
//! and `docs/config.schema.json` from the configuration types. `cargo dev docs` writes them; `cargo dev docs --check` (and this crate's
//! test) fails when a checked-in file differs from what the code generates.

use std::path::{Path, PathBuf};

use kubeward_rules::registry::RULES;

mod audit;
mod frameworks;

/// Directories whose every file is generated: files there that the code no longer produces are stale.
const GENERATED_DIRS: [&str; 3] = ["docs/rules", "docs/audit", "docs/frameworks"];

/// Every generated file: path relative to the repository root, and its content.
pub fn generated_files() -> Vec<(PathBuf, String)> {
    let mut files = vec![(
        PathBuf::from("docs/rules/README.md"),
        kubeward_rules::docs::index(),
    )];
    for r in RULES {
        files.push((
            PathBuf::from(format!("docs/rules/{}.md", r.meta.id)),
            kubeward_rules::docs::rule_page(r.meta),
        ));
    }
    files.push((
        PathBuf::from("docs/audit/README.md"),
        audit::index(kubeward_audit::detectors()),
    ));
    for d in kubeward_audit::detectors() {
        files.push((
            PathBuf::from(format!("docs/audit/{}.md", d.id)),
            audit::page(d),
        ));
    }
    // A broken data file fails this crate's test and the docs check, not silently here.
    let all = kubeward_frameworks::frameworks().unwrap_or_default();
    files.push((
        PathBuf::from("docs/frameworks/README.md"),
        frameworks::index(&all),
    ));
    for f in &all {
        files.push((
            PathBuf::from(format!("docs/frameworks/{}.md", frameworks::page_name(f))),
            frameworks::page(f),
        ));
    }
    let schema =
        serde_json::to_string_pretty(&kubeward_rules::config::json_schema()).unwrap_or_default();
    files.push((
        PathBuf::from("docs/config.schema.json"),
        format!("{schema}\n"),
    ));
    files
}

/// Files under `root` that are stale, missing, or generated-looking but no longer produced.
pub fn stale_files(root: &Path) -> Vec<PathBuf> {
    let files = generated_files();
    let mut stale: Vec<PathBuf> = files
        .iter()
        .filter(|(path, content)| {
            std::fs::read_to_string(root.join(path)).ok().as_deref() != Some(content.as_str())
        })
        .map(|(path, _)| path.clone())
        .collect();
    for dir in GENERATED_DIRS {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            for e in entries.flatten() {
                let rel = PathBuf::from(dir).join(e.file_name());
                if !files.iter().any(|(p, _)| *p == rel) {
                    stale.push(rel);
                }
            }
        }
    }
    stale
}

/// Writes every generated file and removes pages the code no longer produces (rules or frameworks
/// that no longer exist).
pub fn write_all(root: &Path) -> std::io::Result<()> {
    let files = generated_files();
    for dir in GENERATED_DIRS {
        std::fs::create_dir_all(root.join(dir))?;
        for e in std::fs::read_dir(root.join(dir))?.flatten() {
            let rel = PathBuf::from(dir).join(e.file_name());
            if !files.iter().any(|(p, _)| *p == rel) {
                std::fs::remove_file(e.path())?;
            }
        }
    }
    for (path, content) in files {
        std::fs::write(root.join(path), content)?;
    }
    Ok(())
}

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[cfg(test)]
mod tests {
    #[test]
    fn framework_data_loads() {
        assert!(kubeward_frameworks::frameworks().is_ok());
    }

    #[test]
    fn generated_docs_are_current() {
        let stale = super::stale_files(&super::repo_root());
        assert!(stale.is_empty(), "run `cargo dev docs`; stale: {stale:?}");
    }
}
