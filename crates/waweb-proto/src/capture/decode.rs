//! [`Decoder`]: one captured [`Frame`] to one [`DecodedFrame`].
//!
//! Text frames become a tag and JSON, or a keepalive. Binary frames are opened as the layout of
//! their direction first (client frames carry metric and flag bytes, server frames do not), then
//! as the other one, with every known key set; the MAC is checked before anything is decrypted.
//! The node is decoded and each `message` node holding bytes is read as a `WebMessageInfo`.
//! Whatever fails, the frame is returned with a [`DecodeFailure`] saying why.

use serde_json::Value;

use super::{Capture, DecodeFailure, Direction, Frame, FrameKind};
use crate::binary::{self, Content, Node};
use crate::crypto::{CryptoError, SessionKeys};
use crate::frame::binary::{open_client_frame, open_server_frame, split_tag, ClientFrame};
use crate::frame::{Flags, FrameError, TextFrame};
use crate::message::{self, WebMessageInfo};

/// Where the node of a binary frame came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeSource {
    /// Opened from the wire bytes with a key.
    Wire,
    /// Taken from the plaintext the recorder stored, because no key was available.
    RecordedPlain,
}

/// A `message` node found in a decoded node, read as a `WebMessageInfo`.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedMessage {
    /// Position of the `message` node among all `message` nodes of the tree, depth first.
    pub position: usize,
    /// The protobuf, or why its bytes are not one.
    pub info: Result<WebMessageInfo, message::DecodeError>,
}

/// What a frame turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// The client keepalive `?,,`.
    Ping,
    /// The server keepalive answer `!<ms>`.
    Pong(u64),
    /// A `tag,JSON` text frame; `json` is `None` for an empty `tag,`.
    Json {
        /// The tag.
        tag: String,
        /// The JSON payload.
        json: Option<Value>,
    },
    /// An encrypted binary frame, opened and decoded.
    Node {
        /// The tag.
        tag: String,
        /// Metric and flag bytes, for a client frame.
        header: Option<(u8, Flags)>,
        /// The decoded node.
        node: Node,
        /// Every `message` node with byte content, decoded.
        messages: Vec<DecodedMessage>,
        /// Where the node came from.
        source: NodeSource,
    },
    /// A frame that could not be decoded.
    Failed {
        /// The tag, when it could be read.
        tag: Option<String>,
        /// Why decoding failed.
        reason: DecodeFailure,
    },
}

/// A frame with its decoded payload.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedFrame {
    /// The captured frame, unchanged.
    pub frame: Frame,
    /// What it decoded to.
    pub payload: Payload,
}

impl DecodedFrame {
    /// The frame's tag, if it has one that could be read.
    pub fn tag(&self) -> Option<&str> {
        match &self.payload {
            Payload::Json { tag, .. } | Payload::Node { tag, .. } => Some(tag),
            Payload::Failed { tag, .. } => tag.as_deref(),
            Payload::Ping | Payload::Pong(_) => None,
        }
    }
}

/// Decodes frames with a set of candidate session keys.
#[derive(Debug, Clone, Default)]
pub struct Decoder {
    keys: Vec<SessionKeys>,
}

impl Decoder {
    /// A decoder trying these key sets, in order, on every binary frame.
    pub fn new(keys: Vec<SessionKeys>) -> Self {
        Decoder { keys }
    }

    /// Decodes every frame of a capture, in order.
    pub fn decode_all(&self, capture: &Capture) -> Vec<DecodedFrame> {
        capture.frames.iter().map(|f| self.decode(f)).collect()
    }

    /// Decodes one frame. Never fails: a frame that does not decode carries the reason.
    pub fn decode(&self, frame: &Frame) -> DecodedFrame {
        let payload = match &frame.kind {
            FrameKind::Text(text) => decode_text(text),
            FrameKind::Binary(data) => self.decode_binary(frame.dir, data, frame.plain.as_deref()),
        };
        DecodedFrame { frame: frame.clone(), payload }
    }

    fn decode_binary(&self, dir: Direction, data: &[u8], plain: Option<&[u8]>) -> Payload {
        let tag = match split_tag(data) {
            Ok((tag, _)) => tag.to_owned(),
            Err(e) => return Payload::Failed { tag: None, reason: DecodeFailure::Layout(e) },
        };
        let opened = match (self.keys.is_empty(), plain) {
            (true, Some(plain)) => recorded(dir, data, plain),
            (true, None) => Err(DecodeFailure::NoKeys),
            (false, _) => self.open(dir, data),
        };
        match opened.and_then(|(header, bytes, source)| {
            binary::decode(&bytes).map(|node| (header, node, source)).map_err(DecodeFailure::Node)
        }) {
            Ok((header, node, source)) => {
                let messages = decode_messages(&node);
                Payload::Node { tag, header, node, messages, source }
            }
            Err(reason) => Payload::Failed { tag: Some(tag), reason },
        }
    }

    /// Opens with the direction's layout, then the other; reports the first layout's error.
    fn open(&self, dir: Direction, data: &[u8]) -> Opened {
        let client_first = dir == Direction::ClientToServer;
        let first = self.open_as(client_first, data);
        if first.is_ok() {
            return first;
        }
        self.open_as(!client_first, data).or(first)
    }

    fn open_as(&self, client: bool, data: &[u8]) -> Opened {
        let mut mac_failures = 0;
        for keys in &self.keys {
            let result = if client {
                open_client_frame(keys, data)
                    .map(|f| (Some((f.metric, f.flags)), f.plaintext, NodeSource::Wire))
            } else {
                open_server_frame(keys, data).map(|(_, pt)| (None, pt, NodeSource::Wire))
            };
            match result {
                Ok(opened) => return Ok(opened),
                Err(FrameError::Crypto(CryptoError::FrameMac)) => mac_failures += 1,
                Err(FrameError::Crypto(e)) => return Err(DecodeFailure::Crypto(e)),
                Err(e) => return Err(DecodeFailure::Layout(e)),
            }
        }
        Err(DecodeFailure::WrongMac { tried: mac_failures })
    }
}

/// Metric and flags (client frames), the node bytes, and their source.
type Opened = Result<(Option<(u8, Flags)>, Vec<u8>, NodeSource), DecodeFailure>;

fn recorded(dir: Direction, data: &[u8], plain: &[u8]) -> Opened {
    let header = match dir {
        Direction::ClientToServer => {
            let frame = ClientFrame::parse(data).map_err(DecodeFailure::Layout)?;
            Some((frame.metric, frame.flags))
        }
        Direction::ServerToClient => None,
    };
    Ok((header, plain.to_vec(), NodeSource::RecordedPlain))
}

fn decode_text(text: &str) -> Payload {
    match TextFrame::parse(text) {
        Ok(TextFrame::Ping) => Payload::Ping,
        Ok(TextFrame::Pong(ms)) => Payload::Pong(ms),
        Ok(TextFrame::Tagged { tag, payload }) => Payload::Json { tag, json: payload },
        Err(e) => {
            let tag = text.split_once(',').map(|(t, _)| t.to_owned()).filter(|t| !t.is_empty());
            Payload::Failed { tag, reason: DecodeFailure::Text(e) }
        }
    }
}

/// Every `message` node holding bytes, depth first, decoded as `WebMessageInfo`.
fn decode_messages(node: &Node) -> Vec<DecodedMessage> {
    let mut out = Vec::new();
    // An explicit stack: decoded trees are depth-limited, but this never recurses regardless.
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.content {
            Content::Bytes(bytes) if n.description == "message" => {
                let position = out.len();
                out.push(DecodedMessage { position, info: message::decode(bytes) });
            }
            Content::Nodes(children) => stack.extend(children.iter().rev()),
            _ => {}
        }
    }
    out
}
