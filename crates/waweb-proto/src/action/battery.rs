//! The phone's battery, `["action",null,[["battery",{"value","live","powersave"},null]]]`
//! (docs/PROTOCOL.md §8.7, vector B3.1): the server, which plays every account's phone, sends
//! it once in the initial sync.

use crate::binary::node::bool_str;
use crate::binary::Node;

use super::error::{attr, expect, ActionError};

/// One `battery` node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Battery {
    /// Percent.
    pub value: u32,
    /// `live:"true"`: charging (anything else, or no attribute: not).
    pub live: bool,
    /// `powersave`: the phone saves power; `None` when the attribute is absent.
    pub powersave: Option<bool>,
}

impl Battery {
    /// `["battery",{"value","live","powersave"?},null]`.
    pub fn to_node(&self) -> Node {
        let node = Node::new("battery")
            .attr("value", self.value.to_string())
            .attr("live", bool_str(self.live));
        match self.powersave {
            Some(on) => node.attr("powersave", bool_str(on)),
            None => node,
        }
    }

    /// Reads a `battery` node: `value` is required (a decimal number).
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "battery")?;
        let value = attr(node, "value")?.parse().map_err(|_| ActionError::InvalidAttr("value"))?;
        let powersave = node.get_attr("powersave").map(|v| v == "true");
        Ok(Battery { value, live: node.attr_is_true("live"), powersave })
    }

    /// The battery reports of an `action` push, in order (children that are no well-formed
    /// `battery` are skipped).
    pub fn all_in(push: &Node) -> Vec<Battery> {
        push.child_nodes().iter().filter_map(|c| Battery::from_node(c).ok()).collect()
    }
}
