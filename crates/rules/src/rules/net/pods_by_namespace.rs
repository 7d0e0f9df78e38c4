//! The pod-template labels of every workload, by namespace, computed once per scan: what a
//! Service's selector is matched against. Matching each Service against the whole inventory was
//! quadratic (80 s at 100,000 objects for one rule).

use std::collections::HashMap;
use std::sync::Arc;

use kubeward_model::{Inventory, LabelSelector, Workload, labels_of};
use kubeward_source::Node;

use crate::context::Context;

/// One workload's pod labels and what the Service rules ask about it.
pub(crate) struct PodLabels {
    labels: Vec<(String, String)>,
    /// A PodTemplate is not a running pod: a Service selecting only one selects nothing.
    pub template_only: bool,
    pub host_network: bool,
}

impl PodLabels {
    pub fn selected_by(&self, selector: &LabelSelector) -> bool {
        selector.matches(self.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// Workloads' pod labels by effective namespace.
#[derive(Default)]
pub(crate) struct PodsByNamespace(HashMap<String, Vec<PodLabels>>);

impl PodsByNamespace {
    pub fn get(&self, namespace: &str) -> &[PodLabels] {
        self.0.get(namespace).map_or(&[], Vec::as_slice)
    }
}

pub(crate) fn pods_by_namespace(ctx: &Context<'_>, inventory: &Inventory) -> Arc<PodsByNamespace> {
    ctx.shared.get_or_init(|| {
        let mut map: HashMap<String, Vec<PodLabels>> = HashMap::new();
        for workload in inventory.workloads() {
            let Some(ns) = workload.object.effective_namespace() else {
                continue;
            };
            map.entry(ns.to_owned()).or_default().push(PodLabels {
                labels: labels_of(workload.pod_labels())
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
                template_only: workload.object.kind() == "PodTemplate",
                host_network: is_host_network(&workload),
            });
        }
        PodsByNamespace(map)
    })
}

fn is_host_network(workload: &Workload<'_>) -> bool {
    workload.pod_field("hostNetwork").and_then(Node::as_bool) == Some(true)
}
