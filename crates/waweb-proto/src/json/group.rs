//! Answer to `["query","GroupMetadata",gid]`: a group's subject, creator, description and members.
//!
//! whatsappweb-rs reads `id`, `creation`, `owner`, `participants[].{id,isAdmin}`, `subject`,
//! `subjectTime`, `subjectOwner`; Baileys also the description members. Members this crate does
//! not model are kept in `extra`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lenient;

/// The metadata object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMetadata {
    /// Error code; absent on success.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<u16>,
    /// The group, `…@g.us`.
    pub id: String,
    /// Creator, `…@c.us`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Group name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Creation time, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub creation: Option<u64>,
    /// Members.
    #[serde(default)]
    pub participants: Vec<GroupParticipant>,
    /// When the subject was set, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub subject_time: Option<u64>,
    /// Who set the subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_owner: Option<String>,
    /// Description text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc: Option<String>,
    /// Description version id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc_id: Option<String>,
    /// When the description was set, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient::opt_int",
        skip_serializing_if = "Option::is_none"
    )]
    pub desc_time: Option<u64>,
    /// Who set the description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desc_owner: Option<String>,
    /// Members this crate does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One member of a group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupParticipant {
    /// The member, `…@c.us`.
    pub id: String,
    /// Group admin.
    #[serde(default)]
    pub is_admin: bool,
    /// The creator (super admin).
    #[serde(default)]
    pub is_super_admin: bool,
}
