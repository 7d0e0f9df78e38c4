#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Incremental evaluation (watch mode) gives exactly the findings of a full scan of the same
//! inventory, while checking only what changed.

use std::path::Path;

use kubeward_model::{Inventory, objects_from_documents};
use kubeward_rules::date::Date;
use kubeward_rules::{Engine, Incremental, Settings};
use kubeward_source::{Limits, Origin, load_texts};

/// Every fixture of every rule, one text per file: objects of every kind the rules read.
fn fixture_texts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut texts = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        let rule = rule.unwrap().path();
        if rule
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("KW")
        {
            continue; // input problems, not objects
        }
        let mut files: Vec<_> = std::fs::read_dir(&rule)
            .unwrap()
            .map(|f| f.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            texts.push((file.display().to_string(), text));
        }
    }
    texts.sort();
    texts
}

fn inventory(texts: &[(String, String)]) -> Inventory {
    let loaded = load_texts(texts.to_vec(), &Origin::File, &Limits::default());
    Inventory::new(objects_from_documents(loaded.documents).0)
}

type Row = (String, String, String, String, String, String);

fn rows(findings: &[kubeward_diagnostics::Finding]) -> Vec<Row> {
    let mut rows: Vec<Row> = findings
        .iter()
        .map(|f| {
            (
                f.rule_id.to_string(),
                f.severity.as_str().to_string(),
                f.message.clone(),
                format!("{:?}", f.object),
                format!("{:?}", f.location),
                format!("{:?}", f.suppression),
            )
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn every_step_equals_a_full_scan() {
    let settings = Settings {
        today: Date::parse("2026-11-24").unwrap(),
        ..Settings::default()
    };
    let engine = Engine::new(&settings);
    let mut state = Incremental::default();
    let full = fixture_texts();
    assert!(full.len() > 100, "fixtures not found");

    // Every 7th file removed; a new first document in every 5th file (every object after it moves);
    // images changed in every 11th file; then back to the start.
    let removed: Vec<_> = full
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 7 != 3)
        .map(|(_, t)| t.clone())
        .collect();
    let shifted: Vec<_> = removed
        .iter()
        .enumerate()
        .map(|(i, (name, text))| {
            if i % 5 == 0 {
                let extra = format!(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shifted-{i}\n  namespace: default\n  annotations:\n    token: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789\ndata:\n  password: correct-horse-battery-staple\n---\n"
                );
                (name.clone(), extra + text)
            } else {
                (name.clone(), text.clone())
            }
        })
        .collect();
    let images: Vec<_> = shifted
        .iter()
        .enumerate()
        .map(|(i, (name, text))| {
            if i % 11 == 0 {
                (name.clone(), text.replace("image: ", "image: docker.io/"))
            } else {
                (name.clone(), text.clone())
            }
        })
        .collect();

    let mut checked = Vec::new();
    for (step, texts) in [&full, &removed, &shifted, &images, &full, &full]
        .into_iter()
        .enumerate()
    {
        let inventory = inventory(texts);
        let expected = engine.run(&inventory, Vec::new());
        let (got, reuse) = engine.run_incremental(&inventory, Vec::new(), &mut state);
        let (got, expected) = (rows(&got.findings), rows(&expected.findings));
        let extra: Vec<_> = got.iter().filter(|r| !expected.contains(r)).collect();
        let missing: Vec<_> = expected.iter().filter(|r| !got.contains(r)).collect();
        assert!(
            got == expected,
            "step {step}: incremental findings differ from a full scan\nextra: {extra:#?}\nmissing: {missing:#?}"
        );
        assert_eq!(reuse.objects_checked + reuse.objects_kept, inventory.len());
        checked.push((reuse.objects_checked, reuse.cross_rules_run));
    }
    let total = inventory(&full).len();
    // The first evaluation checks everything; an unchanged inventory checks no object; the changed
    // steps check only part of it. (The fixtures repeat object names across files, so cross-object
    // rules run every time here; the next test covers keeping them.)
    assert_eq!(checked[0].0, total);
    assert_eq!(
        checked[5].0, 0,
        "unchanged inventory re-evaluated: {checked:?}"
    );
    for (step, (objects, _)) in checked.iter().enumerate().take(5).skip(1) {
        assert!(
            *objects < total / 2,
            "step {step} re-checked {objects} of {total} objects"
        );
    }
}

#[test]
fn a_change_to_an_unread_kind_keeps_cross_object_findings() {
    let settings = Settings {
        today: Date::parse("2026-11-24").unwrap(),
        ..Settings::default()
    };
    let engine = Engine::new(&settings);
    let mut state = Incremental::default();
    let base = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: everyone-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\nsubjects:\n- {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb, namespace: shop}\nspec: {minAvailable: 1}\n";
    let first = vec![("a.yaml".to_string(), base.to_string())];
    let (_, reuse) = engine.run_incremental(&inventory(&first), Vec::new(), &mut state);
    assert!(reuse.cross_rules_run > 10);
    // An HorizontalPodAutoscaler is read by no cross-object rule except those that read any kind.
    let second = vec![(
        "a.yaml".to_string(),
        format!(
            "{base}---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {{name: hpa, namespace: shop}}\n"
        ),
    )];
    let inventory = inventory(&second);
    let (got, reuse) = engine.run_incremental(&inventory, Vec::new(), &mut state);
    assert_eq!(reuse.objects_checked, 1);
    assert!(
        reuse.cross_rules_kept > reuse.cross_rules_run,
        "cross-object rules re-run for an unread kind: {reuse:?}"
    );
    assert_eq!(
        rows(&got.findings),
        rows(&engine.run(&inventory, Vec::new()).findings)
    );
    // Nothing changed: nothing runs, and the findings are the same.
    let (again, reuse) = engine.run_incremental(&inventory, Vec::new(), &mut state);
    assert_eq!((reuse.objects_checked, reuse.cross_rules_run), (0, 0));
    assert_eq!(rows(&again.findings), rows(&got.findings));
    assert!(
        again
            .findings
            .iter()
            .any(|f| f.rule_id.starts_with("RBAC") && f.location.is_some()),
        "kept cross-object findings keep their locations"
    );
}
