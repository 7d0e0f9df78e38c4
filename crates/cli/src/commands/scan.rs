use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use kubeward_diagnostics::Severity;
use kubeward_report::{Format, Report, Summary, TextOptions};
use kubeward_rules::config::{self, Config, LoadedConfig};
use kubeward_rules::scan_loaded;
use kubeward_source::{LoadOptions, Progress};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::args::{ColorChoice, DEFAULT_TOP_RISKS, ScanArgs, SortOrder};

/// The default `--fail-on`: high and critical findings fail a CI job; medium and below are advice.
const DEFAULT_FAIL_ON: Severity = Severity::High;

/// Where one format goes.
struct Output {
    format: Format,
    file: Option<PathBuf>,
}

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if !args.cluster && args.cluster_args.any_given() {
        bail!(
            "--kubeconfig, --context, -n, -A, --exclude-namespaces and --no-secrets need --cluster"
        );
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let outputs = outputs(&args)?;

    let loaded_config = load_config(&args, &paths)?;
    let config = loaded_config.as_ref().map(|l| &l.config);
    let fail_on = parse_fail_on(
        args.fail_on
            .as_deref()
            .or(config.and_then(|c| c.fail_on.as_deref())),
    )?;
    // A broken CVE database is a usage error, found before anything is read.
    let cve_db = match &args.cve_db {
        Some(path) => Some(std::sync::Arc::new(
            kubeward_host::load_cve_db(path)
                .with_context(|| format!("--cve-db {}", path.display()))?,
        )),
        None => None,
    };
    // Validate selection before reading anything: a typo fails fast.
    let default_config = Config::default();
    config::build_settings(
        config.unwrap_or(&default_config),
        loaded_config.as_ref(),
        &args.select,
        &args.ignore,
        None,
    )?;

    // Asset groups too: a bad selector fails before anything is read.
    let groups = config::build_groups(config.unwrap_or(&default_config), loaded_config.as_ref())?;

    // An unknown framework fails before anything is read, like an unknown rule.
    let frameworks = kubeward_frameworks::frameworks()?;
    let framework = args
        .framework
        .as_deref()
        .map(|name| {
            kubeward_frameworks::select(&frameworks, name).map(|(f, scope)| (name, f, scope))
        })
        .transpose()?;

    let mut options = LoadOptions::default();
    if let Some(c) = config {
        c.limits.apply(&mut options.limits);
        options.exclude.extend(c.exclude.iter().cloned());
    }
    if let Some(size) = args.max_file_size {
        options.limits.max_file_size = size;
    }
    options.exclude.extend(args.exclude.iter().cloned());
    options.helm_values = args.helm_values.clone();
    options.helm_set = args.helm_set.clone();
    if let Ok(helm) = std::env::var("KUBEWARD_HELM") {
        options.helm = Some(PathBuf::from(helm));
    }

    if args.watch {
        let mut settings = config::build_settings(
            config.unwrap_or(&default_config),
            loaded_config.as_ref(),
            &args.select,
            &args.ignore,
            None,
        )?;
        settings.verbose = args.verbose;
        if let Some(level) = args.pss_level {
            settings.options.pss_level = level;
        }
        if let Some(version) = args.pss_version {
            settings.options.pss_version = version;
        }
        settings.options.cve_db = cve_db.clone();
        let json = outputs.iter().any(|o| o.format == Format::Json);
        return super::watch::run(&args, &settings, &options.limits, json);
    }
    let (mut loaded, gaps) = if args.cluster {
        let collection = super::cluster::collect(&args.cluster_args)?;
        super::cluster::load(collection, &options.limits)
    } else {
        let progress = ProgressLine::start(&mut options);
        let loaded = kubeward_source::load(&paths, &options);
        progress.finish();
        (loaded, super::cluster::snapshot_gaps(&paths))
    };
    let config_source = loaded_config
        .as_ref()
        .map(|l| l.add_to(&mut loaded.sources));
    let mut settings = config::build_settings(
        config.unwrap_or(&default_config),
        loaded_config.as_ref(),
        &args.select,
        &args.ignore,
        config_source,
    )?;
    settings.verbose = args.verbose;
    if let Some(level) = args.pss_level {
        settings.options.pss_level = level;
    }
    if let Some(version) = args.pss_version {
        settings.options.pss_version = version;
    }
    settings.options.cve_db = cve_db;
    if let Some((name, f, scope)) = framework {
        restrict_to_framework(&mut settings, f, scope, name, args.pss_level)?;
    }

    let not_evaluated = super::cluster::not_evaluated(&gaps, &settings);
    super::cluster::disable_blind_rules(&gaps, &mut settings);
    let mut scan = scan_loaded(loaded, &settings);
    // The risk map costs a second pass over the inventory: build it only when something shows it.
    let top_risks = if outputs
        .iter()
        .any(|o| matches!(o.format, Format::Text | Format::Markdown))
    {
        args.top_risks.unwrap_or(if args.sort == SortOrder::Risk {
            DEFAULT_TOP_RISKS
        } else {
            0
        })
    } else {
        0
    };
    let risks = (args.sort == SortOrder::Risk || top_risks > 0)
        .then(|| super::risk::scores(&scan.inventory, &scan.result.findings, &groups));
    let risks = sort_findings(&mut scan.result.findings, risks, args.sort);
    let summary = Summary {
        objects: scan.result.objects,
        sources: scan.sources.len(),
        rules_run: scan.result.rules_run,
        incomplete: scan.incomplete || !not_evaluated.is_empty(),
        duration_ms: started.elapsed().as_millis() as u64,
        fail_on,
        not_evaluated,
    };
    let assessment = framework.map(|(name, f, scope)| {
        let mut runs = kubeward_rules::rule_runs(&settings, &scan.inventory, &scan.result.findings);
        for gap in &summary.not_evaluated {
            for run in runs
                .iter_mut()
                .filter(|r| gap.rules.iter().any(|id| id == r.id))
            {
                run.unread.push(format!("{} ({})", gap.input, gap.reason));
            }
        }
        kubeward_frameworks::assess(f, &name.to_ascii_lowercase(), scope, &runs)
    });
    // Kinds that could not be read make the scan incomplete (exit 2), unless the user accepts it.
    let unread = !summary.not_evaluated.is_empty() && !args.cluster_args.allow_incomplete;
    let base_dir = std::env::current_dir().ok();
    let templates = template_spans(&scan);
    let lookup = |location: &kubeward_diagnostics::Location| -> Option<String> {
        templates
            .iter()
            .find(|(source, start, end, _)| {
                *source == location.source && (*start..=*end).contains(&location.span.start.line)
            })
            .map(|(_, _, _, template)| template.clone())
    };
    let report = Report {
        findings: &scan.result.findings,
        sources: &scan.sources,
        summary,
        base_dir: base_dir.as_deref(),
        templates: if templates.is_empty() {
            None
        } else {
            Some(&lookup)
        },
        framework: assessment.as_ref(),
        risks: risks.as_deref(),
        top_risks,
    };
    for output in &outputs {
        write_output(output, &report, &args)?;
    }

    let failing = fail_on.is_some_and(|threshold| {
        scan.result
            .findings
            .iter()
            .any(|f| !f.is_suppressed() && f.severity >= threshold)
    });
    let code = if scan.incomplete || unread {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    // The process ends right after this: freeing millions of tree nodes one by one would take longer
    // than the OS takes to reclaim the whole heap.
    std::mem::forget(scan);
    Ok(code)
}

/// Puts the findings (and their scores, kept parallel) in the `--sort` order. Every order is stable
/// over the engine's order (file, position, rule), which therefore breaks ties.
fn sort_findings(
    findings: &mut Vec<kubeward_diagnostics::Finding>,
    risks: Option<Vec<kubeward_graph::RiskScore>>,
    order: SortOrder,
) -> Option<Vec<kubeward_graph::RiskScore>> {
    let mut index: Vec<usize> = (0..findings.len()).collect();
    match order {
        SortOrder::File => return risks,
        SortOrder::Severity => index.sort_by_key(|&i| std::cmp::Reverse(findings[i].severity)),
        SortOrder::Rule => index.sort_by_key(|&i| findings[i].rule_id),
        SortOrder::Risk => {
            if let Some(r) = &risks {
                index.sort_by_key(|&i| {
                    (
                        std::cmp::Reverse(r[i].score),
                        std::cmp::Reverse(findings[i].severity),
                    )
                });
            }
        }
    }
    let mut slots: Vec<Option<kubeward_diagnostics::Finding>> =
        std::mem::take(findings).into_iter().map(Some).collect();
    *findings = index.iter().filter_map(|&i| slots[i].take()).collect();
    risks.map(|r| index.iter().filter_map(|&i| r.get(i).cloned()).collect())
}

/// `--framework`: only the rules that evaluate the framework run (the input checks, KW, always do), and
/// the Pod Security Standards rules judge at the level the framework names.
fn restrict_to_framework(
    settings: &mut kubeward_rules::Settings,
    framework: &kubeward_frameworks::Framework,
    scope: kubeward_frameworks::Scope,
    name: &str,
    pss_level_flag: Option<kubeward_pss::Level>,
) -> Result<()> {
    let prefix = format!("{}:", framework.prefix);
    settings.selection.retain(|meta| {
        meta.area() == Some(kubeward_rules::Area::KW)
            || meta.frameworks.iter().any(|r| r.starts_with(&prefix))
    });
    if framework.prefix == "pss" {
        let level = match scope {
            kubeward_frameworks::Scope::PssBaseline => kubeward_pss::Level::Baseline,
            kubeward_frameworks::Scope::Whole => kubeward_pss::Level::Restricted,
        };
        if let Some(flag) = pss_level_flag
            && flag != level
        {
            bail!(
                "--framework {name} judges the {level} level; it cannot be combined with --pss-level {flag}"
            );
        }
        settings.options.pss_level = level;
    }
    Ok(())
}

/// Line ranges of objects rendered from Helm templates, with the template they came from.
fn template_spans(
    scan: &kubeward_rules::Scan,
) -> Vec<(kubeward_diagnostics::SourceId, u32, u32, String)> {
    scan.inventory
        .objects()
        .iter()
        .filter_map(|o| {
            let template = o.template.clone()?;
            Some((
                o.source,
                o.root.span.start.line,
                o.root.span.end.line,
                template,
            ))
        })
        .collect()
}

/// A one-line file counter on stderr while loading, for long scans on a terminal only (never in CI
/// logs or pipes). It appears after half a second, so quick scans print nothing.
struct ProgressLine {
    state: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
}

impl ProgressLine {
    fn start(options: &mut LoadOptions) -> Self {
        if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
            return Self { state: None };
        }
        let progress = Arc::new(Progress::default());
        options.progress = Some(progress.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let s = stop.clone();
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            let mut shown = false;
            while !s.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                if started.elapsed().as_millis() < 500 {
                    continue;
                }
                let done = progress.done.load(Ordering::Relaxed);
                let total = progress.total.load(Ordering::Relaxed);
                eprint!("\rkubeward: read {done}/{total} inputs");
                shown = true;
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        });
        Self {
            state: Some((stop, handle)),
        }
    }

    fn finish(self) {
        if let Some((stop, handle)) = self.state {
            stop.store(true, Ordering::Relaxed);
            let _ = handle.join();
        }
    }
}

fn outputs(args: &ScanArgs) -> Result<Vec<Output>> {
    let specs = if args.formats.is_empty() {
        vec!["text".to_string()]
    } else {
        args.formats.clone()
    };
    let mut outputs = Vec::new();
    for spec in specs {
        let (name, file) = match spec.split_once('=') {
            Some((n, f)) => (n, Some(PathBuf::from(f))),
            None => (spec.as_str(), None),
        };
        let format: Format = name.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        outputs.push(Output { format, file });
    }
    let to_stdout = outputs.iter().filter(|o| o.file.is_none()).count();
    if let Some(output_file) = &args.output {
        if to_stdout != 1 {
            bail!("--output needs exactly one --format without `=FILE` (got {to_stdout})");
        }
        for o in &mut outputs {
            if o.file.is_none() {
                o.file = Some(output_file.clone());
            }
        }
    } else if to_stdout > 1 {
        bail!(
            "only one format can go to standard output; write the others to files with FORMAT=FILE"
        );
    }
    Ok(outputs)
}

fn write_output(output: &Output, report: &Report<'_>, args: &ScanArgs) -> Result<()> {
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            output.file.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let text = TextOptions {
        color,
        show_suppressed: args.show_suppressed,
        show_fixes: true,
    };
    match &output.file {
        Some(path) => {
            let mut file = std::io::BufWriter::new(
                File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
            );
            kubeward_report::render(output.format, report, &text, &mut file)?;
            file.flush()?;
        }
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            kubeward_report::render(output.format, report, &text, &mut stdout)?;
            stdout.flush()?;
        }
    }
    Ok(())
}

fn load_config(args: &ScanArgs, paths: &[PathBuf]) -> Result<Option<LoadedConfig>> {
    find_config(args.no_config, args.config.as_ref(), paths)
}

/// The configuration file of a command: `--config`, else `.kubeward.yaml` found from the first
/// path upwards (then from the current directory); none with `--no-config`.
pub(crate) fn find_config(
    no_config: bool,
    config: Option<&PathBuf>,
    paths: &[PathBuf],
) -> Result<Option<LoadedConfig>> {
    if no_config {
        return Ok(None);
    }
    let path = match config {
        Some(p) => Some(p.clone()),
        None => {
            let start = paths
                .iter()
                .find(|p| p.as_os_str() != "-")
                .cloned()
                .unwrap_or_else(|| PathBuf::from("."));
            config::discover(&start).or_else(|| config::discover(Path::new(".")))
        }
    };
    path.map(|p| config::load(&p).map_err(anyhow::Error::from))
        .transpose()
}

pub(crate) fn parse_fail_on(value: Option<&str>) -> Result<Option<Severity>> {
    match value {
        None => Ok(Some(DEFAULT_FAIL_ON)),
        Some("never" | "none") => Ok(None),
        Some(s) => s
            .parse::<Severity>()
            .map(Some)
            .map_err(|e| anyhow::anyhow!("--fail-on: {e}, or never")),
    }
}
