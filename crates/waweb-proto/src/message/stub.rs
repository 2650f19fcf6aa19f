//! `WebMessageInfoStubType`: the kind of a system ("stub") message, field 24 of `WebMessageInfo`.
//!
//! Values 49–68 (payments, business) are not listed; a decoded message keeps them as raw numbers.

/// Kind of system message; the message then usually has no content, only
/// `message_stub_parameters`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::prost::Enumeration)]
#[repr(i32)]
pub enum WebMessageInfoStubType {
    /// Not a stub.
    Unknown = 0,
    /// A deleted ("revoked for everyone") message.
    Revoke = 1,
    /// Could not be decrypted on the phone.
    Ciphertext = 2,
    /// A message type this client version does not know.
    Futureproof = 3,
    /// Schema name `NON_VERIFIED_TRANSITION`.
    NonVerifiedTransition = 4,
    /// Schema name `UNVERIFIED_TRANSITION`.
    UnverifiedTransition = 5,
    /// Schema name `VERIFIED_TRANSITION`.
    VerifiedTransition = 6,
    /// Schema name `VERIFIED_LOW_UNKNOWN`.
    VerifiedLowUnknown = 7,
    /// Schema name `VERIFIED_HIGH`.
    VerifiedHigh = 8,
    /// Schema name `VERIFIED_INITIAL_UNKNOWN`.
    VerifiedInitialUnknown = 9,
    /// Schema name `VERIFIED_INITIAL_LOW`.
    VerifiedInitialLow = 10,
    /// Schema name `VERIFIED_INITIAL_HIGH`.
    VerifiedInitialHigh = 11,
    /// Schema name `VERIFIED_TRANSITION_ANY_TO_NONE`.
    VerifiedTransitionAnyToNone = 12,
    /// Schema name `VERIFIED_TRANSITION_ANY_TO_HIGH`.
    VerifiedTransitionAnyToHigh = 13,
    /// Schema name `VERIFIED_TRANSITION_HIGH_TO_LOW`.
    VerifiedTransitionHighToLow = 14,
    /// Schema name `VERIFIED_TRANSITION_HIGH_TO_UNKNOWN`.
    VerifiedTransitionHighToUnknown = 15,
    /// Schema name `VERIFIED_TRANSITION_UNKNOWN_TO_LOW`.
    VerifiedTransitionUnknownToLow = 16,
    /// Schema name `VERIFIED_TRANSITION_LOW_TO_UNKNOWN`.
    VerifiedTransitionLowToUnknown = 17,
    /// Schema name `VERIFIED_TRANSITION_NONE_TO_LOW`.
    VerifiedTransitionNoneToLow = 18,
    /// Schema name `VERIFIED_TRANSITION_NONE_TO_UNKNOWN`.
    VerifiedTransitionNoneToUnknown = 19,
    /// Schema name `GROUP_CREATE`.
    GroupCreate = 20,
    /// Schema name `GROUP_CHANGE_SUBJECT`.
    GroupChangeSubject = 21,
    /// Schema name `GROUP_CHANGE_ICON`.
    GroupChangeIcon = 22,
    /// Schema name `GROUP_CHANGE_INVITE_LINK`.
    GroupChangeInviteLink = 23,
    /// Schema name `GROUP_CHANGE_DESCRIPTION`.
    GroupChangeDescription = 24,
    /// Schema name `GROUP_CHANGE_RESTRICT`.
    GroupChangeRestrict = 25,
    /// Schema name `GROUP_CHANGE_ANNOUNCE`.
    GroupChangeAnnounce = 26,
    /// Schema name `GROUP_PARTICIPANT_ADD`.
    GroupParticipantAdd = 27,
    /// Schema name `GROUP_PARTICIPANT_REMOVE`.
    GroupParticipantRemove = 28,
    /// Schema name `GROUP_PARTICIPANT_PROMOTE`.
    GroupParticipantPromote = 29,
    /// Schema name `GROUP_PARTICIPANT_DEMOTE`.
    GroupParticipantDemote = 30,
    /// Schema name `GROUP_PARTICIPANT_INVITE`.
    GroupParticipantInvite = 31,
    /// Schema name `GROUP_PARTICIPANT_LEAVE`.
    GroupParticipantLeave = 32,
    /// Schema name `GROUP_PARTICIPANT_CHANGE_NUMBER`.
    GroupParticipantChangeNumber = 33,
    /// Schema name `BROADCAST_CREATE`.
    BroadcastCreate = 34,
    /// Schema name `BROADCAST_ADD`.
    BroadcastAdd = 35,
    /// Schema name `BROADCAST_REMOVE`.
    BroadcastRemove = 36,
    /// Schema name `GENERIC_NOTIFICATION`.
    GenericNotification = 37,
    /// Schema name `E2E_IDENTITY_CHANGED`.
    E2eIdentityChanged = 38,
    /// Schema name `E2E_ENCRYPTED`.
    E2eEncrypted = 39,
    /// Schema name `CALL_MISSED_VOICE`.
    CallMissedVoice = 40,
    /// Schema name `CALL_MISSED_VIDEO`.
    CallMissedVideo = 41,
    /// Schema name `INDIVIDUAL_CHANGE_NUMBER`.
    IndividualChangeNumber = 42,
    /// Schema name `GROUP_DELETE`.
    GroupDelete = 43,
    /// Schema name `GROUP_ANNOUNCE_MODE_MESSAGE_BOUNCE`.
    GroupAnnounceModeMessageBounce = 44,
    /// Schema name `CALL_MISSED_GROUP_VOICE`.
    CallMissedGroupVoice = 45,
    /// Schema name `CALL_MISSED_GROUP_VIDEO`.
    CallMissedGroupVideo = 46,
    /// Schema name `PAYMENT_CIPHERTEXT`.
    PaymentCiphertext = 47,
    /// Schema name `PAYMENT_FUTUREPROOF`.
    PaymentFutureproof = 48,
    /// Schema name `GROUP_CHANGE_NO_FREQUENTLY_FORWARDED`.
    GroupChangeNoFrequentlyForwarded = 69,
    /// Schema name `GROUP_V4_ADD_INVITE_SENT`.
    GroupV4AddInviteSent = 70,
    /// Schema name `GROUP_PARTICIPANT_ADD_REQUEST_JOIN`.
    GroupParticipantAddRequestJoin = 71,
    /// Schema name `CHANGE_EPHEMERAL_SETTING`.
    ChangeEphemeralSetting = 72,
    /// Schema name `E2E_DEVICE_CHANGED`.
    E2eDeviceChanged = 73,
    /// Schema name `VIEWED_ONCE`.
    ViewedOnce = 74,
    /// Schema name `E2E_ENCRYPTED_NOW`.
    E2eEncryptedNow = 75,
}
