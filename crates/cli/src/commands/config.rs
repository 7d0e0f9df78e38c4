use std::process::ExitCode;

use anyhow::{Context, Result};
use kubeward_rules::config;

use crate::args::{ConfigArgs, ConfigCommand};

pub fn run(args: ConfigArgs) -> Result<ExitCode> {
    match args.command {
        ConfigCommand::Schema => {
            println!("{}", serde_json::to_string_pretty(&config::json_schema())?);
        }
        ConfigCommand::Check { file } => {
            let path = match file {
                Some(f) => f,
                None => config::discover(std::path::Path::new("."))
                    .context("no .kubeward.yaml found")?,
            };
            let loaded = config::load(&path)?;
            loaded.settings(&[], &[], None)?;
            config::build_groups(&loaded.config, Some(&loaded))?;
            println!("{}: ok", path.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
