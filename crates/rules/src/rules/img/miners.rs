//! Indicators of cryptocurrency miners: image names and command-line, argument and environment
//! fragments that legitimate workloads do not carry.

use std::sync::LazyLock;

use regex::Regex;

/// Fragments of miner image repository names (matched inside one path segment, lowercase).
const MINER_IMAGE_FRAGMENTS: [&str; 20] = [
    "xmrig",
    "xmr-stak",
    "xmr-node-proxy",
    "cpuminer",
    "minerd",
    "ethminer",
    "nbminer",
    "lolminer",
    "phoenixminer",
    "nanominer",
    "teamredminer",
    "gminer",
    "srbminer",
    "cgminer",
    "bfgminer",
    "ccminer",
    "nheqminer",
    "bzminer",
    "hellminer",
    "moneroocean",
];

/// Image path segments that are miners only when they are the whole segment.
const MINER_IMAGE_SEGMENTS: [&str; 3] = ["t-rex", "xmr", "monero-miner"];

/// The miner an image repository (`library/xmrig`, `ghcr.io/x/xmrig-proxy`) names, if any.
pub(crate) fn miner_image(repository: &str) -> Option<String> {
    let lower = repository.to_ascii_lowercase();
    lower.split('/').find_map(|segment| {
        MINER_IMAGE_FRAGMENTS
            .iter()
            .find(|f| segment.contains(*f))
            .map(|f| f.to_string())
            .or_else(|| {
                MINER_IMAGE_SEGMENTS
                    .iter()
                    .find(|s| segment == **s)
                    .map(|s| s.to_string())
            })
    })
}

/// Command-line and configuration indicators, with what to call them.
static MINER_ARGUMENTS: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    [
        (r"stratum\d?\+(?:tcp|ssl|tls)://", "a mining pool URL (`stratum+…://`)"),
        (r"--donate-level\b", "the miner option `--donate-level`"),
        (r"(?:^|[/\s])xmrig(?:\s|$|\.|-)", "the `xmrig` miner"),
        (r"--(?:algo|coin)[=\s]*(?:rx/0|randomx|cn/|cryptonight|monero|xmr\b)", "a mining algorithm option"),
        (
            r"\b(?:minexmr\.com|supportxmr\.com|moneroocean\.stream|nanopool\.org|2miners\.com|f2pool\.com|hashvault\.pro|c3pool\.com|herominers\.com|xmrpool\.eu|minergate\.com|nicehash\.com|unmineable\.com|ethermine\.org)\b",
            "a known mining pool",
        ),
    ]
    .into_iter()
    .filter_map(|(re, what)| Regex::new(re).ok().map(|r| (r, what)))
    .collect()
});

/// What miner indicator a command-line argument or environment value carries, if any.
pub(crate) fn miner_argument(text: &str) -> Option<&'static str> {
    // Patterns are lowercase; matching the lowercased text avoids the regex crate's Unicode case
    // tables, which this crate does not build.
    let text = text.to_ascii_lowercase();
    MINER_ARGUMENTS
        .iter()
        .find(|(re, _)| re.is_match(&text))
        .map(|(_, what)| *what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_and_arguments() {
        assert_eq!(miner_image("metal3d/xmrig").as_deref(), Some("xmrig"));
        assert_eq!(miner_image("x/xmrig-proxy").as_deref(), Some("xmrig"));
        assert_eq!(miner_image("someone/t-rex").as_deref(), Some("t-rex"));
        assert_eq!(miner_image("library/nginx"), None);
        assert_eq!(miner_image("acme/dinosaur-t-rex-game"), None);
        assert!(miner_argument("stratum+tcp://pool.example:3333").is_some());
        assert!(miner_argument("--donate-level=1").is_some());
        assert!(miner_argument("/usr/local/bin/xmrig").is_some());
        assert!(miner_argument("-o pool.supportxmr.com:443").is_some());
        assert!(miner_argument("--algo=rx/0").is_some());
        assert!(miner_argument("--config=/etc/app.yaml").is_none());
        assert!(miner_argument("xmrigor").is_none());
        assert!(miner_argument("STRATUM+TCP://POOL:1").is_some());
        assert_eq!(MINER_ARGUMENTS.len(), 5, "every pattern compiles");
    }
}
