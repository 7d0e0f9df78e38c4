//! `kubeward audit`: the audit crate's detectors over log files, stdin or a followed file, with
//! alerts written as text or JSON lines and optionally sent to syslog and a webhook.

use std::io::{Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use kubeward_audit::rbac::{DeriveOptions, RbacDeriver};
use kubeward_audit::render::{Summary, SyslogOptions, slack_payload, syslog_line, webhook_payload};
use kubeward_audit::{
    Alert, Analyzer, AuditConfig, Event, FollowOptions, Follower, ScanOptions, Timestamp,
};
use kubeward_diagnostics::Severity;
use kubeward_rules::config;

use crate::args::{AuditArgs, AuditCommand};

pub fn run(args: AuditArgs) -> Result<ExitCode> {
    match args.command {
        Some(AuditCommand::Rbac {
            user,
            serviceaccount,
            since,
            paths,
        }) => return derive_rbac(user, serviceaccount, since, &paths),
        Some(AuditCommand::Serve(serve)) => return super::audit_serve::run(serve),
        None => {}
    }
    let json = match args.alerts.format.as_str() {
        "json" => true,
        "text" => false,
        other => bail!("unknown format `{other}` for `audit` (expected text or json)"),
    };
    let fail_on = match args.fail_on.as_deref() {
        None | Some("never" | "none") => None,
        Some(s) => Some(
            s.parse::<Severity>()
                .map_err(|e| anyhow::anyhow!("--fail-on: {e}, or never"))?,
        ),
    };
    if args.paths.is_empty() {
        bail!("no audit log given (pass files, directories, or `-` for standard input)");
    }
    let audit_config = load_audit_config(
        args.alerts.config.as_deref(),
        args.alerts.no_config,
        &args.paths,
    )?;
    let mut sinks = Sinks::new(
        args.alerts.syslog.as_deref(),
        args.alerts.webhook.clone(),
        args.alerts.slack,
        json,
    )?;
    let mut analyzer = Analyzer::new(audit_config);
    let options = ScanOptions::default();

    if args.follow {
        let [path] = args.paths.as_slice() else {
            bail!("--follow takes exactly one file");
        };
        return follow(path, &mut analyzer, &mut sinks);
    }
    let mut on_alert = |alert: Alert| sinks.emit(&alert);
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let files: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    if !files.is_empty() {
        kubeward_audit::scan_paths(&files, &mut analyzer, &options, &mut on_alert)?;
    }
    if stdin {
        let input = std::io::stdin().lock();
        kubeward_audit::scan_reader(input, "<stdin>", &mut analyzer, &options, &mut on_alert)?;
    }
    for alert in analyzer.finish() {
        on_alert(alert);
    }
    sinks.finish(&analyzer)?;

    let stats = analyzer.stats();
    let incomplete = !stats.unreadable.is_empty();
    let failing = fail_on.is_some_and(|t| sinks.worst.is_some_and(|w| w >= t));
    Ok(if incomplete {
        ExitCode::from(2)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The `audit:` section of the configuration file, validated strictly.
pub(crate) fn load_audit_config(
    config_file: Option<&Path>,
    no_config: bool,
    paths: &[PathBuf],
) -> Result<AuditConfig> {
    if no_config {
        return Ok(AuditConfig::default());
    }
    let path = match config_file {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let start = paths.iter().find(|p| p.as_os_str() != "-").cloned();
            start
                .and_then(|s| config::discover(&s))
                .or_else(|| config::discover(Path::new(".")))
        }
    };
    let Some(path) = path else {
        return Ok(AuditConfig::default());
    };
    let loaded = config::load(&path)?;
    let Some(section) = loaded.config.audit.clone() else {
        return Ok(AuditConfig::default());
    };
    serde_path_to_error::deserialize(section)
        .map_err(|e| anyhow::anyhow!("{}: `audit.{}`: {}", path.display(), e.path(), e.inner()))
}

/// Where alerts go: stdout (text or JSON lines), syslog, a webhook.
pub(crate) struct Sinks {
    json: bool,
    out: std::io::BufWriter<std::io::Stdout>,
    syslog: Option<Syslog>,
    webhook: Option<(String, bool)>,
    summary: Summary,
    worst: Option<Severity>,
}

enum Syslog {
    Udp(UdpSocket, String),
    Tcp(TcpStream),
}

impl Sinks {
    pub(crate) fn new(
        syslog: Option<&str>,
        webhook: Option<String>,
        slack: bool,
        json: bool,
    ) -> Result<Self> {
        let syslog = match syslog {
            None => None,
            Some(url) => Some(connect_syslog(url)?),
        };
        Ok(Self {
            json,
            out: std::io::BufWriter::new(std::io::stdout()),
            syslog,
            webhook: webhook.map(|u| (u, slack)),
            summary: Summary::default(),
            worst: None,
        })
    }

    pub(crate) fn emit(&mut self, alert: &Alert) {
        self.summary.add(alert);
        if let Ok(sev) = alert.severity.as_str().parse::<Severity>() {
            self.worst = self.worst.max(Some(sev));
        }
        // A closed stdout or an unreachable receiver must not stop the analysis; the errors surface
        // when the sinks are flushed (stdout) or on stderr (receivers).
        let _ = if self.json {
            writeln!(self.out, "{}", alert.to_json_line())
        } else {
            writeln!(self.out, "{}", text_line(alert))
        };
        if let Some(syslog) = &mut self.syslog {
            let line = syslog_line(alert, &SyslogOptions::default());
            let sent = match syslog {
                Syslog::Udp(socket, target) => {
                    socket.send_to(line.as_bytes(), target.as_str()).map(|_| ())
                }
                // RFC 6587 octet counting, so multi-line messages stay one message.
                Syslog::Tcp(stream) => write!(stream, "{} {line}", line.len()),
            };
            if let Err(e) = sent {
                eprintln!("kubeward: syslog: {e}");
            }
        }
        if let Some((url, slack)) = &self.webhook {
            let payload = if *slack {
                slack_payload(alert)
            } else {
                webhook_payload(alert)
            };
            if let Err(e) = post_json(url, &payload) {
                eprintln!("kubeward: webhook {url}: {e}");
            }
        }
    }

    fn finish(&mut self, analyzer: &Analyzer) -> Result<()> {
        if !self.json {
            writeln!(self.out)?;
            self.summary.write_text(analyzer.stats(), &mut self.out)?;
        }
        self.out.flush()?;
        Ok(())
    }
}

fn text_line(alert: &Alert) -> String {
    let count = if alert.count > 1 {
        format!(" (×{})", alert.count)
    } else {
        String::new()
    };
    let at = alert
        .location
        .as_ref()
        .map(|l| format!(" [{}:{}]", l.file, l.line))
        .unwrap_or_default();
    format!(
        "{} {} {} {}{count}{at}",
        alert.severity.as_str().to_uppercase(),
        alert.id,
        alert.name,
        alert.message
    )
}

fn connect_syslog(url: &str) -> Result<Syslog> {
    if let Some(target) = url.strip_prefix("udp://") {
        let socket = UdpSocket::bind("0.0.0.0:0").context("syslog: cannot open a UDP socket")?;
        return Ok(Syslog::Udp(socket, target.to_string()));
    }
    if let Some(target) = url.strip_prefix("tcp://") {
        let stream = TcpStream::connect(target)
            .with_context(|| format!("syslog: cannot connect to {target}"))?;
        return Ok(Syslog::Tcp(stream));
    }
    bail!("--syslog {url}: expected udp://HOST:PORT or tcp://HOST:PORT")
}

fn post_json(url: &str, payload: &serde_json::Value) -> Result<()> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into();
    agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(payload.to_string())
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Tails one file until interrupted, flushing deduplicated alerts as their window closes.
fn follow(path: &Path, analyzer: &mut Analyzer, sinks: &mut Sinks) -> Result<ExitCode> {
    let mut follower = Follower::new(
        path,
        FollowOptions {
            from_start: true,
            max_line_bytes: kubeward_audit::DEFAULT_MAX_LINE_BYTES,
            max_lines_per_poll: 10_000,
        },
    );
    loop {
        follower.poll(analyzer, &mut |alert| sinks.emit(&alert))?;
        let now = Timestamp(now_micros());
        for alert in analyzer.flush_expired(now) {
            sinks.emit(&alert);
        }
        sinks.out.flush()?;
        std::thread::sleep(Duration::from_millis(250));
    }
}

pub(crate) fn flush(sinks: &mut Sinks) -> std::io::Result<()> {
    sinks.out.flush()
}

pub(crate) fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

/// `kubeward audit rbac`: least-privilege Role and binding from what a subject was seen doing.
fn derive_rbac(
    user: Option<String>,
    serviceaccount: Option<String>,
    since: Option<String>,
    paths: &[PathBuf],
) -> Result<ExitCode> {
    let subject = match (user, serviceaccount) {
        (Some(u), _) => u,
        (None, Some(sa)) => {
            let Some((ns, name)) = sa.split_once('/') else {
                bail!("--serviceaccount {sa}: expected NAMESPACE/NAME");
            };
            format!("system:serviceaccount:{ns}:{name}")
        }
        (None, None) => bail!("give --user or --serviceaccount"),
    };
    let since = since
        .map(|s| {
            Timestamp::parse(&s).with_context(|| format!("--since {s}: expected an RFC 3339 time"))
        })
        .transpose()?;
    let options = DeriveOptions {
        since,
        max_resource_names: 5,
        name_prefix: "kubeward-observed".to_string(),
    };
    let mut deriver = RbacDeriver::new(&subject, options.clone());
    let mut malformed = 0usize;
    for path in kubeward_audit::expand_paths(paths)? {
        let mut reader = kubeward_audit::open_log(&path)?;
        let mut text = Vec::new();
        reader.read_to_end(&mut text)?;
        for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            match Event::from_json(line) {
                Ok(event) => deriver.observe(&event),
                Err(_) => malformed += 1,
            }
        }
    }
    if malformed > 0 {
        eprintln!("kubeward: {malformed} malformed audit lines skipped");
    }
    let derived = deriver.finish();
    print!("{}", derived.to_yaml(&options.name_prefix));
    Ok(ExitCode::SUCCESS)
}
