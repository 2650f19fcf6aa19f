//! [`ProtocolError`]: why a session gave up on its peer, typed, so an application can tell a
//! forged frame from a refused init without reading text.
//!
//! The server's session reports the errors of a client ([`CloseReason::Protocol`]), the
//! client's session those of a server ([`DisconnectReason::Protocol`]); the texts are the ones
//! sent in close frames and written to logs.
//!
//! [`CloseReason::Protocol`]: super::CloseReason::Protocol
//! [`DisconnectReason::Protocol`]: super::DisconnectReason::Protocol

use crate::binary::DecodeError;
use crate::crypto::CryptoError;
use crate::frame::FrameError;

/// What the peer did that the session cannot handle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    // ----- a client's errors, as the server sees them ----------------------------------------
    /// A text frame with no readable tag to answer a 400 on.
    #[error("malformed text frame: {0}")]
    MalformedTextFrame(FrameError),
    /// A binary frame before the handshake gave the session keys.
    #[error("binary frame before login")]
    BinaryBeforeLogin,
    /// A binary frame that does not open with the session keys (MAC, padding, layout).
    #[error("cannot open binary frame: {0}")]
    UnopenableFrame(FrameError),
    /// The websocket layer could not read a message (invalid UTF-8, broken framing); the text
    /// is that layer's, which the core does not know the type of.
    #[error("unreadable websocket message: {0}")]
    UnreadableMessage(String),
    /// A websocket message over the size limit (refused from its header, before its payload).
    #[error("frame of {len} bytes exceeds the limit of {limit}")]
    FrameTooLarge {
        /// The announced length, in bytes.
        len: usize,
        /// The limit, in bytes.
        limit: usize,
    },

    // ----- a server's errors, as the client sees them ----------------------------------------
    /// A text frame that does not parse.
    #[error("bad text frame: {0}")]
    BadTextFrame(FrameError),
    /// An encrypted frame before the keys were derived.
    #[error("encrypted frame before the keys are known")]
    EncryptedBeforeKeys,
    /// An encrypted frame that does not open with the session keys.
    #[error("bad frame: {0}")]
    BadFrame(FrameError),
    /// An encrypted frame whose plaintext is not a node.
    #[error("bad node: {0}")]
    BadNode(DecodeError),
    /// `admin init` was answered with this status.
    #[error("admin init refused with status {0}")]
    InitRefused(u16),
    /// The init reply names no QR ref.
    #[error("init reply without ref")]
    InitWithoutRef,
    /// A 200 reref reply names no QR ref.
    #[error("reref without ref")]
    RerefWithoutRef,
    /// The login was accepted before any `Conn` arrived.
    #[error("login accepted before any Conn")]
    LoginBeforeConn,
    /// The `Conn` secret is not base64.
    #[error("secret is not b64")]
    SecretNotBase64,
    /// The `Conn` secret does not open with our key pair.
    #[error("bad secret: {0}")]
    BadSecret(CryptoError),
    /// A login challenge arrived, but there is no pairing to answer it with.
    #[error("challenge without credentials")]
    ChallengeWithoutCredentials,
    /// The login challenge is not base64.
    #[error("challenge is not b64")]
    ChallengeNotBase64,
    /// The server reports the phone offline (`["Pong",false]`).
    #[error("the phone is not reachable")]
    PhoneUnreachable,
}
