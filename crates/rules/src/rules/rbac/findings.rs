//! From the engine's results to findings: which object and node each one points at, and its message.

use kubeward_model::{Inventory, Object};
use kubeward_rbac::{RiskKind, RiskyGrant, SourceRef, Subject, SubjectKind};
use kubeward_source::Node;

use super::analysis::analysis;
use crate::context::Context;

/// Reports every risky grant of `kind` that `keep` accepts.
pub(crate) fn report_grants_where(
    ctx: &mut Context<'_>,
    inventory: &Inventory,
    kind: RiskKind,
    keep: impl Fn(&Inventory, &RiskyGrant) -> bool,
) {
    let analysis = analysis(ctx, inventory);
    for grant in analysis.grants_of(kind) {
        if !keep(inventory, grant) {
            continue;
        }
        if let Some((object, node)) = locate(inventory, grant) {
            ctx.report(object, node, fact(grant));
        }
    }
}

/// Reports every risky grant of `kind`.
pub(crate) fn report_grants(ctx: &mut Context<'_>, inventory: &Inventory, kind: RiskKind) {
    report_grants_where(ctx, inventory, kind, |_, _| true);
}

/// The explanation without the attacker's story, which is in the rule's docs: the finding states
/// the fact with its values (subject, scope, binding, role and rule).
fn fact(grant: &RiskyGrant) -> String {
    grant
        .explanation
        .strip_suffix(grant.kind.attack())
        .map(|fact| fact.trim_end().trim_end_matches('.'))
        .unwrap_or(&grant.explanation)
        .to_owned()
}

/// The object a result came from.
pub(crate) fn object_at(inventory: &Inventory, origin: Option<SourceRef>) -> Option<&Object> {
    origin.and_then(|SourceRef(i)| inventory.objects().get(i))
}

/// Where a grant is reported: the subject line of its binding (that line is what hands the
/// permission to someone), the `roleRef` of a binding to nothing, or the name of an unbound role.
fn locate<'i>(inventory: &'i Inventory, grant: &RiskyGrant) -> Option<(&'i Object, &'i Node)> {
    if let Some(binding) = &grant.binding {
        let object = object_at(inventory, binding.origin)?;
        let node = match &grant.subject {
            Some(subject) => subject_node(object, subject),
            None => object.root.get("roleRef"),
        };
        return Some((object, node.unwrap_or(&object.root)));
    }
    let role = grant.role.as_ref()?;
    let object = object_at(inventory, role.origin)?;
    let name = object.metadata().and_then(|m| m.get("name"));
    Some((object, name.unwrap_or(&object.root)))
}

/// The entry of a binding's `subjects` that names `subject` (whose service-account namespace the
/// engine has resolved, so an entry without a namespace matches too).
pub(crate) fn subject_node<'o>(binding: &'o Object, subject: &Subject) -> Option<&'o Node> {
    let kind = match subject.kind {
        SubjectKind::User => "User",
        SubjectKind::Group => "Group",
        SubjectKind::ServiceAccount => "ServiceAccount",
        SubjectKind::Unknown => return None,
    };
    binding.root.get("subjects")?.items().find(|entry| {
        let text = |key: &str| entry.get(key).and_then(Node::scalar_text);
        text("kind").as_deref() == Some(kind)
            && text("name").as_deref() == Some(subject.name.as_str())
            && (subject.kind != SubjectKind::ServiceAccount
                || text("namespace")
                    .is_none_or(|ns| Some(ns.as_str()) == subject.namespace.as_deref()))
    })
}
