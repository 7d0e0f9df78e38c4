//! Loads a multi-document YAML file and prints who-can, risky grants and escalation paths.
//!
//! `cargo run -p kubeward-rbac --example explain -- crates/rbac/fixtures/escalation.yaml`

use std::process::ExitCode;

use kubeward_rbac::{Object, RbacIndex, RbacInput, Request, RiskOptions, render};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: explain FILE.yaml");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let objects: Vec<Object> = match serde_saphyr::from_multiple(&text) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("cannot parse {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let input: RbacInput = objects.into_iter().collect();
    let index = RbacIndex::build(&input);
    let mut out = String::new();
    let request = Request::resource("get", "secrets")
        .in_namespace("kube-system")
        .named("x");
    let _ = render::who_can(&index.who_can(&request), &mut out);
    out.push('\n');
    let _ = render::risky_grants(&index.risky_grants(&RiskOptions::default()), &mut out);
    out.push('\n');
    let _ = render::escalations(&index.escalations(None), &mut out);
    print!("{out}");
    ExitCode::SUCCESS
}
