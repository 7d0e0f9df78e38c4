//! `RbacIndex`: the input resolved once (role references, aggregation, subjects) into lookup tables
//! that every query shares.

use std::collections::HashMap;

use serde::Serialize;

use crate::authz::{Attrs, Flat, Request, UserInfo, rule_allows, service_account_user};
use crate::grant::{BindingInfo, Grant, GrantInfo, RoleInfo, Scope};
use crate::input::{Binding, PolicyRule, RbacInput, Role, RoleRefKind, Subject, SubjectKind};

/// One rule in the effective rule list of a role: rule `rule` of role `role` (the role itself, or a
/// ClusterRole aggregated into it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct EffRule {
    pub(crate) role: u32,
    pub(crate) rule: u32,
}

/// A subject line of a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SubjectSlot {
    pub(crate) binding: u32,
    pub(crate) subject: u32,
}

/// Something odd in the input that analysis worked around.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IndexWarning {
    /// Two roles with the same namespace and name; the first one is used.
    DuplicateRole { role: RoleInfo },
    /// An aggregation selector the API machinery rejects; it selects nothing.
    InvalidAggregationSelector { role: RoleInfo, message: String },
    /// A ServiceAccount subject of a ClusterRoleBinding without a namespace never matches.
    ServiceAccountWithoutNamespace {
        binding: BindingInfo,
        subject: String,
    },
}

/// The resolved input. Build once with [`RbacIndex::build`], then query.
#[derive(Debug)]
pub struct RbacIndex<'a> {
    pub(crate) input: &'a RbacInput,
    cluster_roles: HashMap<&'a str, usize>,
    roles: HashMap<(&'a str, &'a str), usize>,
    /// Per role: its rules after aggregation.
    pub(crate) effective: Vec<Vec<EffRule>>,
    /// Per binding: the role it grants, `None` when the reference dangles.
    pub(crate) binding_role: Vec<Option<usize>>,
    pub(crate) bindings_of_role: Vec<Vec<u32>>,
    /// Per ClusterRole: the aggregated ClusterRoles that include its rules.
    pub(crate) aggregated_into: Vec<Vec<u32>>,
    /// User subjects and service-account subjects, keyed by user name.
    by_user: HashMap<String, Vec<SubjectSlot>>,
    by_group: HashMap<&'a str, Vec<SubjectSlot>>,
    /// Effective rules keyed by each entry of their `resources`, for who-can.
    by_resource: HashMap<&'a str, Vec<(u32, u32)>>,
    non_resource: Vec<(u32, u32)>,
    pub(crate) warnings: Vec<IndexWarning>,
    /// The escalation graph, solved on first use.
    pub(crate) escalation: std::sync::OnceLock<crate::escalation::Solved>,
}

impl<'a> RbacIndex<'a> {
    pub fn build(input: &'a RbacInput) -> Self {
        let mut index = RbacIndex {
            input,
            cluster_roles: HashMap::new(),
            roles: HashMap::new(),
            effective: Vec::with_capacity(input.roles.len()),
            binding_role: Vec::with_capacity(input.bindings.len()),
            bindings_of_role: vec![Vec::new(); input.roles.len()],
            aggregated_into: vec![Vec::new(); input.roles.len()],
            by_user: HashMap::new(),
            by_group: HashMap::new(),
            by_resource: HashMap::new(),
            non_resource: Vec::new(),
            warnings: Vec::new(),
            escalation: std::sync::OnceLock::new(),
        };
        index.index_roles();
        index.aggregate();
        index.index_rules();
        index.index_bindings();
        index
    }

    pub fn input(&self) -> &'a RbacInput {
        self.input
    }

    /// Problems found while building, in input order.
    pub fn warnings(&self) -> &[IndexWarning] {
        &self.warnings
    }

    fn index_roles(&mut self) {
        use std::collections::hash_map::Entry;
        for (i, role) in self.input.roles.iter().enumerate() {
            // Keep the first definition: a cluster holds only one object per name.
            let fresh = match &role.namespace {
                None => match self.cluster_roles.entry(&role.name) {
                    Entry::Vacant(v) => {
                        v.insert(i);
                        true
                    }
                    Entry::Occupied(_) => false,
                },
                Some(ns) => match self.roles.entry((ns, &role.name)) {
                    Entry::Vacant(v) => {
                        v.insert(i);
                        true
                    }
                    Entry::Occupied(_) => false,
                },
            };
            if !fresh {
                self.warnings.push(IndexWarning::DuplicateRole {
                    role: RoleInfo::of(role),
                });
            }
        }
    }

    /// The aggregation controller replaces the rules of a ClusterRole that has an `aggregationRule`
    /// with the union (duplicates dropped) of the rules of every other ClusterRole its selectors
    /// match. Aggregated roles can match each other, and the controller keeps recomputing until nothing
    /// changes, so the result is the rules of every non-aggregated ClusterRole reachable through
    /// selector matches. Cycles are fine: a role is visited once.
    fn aggregate(&mut self) {
        let roles = &self.input.roles;
        let mut matches: Vec<Vec<usize>> = vec![Vec::new(); roles.len()];
        // The ClusterRoles a selector can pick: one per name (duplicates are ignored).
        let candidates: Vec<usize> = (0..roles.len())
            .filter(|&j| {
                roles[j].namespace.is_none()
                    && self.cluster_roles.get(roles[j].name.as_str()) == Some(&j)
            })
            .collect();
        for (i, role) in roles.iter().enumerate() {
            let Some(selectors) = role
                .aggregation_rule
                .as_ref()
                .filter(|_| role.namespace.is_none())
            else {
                continue;
            };
            let mut valid = Vec::with_capacity(selectors.len());
            for selector in selectors {
                match selector.validate() {
                    Ok(()) => valid.push(selector),
                    Err(e) => self
                        .warnings
                        .push(IndexWarning::InvalidAggregationSelector {
                            role: RoleInfo::of(role),
                            message: e.to_string(),
                        }),
                }
            }
            for &j in &candidates {
                if j != i && valid.iter().any(|s| s.matches_valid(&roles[j].labels)) {
                    matches[i].push(j);
                }
            }
        }
        // Identical rules (the controller drops duplicates) share one id, hashed once.
        let mut interned: HashMap<&PolicyRule, u32> = HashMap::new();
        let mut rule_ids: Vec<Option<Vec<u32>>> = vec![None; roles.len()];
        let mut role_stamp: Vec<u32> = vec![0; roles.len()];
        let mut rule_stamp: Vec<u32> = Vec::new();
        for (i, role) in roles.iter().enumerate() {
            if !is_aggregated(role) {
                self.effective.push(
                    (0..role.rules.len())
                        .map(|r| EffRule {
                            role: i as u32,
                            rule: r as u32,
                        })
                        .collect(),
                );
                continue;
            }
            // Generation stamps instead of per-role hash sets: a role or rule is seen in this walk
            // when its stamp equals the walk's number.
            let walk = i as u32 + 1;
            role_stamp[i] = walk;
            let mut stack: Vec<usize> = matches[i].iter().rev().copied().collect();
            let mut eff = Vec::new();
            while let Some(j) = stack.pop() {
                if role_stamp[j] == walk {
                    continue;
                }
                role_stamp[j] = walk;
                self.aggregated_into[j].push(i as u32);
                if is_aggregated(&roles[j]) {
                    stack.extend(matches[j].iter().rev());
                    continue;
                }
                let ids = rule_ids[j].get_or_insert_with(|| {
                    roles[j]
                        .rules
                        .iter()
                        .map(|rule| {
                            let next = interned.len() as u32;
                            *interned.entry(rule).or_insert(next)
                        })
                        .collect()
                });
                for (r, &id) in ids.iter().enumerate() {
                    let id = id as usize;
                    if rule_stamp.len() <= id {
                        rule_stamp.resize(id + 1, 0);
                    }
                    if rule_stamp[id] != walk {
                        rule_stamp[id] = walk;
                        eff.push(EffRule {
                            role: j as u32,
                            rule: r as u32,
                        });
                    }
                }
            }
            self.effective.push(eff);
        }
    }

    fn index_rules(&mut self) {
        for (role, eff) in self.effective.iter().enumerate() {
            for (e, er) in eff.iter().enumerate() {
                let rule = &self.input.roles[er.role as usize].rules[er.rule as usize];
                let key = (role as u32, e as u32);
                if !rule.non_resource_urls.is_empty() {
                    self.non_resource.push(key);
                }
                let mut keys: Vec<&str> = rule.resources.iter().map(String::as_str).collect();
                keys.sort_unstable();
                keys.dedup();
                for resource in keys {
                    self.by_resource.entry(resource).or_default().push(key);
                }
            }
        }
    }

    fn index_bindings(&mut self) {
        for (b, binding) in self.input.bindings.iter().enumerate() {
            let role = self.resolve_role_ref(binding);
            if let Some(role) = role {
                self.bindings_of_role[role].push(b as u32);
            }
            self.binding_role.push(role);
            for (s, subject) in binding.subjects.iter().enumerate() {
                let slot = SubjectSlot {
                    binding: b as u32,
                    subject: s as u32,
                };
                match subject.kind {
                    SubjectKind::User => self
                        .by_user
                        .entry(subject.name.clone())
                        .or_default()
                        .push(slot),
                    SubjectKind::Group => {
                        self.by_group.entry(&subject.name).or_default().push(slot)
                    }
                    SubjectKind::ServiceAccount => match subject_sa_namespace(binding, subject) {
                        Some(ns) => self
                            .by_user
                            .entry(service_account_user(ns, &subject.name))
                            .or_default()
                            .push(slot),
                        None => self
                            .warnings
                            .push(IndexWarning::ServiceAccountWithoutNamespace {
                                binding: BindingInfo::of(binding),
                                subject: subject.name.clone(),
                            }),
                    },
                    SubjectKind::Unknown => {}
                }
            }
        }
    }

    /// A RoleBinding may reference a Role of its own namespace or a ClusterRole; a ClusterRoleBinding
    /// only a ClusterRole.
    fn resolve_role_ref(&self, binding: &Binding) -> Option<usize> {
        let name = binding.role_ref.name.as_str();
        match (binding.role_ref.kind, &binding.namespace) {
            (RoleRefKind::ClusterRole, _) => self.cluster_roles.get(name).copied(),
            (RoleRefKind::Role, Some(ns)) => self.roles.get(&(ns.as_str(), name)).copied(),
            _ => None,
        }
    }

    pub(crate) fn rule(&self, er: EffRule) -> &'a PolicyRule {
        &self.input.roles[er.role as usize].rules[er.rule as usize]
    }

    pub(crate) fn subject(&self, slot: SubjectSlot) -> &'a Subject {
        &self.input.bindings[slot.binding as usize].subjects[slot.subject as usize]
    }

    /// Every subject line that applies to `user`: its user name (service accounts included) and each
    /// of its groups.
    pub(crate) fn slots_of(&self, user: &UserInfo) -> Vec<SubjectSlot> {
        let mut slots: Vec<SubjectSlot> = self.by_user.get(&user.name).cloned().unwrap_or_default();
        for group in &user.groups {
            if let Some(s) = self.by_group.get(group.as_str()) {
                slots.extend_from_slice(s);
            }
        }
        slots.sort_unstable();
        slots.dedup_by_key(|s| s.binding);
        slots
    }

    /// Whether some binding names `name` itself (as a user or service account), not only its groups.
    pub(crate) fn names_user(&self, name: &str) -> bool {
        self.by_user
            .get(name)
            .is_some_and(|slots| !slots.is_empty())
    }

    /// Every rule granted through subject lines naming `name` itself (not its groups).
    pub(crate) fn grants_of_name(&self, name: &str) -> Vec<Grant> {
        let mut slots: Vec<SubjectSlot> = self.by_user.get(name).cloned().unwrap_or_default();
        slots.sort_unstable();
        slots.dedup_by_key(|s| s.binding);
        self.grants_of_slots(&slots)
    }

    /// Every rule granted to `user`, in every scope.
    pub(crate) fn grants_of(&self, user: &UserInfo) -> Vec<Grant> {
        self.grants_of_slots(&self.slots_of(user))
    }

    fn grants_of_slots(&self, slots: &[SubjectSlot]) -> Vec<Grant> {
        let mut grants = Vec::new();
        for &slot in slots {
            if let Some(role) = self.binding_role[slot.binding as usize] {
                for e in 0..self.effective[role].len() {
                    grants.push(Grant {
                        slot,
                        role: role as u32,
                        eff: e as u32,
                    });
                }
            }
        }
        grants
    }

    pub(crate) fn grant_rule(&self, grant: Grant) -> &'a PolicyRule {
        self.rule(self.effective[grant.role as usize][grant.eff as usize])
    }

    pub(crate) fn grant_scope(&self, grant: Grant) -> Option<&'a str> {
        self.input.bindings[grant.slot.binding as usize]
            .namespace
            .as_deref()
    }

    /// Whether `grant` allows `attrs` for a request in `namespace`: ClusterRoleBindings apply to every
    /// request, RoleBindings only to requests inside their namespace (never cluster-scoped ones).
    pub(crate) fn grant_allows(
        &self,
        grant: Grant,
        attrs: &Attrs<'_>,
        namespace: Option<&str>,
    ) -> bool {
        let in_scope = match self.grant_scope(grant) {
            None => true,
            Some(ns) => namespace == Some(ns),
        };
        in_scope && rule_allows(self.grant_rule(grant), attrs)
    }

    pub(crate) fn grant_info(&self, grant: Grant) -> GrantInfo {
        let binding = &self.input.bindings[grant.slot.binding as usize];
        let role_idx = grant.role as usize;
        let er = self.effective[role_idx][grant.eff as usize];
        let role = &self.input.roles[role_idx];
        let source = &self.input.roles[er.role as usize];
        GrantInfo {
            scope: Scope::of(binding.namespace.as_deref()),
            binding: BindingInfo::of(binding),
            role: RoleInfo::of(role),
            rule_index: er.rule as usize,
            aggregated_from: (er.role as usize != role_idx).then(|| RoleInfo::of(source)),
            rule: self.rule(er).clone(),
        }
    }

    /// Candidate rules for a resource request: those naming the resource, `*`, or `*/<subresource>`.
    pub(crate) fn candidates(&self, attrs: &Attrs<'_>) -> Vec<(u32, u32)> {
        match *attrs {
            Attrs::Resource {
                combined,
                subresource,
                ..
            } => {
                let star_sub = format!("*/{subresource}");
                let mut out = Vec::new();
                for key in [combined, "*"] {
                    if let Some(list) = self.by_resource.get(key) {
                        out.extend_from_slice(list);
                    }
                }
                if !subresource.is_empty()
                    && let Some(list) = self.by_resource.get(star_sub.as_str())
                {
                    out.extend_from_slice(list);
                }
                out.sort_unstable();
                out.dedup();
                out
            }
            Attrs::NonResource { .. } => self.non_resource.clone(),
        }
    }

    /// Every grant (over every binding) that allows `request`.
    pub(crate) fn grants_allowing(&self, request: &Request) -> Vec<Grant> {
        self.grants_allowing_in(request, false)
    }

    /// Every grant that allows `request`; with `any_namespace`, RoleBindings of every namespace count
    /// as if the request were made there.
    pub(crate) fn grants_allowing_in(&self, request: &Request, any_namespace: bool) -> Vec<Grant> {
        let flat = Flat::new(request);
        let attrs = flat.attrs();
        let namespace = request.namespace();
        let mut out = Vec::new();
        for (role, eff) in self.candidates(&attrs) {
            let rule = self.rule(self.effective[role as usize][eff as usize]);
            if !rule_allows(rule, &attrs) {
                continue;
            }
            for &b in &self.bindings_of_role[role as usize] {
                let binding = &self.input.bindings[b as usize];
                let in_scope = match &binding.namespace {
                    None => true,
                    Some(ns) => any_namespace || namespace == Some(ns.as_str()),
                };
                if !in_scope {
                    continue;
                }
                for s in 0..binding.subjects.len() {
                    out.push(Grant {
                        slot: SubjectSlot {
                            binding: b,
                            subject: s as u32,
                        },
                        role,
                        eff,
                    });
                }
            }
        }
        out
    }
}

pub(crate) fn is_aggregated(role: &Role) -> bool {
    role.namespace.is_none() && role.aggregation_rule.is_some()
}

/// The namespace a ServiceAccount subject refers to: its own, or else the RoleBinding's (the authorizer
/// defaults it); `None` for a namespace-less subject of a ClusterRoleBinding, which matches nothing.
pub(crate) fn subject_sa_namespace<'b>(
    binding: &'b Binding,
    subject: &'b Subject,
) -> Option<&'b str> {
    subject
        .namespace
        .as_deref()
        .filter(|ns| !ns.is_empty())
        .or(binding.namespace.as_deref())
}
