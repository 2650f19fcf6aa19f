//! Phone numbers: what an account is, and the user part of a person's JID.
//!
//! The rule is E.164 without the `+`: the country code first, then the subscriber number, 7 to
//! 15 ASCII digits in all, not starting with 0 (no country code does). Seven is the shortest
//! number in use (Niue and Tokelau: a three-digit country code and four digits), fifteen the
//! longest E.164 allows. Spaces, dashes and the `+` are not part of the number: a JID carries
//! the bare digits, so the number is refused rather than silently rewritten.

use std::fmt;

use super::{Jid, USER_SERVER};

/// The fewest digits a phone number has.
pub const MIN_PHONE_DIGITS: usize = 7;
/// The most digits a phone number has (E.164).
pub const MAX_PHONE_DIGITS: usize = 15;
/// The rule, as error messages state it.
pub const PHONE_RULE: &str = "a phone number is 7 to 15 digits, country code first, \
     without `+`, spaces or a leading 0 (e.g. 33612345678)";

/// A valid phone number: E.164 without the `+`, 7 to 15 ASCII digits, country code first, not
/// starting with 0 ([`PHONE_RULE`]).
///
/// ```
/// use waweb_proto::binary::jid::Phone;
/// let phone: Phone = "33612345678".parse().unwrap();
/// assert_eq!(phone.wire_jid(), "33612345678@c.us");
/// assert_eq!(phone.store_jid(), "33612345678@s.whatsapp.net");
/// assert!("12".parse::<Phone>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

/// Why a string is not a [`Phone`]. Its message states the rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// Nothing was given.
    #[error("invalid phone: none given; {PHONE_RULE}")]
    Empty,
    /// Something else than ASCII digits (a `+`, a space, a letter...).
    #[error("invalid phone {0:?}: only digits are allowed; {PHONE_RULE}")]
    NotDigits(String),
    /// Starts with 0 (a trunk prefix, not a country code).
    #[error("invalid phone {0:?}: it starts with 0; {PHONE_RULE}")]
    LeadingZero(String),
    /// Fewer than [`MIN_PHONE_DIGITS`] digits.
    #[error("invalid phone {0:?}: too short; {PHONE_RULE}")]
    TooShort(String),
    /// More than [`MAX_PHONE_DIGITS`] digits.
    #[error("invalid phone {0:?}: too long; {PHONE_RULE}")]
    TooLong(String),
}

impl Phone {
    /// Checks `s` against the rule.
    pub fn parse(s: &str) -> Result<Phone, PhoneError> {
        let refused = match s {
            "" => return Err(PhoneError::Empty),
            _ if !s.bytes().all(|b| b.is_ascii_digit()) => PhoneError::NotDigits,
            _ if s.starts_with('0') => PhoneError::LeadingZero,
            _ if s.len() < MIN_PHONE_DIGITS => PhoneError::TooShort,
            _ if s.len() > MAX_PHONE_DIGITS => PhoneError::TooLong,
            _ => return Ok(Phone(s.to_owned())),
        };
        // What is echoed back is bounded, so a huge input makes a short message.
        Err(refused(s.chars().take(2 * MAX_PHONE_DIGITS).collect()))
    }

    /// The phone of a person's JID in either spelling (`…@c.us`, `…@s.whatsapp.net`); `None`
    /// for groups, broadcasts, bare servers, and user parts that are not valid numbers.
    pub fn from_jid(jid: &str) -> Option<Phone> {
        Jid::parse(jid)?.phone()
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The person's JID, with the user server spelled `c.us` (nodes and JSON frames).
    pub fn jid(&self) -> Jid {
        Jid::new(self.0.clone(), USER_SERVER)
    }

    /// `<phone>@c.us`: the JID as nodes and JSON frames spell it.
    pub fn wire_jid(&self) -> String {
        super::person_jid(&self.0)
    }

    /// `<phone>@s.whatsapp.net`: the JID as protobufs (and so the server's store) spell it.
    pub fn store_jid(&self) -> String {
        super::person_store_jid(&self.0)
    }
}

impl std::str::FromStr for Phone {
    type Err = PhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phone::parse(s)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

/// A phone number is its digits: it goes wherever a `&str` number does.
impl std::ops::Deref for Phone {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Phone {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Phone {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Phone {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Phone {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Phone {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Phone::parse(&s).map_err(serde::de::Error::custom)
    }
}
