//! On a generated cluster that uses every policy feature, the matrix's bit-test answer agrees with
//! the explained per-pair answer on every pair, with and without a port.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kubeward_model::{Inventory, objects_from_documents};
use kubeward_netpol::{Engine, Target};
use kubeward_source::{Limits, load_text};

#[test]
fn matrix_agrees_with_verdicts_on_a_generated_cluster() {
    let text = common::synthetic::corpus(160, 240);
    let loaded = load_text("synthetic.yaml", text, &Limits::default());
    let engine = Engine::build(&Inventory::new(objects_from_documents(loaded.documents).0));
    assert_eq!(
        (engine.endpoints().len(), engine.policies().count()),
        (160, 240)
    );
    assert!(engine.warnings.is_empty(), "{:?}", engine.warnings);
    let matrix = engine.matrix(None);
    let mut allowed = 0;
    for (s, row) in matrix.iter().enumerate() {
        for (d, cell) in row.iter().enumerate() {
            let v = engine.verdict(Target::Endpoint(s), Target::Endpoint(d), None);
            assert_eq!(
                *cell,
                v.allowed,
                "{} -> {}",
                engine.endpoint_name(s),
                engine.endpoint_name(d)
            );
            allowed += usize::from(*cell);
            let http = engine.allows(s, d, Some("8080/TCP".parse().unwrap()));
            assert!(!http || *cell, "a port allowed means some port allowed");
        }
    }
    // Neither everything nor nothing: the corpus exercises both outcomes.
    assert!(allowed > 100 && allowed < 160 * 160 / 2, "{allowed}");
}
