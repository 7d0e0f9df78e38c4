//! The `kubeward` binary: arguments → settings → engine → reporters → exit code. No rule logic here.

mod args;
mod commands;

use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Scan(a) => commands::scan::run(*a),
        args::Command::Rules(a) => commands::rules::run(a),
        args::Command::Config(a) => commands::config::run(a),
        args::Command::Pss(a) => commands::pss::run(a),
        args::Command::Rbac(a) => commands::rbac::run(a),
        args::Command::Netpol(a) => commands::netpol::run(a),
        args::Command::Node(a) => commands::node::run(*a),
        args::Command::AuditPolicy(a) => commands::node::audit_policy(a),
        args::Command::Audit(a) => commands::audit::run(*a),
        args::Command::Frameworks(a) => commands::frameworks::run(a),
        args::Command::Snapshot(a) => match a.command {
            args::SnapshotCommand::Save { output, cluster } => {
                commands::cluster::save(&output, &cluster)
            }
        },
        args::Command::Paths(a) => commands::paths::run(a),
        args::Command::Groups(a) => commands::groups::run(a),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            // A closed pipe (`kubeward scan | head`) is the reader's choice, not a failure.
            if error
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("kubeward: error: {error:#}");
            ExitCode::from(2)
        }
    }
}
