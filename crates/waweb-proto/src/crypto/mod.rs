//! Cryptography of the protocol, byte-compatible with the official client.
//!
//! Everything here is a pure function of its inputs: keys, IVs and randomness come in as
//! arguments (an [`rand_core::RngCore`] + [`rand_core::CryptoRng`] where fresh bytes are needed),
//! so the same code serves the server, the client and deterministic known-answer tests.
//!
//! * [`keypair`] — the client's Curve25519 key pair, whose public half goes into the QR code.
//! * [`keys`] — [`SessionKeys`]: the `encKey`/`macKey` pair every encrypted frame uses.
//! * [`hkdf`] — HKDF-SHA256 with the protocol's all-zero salt.
//! * [`secret`] — the 144-byte `Conn.secret` that carries the session keys to a new browser.
//! * [`seal`] — `mac ‖ iv ‖ AES-256-CBC` sealing and opening of binary frame payloads.
//! * [`challenge`] — the login challenge answer; [`logout`] — the HTTP logout token.
//! * [`media`] — media key expansion and the `enc ‖ mac10` blob format.
//! * [`error`] — [`CryptoError`], one variant per way an input can be rejected.
//!
//! ```
//! use waweb_proto::crypto::{seal, SessionKeys};
//!
//! let keys = SessionKeys { enc_key: [1; 32], mac_key: [2; 32] };
//! let payload = seal::seal(&keys, [3; 16], b"node bytes");
//! assert_eq!(seal::open(&keys, &payload).unwrap(), b"node bytes");
//! ```

mod cbc;
pub mod challenge;
pub mod error;
pub mod hkdf;
pub mod keypair;
pub mod keys;
pub mod logout;
mod mac;
pub mod media;
pub mod seal;
pub mod secret;

pub use error::CryptoError;
pub use hkdf::hkdf_sha256;
pub use keypair::KeyPair;
pub use keys::SessionKeys;
pub use logout::logout_token;
