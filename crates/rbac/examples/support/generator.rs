//! Deterministic synthetic RBAC corpus for benchmarks: namespaces with service accounts, pods and
//! token secrets; Roles and ClusterRoles drawn from realistic rule templates (a few aggregated);
//! bindings to users, groups and service accounts. Same `n` and `seed` give the same corpus.

use std::collections::BTreeMap;

use kubeward_rbac::{
    Binding, LabelSelector, NamespaceInfo, PodInfo, PolicyRule, RbacInput, Role, RoleRef,
    RoleRefKind, SecretInfo, ServiceAccount, Subject, SubjectKind,
};

/// xorshift64*: small, fast, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn v(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|x| (*x).to_owned()).collect()
}

fn rule(groups: &[&str], resources: &[&str], verbs: &[&str]) -> PolicyRule {
    PolicyRule {
        api_groups: v(groups),
        resources: v(resources),
        verbs: v(verbs),
        ..PolicyRule::default()
    }
}

/// Rule templates, roughly in the proportions seen in real clusters: mostly reads, some writes,
/// a few dangerous ones.
fn template(rng: &mut Rng) -> PolicyRule {
    const READ: &[&str] = &["get", "list", "watch"];
    const WRITE: &[&str] = &["create", "update", "patch", "delete"];
    match rng.below(20) {
        0..=4 => rule(
            &[""],
            &["pods", "services", "endpoints", "configmaps"],
            READ,
        ),
        5..=7 => rule(
            &["apps"],
            &["deployments", "replicasets", "statefulsets"],
            READ,
        ),
        8 => rule(&["apps"], &["deployments", "deployments/scale"], WRITE),
        9 => rule(&[""], &["configmaps"], WRITE),
        10 => rule(
            &["batch"],
            &["jobs", "cronjobs"],
            &["create", "get", "list"],
        ),
        11 => rule(&[""], &["secrets"], &["get"]),
        12 => rule(&[""], &["pods"], &["create", "delete"]),
        13 => rule(&[""], &["pods/log"], &["get"]),
        14 => rule(&[""], &["pods/exec"], &["create"]),
        15 => rule(
            &["networking.k8s.io"],
            &["ingresses", "networkpolicies"],
            READ,
        ),
        16 => rule(&["*"], &["*/scale"], &["get", "update"]),
        17 => {
            let mut r = rule(&[""], &["secrets"], &["get", "update"]);
            r.resource_names = v(&["app-credentials", "tls"]);
            r
        }
        18 => rule(
            &["coordination.k8s.io"],
            &["leases"],
            &["get", "create", "update"],
        ),
        _ => rule(&[""], &["events"], &["create", "patch"]),
    }
}

/// A corpus with `n` roles (half Roles, half ClusterRoles) and `n` bindings.
pub fn generate(n: usize, seed: u64) -> RbacInput {
    let mut rng = Rng::new(seed);
    let namespaces = (n / 50).max(2);
    let ns = |i: usize| format!("ns-{i:04}");
    let mut input = RbacInput::default();
    for i in 0..namespaces {
        let mut labels = BTreeMap::new();
        if i % 3 == 0 {
            labels.insert(
                "pod-security.kubernetes.io/enforce".to_owned(),
                "restricted".to_owned(),
            );
        }
        input.namespaces.push(NamespaceInfo {
            name: ns(i),
            labels,
            origin: None,
        });
    }
    let sas_per_ns = 10;
    for i in 0..namespaces {
        for s in 0..sas_per_ns {
            let name = format!("sa-{s}");
            input.service_accounts.push(ServiceAccount {
                namespace: ns(i),
                name: name.clone(),
                automount_token: if s % 4 == 0 { Some(false) } else { None },
                origin: None,
            });
            input.pods.push(PodInfo {
                namespace: ns(i),
                name: format!("app-{s}"),
                service_account: name.clone(),
                token_mounted: None,
                privileged: rng.chance(2),
                host_pid: false,
                host_path: rng.chance(2),
                node_name: Some(format!("node-{}", rng.below(50))),
                origin: None,
            });
            if s % 5 == 0 {
                input.secrets.push(SecretInfo {
                    namespace: ns(i),
                    name: format!("{name}-token"),
                    type_: SecretInfo::SERVICE_ACCOUNT_TOKEN.to_owned(),
                    service_account: Some(name),
                    origin: None,
                });
            }
        }
    }
    let cluster_roles = n / 2;
    for i in 0..n {
        let is_cluster = i < cluster_roles;
        let mut labels = BTreeMap::new();
        labels.insert("team".to_owned(), format!("t{}", rng.below(40)));
        let aggregated = is_cluster && i % 100 == 7;
        let aggregation_rule = aggregated.then(|| {
            let mut m = BTreeMap::new();
            m.insert("team".to_owned(), format!("t{}", rng.below(40)));
            vec![LabelSelector {
                match_labels: m,
                match_expressions: vec![],
            }]
        });
        let mut rules: Vec<PolicyRule> =
            (0..1 + rng.below(5)).map(|_| template(&mut rng)).collect();
        if is_cluster && i % 997 == 0 {
            rules.push(rule(&["*"], &["*"], &["*"]));
        }
        if is_cluster && i % 499 == 3 {
            rules.push(rule(
                &["rbac.authorization.k8s.io"],
                &["clusterroles"],
                &["bind"],
            ));
            rules.push(rule(
                &["rbac.authorization.k8s.io"],
                &["clusterrolebindings"],
                &["create"],
            ));
        }
        if is_cluster && i % 613 == 5 {
            rules.push(rule(&[""], &["users", "groups"], &["impersonate"]));
        }
        input.roles.push(Role {
            namespace: (!is_cluster).then(|| ns(rng.below(namespaces))),
            name: if is_cluster {
                format!("cr-{i:05}")
            } else {
                format!("role-{i:05}")
            },
            labels,
            rules: if aggregated { vec![] } else { rules },
            aggregation_rule,
            origin: None,
        });
    }
    let users = (n / 10).max(1);
    let groups = (n / 100).max(1);
    for b in 0..n {
        let cluster_binding = rng.chance(20);
        let (namespace, role_ref) = if cluster_binding {
            (
                None,
                RoleRef {
                    kind: RoleRefKind::ClusterRole,
                    name: format!("cr-{:05}", rng.below(cluster_roles)),
                },
            )
        } else if rng.chance(40) {
            (
                Some(ns(rng.below(namespaces))),
                RoleRef {
                    kind: RoleRefKind::ClusterRole,
                    name: format!("cr-{:05}", rng.below(cluster_roles)),
                },
            )
        } else {
            let r = cluster_roles + rng.below(n - cluster_roles);
            (
                input.roles[r].namespace.clone(),
                RoleRef {
                    kind: RoleRefKind::Role,
                    name: input.roles[r].name.clone(),
                },
            )
        };
        let subjects = (0..1 + rng.below(3))
            .map(|_| match rng.below(10) {
                0..=3 => Subject {
                    kind: SubjectKind::User,
                    name: format!("user-{}", rng.below(users)),
                    namespace: None,
                },
                4 | 5 => Subject {
                    kind: SubjectKind::Group,
                    name: format!("group-{}", rng.below(groups)),
                    namespace: None,
                },
                _ => Subject {
                    kind: SubjectKind::ServiceAccount,
                    name: format!("sa-{}", rng.below(sas_per_ns)),
                    namespace: Some(
                        namespace
                            .clone()
                            .unwrap_or_else(|| ns(rng.below(namespaces))),
                    ),
                },
            })
            .collect();
        input.bindings.push(Binding {
            namespace,
            name: format!("binding-{b:05}"),
            role_ref,
            subjects,
            origin: None,
        });
    }
    input
}
