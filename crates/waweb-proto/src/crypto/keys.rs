//! The session keys: `encKey` (AES-256) and `macKey` (HMAC-SHA256), chosen by the phone at
//! pairing time and used by both directions for the whole life of the pairing.

use rand_core::{CryptoRng, RngCore};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::CryptoError;

/// The pair of 32-byte keys that encrypt and authenticate every binary frame.
///
/// Wiped from memory on drop; `Debug` never shows the bytes; equality is constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionKeys {
    /// AES-256-CBC key (`encKey`).
    pub enc_key: [u8; 32],
    /// HMAC-SHA256 key (`macKey`).
    pub mac_key: [u8; 32],
}

impl SessionKeys {
    /// Draws fresh keys, as the phone (our server) does for a new pairing.
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut keys = SessionKeys { enc_key: [0; 32], mac_key: [0; 32] };
        rng.fill_bytes(&mut keys.enc_key);
        rng.fill_bytes(&mut keys.mac_key);
        keys
    }

    /// Builds keys from stored bytes (for example base64-decoded auth info).
    pub fn from_slices(enc_key: &[u8], mac_key: &[u8]) -> Result<Self, CryptoError> {
        Ok(SessionKeys { enc_key: key_array(enc_key)?, mac_key: key_array(mac_key)? })
    }
}

fn key_array(bytes: &[u8]) -> Result<[u8; 32], CryptoError> {
    bytes.try_into().map_err(|_| CryptoError::KeyLength { expected: 32, actual: bytes.len() })
}

impl PartialEq for SessionKeys {
    fn eq(&self, other: &Self) -> bool {
        let same = self.enc_key.ct_eq(&other.enc_key) & self.mac_key.ct_eq(&other.mac_key);
        same.into()
    }
}

impl Eq for SessionKeys {}

impl std::fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionKeys")
            .field("enc_key", &"<redacted>")
            .field("mac_key", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_slices_checks_each_length() {
        let keys = SessionKeys::from_slices(&[1; 32], &[2; 32]).unwrap();
        assert_eq!(keys.enc_key, [1; 32]);
        assert_eq!(keys.mac_key, [2; 32]);
        assert_eq!(
            SessionKeys::from_slices(&[1; 31], &[2; 32]),
            Err(CryptoError::KeyLength { expected: 32, actual: 31 })
        );
        assert_eq!(
            SessionKeys::from_slices(&[1; 32], &[2; 33]),
            Err(CryptoError::KeyLength { expected: 32, actual: 33 })
        );
    }

    #[test]
    fn equality_compares_both_keys() {
        let a = SessionKeys { enc_key: [1; 32], mac_key: [2; 32] };
        assert_eq!(a, a.clone());
        assert_ne!(a, SessionKeys { enc_key: [1; 32], mac_key: [3; 32] });
        assert_ne!(a, SessionKeys { enc_key: [0; 32], mac_key: [2; 32] });
    }

    #[test]
    fn debug_redacts() {
        let keys = SessionKeys { enc_key: [0xab; 32], mac_key: [0xcd; 32] };
        let shown = format!("{keys:?}");
        assert!(shown.contains("redacted"));
        assert!(!shown.contains("171") && !shown.contains("ab") && !shown.contains("205"));
    }
}
