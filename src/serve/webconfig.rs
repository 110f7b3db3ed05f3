//! `--web.config.file`: the Prometheus exporter web configuration (exporter-toolkit's
//! format), the part rstat supports: `tls_server_config` (`cert_file`, `key_file`) and
//! `basic_auth_users` (user: bcrypt hash). Any other key is refused by name rather than
//! silently ignored, so that a setting the admin relies on is never dropped.
//!
//! The file is YAML; only this two-level subset is read (mappings of scalars, quoted or not,
//! comments), which keeps a YAML library out of the program.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

/// What the file configures.
#[derive(Debug, Default)]
pub struct WebConfig {
    pub tls: Option<(PathBuf, PathBuf)>,
    /// User name and bcrypt hash.
    pub users: Vec<(String, String)>,
}

impl WebConfig {
    pub fn load(path: &Path) -> Result<WebConfig, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{}: cannot read the web configuration: {e}; pass an existing file to --web.config.file",
                path.display()
            )
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        parse(&text, &path.display().to_string(), base)
    }

    /// The rustls server configuration, when TLS is configured.
    pub fn tls_config(&self) -> Result<Option<Arc<rustls::ServerConfig>>, String> {
        let Some((cert, key)) = &self.tls else {
            return Ok(None);
        };
        let certs = CertificateDer::pem_file_iter(cert)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| format!("{}: cannot read the TLS certificate: {e}", cert.display()))?;
        if certs.is_empty() {
            return Err(format!(
                "{}: no PEM certificate in the file; give tls_server_config.cert_file a PEM certificate",
                cert.display()
            ));
        }
        let key = PrivateKeyDer::from_pem_file(key)
            .map_err(|e| format!("{}: cannot read the TLS private key: {e}", key.display()))?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| {
                format!("tls_server_config: the certificate and key do not go together: {e}")
            })?;
        Ok(Some(Arc::new(config)))
    }

    /// Whether a request with this `Authorization` header may see the metrics.
    pub fn authorized(&self, authorization: Option<&str>) -> bool {
        if self.users.is_empty() {
            return true;
        }
        let Some(encoded) = authorization.and_then(|a| a.strip_prefix("Basic ")) else {
            return false;
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
            return false;
        };
        let Ok(decoded) = String::from_utf8(decoded) else {
            return false;
        };
        let Some((user, password)) = decoded.split_once(':') else {
            return false;
        };
        self.users
            .iter()
            .find(|(name, _)| name == user)
            .is_some_and(|(_, hash)| bcrypt::verify(password, hash).unwrap_or(false))
    }
}

fn parse(text: &str, origin: &str, base: &Path) -> Result<WebConfig, String> {
    let mut config = WebConfig::default();
    let mut section: Option<&str> = None;
    let (mut cert, mut key) = (None, None);
    for (index, raw) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = strip_comment(raw);
        if line.trim().is_empty() || line.trim() == "---" {
            continue;
        }
        let err = |what: &str| format!("{origin}:{line_no}: {what}");
        let indented = line.starts_with([' ', '\t']);
        let (name, value) = line
            .trim()
            .split_once(':')
            .ok_or_else(|| err("expected `key: value`"))?;
        let (name, value) = (unquote(name.trim()), unquote(value.trim()));
        if !indented {
            section = match name.as_str() {
                "tls_server_config" => Some("tls_server_config"),
                "basic_auth_users" => Some("basic_auth_users"),
                other => {
                    return Err(err(&format!(
                        "`{other}` is not supported by rstat serve; supported: tls_server_config \
                         (cert_file, key_file) and basic_auth_users"
                    )))
                }
            };
            if !value.is_empty() {
                return Err(err(&format!(
                    "`{name}` must be a section with keys under it"
                )));
            }
            continue;
        }
        if value.is_empty() {
            return Err(err(&format!("`{name}` has no value")));
        }
        match (section, name.as_str()) {
            (Some("tls_server_config"), "cert_file") => cert = Some(base.join(value)),
            (Some("tls_server_config"), "key_file") => key = Some(base.join(value)),
            (Some("tls_server_config"), other) => {
                return Err(err(&format!(
                    "tls_server_config.{other} is not supported by rstat serve; supported: \
                     cert_file, key_file"
                )))
            }
            (Some("basic_auth_users"), user) => {
                if !value.starts_with("$2") {
                    return Err(err(&format!(
                        "basic_auth_users.{user}: expected a bcrypt hash ($2y$...), e.g. from \
                         `htpasswd -nBC 10 {user}`"
                    )));
                }
                config.users.push((user.to_string(), value));
            }
            _ => return Err(err("a key outside any section")),
        }
    }
    config.tls = match (cert, key) {
        (Some(cert), Some(key)) => Some((cert, key)),
        (None, None) => None,
        _ => {
            return Err(format!(
                "{origin}: tls_server_config needs both cert_file and key_file"
            ))
        }
    };
    Ok(config)
}

/// The line without a `#` comment (a `#` that starts the line or follows a blank).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') {
            return &line[..i];
        }
    }
    line
}

fn unquote(text: &str) -> String {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote)) {
            return inner.to_string();
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exporter_format_parses_and_unknown_keys_are_refused() {
        let hash = bcrypt::hash("secret", 4).unwrap();
        let text = format!(
            "# rstat\ntls_server_config:\n  cert_file: server.crt\n  key_file: \"server.key\"\n\
             basic_auth_users:\n  alice: '{hash}'  # the admin\n"
        );
        let c = parse(&text, "w.yml", Path::new("/etc/rstat")).unwrap();
        assert_eq!(
            c.tls,
            Some((
                PathBuf::from("/etc/rstat/server.crt"),
                PathBuf::from("/etc/rstat/server.key")
            ))
        );
        let basic = |user_pass: &str| {
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(user_pass)
            )
        };
        assert!(c.authorized(Some(&basic("alice:secret"))));
        assert!(!c.authorized(Some(&basic("alice:wrong"))));
        assert!(!c.authorized(Some(&basic("bob:secret"))));
        assert!(!c.authorized(None));
        let e = parse(
            "http_server_config:\n  http2: false\n",
            "w.yml",
            Path::new("."),
        )
        .unwrap_err();
        assert!(
            e.starts_with("w.yml:1: `http_server_config` is not supported"),
            "{e}"
        );
        let e = parse(
            "tls_server_config:\n  client_ca_file: x\n",
            "w",
            Path::new("."),
        )
        .unwrap_err();
        assert!(
            e.contains("tls_server_config.client_ca_file is not supported"),
            "{e}"
        );
        let e = parse("basic_auth_users:\n  bob: plain\n", "w", Path::new(".")).unwrap_err();
        assert!(e.contains("expected a bcrypt hash"), "{e}");
        assert!(parse("", "w", Path::new(".")).unwrap().users.is_empty());
    }
}
