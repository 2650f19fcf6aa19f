//! The contacts the phone talks to most, `["contacts",{"type":"frequent"},[[kind,{"jid"},null]…]]`
//! inside an `["action",null,[…]]` push (docs/PROTOCOL.md §8.7, vector B3.5): the server, which
//! plays every account's phone, sends it once in the initial sync.

use crate::binary::Node;

use super::error::{attr, expect, ActionError};

/// One frequent contact: what kind of message was most exchanged with them (`message`,
/// `image`, `video`…, the child's description) and who (`jid`, a user or a group).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrequentContact {
    /// The child's description.
    pub kind: String,
    /// The contact.
    pub jid: String,
}

/// The `contacts type=frequent` list, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FrequentContacts {
    /// The contacts, in order.
    pub contacts: Vec<FrequentContact>,
}

impl FrequentContacts {
    /// `["contacts",{"type":"frequent"},[…]]`, with no content when the list is empty.
    pub fn to_node(&self) -> Node {
        let list = Node::new("contacts").attr("type", "frequent");
        if self.contacts.is_empty() {
            return list;
        }
        let items = self
            .contacts
            .iter()
            .map(|c| Node::new(c.kind.as_str()).attr("jid", c.jid.as_str()))
            .collect();
        list.children(items)
    }

    /// Reads a `contacts` node of type `frequent`; every child needs a `jid`.
    pub fn from_node(node: &Node) -> Result<Self, ActionError> {
        expect(node, "contacts")?;
        if attr(node, "type")? != "frequent" {
            return Err(ActionError::InvalidAttr("type"));
        }
        let contacts = node
            .child_nodes()
            .iter()
            .map(|c| {
                let jid = attr(c, "jid")?.to_owned();
                Ok(FrequentContact { kind: c.description.to_string(), jid })
            })
            .collect::<Result<_, ActionError>>()?;
        Ok(FrequentContacts { contacts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binary::display::to_json;
    use crate::binary::{decode, encode};

    #[test]
    fn the_protocol_vector_reads_and_writes_back() {
        let contact =
            |kind: &str, jid: &str| FrequentContact { kind: kind.into(), jid: jid.into() };
        let list = FrequentContacts {
            contacts: vec![
                contact("message", "33612345678@c.us"),
                contact("image", "33698765432@c.us"),
                contact("video", "33612345678-1509911919@g.us"),
            ],
        };
        let node = list.to_node();
        assert_eq!(
            to_json(&node).to_string(),
            r#"["contacts",{"type":"frequent"},[["message",{"jid":"33612345678@c.us"},null],["image",{"jid":"33698765432@c.us"},null],["video",{"jid":"33612345678-1509911919@g.us"},null]]]"#
        );
        let back = decode(&encode(&node)).unwrap();
        assert_eq!(FrequentContacts::from_node(&back), Ok(list));
    }

    #[test]
    fn an_empty_list_has_no_content_and_bad_lists_are_refused() {
        let empty = FrequentContacts::default().to_node();
        assert_eq!(to_json(&empty).to_string(), r#"["contacts",{"type":"frequent"},null]"#);
        assert_eq!(FrequentContacts::from_node(&empty), Ok(FrequentContacts::default()));
        let other = Node::new("contacts").attr("type", "recent");
        assert_eq!(FrequentContacts::from_node(&other), Err(ActionError::InvalidAttr("type")));
        let no_jid = empty.clone().children(vec![Node::new("message")]);
        assert_eq!(FrequentContacts::from_node(&no_jid), Err(ActionError::MissingAttr("jid")));
    }
}
