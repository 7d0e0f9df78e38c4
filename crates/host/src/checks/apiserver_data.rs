//! API server checks about data at rest and audit logging: encryption of Secrets (CIS 1.2.27, 1.2.28),
//! audit log retention (1.2.17-1.2.19) and the audit policy (3.2.1, 3.2.2).

use crate::audit_policy::{IssueSeverity, lint_audit_policy};
use crate::checks::{
    Ctx, Outcome, Status, component, component_origin, ev_absent, ev_flag, ev_value, fail,
    flag_check, manual, not_applicable, pass, warn,
};
use crate::compare::Op;
use crate::facts::{ComponentKind::ApiServer, Origin};

pub(super) fn audit_retention(ctx: &Ctx, flag: &str, min: &str) -> Outcome {
    let c = match component(ctx, ApiServer) {
        Ok(c) => c,
        Err(o) => return o,
    };
    match c.flags.get("audit-log-path").map(|f| f.value.as_str()) {
        None | Some("") => {
            return not_applicable(
                "no audit log is written (`--audit-log-path` not set; see CP017)",
            );
        }
        // Rotation flags do not apply to standard output; retention is the log collector's job.
        Some("-") => {
            return not_applicable(
                "audit events go to standard output; retention is up to the log collector",
            );
        }
        Some(_) => {}
    }
    flag_check(ctx, ApiServer, flag, |f| match f {
        Some(f) if Op::Gte.test(&f.value, min) => (
            Status::Pass,
            format!("`--{flag}` is {} (at least {min})", f.value),
        ),
        Some(f) => (
            Status::Fail,
            format!("`--{flag}` is `{}`, below {min}", f.value),
        ),
        None => (
            Status::Fail,
            format!(
                "`--{flag}` is not set (no limit by age/count is kept as CIS expects; set at least {min})"
            ),
        ),
    })
}

pub(super) fn encryption_config(ctx: &Ctx) -> Outcome {
    let c = match component(ctx, ApiServer) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let Some(f) = c.flags.get("encryption-provider-config") else {
        return fail(
            "`--encryption-provider-config` is not set: Secrets are stored in etcd in plain text",
            vec![ev_absent(
                "--encryption-provider-config",
                component_origin(c),
            )],
        );
    };
    let mut evidence = vec![ev_flag(f)];
    match &ctx.facts.encryption {
        Some(e) if e.exists => pass(
            format!("encryption configuration `{}` is in place", e.path),
            evidence,
        ),
        _ => {
            evidence.push(ev_absent("file", Some(Origin::new(f.value.as_str()))));
            manual(
                format!(
                    "`--encryption-provider-config` names `{}`, which is not under the scanned root",
                    f.value
                ),
                evidence,
            )
        }
    }
}

pub(super) fn encryption_provider(ctx: &Ctx) -> Outcome {
    if let Err(o) = component(ctx, ApiServer) {
        return o;
    }
    let Some(e) = &ctx.facts.encryption else {
        return fail(
            "no encryption configuration: Secrets are written as plain text (see CP028)",
            Vec::new(),
        );
    };
    if !e.exists {
        return manual(
            format!(
                "encryption configuration `{}` not found under the root",
                e.path
            ),
            Vec::new(),
        );
    }
    if let Some(err) = &e.parse_error {
        return manual(
            format!(
                "encryption configuration `{}` could not be parsed: {err}",
                e.path
            ),
            Vec::new(),
        );
    }
    let origin = e
        .origin
        .clone()
        .or_else(|| Some(Origin::new(e.path.as_str())));
    match e.secrets_first_provider.as_deref() {
        None => fail(
            format!(
                "`{}` has no provider list covering `secrets`: they are stored unencrypted",
                e.path
            ),
            vec![ev_absent("secrets provider", origin)],
        ),
        Some("identity") => fail(
            "the first provider for Secrets is `identity`: new Secrets are written unencrypted",
            vec![ev_value("first provider", "identity", origin)],
        ),
        Some("kms v1") => warn(
            "Secrets use KMS v1, which is deprecated; migrate to KMS v2",
            vec![ev_value("first provider", "kms v1", origin)],
        ),
        Some(p @ ("aescbc" | "aesgcm" | "secretbox" | "kms v2")) => pass(
            format!("Secrets are encrypted with `{p}`"),
            vec![ev_value("first provider", p, origin)],
        ),
        Some(p) => manual(
            format!("unrecognised first provider `{p}` for Secrets"),
            vec![ev_value("first provider", p, origin)],
        ),
    }
}

pub(super) fn audit_policy_present(ctx: &Ctx) -> Outcome {
    let c = match component(ctx, ApiServer) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let Some(f) = c.flags.get("audit-policy-file") else {
        return fail(
            "`--audit-policy-file` is not set: no requests are audited",
            vec![ev_absent("--audit-policy-file", component_origin(c))],
        );
    };
    match &ctx.facts.audit_policy {
        Some(p) if p.exists => pass(
            format!("audit policy `{}` is in place", p.path),
            vec![ev_flag(f)],
        ),
        _ => manual(
            format!(
                "`--audit-policy-file` names `{}`, which is not under the scanned root",
                f.value
            ),
            vec![
                ev_flag(f),
                ev_absent("file", Some(Origin::new(f.value.as_str()))),
            ],
        ),
    }
}

pub(super) fn audit_policy_lint(ctx: &Ctx) -> Outcome {
    if let Err(o) = component(ctx, ApiServer) {
        return o;
    }
    let Some(p) = ctx.facts.audit_policy.as_ref().filter(|p| p.exists) else {
        return not_applicable("no audit policy to review (see CP033)");
    };
    let issues = lint_audit_policy(&p.text);
    let evidence: Vec<_> = issues
        .iter()
        .filter(|i| i.severity != IssueSeverity::Info)
        .map(|i| crate::checks::Evidence {
            subject: i.code.to_string(),
            value: Some(i.message.clone()),
            origin: Some(Origin {
                path: p.path.clone(),
                line: i.line,
                column: i.column,
            }),
        })
        .collect();
    let errors = issues
        .iter()
        .filter(|i| i.severity == IssueSeverity::Error)
        .count();
    let warnings = issues
        .iter()
        .filter(|i| i.severity == IssueSeverity::Warning)
        .count();
    let summary: Vec<&str> = issues
        .iter()
        .filter(|i| i.severity != IssueSeverity::Info)
        .map(|i| i.message.as_str())
        .collect();
    if errors > 0 {
        fail(summary.join("; "), evidence)
    } else if warnings > 0 {
        warn(summary.join("; "), evidence)
    } else {
        pass(
            "audit policy has a catch-all rule and logs sensitive resources at Metadata at most",
            vec![ev_value("policy", "ok", Some(Origin::new(p.path.as_str())))],
        )
    }
}
