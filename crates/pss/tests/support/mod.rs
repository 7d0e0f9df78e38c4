//! Building pods from YAML and evaluating them.

#![allow(dead_code)]

use kubeward_model::{Object, objects_from_documents};
use kubeward_pss::{Evaluation, Level, Version, evaluate_object};
use kubeward_source::{Limits, load_text};

/// The securityContext fields a restricted container needs.
pub const RESTRICTED_SC: &str = "allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}";

pub fn objects(yaml: &str) -> Vec<Object> {
    let loaded = load_text("t.yaml", yaml.into(), &Limits::default());
    objects_from_documents(loaded.documents).0
}

/// A pod whose container `app` is restricted-compliant plus `sc` (later keys win), with `spec` fields
/// added to the pod spec and `annotations` on the pod.
pub fn pod_with(annotations: &str, spec: &str, sc: &str) -> String {
    let sc = if sc.is_empty() {
        RESTRICTED_SC.to_string()
    } else {
        format!("{RESTRICTED_SC}, {sc}")
    };
    let spec = if spec.is_empty() {
        String::new()
    } else {
        format!(", {spec}")
    };
    let annotations = if annotations.is_empty() {
        String::new()
    } else {
        format!(", annotations: {{{annotations}}}")
    };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p{annotations}}}\nspec: {{containers: [{{name: app, image: i, securityContext: {{{sc}}}}}]{spec}}}\n"
    )
}

pub fn pod(spec: &str, sc: &str) -> String {
    pod_with("", spec, sc)
}

/// A pod with exactly this spec (flow YAML mapping body).
pub fn raw_pod(spec: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec: {{{spec}}}\n")
}

pub fn eval(yaml: &str, level: &str, version: &str) -> Evaluation {
    let objs = objects(yaml);
    assert_eq!(objs.len(), 1, "one object expected in {yaml}");
    let level: Level = level.parse().unwrap();
    let version: Version = version.parse().unwrap();
    evaluate_object(&objs[0], level, version).expect("a pod-bearing object")
}

pub fn ids(yaml: &str, level: &str, version: &str) -> Vec<&'static str> {
    eval(yaml, level, version)
        .violations
        .iter()
        .map(|v| v.check)
        .collect()
}
