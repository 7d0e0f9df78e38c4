use serde::Serialize;

use crate::{Control, Framework, Status, resolve};

/// A framework's controls with what evaluates each, inverted from the evaluators' references.
#[derive(Debug, Clone)]
pub struct Coverage<'a> {
    pub framework: &'a Framework,
    pub controls: Vec<ControlCoverage<'a>>,
}

/// One control with the rules that evaluate it and its effective status.
#[derive(Debug, Clone)]
pub struct ControlCoverage<'a> {
    pub control: &'a Control,
    /// The reference rules use for it: `cis:5.2.2`.
    pub reference: String,
    /// IDs of the rules that reference it, in the order given.
    pub rules: Vec<String>,
    /// IDs of the checks of a kubeward command (`kubeward node`, `kubeward pss check`) that evaluate it,
    /// when the caller attached them with [`Coverage::attach_checks`].
    pub checks: Vec<String>,
    /// [`Status::Automated`] when a rule references it, else the status from the data.
    pub status: Status,
}

/// Which controls of `framework` each rule evaluates, from `(rule ID, references)` pairs such as
/// `("POD001", ["cis:5.2.2", "owasp:K01"])`. References to other frameworks are ignored; references to
/// this framework that name no control are reported by [`unresolved`], not here.
pub fn coverage<'a, I, R, S, T>(framework: &'a Framework, rules: I) -> Coverage<'a>
where
    I: IntoIterator<Item = (S, R)>,
    R: IntoIterator<Item = T>,
    S: AsRef<str>,
    T: AsRef<str>,
{
    let mut controls: Vec<ControlCoverage<'a>> = framework
        .controls
        .iter()
        .map(|control| ControlCoverage {
            control,
            reference: framework.reference(control),
            rules: Vec::new(),
            checks: Vec::new(),
            status: control.status,
        })
        .collect();
    for (rule, refs) in rules {
        for reference in refs {
            if let Some(c) = control_mut(&mut controls, reference.as_ref()) {
                if !c.rules.iter().any(|r| r == rule.as_ref()) {
                    c.rules.push(rule.as_ref().to_owned());
                }
                c.status = Status::Automated;
            }
        }
    }
    Coverage {
        framework,
        controls,
    }
}

fn control_mut<'c, 'a>(
    controls: &'c mut [ControlCoverage<'a>],
    reference: &str,
) -> Option<&'c mut ControlCoverage<'a>> {
    controls.iter_mut().find(|c| c.reference == reference)
}

impl<'a> Coverage<'a> {
    /// Records the checks of a kubeward command that evaluate controls, from `(check ID, references)`
    /// pairs in the same `prefix:control` form as rules use. Statuses do not change: a command's checks
    /// are what the `node` and `pss` statuses already say.
    pub fn attach_checks<I, R, S, T>(&mut self, checks: I)
    where
        I: IntoIterator<Item = (S, R)>,
        R: IntoIterator<Item = T>,
        S: AsRef<str>,
        T: AsRef<str>,
    {
        for (check, refs) in checks {
            for reference in refs {
                if let Some(c) = control_mut(&mut self.controls, reference.as_ref())
                    && !c.checks.iter().any(|r| r == check.as_ref())
                {
                    c.checks.push(check.as_ref().to_owned());
                }
            }
        }
    }

    /// The coverage of the control with this ID.
    pub fn control(&self, id: &str) -> Option<&ControlCoverage<'a>> {
        self.controls.iter().find(|c| c.control.id == id)
    }

    /// How many controls have this effective status.
    pub fn count(&self, status: Status) -> usize {
        self.controls.iter().filter(|c| c.status == status).count()
    }

    /// Controls evaluated by rules.
    pub fn automated(&self) -> usize {
        self.count(Status::Automated)
    }

    /// Controls evaluated by kubeward at all: by rules or by a command (`node`, `pss`).
    pub fn evaluated(&self) -> usize {
        self.automated() + self.count(Status::Node) + self.count(Status::Pss)
    }

    pub fn total(&self) -> usize {
        self.controls.len()
    }
}

/// A reference that names no known framework or no control of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unresolved {
    pub rule: String,
    pub reference: String,
}

/// Every reference among `rules` that does not resolve to a control of `frameworks`.
pub fn unresolved<I, R, S, T>(frameworks: &[Framework], rules: I) -> Vec<Unresolved>
where
    I: IntoIterator<Item = (S, R)>,
    R: IntoIterator<Item = T>,
    S: AsRef<str>,
    T: AsRef<str>,
{
    let mut out = Vec::new();
    for (rule, refs) in rules {
        for reference in refs {
            if resolve(frameworks, reference.as_ref()).is_none() {
                out.push(Unresolved {
                    rule: rule.as_ref().to_owned(),
                    reference: reference.as_ref().to_owned(),
                });
            }
        }
    }
    out
}
