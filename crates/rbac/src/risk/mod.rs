//! Risky permission analysis: grants an attacker would want, each explained.

mod kind;

use std::collections::HashSet;

use serde::Serialize;

pub use kind::{RiskKind, SuggestedSeverity};

use crate::authz::{
    ALL, GROUP_AUTHENTICATED, GROUP_MASTERS, GROUP_SERVICE_ACCOUNTS, GROUP_UNAUTHENTICATED,
    USER_ANONYMOUS, group_matches, resource_matches, verb_matches,
};
use crate::grant::{BindingInfo, GrantInfo, RoleInfo, Scope, resolved_subject, subject_label};
use crate::index::RbacIndex;
use crate::input::{Binding, PolicyRule, RoleRefKind, Subject, SubjectKind};

/// One risky grant (or risky binding or role, for the kinds that are not about one rule).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RiskyGrant {
    pub kind: RiskKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binding: Option<BindingInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleInfo>,
    /// Index of the rule in `aggregated_from` when set, else in `role`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aggregated_from: Option<RoleInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// The fact with its values, then what an attacker does with it.
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskOptions {
    /// Namespaces where reading Secrets is reported even through a RoleBinding.
    pub sensitive_namespaces: Vec<String>,
    /// Report service-account subjects that have no ServiceAccount in the input. Turn off when the
    /// input is a partial set of manifests and service accounts live elsewhere.
    pub report_missing_service_accounts: bool,
    /// Also report grants of the built-in bootstrap policy (`system:` users and groups, `system:`
    /// bindings of `system:` roles), which every cluster has.
    pub include_system: bool,
}

impl Default for RiskOptions {
    fn default() -> Self {
        RiskOptions {
            sensitive_namespaces: [
                "kube-system",
                "kube-public",
                "kube-node-lease",
                "cert-manager",
                "argocd",
                "flux-system",
                "istio-system",
                "vault",
            ]
            .map(str::to_owned)
            .to_vec(),
            report_missing_service_accounts: true,
            include_system: false,
        }
    }
}

/// Roles every cluster binds to the broad groups by default.
const DEFAULT_PUBLIC_ROLES: [&str; 4] = [
    "system:basic-user",
    "system:discovery",
    "system:public-info-viewer",
    "system:service-account-issuer-discovery",
];

/// The user-facing ClusterRoles every cluster ships, meant to be bound on demand.
const DEFAULT_USER_ROLES: [&str; 4] = ["cluster-admin", "admin", "edit", "view"];

const WORKLOADS: [(&str, &str); 7] = [
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
    ("", "replicationcontrollers"),
];

/// Whether `rule` grants one of `verbs` on `group`/`resource` for at least one object name.
pub(crate) fn rule_grants(rule: &PolicyRule, verbs: &[&str], group: &str, resource: &str) -> bool {
    let sub = resource.split_once('/').map_or("", |(_, s)| s);
    verbs.iter().any(|v| verb_matches(rule, v))
        && group_matches(rule, group)
        && resource_matches(rule, resource, sub)
}

pub(crate) fn is_full_wildcard(rule: &PolicyRule) -> bool {
    let has = |xs: &[String]| xs.iter().any(|x| x == ALL);
    has(&rule.verbs)
        && has(&rule.resources)
        && has(&rule.api_groups)
        && rule.resource_names.is_empty()
}

/// Per-rule kinds, with the fact that triggers each (independent of the subject).
fn rule_risks(rule: &PolicyRule, scope: &Scope, opts: &RiskOptions) -> Vec<(RiskKind, String)> {
    let mut out = Vec::new();
    let unnamed = rule.resource_names.is_empty();
    let names = if unnamed {
        String::new()
    } else {
        format!(" (only objects named {})", rule.resource_names.join(", "))
    };
    let cluster = *scope == Scope::Cluster;
    if cluster && is_full_wildcard(rule) {
        // Everything below is implied; one finding says it all.
        out.push((
            RiskKind::ClusterAdminEquivalent,
            "holds every verb on every resource".to_owned(),
        ));
        return out;
    }
    {
        let mut fields = Vec::new();
        for (field, xs) in [
            ("verbs", &rule.verbs),
            ("resources", &rule.resources),
            ("apiGroups", &rule.api_groups),
        ] {
            if xs.iter().any(|x| x == ALL) {
                fields.push(field);
            }
        }
        if rule.non_resource_urls.iter().any(|u| u == ALL) {
            fields.push("nonResourceURLs");
        }
        if !fields.is_empty() {
            out.push((
                RiskKind::WildcardRule,
                format!("holds `*` in {}{names}", fields.join(", ")),
            ));
        }
    }
    let sensitive = scope
        .namespace()
        .is_some_and(|ns| opts.sensitive_namespaces.iter().any(|s| s == ns));
    if unnamed
        && (cluster || sensitive)
        && rule_grants(rule, &["get", "list", "watch"], "", "secrets")
    {
        out.push((RiskKind::SecretsRead, "can read Secrets".to_owned()));
    }
    // A create limited by resourceNames never matches (creates carry no name).
    if unnamed && rule_grants(rule, &["create"], "", "pods") {
        out.push((RiskKind::PodCreate, "can create pods".to_owned()));
    } else if let Some((g, r)) = WORKLOADS.iter().find(|(g, r)| {
        (unnamed && rule_grants(rule, &["create"], g, r))
            || rule_grants(rule, &["update", "patch"], g, r)
    }) {
        let g = if g.is_empty() { "core" } else { g };
        out.push((
            RiskKind::PodCreate,
            format!("can create or change {r} ({g}), which create pods{names}"),
        ));
    }
    let subresource_kinds = [
        (RiskKind::PodExec, &["create", "get"][..], "pods/exec"),
        (RiskKind::PodAttach, &["create", "get"][..], "pods/attach"),
        (
            RiskKind::PodPortForward,
            &["create", "get"][..],
            "pods/portforward",
        ),
        (
            RiskKind::PodEphemeralContainers,
            &["update", "patch"][..],
            "pods/ephemeralcontainers",
        ),
        (
            RiskKind::ServiceAccountTokenCreate,
            &["create"][..],
            "serviceaccounts/token",
        ),
    ];
    for (kind, verbs, resource) in subresource_kinds {
        if rule_grants(rule, verbs, "", resource) {
            out.push((kind, format!("can {} {resource}{names}", verbs.join("/"))));
        }
    }
    for (kind, verb) in [
        (RiskKind::RoleEscalate, "escalate"),
        (RiskKind::RoleBind, "bind"),
    ] {
        let on: Vec<&str> = ["roles", "clusterroles"]
            .into_iter()
            .filter(|r| rule_grants(rule, &[verb], "rbac.authorization.k8s.io", r))
            .collect();
        if !on.is_empty() {
            out.push((kind, format!("can {verb} {}{names}", on.join(" and "))));
        }
    }
    let imp: Vec<&str> = ["users", "groups", "serviceaccounts"]
        .into_iter()
        .filter(|r| rule_grants(rule, &["impersonate"], "", r))
        .collect();
    if !imp.is_empty() {
        out.push((
            RiskKind::Impersonate,
            format!("can impersonate {}{names}", imp.join(", ")),
        ));
    }
    if cluster && rule_grants(rule, &["get", "create"], "", "nodes/proxy") {
        out.push((RiskKind::NodesProxy, format!("can use nodes/proxy{names}")));
    }
    if cluster {
        let approval = rule_grants(
            rule,
            &["update", "patch"],
            "certificates.k8s.io",
            "certificatesigningrequests/approval",
        );
        let signers = rule_grants(rule, &["approve"], "certificates.k8s.io", "signers");
        if approval || signers {
            let what = match (approval, signers) {
                (true, true) => {
                    "can approve CertificateSigningRequests (approval subresource and signers)"
                }
                (true, false) => {
                    "can update certificatesigningrequests/approval (needs `approve` on signers too)"
                }
                _ => {
                    "can `approve` signers (needs update on certificatesigningrequests/approval too)"
                }
            };
            out.push((RiskKind::CsrApproval, format!("{what}{names}")));
        }
        let admission: Vec<&str> = [
            "mutatingwebhookconfigurations",
            "validatingwebhookconfigurations",
            "validatingadmissionpolicies",
            "validatingadmissionpolicybindings",
            "mutatingadmissionpolicies",
            "mutatingadmissionpolicybindings",
        ]
        .into_iter()
        .filter(|r| {
            rule_grants(
                rule,
                &["create", "update", "patch", "delete", "deletecollection"],
                "admissionregistration.k8s.io",
                r,
            )
        })
        .collect();
        if !admission.is_empty() {
            out.push((
                RiskKind::WebhookConfigWrite,
                format!("can write {}{names}", admission.join(", ")),
            ));
        }
        if unnamed && rule_grants(rule, &["create"], "", "persistentvolumes") {
            out.push((
                RiskKind::PersistentVolumeCreate,
                "can create PersistentVolumes".to_owned(),
            ));
        }
    }
    out
}

fn is_public(subject: &Subject) -> Option<RiskKind> {
    match (subject.kind, subject.name.as_str()) {
        (SubjectKind::User, USER_ANONYMOUS) | (SubjectKind::Group, GROUP_UNAUTHENTICATED) => {
            Some(RiskKind::AnonymousGrant)
        }
        (SubjectKind::Group, GROUP_AUTHENTICATED | GROUP_SERVICE_ACCOUNTS) => {
            Some(RiskKind::AllAuthenticatedGrant)
        }
        _ => None,
    }
}

/// Subjects and bindings of the bootstrap policy, present in every cluster by design.
fn is_system(binding: &Binding, subject: &Subject) -> bool {
    if is_public(subject).is_some() {
        return false;
    }
    let system_name = matches!(subject.kind, SubjectKind::User | SubjectKind::Group)
        && subject.name.starts_with("system:");
    system_name
        || subject.name == GROUP_MASTERS
        || (binding.name.starts_with("system:") && binding.role_ref.name.starts_with("system:"))
}

impl RbacIndex<'_> {
    /// Every risky grant, sorted by kind, then subject and binding.
    pub fn risky_grants(&self, opts: &RiskOptions) -> Vec<RiskyGrant> {
        let mut out = Vec::new();
        for (b, binding) in self.input.bindings.iter().enumerate() {
            self.binding_risks(b, binding, opts, &mut out);
        }
        self.unused_roles(&mut out);
        out.sort();
        out
    }

    fn binding_risks(
        &self,
        b: usize,
        binding: &Binding,
        opts: &RiskOptions,
        out: &mut Vec<RiskyGrant>,
    ) {
        let binfo = BindingInfo::of(binding);
        let scope = Scope::of(binding.namespace.as_deref());
        let Some(role) = self.binding_role[b] else {
            let why = match (binding.role_ref.kind, &binding.namespace) {
                (RoleRefKind::Role, None) => {
                    "a ClusterRoleBinding cannot reference a Role".to_owned()
                }
                (RoleRefKind::Unknown, _) => {
                    "its roleRef kind is neither Role nor ClusterRole".to_owned()
                }
                (RoleRefKind::Role, Some(ns)) => {
                    format!("Role {ns}/{} does not exist", binding.role_ref.name)
                }
                (RoleRefKind::ClusterRole, _) => {
                    format!("ClusterRole {} does not exist", binding.role_ref.name)
                }
            };
            out.push(RiskyGrant {
                kind: RiskKind::DanglingRoleRef,
                subject: None,
                binding: Some(binfo),
                role: None,
                rule_index: None,
                aggregated_from: None,
                scope: Some(scope),
                explanation: format!(
                    "{}: {why}. {}",
                    BindingInfo::of(binding),
                    RiskKind::DanglingRoleRef.attack()
                ),
            });
            return;
        };
        let subjects: Vec<Subject> = binding
            .subjects
            .iter()
            .map(|s| resolved_subject(binding, s))
            .filter(|s| opts.include_system || !is_system(binding, s))
            .collect();
        if subjects.is_empty() {
            return;
        }
        let rinfo = RoleInfo::of(&self.input.roles[role]);
        let mut rule_hits = Vec::new();
        for (e, er) in self.effective[role].iter().enumerate() {
            for (kind, fact) in rule_risks(self.rule(*er), &scope, opts) {
                rule_hits.push((e, *er, kind, fact));
            }
        }
        // Cluster-admin power implies every other rule kind: report only that.
        if rule_hits
            .iter()
            .any(|h| h.2 == RiskKind::ClusterAdminEquivalent)
        {
            rule_hits.retain(|h| h.2 == RiskKind::ClusterAdminEquivalent);
        }
        for (s, subject) in subjects.iter().enumerate() {
            let label = subject_label(subject);
            let base = |kind: RiskKind, e: Option<usize>, explanation: String| {
                let (rule_index, aggregated_from) = match e {
                    Some(e) => {
                        let info: GrantInfo = self.grant_info(crate::grant::Grant {
                            slot: crate::index::SubjectSlot {
                                binding: b as u32,
                                subject: s as u32,
                            },
                            role: role as u32,
                            eff: e as u32,
                        });
                        (Some(info.rule_index), info.aggregated_from)
                    }
                    None => (None, None),
                };
                RiskyGrant {
                    kind,
                    subject: Some(subject.clone()),
                    binding: Some(binfo.clone()),
                    role: Some(rinfo.clone()),
                    rule_index,
                    aggregated_from,
                    scope: Some(scope.clone()),
                    explanation,
                }
            };
            for (e, er, kind, fact) in &rule_hits {
                let rule_ref = if er.role as usize == role {
                    format!("{rinfo} rule {}", er.rule)
                } else {
                    format!(
                        "{rinfo} rule {} (aggregated from {})",
                        er.rule,
                        RoleInfo::of(&self.input.roles[er.role as usize])
                    )
                };
                let text = format!(
                    "{label} {fact} {} through {binfo} -> {rule_ref}. {}",
                    scope.phrase(),
                    kind.attack()
                );
                out.push(base(*kind, Some(*e), text));
            }
            if let Some(kind) = is_public(subject)
                && !DEFAULT_PUBLIC_ROLES.contains(&binding.role_ref.name.as_str())
                && !self.effective[role].is_empty()
            {
                let text = format!(
                    "{label} is granted {rinfo} {} through {binfo}. {}",
                    scope.phrase(),
                    kind.attack()
                );
                out.push(base(kind, None, text));
            }
            if subject.kind == SubjectKind::ServiceAccount {
                self.service_account_risks(binding, subject, &label, &base, opts, out);
            }
        }
    }

    fn service_account_risks(
        &self,
        binding: &Binding,
        subject: &Subject,
        label: &str,
        base: &dyn Fn(RiskKind, Option<usize>, String) -> RiskyGrant,
        opts: &RiskOptions,
        out: &mut Vec<RiskyGrant>,
    ) {
        let binfo = BindingInfo::of(binding);
        if subject.name == "default" {
            let kind = RiskKind::DefaultServiceAccountBound;
            out.push(base(
                kind,
                None,
                format!("{label} is bound through {binfo}. {}", kind.attack()),
            ));
        } else if opts.report_missing_service_accounts {
            let ns = subject.namespace.as_deref().unwrap_or("");
            let exists = self
                .input
                .service_accounts
                .iter()
                .any(|sa| sa.namespace == ns && sa.name == subject.name);
            if !exists {
                let kind = RiskKind::DanglingServiceAccount;
                out.push(base(
                    kind,
                    None,
                    format!(
                        "{label} is bound through {binfo} but no such ServiceAccount exists. {}",
                        kind.attack()
                    ),
                ));
            }
        }
    }

    /// Roles that no binding references, directly or through aggregation into a bound ClusterRole.
    fn unused_roles(&self, out: &mut Vec<RiskyGrant>) {
        let mut used: HashSet<usize> = HashSet::new();
        for role in self.binding_role.iter().flatten() {
            used.insert(*role);
        }
        for (i, role) in self.input.roles.iter().enumerate() {
            let via_aggregation = self.aggregated_into[i]
                .iter()
                .any(|a| used.contains(&(*a as usize)));
            let builtin = role.name.starts_with("system:")
                || (role.namespace.is_none() && DEFAULT_USER_ROLES.contains(&role.name.as_str()));
            if used.contains(&i) || via_aggregation || builtin {
                continue;
            }
            let rinfo = RoleInfo::of(role);
            let kind = RiskKind::UnusedRole;
            out.push(RiskyGrant {
                kind,
                subject: None,
                binding: None,
                role: Some(rinfo.clone()),
                rule_index: None,
                aggregated_from: None,
                scope: Some(Scope::of(role.namespace.as_deref())),
                explanation: format!(
                    "{rinfo} is not referenced by any binding. {}",
                    kind.attack()
                ),
            });
        }
    }
}
