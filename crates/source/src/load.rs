//! Turns the user's inputs into documents: walking directories, reading files within limits, rendering
//! Helm charts and Kustomize overlays with the real tools, parsing in parallel.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use globset::{Glob, GlobSet, GlobSetBuilder};
use kubeward_diagnostics::{SourceId, Span};
use rayon::prelude::*;

use crate::node::Node;
use crate::parse::{Limits, ParseProblemKind, parse_stream};
use crate::source_map::{Origin, SourceFile, SourceMap};

/// What to load and how.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub limits: Limits,
    /// Glob patterns; a file or directory matching one (by path as walked, or by any suffix of it) is
    /// not read.
    pub exclude: Vec<String>,
    /// Values files passed to `helm template --values`.
    pub helm_values: Vec<PathBuf>,
    /// `key=value` pairs passed to `helm template --set`.
    pub helm_set: Vec<String>,
    /// The `helm` binary; looked up on PATH when `None`.
    pub helm: Option<PathBuf>,
    /// The `kubectl` binary (for `kubectl kustomize`); looked up on PATH when `None`.
    pub kubectl: Option<PathBuf>,
    /// Counters a progress display can poll while loading runs.
    pub progress: Option<Arc<Progress>>,
}

/// How far loading has come: inputs found by walking, and inputs read and parsed.
#[derive(Debug, Default)]
pub struct Progress {
    pub total: AtomicUsize,
    pub done: AtomicUsize,
}

/// A YAML document of a source: usually a Kubernetes object, sometimes not (the model decides).
#[derive(Debug, Clone)]
pub struct Document {
    pub source: SourceId,
    /// 0-based position in its stream.
    pub index: u32,
    pub root: Node,
    /// For rendered sources: the template it came from, from helm's `# Source:` comment.
    pub template: Option<String>,
}

/// Something that kept part of the input from being read.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadProblem {
    /// The file or directory, as the user sees it.
    pub path: String,
    pub source: Option<SourceId>,
    pub span: Option<Span>,
    pub document: Option<u32>,
    pub kind: LoadProblemKind,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LoadProblemKind {
    #[error(transparent)]
    Parse(ParseProblemKind),
    #[error(
        "file is {size} bytes, over the {limit}-byte limit; not read (raise `--max-file-size`)"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error("not valid UTF-8 (first invalid byte at offset {offset}); not read")]
    NotUtf8 { offset: usize },
    #[error("binary file (contains NUL bytes); not read")]
    Binary,
    #[error("cannot read: {0}")]
    Io(String),
    #[error("`{tool}` is not installed, so the {what} here was not rendered or scanned")]
    RendererMissing {
        tool: &'static str,
        what: &'static str,
    },
    #[error("`{command}` failed: {stderr}")]
    RenderFailed { command: String, stderr: String },
}

impl LoadProblemKind {
    /// Whether the problem means that something was not scanned at all (as opposed to a warning).
    pub fn is_incomplete(&self) -> bool {
        match self {
            LoadProblemKind::Parse(p) => p.drops_document(),
            _ => true,
        }
    }
}

/// The result of loading: sources for snippets, documents for the model, problems for the report.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub documents: Vec<Document>,
    pub problems: Vec<LoadProblem>,
}

/// One unit of work found by walking the inputs.
#[derive(Debug, Clone)]
enum Input {
    File {
        path: PathBuf,
    },
    Stdin,
    Helm {
        chart: PathBuf,
    },
    Kustomize {
        dir: PathBuf,
    },
    /// An input that could not be opened; kept in order so the problem is reported in place.
    Missing {
        path: PathBuf,
        error: String,
    },
}

/// Loads every input. `-` is standard input. Never fails as a whole: each problem is recorded and the
/// rest goes on.
pub fn load(inputs: &[PathBuf], options: &LoadOptions) -> Loaded {
    let mut loaded = Loaded::default();
    let exclude = match build_globset(&options.exclude) {
        Ok(set) => set,
        Err(message) => {
            loaded.problems.push(LoadProblem {
                path: "--exclude".into(),
                source: None,
                span: None,
                document: None,
                kind: LoadProblemKind::Io(message),
            });
            GlobSet::empty()
        }
    };
    let mut units = Vec::new();
    for input in inputs {
        collect_inputs(input, &exclude, &mut units, &mut loaded.problems);
    }
    if let Some(p) = &options.progress {
        p.total.store(units.len(), Ordering::Relaxed);
    }
    let results: Vec<UnitResult> = units
        .par_iter()
        .map(|unit| {
            let result = read_unit(unit, options);
            if let Some(p) = &options.progress {
                p.done.fetch_add(1, Ordering::Relaxed);
            }
            result
        })
        .collect();
    for result in results {
        result.merge_into(&mut loaded);
    }
    loaded
}

/// Loads a text that is already in memory (tests, the admission webhook, the dashboard).
pub fn load_text(name: &str, text: String, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    parse_text(name.to_string(), None, Origin::Stdin, text, limits).merge_into(&mut loaded);
    loaded
}

/// Loads texts that are already in memory, in parallel (the lists a live cluster returned).
pub fn load_texts(texts: Vec<(String, String)>, origin: &Origin, limits: &Limits) -> Loaded {
    let mut loaded = Loaded::default();
    let results: Vec<UnitResult> = texts
        .into_par_iter()
        .map(|(name, text)| parse_text(name, None, origin.clone(), text, limits))
        .collect();
    for result in results {
        result.merge_into(&mut loaded);
    }
    loaded
}

fn build_globset(patterns: &[String]) -> Result<GlobSet, String> {
    let mut builder = GlobSetBuilder::new();
    for p in patterns {
        let glob = Glob::new(p).map_err(|e| format!("invalid --exclude pattern `{p}`: {e}"))?;
        builder.add(glob);
        // A bare name or relative pattern also matches anywhere below the inputs.
        if !p.starts_with('/')
            && !p.starts_with("**")
            && let Ok(g) = Glob::new(&format!("**/{p}"))
        {
            builder.add(g);
        }
    }
    builder.build().map_err(|e| e.to_string())
}

fn is_manifest_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

fn is_helm_chart(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file()
}

fn is_kustomization(dir: &Path) -> bool {
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .any(|f| dir.join(f).is_file())
}

fn collect_inputs(
    input: &Path,
    exclude: &GlobSet,
    units: &mut Vec<Input>,
    problems: &mut Vec<LoadProblem>,
) {
    if input.as_os_str() == "-" {
        units.push(Input::Stdin);
        return;
    }
    match std::fs::metadata(input) {
        Ok(meta) if meta.is_dir() => walk_dir(input, exclude, units, problems, true),
        // A file named explicitly is read whatever its extension.
        Ok(_) => units.push(Input::File {
            path: input.to_path_buf(),
        }),
        Err(e) => units.push(Input::Missing {
            path: input.to_path_buf(),
            error: e.to_string(),
        }),
    }
}

fn walk_dir(
    dir: &Path,
    exclude: &GlobSet,
    units: &mut Vec<Input>,
    problems: &mut Vec<LoadProblem>,
    is_root: bool,
) {
    if !is_root && exclude.is_match(dir) {
        return;
    }
    if is_helm_chart(dir) {
        units.push(Input::Helm {
            chart: dir.to_path_buf(),
        });
        return;
    }
    if is_kustomization(dir) {
        units.push(Input::Kustomize {
            dir: dir.to_path_buf(),
        });
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            problems.push(LoadProblem {
                path: dir.display().to_string(),
                source: None,
                span: None,
                document: None,
                kind: LoadProblemKind::Io(e.to_string()),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden || exclude.is_match(&path) {
            continue;
        }
        // Follow the file type of the entry itself: links to directories are not walked (no cycles).
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk_dir(&path, exclude, units, problems, false);
        } else if is_manifest_file(&path) && (meta.is_file() || path.is_file()) {
            units.push(Input::File { path });
        }
    }
}

/// What one unit produced, before source IDs are assigned (units are read in parallel).
struct UnitResult {
    source: Option<SourceFile>,
    documents: Vec<(u32, Node, Option<String>)>,
    problems: Vec<(Option<Span>, Option<u32>, LoadProblemKind)>,
    path: String,
}

impl UnitResult {
    /// A unit that produced no text still gets an (empty) source, so every problem has a location and
    /// reports can name the file.
    fn failed(path: String, kind: LoadProblemKind) -> Self {
        Self {
            source: Some(SourceFile::new(
                path.clone(),
                Some(PathBuf::from(&path)),
                Origin::File,
                String::new(),
            )),
            documents: Vec::new(),
            problems: vec![(None, None, kind)],
            path,
        }
    }

    fn merge_into(self, loaded: &mut Loaded) {
        let id = self.source.map(|s| loaded.sources.add(s));
        for (span, document, kind) in self.problems {
            loaded.problems.push(LoadProblem {
                path: self.path.clone(),
                source: id,
                span,
                document,
                kind,
            });
        }
        if let Some(source) = id {
            for (index, root, template) in self.documents {
                loaded.documents.push(Document {
                    source,
                    index,
                    root,
                    template,
                });
            }
        }
    }
}

fn read_unit(unit: &Input, options: &LoadOptions) -> UnitResult {
    let limits = &options.limits;
    match unit {
        Input::Stdin => {
            let mut bytes = Vec::new();
            let read = std::io::stdin()
                .lock()
                .take(limits.max_file_size + 1)
                .read_to_end(&mut bytes);
            match read {
                Err(e) => UnitResult::failed("<stdin>".into(), LoadProblemKind::Io(e.to_string())),
                Ok(_) if bytes.len() as u64 > limits.max_file_size => UnitResult::failed(
                    "<stdin>".into(),
                    LoadProblemKind::TooLarge {
                        size: bytes.len() as u64,
                        limit: limits.max_file_size,
                    },
                ),
                Ok(_) => decode_and_parse("<stdin>".into(), None, Origin::Stdin, bytes, limits),
            }
        }
        Input::File { path } => {
            let name = path.display().to_string();
            match std::fs::metadata(path) {
                Ok(meta) if meta.len() > limits.max_file_size => {
                    return UnitResult::failed(
                        name,
                        LoadProblemKind::TooLarge {
                            size: meta.len(),
                            limit: limits.max_file_size,
                        },
                    );
                }
                Err(e) => return UnitResult::failed(name, LoadProblemKind::Io(e.to_string())),
                Ok(_) => {}
            }
            // Read through `take` as well: the file may have grown since the size check.
            let mut bytes = Vec::new();
            let read = std::fs::File::open(path)
                .and_then(|f| f.take(limits.max_file_size + 1).read_to_end(&mut bytes));
            match read {
                Err(e) => UnitResult::failed(name, LoadProblemKind::Io(e.to_string())),
                Ok(_) if bytes.len() as u64 > limits.max_file_size => UnitResult::failed(
                    name,
                    LoadProblemKind::TooLarge {
                        size: bytes.len() as u64,
                        limit: limits.max_file_size,
                    },
                ),
                Ok(_) => decode_and_parse(name, Some(path.clone()), Origin::File, bytes, limits),
            }
        }
        Input::Helm { chart } => render_helm(chart, options),
        Input::Kustomize { dir } => render_kustomize(dir, options),
        Input::Missing { path, error } => UnitResult::failed(
            path.display().to_string(),
            LoadProblemKind::Io(error.clone()),
        ),
    }
}

fn decode_and_parse(
    name: String,
    path: Option<PathBuf>,
    origin: Origin,
    bytes: Vec<u8>,
    limits: &Limits,
) -> UnitResult {
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return UnitResult::failed(name, LoadProblemKind::Binary);
    }
    match String::from_utf8(bytes) {
        Ok(text) => parse_text(name, path, origin, text, limits),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let before = &bytes[..offset];
            let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count() as u32;
            let mut result = UnitResult::failed(name, LoadProblemKind::NotUtf8 { offset });
            result.problems[0].0 = Some(Span::point(line, col));
            result
        }
    }
}

fn parse_text(
    name: String,
    path: Option<PathBuf>,
    origin: Origin,
    text: String,
    limits: &Limits,
) -> UnitResult {
    let stream = parse_stream(&text, limits);
    let templates = matches!(origin, Origin::Helm { .. }).then(|| helm_sources(&text));
    let documents = stream
        .docs
        .into_iter()
        .map(|d| {
            let template = templates
                .as_ref()
                .and_then(|t| template_for_line(t, d.root.span.start.line));
            (d.index, d.root, template)
        })
        .collect();
    let problems = stream
        .problems
        .into_iter()
        .map(|p| (Some(p.span), p.document, LoadProblemKind::Parse(p.kind)))
        .collect();
    UnitResult {
        source: Some(SourceFile::new(name.clone(), path, origin, text)),
        documents,
        problems,
        path: name,
    }
}

/// `# Source: chart/templates/x.yaml` comments helm writes before each rendered document.
fn helm_sources(text: &str) -> Vec<(u32, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            line.strip_prefix("# Source: ")
                .map(|s| (i as u32 + 1, s.trim().to_string()))
        })
        .collect()
}

fn template_for_line(sources: &[(u32, String)], line: u32) -> Option<String> {
    let i = sources.partition_point(|(l, _)| *l < line);
    i.checked_sub(1).map(|i| sources[i].1.clone())
}

/// Finds a program on PATH.
pub fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn render_helm(chart: &Path, options: &LoadOptions) -> UnitResult {
    let name = chart.display().to_string();
    let Some(helm) = options.helm.clone().or_else(|| find_program("helm")) else {
        return UnitResult::failed(
            name,
            LoadProblemKind::RendererMissing {
                tool: "helm",
                what: "Helm chart",
            },
        );
    };
    let mut cmd = Command::new(helm);
    cmd.arg("template").arg("kubeward-scan").arg(chart);
    for values in &options.helm_values {
        cmd.arg("--values").arg(values);
    }
    for set in &options.helm_set {
        cmd.arg("--set").arg(set);
    }
    run_renderer(
        cmd,
        format!("helm template {name}"),
        name,
        Origin::Helm {
            chart: chart.to_path_buf(),
        },
        chart,
        &options.limits,
    )
}

fn render_kustomize(dir: &Path, options: &LoadOptions) -> UnitResult {
    let name = dir.display().to_string();
    let Some(kubectl) = options.kubectl.clone().or_else(|| find_program("kubectl")) else {
        return UnitResult::failed(
            name,
            LoadProblemKind::RendererMissing {
                tool: "kubectl",
                what: "Kustomize overlay",
            },
        );
    };
    let mut cmd = Command::new(kubectl);
    cmd.arg("kustomize").arg(dir);
    run_renderer(
        cmd,
        format!("kubectl kustomize {name}"),
        name,
        Origin::Kustomize {
            dir: dir.to_path_buf(),
        },
        dir,
        &options.limits,
    )
}

fn run_renderer(
    mut cmd: Command,
    command: String,
    name: String,
    origin: Origin,
    dir: &Path,
    limits: &Limits,
) -> UnitResult {
    let kind = match &origin {
        Origin::Helm { .. } => "helm template",
        _ => "kustomize",
    };
    match cmd.stdin(std::process::Stdio::null()).output() {
        Err(e) => UnitResult::failed(
            name,
            LoadProblemKind::RenderFailed {
                command,
                stderr: e.to_string(),
            },
        ),
        Ok(out) if !out.status.success() => UnitResult::failed(
            name,
            LoadProblemKind::RenderFailed {
                command,
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            },
        ),
        Ok(out) => decode_and_parse(
            format!("{name} ({kind})"),
            Some(dir.to_path_buf()),
            origin,
            out.stdout,
            limits,
        ),
    }
}

#[cfg(test)]
mod tests;
