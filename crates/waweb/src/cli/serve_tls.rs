//! The TLS flags of `waweb serve`: a certificate and key from PEM files, or a self-signed pair
//! for local use.

use std::path::PathBuf;

use waweb_server::tls::TlsSource;

/// TLS settings.
#[derive(Debug, clap::Args)]
pub struct TlsArgs {
    /// Serve TLS (wss:// and https:// on the same port) with this PEM certificate chain.
    #[arg(long, env = "WAWEB_TLS_CERT", value_name = "PEM", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM).
    #[arg(long, env = "WAWEB_TLS_KEY", value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve TLS with a self-signed certificate, created in the data directory on first start
    /// (valid for localhost, 127.0.0.1, ::1 and the --public-url host); prints how to trust it.
    #[arg(long, env = "WAWEB_TLS_SELF_SIGNED", conflicts_with = "tls_cert")]
    pub tls_self_signed: bool,
}

impl TlsArgs {
    /// The server's TLS source; `public_url`'s host goes into a self-signed certificate.
    pub fn source(&self, public_url: Option<&str>) -> Option<TlsSource> {
        if let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) {
            return Some(TlsSource::Files { cert: cert.clone(), key: key.clone() });
        }
        self.tls_self_signed.then(|| TlsSource::SelfSigned {
            names: public_url.and_then(host_of).into_iter().collect(),
        })
    }
}

/// The host of an `http(s)://host[:port]/…` URL (an IPv6 address without its brackets).
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    (!host.is_empty()).then(|| host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_of_public_urls() {
        assert_eq!(host_of("https://chat.example.org").as_deref(), Some("chat.example.org"));
        assert_eq!(host_of("https://10.0.0.2:8443/x").as_deref(), Some("10.0.0.2"));
        assert_eq!(host_of("https://[fd00::1]:8443").as_deref(), Some("fd00::1"));
        assert_eq!(host_of("nonsense"), None);
    }
}
