//! Sealing and opening whole binary frames in one step: the tag, the optional metric and flag
//! bytes, and the `mac ‖ iv ‖ ct` payload are written into a single buffer.

use rand_core::{CryptoRng, RngCore};

use super::layout::{push_client_header, push_server_header, split_tag, ClientFrame};
use crate::crypto::seal::{open, random_iv, seal_into, sealed_len};
use crate::crypto::SessionKeys;
use crate::frame::{Flags, FrameError, Metric};

/// An opened client → server frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedClientFrame {
    /// The request tag, to echo on the answer.
    pub tag: String,
    /// The metric byte as sent (any value).
    pub metric: u8,
    /// The flag byte as sent.
    pub flags: Flags,
    /// The decrypted node bytes.
    pub plaintext: Vec<u8>,
}

impl OpenedClientFrame {
    /// The metric, if it is one of the official table.
    pub fn known_metric(&self) -> Option<Metric> {
        Metric::from_u8(self.metric)
    }
}

/// Builds a server → client frame around `plaintext` with a fresh IV from `rng`.
///
/// `tag` must be a valid tag (see [`crate::frame::validate_tag`]).
pub fn seal_server_frame<R: RngCore + CryptoRng + ?Sized>(
    keys: &SessionKeys,
    rng: &mut R,
    tag: &str,
    plaintext: &[u8],
) -> Vec<u8> {
    seal_server_frame_with_iv(keys, random_iv(rng), tag, plaintext)
}

/// [`seal_server_frame`] with a given IV (deterministic, for tests and known answers).
pub fn seal_server_frame_with_iv(
    keys: &SessionKeys,
    iv: [u8; 16],
    tag: &str,
    plaintext: &[u8],
) -> Vec<u8> {
    let mut frame = Vec::with_capacity(tag.len() + 1 + sealed_len(plaintext.len()));
    push_server_header(&mut frame, tag);
    seal_into(keys, iv, plaintext, &mut frame);
    frame
}

/// Builds a client → server frame around `plaintext` with a fresh IV from `rng`.
///
/// `tag` must be a valid tag (see [`crate::frame::validate_tag`]).
pub fn seal_client_frame<R: RngCore + CryptoRng + ?Sized>(
    keys: &SessionKeys,
    rng: &mut R,
    tag: &str,
    metric: u8,
    flags: Flags,
    plaintext: &[u8],
) -> Vec<u8> {
    seal_client_frame_with_iv(keys, random_iv(rng), tag, metric, flags, plaintext)
}

/// [`seal_client_frame`] with a given IV (deterministic, for tests and known answers).
pub fn seal_client_frame_with_iv(
    keys: &SessionKeys,
    iv: [u8; 16],
    tag: &str,
    metric: u8,
    flags: Flags,
    plaintext: &[u8],
) -> Vec<u8> {
    let mut frame = Vec::with_capacity(tag.len() + 3 + sealed_len(plaintext.len()));
    push_client_header(&mut frame, tag, metric, flags);
    seal_into(keys, iv, plaintext, &mut frame);
    frame
}

/// Opens a server → client frame: returns the tag and the decrypted node bytes.
pub fn open_server_frame(keys: &SessionKeys, data: &[u8]) -> Result<(String, Vec<u8>), FrameError> {
    let (tag, payload) = split_tag(data)?;
    let plaintext = open(keys, payload)?;
    Ok((tag.to_owned(), plaintext))
}

/// Opens a client → server frame: tag, metric, flags and the decrypted node bytes.
pub fn open_client_frame(keys: &SessionKeys, data: &[u8]) -> Result<OpenedClientFrame, FrameError> {
    let frame = ClientFrame::parse(data)?;
    let plaintext = open(keys, frame.payload)?;
    Ok(OpenedClientFrame {
        tag: frame.tag.to_owned(),
        metric: frame.metric,
        flags: frame.flags,
        plaintext,
    })
}
