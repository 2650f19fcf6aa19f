//! Accounts: the phones this server plays, one per phone number.

/// One account, i.e. one simulated phone with its own chats, contacts and web sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The phone number, digits only (country code first, no `+`), e.g. `"491701234567"`.
    /// It is the account's identity everywhere in the [`Store`](super::Store) API.
    pub phone: String,
    /// The display name the phone announces (`pushname` in `Conn`, `notify` for contacts).
    pub pushname: String,
    /// The "about" text (`["query","Status",jid]`, action `status`).
    pub status_text: String,
    /// When the account was created, in milliseconds since the Unix epoch.
    pub created_ms: u64,
}

impl Account {
    /// Builds an account with an empty status text.
    pub fn new(phone: impl Into<String>, pushname: impl Into<String>, created_ms: u64) -> Self {
        Self {
            phone: phone.into(),
            pushname: pushname.into(),
            status_text: String::new(),
            created_ms,
        }
    }
}

/// The most digits a phone number has (E.164: country code and subscriber number together).
pub use waweb_proto::binary::jid::MAX_PHONE_DIGITS;
/// The longest push name, in characters (WhatsApp's own limit).
pub const MAX_PUSHNAME_CHARS: usize = 25;
/// The longest "about" text, in characters (WhatsApp's own limit).
pub const MAX_STATUS_CHARS: usize = 139;

/// Refuses phone numbers that are empty, longer than [`MAX_PHONE_DIGITS`] or contain anything
/// but ASCII digits, so that a JID can always be built from one.
///
/// This is the store's own invariant, not the rule for new numbers: the admin API and
/// `waweb account add` check a number against [`Phone`](waweb_proto::binary::jid::Phone) where
/// it enters, with a message that states the rule.
pub(crate) fn check_phone(phone: &str) -> Result<(), super::StoreError> {
    if phone.is_empty() || !phone.bytes().all(|b| b.is_ascii_digit()) {
        return Err(super::StoreError::Invalid { field: "phone", reason: "digits only" });
    }
    if phone.len() > MAX_PHONE_DIGITS {
        return Err(super::StoreError::Invalid { field: "phone", reason: "at most 15 digits" });
    }
    Ok(())
}

/// Refuses push names longer than [`MAX_PUSHNAME_CHARS`] (the name travels with every message
/// the account sends).
pub fn check_pushname(name: &str) -> Result<(), super::StoreError> {
    if name.chars().count() > MAX_PUSHNAME_CHARS {
        return Err(super::StoreError::Invalid { field: "name", reason: "at most 25 characters" });
    }
    Ok(())
}

/// Refuses "about" texts longer than [`MAX_STATUS_CHARS`].
pub fn check_status_text(text: &str) -> Result<(), super::StoreError> {
    if text.chars().count() > MAX_STATUS_CHARS {
        let reason = "at most 139 characters";
        return Err(super::StoreError::Invalid { field: "about text", reason });
    }
    Ok(())
}
