//! Prints a deterministic synthetic RBAC corpus as multi-document YAML.
//!
//! `cargo run -p kubeward-rbac --example gen_rbac -- [N] [SEED] > corpus.yaml`
//! (N roles and N bindings, default 1000; seed default 42).

#[path = "support/generator.rs"]
mod generator;

use std::fmt::Write as _;
use std::io::Write as _;

fn list(xs: &[String]) -> String {
    let quoted: Vec<String> = xs.iter().map(|x| format!("{x:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let n = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let input = generator::generate(n, seed);
    let mut out = String::new();
    for ns in &input.namespaces {
        let _ = writeln!(
            out,
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}",
            ns.name
        );
        if !ns.labels.is_empty() {
            let _ = writeln!(out, "  labels:");
            for (k, v) in &ns.labels {
                let _ = writeln!(out, "    {k}: {v:?}");
            }
        }
    }
    for sa in &input.service_accounts {
        let _ = writeln!(
            out,
            "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {{ name: {}, namespace: {} }}",
            sa.name, sa.namespace
        );
        if let Some(a) = sa.automount_token {
            let _ = writeln!(out, "automountServiceAccountToken: {a}");
        }
    }
    for pod in &input.pods {
        let _ = writeln!(
            out,
            "---\napiVersion: v1\nkind: Pod\nmetadata: {{ name: {}, namespace: {} }}\nspec:\n  serviceAccountName: {}",
            pod.name, pod.namespace, pod.service_account
        );
        let _ = writeln!(
            out,
            "  containers:\n    - name: app\n      image: example/app:1\n      securityContext: {{ privileged: {} }}",
            pod.privileged
        );
        if pod.host_path {
            let _ = writeln!(
                out,
                "  volumes:\n    - name: host\n      hostPath: {{ path: / }}"
            );
        }
    }
    for s in &input.secrets {
        let _ = writeln!(
            out,
            "---\napiVersion: v1\nkind: Secret\ntype: {}\nmetadata:\n  name: {}\n  namespace: {}\n  annotations: {{ kubernetes.io/service-account.name: {} }}",
            s.type_,
            s.name,
            s.namespace,
            s.service_account.as_deref().unwrap_or("")
        );
    }
    for role in &input.roles {
        let kind = if role.namespace.is_some() {
            "Role"
        } else {
            "ClusterRole"
        };
        let _ = writeln!(
            out,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {}",
            role.name
        );
        if let Some(ns) = &role.namespace {
            let _ = writeln!(out, "  namespace: {ns}");
        }
        let _ = writeln!(out, "  labels:");
        for (k, v) in &role.labels {
            let _ = writeln!(out, "    {k}: {v:?}");
        }
        if let Some(selectors) = &role.aggregation_rule {
            let _ = writeln!(out, "aggregationRule:\n  clusterRoleSelectors:");
            for s in selectors {
                let _ = writeln!(out, "    - matchLabels:");
                for (k, v) in &s.match_labels {
                    let _ = writeln!(out, "        {k}: {v:?}");
                }
            }
        }
        let _ = writeln!(
            out,
            "rules:{}",
            if role.rules.is_empty() { " []" } else { "" }
        );
        for r in &role.rules {
            let _ = writeln!(
                out,
                "  - apiGroups: {}\n    resources: {}\n    verbs: {}",
                list(&r.api_groups),
                list(&r.resources),
                list(&r.verbs)
            );
            if !r.resource_names.is_empty() {
                let _ = writeln!(out, "    resourceNames: {}", list(&r.resource_names));
            }
        }
    }
    for b in &input.bindings {
        let kind = if b.namespace.is_some() {
            "RoleBinding"
        } else {
            "ClusterRoleBinding"
        };
        let _ = writeln!(
            out,
            "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: {kind}\nmetadata:\n  name: {}",
            b.name
        );
        if let Some(ns) = &b.namespace {
            let _ = writeln!(out, "  namespace: {ns}");
        }
        let _ = writeln!(
            out,
            "roleRef: {{ apiGroup: rbac.authorization.k8s.io, kind: {:?}, name: {} }}\nsubjects:",
            b.role_ref.kind, b.role_ref.name
        );
        for s in &b.subjects {
            let ns = s
                .namespace
                .as_deref()
                .map(|n| format!(", namespace: {n}"))
                .unwrap_or_default();
            let _ = writeln!(out, "  - {{ kind: {:?}, name: {:?}{ns} }}", s.kind, s.name);
        }
    }
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(2),
    }
}
