use kubeward_diagnostics::Severity;
use kubeward_model::{Container, Workload};
use kubeward_source::Node;

use super::miners;
use crate::context::Context;
use crate::registry::FixAvailability;

declare_rule! {
    /// ## What it does
    /// Flags containers whose `command`, `args` or literal environment values carry the marks of a
    /// cryptocurrency miner, whatever the image is called: a `stratum+tcp://`, `stratum+ssl://` or
    /// `stratum+tls://` pool URL, well-known public mining pools (supportxmr, moneroocean, nanopool,
    /// 2miners, f2pool, …), miner options such as `--donate-level` or `--algo=rx/0`, or an `xmrig`
    /// executable. One finding per field and container.
    ///
    /// ## Why is this bad?
    /// Attackers rename miner images (`kube-proxy-metrics`, `nginx`) or download the miner at start-up
    /// from an innocuous base image, so the image name alone misses them; the pool address and the
    /// miner's options cannot be hidden as easily because the miner needs them to get paid. A
    /// workload carrying them is burning the cluster's CPU for someone else and proves that someone
    /// could create workloads they should not.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata: {name: cleanup}
    /// spec:
    ///   schedule: "*/5 * * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: Never
    ///           containers:
    ///           - name: cleanup
    ///             image: registry.example.com/alpine:3.20
    ///             command: ["/tmp/.x/kthreadd"]
    ///             args: ["-o", "stratum+tcp://pool.example.net:3333", "--donate-level=1"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: batch/v1
    /// kind: CronJob
    /// metadata: {name: cleanup}
    /// spec:
    ///   schedule: "*/5 * * * *"
    ///   jobTemplate:
    ///     spec:
    ///       template:
    ///         spec:
    ///           restartPolicy: Never
    ///           containers:
    ///           - name: cleanup
    ///             image: registry.example.com/alpine:3.20
    ///             command: ["/usr/local/bin/cleanup"]
    ///             args: ["--older-than=7d"]
    /// ```
    ///
    /// ## Fix safety
    /// No automatic fix: treat it as an incident, not a configuration issue.
    ///
    /// ## References
    /// - MITRE ATT&CK for Containers: T1496 Resource Hijacking
    /// - OWASP Kubernetes Top 10 K02: Supply Chain Vulnerabilities
    pub(crate) static RULE = RuleMeta {
        id: "IMG006",
        name: "cryptominer-arguments",
        title: "Container command, arguments or environment point at a mining pool",
        severity: Severity::Critical,
        frameworks: &["nsa:supply-chain", "owasp:K02"],
        aliases: &[],
        fix: FixAvailability::None,
        default_enabled: true,
    };
}

pub(crate) fn check(ctx: &mut Context<'_>, workload: &Workload<'_>) {
    for container in workload.all_containers() {
        for (field, node, what) in indicators(&container) {
            let message = format!("{}: `{field}` carries {what}", container.describe());
            ctx.report(workload.object, node, message);
        }
    }
}

/// The first indicator in each of `command`, `args` and `env`.
fn indicators<'a>(container: &Container<'a>) -> Vec<(&'static str, &'a Node, &'static str)> {
    let mut found = Vec::new();
    for field in ["command", "args"] {
        let hit = container
            .node
            .get(field)
            .into_iter()
            .flat_map(Node::items)
            .find_map(|n| Some((n, miners::miner_argument(&n.scalar_text()?)?)));
        if let Some((node, what)) = hit {
            found.push((field, node, what));
        }
    }
    let env_hit = container
        .node
        .get("env")
        .into_iter()
        .flat_map(Node::items)
        .filter_map(|e| e.get("value"))
        .find_map(|n| Some((n, miners::miner_argument(&n.scalar_text()?)?)));
    if let Some((node, what)) = env_hit {
        found.push(("env", node, what));
    }
    found
}
