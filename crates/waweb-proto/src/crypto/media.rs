//! Media encryption (docs/PROTOCOL.md): a random 32-byte `mediaKey` travels inside the message; HKDF
//! expands it into an IV, an AES key and a MAC key, and the uploaded blob is
//! `AES-256-CBC(file) ‖ HMAC-SHA256(iv ‖ enc)[..10]`.

use hmac::Mac;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{cbc, hkdf_sha256, mac, CryptoError};

/// Length of the truncated MAC at the end of a media blob.
pub const MEDIA_MAC_LEN: usize = 10;

/// The most a blob adds to its file: one block of PKCS#7 padding and the truncated MAC.
pub const MEDIA_BLOB_OVERHEAD: u64 = (cbc::BLOCK + MEDIA_MAC_LEN) as u64;

/// The media families, each with its own HKDF info string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    /// Images and stickers.
    Image,
    /// Videos and GIFs.
    Video,
    /// Audio files and voice notes (ptt).
    Audio,
    /// Documents.
    Document,
}

impl MediaType {
    /// Every media type.
    pub const ALL: [MediaType; 4] =
        [MediaType::Image, MediaType::Video, MediaType::Audio, MediaType::Document];

    /// The HKDF info string of this media type.
    pub const fn info(self) -> &'static str {
        match self {
            MediaType::Image => "WhatsApp Image Keys",
            MediaType::Video => "WhatsApp Video Keys",
            MediaType::Audio => "WhatsApp Audio Keys",
            MediaType::Document => "WhatsApp Document Keys",
        }
    }
}

/// The 112 bytes expanded from a `mediaKey`; wiped on drop, redacted in `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MediaKeys {
    /// CBC IV (`E[0..16]`).
    pub iv: [u8; 16],
    /// AES-256 key (`E[16..48]`).
    pub cipher_key: [u8; 32],
    /// HMAC-SHA256 key (`E[48..80]`).
    pub mac_key: [u8; 32],
    /// Reference key (`E[80..112]`), unused by the protocol.
    pub ref_key: [u8; 32],
}

impl MediaKeys {
    /// `HKDF-SHA256(media_key, zero salt, media_type.info(), 112)`, split into its four keys.
    pub fn expand(media_key: &[u8], media_type: MediaType) -> Self {
        let mut okm = Zeroizing::new([0u8; 112]);
        hkdf_sha256(media_key, media_type.info().as_bytes(), okm.as_mut_slice());
        let mut keys =
            MediaKeys { iv: [0; 16], cipher_key: [0; 32], mac_key: [0; 32], ref_key: [0; 32] };
        keys.iv.copy_from_slice(&okm[..16]);
        keys.cipher_key.copy_from_slice(&okm[16..48]);
        keys.mac_key.copy_from_slice(&okm[48..80]);
        keys.ref_key.copy_from_slice(&okm[80..]);
        keys
    }

    /// Encrypts a file into the blob `enc ‖ mac10`.
    pub fn encrypt(&self, plaintext: &[u8]) -> Vec<u8> {
        let mut blob = Vec::with_capacity(cbc::padded_len(plaintext.len()) + MEDIA_MAC_LEN);
        cbc::encrypt_append(&self.cipher_key, &self.iv, plaintext, &mut blob);
        let tag = self.mac10(&blob);
        blob.extend_from_slice(&tag);
        blob
    }

    /// Checks the truncated MAC of a blob (constant time), then decrypts it.
    pub fn decrypt(&self, blob: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if blob.len() < cbc::BLOCK + MEDIA_MAC_LEN {
            return Err(CryptoError::MediaTooShort(blob.len()));
        }
        let (enc, tag) = blob
            .split_last_chunk::<MEDIA_MAC_LEN>()
            .ok_or(CryptoError::MediaTooShort(blob.len()))?;
        if enc.len() % cbc::BLOCK != 0 {
            return Err(CryptoError::MediaLength(enc.len()));
        }
        if !mac::tags_equal(&self.mac10(enc), tag) {
            return Err(CryptoError::MediaMac);
        }
        let mut plaintext = Vec::with_capacity(enc.len());
        cbc::decrypt_append(&self.cipher_key, &self.iv, enc, &mut plaintext)?;
        Ok(plaintext)
    }

    /// `HMAC-SHA256(macKey, iv ‖ enc)` truncated to 10 bytes.
    fn mac10(&self, enc: &[u8]) -> [u8; MEDIA_MAC_LEN] {
        let mut hmac = mac::keyed(&self.mac_key);
        hmac.update(&self.iv);
        hmac.update(enc);
        let full = hmac.finalize().into_bytes();
        let mut tag = [0u8; MEDIA_MAC_LEN];
        tag.copy_from_slice(&full[..MEDIA_MAC_LEN]);
        tag
    }
}

impl std::fmt::Debug for MediaKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MediaKeys { <redacted> }")
    }
}

/// An encrypted file with the two hashes a message carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedMedia {
    /// The blob to upload: `enc ‖ mac10`.
    pub blob: Vec<u8>,
    /// `fileSha256`: SHA-256 of the plaintext file.
    pub file_sha256: [u8; 32],
    /// `fileEncSha256`: SHA-256 of the blob.
    pub file_enc_sha256: [u8; 32],
}

/// Encrypts a file under `media_key` and hashes both forms.
pub fn encrypt(media_key: &[u8], media_type: MediaType, plaintext: &[u8]) -> EncryptedMedia {
    let blob = MediaKeys::expand(media_key, media_type).encrypt(plaintext);
    EncryptedMedia { file_sha256: sha256(plaintext), file_enc_sha256: sha256(&blob), blob }
}

/// Checks and decrypts a downloaded blob.
pub fn decrypt(
    media_key: &[u8],
    media_type: MediaType,
    blob: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    MediaKeys::expand(media_key, media_type).decrypt(blob)
}

/// Opens a downloaded blob the way a receiver must: the blob's SHA-256 against the message's
/// `fileEncSha256`, then the MAC (constant time), then decryption, then the file's SHA-256
/// against `fileSha256`. Nothing is returned unless every check passed. The hashes are checked
/// when the message carries them (`None` skips one; a sender that omits both still gets the MAC
/// check).
pub fn open_checked(
    media_key: &[u8],
    media_type: MediaType,
    blob: &[u8],
    file_enc_sha256: Option<&[u8]>,
    file_sha256: Option<&[u8]>,
) -> Result<Vec<u8>, CryptoError> {
    if media_key.len() != 32 {
        return Err(CryptoError::KeyLength { expected: 32, actual: media_key.len() });
    }
    if file_enc_sha256.is_some_and(|h| sha256(blob).as_slice() != h) {
        return Err(CryptoError::MediaEncHash);
    }
    let plaintext = decrypt(media_key, media_type, blob)?;
    if file_sha256.is_some_and(|h| sha256(&plaintext).as_slice() != h) {
        return Err(CryptoError::MediaFileHash);
    }
    Ok(plaintext)
}

/// SHA-256 of `data`, as used for `fileSha256` and `fileEncSha256`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}
