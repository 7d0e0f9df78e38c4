//! One RBAC analysis per scan, shared by every RBAC rule.
//!
//! The engine calls each inventory rule on its own thread with the same `Inventory`. Building the
//! RBAC index, the risky grants and the escalation graph takes tens to hundreds of milliseconds on a
//! large cluster, so the first rule computes them and the others wait for that result instead of
//! repeating it. The cache is keyed by a fingerprint of the RBAC-relevant objects' content and
//! positions (not by the inventory's address, which a later scan may reuse), plus which parts the
//! selected rules need, and holds the last few analyses only.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use kubeward_model::Inventory;
use kubeward_rbac::{EscalationPath, RbacIndex, RiskKind, RiskOptions, RiskyGrant};
use kubeward_source::{Node, Value};

use super::input::{participation, rbac_input};
use crate::settings::Settings;

/// What the selected rules need computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Needs {
    grants: bool,
    escalations: bool,
}

impl Needs {
    fn of(settings: &Settings) -> Self {
        Needs {
            grants: super::GRANT_RULES
                .iter()
                .any(|(meta, _)| settings.selection.is_enabled(meta)),
            escalations: settings
                .selection
                .is_enabled(&super::privilege_escalation_path::RULE),
        }
    }
}

/// The analysis results the rules report from.
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    /// Every risky grant, sorted by kind.
    pub(crate) grants: Vec<RiskyGrant>,
    /// The shortest path to cluster admin of every principal that has one.
    pub(crate) escalations: Vec<EscalationPath>,
}

impl Analysis {
    fn compute(inventory: &Inventory, needs: Needs) -> Self {
        let input = rbac_input(inventory).input;
        let index = RbacIndex::build(&input);
        // Independent reads of the same index: on a large cluster each takes hundreds of
        // milliseconds, so the escalation search gets a thread of its own. A plain thread, not a
        // rayon job: while joining, a rayon worker may pick up another RBAC rule, which would then
        // wait on this very computation.
        let (grants, escalations) = std::thread::scope(|scope| {
            let escalations = scope.spawn(|| {
                if needs.escalations {
                    index.escalations(None)
                } else {
                    Vec::new()
                }
            });
            let grants = if needs.grants {
                index.risky_grants(&risk_options(inventory))
            } else {
                Vec::new()
            };
            // The search does not panic; if it ever did, its paths are simply missing.
            (grants, escalations.join().unwrap_or_default())
        });
        Analysis {
            grants,
            escalations,
        }
    }

    pub(crate) fn grants_of(&self, kind: RiskKind) -> impl Iterator<Item = &RiskyGrant> {
        self.grants.iter().filter(move |g| g.kind == kind)
    }
}

/// The engine's defaults, except that a binding to a service account missing from the scan is only
/// suspicious when the scan has service accounts at all: a folder of RBAC manifests alone would
/// otherwise flag every service-account subject.
fn risk_options(inventory: &Inventory) -> RiskOptions {
    RiskOptions {
        report_missing_service_accounts: inventory.of_kind("ServiceAccount").next().is_some(),
        ..RiskOptions::default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    fingerprint: u64,
    objects: usize,
    needs: Needs,
}

type Slot = Arc<OnceLock<Arc<Analysis>>>;

/// A handful of entries: one per scan in flight (the server may run several at once).
const CAPACITY: usize = 4;

static CACHE: Mutex<Vec<(Key, Slot)>> = Mutex::new(Vec::new());

/// The analysis of `inventory`, computed by the first RBAC rule of the scan that asks.
pub(crate) fn analysis(settings: &Settings, inventory: &Inventory) -> Arc<Analysis> {
    let key = Key {
        fingerprint: fingerprint(inventory),
        objects: inventory.len(),
        needs: Needs::of(settings),
    };
    let slot = {
        // A panic elsewhere while holding the lock leaves the list itself intact.
        let mut cache = CACHE.lock().unwrap_or_else(PoisonError::into_inner);
        match cache.iter().find(|(k, _)| *k == key) {
            Some((_, slot)) => Arc::clone(slot),
            None => {
                if cache.len() >= CAPACITY {
                    cache.remove(0);
                }
                let slot = Slot::default();
                cache.push((key, Arc::clone(&slot)));
                slot
            }
        }
    };
    Arc::clone(slot.get_or_init(|| Arc::new(Analysis::compute(inventory, key.needs))))
}

/// A hash of the position and content of every object the analysis reads. Spans are left out:
/// findings are located through the live inventory, so only what the analysis sees matters.
fn fingerprint(inventory: &Inventory) -> u64 {
    let mut hasher = DefaultHasher::new();
    for (index, object) in inventory.objects().iter().enumerate() {
        if participation(object).is_some() {
            index.hash(&mut hasher);
            hash_node(&object.root, &mut hasher);
        }
    }
    hasher.finish()
}

fn hash_node(node: &Node, hasher: &mut DefaultHasher) {
    match &node.value {
        Value::Null => 0u8.hash(hasher),
        Value::Bool(b) => (1u8, b).hash(hasher),
        Value::Int(i) => (2u8, i).hash(hasher),
        Value::Float(f) => (3u8, f.to_bits()).hash(hasher),
        Value::Str(s) => (4u8, s).hash(hasher),
        Value::Seq(items) => {
            (5u8, items.len()).hash(hasher);
            for item in items.iter() {
                hash_node(item, hasher);
            }
        }
        Value::Map(entries) => {
            (6u8, entries.len()).hash(hasher);
            for entry in entries.iter() {
                entry.key.hash(hasher);
                hash_node(&entry.value, hasher);
            }
        }
    }
}
