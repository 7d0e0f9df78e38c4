//! One NetworkPolicy analysis per scan, shared by every NetworkPolicy rule.
//!
//! Compiling the policies (selected pods, peers of every rule) is the expensive part; the first rule
//! that asks builds the engine and the others reuse it through the engine's per-scan shared store,
//! as the RBAC rules share theirs.

use std::collections::BTreeMap;
use std::sync::Arc;

use kubeward_model::{Inventory, Object};
use kubeward_netpol::{Direction, Engine};

use crate::context::Context;

/// The engine over the scan's objects.
pub(crate) struct Analysis {
    pub(crate) engine: Engine,
}

pub(crate) fn analysis(ctx: &Context<'_>, inventory: &Inventory) -> Arc<Analysis> {
    ctx.shared.get_or_init(|| Analysis {
        engine: Engine::build(inventory),
    })
}

impl Analysis {
    /// The object of an endpoint, for locations.
    pub(crate) fn endpoint_object<'a>(
        &self,
        inventory: &'a Inventory,
        endpoint: usize,
    ) -> Option<&'a Object> {
        let e = self.engine.endpoints().get(endpoint)?;
        inventory.get(&e.kind, Some(&e.namespace), &e.name)
    }

    /// Endpoints by namespace, in endpoint order.
    pub(crate) fn by_namespace(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.engine.endpoints().iter().enumerate() {
            out.entry(e.namespace.as_str()).or_default().push(i);
        }
        out
    }

    /// Whether a CNI policy (Cilium, Calico) selects the endpoint: it is then protected by rules we
    /// do not evaluate, and the NetworkPolicy rules stay silent about it.
    pub(crate) fn cni_covered(&self, endpoint: usize) -> bool {
        !self.engine.cni_policies_of(endpoint).is_empty()
    }
}

/// The Namespace object when the scan has it, else the first workload of the namespace: where
/// namespace-level findings point.
pub(crate) fn namespace_target<'a>(
    inventory: &'a Inventory,
    analysis: &Analysis,
    namespace: &str,
    endpoints: &[usize],
) -> Option<&'a Object> {
    inventory.get("Namespace", None, namespace).or_else(|| {
        endpoints
            .first()
            .and_then(|&e| analysis.endpoint_object(inventory, e))
    })
}

/// Shared check of NET010 and NET011: namespaces running pods without a default-deny policy for
/// the direction.
pub(crate) fn check_default_deny(
    ctx: &mut Context<'_>,
    inventory: &Inventory,
    direction: Direction,
) {
    let analysis = analysis(ctx, inventory);
    let word = match direction {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    };
    for (namespace, endpoints) in analysis.by_namespace() {
        let engine = &analysis.engine;
        // Host-network pods are outside NetworkPolicy; a namespace of only those needs no policy.
        let pods: Vec<usize> = endpoints
            .iter()
            .copied()
            .filter(|&e| !engine.endpoints()[e].host_network)
            .collect();
        if pods.is_empty() || pods.iter().all(|&e| analysis.cni_covered(e)) {
            continue;
        }
        let has_default_deny = engine
            .policies()
            .any(|p| p.namespace == namespace && p.denies_by_default(direction));
        if has_default_deny {
            continue;
        }
        let Some(target) = namespace_target(inventory, &analysis, namespace, &pods) else {
            continue;
        };
        let open = pods
            .iter()
            .filter(|&&e| !engine.is_isolated(e, direction))
            .count();
        let message = if open == 0 {
            format!(
                "namespace `{namespace}` has no default-deny {word} policy: pods created later, or whose labels change, are not isolated for {word}"
            )
        } else {
            format!(
                "namespace `{namespace}` has no default-deny {word} policy: {open} of its {} workloads are not isolated for {word}, nor will new pods be",
                pods.len()
            )
        };
        ctx.report(target, &target.root, message);
    }
}
