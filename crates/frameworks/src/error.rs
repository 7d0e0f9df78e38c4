/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An embedded framework file is not valid; a build with such a file fails its tests.
    #[error("framework data `{file}` is invalid")]
    Data {
        file: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// `--framework` named no framework.
    #[error("unknown framework `{name}` (expected one of {expected}){}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownFramework {
        name: String,
        expected: String,
        suggestion: Option<String>,
    },
}
