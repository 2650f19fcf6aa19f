//! The WABinary node format: a compact binary encoding of `[description, attributes, content]`
//! trees, used inside encrypted binary frames.
//!
//! * [`node`] — the [`Node`] value type.
//! * [`node_str`] — [`NodeStr`], the allocation-free string of descriptions and attributes.
//! * [`tokens`] — the single-byte token dictionary (binary version 11, 176 entries).
//! * [`decode()`] / [`encode()`] — the codec; the encoder picks the most compact legal form.
//! * [`jid`] — `user@server` identifiers and the `s.whatsapp.net` ↔ `c.us` mapping.
//! * [`display`] — a readable text form and a JSON form of a node, for logs and tools.

pub mod decode;
pub mod display;
pub mod encode;
pub mod jid;
pub mod node;
pub mod node_str;
mod packed;
pub mod tags;
pub mod tokens;

pub use decode::{decode, DecodeError};
pub use encode::{encode, try_encode, EncodeError};
pub use node::{Content, Node};
pub use node_str::NodeStr;
