//! The initial sync pushed after a pairing or a login (docs/PROTOCOL.md §8.8), in this order:
//!
//! 1. `preempt`: `response type=contacts` (left out if this connection already got the list in
//!    answer to a query);
//! 2. `preempt`: `response type=chat` — every chat, most recent first, with `t` and unread
//!    `count` (the same). After the contacts, because Baileys 3.5.3 names each chat from the
//!    contacts it holds when the chat list arrives;
//! 3. `action add=last` — the newest message of each chat (left out if there is none);
//! 4. `action add=before` — earlier messages, one batch per chat, oldest first, up to
//!    `sync_messages_per_chat` messages per chat in all;
//! 5. frequent contacts — the most recent one-to-one chats;
//! 6. battery.
//!
//! When there are chats, the final history push (3 or 4) carries `last:"true"`, and if no
//! message at all is left to send, `action add=before last=true` without content stands in: Baileys
//! 3.0.0 and 3.2.4 consider the sync finished only on a batch marked last.
//!
//! Messages queued for the account while it had no live session are part of that history, so
//! the queue is acknowledged here. The connection should register its mailbox in the hub before
//! it calls [`initial_sync`]: a message relayed meanwhile is then pushed live, and never falls
//! between the history read here and the live delivery.

use futures_util::future::try_join_all;
use waweb_proto::action::batch::{BatchKind, MessageBatch};
use waweb_proto::action::battery::Battery;
use waweb_proto::action::frequent::{FrequentContact, FrequentContacts};
use waweb_proto::action::ActionPush;
use waweb_proto::binary::jid::{is_user, to_c_us};
use waweb_proto::binary::Node;

use crate::context::{Me, Shared};
use crate::handler::{lists, stored_payload};
use crate::hub::FullList;
use crate::store::{Chat, Store, StoreError};

/// How many chats the frequent-contacts push names at most.
const FREQUENT: usize = 10;

/// How many queued deliveries are acknowledged per store call.
const ACK_BATCH: u32 = 500;

/// One encrypted push of the initial sync.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncPush {
    /// A `response` node sent with a `preempt-<k>` tag (chat list, contacts).
    Preempt(Node),
    /// Any other node, sent with an `s-<n>` tag.
    Node(Node),
}

/// The pushes of the initial sync, in order.
pub async fn initial_sync<S: Store>(
    shared: &Shared<S>,
    me: &Me,
) -> Result<Vec<SyncPush>, StoreError> {
    let store = shared.store.as_ref();
    let account = me.account.as_str();
    // Emptied before the history is read, so every message acknowledged here is in it.
    acknowledge_queue(store, account).await?;
    // Independent reads, side by side; the chat list also gives the frequent contacts.
    let (chats, contacts, last) = tokio::join!(
        store.chats(account),
        store.contacts(account),
        store.last_message_per_chat(account)
    );
    let (chats, contacts, last) = (chats?, contacts?, last?);
    let mut pushes = Vec::new();
    if shared.hub.claim_full_list(me.connection, FullList::Contacts) {
        pushes.push(SyncPush::Preempt(lists::contact_list_node(&contacts)));
    }
    if shared.hub.claim_full_list(me.connection, FullList::Chats) {
        pushes.push(SyncPush::Preempt(lists::chat_list_node(&chats)));
    }
    let mut history = Vec::new();
    if !last.is_empty() {
        history.push(MessageBatch::new(BatchKind::Last, last.iter().map(stored_payload).collect()));
    }
    let per_chat = shared.config.sync_messages_per_chat;
    // One read per chat, side by side on the read pool, in chat-list order.
    let pages = try_join_all(
        last.iter()
            .filter(|_| per_chat > 1)
            .map(|newest| store.recent_messages(account, &newest.chat_jid, per_chat)),
    )
    .await?;
    let mut batches = Vec::new();
    for (newest, mut page) in last.iter().zip(pages) {
        // The newest one went out in `add:last`.
        page.retain(|m| m.seq != newest.seq);
        if !page.is_empty() {
            batches.push(page.iter().map(stored_payload).collect::<Vec<_>>());
        }
    }
    history.extend(batches.into_iter().map(|b| MessageBatch::new(BatchKind::Before, b)));
    if !chats.is_empty() {
        mark_last(&mut history);
    }
    pushes.extend(history.into_iter().map(|batch| SyncPush::Node(batch.into_node())));
    pushes.push(SyncPush::Node(frequent(&chats)));
    pushes.push(SyncPush::Node(battery()));
    Ok(pushes)
}

/// Marks the final history push `last:"true"`, adding an empty `add:before` if there is none.
fn mark_last(history: &mut Vec<MessageBatch>) {
    match history.last_mut() {
        Some(final_push) => final_push.last = true,
        None => history
            .push(MessageBatch { last: true, ..MessageBatch::new(BatchKind::Before, vec![]) }),
    }
}

/// `["action",null,[["contacts",{"type":"frequent"},[["message",{"jid"},null]…]]]]`: the first
/// [`FREQUENT`] people of the chat list.
fn frequent(chats: &[Chat]) -> Node {
    let contacts = chats
        .iter()
        .filter(|c| is_user(&c.jid))
        .take(FREQUENT)
        .map(|c| FrequentContact { kind: "message".into(), jid: to_c_us(&c.jid) })
        .collect();
    ActionPush { children: vec![FrequentContacts { contacts }.to_node()] }.into_node()
}

/// The simulated phone's battery: `["action",null,[["battery",{"value","live","powersave"}]]]`,
/// full and charging.
fn battery() -> Node {
    let state = Battery { value: 100, live: true, powersave: Some(false) };
    ActionPush { children: vec![state.to_node()] }.into_node()
}

/// Drops the account's delivery queue: the history just synced contains every queued message.
async fn acknowledge_queue<S: Store>(store: &S, account: &str) -> Result<(), StoreError> {
    loop {
        let pending = store.pending_for(account, ACK_BATCH).await?;
        if pending.is_empty() {
            return Ok(());
        }
        let full = pending.len() == ACK_BATCH as usize;
        store.ack_delivered(account, pending.into_iter().map(|p| p.id).collect()).await?;
        if !full {
            return Ok(());
        }
    }
}
