//! Resolved settings: what the engine runs with, whatever the entry point (CLI, webhook, dashboard).

use std::collections::HashMap;

use kubeward_diagnostics::{Severity, SourceId, Span};
use kubeward_pss::{Level, Version};

use crate::date::Date;
use crate::selection::Selection;

/// Parameters of parameterised rules.
#[derive(Debug, Clone)]
pub struct Options {
    /// Registries (host, or host/path prefix) images may come from. Empty: the allow-list rule is off.
    pub allowed_registries: Vec<String>,
    /// The Pod Security Standards level the PSS rules enforce: a rule whose check is not part of this
    /// level (or is replaced by a stricter check at it) reports nothing.
    pub pss_level: Level,
    /// The policy version whose semantics the PSS rules follow, as in `enforce-version`.
    pub pss_version: Version,
    /// Known Kubernetes CVEs the VER rules match versions against (`--cve-db`); `None`: the data
    /// embedded at build time.
    pub cve_db: Option<std::sync::Arc<kubeward_host::versions::CveDb>>,
}

impl Default for Options {
    /// Restricted at `latest`: the hardened profile, as Kubernetes defines it today.
    fn default() -> Self {
        Self {
            allowed_registries: Vec::new(),
            pss_level: Level::Restricted,
            pss_version: Version::Latest,
            cve_db: None,
        }
    }
}

/// A suppression entry from the configuration file, with where it was written.
#[derive(Debug, Clone)]
pub struct ConfigSuppression {
    /// Rule IDs it applies to (a selector such as `POD` or `host-path-volume`, resolved).
    pub rules: Vec<&'static str>,
    pub selector: String,
    pub namespace: Option<globset::GlobMatcher>,
    pub kind: Option<String>,
    pub name: Option<globset::GlobMatcher>,
    pub reason: String,
    pub expires: Option<Date>,
    /// The entry's position in the configuration file, when it was loaded from one.
    pub location: Option<(SourceId, Span)>,
}

/// Everything the engine needs besides the objects.
#[derive(Debug, Clone)]
pub struct Settings {
    pub selection: Selection,
    pub severity_overrides: HashMap<&'static str, Severity>,
    pub options: Options,
    pub suppressions: Vec<ConfigSuppression>,
    /// The date expiry is judged against (fixed in tests).
    pub today: Date,
    /// Report documents that are not Kubernetes objects (KW006).
    pub verbose: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let options = Options::default();
        Self {
            selection: Selection::default_for(&options),
            severity_overrides: HashMap::new(),
            options,
            suppressions: Vec::new(),
            today: Date::today(),
            verbose: false,
        }
    }
}
