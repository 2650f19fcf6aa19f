//! AES-256-CBC with strict PKCS#7, working in place inside a caller's `Vec` so that sealing and
//! opening a frame touch each byte once.

use ::cbc::cipher::inout::InOutBuf;
use ::cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};

use super::CryptoError;

type Encryptor = ::cbc::Encryptor<aes::Aes256>;
type Decryptor = ::cbc::Decryptor<aes::Aes256>;

/// AES block size in bytes.
pub(crate) const BLOCK: usize = 16;

/// Length of `PKCS7(plaintext)`: always at least one byte of padding.
pub(crate) const fn padded_len(plaintext_len: usize) -> usize {
    (plaintext_len / BLOCK + 1) * BLOCK
}

/// Appends `AES-256-CBC(key, iv, PKCS7(plaintext))` to `out`.
pub(crate) fn encrypt_append(key: &[u8; 32], iv: &[u8; 16], plaintext: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    let total = padded_len(plaintext.len());
    // The padding byte value equals the number of padding bytes, 1..=16.
    let pad = (total - plaintext.len()) as u8;
    out.reserve(total);
    out.extend_from_slice(plaintext);
    out.resize(start + total, pad);
    let (blocks, _tail) = InOutBuf::from(&mut out[start..]).into_chunks();
    Encryptor::new(key.into(), iv.into()).encrypt_blocks_inout_mut(blocks);
}

/// Appends the PKCS#7-unpadded decryption of `ciphertext` to `out`.
///
/// The caller has already checked that `ciphertext` is a non-empty multiple of the block size.
/// On a padding error `out` is restored to its original length.
pub(crate) fn decrypt_append(
    key: &[u8; 32],
    iv: &[u8; 16],
    ciphertext: &[u8],
    out: &mut Vec<u8>,
) -> Result<(), CryptoError> {
    let start = out.len();
    out.extend_from_slice(ciphertext);
    let (blocks, _tail) = InOutBuf::from(&mut out[start..]).into_chunks();
    Decryptor::new(key.into(), iv.into()).decrypt_blocks_inout_mut(blocks);
    match unpadded_len(&out[start..]) {
        Some(len) => {
            out.truncate(start + len);
            Ok(())
        }
        None => {
            out.truncate(start);
            Err(CryptoError::Padding)
        }
    }
}

/// Length of the data before strict PKCS#7 padding: the last byte `n` must be 1..=16 and the
/// last `n` bytes must all equal `n`. Timing need not be constant: the MAC is checked first.
pub(crate) fn unpadded_len(padded: &[u8]) -> Option<usize> {
    let n = usize::from(*padded.last()?);
    if n == 0 || n > BLOCK {
        return None;
    }
    let data_len = padded.len().checked_sub(n)?;
    let pad = padded.get(data_len..)?;
    pad.iter().all(|&b| usize::from(b) == n).then_some(data_len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_len_always_adds_padding() {
        assert_eq!(padded_len(0), 16);
        assert_eq!(padded_len(15), 16);
        assert_eq!(padded_len(16), 32);
        assert_eq!(padded_len(64), 80);
    }

    #[test]
    fn unpad_is_strict() {
        assert_eq!(unpadded_len(&[7; 16]), Some(9));
        assert_eq!(unpadded_len(&[16; 16]), Some(0));
        let mut block = [0u8; 16];
        block[15] = 2;
        block[14] = 2;
        assert_eq!(unpadded_len(&block), Some(14));
        block[14] = 3;
        assert_eq!(unpadded_len(&block), None, "inconsistent padding bytes");
        assert_eq!(unpadded_len(&[0; 16]), None, "zero padding byte");
        assert_eq!(unpadded_len(&[17; 32]), None, "padding longer than a block");
        assert_eq!(unpadded_len(&[5; 3]), None, "padding longer than the data");
        assert_eq!(unpadded_len(&[]), None);
    }

    #[test]
    fn round_trip_appends_after_existing_bytes() {
        let key = [9; 32];
        let iv = [4; 16];
        for len in [0, 1, 15, 16, 17, 100] {
            let plaintext: Vec<u8> = (0..len as u8).collect();
            let mut sealed = b"prefix".to_vec();
            encrypt_append(&key, &iv, &plaintext, &mut sealed);
            assert_eq!(sealed.len(), 6 + padded_len(len));
            let mut opened = b"xy".to_vec();
            decrypt_append(&key, &iv, &sealed[6..], &mut opened).unwrap();
            assert_eq!(&opened[2..], &plaintext[..]);
            assert_eq!(&opened[..2], b"xy");
        }
    }
}
