//! Who got and read one of our messages: the `message_info` query (docs/PROTOCOL.md §8.3, and
//! §8.10 for groups), answered with [`MessageInfo`]. Both shapes are the core's
//! ([`waweb_proto::query::message_info`]).

use waweb_proto::binary::{jid, Node};
use waweb_proto::frame::Metric;
use waweb_proto::query::message_info::MessageInfoQuery;
pub use waweb_proto::query::message_info::{MessageInfo, Receipt};

use crate::client::Client;
use crate::error::ClientError;

impl Client {
    /// Who got, read and played our message `id` in the chat `jid` (a contact's `…@c.us`, or a
    /// group's `…@g.us`), each with when. For a one-to-one message each list holds at most the
    /// peer; for a message to a group, `delivered` lists every member it went to and `read`
    /// those who read it. [`ClientError::Status`]`(404)` if it is not one of our messages
    /// (someone else's, or none with that id).
    ///
    /// ```no_run
    /// # async fn demo(client: waweb_client::Client) -> Result<(), waweb_client::ClientError> {
    /// let sent = client.send_text("15550000001-1700000000@g.us", "rope check at 7").await?;
    /// // …later:
    /// let info = client.message_info("15550000001-1700000000@g.us", &sent.id).await?;
    /// for r in &info.read {
    ///     println!("{} read it at {}", r.jid, r.t);
    /// }
    /// println!("{} of {} read it", info.read.len(), info.delivered.len());
    /// # Ok(()) }
    /// ```
    pub async fn message_info(&self, jid: &str, id: &str) -> Result<MessageInfo, ClientError> {
        if jid.is_empty() || id.is_empty() {
            return Err(ClientError::InvalidArgument("empty JID or message id".into()));
        }
        let q = MessageInfoQuery { jid: jid::to_c_us(jid), id: id.to_owned() };
        let node = self.query(q.to_node(), Metric::QueryMessageInfo).await?;
        message_info_of(&node)
    }
}

/// The answer, or [`ClientError::UnexpectedAnswer`] with the node when it is out of shape.
fn message_info_of(node: &Node) -> Result<MessageInfo, ClientError> {
    MessageInfo::from_node(node).map_err(|_| ClientError::UnexpectedAnswer(node.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(jid: &str, t: &str) -> Node {
        Node::new("user").attr("jid", jid).attr("t", t)
    }

    fn response(lists: Vec<Node>) -> Node {
        Node::new("response").attr("type", "message_info").children(lists)
    }

    #[test]
    fn lists_are_read_in_order_and_unknown_ones_skipped() {
        let node = response(vec![
            Node::new("read").children(vec![user("2@c.us", "20")]),
            Node::new("delivery").children(vec![user("2@c.us", "10"), user("3@c.us", "11")]),
            Node::new("seen_by_aliens").children(vec![Node::new("martian")]),
        ]);
        let info = message_info_of(&node).unwrap();
        let r = |jid: &str, t| Receipt { jid: jid.into(), t };
        assert_eq!(info.delivered, [r("2@c.us", 10), r("3@c.us", 11)]);
        assert_eq!(info.read, [r("2@c.us", 20)]);
        assert!(info.played.is_empty() && !info.is_empty());
    }

    #[test]
    fn no_content_means_nothing_known() {
        let node = Node::new("response").attr("type", "message_info");
        assert!(message_info_of(&node).unwrap().is_empty());
        assert!(message_info_of(&response(vec![Node::new("read")])).unwrap().is_empty());
    }

    #[test]
    fn malformed_answers_are_errors() {
        let bad = [
            Node::new("response").attr("type", "message"),
            Node::new("action").attr("type", "message_info"),
            Node::new("response").attr("type", "message_info").bytes(b"x".to_vec()),
            response(vec![Node::new("read").bytes(b"x".to_vec())]),
            response(vec![Node::new("read").children(vec![user("2@c.us", "soon")])]),
            response(vec![Node::new("read").children(vec![user("2@c.us", "-1")])]),
            response(vec![Node::new("read").children(vec![user("", "1")])]),
            response(vec![Node::new("delivery").children(vec![Node::new("user").attr("t", "1")])]),
            response(vec![Node::new("played").children(vec![Node::new("group").attr("t", "1")])]),
        ];
        for node in bad {
            let got = message_info_of(&node);
            assert!(matches!(got, Err(ClientError::UnexpectedAnswer(_))), "{node}: {got:?}");
        }
    }
}
