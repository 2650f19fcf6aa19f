//! A person's JID from a number already held (an account's, a group member's), and the number
//! back from a JID, in either spelling.
//!
//! Unlike [`Phone::parse`](super::Phone::parse) these take any ASCII digits: they serve numbers
//! that are already accounts (one stored before the number rule stays reachable) and JIDs that
//! name one, where an odd number simply matches no account. A number enters as a [`Phone`].
//!
//! [`Phone`]: super::Phone

use super::{is_user_server, Jid, LEGACY_USER_SERVER, USER_SERVER};

/// `<number>@c.us`: a person's JID as nodes and JSON frames spell it.
///
/// ```
/// use waweb_proto::binary::jid::person_jid;
/// assert_eq!(person_jid("15550000001"), "15550000001@c.us");
/// ```
pub fn person_jid(number: &str) -> String {
    format!("{number}@{USER_SERVER}")
}

/// `<number>@s.whatsapp.net`: a person's JID as protobufs (and the server's store) spell it.
pub fn person_store_jid(number: &str) -> String {
    format!("{number}@{LEGACY_USER_SERVER}")
}

/// The number of a person's JID in either spelling, if its user part is ASCII digits; `None`
/// for groups, broadcasts, bare servers and anything else.
///
/// ```
/// use waweb_proto::binary::jid::person_number;
/// assert_eq!(person_number("15550000001@s.whatsapp.net").as_deref(), Some("15550000001"));
/// assert_eq!(person_number("15550000001-1700000000@g.us"), None);
/// ```
pub fn person_number(jid: &str) -> Option<String> {
    Jid::parse(jid)?.number().map(str::to_owned)
}

impl Jid {
    /// The number of a person's JID (either spelling) if its user part is ASCII digits, not
    /// checked against the [`Phone`](super::Phone) rule.
    pub fn number(&self) -> Option<&str> {
        let digits = !self.user.is_empty() && self.user.bytes().all(|b| b.is_ascii_digit());
        (digits && is_user_server(&self.server)).then_some(self.user.as_str())
    }
}
