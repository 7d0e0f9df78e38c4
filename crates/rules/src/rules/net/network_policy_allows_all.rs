//! NET013 and NET014: a policy rule that allows every peer on every port.

use kubeward_model::{Inventory, NetworkPolicy, Object};
use kubeward_netpol::{Direction, Policy};
use kubeward_source::Node;

use crate::context::Context;

/// Reports every rule of a direction that opens everything, pointing at the rule.
pub(crate) fn check_open_rules(ctx: &mut Context<'_>, inventory: &Inventory, direction: Direction) {
    let (field, word, peer) = match direction {
        Direction::Ingress => ("ingress", "ingress", "source"),
        Direction::Egress => ("egress", "egress", "destination"),
    };
    for object in inventory.of_kind("NetworkPolicy") {
        if NetworkPolicy::of(object).is_none() {
            continue;
        }
        let Ok(policy) = Policy::from_object(object) else {
            continue;
        };
        for i in policy.open_rules(direction) {
            let node = rule_node(object, field, i);
            let message = format!(
                "NetworkPolicy `{}` allows all {word}: `spec.{field}[{i}]` has no `{}` and no `ports`, so every {peer} on every port is allowed",
                object.name(),
                if direction == Direction::Ingress {
                    "from"
                } else {
                    "to"
                },
            );
            ctx.report(object, node, message);
        }
    }
}

fn rule_node<'a>(object: &'a Object, field: &str, index: usize) -> &'a Node {
    object
        .root
        .path(&["spec", field])
        .and_then(|r| r.items().nth(index))
        .unwrap_or(&object.root)
}
