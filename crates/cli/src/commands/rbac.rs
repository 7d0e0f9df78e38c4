//! `kubeward rbac`: who-can, can-i, show and escalations over manifests, with the RBAC engine.
//!
//! Paths load exactly as for `scan`, and the objects become the engine's input through the same
//! conversion the RBAC rules use, so a query and a scan never disagree about the same files.
//!
//! Exit codes: 0 answered; for can-i, 0 allowed and 1 denied; 2 on a usage or input error, or when
//! part of the input could not be read, since the answer may then be incomplete. RBAC only adds
//! permissions, so a can-i "yes" stands even on incomplete input and still exits 0.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use kubeward_model::{Inventory, objects_from_documents};
use kubeward_rbac::{
    EscalationPath, Principal, RbacIndex, Request, UserInfo, render, split_service_account,
};
use kubeward_source::{LoadOptions, SourceMap};

use crate::args::{QueryFormat, RbacArgs, RbacCommand, RbacInputArgs, RequestArgs};

pub fn run(args: RbacArgs) -> Result<ExitCode> {
    match args.command {
        RbacCommand::WhoCan { request, input } => who_can(&request, &input),
        RbacCommand::CanI {
            as_user,
            as_groups,
            request,
            input,
        } => can_i(&as_user, &as_groups, &request, &input),
        RbacCommand::Show {
            subject,
            as_groups,
            input,
        } => show(&subject, &as_groups, &input),
        RbacCommand::Escalations { subject, input } => escalations(subject.as_deref(), &input),
    }
}

fn who_can(request: &RequestArgs, input: &RbacInputArgs) -> Result<ExitCode> {
    let request = build_request(request)?;
    let loaded = load(input)?;
    let index = RbacIndex::build(&loaded.input);
    let answer = index.who_can(&request);
    emit(
        input.format,
        || serde_json::to_value(&answer),
        |out| render::who_can(&answer, out),
    )?;
    Ok(loaded.exit_code(true))
}

fn can_i(
    user: &str,
    groups: &[String],
    request: &RequestArgs,
    input: &RbacInputArgs,
) -> Result<ExitCode> {
    if user.is_empty() {
        bail!("--as needs a user name");
    }
    let request = build_request(request)?;
    let user = with_groups(UserInfo::user(user, &[]), groups);
    let loaded = load(input)?;
    let index = RbacIndex::build(&loaded.input);
    let decision = index.can_i(&user, &request);
    emit(
        input.format,
        || serde_json::to_value(&decision),
        |out| render::decision(&decision, out),
    )?;
    Ok(if decision.allowed {
        ExitCode::SUCCESS
    } else if loaded.incomplete {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    })
}

fn show(subject: &str, groups: &[String], input: &RbacInputArgs) -> Result<ExitCode> {
    let user = with_groups(parse_subject(subject)?.user(), groups);
    let loaded = load(input)?;
    let index = RbacIndex::build(&loaded.input);
    let permissions = index.show(&user);
    emit(
        input.format,
        || serde_json::to_value(&permissions),
        |out| render::permissions(&permissions, out),
    )?;
    Ok(loaded.exit_code(true))
}

fn escalations(subject: Option<&str>, input: &RbacInputArgs) -> Result<ExitCode> {
    let subject = subject.map(parse_subject).transpose()?;
    let loaded = load(input)?;
    let index = RbacIndex::build(&loaded.input);
    let paths: Vec<EscalationPath> = match &subject {
        None => index.escalations(None),
        Some(subject) => {
            let principal = subject.principal();
            let named = index.escalations(Some(&principal));
            match (named.is_empty(), subject) {
                // A user or service account that no binding names can still escalate through its
                // groups (`system:authenticated`, `system:serviceaccounts`, ...).
                (true, Subject::User(_) | Subject::ServiceAccount(..)) => index
                    .escalation_of_user(&subject.user())
                    .into_iter()
                    .collect(),
                _ => named,
            }
        }
    };
    emit(
        input.format,
        || serde_json::to_value(&paths),
        |out| render::escalations(&paths, out),
    )?;
    Ok(loaded.exit_code(true))
}

/// A subject as the user writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    User(String),
    Group(String),
    ServiceAccount(String, String),
}

impl Subject {
    /// The identity an authenticator would hand over, implicit groups included.
    fn user(&self) -> UserInfo {
        match self {
            Subject::User(name) => UserInfo::user(name, &[]),
            Subject::Group(name) => UserInfo::group_member(name),
            Subject::ServiceAccount(ns, name) => UserInfo::service_account(ns, name),
        }
    }

    fn principal(&self) -> Principal {
        match self {
            Subject::User(name) => Principal::User { name: name.clone() },
            Subject::Group(name) => Principal::Group { name: name.clone() },
            Subject::ServiceAccount(namespace, name) => Principal::ServiceAccount {
                namespace: namespace.clone(),
                name: name.clone(),
            },
        }
    }
}

/// `alice`, `system:serviceaccount:NS:NAME`, `User:alice`, `Group:dev`, `ServiceAccount:NS/NAME`.
fn parse_subject(text: &str) -> Result<Subject> {
    let nonempty = |s: &str, what: &str| -> Result<String> {
        if s.is_empty() {
            bail!("subject `{text}`: empty {what}");
        }
        Ok(s.to_owned())
    };
    if let Ok((ns, name)) = split_service_account(text) {
        return Ok(Subject::ServiceAccount(ns.to_owned(), name.to_owned()));
    }
    if text.starts_with("system:serviceaccount:") {
        bail!("subject `{text}`: write a service account as system:serviceaccount:NAMESPACE:NAME");
    }
    let (kind, rest) = text.split_once(':').unwrap_or(("", text));
    match kind.to_ascii_lowercase().as_str() {
        "user" => Ok(Subject::User(nonempty(rest, "user name")?)),
        "group" => Ok(Subject::Group(nonempty(rest, "group name")?)),
        "serviceaccount" | "sa" => match rest.split_once('/') {
            Some((ns, name)) => Ok(Subject::ServiceAccount(
                nonempty(ns, "namespace")?,
                nonempty(name, "service account name")?,
            )),
            None => {
                bail!("subject `{text}`: write a service account as ServiceAccount:NAMESPACE/NAME")
            }
        },
        // Any other colon is part of a user name (`system:anonymous`, `oidc:alice`).
        _ => Ok(Subject::User(nonempty(text, "user name")?)),
    }
}

fn with_groups(mut user: UserInfo, groups: &[String]) -> UserInfo {
    for group in groups {
        if !user.groups.contains(group) {
            user.groups.push(group.clone());
        }
    }
    user
}

fn build_request(args: &RequestArgs) -> Result<Request> {
    if args.verb.is_empty() {
        bail!("empty verb");
    }
    if args.resource.starts_with('/') {
        if args.namespace.is_some() || args.name.is_some() || args.api_group.is_some() {
            bail!(
                "`{}` is a non-resource URL: -n, --name and --api-group do not apply",
                args.resource
            );
        }
        return Ok(Request::non_resource(&args.verb, &args.resource));
    }
    let mut request = Request::resource(&args.verb, &args.resource);
    if let Some(group) = &args.api_group {
        request = request.in_group(group);
    }
    if let Some(ns) = &args.namespace {
        request = request.in_namespace(ns);
    }
    if let Some(name) = &args.name {
        request = request.named(name);
    }
    request
        .validate()
        .with_context(|| format!("resource `{}`", args.resource))?;
    Ok(request)
}

/// The engine's input, and whether part of the files could not be read or converted.
struct Loaded {
    input: kubeward_rbac::RbacInput,
    incomplete: bool,
}

impl Loaded {
    fn exit_code(&self, answered: bool) -> ExitCode {
        if self.incomplete || !answered {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Reads the paths as `scan` does. Problems are warnings on standard error; the answer follows.
fn load(args: &RbacInputArgs) -> Result<Loaded> {
    let (sources, inventory, mut incomplete) = load_inventory(args);
    let converted = kubeward_rules::rbac_input(&inventory);
    for (index, reason) in &converted.skipped {
        incomplete = true;
        warn_skipped(&sources, &inventory, *index, reason);
    }
    if incomplete {
        eprintln!(
            "kubeward: warning: part of the input was not read; the answer may be incomplete"
        );
    }
    // The trees are no longer needed; the process ends soon after, and freeing them node by node
    // costs more than the OS reclaiming the heap.
    std::mem::forget(inventory);
    Ok(Loaded {
        input: converted.input,
        incomplete,
    })
}

fn warn_skipped(sources: &SourceMap, inventory: &Inventory, index: usize, reason: &str) {
    if let Some(object) = inventory.objects().get(index) {
        eprintln!(
            "kubeward: warning: {}:{}: {} `{}` is not valid RBAC input, left out: {reason}",
            sources.name(object.source),
            object.root.span.start.line,
            object.kind(),
            object.name()
        );
    }
}

/// Reads the paths as `scan` does, for the query commands (`rbac`, `netpol`): the objects, their
/// sources, and whether part of the input could not be read. Problems are warnings on standard error.
pub(crate) fn load_inventory(args: &RbacInputArgs) -> (SourceMap, Inventory, bool) {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut options = LoadOptions::default();
    options.exclude.extend(args.exclude.iter().cloned());
    if let Ok(helm) = std::env::var("KUBEWARD_HELM") {
        options.helm = Some(PathBuf::from(helm));
    }
    let loaded = kubeward_source::load(&paths, &options);
    let mut incomplete = false;
    for problem in &loaded.problems {
        incomplete |= problem.kind.is_incomplete();
        eprintln!("kubeward: warning: {}: {}", problem.path, problem.kind);
    }
    let (objects, _not_objects) = objects_from_documents(loaded.documents);
    (loaded.sources, Inventory::new(objects), incomplete)
}

/// Writes the answer as JSON, or as the text the renderer makes.
pub(crate) fn emit(
    format: QueryFormat,
    json: impl FnOnce() -> serde_json::Result<serde_json::Value>,
    text: impl FnOnce(&mut String) -> std::fmt::Result,
) -> Result<()> {
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        QueryFormat::Json => {
            serde_json::to_writer_pretty(&mut stdout, &json()?)?;
            writeln!(stdout)?;
        }
        QueryFormat::Text => {
            let mut out = String::new();
            text(&mut out)?;
            stdout.write_all(out.as_bytes())?;
        }
    }
    stdout.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_are_parsed_like_kubectl_as() {
        let user = |s: &str| Subject::User(s.to_owned());
        assert_eq!(parse_subject("alice").ok(), Some(user("alice")));
        assert_eq!(
            parse_subject("system:anonymous").ok(),
            Some(user("system:anonymous"))
        );
        assert_eq!(
            parse_subject("system:serviceaccount:ci:deployer").ok(),
            Some(Subject::ServiceAccount("ci".into(), "deployer".into()))
        );
        assert_eq!(
            parse_subject("ServiceAccount:ci/deployer").ok(),
            Some(Subject::ServiceAccount("ci".into(), "deployer".into()))
        );
        assert_eq!(
            parse_subject("Group:dev").ok(),
            Some(Subject::Group("dev".into()))
        );
        assert!(parse_subject("system:serviceaccount:ci").is_err());
        assert!(parse_subject("group:").is_err());
        assert!(parse_subject("").is_err());
    }
}
