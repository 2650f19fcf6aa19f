//! Managing chats and the profile: stars, "delete for me", emptying and deleting chats, the
//! starred list, and profile pictures. Each call is one request the server answers; the
//! account's other sessions are told by the server.

use waweb_proto::action::chat::{ChatAction, ChatChange};
use waweb_proto::action::profile::{PictureAction, PictureChange};
use waweb_proto::action::MessageRef;
use waweb_proto::binary::jid;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::json::contact::ProfilePicResponse;
use waweb_proto::json::query::JsonQuery;
use waweb_proto::message::WebMessageInfo;
use waweb_proto::query::star::StarQuery;

use crate::client::{new_message_id, parse_answer, string_member, Client};
use crate::error::ClientError;
use crate::event;
use crate::group::group_jid;

impl Client {
    /// Stars (`on`) or unstars messages of the chat `jid`, each given as `(id, from_me)`.
    /// [`ClientError::Status`]`(404)` if none of them is ours.
    pub async fn star(
        &self,
        jid: &str,
        messages: &[(&str, bool)],
        on: bool,
    ) -> Result<(), ClientError> {
        self.chat_action(jid, ChatChange::Star { on, items: items(messages)? }).await
    }

    /// Deletes messages of the chat `jid`, given as `(id, from_me)`, for us only: the other
    /// side keeps its copies. Deleting a message already gone is not an error.
    pub async fn delete_messages(
        &self,
        jid: &str,
        messages: &[(&str, bool)],
    ) -> Result<(), ClientError> {
        let clear = ChatChange::Clear { items: items(messages)?, up_to: None, star: None };
        self.chat_action(jid, clear).await
    }

    /// Empties the chat `jid` for us; it stays in the chat list. Starred messages stay too if
    /// `keep_starred`.
    pub async fn clear_chat(&self, jid: &str, keep_starred: bool) -> Result<(), ClientError> {
        let clear = ChatChange::Clear { items: Vec::new(), up_to: None, star: Some(!keep_starred) };
        self.chat_action(jid, clear).await
    }

    /// Deletes the chat `jid` and its messages for us; a new message starts it again.
    pub async fn delete_chat(&self, jid: &str) -> Result<(), ClientError> {
        self.chat_action(jid, ChatChange::Delete).await
    }

    /// Up to `count` of our starred messages, oldest first: of the chat `jid`, or of every chat.
    pub async fn starred(
        &self,
        jid: Option<&str>,
        count: u32,
    ) -> Result<Vec<WebMessageInfo>, ClientError> {
        let q = StarQuery { count: Some(count), jid: jid.map(jid::to_c_us) };
        // The official client files this query under no metric of its own.
        let node = self.query(q.to_node(), Metric::QueryMessages).await?;
        Ok(event::messages_of(&node))
    }

    /// Sets our profile picture: a JPEG `image` (640×640 in the official client) and a small
    /// JPEG `preview` (96×96). Returns the URL the server serves it at.
    pub async fn set_profile_picture(
        &self,
        image: Vec<u8>,
        preview: Vec<u8>,
    ) -> Result<String, ClientError> {
        self.set_picture(self.own_jid()?, image, preview).await
    }

    /// Sets a group's picture, as [`Client::set_profile_picture`] sets ours: any member may,
    /// unless the group is locked (admins only then: [`ClientError::Status`]`(401)`). The
    /// members are told; [`Client::profile_picture`] with the group's JID gives its URL.
    pub async fn set_group_picture(
        &self,
        gid: &str,
        image: Vec<u8>,
        preview: Vec<u8>,
    ) -> Result<String, ClientError> {
        self.set_picture(group_jid(gid)?.to_owned(), image, preview).await
    }

    /// Removes a group's picture (as [`Client::set_group_picture`], who may).
    pub async fn remove_group_picture(&self, gid: &str) -> Result<(), ClientError> {
        self.remove_picture(group_jid(gid)?.to_owned()).await
    }

    async fn set_picture(
        &self,
        jid: String,
        image: Vec<u8>,
        preview: Vec<u8>,
    ) -> Result<String, ClientError> {
        let change = PictureChange::Set { image: Some(image), preview: Some(preview) };
        let node = picture(jid, change).into_node();
        let value = self.action_answer(node, Metric::Pic, Flags::EXPIRING_REQUEST).await?;
        string_member(&value, "eurl")
    }

    /// Removes our profile picture.
    pub async fn remove_profile_picture(&self) -> Result<(), ClientError> {
        self.remove_picture(self.own_jid()?).await
    }

    async fn remove_picture(&self, jid: String) -> Result<(), ClientError> {
        let node = picture(jid, PictureChange::Delete).into_node();
        self.action(node, Metric::Pic, Flags::EXPIRING_REQUEST).await
    }

    /// The URL of `jid`'s profile picture (a contact's, or a group's we are in); `None` if they
    /// have none, or blocked us (the server gives the same answer). A group we are not in
    /// answers [`ClientError::Status`]`(401)`.
    pub async fn profile_picture(&self, jid: &str) -> Result<Option<String>, ClientError> {
        let value = self.json(JsonQuery::ProfilePicThumb(jid::to_c_us(jid)).to_value()).await?;
        match parse_answer::<ProfilePicResponse>(&value)? {
            ProfilePicResponse { eurl: Some(url), .. } => Ok(Some(url)),
            ProfilePicResponse { status: Some(404), .. } => Ok(None),
            ProfilePicResponse { status: Some(code), .. } => Err(ClientError::Status(code)),
            _ => Err(ClientError::UnexpectedAnswer(value.to_string())),
        }
    }

    async fn chat_action(&self, jid: &str, change: ChatChange) -> Result<(), ClientError> {
        let node = ChatAction { jid: jid::to_c_us(jid), change }.to_node();
        self.action(node, Metric::Chat, Flags::ACKED_REQUEST).await
    }
}

/// The `picture` action about `jid`, with a new id.
fn picture(jid: String, change: PictureChange) -> PictureAction {
    PictureAction { jid, id: Some(new_message_id()), change }
}

/// The messages an `item` list names; at least one.
fn items(messages: &[(&str, bool)]) -> Result<Vec<MessageRef>, ClientError> {
    if messages.is_empty() {
        return Err(ClientError::InvalidArgument("no message given".into()));
    }
    Ok(messages.iter().map(|(id, mine)| MessageRef::new(*id, *mine)).collect())
}
