use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use kubeward_rules::registry::{self, RULES};
use kubeward_rules::selection::suggest;

use crate::args::{RulesArgs, RulesCommand};

pub fn run(args: RulesArgs) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match args.command {
        RulesCommand::List { format } => match format.as_str() {
            "text" => {
                for r in RULES {
                    let m = r.meta;
                    let state = if m.default_enabled { "" } else { " (opt-in)" };
                    writeln!(
                        out,
                        "{:<8} {:<9} {:<36} {}{state}",
                        m.id, m.severity, m.name, m.title
                    )?;
                }
            }
            "json" => {
                let rules: Vec<serde_json::Value> = RULES
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "id": r.meta.id,
                            "name": r.meta.name,
                            "title": r.meta.title,
                            "severity": r.meta.severity,
                            "frameworks": r.meta.frameworks,
                            "aliases": r.meta.aliases.iter().map(|(t, i)| serde_json::json!({"tool": t, "id": i})).collect::<Vec<_>>(),
                            "fix": r.meta.fix,
                            "defaultEnabled": r.meta.default_enabled,
                        })
                    })
                    .collect();
                serde_json::to_writer_pretty(&mut out, &rules)?;
                writeln!(out)?;
            }
            other => bail!("unknown format `{other}` for `rules list` (expected text or json)"),
        },
        RulesCommand::Explain { rule } => {
            let Some(r) = registry::find(&rule) else {
                let hint = suggest(&rule)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                bail!("unknown rule `{rule}`{hint}");
            };
            write!(out, "{}", kubeward_rules::docs::rule_page(r.meta))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
