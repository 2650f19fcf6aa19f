//! Websocket payloads of the protocol (docs/PROTOCOL.md): one websocket message is one frame.
//!
//! * [`text`] — [`TextFrame`]: `tag,JSON` frames and the `?,,` / `!<ms>` keepalives.
//! * [`binary`] — the layout of encrypted binary frames (`tag,` [metric flags] `mac iv ct`)
//!   and the helpers that seal and open them in one step.
//! * [`metric`] / [`flags`] — the two bytes a client puts after the tag of a binary frame.
//! * [`tag`] — what a tag may contain.
//! * [`error`] — [`FrameError`].
//!
//! ```
//! use waweb_proto::frame::TextFrame;
//!
//! let frame = TextFrame::parse(r#"1588844230.--1,,["admin","test"]"#).unwrap();
//! assert_eq!(frame.tag(), Some("1588844230.--1"));
//! assert_eq!(frame.to_string(), r#"1588844230.--1,["admin","test"]"#);
//! assert_eq!(TextFrame::parse("?,,").unwrap(), TextFrame::Ping);
//! ```

pub mod binary;
pub mod error;
pub mod flags;
pub mod metric;
pub mod tag;
pub mod text;

pub use error::FrameError;
pub use flags::Flags;
pub use metric::Metric;
pub use tag::validate_tag;
pub use text::TextFrame;
