//! (placeholder)
use super::Node;
/// Decoding errors.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// placeholder
    #[error("unimplemented")]
    Unimplemented,
}
/// Decodes one node.
pub fn decode(_data: &[u8]) -> Result<Node, DecodeError> {
    Err(DecodeError::Unimplemented)
}
