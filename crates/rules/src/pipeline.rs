//! The whole path from loaded documents to findings, shared by every entry point.

use kubeward_model::{Inventory, objects_from_documents};
use kubeward_source::{Loaded, SourceMap};

use crate::engine::{Engine, ScanResult};
use crate::incremental::{Incremental, Reuse};
use crate::settings::Settings;

/// A finished scan: the sources (for snippets), the findings, and what could not be read.
#[derive(Debug)]
pub struct Scan {
    pub sources: SourceMap,
    pub result: ScanResult,
    /// Part of the input was not scanned (exit code 2).
    pub incomplete: bool,
    /// Documents that were not Kubernetes objects.
    pub skipped_documents: usize,
    pub inventory: Inventory,
}

/// Builds objects and the inventory from loaded documents and runs the engine.
pub fn scan_loaded(loaded: Loaded, settings: &Settings) -> Scan {
    scan_with(loaded, settings, |engine, inventory, input| {
        engine.run(inventory, input)
    })
}

/// [`scan_loaded`] for input that changes between calls (watch mode): only what changed since the
/// previous call with the same `state` is evaluated again; the findings are those of a full scan.
pub fn scan_loaded_incremental(
    loaded: Loaded,
    settings: &Settings,
    state: &mut Incremental,
) -> (Scan, Reuse) {
    let mut reuse = Reuse::default();
    let scan = scan_with(loaded, settings, |engine, inventory, input| {
        let (result, r) = engine.run_incremental(inventory, input, state);
        reuse = r;
        result
    });
    (scan, reuse)
}

fn scan_with(
    loaded: Loaded,
    settings: &Settings,
    run: impl FnOnce(&Engine<'_>, &Inventory, Vec<kubeward_diagnostics::Finding>) -> ScanResult,
) -> Scan {
    let Loaded {
        sources,
        documents,
        problems,
    } = loaded;
    let (objects, skipped) = objects_from_documents(documents);
    let inventory = Inventory::new(objects);
    let input = crate::input::findings(&problems, &skipped, settings.verbose);
    let result = run(&Engine::new(settings), &inventory, input);
    Scan {
        sources,
        result,
        incomplete: crate::input::is_incomplete(&problems),
        skipped_documents: skipped.len(),
        inventory,
    }
}
