use kubeward_diagnostics::{Applicability, Edit, Fix, Severity};
use kubeward_model::Workload;
use kubeward_source::Node;

use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers whose image is not pinned by digest and whose effective `imagePullPolicy` is
    /// not `Always`. The effective policy is the one Kubernetes applies: the field when set, otherwise
    /// `Always` for an image without a tag or with `latest`, and `IfNotPresent` for any other tag.
    ///
    /// ## Why is this bad?
    /// With `IfNotPresent` or `Never` the node runs whatever it has cached under that name. Two
    /// things follow. The image is never re-checked against the registry, so a node that once pulled
    /// a poisoned tag keeps running it after the registry is cleaned up, and different nodes run
    /// different code under one name. And the kubelet skips the pull — the only moment image pull
    /// credentials are checked — so any pod scheduled on that node can start a private image it has
    /// no right to, which is why Kubernetes has the `AlwaysPullImages` admission plugin for
    /// multi-tenant clusters.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:latest
    ///     imagePullPolicy: IfNotPresent
    /// ```
    ///
    /// ## Use instead
    /// Pin by digest (then the cache is safe), or pull every time:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata: {name: api}
    /// spec:
    ///   containers:
    ///   - name: api
    ///     image: registry.example.com/api:1.4.2
    ///     imagePullPolicy: Always
    /// ```
    ///
    /// ## Fix safety
    /// The fix sets `imagePullPolicy: Always`. It is unsafe: pods then fail to start while the
    /// registry is unreachable, and pulls cost time and egress.
    ///
    /// ## Differences from other tools
    /// Polaris `pullPolicyNotAlways` wants the field set explicitly, and Checkov CKV_K8S_15 also
    /// fails images pinned by digest, which this rule exempts.
    ///
    /// ## References
    /// - Kubernetes documentation: "Images — Image pull policy"; admission plugin `AlwaysPullImages`
    /// - CIS Kubernetes Benchmark 1.2.11 (AlwaysPullImages)
    /// - OWASP Kubernetes Top 10 K02: Supply Chain Vulnerabilities
    pub(crate) static RULE = RuleMeta {
        id: "IMG004",
        name: "image-pull-policy-not-always",
        title: "Mutable image may run from the node's cache",
        severity: Severity::Low,
        frameworks: &["nsa:supply-chain", "owasp:K02"],
        aliases: &[("checkov", "CKV_K8S_15"), ("polaris", "pullPolicyNotAlways")],
        fix: FixAvailability::Always,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        let Some((image_node, image)) = container.image_ref() else {
            continue;
        };
        if image.digest.is_some() {
            continue;
        }
        let field = container
            .node
            .get("imagePullPolicy")
            .filter(|n| !n.is_null());
        let (node, policy, origin) = match field.and_then(Node::as_str) {
            Some("Always") => continue,
            Some(policy) => (field.unwrap_or(image_node), policy, ""),
            None => match image.tag.as_deref() {
                None | Some("latest") => continue,
                Some(_) => (
                    image_node,
                    "IfNotPresent",
                    " (the default for a tagged image)",
                ),
            },
        };
        let fix = Fix::new(
            "Set `imagePullPolicy: Always`",
            Applicability::Unsafe,
            vec![Edit::Set {
                path: workload.container_path(&container, &["imagePullPolicy"]),
                value: "Always".into(),
            }],
        );
        let message = format!(
            "{} pulls mutable image `{}` with policy `{policy}`{origin}: a cached copy runs unchecked",
            container.describe(),
            image_node.scalar_text().unwrap_or_default()
        );
        ctx.report_fix(workload.object, node, message, fix);
    }
}
