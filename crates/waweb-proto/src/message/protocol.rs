//! `ProtocolMessage`: control messages carried as content — revoke ("delete for everyone") and
//! disappearing-message settings.

use super::info::MessageKey;

/// A control message (field 12 of `Message`).
#[derive(Clone, PartialEq, ::prost::Message)]
pub struct ProtocolMessage {
    /// REVOKE: the key of the message being deleted.
    #[prost(message, optional, tag = "1")]
    pub key: Option<MessageKey>,
    /// What this control message does ([`ProtocolMessageType`]).
    #[prost(enumeration = "ProtocolMessageType", optional, tag = "2")]
    pub r#type: Option<i32>,
    /// EPHEMERAL_SETTING: message lifetime in seconds, 0 = off.
    #[prost(uint32, optional, tag = "4")]
    pub ephemeral_expiration: Option<u32>,
    /// EPHEMERAL_SETTING: when it changed, Unix seconds.
    #[prost(int64, optional, tag = "5")]
    pub ephemeral_setting_timestamp: Option<i64>,
}

/// Kind of [`ProtocolMessage`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum ProtocolMessageType {
    /// Delete the message `key` for everyone.
    Revoke = 0,
    /// Change the disappearing-message setting.
    EphemeralSetting = 3,
    /// Answer to an ephemeral-setting sync.
    EphemeralSyncResponse = 4,
    /// Multi-device history sync (not used by the legacy flow).
    HistorySyncNotification = 5,
    /// Multi-device app-state key share (not used by the legacy flow).
    AppStateSyncKeyShare = 6,
    /// Multi-device app-state key request (not used by the legacy flow).
    AppStateSyncKeyRequest = 7,
    /// Multi-device fan-out backfill (not used by the legacy flow).
    MsgFanoutBackfillRequest = 8,
    /// Multi-device security-notification sync (not used by the legacy flow).
    InitialSecurityNotificationSettingSync = 9,
    /// Multi-device app-state failure (not used by the legacy flow).
    AppStateFatalExceptionNotification = 10,
}
