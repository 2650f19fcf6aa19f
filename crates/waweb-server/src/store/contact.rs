//! Contacts: an account's address book, as the `user` items of a `contacts` response show it.

/// One entry of an account's address book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    /// The contact's JID (`<digits>@c.us` or `@s.whatsapp.net`; stored as given).
    pub jid: String,
    /// The name saved in the phone's address book, if any.
    pub name: Option<String>,
    /// The contact's own push name, as last seen on a message.
    pub notify: Option<String>,
    /// A short (first) name, if any.
    pub short: Option<String>,
}

impl Contact {
    /// A contact known only by its JID.
    pub fn new(jid: impl Into<String>) -> Self {
        Self { jid: jid.into(), name: None, notify: None, short: None }
    }
}
