//! The QR code content shown by a web client and scanned by the phone:
//! `ref + "," + base64(client public key) + "," + clientId`.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

/// A parsed QR string.
///
/// ```
/// use waweb_proto::session::QrCode;
/// let qr = QrCode::parse(
///     "1@waweb-test-ref,B6N8vBQgk8i3VdwbEOhstCY3StFqqFPtC9/AsrhtHHw=,wMHCw8TFxsfIycrLzM3Ozw==",
/// ).unwrap();
/// assert_eq!(qr.r#ref, "1@waweb-test-ref");
/// assert_eq!(qr.client_id, "wMHCw8TFxsfIycrLzM3Ozw==");
/// assert_eq!(qr.to_string().len(), 86);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCode {
    /// The server reference from `admin init` or `reref`.
    pub r#ref: String,
    /// The client's Curve25519 public key.
    pub public_key: [u8; 32],
    /// The client id from `admin init`.
    pub client_id: String,
}

/// Why a QR string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// The string does not have three comma-separated parts.
    #[error("a QR string has three comma-separated parts: ref,publicKey,clientId")]
    Parts,
    /// The public key is not base64 of 32 bytes.
    #[error("the QR public key is not base64 of 32 bytes")]
    PublicKey,
    /// The ref or client id is empty.
    #[error("the QR ref and client id must not be empty")]
    Empty,
}

impl QrCode {
    /// Parses `ref,publicKey,clientId`.
    pub fn parse(s: &str) -> Result<QrCode, QrError> {
        let mut parts = s.trim().splitn(3, ',');
        let (Some(r), Some(k), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(QrError::Parts);
        };
        if r.is_empty() || id.is_empty() {
            return Err(QrError::Empty);
        }
        let key = B64.decode(k).map_err(|_| QrError::PublicKey)?;
        let public_key: [u8; 32] = key.try_into().map_err(|_| QrError::PublicKey)?;
        Ok(QrCode { r#ref: r.to_string(), public_key, client_id: id.to_string() })
    }
}

impl std::fmt::Display for QrCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{},{},{}", self.r#ref, B64.encode(self.public_key), self.client_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_malformed() {
        assert_eq!(QrCode::parse("a,b"), Err(QrError::Parts));
        assert_eq!(QrCode::parse(",AAAA,x"), Err(QrError::Empty));
        assert_eq!(QrCode::parse("r,AAAA,x"), Err(QrError::PublicKey));
    }
}
