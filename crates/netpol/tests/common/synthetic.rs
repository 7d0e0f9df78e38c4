//! A generated cluster for the benchmark and the agreement test: N pods (one workload each) and M
//! NetworkPolicies over 20 namespaces, of six kinds that together use every policy feature.

use std::fmt::Write as _;

const NAMESPACES: usize = 20;
const TIERS: [&str; 5] = ["web", "api", "db", "cache", "worker"];

/// A small deterministic generator (64-bit LCG), so every run times the same cluster.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// The cluster as one YAML stream.
pub fn corpus(pods: usize, policies: usize) -> String {
    let mut rng = Rng(42);
    let mut out = String::new();
    for n in 0..NAMESPACES {
        writeln!(
            out,
            "---\napiVersion: v1\nkind: Namespace\nmetadata: {{name: ns-{n}, labels: {{team: team-{}, env: {}}}}}",
            n % 5,
            if n % 2 == 0 { "prod" } else { "dev" }
        )
        .unwrap();
    }
    for i in 0..pods {
        let tier = TIERS[i % TIERS.len()];
        writeln!(
            out,
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: app-{i}, namespace: ns-{}}}\nspec:\n  replicas: 3\n  selector: {{matchLabels: {{app: app-{i}}}}}\n  template:\n    metadata: {{labels: {{app: app-{i}, tier: {tier}, group: g-{}}}}}\n    spec:\n      containers:\n      - name: main\n        image: registry.example.com/app:1.0\n        ports: [{{name: http, containerPort: 8080}}, {{name: metrics, containerPort: 9090}}]",
            i % NAMESPACES,
            i % 7
        )
        .unwrap();
    }
    for p in 0..policies {
        let ns = p % NAMESPACES;
        let spec = match p / NAMESPACES % 6 {
            // A namespace default deny: both directions in even namespaces, ingress in odd ones.
            0 if ns.is_multiple_of(2) => {
                "  podSelector: {}\n  policyTypes: [Ingress, Egress]".to_string()
            }
            0 => "  podSelector: {}\n  policyTypes: [Ingress]".to_string(),
            // Tier to tier inside the namespace, on a named port.
            1 => format!(
                "  podSelector: {{matchLabels: {{tier: {}}}}}\n  ingress:\n  - from: [{{podSelector: {{matchLabels: {{tier: {}}}}}}}]\n    ports: [{{port: http}}]",
                TIERS[rng.next(5)],
                TIERS[rng.next(5)]
            ),
            // From another team's namespaces, combined selector, numeric port.
            2 => format!(
                "  podSelector: {{matchLabels: {{app: app-{}}}}}\n  ingress:\n  - from:\n    - namespaceSelector: {{matchLabels: {{team: team-{}}}}}\n      podSelector: {{matchExpressions: [{{key: tier, operator: In, values: [web, api]}}]}}\n    ports: [{{port: 8080, protocol: TCP}}]",
                rng.next(pods),
                rng.next(5)
            ),
            // Egress to databases anywhere in prod plus DNS.
            3 => format!(
                "  podSelector: {{matchLabels: {{group: g-{}}}}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{{namespaceSelector: {{matchLabels: {{env: prod}}}}, podSelector: {{matchLabels: {{tier: db}}}}}}]\n    ports: [{{port: 5432}}, {{port: 8000, endPort: 9000}}]\n  - to: [{{podSelector: {{matchLabels: {{tier: cache}}}}}}]\n    ports: [{{port: metrics}}]\n  - to: [{{namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: kube-system}}}}}}]\n    ports: [{{port: 53, protocol: UDP}}]",
                rng.next(7)
            ),
            // Metrics from a monitoring namespace by name, and an ipBlock.
            4 => format!(
                "  podSelector: {{matchLabels: {{group: g-{}}}}}\n  ingress:\n  - from:\n    - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: ns-{}}}}}\n    - ipBlock: {{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}\n    ports: [{{port: metrics}}]",
                rng.next(7),
                rng.next(NAMESPACES)
            ),
            // Open egress for some workers.
            _ => format!(
                "  podSelector: {{matchLabels: {{app: app-{}}}}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{{ipBlock: {{cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}}}]",
                rng.next(pods)
            ),
        };
        writeln!(
            out,
            "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: policy-{p}, namespace: ns-{ns}}}\nspec:\n{spec}"
        )
        .unwrap();
    }
    out
}
