//! systemd unit files as far as a service's command line goes: `Environment=`, `EnvironmentFile=`,
//! `ExecStart=` (an empty one resets), backslash continuations, and `$VAR` / `${VAR}` expansion. Each
//! token keeps the line that defined it.

use std::collections::BTreeMap;

use crate::collect::fs::NodeFs;
use crate::facts::Origin;
use crate::flags::{Token, split_words};

/// Variable name -> (value, where it was set).
pub type Env = BTreeMap<String, (String, Origin)>;

pub struct Unit {
    pub env: Env,
    /// The effective `ExecStart=` command and its line.
    pub exec: Option<(String, Origin)>,
    /// Unit, drop-in and environment files read.
    pub consulted: Vec<String>,
}

/// Read unit files in the order systemd applies them (unit first, then drop-ins).
pub fn read_unit(fs: &NodeFs, files: &[String]) -> Unit {
    let mut unit = Unit {
        env: Env::new(),
        exec: None,
        consulted: files.to_vec(),
    };
    for path in files {
        let Some(text) = fs.read(path) else { continue };
        for (i, joined) in logical_lines(&text) {
            let line = joined.trim();
            let origin = Origin::at_col(
                path.as_str(),
                i as u32 + 1,
                Some(crate::text::indent_column(&joined)),
            );
            if let Some(rest) = line.strip_prefix("Environment=") {
                for assignment in split_words(rest) {
                    if let Some((k, v)) = assignment.split_once('=') {
                        unit.env
                            .insert(k.to_string(), (v.to_string(), origin.clone()));
                    }
                }
            } else if let Some(rest) = line.strip_prefix("EnvironmentFile=") {
                let file = rest.trim().trim_start_matches('-');
                read_env_file(fs, file, &mut unit.env);
                unit.consulted.push(file.to_string());
            } else if let Some(rest) = line.strip_prefix("ExecStart=") {
                // An empty `ExecStart=` resets the list (how drop-ins replace the command).
                unit.exec = if rest.trim().is_empty() {
                    None
                } else {
                    Some((rest.to_string(), origin))
                };
            }
        }
    }
    unit
}

/// Split the command into words, expanding variables (their words keep the variable's origin).
pub fn expand(exec: &(String, Origin), env: &Env) -> Vec<Token> {
    let (cmd, origin) = exec;
    let mut tokens = Vec::new();
    for word in split_words(cmd) {
        let var = word
            .strip_prefix("${")
            .and_then(|w| w.strip_suffix('}'))
            .or_else(|| word.strip_prefix('$'));
        match var {
            Some(name) => {
                if let Some((value, vorigin)) = env.get(name) {
                    tokens.extend(split_words(value).into_iter().map(|text| Token {
                        text,
                        origin: vorigin.clone(),
                    }));
                }
            }
            None => tokens.push(Token {
                text: word,
                origin: origin.clone(),
            }),
        }
    }
    tokens
}

/// systemd joins a line ending in a backslash with the next one; keep the first line's index.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let (start, mut acc) = pending.take().unwrap_or((i, String::new()));
        match raw.trim_end().strip_suffix('\\') {
            Some(head) => {
                acc.push_str(head);
                acc.push(' ');
                pending = Some((start, acc));
            }
            None => {
                acc.push_str(raw);
                out.push((start, acc));
            }
        }
    }
    out.extend(pending);
    out
}

/// `KEY=value` lines (quotes removed), as systemd's `EnvironmentFile=` reads them.
pub fn read_env_file(fs: &NodeFs, path: &str, env: &mut Env) {
    let Some(text) = fs.read(path) else { return };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            let value = split_words(v).join(" ");
            env.insert(
                k.trim().to_string(),
                (
                    value,
                    Origin::at_col(path, i as u32 + 1, Some(crate::text::indent_column(raw))),
                ),
            );
        }
    }
}
