//! `sshd_config` as sshd reads it: keywords are case-insensitive, the first value obtained for a keyword
//! wins, `Include` is expanded where it stands (globs sorted), and everything after a `Match` line is
//! conditional until the next `Match`.

use crate::collect::fs::NodeFs;
use crate::facts::{Origin, Setting, SshdFacts};

pub const MAIN: &str = "/etc/ssh/sshd_config";

pub fn collect(fs: &NodeFs) -> Option<SshdFacts> {
    if !fs.exists(MAIN) {
        return None;
    }
    let mut facts = SshdFacts::default();
    let mut state = State { in_match: None };
    read_file(fs, MAIN, &mut facts, &mut state, 0);
    Some(facts)
}

struct State {
    in_match: Option<String>,
}

fn read_file(fs: &NodeFs, path: &str, facts: &mut SshdFacts, state: &mut State, depth: usize) {
    let Some(text) = fs.read(path) else { return };
    facts.files.push(path.to_string());
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (keyword, value) = match line.split_once(|c: char| c.is_whitespace() || c == '=') {
            Some((k, v)) => (
                k.to_ascii_lowercase(),
                v.trim().trim_start_matches('=').trim(),
            ),
            None => (line.to_ascii_lowercase(), ""),
        };
        let origin = Origin::at_col(path, i as u32 + 1, Some(crate::text::indent_column(raw)));
        match keyword.as_str() {
            "match" => {
                state.in_match = if value.eq_ignore_ascii_case("all") {
                    None
                } else {
                    Some(value.to_string())
                };
            }
            "include" if depth < 8 => {
                for pattern in value.split_whitespace() {
                    let pattern = if pattern.starts_with('/') {
                        pattern.to_string()
                    } else {
                        format!("/etc/ssh/{pattern}")
                    };
                    for file in expand_glob(fs, &pattern) {
                        read_file(fs, &file, facts, state, depth + 1);
                    }
                }
            }
            _ => {
                let setting = Setting {
                    value: value.to_string(),
                    origin,
                };
                if let Some(criteria) = &state.in_match {
                    facts
                        .match_settings
                        .push((criteria.clone(), keyword, setting));
                    continue;
                }
                match keyword.as_str() {
                    "port" => facts.ports.push(setting),
                    "listenaddress" => facts.listen_addresses.push(setting),
                    _ => {
                        facts.global.entry(keyword).or_insert(setting);
                    }
                }
            }
        }
    }
}

/// `dir/*.conf`-style globs (a `*` in the last component only), sorted as glob(3) does.
fn expand_glob(fs: &NodeFs, pattern: &str) -> Vec<String> {
    let Some((dir, name)) = pattern.rsplit_once('/') else {
        return Vec::new();
    };
    if !name.contains('*') {
        return vec![pattern.to_string()];
    }
    let (prefix, suffix) = name.split_once('*').unwrap_or((name, ""));
    fs.list(dir)
        .into_iter()
        .filter(|p| {
            let n = p.rsplit('/').next().unwrap_or_default();
            n.starts_with(prefix) && n.ends_with(suffix) && !suffix.contains('*')
        })
        .collect()
}
