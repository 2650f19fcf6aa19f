//! The flag byte (docs/PROTOCOL.md): the third byte after the tag of a client binary frame.
//!
//! The official client computes it from the request's options. Third-party clients name bit 7
//! `ignore`, the opposite of its official meaning (the official client *sets* it on requests it
//! waits for and clears it on fire-and-forget ones). A server accepts any byte; at most it may use
//! [`Flags::EXPECTS_ANSWER`] to decide whether an answer is awaited.

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

/// A client frame's flag byte. Any value is accepted; bits 1 and 0 have no known meaning.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(pub u8);

impl Flags {
    /// No flag set.
    pub const NONE: Flags = Flags(0);
    /// Bit 7: the request is not fire-and-forget; the client waits for an answer.
    pub const EXPECTS_ANSWER: Flags = Flags(0x80);
    /// Bit 6: the client asks for an acknowledgement (only together with bit 7).
    pub const ACK_REQUEST: Flags = Flags(0x40);
    /// Bit 5: the user's presence is "available".
    pub const AVAILABLE: Flags = Flags(0x20);
    /// Bit 4: the user's presence is "unavailable".
    pub const UNAVAILABLE: Flags = Flags(0x10);
    /// Bit 3: the request carries an expiry time (group, picture, status, block, spam).
    pub const EXPIRES: Flags = Flags(0x08);
    /// Bit 2: do not store for an offline recipient (chat states).
    pub const SKIP_OFFLINE: Flags = Flags(0x04);

    /// 0x80 — the official client's text relay and most of Baileys' requests.
    pub const REQUEST: Flags = Flags(0x80);
    /// 0xe0 — official "presence available".
    pub const PRESENCE_AVAILABLE: Flags = Flags(0xe0);
    /// 0xa0 — Baileys' "presence available".
    pub const BAILEYS_AVAILABLE: Flags = Flags(0xa0);
    /// 0x10 — official "presence unavailable" (fire-and-forget).
    pub const PRESENCE_UNAVAILABLE: Flags = Flags(0x10);
    /// 0x04 — chat states composing, recording, paused (fire-and-forget, skip offline).
    pub const CHAT_STATE: Flags = Flags(0x04);
    /// 0x88 — group, picture and status actions.
    pub const EXPIRING_REQUEST: Flags = Flags(0x88);
    /// 0xc0 — read, chat and played actions.
    pub const ACKED_REQUEST: Flags = Flags(0xc0);

    /// The named bits, for `Debug`.
    const NAMED: [(Flags, &'static str); 6] = [
        (Flags::EXPECTS_ANSWER, "EXPECTS_ANSWER"),
        (Flags::ACK_REQUEST, "ACK_REQUEST"),
        (Flags::AVAILABLE, "AVAILABLE"),
        (Flags::UNAVAILABLE, "UNAVAILABLE"),
        (Flags::EXPIRES, "EXPIRES"),
        (Flags::SKIP_OFFLINE, "SKIP_OFFLINE"),
    ];

    /// Whether every bit of `other` is set in `self`.
    pub const fn contains(self, other: Flags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The raw byte.
    pub const fn bits(self) -> u8 {
        self.0
    }
}

impl BitOr for Flags {
    type Output = Flags;

    fn bitor(self, rhs: Flags) -> Flags {
        Flags(self.0 | rhs.0)
    }
}

impl BitOrAssign for Flags {
    fn bitor_assign(&mut self, rhs: Flags) {
        self.0 |= rhs.0;
    }
}

impl From<u8> for Flags {
    fn from(byte: u8) -> Flags {
        Flags(byte)
    }
}

impl From<Flags> for u8 {
    fn from(flags: Flags) -> u8 {
        flags.0
    }
}

impl fmt::Debug for Flags {
    /// `Flags(0xa0: EXPECTS_ANSWER | AVAILABLE)`; unnamed bits are shown in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Flags({:#04x}", self.0)?;
        let mut separator = ": ";
        for (flag, name) in Flags::NAMED {
            if self.contains(flag) {
                write!(f, "{separator}{name}")?;
                separator = " | ";
            }
        }
        let unnamed = self.0 & 0x03;
        if unnamed != 0 {
            write!(f, "{separator}{unnamed:#04x}")?;
        }
        f.write_str(")")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combos_are_their_bits() {
        assert_eq!(Flags::EXPECTS_ANSWER | Flags::AVAILABLE, Flags::BAILEYS_AVAILABLE);
        assert_eq!(
            Flags::EXPECTS_ANSWER | Flags::ACK_REQUEST | Flags::AVAILABLE,
            Flags::PRESENCE_AVAILABLE
        );
        assert_eq!(Flags::EXPECTS_ANSWER | Flags::EXPIRES, Flags::EXPIRING_REQUEST);
        assert_eq!(Flags::EXPECTS_ANSWER | Flags::ACK_REQUEST, Flags::ACKED_REQUEST);
        let mut flags = Flags::NONE;
        flags |= Flags::SKIP_OFFLINE;
        assert_eq!(flags, Flags::CHAT_STATE);
    }

    #[test]
    fn contains_checks_all_bits() {
        assert!(Flags(0xa0).contains(Flags::EXPECTS_ANSWER));
        assert!(Flags(0xa0).contains(Flags::BAILEYS_AVAILABLE));
        assert!(!Flags(0xa0).contains(Flags::PRESENCE_AVAILABLE));
        assert!(Flags(0).contains(Flags::NONE));
    }

    #[test]
    fn debug_lists_set_bits() {
        assert_eq!(format!("{:?}", Flags(0xa0)), "Flags(0xa0: EXPECTS_ANSWER | AVAILABLE)");
        assert_eq!(format!("{:?}", Flags(0)), "Flags(0x00)");
        assert_eq!(format!("{:?}", Flags(0x0e)), "Flags(0x0e: EXPIRES | SKIP_OFFLINE | 0x02)");
    }
}
