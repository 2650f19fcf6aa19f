//! Encrypted binary frames (docs/PROTOCOL.md).
//!
//! ```text
//! client → server:  tag "," metric flags  mac(32) iv(16) ct(16·k)
//! server → client:  tag ","               mac(32) iv(16) ct(16·k)
//! ```
//!
//! The tag ends at the **first** 0x2c; later bytes may be 0x2c (metric 44 is one), so nothing
//! after the tag's comma is treated specially. [`layout`] splits and builds these frames around an
//! already sealed payload; [`sealed`] adds the sealing and opening in one step, which is what the
//! sessions call.

pub mod layout;
pub mod sealed;

pub use layout::{
    build_client_frame, build_server_frame, parse_server_frame, split_tag, ClientFrame,
};
pub use sealed::{
    open_client_frame, open_server_frame, seal_client_frame, seal_client_frame_with_iv,
    seal_server_frame, seal_server_frame_with_iv, OpenedClientFrame,
};
