use crate::alert::{Severity, Technique};
use crate::event::Event;

use super::workload::pod_spec;
use super::{Context, Finding, fact, past, target};

declare_detector! {
    /// ## What it does
    /// Reports pod-bearing objects created or changed with a container that runs a known
    /// cryptocurrency miner: an image whose name contains a miner's name (`xmrig`, `xmr-stak`,
    /// `cpuminer`, ...; extend with `extra-miner-images`), or a command or arguments that point at a
    /// mining pool (`stratum+tcp://`, `stratum+ssl://`, well-known pool hosts). It reads
    /// `requestObject`.
    ///
    /// ## Why is this bad?
    /// Mining is the most common payload of cluster intrusions: the attacker turns the victim's
    /// nodes and cloud bill into money, usually minutes after finding an exposed dashboard, kubelet or
    /// leaked token. It rarely comes alone: the same access serves for data theft later.
    ///
    /// ## MITRE ATT&CK
    /// T1496 Resource Hijacking.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"x1","stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/default/deployments","verb":"create","user":{"username":"system:serviceaccount:default:default","groups":["system:serviceaccounts","system:authenticated"]},"sourceIPs":["203.0.113.50"],"userAgent":"python-requests/2.31.0","objectRef":{"resource":"deployments","namespace":"default","name":"kube-metrics","apiGroup":"apps","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"kube-metrics"},"spec":{"template":{"spec":{"containers":[{"name":"m","image":"docker.io/metal3d/xmrig:latest","args":["-o","stratum+tcp://pool.example.net:3333"]}]}}}},"requestReceivedTimestamp":"2024-05-01T10:00:00.000000Z","stageTimestamp":"2024-05-01T10:00:00.020000Z"}
    /// ```
    ///
    /// ## References
    /// - MITRE ATT&CK T1496 procedure examples (TeamTNT, Kinsing, Hildegard)
    /// - OWASP Kubernetes Top 10: K02 Supply Chain Vulnerabilities
    pub(crate) static DETECTOR = DetectorMeta {
        id: "AUD019",
        name: "cryptominer-image",
        title: "Cryptocurrency miner started",
        severity: Severity::Critical,
        mitre: Technique { id: "T1496", name: "Resource Hijacking" },
        frameworks: &["owasp:K02", "nsa:threat-detection"],
    };
}

/// Image-name fragments of public mining software.
pub(crate) const KNOWN_MINERS: &[&str] = &[
    "xmrig",
    "xmr-stak",
    "xmrstak",
    "cpuminer",
    "minerd",
    "ccminer",
    "cgminer",
    "bfgminer",
    "ethminer",
    "nbminer",
    "lolminer",
    "phoenixminer",
    "nanominer",
    "teamredminer",
    "srbminer",
    "t-rex-miner",
    "xmr-miner",
    "monero-miner",
];

/// Fragments of mining pool addresses in commands and arguments.
const POOL_MARKERS: &[&str] = &[
    "stratum+tcp://",
    "stratum+ssl://",
    "stratum+tls://",
    "stratum2+tcp://",
    "minexmr.com",
    "supportxmr.com",
    "nanopool.org",
    "moneroocean.stream",
    "c3pool.com",
    "hashvault.pro",
    "2miners.com",
    "f2pool.com",
];

pub(crate) fn check(ctx: &Context, event: &Event<'_>) -> Option<Finding> {
    if !event.is_allowed() {
        return None;
    }
    let spec = pod_spec(event)?;
    let mut reasons = Vec::new();
    for container in spec.all_containers() {
        if let Some(image) = container.image.as_deref() {
            let name = image_name(image).to_ascii_lowercase();
            if let Some(miner) = ctx.miner_images.iter().find(|m| name.contains(m.as_str())) {
                reasons.push(format!(
                    "container `{}` runs image `{image}` (matches `{miner}`)",
                    container.name
                ));
                continue;
            }
        }
        let pool = container.command.iter().chain(&container.args).find(|arg| {
            POOL_MARKERS
                .iter()
                .any(|m| arg.to_ascii_lowercase().contains(m))
        });
        if let Some(pool) = pool {
            reasons.push(format!(
                "container `{}` connects to mining pool `{pool}`",
                container.name
            ));
        }
    }
    if reasons.is_empty() {
        return None;
    }
    Some(Finding::new(fact(
        event,
        &format!(
            "{} {}: {}",
            past(&event.verb),
            target(event),
            reasons.join("; ")
        ),
    )))
}

/// The repository path of an image without registry host, tag or digest: `metal3d/xmrig`.
fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let path = match without_digest.split_once('/') {
        Some((host, rest)) if host.contains(['.', ':']) || host == "localhost" => rest,
        _ => without_digest,
    };
    match path.rfind(':') {
        Some(i) if !path[i..].contains('/') => &path[..i],
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_registry_and_tag() {
        assert_eq!(
            image_name("docker.io/metal3d/xmrig:latest"),
            "metal3d/xmrig"
        );
        assert_eq!(image_name("localhost:5000/a/b@sha256:00"), "a/b");
        assert_eq!(image_name("nginx"), "nginx");
    }
}
