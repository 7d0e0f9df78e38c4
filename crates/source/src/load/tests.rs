use std::fs;

use super::*;

fn tmp() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "kubeward-load-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[test]
fn walks_directories_sorted_and_filters_extensions() {
    let dir = tmp();
    fs::write(dir.join("b.yaml"), "kind: B\n").unwrap();
    fs::write(dir.join("a.yml"), "kind: A\n").unwrap();
    fs::write(dir.join("c.json"), "{\"kind\": \"C\"}").unwrap();
    fs::write(dir.join("notes.txt"), "kind: X\n").unwrap();
    fs::create_dir_all(dir.join(".git")).unwrap();
    fs::write(dir.join(".git/x.yaml"), "kind: G\n").unwrap();
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("sub/d.yaml"), "kind: D\n").unwrap();
    let loaded = load(std::slice::from_ref(&dir), &LoadOptions::default());
    let kinds: Vec<_> = loaded
        .documents
        .iter()
        .map(|d| d.root.get("kind").unwrap().as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["A", "B", "C", "D"]);
    assert!(loaded.problems.is_empty());
}

#[test]
fn exclude_globs() {
    let dir = tmp();
    fs::create_dir_all(dir.join("vendor")).unwrap();
    fs::write(dir.join("vendor/x.yaml"), "kind: V\n").unwrap();
    fs::write(dir.join("keep.yaml"), "kind: K\n").unwrap();
    fs::write(dir.join("skip-test.yaml"), "kind: S\n").unwrap();
    let options = LoadOptions {
        exclude: vec!["vendor".into(), "*-test.yaml".into()],
        ..Default::default()
    };
    let loaded = load(&[dir], &options);
    assert_eq!(loaded.documents.len(), 1);
}

#[test]
fn oversized_binary_and_invalid_utf8_files_are_problems_not_crashes() {
    let dir = tmp();
    fs::write(dir.join("big.yaml"), "a: b\n".repeat(100)).unwrap();
    fs::write(dir.join("bin.yaml"), b"kind: \0\x01\x02").unwrap();
    fs::write(dir.join("latin1.yaml"), b"a: 1\nname: caf\xe9\n").unwrap();
    fs::write(dir.join("ok.yaml"), "kind: Ok\n").unwrap();
    let options = LoadOptions {
        limits: Limits {
            max_file_size: 200,
            ..Default::default()
        },
        ..Default::default()
    };
    let loaded = load(&[dir], &options);
    assert_eq!(loaded.documents.len(), 1);
    let kinds: Vec<_> = loaded.problems.iter().map(|p| &p.kind).collect();
    assert!(
        matches!(
            kinds[0],
            LoadProblemKind::TooLarge {
                size: 500,
                limit: 200
            }
        ),
        "{kinds:?}"
    );
    assert!(matches!(kinds[1], LoadProblemKind::Binary));
    assert!(matches!(kinds[2], LoadProblemKind::NotUtf8 { offset: 14 }));
    assert_eq!(loaded.problems[2].span, Some(Span::point(2, 9)));
}

#[test]
fn missing_paths_are_reported() {
    let loaded = load(
        &[PathBuf::from("/nonexistent/kubeward")],
        &LoadOptions::default(),
    );
    assert_eq!(loaded.problems.len(), 1);
    assert!(matches!(loaded.problems[0].kind, LoadProblemKind::Io(_)));
}

#[test]
fn charts_without_helm_are_reported_never_skipped() {
    let dir = tmp();
    fs::create_dir_all(dir.join("chart/templates")).unwrap();
    fs::write(dir.join("chart/Chart.yaml"), "name: x\nversion: 0.1.0\n").unwrap();
    fs::write(
        dir.join("chart/templates/d.yaml"),
        "kind: {{ .Values.kind }}\n",
    )
    .unwrap();
    let options = LoadOptions {
        helm: Some(PathBuf::from("/nonexistent/helm")),
        ..Default::default()
    };
    let loaded = load(std::slice::from_ref(&dir), &options);
    assert!(loaded.documents.is_empty(), "templates are not parsed raw");
    assert_eq!(loaded.problems.len(), 1);
    assert!(matches!(
        loaded.problems[0].kind,
        LoadProblemKind::RenderFailed { .. }
    ));
}

#[test]
fn helm_source_comments_give_template_provenance() {
    let text = "---\n# Source: app/templates/sa.yaml\nkind: ServiceAccount\n---\n# Source: app/templates/deploy.yaml\nkind: Deployment\n";
    let r = parse_text(
        "chart".into(),
        None,
        Origin::Helm {
            chart: PathBuf::from("app"),
        },
        text.into(),
        &Limits::default(),
    );
    let templates: Vec<_> = r.documents.iter().map(|d| d.2.clone().unwrap()).collect();
    assert_eq!(
        templates,
        ["app/templates/sa.yaml", "app/templates/deploy.yaml"]
    );
}
