//! The client's long-lived Curve25519 (X25519) key pair. Its public half travels in the QR code;
//! the phone answers with a `Conn.secret` only this key pair can open.

use rand_core::{CryptoRng, RngCore};
use x25519_dalek::{PublicKey, SharedSecret, StaticSecret};

/// A Curve25519 key pair; the private key is wiped from memory on drop.
#[derive(Clone)]
pub struct KeyPair {
    private: StaticSecret,
    public: PublicKey,
}

impl KeyPair {
    /// Draws a fresh key pair.
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        Self::from_private_bytes(bytes)
    }

    /// Rebuilds a key pair from its private key (clamping happens inside X25519, so any 32
    /// bytes are a valid private key).
    pub fn from_private_bytes(private: [u8; 32]) -> Self {
        let private = StaticSecret::from(private);
        let public = PublicKey::from(&private);
        KeyPair { private, public }
    }

    /// The public key, as put in the QR code (base64) and used by the phone.
    pub fn public_bytes(&self) -> [u8; 32] {
        self.public.to_bytes()
    }

    /// The private key, for persisting a client session. Handle the result as a secret.
    pub fn private_bytes(&self) -> [u8; 32] {
        self.private.to_bytes()
    }

    /// X25519 with the peer's public key.
    pub(crate) fn diffie_hellman(&self, peer_public: &[u8; 32]) -> SharedSecret {
        self.private.diffie_hellman(&PublicKey::from(*peer_public))
    }
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public", &hex::encode(self.public.as_bytes()))
            .field("private", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_bytes_round_trip() {
        let pair = KeyPair::from_private_bytes([7; 32]);
        let again = KeyPair::from_private_bytes(pair.private_bytes());
        assert_eq!(pair.public_bytes(), again.public_bytes());
        assert_eq!(pair.private_bytes(), [7; 32]);
    }

    #[test]
    fn both_sides_agree() {
        let a = KeyPair::from_private_bytes([1; 32]);
        let b = KeyPair::from_private_bytes([2; 32]);
        let ab = a.diffie_hellman(&b.public_bytes());
        let ba = b.diffie_hellman(&a.public_bytes());
        assert_eq!(ab.as_bytes(), ba.as_bytes());
    }

    #[test]
    fn debug_shows_public_only() {
        let pair = KeyPair::from_private_bytes([0x11; 32]);
        let shown = format!("{pair:?}");
        assert!(shown.contains(&hex::encode(pair.public_bytes())));
        assert!(!shown.contains("1111"));
        assert!(shown.contains("redacted"));
    }
}
