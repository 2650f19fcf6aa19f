//! Chats: the per-account conversation list, with the attributes of a `chat` response item.

/// One conversation of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chat {
    /// The peer's (or the group's) JID.
    pub jid: String,
    /// Unix seconds of the last activity; the chat list is sorted on it, newest first.
    pub t: u64,
    /// Unread messages; `-1` means "marked as unread" (the wire's `count`).
    pub unread: i64,
    /// Muted until this Unix second; `0` means not muted.
    pub mute_until: u64,
    /// Bumped on every change made through [`ChatUpdate`] (the wire's `modify_tag`).
    pub modify_tag: u64,
    /// Archived chat.
    pub archived: bool,
    /// Pinned since this Unix second; `0` means not pinned.
    pub pinned: u64,
    /// Reported as spam.
    pub spam: bool,
    /// A name for the chat (groups), if any.
    pub name: Option<String>,
}

impl Chat {
    /// A fresh chat with no unread message and every flag off.
    pub fn new(jid: impl Into<String>, t: u64) -> Self {
        Self {
            jid: jid.into(),
            t,
            unread: 0,
            mute_until: 0,
            modify_tag: 0,
            archived: false,
            pinned: 0,
            spam: false,
            name: None,
        }
    }
}

/// One change to a chat's attributes, as the binary `chat` and `read` actions ask for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatUpdate {
    /// Archive (`true`) or unarchive (`false`).
    Archive(bool),
    /// Mute until this Unix second; `0` unmutes.
    Mute(u64),
    /// Pin at this Unix second; `0` unpins.
    Pin(u64),
    /// Mark or unmark as spam.
    Spam(bool),
    /// Everything read: `unread = 0`.
    Read,
    /// Marked as unread by the user: `unread = -1`.
    MarkUnread,
    /// Set or clear the chat's name.
    Name(Option<String>),
}
