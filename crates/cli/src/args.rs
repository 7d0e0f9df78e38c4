//! Command-line arguments, parsed once; `commands` resolves them into settings.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "kubeward", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan manifests, directories, Helm charts, Kustomize overlays or stdin (`-`) for misconfigurations.
    Scan(Box<ScanArgs>),
    /// List rules or explain one.
    Rules(RulesArgs),
    /// Configuration file helpers.
    Config(ConfigArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan; `-` reads standard input. Default: the current directory.
    pub paths: Vec<PathBuf>,
    /// Output format, repeatable: `text`, `json`, `sarif`, `junit`, `markdown`; `FORMAT=FILE` writes that
    /// format to a file (`--format text --format sarif=kubeward.sarif`).
    #[arg(short, long = "format", value_name = "FORMAT[=FILE]")]
    pub formats: Vec<String>,
    /// Write the (single) format given without a file here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity is not suppressed: critical, high, medium, low,
    /// info, or never. Default: high (or `fail-on` in the configuration file).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// Rules to run (IDs, prefixes, areas, names, `ALL`), comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Rules not to run, same forms as --select.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Configuration file (default: `.kubeward.yaml` found from the first path upwards).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Do not read any configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Glob of files or directories not to read, repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Values file for `helm template`, repeatable.
    #[arg(long, value_name = "FILE")]
    pub helm_values: Vec<PathBuf>,
    /// `key=value` for `helm template --set`, repeatable.
    #[arg(long, value_name = "KEY=VALUE")]
    pub helm_set: Vec<String>,
    /// Largest file read, in bytes (default 67108864 = 64 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_file_size: Option<u64>,
    /// Show suppressed findings in text output (they are always counted).
    #[arg(long)]
    pub show_suppressed: bool,
    /// Also report documents that are not Kubernetes objects.
    #[arg(short, long)]
    pub verbose: bool,
    /// When to use colour in text output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every rule.
    List {
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: String,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule ID or name.
        rule: String,
    },
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub command: ConfigCommand,
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the JSON schema of `.kubeward.yaml`.
    Schema,
    /// Validate a configuration file (default: the one discovered from the current directory).
    Check { file: Option<PathBuf> },
}
