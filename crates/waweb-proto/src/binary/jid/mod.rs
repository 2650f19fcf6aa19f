//! JIDs (`user@server` identifiers) and the two spellings of the user server.
//!
//! Users are `<number>@c.us` in JSON frames and in decoded binary nodes, but
//! `<number>@s.whatsapp.net` in protobufs (and in Baileys' API). Both ends accept either and
//! normalise with [`to_c_us`] (for nodes and JSON) or [`to_whatsapp_net`] (for protobufs).
//! Groups are `<creator>-<unix time>@g.us`, broadcast lists `<unix time>@broadcast`, status
//! updates `status@broadcast`; a bare server name (`c.us`, `g.us`, ...) is a JID with no user.
//!
//! A person's user part is a [`Phone`]: [`Phone::wire_jid`] and [`Phone::store_jid`] build the
//! two spellings, [`Jid::phone`] and [`Phone::from_jid`] read the number back from either, and
//! [`Jid::wire`] / [`Jid::stored`] respell any JID. For numbers already held (an account's)
//! [`person_jid`], [`person_store_jid`] and [`person_number`] do the same without the number
//! rule. Code outside this module does not write `c.us` or `s.whatsapp.net` itself.

use std::fmt;

mod person;
mod phone;

pub use person::{person_jid, person_number, person_store_jid};
pub use phone::{Phone, PhoneError, MAX_PHONE_DIGITS, MIN_PHONE_DIGITS, PHONE_RULE};

/// The user server as JSON frames and decoded nodes spell it.
pub const USER_SERVER: &str = "c.us";
/// The user server as protobufs spell it (and the wire token 80 really says).
pub const LEGACY_USER_SERVER: &str = "s.whatsapp.net";
/// The group server.
pub const GROUP_SERVER: &str = "g.us";
/// The broadcast server (broadcast lists and status updates).
pub const BROADCAST_SERVER: &str = "broadcast";
/// The JID that status updates are sent to.
pub const STATUS_BROADCAST: &str = "status@broadcast";

const KNOWN_SERVERS: [&str; 4] = [USER_SERVER, LEGACY_USER_SERVER, GROUP_SERVER, BROADCAST_SERVER];

/// A parsed JID. `user` is empty for a bare server JID such as `g.us`.
///
/// ```
/// use waweb_proto::binary::jid::Jid;
/// let jid = Jid::parse("33612345678@s.whatsapp.net").unwrap();
/// assert_eq!(jid.user, "33612345678");
/// assert!(jid.is_user());
/// assert_eq!(jid.to_c_us().to_string(), "33612345678@c.us");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Jid {
    /// The part before `@` (a phone number, a group id, `status`...), or empty.
    pub user: String,
    /// The part after `@` (`c.us`, `s.whatsapp.net`, `g.us`, `broadcast`).
    pub server: String,
}

impl Jid {
    /// A JID from its parts.
    pub fn new(user: impl Into<String>, server: impl Into<String>) -> Self {
        Jid { user: user.into(), server: server.into() }
    }

    /// Parses `user@server` (exactly one `@`, both parts non-empty) or a bare known server
    /// name (`c.us`, `s.whatsapp.net`, `g.us`, `broadcast`). The server is kept as written.
    pub fn parse(s: &str) -> Option<Jid> {
        match s.split_once('@') {
            Some((user, server))
                if !user.is_empty() && !server.is_empty() && !server.contains('@') =>
            {
                Some(Jid::new(user, server))
            }
            Some(_) => None,
            None if KNOWN_SERVERS.contains(&s) => Some(Jid::new("", s)),
            None => None,
        }
    }

    /// True for a person (`…@c.us` or `…@s.whatsapp.net` with a user part).
    pub fn is_user(&self) -> bool {
        !self.user.is_empty() && is_user_server(&self.server)
    }

    /// True for a group (`…@g.us` with a user part).
    pub fn is_group(&self) -> bool {
        !self.user.is_empty() && self.server == GROUP_SERVER
    }

    /// True for a broadcast list or the status broadcast (`…@broadcast`).
    pub fn is_broadcast(&self) -> bool {
        !self.user.is_empty() && self.server == BROADCAST_SERVER
    }

    /// The same JID with the user server spelled `c.us`.
    pub fn to_c_us(&self) -> Jid {
        self.with_server_if_user(USER_SERVER)
    }

    /// The same JID with the user server spelled `s.whatsapp.net`.
    pub fn to_whatsapp_net(&self) -> Jid {
        self.with_server_if_user(LEGACY_USER_SERVER)
    }

    /// The phone number of a person's JID (either spelling), if its user part is a valid
    /// [`Phone`]; `None` for groups, broadcasts and bare servers.
    pub fn phone(&self) -> Option<Phone> {
        Phone::parse(self.number()?).ok()
    }

    /// The JID as nodes and JSON frames spell it (a person's server `c.us`).
    pub fn wire(&self) -> String {
        self.to_c_us().to_string()
    }

    /// The JID as protobufs and the server's store spell it (a person's server
    /// `s.whatsapp.net`).
    pub fn stored(&self) -> String {
        self.to_whatsapp_net().to_string()
    }

    fn with_server_if_user(&self, server: &str) -> Jid {
        let server = if is_user_server(&self.server) { server } else { &self.server };
        Jid::new(self.user.clone(), server)
    }
}

impl fmt::Display for Jid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.user.is_empty() {
            f.write_str(&self.server)
        } else {
            write!(f, "{}@{}", self.user, self.server)
        }
    }
}

fn is_user_server(server: &str) -> bool {
    server == USER_SERVER || server == LEGACY_USER_SERVER
}

/// Rewrites `…@s.whatsapp.net` (or the bare `s.whatsapp.net`) to the `c.us` spelling used in
/// JSON and nodes; anything else is returned unchanged.
///
/// ```
/// use waweb_proto::binary::jid::to_c_us;
/// assert_eq!(to_c_us("33612345678@s.whatsapp.net"), "33612345678@c.us");
/// assert_eq!(to_c_us("33612345678-1509911919@g.us"), "33612345678-1509911919@g.us");
/// ```
pub fn to_c_us(jid: &str) -> String {
    replace_server(jid, LEGACY_USER_SERVER, USER_SERVER)
}

/// Rewrites `…@c.us` (or the bare `c.us`) to the `s.whatsapp.net` spelling used in protobufs;
/// anything else is returned unchanged.
///
/// ```
/// use waweb_proto::binary::jid::to_whatsapp_net;
/// assert_eq!(to_whatsapp_net("33612345678@c.us"), "33612345678@s.whatsapp.net");
/// ```
pub fn to_whatsapp_net(jid: &str) -> String {
    replace_server(jid, USER_SERVER, LEGACY_USER_SERVER)
}

fn replace_server(jid: &str, from: &str, to: &str) -> String {
    if jid == from {
        return to.to_owned();
    }
    match jid.strip_suffix(from).and_then(|head| head.strip_suffix('@')) {
        Some(user) if !user.is_empty() => format!("{user}@{to}"),
        _ => jid.to_owned(),
    }
}

/// True if `jid` is a person (`…@c.us` or `…@s.whatsapp.net`).
pub fn is_user(jid: &str) -> bool {
    Jid::parse(jid).is_some_and(|j| j.is_user())
}

/// True if `jid` is a group (`…@g.us`).
pub fn is_group(jid: &str) -> bool {
    Jid::parse(jid).is_some_and(|j| j.is_group())
}

#[cfg(test)]
mod tests;
