//! Why a node is not the action it was read as.

use std::fmt;

/// A node that is not a well-formed action of the family it was read as. Which status a
/// server answers for each is the server's business (mostly 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionError {
    /// The node's description is not the one the family uses.
    Description {
        /// What was expected (`action`, `presence`, `chat`…).
        expected: &'static str,
    },
    /// A required attribute is absent.
    MissingAttr(&'static str),
    /// An attribute has a value the family does not know (a `type`, a number that does not
    /// parse…).
    InvalidAttr(&'static str),
    /// A required child node or byte content is absent or out of shape.
    MissingChild(&'static str),
    /// A text content is not UTF-8.
    NotUtf8(&'static str),
}

impl fmt::Display for ActionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActionError::Description { expected } => write!(f, "not a `{expected}` node"),
            ActionError::MissingAttr(a) => write!(f, "missing attribute `{a}`"),
            ActionError::InvalidAttr(a) => write!(f, "invalid attribute `{a}`"),
            ActionError::MissingChild(c) => write!(f, "missing or malformed `{c}`"),
            ActionError::NotUtf8(c) => write!(f, "`{c}` is not UTF-8"),
        }
    }
}

impl std::error::Error for ActionError {}

/// Checks a node's description.
pub(crate) fn expect(node: &crate::binary::Node, name: &'static str) -> Result<(), ActionError> {
    if node.description == name {
        Ok(())
    } else {
        Err(ActionError::Description { expected: name })
    }
}

/// A required attribute.
pub(crate) fn attr<'a>(
    node: &'a crate::binary::Node,
    key: &'static str,
) -> Result<&'a str, ActionError> {
    node.get_attr(key).ok_or(ActionError::MissingAttr(key))
}
