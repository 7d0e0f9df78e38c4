//! `CHECKS.md` is generated from the catalog; this test fails when it is stale.
//! Regenerate with `KUBEWARD_BLESS=1 cargo test -p kubeward-host --test catalog_doc`.

#![allow(clippy::unwrap_used)]

use std::fmt::Write;

use kubeward_host::catalog;

fn render() -> String {
    let mut out = String::from(
        "# kubeward-host checks\n\n<!-- Generated from the catalog by tests/catalog_doc.rs; do not edit. -->\n\n\
         CIS numbers are those of the generic benchmark (`cis-1.12`); reports also carry the numbers of the\n\
         benchmark variant chosen for the node (`benchmark_ids`).\n\n\
         | ID | CIS | name | severity | title |\n|---|---|---|---|---|\n",
    );
    for c in catalog() {
        let cis = if c.cis.is_empty() {
            "-".to_string()
        } else {
            c.cis.join(", ")
        };
        writeln!(
            out,
            "| {} | {cis} | `{}` | {:?} | {} |",
            c.id, c.name, c.severity, c.title
        )
        .unwrap();
    }
    out
}

#[test]
fn checks_md_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("CHECKS.md");
    let want = render();
    if std::env::var_os("KUBEWARD_BLESS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "CHECKS.md is stale: run KUBEWARD_BLESS=1 cargo test -p kubeward-host --test catalog_doc"
    );
}
