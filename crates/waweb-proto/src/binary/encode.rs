//! (placeholder)
use super::Node;
/// Encodes one node.
pub fn encode(_node: &Node) -> Vec<u8> {
    Vec::new()
}
