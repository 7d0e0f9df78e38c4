//! Generated documentation: `docs/rules/*.md` from the rule registry and `docs/config.schema.json` from
//! the configuration types. `cargo dev docs` writes them; `cargo dev docs --check` (and this crate's
//! test) fails when a checked-in file differs from what the code generates.

use std::path::{Path, PathBuf};

use kubeward_rules::registry::RULES;

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
    if let Ok(entries) = std::fs::read_dir(root.join("docs/rules")) {
        for e in entries.flatten() {
            let rel = PathBuf::from("docs/rules").join(e.file_name());
            if !files.iter().any(|(p, _)| *p == rel) {
                stale.push(rel);
            }
        }
    }
    stale
}

/// Writes every generated file and removes rule pages of rules that no longer exist.
pub fn write_all(root: &Path) -> std::io::Result<()> {
    let files = generated_files();
    std::fs::create_dir_all(root.join("docs/rules"))?;
    for e in std::fs::read_dir(root.join("docs/rules"))?.flatten() {
        let rel = PathBuf::from("docs/rules").join(e.file_name());
        if !files.iter().any(|(p, _)| *p == rel) {
            std::fs::remove_file(e.path())?;
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
    fn generated_docs_are_current() {
        let stale = super::stale_files(&super::repo_root());
        assert!(stale.is_empty(), "run `cargo dev docs`; stale: {stale:?}");
    }
}
