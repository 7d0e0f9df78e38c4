//! Connecting as kubectl does: `--kubeconfig FILE`, else `KUBECONFIG` (several files merged), else
//! `~/.kube/config`, else the in-cluster service account; `--context` picks a context.

use std::path::PathBuf;
use std::time::Duration;

use kube::config::{KubeConfigOptions, Kubeconfig};

use crate::Error;

/// Where to connect and as whom.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub kubeconfig: Option<PathBuf>,
    pub context: Option<String>,
    /// Per-request timeout (connect and read).
    pub request_timeout: Option<Duration>,
}

/// A client and what the report says about where it points.
pub struct Connection {
    pub client: kube::Client,
    /// The context name, or `in-cluster`.
    pub context: String,
    pub server: String,
}

pub async fn connect(options: &ConnectOptions) -> Result<Connection, Error> {
    let kube_options = KubeConfigOptions {
        context: options.context.clone(),
        ..KubeConfigOptions::default()
    };
    let kubeconfig = match &options.kubeconfig {
        Some(path) => Some(Kubeconfig::read_from(path).map_err(|e| Error::Kubeconfig {
            what: path.display().to_string(),
            source: Box::new(e),
        })?),
        None => match Kubeconfig::from_env() {
            Ok(Some(k)) => Some(k),
            Ok(None) => default_kubeconfig()?,
            Err(e) => {
                return Err(Error::Kubeconfig {
                    what: "KUBECONFIG".into(),
                    source: Box::new(e),
                });
            }
        },
    };
    let (mut config, context) = match kubeconfig {
        Some(kubeconfig) => {
            let context = options
                .context
                .clone()
                .or_else(|| kubeconfig.current_context.clone())
                .unwrap_or_default();
            let config = kube::Config::from_custom_kubeconfig(kubeconfig, &kube_options)
                .await
                .map_err(|e| Error::Kubeconfig {
                    what: format!("context `{context}`"),
                    source: Box::new(e),
                })?;
            (config, context)
        }
        None => {
            if options.context.is_some() {
                return Err(Error::NoKubeconfig);
            }
            let config = kube::Config::incluster().map_err(|e| Error::InCluster(Box::new(e)))?;
            (config, "in-cluster".to_string())
        }
    };
    // Retries are ours: they honour Retry-After, count, and respect the scan's deadline.
    config.default_retry = false;
    if let Some(timeout) = options.request_timeout {
        config.connect_timeout = Some(timeout);
        config.read_timeout = Some(timeout);
        config.reset_reader_on_write = true;
    }
    let server = config.cluster_url.to_string();
    let client = kube::Client::try_from(config).map_err(|e| Error::Client(Box::new(e)))?;
    Ok(Connection {
        client,
        context,
        server,
    })
}

/// `~/.kube/config` when it exists.
fn default_kubeconfig() -> Result<Option<Kubeconfig>, Error> {
    let Some(home) = std::env::var_os("HOME") else {
        return Ok(None);
    };
    let path = PathBuf::from(home).join(".kube/config");
    if !path.is_file() {
        return Ok(None);
    }
    Kubeconfig::read_from(&path)
        .map(Some)
        .map_err(|e| Error::Kubeconfig {
            what: path.display().to_string(),
            source: Box::new(e),
        })
}
