//! The settings `rstat push` runs with: its flags over rstat.toml's `[push]` section.

use std::path::PathBuf;

use crate::config::{Config, PushSection};

#[derive(Clone, Debug)]
pub struct PushSettings {
    pub url: String,
    pub bearer_token_file: Option<PathBuf>,
    pub basic_auth_username: Option<String>,
    pub basic_auth_password_file: Option<PathBuf>,
    pub tls_ca_file: Option<PathBuf>,
    pub headers: Vec<(String, String)>,
    pub batch_size: usize,
    pub data_dir: PathBuf,
    pub state_file: PathBuf,
}

/// What the command line gives.
pub struct Overrides {
    pub url: Option<String>,
    pub dir: Option<PathBuf>,
    pub state: Option<PathBuf>,
    pub batch_size: Option<usize>,
}

impl PushSettings {
    pub fn resolve(config: &Config, flags: Overrides) -> Result<PushSettings, String> {
        let file: &PushSection = &config.push;
        let url = flags.url.or_else(|| file.url.clone()).ok_or(
            "no receiver: pass --url URL (e.g. http://prometheus:9090/api/v1/write) or set url in \
             rstat.toml's [push] section",
        )?;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "--url {url}: expected an http:// or https:// URL of a remote-write endpoint"
            ));
        }
        if file.basic_auth_username.is_some() && file.bearer_token_file.is_some() {
            return Err(
                "[push]: set basic_auth_username or bearer_token_file, not both".to_string(),
            );
        }
        let data_dir = flags.dir.unwrap_or_else(|| config.data_dir.clone());
        let state_file = flags
            .state
            .or_else(|| file.state_file.clone())
            .unwrap_or_else(|| data_dir.join("push.state"));
        Ok(PushSettings {
            url,
            bearer_token_file: file.bearer_token_file.clone(),
            basic_auth_username: file.basic_auth_username.clone(),
            basic_auth_password_file: file.basic_auth_password_file.clone(),
            tls_ca_file: file.tls_ca_file.clone(),
            headers: file
                .headers
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            batch_size: flags
                .batch_size
                .or(file.batch_size.map(|n| n.0 as usize))
                .unwrap_or(super::DEFAULT_BATCH_SIZE),
            data_dir,
            state_file,
        })
    }
}
