//! Splitting binary frames into tag, metric, flags and sealed payload, and building them back.
//! Nothing here decrypts; see [`super::sealed`] for that.

use crate::frame::tag::validate_tag_bytes;
use crate::frame::{Flags, FrameError};

/// Splits a binary frame at its first comma into the tag and everything after the comma.
///
/// The tag must be non-empty printable ASCII.
pub fn split_tag(data: &[u8]) -> Result<(&str, &[u8]), FrameError> {
    if data.is_empty() {
        return Err(FrameError::Empty);
    }
    let comma = data.iter().position(|&b| b == b',').ok_or(FrameError::NoComma)?;
    let (tag, rest) = data.split_at(comma);
    validate_tag_bytes(tag)?;
    let tag = std::str::from_utf8(tag).map_err(|_| FrameError::InvalidTag)?;
    Ok((tag, rest.get(1..).unwrap_or_default()))
}

/// A client → server binary frame, borrowed from the websocket message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientFrame<'a> {
    /// The request tag.
    pub tag: &'a str,
    /// The metric byte (any value; see [`crate::frame::Metric`]).
    pub metric: u8,
    /// The flag byte.
    pub flags: Flags,
    /// The sealed payload `mac ‖ iv ‖ ct`, not yet checked.
    pub payload: &'a [u8],
}

impl<'a> ClientFrame<'a> {
    /// Splits a client frame; fails if it has no valid tag or ends before the metric and flags.
    pub fn parse(data: &'a [u8]) -> Result<Self, FrameError> {
        let (tag, rest) = split_tag(data)?;
        let ([metric, flags], payload) =
            rest.split_first_chunk::<2>().ok_or(FrameError::TooShort)?;
        Ok(ClientFrame { tag, metric: *metric, flags: Flags(*flags), payload })
    }
}

/// `tag "," metric flags sealed`.
pub fn build_client_frame(tag: &str, metric: u8, flags: Flags, sealed: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(tag.len() + 3 + sealed.len());
    push_client_header(&mut frame, tag, metric, flags);
    frame.extend_from_slice(sealed);
    frame
}

/// `tag "," sealed`.
pub fn build_server_frame(tag: &str, sealed: &[u8]) -> Vec<u8> {
    let mut frame = Vec::with_capacity(tag.len() + 1 + sealed.len());
    push_server_header(&mut frame, tag);
    frame.extend_from_slice(sealed);
    frame
}

/// Splits a server → client frame into its tag and sealed payload (same as [`split_tag`]).
pub fn parse_server_frame(data: &[u8]) -> Result<(&str, &[u8]), FrameError> {
    split_tag(data)
}

pub(crate) fn push_server_header(frame: &mut Vec<u8>, tag: &str) {
    debug_assert!(validate_tag_bytes(tag.as_bytes()).is_ok(), "invalid tag {tag:?}");
    frame.extend_from_slice(tag.as_bytes());
    frame.push(b',');
}

pub(crate) fn push_client_header(frame: &mut Vec<u8>, tag: &str, metric: u8, flags: Flags) {
    push_server_header(frame, tag);
    frame.push(metric);
    frame.push(flags.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_at_first_comma_only() {
        assert_eq!(split_tag(b"t1,,x,y").unwrap(), ("t1", &b",x,y"[..]));
        assert_eq!(split_tag(b"t1,").unwrap(), ("t1", &b""[..]));
    }

    #[test]
    fn split_errors() {
        assert_eq!(split_tag(b""), Err(FrameError::Empty));
        assert_eq!(split_tag(b"abc"), Err(FrameError::NoComma));
        assert_eq!(split_tag(b",abc"), Err(FrameError::EmptyTag));
        assert_eq!(split_tag(b"a\xffb,abc"), Err(FrameError::InvalidTag));
        assert_eq!(split_tag(b"a b,abc"), Err(FrameError::InvalidTag));
    }

    #[test]
    fn client_frame_round_trip_with_comma_metric() {
        let frame = build_client_frame("t", 44, Flags(0x2c), b",,");
        assert_eq!(frame, b"t,,,,,");
        let parsed = ClientFrame::parse(&frame).unwrap();
        assert_eq!(
            parsed,
            ClientFrame { tag: "t", metric: 44, flags: Flags(0x2c), payload: b",," }
        );
    }

    #[test]
    fn client_frame_needs_metric_and_flags() {
        assert_eq!(ClientFrame::parse(b"t,"), Err(FrameError::TooShort));
        assert_eq!(ClientFrame::parse(b"t,\x08"), Err(FrameError::TooShort));
        assert!(ClientFrame::parse(b"t,\x08\x80").is_ok());
    }

    #[test]
    fn server_frame_round_trip() {
        let frame = build_server_frame("preempt-1", b"\x00,\x01");
        assert_eq!(parse_server_frame(&frame).unwrap(), ("preempt-1", &b"\x00,\x01"[..]));
    }
}
