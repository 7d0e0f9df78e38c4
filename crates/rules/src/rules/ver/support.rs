//! End of life and end of standard support, shared by VER001 and VER002.

use kubeward_diagnostics::Severity;
use kubeward_host::versions::{Date, Releases};

use crate::context::Context;
use crate::rules::ver::components::Versioned;

/// Which end of a release's support window a rule judges.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Window {
    EndOfLife,
    /// Past end of standard support but not past end of life.
    EndOfStandardSupport,
}

/// Reports `v` when its release is past the window's end. Releases the data does not know (newer than
/// the embedded calendar) are not judged.
pub(crate) fn lifecycle(
    ctx: &mut Context<'_>,
    v: &Versioned<'_>,
    releases: &Releases,
    today: Date,
    window: Window,
) {
    let Some(release) = releases.find(&v.version) else {
        return;
    };
    let (Some(eol), Some(eoas)) = (Date::parse(&release.eol), Date::parse(&release.eoas)) else {
        return;
    };
    let message = match window {
        Window::EndOfLife if eol < today => format!(
            "{} is past end of life ({eol}): Kubernetes {} gets no more patches; newest {}: {}",
            v.describe(),
            release.cycle,
            release.cycle,
            release.latest
        ),
        Window::EndOfStandardSupport if eoas < today && today <= eol => format!(
            "{} is past end of standard support ({eoas}); Kubernetes {} reaches end of life on {eol}",
            v.describe(),
            release.cycle
        ),
        _ => return,
    };
    let mut severity = ctx.rule.severity;
    let message = if v.managed {
        severity = lower(severity);
        format!("{message} (a managed build: check the provider's support calendar)")
    } else {
        message
    };
    ctx.report(v.object, v.node, message).severity = severity;
}

fn lower(severity: Severity) -> Severity {
    match severity {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium => Severity::Low,
        Severity::Low | Severity::Info => Severity::Info,
    }
}
