//! Building blocks the check tables share: verdict constructors, evidence from flags and files, and the
//! flag / file-permission templates most CIS recommendations reduce to.

use crate::checks::{Ctx, Evidence, Outcome, Status};
use crate::compare::mode_within;
use crate::facts::{Component, ComponentKind, FileFact, Origin, Setting};
use crate::flags::Flag;

pub(crate) fn outcome(
    status: Status,
    message: impl Into<String>,
    evidence: Vec<Evidence>,
) -> Outcome {
    Outcome {
        status,
        message: message.into(),
        evidence,
    }
}

pub(crate) fn pass(message: impl Into<String>, evidence: Vec<Evidence>) -> Outcome {
    outcome(Status::Pass, message, evidence)
}

pub(crate) fn fail(message: impl Into<String>, evidence: Vec<Evidence>) -> Outcome {
    outcome(Status::Fail, message, evidence)
}

pub(crate) fn warn(message: impl Into<String>, evidence: Vec<Evidence>) -> Outcome {
    outcome(Status::Warn, message, evidence)
}

pub(crate) fn manual(message: impl Into<String>, evidence: Vec<Evidence>) -> Outcome {
    outcome(Status::Manual, message, evidence)
}

pub(crate) fn not_applicable(message: impl Into<String>) -> Outcome {
    outcome(Status::NotApplicable, message, Vec::new())
}

pub(crate) fn ev_flag(f: &Flag) -> Evidence {
    Evidence {
        subject: format!("--{}", f.name),
        value: Some(f.value.clone()),
        origin: Some(f.origin.clone()),
    }
}

pub(crate) fn ev_absent(subject: &str, origin: Option<Origin>) -> Evidence {
    Evidence {
        subject: subject.to_string(),
        value: None,
        origin,
    }
}

pub(crate) fn ev_setting(subject: &str, s: &Setting) -> Evidence {
    Evidence {
        subject: subject.to_string(),
        value: Some(s.value.clone()),
        origin: Some(s.origin.clone()),
    }
}

pub(crate) fn ev_value(
    subject: &str,
    value: impl Into<String>,
    origin: Option<Origin>,
) -> Evidence {
    Evidence {
        subject: subject.to_string(),
        value: Some(value.into()),
        origin,
    }
}

/// Where a component's settings live, for "not set" evidence.
pub(crate) fn component_origin(c: &Component) -> Option<Origin> {
    use crate::facts::ComponentSource::*;
    match &c.source {
        StaticPod { path } | ConfigFile { path } => Some(Origin::new(path.as_str())),
        Process { pid } => Some(Origin::new(format!("/proc/{pid}/cmdline"))),
        Embedded { distribution } => Some(Origin::builtin(distribution)),
        EnvFile { path } => Some(Origin::new(path.as_str())),
    }
}

/// The component, or the not-applicable verdict for nodes without it.
pub(crate) fn component<'a>(ctx: &Ctx<'a>, kind: ComponentKind) -> Result<&'a Component, Outcome> {
    ctx.facts.component(kind).ok_or_else(|| {
        if ctx.facts.distribution.is_managed() {
            not_applicable(format!(
                "{} is run by the cloud provider; it is not on this node",
                kind.binary()
            ))
        } else {
            not_applicable(format!("no {} found on this node", kind.binary()))
        }
    })
}

/// Template: judge one flag of one component. `judge` gets the effective occurrence (or `None`).
pub(crate) fn flag_check(
    ctx: &Ctx,
    kind: ComponentKind,
    flag: &str,
    judge: impl Fn(Option<&Flag>) -> (Status, String),
) -> Outcome {
    let c = match component(ctx, kind) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let f = c.flags.get(flag);
    let (status, message) = judge(f);
    let evidence = match f {
        Some(f) => vec![ev_flag(f)],
        None => vec![ev_absent(&format!("--{flag}"), component_origin(c))],
    };
    outcome(status, message, evidence)
}

/// Template: a flag must be `value` (e.g. `--profiling=false`); `default` is what the component uses
/// when the flag is absent.
pub(crate) fn flag_equals(
    ctx: &Ctx,
    kind: ComponentKind,
    flag: &str,
    want: &str,
    default: &str,
) -> Outcome {
    let bin = kind.binary();
    flag_check(ctx, kind, flag, |f| match f {
        Some(f) if normalise_bool(&f.value) == want => {
            (Status::Pass, format!("{bin} `--{flag}` is `{}`", f.value))
        }
        Some(f) => (
            Status::Fail,
            format!("{bin} `--{flag}` is `{}`, expected `{want}`", f.value),
        ),
        None if default == want => (
            Status::Pass,
            format!("{bin} `--{flag}` is not set; the default `{default}` applies"),
        ),
        None => (
            Status::Fail,
            format!("{bin} `--{flag}` is not set; the default is `{default}`, expected `{want}`"),
        ),
    })
}

/// Template: a flag naming a file must be set (`--tls-cert-file`). Both flags of a pair are required.
pub(crate) fn flags_present(ctx: &Ctx, kind: ComponentKind, flags: &[&str]) -> Outcome {
    let c = match component(ctx, kind) {
        Ok(c) => c,
        Err(o) => return o,
    };
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    for name in flags {
        match c.flags.get(name) {
            Some(f) if !f.value.is_empty() => evidence.push(ev_flag(f)),
            _ => {
                missing.push(format!("`--{name}`"));
                evidence.push(ev_absent(&format!("--{name}"), component_origin(c)));
            }
        }
    }
    if missing.is_empty() {
        pass(
            format!(
                "{} sets {}",
                kind.binary(),
                flags
                    .iter()
                    .map(|f| format!("`--{f}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            evidence,
        )
    } else {
        fail(
            format!("{} does not set {}", kind.binary(), missing.join(" and ")),
            evidence,
        )
    }
}

/// Go/pflag booleans are case-insensitive in a few spellings; compare them canonically.
pub(crate) fn normalise_bool(v: &str) -> String {
    match crate::flags::parse_bool(v) {
        Some(true) => "true".into(),
        Some(false) => "false".into(),
        None => v.to_string(),
    }
}

pub(crate) fn ev_file(f: &FileFact) -> Vec<Evidence> {
    if !f.exists {
        return vec![ev_absent("file", Some(Origin::new(f.path.as_str())))];
    }
    vec![
        ev_value(
            "mode",
            format!("{:o}", f.mode.unwrap_or(0)),
            Some(Origin::new(f.path.as_str())),
        ),
        ev_value(
            "owner",
            f.owner_string(),
            Some(Origin::new(f.path.as_str())),
        ),
    ]
}

/// Expected owner of a file.
#[derive(Clone, Copy)]
pub(crate) enum Owner {
    Root,
    /// `etcd:etcd` by name (CIS 1.1.12); root is tolerated when no etcd user exists (kubeadm runs etcd as root).
    Etcd,
}

/// Verdict on one file's mode and owner. `None` when it passes, otherwise the problems.
pub(crate) fn file_problems(f: &FileFact, max_mode: u32, owner: Owner) -> Vec<String> {
    let mut problems = Vec::new();
    let mode = f.mode.unwrap_or(0);
    if !mode_within(mode, max_mode) {
        problems.push(format!(
            "`{}` has mode {:o}, more permissive than {:o}",
            f.path, mode, max_mode
        ));
    }
    let owned = match owner {
        Owner::Root => f.uid == Some(0) && f.gid == Some(0),
        Owner::Etcd => {
            (f.user.as_deref() == Some("etcd") && f.group.as_deref() == Some("etcd"))
                || (f.uid == Some(0) && f.gid == Some(0))
        }
    };
    if !owned {
        let want = match owner {
            Owner::Root => "root:root",
            Owner::Etcd => "etcd:etcd",
        };
        problems.push(format!(
            "`{}` is owned by {}, expected {want}",
            f.path,
            f.owner_string()
        ));
    }
    problems
}

/// Template for the CIS file checks: all `paths` must exist with at most `max_mode` and the expected
/// owner. A missing file is never a pass: `missing` decides between manual and not applicable.
pub(crate) fn files_check(
    ctx: &Ctx,
    paths: &[String],
    max_mode: u32,
    owner: Owner,
    missing: Status,
    what: &str,
) -> Outcome {
    if paths.is_empty() {
        return outcome(missing, format!("no {what} found on this node"), Vec::new());
    }
    let mut evidence = Vec::new();
    let mut problems = Vec::new();
    let mut absent = Vec::new();
    for p in paths {
        let f = ctx.facts.file(p);
        evidence.extend(ev_file(&f));
        if !f.exists {
            absent.push(p.clone());
            continue;
        }
        problems.extend(file_problems(&f, max_mode, owner));
    }
    if !problems.is_empty() {
        return fail(problems.join("; "), evidence);
    }
    if absent.len() == paths.len() {
        return outcome(
            missing,
            format!("{what} not found at {}", absent.join(", ")),
            evidence,
        );
    }
    pass(
        format!(
            "{what}: mode {:o} or stricter, owned by {}",
            max_mode,
            match owner {
                Owner::Root => "root:root",
                Owner::Etcd => "etcd:etcd (or root)",
            }
        ),
        evidence,
    )
}

/// Parse a Go duration (`4h0m0s`, `30s`, `1h30m`) into seconds.
pub(crate) fn go_duration_secs(s: &str) -> Option<f64> {
    if s == "0" {
        return Some(0.0);
    }
    let mut total = 0.0;
    let mut num = String::new();
    let mut chars = s.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let mut unit = c.to_string();
        if (c == 'm' || c == 'u' || c == 'n' || c == 'µ') && chars.peek() == Some(&'s') {
            unit.push('s');
            chars.next();
        }
        let n: f64 = num.parse().ok()?;
        num.clear();
        total += n * match unit.as_str() {
            "h" => 3600.0,
            "m" => 60.0,
            "s" => 1.0,
            "ms" => 0.001,
            "us" | "µs" => 0.000_001,
            "ns" => 0.000_000_001,
            _ => return None,
        };
        any = true;
    }
    if !num.is_empty() || !any {
        return None;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(go_duration_secs("4h0m0s"), Some(14400.0));
        assert_eq!(go_duration_secs("1m30s"), Some(90.0));
        assert_eq!(go_duration_secs("0"), Some(0.0));
        assert_eq!(go_duration_secs("0s"), Some(0.0));
        assert_eq!(go_duration_secs("5"), None);
    }
}
