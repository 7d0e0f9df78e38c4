//! Credential rotation: certificates in the PKI directories and client certificates in kubeconfig files
//! — area `CP`. Expired certificates break the cluster; long-lived ones outlive the people and machines
//! they were issued to, and Kubernetes has no certificate revocation.

use crate::checks::{
    Area, CheckDef, Ctx, Evidence, Outcome, Severity, fail, not_applicable, pass, warn,
};
use crate::facts::CertFact;

const DAY: i64 = 86_400;

const fn def(
    id: &'static str,
    name: &'static str,
    severity: Severity,
    title: &'static str,
    remediation: &'static str,
    run: fn(&Ctx) -> Outcome,
) -> CheckDef {
    CheckDef {
        id,
        name,
        area: Area::Cp,
        cis: &[],
        severity,
        title,
        remediation,
        run,
    }
}

pub(super) const CHECKS: &[CheckDef] = &[
    def(
        "CP080",
        "certificate-expired",
        Severity::Critical,
        "A certificate has expired",
        "Renew it (kubeadm: `kubeadm certs renew all`, then restart the control-plane pods; k3s/RKE2: `k3s certificate rotate` / `rke2 certificate rotate`). Update kubeconfig files that embed expired client certificates.",
        expired,
    ),
    def(
        "CP081",
        "certificate-expiring-soon",
        Severity::Medium,
        "A certificate expires soon",
        "Renew it before it expires (kubeadm: `kubeadm certs check-expiration` and `kubeadm certs renew`); turn on kubelet certificate rotation so node certificates renew themselves.",
        expiring,
    ),
    def(
        "CP082",
        "certificate-validity-too-long",
        Severity::Low,
        "A certificate is valid for longer than the configured maximum",
        "Issue shorter-lived certificates: Kubernetes cannot revoke a certificate, so a leaked long-lived client certificate stays valid until it expires.",
        too_long,
    ),
];

fn ev(c: &CertFact, what: String) -> Evidence {
    Evidence {
        subject: c.subject.clone(),
        value: Some(what),
        origin: Some(c.origin.clone()),
    }
}

fn date(ts: i64) -> String {
    let (y, m, d) = crate::versions::civil_from_days(ts.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

fn expired(ctx: &Ctx) -> Outcome {
    let certs = &ctx.facts.certs;
    if certs.is_empty() {
        return not_applicable("no certificates found on this node");
    }
    let bad: Vec<Evidence> = certs
        .iter()
        .filter(|c| c.not_after < ctx.opts.now)
        .map(|c| ev(c, format!("expired {}", date(c.not_after))))
        .collect();
    if bad.is_empty() {
        pass(
            format!("{} certificates checked; none expired", certs.len()),
            Vec::new(),
        )
    } else {
        fail(format!("{} certificate(s) expired", bad.len()), bad)
    }
}

fn expiring(ctx: &Ctx) -> Outcome {
    let certs = &ctx.facts.certs;
    if certs.is_empty() {
        return not_applicable("no certificates found on this node");
    }
    let horizon = ctx.opts.now + ctx.opts.cert_expiry_days * DAY;
    let bad: Vec<Evidence> = certs
        .iter()
        .filter(|c| c.not_after >= ctx.opts.now && c.not_after < horizon)
        .map(|c| {
            let days = (c.not_after - ctx.opts.now) / DAY;
            ev(c, format!("expires {} (in {days} days)", date(c.not_after)))
        })
        .collect();
    if bad.is_empty() {
        pass(
            format!(
                "no certificate expires within {} days",
                ctx.opts.cert_expiry_days
            ),
            Vec::new(),
        )
    } else {
        warn(
            format!(
                "{} certificate(s) expire within {} days",
                bad.len(),
                ctx.opts.cert_expiry_days
            ),
            bad,
        )
    }
}

fn too_long(ctx: &Ctx) -> Outcome {
    let certs = &ctx.facts.certs;
    if certs.is_empty() {
        return not_applicable("no certificates found on this node");
    }
    let bad: Vec<Evidence> = certs
        .iter()
        .filter(|c| {
            let max = if c.is_ca {
                ctx.opts.ca_max_validity_days
            } else {
                ctx.opts.cert_max_validity_days
            };
            (c.not_after - c.not_before) / DAY > max
        })
        .map(|c| {
            let days = (c.not_after - c.not_before) / DAY;
            ev(
                c,
                format!(
                    "valid {days} days ({}{})",
                    if c.is_ca { "CA" } else { "leaf" },
                    format_args!(" until {}", date(c.not_after))
                ),
            )
        })
        .collect();
    if bad.is_empty() {
        pass(
            "no certificate is valid for longer than the configured maximum",
            Vec::new(),
        )
    } else {
        fail(
            format!(
                "{} certificate(s) valid longer than {} days (leaf) / {} days (CA)",
                bad.len(),
                ctx.opts.cert_max_validity_days,
                ctx.opts.ca_max_validity_days
            ),
            bad,
        )
    }
}
