//! HKDF-SHA256 (RFC 5869) as the protocol uses it: extract with a salt of 32 zero bytes, then
//! expand. It derives the `Conn.secret` keys (empty info) and the media keys (§9 info strings).

use ::hkdf::Hkdf;
use sha2::Sha256;

/// The salt every HKDF call of the protocol uses; for SHA-256 it equals an empty salt.
const ZERO_SALT: [u8; 32] = [0; 32];

/// Fills `out` with `HKDF-SHA256(ikm, salt = 32 zero bytes, info)`.
///
/// # Panics
///
/// If `out` is longer than 8160 bytes (255 × 32), the HKDF limit. Every caller in the protocol
/// asks for a fixed 80 or 112 bytes.
pub fn hkdf_sha256(ikm: &[u8], info: &[u8], out: &mut [u8]) {
    #[allow(clippy::expect_used)]
    Hkdf::<Sha256>::new(Some(&ZERO_SALT), ikm)
        .expand(info, out)
        .expect("HKDF output length is a fixed constant at every call site");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_salt_equals_empty_salt() {
        let mut with_zero = [0u8; 80];
        hkdf_sha256(b"input", b"info", &mut with_zero);
        let mut with_none = [0u8; 80];
        Hkdf::<Sha256>::new(None, b"input").expand(b"info", &mut with_none).unwrap();
        assert_eq!(with_zero, with_none);
    }
}
