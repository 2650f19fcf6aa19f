//! TLS on the server's one port, for `wss://` and `https://` alike: a certificate and key from
//! PEM files, or a self-signed pair created in the data directory (kept across restarts, so
//! it is trusted once). The handshakes run in the accept loop's per-connection tasks (see
//! `accept.rs`), within its connection cap and handshake timeout, so a slow or silent client
//! never holds up the accept loop.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::TlsAcceptor;

use crate::datadir;

/// Where the certificate comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsSource {
    /// PEM files: the certificate chain and its private key.
    Files {
        /// The certificate chain (leaf first).
        cert: PathBuf,
        /// The private key (PKCS#8, PKCS#1 or SEC1).
        key: PathBuf,
    },
    /// A self-signed certificate for local use, created in the data directory on first start
    /// (`tls-cert.pem`, `tls-key.pem`) for these host names and addresses.
    SelfSigned {
        /// Names the certificate is valid for (`localhost`, `127.0.0.1` and `::1` are always in).
        names: Vec<String>,
    },
}

/// Why TLS could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A PEM file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the file system said.
        source: io::Error,
    },
    /// A PEM file holds no usable certificate or key.
    #[error("{path}: {what}")]
    Pem {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// The self-signed certificate cannot be made or saved.
    #[error("cannot create a self-signed certificate: {0}")]
    SelfSigned(String),
    /// rustls refused the certificate and key.
    #[error("the certificate and key do not make a TLS configuration: {0}")]
    Config(#[from] rustls::Error),
}

/// The acceptor for a source, and the path of the certificate clients must trust when it is
/// self-signed.
pub fn acceptor(
    source: &TlsSource,
    data_dir: &Path,
) -> Result<(TlsAcceptor, Option<PathBuf>), TlsError> {
    let (cert_path, key_path, self_signed) = match source {
        TlsSource::Files { cert, key } => (cert.clone(), key.clone(), false),
        TlsSource::SelfSigned { names } => {
            let (cert, key) =
                (data_dir.join(datadir::TLS_CERT_FILE), data_dir.join(datadir::TLS_KEY_FILE));
            if !cert.exists() || !key.exists() {
                create_self_signed(names, &cert, &key)?;
            }
            (cert, key, true)
        }
    };
    let certs = read_certs(&cert_path)?;
    let key = read_key(&key_path)?;
    let mut config = rustls::ServerConfig::builder_with_provider(crypto_provider())
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(certs, key)?;
    // Websockets upgrade over HTTP/1.1.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((TlsAcceptor::from(Arc::new(config)), self_signed.then_some(cert_path)))
}

/// The cryptography of TLS: *ring*, which builds without a C toolchain beyond `cc` (the
/// aws-lc-rs default needs CMake). rustls marks it deprecated because it lacks post-quantum key
/// exchange; the classical suites it offers are the ones browsers and Node also accept.
#[allow(deprecated)]
pub fn crypto_provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read_certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = std::fs::read(path).map_err(|source| TlsError::Read { path: path.into(), source })?;
    let certs: Vec<_> = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::Pem { path: path.into(), what: e.to_string() })?;
    if certs.is_empty() {
        return Err(TlsError::Pem { path: path.into(), what: "no CERTIFICATE block".into() });
    }
    Ok(certs)
}

fn read_key(path: &Path) -> Result<PrivateKeyDer<'static>, TlsError> {
    let pem = std::fs::read(path).map_err(|source| TlsError::Read { path: path.into(), source })?;
    PrivateKeyDer::from_pem_slice(&pem)
        .map_err(|e| TlsError::Pem { path: path.into(), what: format!("no private key: {e}") })
}

/// Creates a self-signed certificate and its key (both mode 0600).
fn create_self_signed(names: &[String], cert: &Path, key: &Path) -> Result<(), TlsError> {
    let mut all: Vec<String> = ["localhost", "127.0.0.1", "::1"].map(String::from).to_vec();
    for n in names {
        if !all.contains(n) {
            all.push(n.clone());
        }
    }
    let made =
        rcgen::generate_simple_self_signed(all).map_err(|e| TlsError::SelfSigned(e.to_string()))?;
    let fail = |e: io::Error| TlsError::SelfSigned(e.to_string());
    // Both replaced: a crash between the two writes leaves a key without its certificate, and
    // the next start makes a new pair. The certificate is public, but private like every file
    // of the data directory (its owner reads it).
    datadir::write_private(key, made.key_pair.serialize_pem().as_bytes(), true).map_err(fail)?;
    datadir::write_private(cert, made.cert.pem().as_bytes(), true).map_err(fail)?;
    Ok(())
}
