//! Reading and talking: the chat and contact lists, "about" texts, emoji, history pages,
//! presence, chat states, read receipts and sending text. Each call is one request the server
//! answers.

use serde_json::Value;
use tokio::sync::oneshot;
use waweb_proto::action::presence::{ChatState, PresenceAction};
use waweb_proto::action::read::{Read, ReadCount};
use waweb_proto::action::MessageRef;
use waweb_proto::binary::jid;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::json::contact::{AboutResponse, AboutStatus};
use waweb_proto::json::query::JsonQuery;
use waweb_proto::message::{self, WebMessageInfo};
use waweb_proto::query::chats::ChatsQuery;
use waweb_proto::query::contacts::ContactsQuery;
use waweb_proto::query::emoji::{EmojiList, EmojiQuery};
use waweb_proto::query::history::{Cursor, HistoryQuery};

use crate::client::{
    await_reply, check_status, into_json, new_message_id, parse_answer, Client, SendReceipt,
};
use crate::driver;
use crate::error::ClientError;
use crate::event::{self, Chat, Contact};
use crate::request::Command;

impl Client {
    /// The full chat list (asked with `kind:"retry"`, so the server sends it even if it
    /// already pushed it).
    pub async fn chats(&self) -> Result<Vec<Chat>, ClientError> {
        let node = self.query(ChatsQuery { retry: true }.to_node(), Metric::QueryChat).await?;
        Ok(event::chats_of(&node))
    }

    /// The full contact list.
    pub async fn contacts(&self) -> Result<Vec<Contact>, ClientError> {
        let q = ContactsQuery { retry: true }.to_node();
        let node = self.query(q, Metric::QueryContacts).await?;
        Ok(event::contacts_of(&node))
    }

    /// The "about" text of a contact; `None` if they have none (404).
    pub async fn status(&self, jid: &str) -> Result<Option<String>, ClientError> {
        let value = self.json(JsonQuery::Status(jid::to_c_us(jid)).to_value()).await?;
        match parse_answer::<AboutResponse>(&value)?.status {
            AboutStatus::Text(t) => Ok(Some(t)),
            AboutStatus::Code(404) => Ok(None),
            AboutStatus::Code(c) => Err(ClientError::Status(c)),
        }
    }

    /// The emoji usage list: `(emoji, weight)` pairs.
    pub async fn emoji(&self) -> Result<Vec<(String, String)>, ClientError> {
        let node = self.query(EmojiQuery.to_node(), Metric::QueryEmoji).await?;
        let list = EmojiList::from_node(&node)
            .map_err(|_| ClientError::UnexpectedAnswer(node.to_string()))?;
        Ok(list.items.into_iter().map(|e| (e.code, e.value)).collect())
    }

    /// Up to `count` messages of `jid`, oldest first: the latest ones, or those strictly older
    /// than `before = (message id, from_me)`. Page backwards with the first message returned.
    pub async fn history(
        &self,
        jid: &str,
        count: u32,
        before: Option<(&str, bool)>,
    ) -> Result<Vec<WebMessageInfo>, ClientError> {
        let mut q = HistoryQuery::latest(jid::to_c_us(jid), count);
        q.cursor = before.map(|(id, from_me)| Cursor { id: id.into(), from_me, participant: None });
        let node = self.query(q.to_node(), Metric::QueryMessages).await?;
        Ok(event::messages_of(&node))
    }

    /// Sets our presence: online (`true`) or offline.
    pub async fn set_presence(&self, available: bool) -> Result<(), ClientError> {
        let (presence, flags) = if available {
            (PresenceAction::Available, Flags::PRESENCE_AVAILABLE)
        } else {
            (PresenceAction::Unavailable, Flags::PRESENCE_UNAVAILABLE)
        };
        self.action(presence.to_node(), Metric::Presence, flags).await
    }

    /// Asks for [`Event::Presence`](crate::Event::Presence) updates about `jid`.
    pub async fn subscribe_presence(&self, jid: &str) -> Result<(), ClientError> {
        let value = self.json(JsonQuery::PresenceSubscribe(jid::to_c_us(jid)).to_value()).await?;
        check_status(&value)
    }

    /// Tells `jid` that we are typing (`true`) or stopped (`false`).
    pub async fn composing(&self, jid: &str, typing: bool) -> Result<(), ClientError> {
        let state = if typing { ChatState::Composing } else { ChatState::Paused };
        let presence = PresenceAction::ChatState { state, to: jid::to_c_us(jid) };
        self.action(presence.to_node(), Metric::Presence, Flags::CHAT_STATE).await
    }

    /// Marks the chat `jid` read up to the message `last_id` (received from them).
    pub async fn read(&self, jid: &str, last_id: &str) -> Result<(), ClientError> {
        let read = Read {
            jid: jid::to_c_us(jid),
            index: Some(MessageRef::new(last_id, false)),
            count: Some(ReadCount::Messages(1)),
        };
        self.action(read.to_node(), Metric::Read, Flags::ACKED_REQUEST).await
    }

    /// Sends a text message; returns once the server took it (one tick). Delivery and read come
    /// later as [`Event::Ack`](crate::Event::Ack) with the same id.
    pub async fn send_text(&self, jid: &str, text: &str) -> Result<SendReceipt, ClientError> {
        if jid.is_empty() {
            return Err(ClientError::InvalidArgument("empty JID".into()));
        }
        let id = new_message_id();
        let t = driver::now_ms() / 1000;
        let msg = message::text_message(&jid::to_whatsapp_net(jid), true, &id, text, t);
        self.relay(id, msg, t).await
    }

    /// Relays a message we made (id `id`, time `t`); returns once the server took it.
    pub(crate) async fn relay(
        &self,
        id: String,
        msg: WebMessageInfo,
        t: u64,
    ) -> Result<SendReceipt, ClientError> {
        let (reply, rx) = oneshot::channel();
        self.submit(Command::Relay { message: Box::new(msg), reply })?;
        let value = into_json(await_reply(rx).await?)?;
        check_status(&value)?;
        let t = value.get("t").and_then(Value::as_u64).unwrap_or(t);
        Ok(SendReceipt { id, t })
    }
}
