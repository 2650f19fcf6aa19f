//! HMAC-SHA256 keyed with a 32-byte key, and constant-time tag comparison.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// HMAC-SHA256, the only MAC of the protocol.
pub(crate) type HmacSha256 = Hmac<Sha256>;

/// An HMAC-SHA256 instance keyed with `key`.
///
/// HMAC zero-pads keys shorter than the 64-byte block, so keying with the padded block is the
/// same function; it lets us use the infallible fixed-size constructor.
pub(crate) fn keyed(key: &[u8; 32]) -> HmacSha256 {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(key);
    let mac = <HmacSha256 as Mac>::new(&block.into());
    block.zeroize();
    mac
}

/// `HMAC-SHA256(key, parts[0] ‖ parts[1] ‖ …)`.
pub(crate) fn hmac_sha256(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = keyed(key);
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Compares a computed tag with a received one without leaking where they differ.
pub(crate) fn tags_equal(computed: &[u8], received: &[u8]) -> bool {
    computed.len() == received.len() && bool::from(computed.ct_eq(received))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_key_equals_slice_key() {
        let key = [0x5a; 32];
        let mut reference = HmacSha256::new_from_slice(&key).unwrap();
        reference.update(b"abc");
        let expected: [u8; 32] = reference.finalize().into_bytes().into();
        assert_eq!(hmac_sha256(&key, &[b"a", b"bc"]), expected);
    }

    #[test]
    fn tag_comparison() {
        assert!(tags_equal(&[1, 2, 3], &[1, 2, 3]));
        assert!(!tags_equal(&[1, 2, 3], &[1, 2, 4]));
        assert!(!tags_equal(&[1, 2, 3], &[1, 2]));
    }
}
