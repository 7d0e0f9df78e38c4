//! One RBAC analysis per scan, shared by every RBAC rule.
//!
//! The engine calls each inventory rule on its own thread with the same `Inventory`. Building the
//! RBAC index, the risky grants and the escalation graph takes tens to hundreds of milliseconds on a
//! large cluster, so the first rule computes them and the others wait for that result instead of
//! repeating it, through the engine's per-scan shared store.

use std::sync::Arc;

use super::input::rbac_input;
use crate::context::Context;
use crate::settings::Settings;
use kubeward_model::Inventory;
use kubeward_rbac::{EscalationPath, RbacIndex, RiskKind, RiskOptions, RiskyGrant};

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

/// The analysis of `inventory`, computed by the first RBAC rule of the scan that asks; the others
/// wait for it and share the result (see [`crate::context::Shared`]).
pub(crate) fn analysis(ctx: &Context<'_>, inventory: &Inventory) -> Arc<Analysis> {
    let needs = Needs::of(ctx.settings);
    ctx.shared
        .get_or_init(|| Analysis::compute(inventory, needs))
}
