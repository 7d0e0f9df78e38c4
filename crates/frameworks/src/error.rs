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
}
