//! who-can, can-i and show: exact answers with the bindings and rules behind them.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::authz::{Flat, GROUP_MASTERS, Request, UserInfo};
use crate::grant::{Grant, GrantInfo, resolved_subject};
use crate::index::RbacIndex;
use crate::input::Subject;

/// Every subject allowed to make a request, each with every grant that allows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WhoCan {
    pub request: Request,
    pub subjects: Vec<SubjectGrants>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectGrants {
    /// Service-account subjects carry their resolved namespace.
    pub subject: Subject,
    pub grants: Vec<GrantInfo>,
}

/// The answer to can-i.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub user: UserInfo,
    pub request: Request,
    pub allowed: bool,
    /// The user is in `system:masters`, which the API server allows before RBAC is consulted.
    pub system_masters: bool,
    /// Every grant that allows the request (empty when only `system_masters` allows it).
    pub reasons: Vec<Reason>,
}

/// One grant reaching a user, and the subject line of the binding that matched the user.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Reason {
    pub via: Subject,
    pub grant: GrantInfo,
}

/// Every rule a user holds, in every scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectivePermissions {
    pub user: UserInfo,
    pub system_masters: bool,
    pub rules: Vec<Reason>,
}

impl RbacIndex<'_> {
    /// Who may make `request`. A request without namespace is cluster-scoped (or across all
    /// namespaces): only ClusterRoleBindings can allow it. Subjects are users, groups and service
    /// accounts as written in bindings; members of `system:masters` are always allowed and not listed.
    pub fn who_can(&self, request: &Request) -> WhoCan {
        self.who_can_from(request, self.grants_allowing(request))
    }

    /// Who may make `request` in at least one namespace, each grant with its scope: the
    /// ClusterRoleBindings that allow it everywhere and the RoleBindings that allow it in their
    /// namespace. The request's own namespace is ignored. One pass instead of a [`Self::who_can`]
    /// per namespace.
    pub fn who_can_in_any_namespace(&self, request: &Request) -> WhoCan {
        self.who_can_from(request, self.grants_allowing_in(request, true))
    }

    fn who_can_from(&self, request: &Request, grants: Vec<Grant>) -> WhoCan {
        let mut by_subject: BTreeMap<Subject, Vec<GrantInfo>> = BTreeMap::new();
        for grant in grants {
            let subject = self.resolved(grant);
            by_subject
                .entry(subject)
                .or_default()
                .push(self.grant_info(grant));
        }
        WhoCan {
            request: request.clone(),
            subjects: by_subject
                .into_iter()
                .map(|(subject, mut grants)| {
                    grants.sort();
                    grants.dedup();
                    SubjectGrants { subject, grants }
                })
                .collect(),
        }
    }

    /// Whether `user` may make `request`, and every grant that allows it. Pass users built with
    /// [`UserInfo::user`] or [`UserInfo::service_account`] so the implicit groups are present.
    pub fn can_i(&self, user: &UserInfo, request: &Request) -> Decision {
        let flat = Flat::new(request);
        let attrs = flat.attrs();
        let namespace = request.namespace();
        let mut reasons: Vec<Reason> = self
            .grants_of(user)
            .into_iter()
            .filter(|g| self.grant_allows(*g, &attrs, namespace))
            .map(|g| self.reason(g))
            .collect();
        reasons.sort();
        let system_masters = user.groups.iter().any(|g| g == GROUP_MASTERS);
        Decision {
            user: user.clone(),
            request: request.clone(),
            allowed: system_masters || !reasons.is_empty(),
            system_masters,
            reasons,
        }
    }

    /// Every rule `user` holds, cluster-wide rows first, then by namespace.
    pub fn show(&self, user: &UserInfo) -> EffectivePermissions {
        let mut rules: Vec<Reason> = self
            .grants_of(user)
            .into_iter()
            .map(|g| self.reason(g))
            .collect();
        rules.sort_by(|a, b| (&a.grant, &a.via).cmp(&(&b.grant, &b.via)));
        EffectivePermissions {
            user: user.clone(),
            system_masters: user.groups.iter().any(|g| g == GROUP_MASTERS),
            rules,
        }
    }

    pub(crate) fn resolved(&self, grant: Grant) -> Subject {
        let binding = &self.input.bindings[grant.slot.binding as usize];
        resolved_subject(binding, self.subject(grant.slot))
    }

    pub(crate) fn reason(&self, grant: Grant) -> Reason {
        Reason {
            via: self.resolved(grant),
            grant: self.grant_info(grant),
        }
    }
}
