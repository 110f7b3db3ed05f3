//! Sending one remote-write request (ureq over rustls) and sorting the outcome: acknowledged,
//! worth retrying (network errors, 5xx, 429), or a configuration error (any other 4xx: a
//! wrong URL, credentials or a receiver refusing the data, which no retry fixes).

use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;

use super::settings::PushSettings;

pub enum Failure {
    Retry(String),
    Configuration(String),
}

pub struct Client {
    agent: ureq::Agent,
    url: String,
    headers: Vec<(String, String)>,
}

impl Client {
    pub fn new(settings: &PushSettings) -> Result<Client, String> {
        let mut builder = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            .timeout(Duration::from_secs(60));
        if let Some(ca) = &settings.tls_ca_file {
            let mut roots = rustls::RootCertStore::empty();
            let certs = CertificateDer::pem_file_iter(ca)
                .and_then(|c| c.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("push.tls_ca_file {}: {e}", ca.display()))?;
            for cert in certs {
                roots
                    .add(cert)
                    .map_err(|e| format!("push.tls_ca_file {}: {e}", ca.display()))?;
            }
            let config = rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?
            .with_root_certificates(roots)
            .with_no_client_auth();
            builder = builder.tls_config(Arc::new(config));
        }
        let mut headers = settings.headers.clone();
        let read_secret = |path: &std::path::Path, key: &str| {
            std::fs::read_to_string(path)
                .map(|s| s.trim().to_string())
                .map_err(|e| format!("push.{key} {}: cannot read it: {e}", path.display()))
        };
        if let Some(path) = &settings.bearer_token_file {
            let token = read_secret(path, "bearer_token_file")?;
            headers.push(("Authorization".into(), format!("Bearer {token}")));
        }
        if let Some(user) = &settings.basic_auth_username {
            let password = match &settings.basic_auth_password_file {
                Some(path) => read_secret(path, "basic_auth_password_file")?,
                None => String::new(),
            };
            let encoded =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            headers.push(("Authorization".into(), format!("Basic {encoded}")));
        }
        let agent = builder.build();
        // A URL that does not parse is a configuration error no retry fixes: said at start.
        agent.post(&settings.url).request_url().map_err(|e| {
            format!(
                "--url {}: {e}; expected a remote-write URL such as http://prometheus:9090/api/v1/write",
                settings.url
            )
        })?;
        Ok(Client {
            agent,
            url: settings.url.clone(),
            headers,
        })
    }

    /// Sends one snappy-compressed WriteRequest.
    pub fn send(&self, body: &[u8]) -> Result<(), Failure> {
        let mut request = self
            .agent
            .post(&self.url)
            .set("Content-Encoding", "snappy")
            .set("Content-Type", "application/x-protobuf")
            .set("User-Agent", concat!("rstat/", env!("CARGO_PKG_VERSION")))
            .set("X-Prometheus-Remote-Write-Version", "0.1.0");
        for (name, value) in &self.headers {
            request = request.set(name, value);
        }
        match request.send_bytes(body) {
            Ok(_) => Ok(()),
            Err(ureq::Error::Status(code, response)) => {
                let text = response.into_string().unwrap_or_default();
                let text = text
                    .lines()
                    .next()
                    .unwrap_or("")
                    .chars()
                    .take(300)
                    .collect::<String>();
                let message = format!("{}: HTTP {code}: {text}", self.url);
                if code == 429 || code >= 500 {
                    Err(Failure::Retry(message))
                } else {
                    Err(Failure::Configuration(message))
                }
            }
            // ureq's message names the URL already.
            Err(ureq::Error::Transport(e)) => Err(Failure::Retry(e.to_string())),
        }
    }
}
