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
    /// Pod Security Standards as the API server enforces them: `check` pods and templates at a level
    /// and version, `predict` what labelling a namespace `enforce=LEVEL` would reject.
    Pss(PssArgs),
    /// Ask RBAC questions about manifests: who can do what, what a subject can do, and who can
    /// escalate to cluster admin. Every answer names the binding and rule behind it.
    Rbac(RbacArgs),
    /// NetworkPolicy reachability: whether one workload may reach another, the full matrix, and how
    /// exposed each workload is. Every answer names the policy and rule behind it.
    Netpol(NetpolArgs),
    /// Check a node's Kubernetes and host configuration from its files (CIS benchmark sections 1–4,
    /// SSH, firewall, OS, certificates, versions and CVEs).
    Node(Box<NodeArgs>),
    /// Lint an API server audit policy file.
    AuditPolicy(AuditPolicyArgs),
    /// Analyse API server audit logs for suspicious activity (JSON lines, gzip, directories, stdin).
    Audit(Box<AuditArgs>),
    /// Compliance frameworks (CIS, NSA/CISA, Pod Security Standards, OWASP Kubernetes Top 10): their
    /// controls, the rules or commands that evaluate each, and a coverage figure.
    Frameworks(FrameworksArgs),
    /// Attack paths over the risk map: from the internet, any pod or one workload to cluster-admin
    /// power, Secrets, nodes or one object; each step with its evidence, and the fixes that cut the
    /// most paths. Exits 0 when no path is found, 1 when one is, 2 on a usage or input error.
    Paths(PathsArgs),
    /// Business-critical asset groups (`groups:` in `.kubeward.yaml`): `list` them with their member
    /// counts, or `report` per group its members, findings and top risks, compliance, who can read
    /// and change it, its network exposure and the attack paths into it.
    Groups(GroupsArgs),
    /// Save a live cluster's objects to a directory (read-only; Secrets as metadata only), to scan
    /// later or elsewhere with `kubeward scan DIR`.
    Snapshot(SnapshotArgs),
}

/// Where a live cluster is and what to read from it; shared by `scan --cluster` and `snapshot save`.
#[derive(Debug, Clone, Args)]
pub struct ClusterArgs {
    /// kubeconfig file. Default: `KUBECONFIG` (several files merged), then `~/.kube/config`, then the
    /// in-cluster service account.
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// kubeconfig context to use. Default: the current context.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,
    /// Only this namespace. Cluster-scoped kinds (ClusterRoles, nodes...) are still read.
    #[arg(
        short = 'n',
        long,
        value_name = "NS",
        conflicts_with = "all_namespaces"
    )]
    pub namespace: Option<String>,
    /// Every namespace (the default).
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// Namespaces to leave out, comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "NS")]
    pub exclude_namespaces: Vec<String>,
    /// Do not read Secrets at all. By default only their metadata is read, never their data.
    #[arg(long)]
    pub no_secrets: bool,
    /// Seconds the whole collection may take.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    pub timeout: u64,
    /// LIST requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub concurrency: usize,
    /// Exit by the findings even when some kinds could not be read (403); they are still reported
    /// as not evaluated. Without it such a scan exits 2.
    #[arg(long)]
    pub allow_incomplete: bool,
}

impl ClusterArgs {
    /// Whether any option was given (they mean nothing without `--cluster`).
    pub fn any_given(&self) -> bool {
        self.kubeconfig.is_some()
            || self.context.is_some()
            || self.namespace.is_some()
            || self.all_namespaces
            || !self.exclude_namespaces.is_empty()
            || self.no_secrets
    }
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[command(subcommand)]
    pub command: SnapshotCommand,
}

#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Read the cluster and write one JSON List per kind plus `cluster.json` (version, nodes, time,
    /// context, coverage) into a directory. Exits 2 if a kind could not be read, unless
    /// --allow-incomplete.
    Save {
        /// Directory to write (created if needed).
        #[arg(short, long, value_name = "DIR", default_value = "kubeward-snapshot")]
        output: PathBuf,
        #[command(flatten)]
        cluster: ClusterArgs,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0:8443", value_name = "ADDR:PORT")]
    pub listen: String,
    /// Server certificate chain (PEM).
    #[arg(long, value_name = "FILE")]
    pub tls_cert: PathBuf,
    /// Server private key (PEM).
    #[arg(long, value_name = "FILE")]
    pub tls_key: PathBuf,
    /// File holding the bearer token the API server sends (its webhook kubeconfig's `token`).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// CA (PEM) that client certificates must chain to (the kubeconfig's `client-certificate`).
    #[arg(long, value_name = "FILE")]
    pub client_ca: Option<PathBuf>,
    #[command(flatten)]
    pub alerts: AlertOutputArgs,
}

/// Where audit alerts go and which configuration applies; shared by `audit` and `audit serve`.
#[derive(Debug, Args)]
pub struct AlertOutputArgs {
    /// `text` (an alert per line, then a summary) or `json` (one JSON object per alert per line).
    #[arg(short, long, default_value = "text")]
    pub format: String,
    /// Also send every alert as RFC 5424 syslog: `udp://HOST:PORT` or `tcp://HOST:PORT`.
    #[arg(long, value_name = "URL")]
    pub syslog: Option<String>,
    /// Also POST every alert as JSON to this URL (http or https).
    #[arg(long, value_name = "URL")]
    pub webhook: Option<String>,
    /// Send the Slack-compatible payload to --webhook instead of the generic one.
    #[arg(long, requires = "webhook")]
    pub slack: bool,
    /// Configuration file whose `audit:` section applies (default: `.kubeward.yaml` found upwards).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Do not read any configuration file.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: Option<AuditCommand>,
    /// Audit log files or directories (rotated and gzip'd files included); `-` reads standard input.
    pub paths: Vec<PathBuf>,
    /// Keep reading a growing log file (across rotation) until interrupted.
    #[arg(long)]
    pub follow: bool,
    #[command(flatten)]
    pub alerts: AlertOutputArgs,
    /// Exit 1 when an alert at or above this severity was raised (or `never`). Default: never.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Receive the API server's audit webhook backend (`EventList` batches) over HTTPS and analyse
    /// them as they arrive. Authentication is required: a bearer token, client certificates, or both.
    Serve(ServeArgs),
    /// Write a Role and binding granting exactly what a subject was seen doing.
    Rbac {
        /// A user name.
        #[arg(
            long,
            conflicts_with = "serviceaccount",
            required_unless_present = "serviceaccount"
        )]
        user: Option<String>,
        /// A service account as `namespace/name`.
        #[arg(long, value_name = "NS/NAME")]
        serviceaccount: Option<String>,
        /// Only events at or after this RFC 3339 time.
        #[arg(long, value_name = "TIME")]
        since: Option<String>,
        /// Audit log files or directories; `-` reads standard input.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct NodeArgs {
    /// The node's filesystem root: `/` on the node, `/host` in a pod that mounts the host there.
    #[arg(long, default_value = "/", value_name = "DIR")]
    pub root: PathBuf,
    /// Also read running processes from `ROOT/proc` (command lines of components, unexpected processes).
    #[arg(long)]
    pub proc: bool,
    /// Benchmark to evaluate against instead of the detected one (e.g. `cis-1.12`, `k3s-cis-1.9`).
    #[arg(long, value_name = "ID")]
    pub benchmark: Option<String>,
    /// Control-plane version, when the node's files do not say it (e.g. `v1.33.2`).
    #[arg(long, value_name = "VERSION")]
    pub cluster_version: Option<String>,
    /// Kubelet versions in the cluster, repeatable (for version skew).
    #[arg(long, value_name = "VERSION")]
    pub kubelet_version: Vec<String>,
    /// Kubernetes CVE database replacing the embedded one (same JSON format).
    #[arg(long, value_name = "FILE")]
    pub cve_db: Option<PathBuf>,
    /// Report certificates expiring within this many days.
    #[arg(long, default_value_t = 30, value_name = "DAYS")]
    pub cert_expiry_days: i64,
    /// Processes that are expected on this node besides Kubernetes and the runtime, repeatable.
    #[arg(long, value_name = "NAME")]
    pub allow_process: Vec<String>,
    /// Output format: text (kube-bench style), json, sarif, junit, markdown.
    #[arg(short, long, default_value = "text")]
    pub format: String,
    /// Write the output here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a failed check is at or above this severity (or `never`). Default: high.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
}

#[derive(Debug, Args)]
pub struct AuditPolicyArgs {
    #[command(subcommand)]
    pub command: AuditPolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum AuditPolicyCommand {
    /// Check that a policy has a catch-all rule and never logs Secret, ConfigMap or token bodies.
    Lint {
        file: PathBuf,
        /// `text` or `json`.
        #[arg(long, default_value = "text")]
        format: String,
    },
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
    /// A snapshot directory (`kubeward snapshot save`) is scanned offline.
    pub paths: Vec<PathBuf>,
    /// Scan the live cluster of the kubeconfig (read-only) instead of files.
    #[arg(long, conflicts_with = "paths")]
    pub cluster: bool,
    /// With --cluster: keep watching, and print findings as they appear and are resolved (JSON
    /// lines with `--format json`) until interrupted.
    #[arg(long, requires = "cluster")]
    pub watch: bool,
    #[command(flatten)]
    pub cluster_args: ClusterArgs,
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
    /// Pod Security Standards level the PSS rules (POD018 and up) enforce: `baseline`, `restricted`, or
    /// `privileged` (they report nothing). Default: restricted, or `pss.level` in the configuration file.
    #[arg(long, value_name = "LEVEL")]
    pub pss_level: Option<kubeward_pss::Level>,
    /// Pod Security Standards policy version the PSS rules follow: `latest` or `v1.N` (`v1.30`).
    /// Default: latest, or `pss.version` in the configuration file.
    #[arg(long, value_name = "VERSION")]
    pub pss_version: Option<kubeward_pss::Version>,
    /// Kubernetes CVE database the VER rules match versions against, replacing the one embedded at
    /// build time (same JSON format; see `docs/versions.md`).
    #[arg(long, value_name = "FILE")]
    pub cve_db: Option<PathBuf>,
    /// Report per control of a compliance framework: `cis`, `nsa`, `owasp`, `pss-restricted` (or
    /// `pss`), `pss-baseline`. Runs the rules that evaluate the framework (plus the input checks) and
    /// adds pass, fail, not applicable, not evaluated or manual for every control, with a coverage
    /// figure, to every output format.
    #[arg(long, value_name = "NAME")]
    pub framework: Option<String>,
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
    /// Also report documents that are not Kubernetes objects; with --watch, say on stderr how much
    /// of each re-evaluation was redone.
    #[arg(short, long)]
    pub verbose: bool,
    /// When to use colour in text output (`auto`: on a terminal, unless NO_COLOR is set).
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Order of findings: `file` (by file and position, the default), `severity` (most severe
    /// first), `rule` (by rule ID), or `risk` (highest risk score first: severity × exposure ×
    /// blast radius on the risk map, see docs/risk.md; every format then carries the scores).
    #[arg(long, value_enum, default_value = "file", value_name = "ORDER")]
    pub sort: SortOrder,
    /// List the N highest risk scores, with their factors in words, in a "Top risks" section of
    /// text and Markdown output. Default: 10 with `--sort risk`, else 0 (no section). The section
    /// needs the risk map, which costs about half a scan again, so it is not on by default.
    #[arg(long, value_name = "N")]
    pub top_risks: Option<usize>,
}

/// `--top-risks` with `--sort risk` when not given.
pub const DEFAULT_TOP_RISKS: usize = 10;

/// `scan --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortOrder {
    File,
    Severity,
    Rule,
    Risk,
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

#[derive(Debug, Args)]
pub struct GroupsArgs {
    #[command(subcommand)]
    pub command: GroupsCommand,
}

/// Output of `groups report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupsFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Subcommand)]
pub enum GroupsCommand {
    /// The configured groups, their criticality and how many objects of the input each selects.
    /// Exits 0, or 2 on a usage, configuration or input error.
    List {
        /// `text` or `json`.
        #[arg(short, long, value_enum, default_value = "text")]
        format: QueryFormat,
        #[command(flatten)]
        input: GroupsInputArgs,
    },
    /// Per group (or the one named): members; posture (findings by severity, top risks);
    /// compliance per framework on the group's objects; who can read its Secrets, create pods,
    /// exec into or change its workloads; network exposure; attack paths from the internet into it.
    /// Exits 0; 1 when a finding of a reported group is at or above --fail-on; 2 on a usage,
    /// configuration or input error.
    ///
    /// `[NAME] PATHS...`: the first argument is a group name unless it exists as a file or
    /// directory (or is `-`); without a name every group is reported.
    Report {
        /// `[NAME] PATHS...`.
        #[arg(value_name = "NAME|PATHS")]
        args: Vec<PathBuf>,
        #[arg(short, long, value_enum, default_value = "text")]
        format: GroupsFormat,
        /// Exit 1 when an unsuppressed finding of a reported group is at or above this severity:
        /// critical, high, medium, low, info, or never. Default: high (or `fail-on` in the
        /// configuration file), as for `scan`.
        #[arg(long, value_name = "SEVERITY")]
        fail_on: Option<String>,
        /// Attack paths per group, cheapest first.
        #[arg(short = 'k', long = "max-paths", default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
        k: u16,
        /// Configuration file with the `groups` (default: `.kubeward.yaml` found from the first path
        /// upwards, or in the current directory).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Glob of files or directories not to read, repeatable.
        #[arg(long, value_name = "GLOB")]
        exclude: Vec<String>,
    },
}

/// Where `groups list` reads from.
#[derive(Debug, Args)]
pub struct GroupsInputArgs {
    /// Files or directories, read as by `scan`; `-` reads standard input. Default: the current
    /// directory.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Configuration file with the `groups` (default: `.kubeward.yaml` found from the first path
    /// upwards, or in the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Glob of files or directories not to read, repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

/// Output of `kubeward paths`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathsFormat {
    Text,
    Json,
    Dot,
    Mermaid,
    /// One self-contained HTML page with an interactive map (no network access when viewed).
    Html,
}

#[derive(Debug, Args)]
pub struct PathsArgs {
    /// Entry point: `internet`, `any-pod` or `NAMESPACE/WORKLOAD`.
    #[arg(long, default_value = "internet", value_parser = parse_entry)]
    pub from: kubeward_graph::Entry,
    /// Target: `cluster-admin`, `secrets`, `nodes`, `metadata`, `group:NAME` (a configured asset
    /// group, `groups:` in `.kubeward.yaml`) or `NAMESPACE/NAME`.
    #[arg(long, default_value = "cluster-admin", value_parser = parse_target)]
    pub to: kubeward_graph::Target,
    /// How many paths, cheapest first.
    #[arg(short = 'k', long = "max-paths", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..))]
    pub k: u16,
    #[arg(long, value_enum, default_value = "text")]
    pub format: PathsFormat,
    /// Write the report to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Ignore NetworkPolicies and assume a flat network (every pod reaches every Service): an
    /// upper bound, as before the NetworkPolicy engine was wired in.
    #[arg(long)]
    pub flat_network: bool,
    /// Print to standard error how long reading, scanning, building the map and the path search
    /// took.
    #[arg(short, long)]
    pub verbose: bool,
    /// Read the live cluster of the kubeconfig (read-only) instead of files.
    #[arg(long, conflicts_with = "paths")]
    pub cluster: bool,
    #[command(flatten)]
    pub cluster_args: ClusterArgs,
    /// Configuration file (default: `.kubeward.yaml` found from the first path upwards), read as by
    /// `scan`: its rule selection, severities, exclusions and suppressions decide the findings
    /// shown on each step, and its `groups:` are what `--to group:NAME` names.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Do not read any configuration file.
    #[arg(long)]
    pub no_config: bool,
    /// Glob of files or directories not to read, repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Files or directories, read as by `scan`; `-` reads standard input. Default: the current
    /// directory.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
}

fn parse_entry(s: &str) -> Result<kubeward_graph::Entry, String> {
    s.parse()
        .map_err(|e: kubeward_graph::UnknownEndpoint| e.to_string())
}

fn parse_target(s: &str) -> Result<kubeward_graph::Target, String> {
    s.parse()
        .map_err(|e: kubeward_graph::UnknownEndpoint| e.to_string())
}

#[derive(Debug, Args)]
pub struct RbacArgs {
    #[command(subcommand)]
    pub command: RbacCommand,
}

/// Output of the RBAC queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    Text,
    Json,
}

/// Where the objects of a query (`rbac`, `netpol`) come from, and how to print the answer.
#[derive(Debug, Args)]
pub struct RbacInputArgs {
    /// Files or directories with the objects, read as by `scan`; `-` reads standard input.
    /// Default: the current directory.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// `text` (tables) or `json`.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: QueryFormat,
    /// Glob of files or directories not to read, repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

/// The request of who-can and can-i.
#[derive(Debug, Args)]
pub struct RequestArgs {
    /// The API verb: get, list, watch, create, update, patch, delete, deletecollection, or a special
    /// verb such as impersonate, bind, escalate, approve.
    pub verb: String,
    /// `pods`, `pods/exec`, `deployments.apps`, `deployments.apps/scale`, or a non-resource URL such
    /// as `/metrics`.
    #[arg(value_name = "RESOURCE[/SUBRESOURCE]")]
    pub resource: String,
    /// Namespace of the request. Without it the request is cluster-wide (or across all namespaces),
    /// which only ClusterRoleBindings allow.
    #[arg(short, long, value_name = "NS")]
    pub namespace: Option<String>,
    /// Name of the object (matters for rules with `resourceNames`).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// API group of the resource (default: from `RESOURCE.GROUP`, else the core group).
    #[arg(long, value_name = "GROUP")]
    pub api_group: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RbacCommand {
    /// Every subject allowed to make a request, with the bindings and rules that allow it.
    WhoCan {
        #[command(flatten)]
        request: RequestArgs,
        #[command(flatten)]
        input: RbacInputArgs,
    },
    /// Whether a user or service account may make a request. Exits 0 when allowed, 1 when not.
    CanI {
        /// The user to ask for, as kubectl's `--as`: `alice`, or
        /// `system:serviceaccount:NAMESPACE:NAME` for a service account.
        #[arg(long = "as", value_name = "SUBJECT")]
        as_user: String,
        /// A group of the user, as kubectl's `--as-group`, repeatable.
        #[arg(long = "as-group", value_name = "GROUP")]
        as_groups: Vec<String>,
        #[command(flatten)]
        request: RequestArgs,
        #[command(flatten)]
        input: RbacInputArgs,
    },
    /// Every rule a subject holds, in every namespace, with the binding that grants it.
    Show {
        /// `alice`, `system:serviceaccount:NAMESPACE:NAME`, or with a kind:
        /// `User:alice`, `Group:dev`, `ServiceAccount:NAMESPACE/NAME`.
        subject: String,
        /// A group of the user, repeatable.
        #[arg(long = "as-group", value_name = "GROUP")]
        as_groups: Vec<String>,
        #[command(flatten)]
        input: RbacInputArgs,
    },
    /// The shortest path to cluster-admin power of every subject that has one (or of one subject),
    /// each step with the binding and rule that enable it.
    Escalations {
        /// Only this subject, written as for `show`.
        #[arg(long, value_name = "SUBJECT")]
        subject: Option<String>,
        #[command(flatten)]
        input: RbacInputArgs,
    },
}

#[derive(Debug, Args)]
pub struct NetpolArgs {
    #[command(subcommand)]
    pub command: NetpolCommand,
}

#[derive(Debug, Subcommand)]
pub enum NetpolCommand {
    /// Whether SRC may open a connection to DST, with the policies and rules that allow or block it.
    /// Exits 0 when allowed, 1 when not, 2 on errors.
    ///
    /// SRC and DST are `NAMESPACE/NAME` (a workload or bare pod; `NAMESPACE/KIND/NAME` when names
    /// clash), a label selector `[NAMESPACE/]KEY=VALUE[,KEY=VALUE]` (every matching workload), or a
    /// CIDR or address such as `0.0.0.0/0` for "some address on the internet".
    CanReach {
        #[arg(value_name = "SRC")]
        from: String,
        #[arg(value_name = "DST")]
        to: String,
        /// Only this port: `443/TCP`, `53/UDP`, `8080` (TCP). Without it: any port.
        #[arg(long, value_name = "PORT/PROTO")]
        port: Option<kubeward_netpol::PortQuery>,
        #[command(flatten)]
        input: RbacInputArgs,
    },
    /// Workload × workload: which may open a connection to which on some port.
    Matrix {
        /// Only workloads of this namespace.
        #[arg(short, long, value_name = "NS")]
        namespace: Option<String>,
        #[command(flatten)]
        input: RbacInputArgs,
    },
    /// Zero-trust NetworkPolicies: per namespace a default deny, DNS egress, and allow rules for the
    /// flows the manifests declare (Service names in env, args and ConfigMaps; Ingress, Gateway API
    /// routes, LoadBalancer and NodePort Services). Writes YAML (or JSON) to standard output; the
    /// engine then checks that every declared flow stays allowed and every other pair is denied, and
    /// the command exits 2 when that check fails.
    Generate {
        /// Only this namespace.
        #[arg(short, long, value_name = "NS")]
        namespace: Option<String>,
        /// Configuration file with extra flows (`netpol.flows`); default: `.kubeward.yaml` found from
        /// the first path upwards, or in the current directory.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        #[command(flatten)]
        input: RbacInputArgs,
    },
    /// Per workload: whether any pod, pods of other namespaces, or internet addresses may reach it.
    Exposure {
        /// Only workloads of this namespace.
        #[arg(short, long, value_name = "NS")]
        namespace: Option<String>,
        #[command(flatten)]
        input: RbacInputArgs,
    },
}

#[derive(Debug, Args)]
pub struct PssArgs {
    #[command(subcommand)]
    pub command: PssCommand,
}

#[derive(Debug, Subcommand)]
pub enum PssCommand {
    /// Whether each pod or pod template would be admitted at a level and version, and the Pod Security
    /// Admission checks it violates. Exits 0 when all are allowed, 1 otherwise, 2 on errors.
    Check(PssCheckArgs),
    /// Per namespace: the workloads `pod-security.kubernetes.io/enforce=LEVEL` would reject, and how the
    /// Namespace objects in the inputs enforce today (nothing or `privileged` is reported).
    Predict(PssPredictArgs),
}

/// Output of `pss check` and `pss predict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PssFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub struct PssCheckArgs {
    /// `baseline`, `restricted` (or `privileged`, which admits everything).
    #[arg(long, value_name = "LEVEL")]
    pub level: String,
    /// Policy version: `v1.0` ... `v1.37`, or `latest`.
    #[arg(long, value_name = "VERSION", default_value = "latest")]
    pub version: String,
    /// `text` or `json`.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: PssFormat,
    /// Glob of files or directories not to read, repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Files or directories, read as by `scan`; `-` reads standard input. Default: the current directory.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(disable_version_flag = true)]
pub struct PssPredictArgs {
    /// The level the namespaces would enforce: `baseline` or `restricted`.
    #[arg(long, value_name = "LEVEL")]
    pub level: String,
    /// Policy version the label would pin (`pod-security.kubernetes.io/enforce-version`).
    #[arg(long, value_name = "VERSION", default_value = "latest")]
    pub version: String,
    /// `text` or `json`.
    #[arg(short, long, value_enum, default_value = "text")]
    pub format: PssFormat,
    /// Glob of files or directories not to read, repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Files or directories, read as by `scan`; `-` reads standard input. Default: the current directory.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FrameworksArgs {
    #[command(subcommand)]
    pub command: FrameworksCommand,
}

#[derive(Debug, Subcommand)]
pub enum FrameworksCommand {
    /// List the frameworks with their control counts and coverage.
    List {
        #[arg(long, value_enum, default_value = "text")]
        format: FrameworksFormat,
    },
    /// Show a framework's controls, what evaluates each (rules, `kubeward node`, `kubeward pss check`,
    /// manual) and its coverage.
    Show {
        /// `CIS`, `NSA`, `PSS` or `OWASP` (case-insensitive).
        framework: String,
        #[arg(long, value_enum, default_value = "text")]
        format: FrameworksFormat,
    },
}

/// Output of `frameworks list` and `frameworks show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FrameworksFormat {
    Text,
    Json,
}
