//! Errors of the cryptographic layer: one variant per way an input can be rejected, so callers
//! and tests can tell a forged frame from a truncated one.

/// Why a cryptographic operation rejected its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// A key given as a slice does not have the required length.
    #[error("key must be {expected} bytes, got {actual}")]
    KeyLength {
        /// The required length in bytes.
        expected: usize,
        /// The length that was given.
        actual: usize,
    },
    /// A `Conn.secret` is not exactly 144 bytes long.
    #[error("secret must be 144 bytes, got {0}")]
    SecretLength(usize),
    /// The HMAC of a `Conn.secret` does not match: wrong client key or tampered secret.
    #[error("secret HMAC mismatch")]
    SecretMac,
    /// The server's ephemeral public key is a low-order point (the shared secret would be zero).
    #[error("secret carries a low-order public key")]
    SecretWeakKey,
    /// A `Conn.secret` decrypted to something other than the 64 bytes `encKey ‖ macKey`.
    #[error("secret plaintext must be 64 bytes, got {0}")]
    SecretPlaintextLength(usize),
    /// An encrypted frame payload is shorter than MAC + IV + one block (64 bytes).
    #[error("encrypted payload too short: {0} bytes, need at least 64")]
    FrameTooShort(usize),
    /// An encrypted frame payload's ciphertext is not a whole number of AES blocks.
    #[error("ciphertext length {0} is not a multiple of 16")]
    FrameLength(usize),
    /// The HMAC of an encrypted frame does not match: wrong keys or tampered frame.
    #[error("frame HMAC mismatch")]
    FrameMac,
    /// The MAC was valid but the decrypted data does not end in valid PKCS#7 padding.
    #[error("invalid PKCS#7 padding")]
    Padding,
    /// A media blob is shorter than one AES block plus the 10-byte MAC.
    #[error("media blob too short: {0} bytes, need at least 26")]
    MediaTooShort(usize),
    /// A media blob's ciphertext is not a whole number of AES blocks.
    #[error("media ciphertext length {0} is not a multiple of 16")]
    MediaLength(usize),
    /// The truncated HMAC of a media blob does not match.
    #[error("media HMAC mismatch")]
    MediaMac,
    /// A downloaded blob's SHA-256 is not the message's `fileEncSha256`.
    #[error("the media blob's SHA-256 is not the message's fileEncSha256")]
    MediaEncHash,
    /// A decrypted file's SHA-256 is not the message's `fileSha256`.
    #[error("the decrypted file's SHA-256 is not the message's fileSha256")]
    MediaFileHash,
}
