//! Times the pipeline stages on a directory:
//! `cargo run --release -p kubeward-rules --example timing -- DIR [--per-rule] [--rbac]`.
//! With `--per-rule`, also runs each default rule alone over the same inventory and prints the slowest
//! (rules sharing a per-scan analysis, such as the RBAC rules, each pay for it when run alone); with
//! `--rbac`, the stages of the RBAC analysis.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use kubeward_model::{Inventory, objects_from_documents};
use kubeward_rules::registry::RULES;
use kubeward_rules::{Engine, Selection, Settings};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let per_rule = args.iter().any(|a| a == "--per-rule");
    let paths: Vec<PathBuf> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let t = Instant::now();
    let loaded = kubeward_source::load(&paths, &kubeward_source::LoadOptions::default());
    let load = t.elapsed();
    let docs = loaded.documents.len();
    let problems = loaded.problems.len();
    let t2 = Instant::now();
    let (objects, _) = objects_from_documents(loaded.documents);
    let inventory = Inventory::new(objects);
    let model = t2.elapsed();
    let settings = Settings::default();
    let t3 = Instant::now();
    let result = Engine::new(&settings).run(&inventory, Vec::new());
    let engine = t3.elapsed();
    println!(
        "documents {docs}, objects {}, load problems {problems}, findings {}, load {load:?}, model {model:?}, engine {engine:?}, total {:?}",
        result.objects,
        result.findings.len(),
        t.elapsed()
    );
    if per_rule {
        let mut times: Vec<(Duration, &str)> = RULES
            .iter()
            .filter(|r| settings.selection.is_enabled(r.meta))
            .filter_map(|r| {
                let selection =
                    Selection::resolve(&[r.meta.id.to_string()], &[], &settings.options).ok()?;
                let one = Settings {
                    selection,
                    ..Settings::default()
                };
                let t = Instant::now();
                let _ = Engine::new(&one).run(&inventory, Vec::new());
                Some((t.elapsed(), r.meta.id))
            })
            .collect();
        times.sort_by(|a, b| b.cmp(a));
        for (time, id) in times.iter().take(30) {
            println!("{id:8} {time:?}");
        }
    }
    if args.iter().any(|a| a == "--rbac") {
        let t = Instant::now();
        let input = kubeward_rules::rbac_input(&inventory).input;
        let convert = t.elapsed();
        let t = Instant::now();
        let index = kubeward_rbac::RbacIndex::build(&input);
        let build = t.elapsed();
        let t = Instant::now();
        let grants = index.risky_grants(&kubeward_rbac::RiskOptions::default());
        let risky = t.elapsed();
        println!(
            "rbac: convert {convert:?}, index {build:?}, risky grants {risky:?} ({} grants)",
            grants.len()
        );
    }
    // Freeing the trees is not part of any measurement.
    std::mem::forget(inventory);
}
