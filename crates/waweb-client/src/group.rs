//! Groups: creating one, reading its metadata, adding, removing, promoting and demoting members,
//! leaving, and changing the subject, the description and the settings. Each call is one
//! `group` action (or the `GroupMetadata` query) the server answers; the members hear of the
//! change as a system message in the group's chat, which arrives like any message
//! ([`Event::Messages`](crate::Event::Messages), with `message_stub_type` set).
//!
//! Sending to a group is [`Client::send_text`] with the group's JID (`…@g.us`); a message
//! received in a group has `key.remote_jid` = the group and `key.participant` = its sender.
//!
//! ```no_run
//! # async fn demo(client: waweb_client::Client) -> Result<(), waweb_client::ClientError> {
//! use waweb_client::GroupSetting;
//!
//! let created = client.create_group("Climbing", &["15550000002@c.us"]).await?;
//! for (jid, code) in &created.results {
//!     println!("{jid}: {code}"); // 200 added, 404 no such account
//! }
//! client.send_text(&created.gid, "hello all").await?;
//! client.set_group_setting(&created.gid, GroupSetting::AnnounceOnly, true).await?;
//! let meta = client.group_metadata(&created.gid).await?;
//! println!("{} members", meta.participants.len());
//! # Ok(()) }
//! ```

use serde_json::Value;
use waweb_proto::action::group::{GroupAction, GroupChange, GroupDescription, GroupProp};
use waweb_proto::binary::jid;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::json::group::GroupMetadata;
use waweb_proto::json::query::JsonQuery;

use crate::client::{check_status, new_message_id, parse_answer, string_member, Client};
use crate::error::ClientError;

/// What [`Client::create_group`] returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCreated {
    /// The new group's JID (`<creator>-<time>@g.us`).
    pub gid: String,
    /// For each participant asked for, `(jid, code)`: 200 added, 404 no such account.
    pub results: Vec<(String, u16)>,
}

/// A group setting, switched with [`Client::set_group_setting`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupSetting {
    /// Only admins send messages (`announcement`).
    AnnounceOnly,
    /// Only admins change the subject, description and settings (`locked`).
    Locked,
}

impl GroupSetting {
    /// The child of the `prop` action that switches it.
    fn prop(self, on: bool) -> GroupProp {
        match self {
            GroupSetting::AnnounceOnly => GroupProp::Announcement(on),
            GroupSetting::Locked => GroupProp::Locked(on),
        }
    }

    /// The member of [`GroupMetadata::extra`] that says it.
    fn metadata_key(self) -> &'static str {
        match self {
            GroupSetting::AnnounceOnly => "announce",
            GroupSetting::Locked => "restrict",
        }
    }

    /// Whether the setting is on in `meta` (off when the server does not say).
    ///
    /// ```
    /// use waweb_client::{GroupMetadata, GroupSetting};
    /// let meta: GroupMetadata =
    ///     serde_json::from_str(r#"{"id":"1-2@g.us","announce":"true","restrict":"false"}"#)
    ///         .unwrap();
    /// assert!(GroupSetting::AnnounceOnly.is_on(&meta));
    /// assert!(!GroupSetting::Locked.is_on(&meta));
    /// ```
    pub fn is_on(self, meta: &GroupMetadata) -> bool {
        match meta.extra.get(self.metadata_key()) {
            Some(Value::String(s)) => s == "true",
            Some(Value::Bool(b)) => *b,
            _ => false,
        }
    }
}

impl Client {
    /// Creates a group named `subject` (at most 25 characters) with us as its super admin and
    /// the `participants` (`<number>@c.us`) as members. Those without an account are not added:
    /// their code in [`GroupCreated::results`] says so.
    pub async fn create_group<S: AsRef<str>>(
        &self,
        subject: &str,
        participants: &[S],
    ) -> Result<GroupCreated, ClientError> {
        let create = GroupChange::Create {
            subject: Some(subject.to_owned()),
            participants: c_us(participants),
        };
        let value = self.group_action(None, create).await?;
        Ok(GroupCreated { gid: string_member(&value, "gid")?, results: member_results(&value)? })
    }

    /// The group's subject, creator, description, settings and members with their roles.
    /// [`ClientError::Status`]`(401)` if we are not a member, `(404)` if there is no such group.
    /// Read the settings with [`GroupSetting::is_on`].
    pub async fn group_metadata(&self, gid: &str) -> Result<GroupMetadata, ClientError> {
        let query = JsonQuery::GroupMetadata(group_jid(gid)?.to_owned());
        let value = self.json(query.to_value()).await?;
        if value.get("status").is_some() {
            check_status(&value)?;
        }
        parse_answer(&value)
    }

    /// Adds members (admins only); returns `(jid, code)` for each: 200 added, 404 no such
    /// account, 409 already a member.
    pub async fn add_to_group<S: AsRef<str>>(
        &self,
        gid: &str,
        participants: &[S],
    ) -> Result<Vec<(String, u16)>, ClientError> {
        self.change_members(gid, GroupChange::Add, participants).await
    }

    /// Removes members (admins only); returns `(jid, code)` for each: 200 removed, 404 not a
    /// member, 403 the creator (who cannot be removed).
    pub async fn remove_from_group<S: AsRef<str>>(
        &self,
        gid: &str,
        participants: &[S],
    ) -> Result<Vec<(String, u16)>, ClientError> {
        self.change_members(gid, GroupChange::Remove, participants).await
    }

    /// Makes members admins (admins only); returns `(jid, code)` for each: 200 done, 404 not a
    /// member, 403 the creator.
    pub async fn promote_in_group<S: AsRef<str>>(
        &self,
        gid: &str,
        participants: &[S],
    ) -> Result<Vec<(String, u16)>, ClientError> {
        self.change_members(gid, GroupChange::Promote, participants).await
    }

    /// Makes admins plain members again (admins only); returns `(jid, code)` for each, as
    /// [`Client::promote_in_group`] does.
    pub async fn demote_in_group<S: AsRef<str>>(
        &self,
        gid: &str,
        participants: &[S],
    ) -> Result<Vec<(String, u16)>, ClientError> {
        self.change_members(gid, GroupChange::Demote, participants).await
    }

    /// Leaves the group; its chat stays, read-only. The server promotes someone if we were
    /// the last admin.
    pub async fn leave_group(&self, gid: &str) -> Result<(), ClientError> {
        self.group_action(Some(gid), GroupChange::Leave).await.map(drop)
    }

    /// Renames the group (at most 25 characters; 406 if longer).
    pub async fn set_group_subject(&self, gid: &str, subject: &str) -> Result<(), ClientError> {
        let change = GroupChange::Subject(Some(subject.to_owned()));
        self.group_action(Some(gid), change).await.map(drop)
    }

    /// Sets the group's description (at most 512 characters; empty removes it). Reads the
    /// current one first: the server refuses (409) a change that does not name it.
    pub async fn set_group_description(&self, gid: &str, text: &str) -> Result<(), ClientError> {
        let prev = self.group_metadata(gid).await?.desc_id;
        let description = GroupDescription { id: new_message_id(), prev, text: text.to_owned() };
        self.group_action(Some(gid), GroupChange::Description(description)).await.map(drop)
    }

    /// Switches a setting on or off (admins only).
    pub async fn set_group_setting(
        &self,
        gid: &str,
        setting: GroupSetting,
        on: bool,
    ) -> Result<(), ClientError> {
        self.group_action(Some(gid), GroupChange::Prop(setting.prop(on))).await.map(drop)
    }

    /// `add`, `remove`, `promote` or `demote` with at least one participant.
    async fn change_members<S: AsRef<str>>(
        &self,
        gid: &str,
        kind: fn(Vec<String>) -> GroupChange,
        participants: &[S],
    ) -> Result<Vec<(String, u16)>, ClientError> {
        if participants.is_empty() {
            return Err(ClientError::InvalidArgument("no participant given".into()));
        }
        member_results(&self.group_action(Some(gid), kind(c_us(participants))).await?)
    }

    /// The `group` action about `gid` (none for a creation), with us as its `author` (our JID
    /// is known once logged in) and a new id.
    async fn group_action(
        &self,
        gid: Option<&str>,
        change: GroupChange,
    ) -> Result<Value, ClientError> {
        let author = Some(self.own_jid()?);
        let jid = gid.map(|g| group_jid(g).map(str::to_owned)).transpose()?;
        let node = GroupAction { author, id: Some(new_message_id()), jid, change }.to_node();
        self.action_answer(node, Metric::Group, Flags::EXPIRING_REQUEST).await
    }
}

/// `gid` if it is a group JID.
pub(crate) fn group_jid(gid: &str) -> Result<&str, ClientError> {
    if jid::is_group(gid) {
        Ok(gid)
    } else {
        Err(ClientError::InvalidArgument(format!("{gid:?} is not a group JID (…@g.us)")))
    }
}

/// The participants' JIDs as nodes spell them (`…@c.us`).
fn c_us<S: AsRef<str>>(participants: &[S]) -> Vec<String> {
    participants.iter().map(|p| jid::to_c_us(p.as_ref())).collect()
}

/// The `participants` of an answer — `[{"<jid>":{"code"}}…]` after a creation,
/// `{"<jid>":{"code"}…}` after a change — as `(jid, code)` pairs; none if absent.
fn member_results(value: &Value) -> Result<Vec<(String, u16)>, ClientError> {
    let unexpected = || ClientError::UnexpectedAnswer(value.to_string());
    let entries: Vec<(&String, &Value)> = match value.get("participants") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Object(map)) => map.iter().collect(),
        Some(Value::Array(list)) => {
            list.iter().filter_map(Value::as_object).flat_map(|m| m.iter()).collect()
        }
        Some(_) => return Err(unexpected()),
    };
    entries
        .into_iter()
        .map(|(jid, result)| Some((jid.clone(), code_of(result.get("code")?)?)))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(unexpected)
}

/// A result code, sent as a string (`"200"`) or a number.
fn code_of(code: &Value) -> Option<u16> {
    match code {
        Value::String(s) => s.parse().ok(),
        other => other.as_u64().and_then(|c| u16::try_from(c).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn results_of_a_creation_and_of_a_change() {
        let created = json!({"status":200,"gid":"1-2@g.us","participants":[
            {"2@c.us":{"code":"200"}},{"9@c.us":{"code":"404"}}]});
        let want = vec![("2@c.us".to_owned(), 200), ("9@c.us".to_owned(), 404)];
        assert_eq!(member_results(&created), Ok(want));
        let changed = json!({"status":200,"participants":{"3@c.us":{"code":409}}});
        assert_eq!(member_results(&changed), Ok(vec![("3@c.us".to_owned(), 409)]));
        assert_eq!(member_results(&json!({"status":200})), Ok(vec![]));
        let broken = json!({"participants":{"3@c.us":{"code":"x"}}});
        assert!(matches!(member_results(&broken), Err(ClientError::UnexpectedAnswer(_))));
    }

    #[test]
    fn only_group_jids_are_groups() {
        assert_eq!(group_jid("1-2@g.us"), Ok("1-2@g.us"));
        assert!(matches!(group_jid("1@c.us"), Err(ClientError::InvalidArgument(_))));
        assert!(matches!(group_jid(""), Err(ClientError::InvalidArgument(_))));
    }

    #[test]
    fn participants_are_spelled_c_us() {
        assert_eq!(c_us(&["1@s.whatsapp.net", "2@c.us"]), ["1@c.us", "2@c.us"]);
    }
}
