//! Live clusters and snapshots: collection into the loader's documents, the coverage of kinds that
//! could not be read, and `snapshot save`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use kubeward_cluster::{CollectOptions, Collection, ConnectOptions, KindReport, KindStatus};
use kubeward_report::NotEvaluated;
use kubeward_rules::registry::RULES;
use kubeward_rules::{Settings, Target};
use kubeward_source::{Limits, Loaded, Origin};

use crate::args::ClusterArgs;

pub fn collect_options(args: &ClusterArgs) -> CollectOptions {
    CollectOptions {
        connect: ConnectOptions {
            kubeconfig: args.kubeconfig.clone(),
            context: args.context.clone(),
            request_timeout: Some(Duration::from_secs(args.timeout.max(1))),
        },
        namespace: args.namespace.clone(),
        exclude_namespaces: args.exclude_namespaces.clone(),
        secrets: !args.no_secrets,
        timeout: Duration::from_secs(args.timeout.max(1)),
        concurrency: args.concurrency.max(1),
        ..CollectOptions::default()
    }
}

/// Reads the cluster, and says on stderr how much it read with how many requests.
pub fn collect(args: &ClusterArgs) -> Result<Collection> {
    let started = std::time::Instant::now();
    let collection = kubeward_cluster::collect_blocking(&collect_options(args))
        .context("cannot read the cluster")?;
    let objects: usize = collection.lists.iter().map(|l| l.objects).sum();
    let owned: usize = collection.lists.iter().map(|l| l.skipped_owned).sum();
    let owned = if owned > 0 {
        format!("; {owned} objects made by controllers left to their owners")
    } else {
        String::new()
    };
    eprintln!(
        "kubeward: read {objects} objects of {} kinds from context `{}` with {} requests \
         ({} retries) in {} ms{owned}",
        collection.lists.len(),
        collection.meta.context,
        collection.requests,
        collection.retries,
        started.elapsed().as_millis(),
    );
    Ok(collection)
}

/// The collected lists as loaded documents (one source per resource, `cluster://apps/v1/deployments`),
/// and the kinds that could not be read.
pub fn load(collection: Collection, limits: &Limits) -> (Loaded, Vec<KindReport>) {
    // The cluster description a snapshot keeps in cluster.json, scanned like it: the VER rules read
    // the API server's version from it.
    // Without the collection time and the per-kind counts, which change all the time: watch mode
    // then sees it unchanged until the cluster itself changes (an upgrade, a node).
    let description = {
        let mut timeless = collection.meta.clone();
        timeless.collected_at.clear();
        kubeward_cluster::snapshot::metadata_text(&timeless, &[]).ok()
    };
    let mut texts: Vec<(String, String)> = collection
        .lists
        .into_iter()
        .map(|list| (list.source_name(), list.text))
        .collect();
    if let Some(text) = description {
        texts.push(("cluster:///version".to_string(), text));
    }
    let loaded = kubeward_source::load_texts(texts, &Origin::Cluster, limits);
    let gaps = collection
        .coverage
        .into_iter()
        .filter(|k| k.status.is_gap())
        .collect();
    (loaded, gaps)
}

/// The kinds a snapshot among `paths` could not read (from its `cluster.json`).
pub fn snapshot_gaps(paths: &[PathBuf]) -> Vec<KindReport> {
    paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| kubeward_cluster::snapshot::read_metadata(p))
        .flat_map(|s| s.coverage)
        .filter(|k| k.status.is_gap())
        .collect()
}

/// Turns off the cross-object rules that need a kind that could not be read: run on half the
/// picture they would report false findings (a binding "dangling" because Roles were forbidden).
/// Per-object rules keep running on the kinds that were read.
pub fn disable_blind_rules(gaps: &[KindReport], settings: &mut Settings) {
    for rule in RULES {
        if matches!(rule.target(), Target::Inventory)
            && gaps.iter().any(|g| rule.reads_kind(&g.kind))
        {
            settings.selection.disable(rule.meta.id);
        }
    }
}

/// What each unread kind means for the rules: those that read it were not evaluated on it (and
/// cross-object ones not at all, see [`disable_blind_rules`]).
pub fn not_evaluated(gaps: &[KindReport], settings: &Settings) -> Vec<NotEvaluated> {
    gaps.iter()
        .map(|gap| {
            let rules = RULES
                .iter()
                .filter(|r| settings.selection.is_enabled(r.meta) && r.reads_kind(&gap.kind))
                .map(|r| r.meta.id.to_string())
                .collect();
            let (reason, message) = match &gap.status {
                KindStatus::Forbidden(m) => ("forbidden", m.clone()),
                KindStatus::Failed(m) => ("failed", m.clone()),
                _ => ("failed", String::new()),
            };
            let input = if gap.group.is_empty() {
                gap.plural.clone()
            } else {
                format!("{}.{}", gap.plural, gap.group)
            };
            NotEvaluated {
                input,
                reason: reason.into(),
                message,
                rules,
            }
        })
        .collect()
}

/// `kubeward snapshot save`.
pub fn save(output: &Path, args: &ClusterArgs) -> Result<ExitCode> {
    let collection = collect(args)?;
    let written = kubeward_cluster::snapshot::write(&collection, output)
        .with_context(|| format!("cannot write the snapshot to {}", output.display()))?;
    eprintln!(
        "kubeward: wrote {} files to {}",
        written.len(),
        output.display()
    );
    let mut incomplete = false;
    for kind in collection.coverage.iter().filter(|k| k.status.is_gap()) {
        incomplete = true;
        let message = match &kind.status {
            KindStatus::Forbidden(m) => format!("forbidden: {m}"),
            KindStatus::Failed(m) => format!("failed: {m}"),
            _ => String::new(),
        };
        eprintln!(
            "warning: {} ({}) not saved: {message}",
            kind.kind, kind.plural
        );
    }
    if incomplete && !args.allow_incomplete {
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
