//! Group invite links: an admin gets (or replaces) the code of a group's link; anyone with the
//! code may look at the group and join it. The group's members hear of a join as a system
//! message, as of an addition.
//!
//! ```no_run
//! # async fn demo(admin: waweb_client::Client, friend: waweb_client::Client)
//! # -> Result<(), waweb_client::ClientError> {
//! let code = admin.group_invite_code("15550000001-1700000000@g.us").await?;
//! let preview = friend.group_invite_info(&code).await?;
//! println!("joining {:?}", preview.subject);
//! let gid = friend.join_group(&code).await?;
//! # let _ = gid; Ok(()) }
//! ```

use serde_json::Value;
use waweb_proto::json::group::GroupMetadata;
use waweb_proto::json::query::JsonQuery;

use crate::client::{check_status, parse_answer, string_member, Client};
use crate::error::ClientError;
use crate::group::group_jid;

impl Client {
    /// The code of the group's invite link (admins only: [`ClientError::Status`]`(401)`
    /// otherwise); the same code every time until it is reset.
    pub async fn group_invite_code(&self, gid: &str) -> Result<String, ClientError> {
        let answer =
            self.json(JsonQuery::InviteCode(group_jid(gid)?.to_owned()).to_value()).await?;
        field(&answer, "code")
    }

    /// Replaces the group's invite code (admins only): the old link stops working. Returns the
    /// new code.
    pub async fn reset_group_invite(&self, gid: &str) -> Result<String, ClientError> {
        let answer =
            self.json(JsonQuery::InviteReset(group_jid(gid)?.to_owned()).to_value()).await?;
        field(&answer, "code")
    }

    /// The group an invite code leads to, before joining it; [`ClientError::Status`]`(404)` for
    /// an unknown or reset code.
    pub async fn group_invite_info(&self, code: &str) -> Result<GroupMetadata, ClientError> {
        let answer = self.json(JsonQuery::InviteInfo(code.to_owned()).to_value()).await?;
        check_status(&answer)?;
        parse_answer(&answer)
    }

    /// Joins the group an invite code leads to and returns its JID;
    /// [`ClientError::Status`]`(404)` for an unknown or reset code, `(409)` if we are a member
    /// already.
    pub async fn join_group(&self, code: &str) -> Result<String, ClientError> {
        let answer = self.json(JsonQuery::AcceptInvite(code.to_owned()).to_value()).await?;
        field(&answer, "gid")
    }
}

/// A string member of a successful answer.
fn field(answer: &Value, name: &str) -> Result<String, ClientError> {
    check_status(answer)?;
    string_member(answer, name)
}
