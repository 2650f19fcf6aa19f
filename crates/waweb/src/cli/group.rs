//! `waweb group …`: groups of the logged-in account. `create` prints the new group's JID;
//! `info` its metadata (tab-separated `key  value` lines, or JSON with `--json`); `add`,
//! `remove`, `promote` and `demote` print one `jid  result` line per member named and exit with
//! 1 if any was not changed; `leave`, `subject`, `describe`, `announce` and `lock` say what they
//! did on stdout; `invite` prints the invite code and `join` the JID of the group joined. Send
//! to a group with `waweb send <gid> TEXT`, read it with `waweb history <gid>`.

use std::process::ExitCode;

use waweb_client::{Client, ClientError, GroupMetadata, GroupSetting};

use super::client_common::{client_error, format_time, out, ClientArgs};
use super::exit::{Exit, FAILURE};

/// Its subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create a group with us as its admin; prints its JID (`…@g.us`).
    Create {
        #[command(flatten)]
        client: ClientArgs,
        /// Its name (at most 25 characters).
        subject: String,
        /// Its first members (`<number>@c.us`, or just the number).
        #[arg(value_parser = super::jid_arg::parse)]
        participants: Vec<String>,
        /// Print `{"gid", "participants":[{"jid","code"}]}` instead.
        #[arg(long)]
        json: bool,
    },
    /// Show a group's subject, description, settings and members with their roles.
    Info {
        #[command(flatten)]
        target: Target,
        /// Print the server's metadata object as JSON instead.
        #[arg(long)]
        json: bool,
    },
    /// Add members (admins only).
    Add(Members),
    /// Remove members (admins only).
    Remove(Members),
    /// Make members admins (admins only).
    Promote(Members),
    /// Make admins plain members again (admins only).
    Demote(Members),
    /// Leave the group (its chat stays, read-only).
    Leave(Target),
    /// Rename the group (at most 25 characters).
    Subject {
        #[command(flatten)]
        target: Target,
        /// The new name.
        subject: String,
    },
    /// Set the group's description (at most 512 characters; "" empties it).
    Describe {
        #[command(flatten)]
        target: Target,
        /// The new description.
        text: String,
    },
    /// Let only admins send messages (on), or everyone (off).
    Announce(Switch),
    /// Let only admins change the subject and description (on), or every member (off).
    Lock(Switch),
    /// Print the code of the group's invite link (admins only); `waweb group join CODE` joins.
    Invite {
        #[command(flatten)]
        target: Target,
        /// Replace the code first: the old link stops working.
        #[arg(long)]
        reset: bool,
    },
    /// Join the group an invite code leads to; prints its JID.
    Join {
        #[command(flatten)]
        client: ClientArgs,
        /// The code (`waweb group invite` prints it).
        code: String,
    },
}

/// One group.
#[derive(Debug, clap::Args)]
pub struct Target {
    #[command(flatten)]
    client: ClientArgs,
    /// The group (`…@g.us`, as `waweb group create` or `waweb chats` print it).
    gid: String,
}

/// Members of one group.
#[derive(Debug, clap::Args)]
pub struct Members {
    #[command(flatten)]
    target: Target,
    /// The members (`<number>@c.us`, or just the number).
    #[arg(required = true, value_parser = super::jid_arg::parse)]
    participants: Vec<String>,
}

/// A setting of one group.
#[derive(Debug, clap::Args)]
pub struct Switch {
    #[command(flatten)]
    target: Target,
    /// On or off.
    state: OnOff,
}

/// `on` or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    /// Switched on.
    On,
    /// Switched off.
    Off,
}

impl Command {
    fn client(&self) -> &ClientArgs {
        match self {
            Command::Create { client, .. } | Command::Join { client, .. } => client,
            Command::Invite { target, .. }
            | Command::Info { target, .. }
            | Command::Leave(target)
            | Command::Subject { target, .. }
            | Command::Describe { target, .. } => &target.client,
            Command::Add(m) | Command::Remove(m) | Command::Promote(m) | Command::Demote(m) => {
                &m.target.client
            }
            Command::Announce(s) | Command::Lock(s) => &s.target.client,
        }
    }
}

/// Runs it.
pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    let args = command.client();
    let s = args.open(args.options()).await?;
    let result = act(&s.client, command).await;
    s.client.close();
    result
}

async fn act(client: &Client, command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Create { subject, participants, json, .. } => {
            let created = client.create_group(&subject, &participants).await;
            let created = created.map_err(|e| group_error(e, &subject))?;
            if json {
                let results = results_json(&created.results);
                out(serde_json::json!({ "gid": created.gid, "participants": results }))?;
            } else {
                out(&created.gid)?;
                for (jid, code) in created.results.iter().filter(|(_, code)| *code != 200) {
                    eprintln!("{jid} was not added: {}", meaning(*code, Change::Add));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Info { target, json } => {
            let meta = client.group_metadata(&target.gid).await;
            let meta = meta.map_err(|e| group_error(e, &target.gid))?;
            if json {
                out(serde_json::to_value(&meta)?)?;
            } else {
                info(&meta)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Add(m) => members(client, m, Change::Add).await,
        Command::Remove(m) => members(client, m, Change::Remove).await,
        Command::Promote(m) => members(client, m, Change::Promote).await,
        Command::Demote(m) => members(client, m, Change::Demote).await,
        Command::Leave(t) => done(&t, client.leave_group(&t.gid).await, "left"),
        Command::Subject { target, subject } => {
            done(&target, client.set_group_subject(&target.gid, &subject).await, "renamed")
        }
        Command::Describe { target, text } => {
            let said = if text.is_empty() { "description removed" } else { "description set" };
            done(&target, client.set_group_description(&target.gid, &text).await, said)
        }
        Command::Announce(s) => switch(client, s, GroupSetting::AnnounceOnly).await,
        Command::Lock(s) => switch(client, s, GroupSetting::Locked).await,
        Command::Invite { target, reset } => {
            let code = if reset {
                client.reset_group_invite(&target.gid).await
            } else {
                client.group_invite_code(&target.gid).await
            };
            out(code.map_err(|e| group_error(e, &target.gid))?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Join { code, .. } => {
            let gid = client.join_group(&code).await.map_err(|e| invite_error(e, &code))?;
            out(gid)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A failed join, with what the server's status means for an invite code.
fn invite_error(e: ClientError, code: &str) -> anyhow::Error {
    let why = match &e {
        ClientError::Status(404) => "no group has this invite code (it may have been reset)",
        ClientError::Status(406) => "the group is full",
        ClientError::Status(409) => "you are a member already",
        _ => return client_error(e),
    };
    Exit::new(FAILURE, format!("{code}: {why} ({e})"))
}

/// Says `said` on stdout if the change was made.
fn done(target: &Target, result: Result<(), ClientError>, said: &str) -> anyhow::Result<ExitCode> {
    result.map_err(|e| group_error(e, &target.gid))?;
    out(said)?;
    Ok(ExitCode::SUCCESS)
}

/// The member changes.
#[derive(Debug, Clone, Copy)]
enum Change {
    Add,
    Remove,
    Promote,
    Demote,
}

/// Prints `jid  result` per member; exit code 1 if any was not changed.
async fn members(client: &Client, m: Members, change: Change) -> anyhow::Result<ExitCode> {
    let (gid, participants) = (&m.target.gid, &m.participants);
    let results = match change {
        Change::Add => client.add_to_group(gid, participants).await,
        Change::Remove => client.remove_from_group(gid, participants).await,
        Change::Promote => client.promote_in_group(gid, participants).await,
        Change::Demote => client.demote_in_group(gid, participants).await,
    }
    .map_err(|e| group_error(e, gid))?;
    let done = match change {
        Change::Add => "added",
        Change::Remove => "removed",
        Change::Promote => "promoted",
        Change::Demote => "demoted",
    };
    for (jid, code) in &results {
        out(format_args!("{jid}\t{}", if *code == 200 { done } else { meaning(*code, change) }))?;
    }
    let failed = results.iter().filter(|(_, code)| *code != 200).count();
    if failed > 0 {
        let msg = format!("{failed} of {} members were not {done}", results.len());
        return Err(Exit::new(FAILURE, msg));
    }
    Ok(ExitCode::SUCCESS)
}

async fn switch(client: &Client, s: Switch, setting: GroupSetting) -> anyhow::Result<ExitCode> {
    let on = s.state == OnOff::On;
    let said = match (setting, on) {
        (GroupSetting::AnnounceOnly, true) => "only admins send messages now",
        (GroupSetting::AnnounceOnly, false) => "every member sends messages now",
        (GroupSetting::Locked, true) => "only admins change the group's info now",
        (GroupSetting::Locked, false) => "every member changes the group's info now",
    };
    done(&s.target, client.set_group_setting(&s.target.gid, setting, on).await, said)
}

/// What a member's result code means for a change (creation counts as an addition).
fn meaning(code: u16, change: Change) -> &'static str {
    match (code, change) {
        (200, _) => "done",
        (403, _) => "refused: the group's creator, or its last admin",
        (404, _) => "not found (no such account, or not a member)",
        (406, _) => "refused: the group is full",
        (409, Change::Add) => "already a member",
        (409, Change::Promote) => "already an admin",
        (409, Change::Demote) => "not an admin",
        _ => "refused",
    }
}

fn results_json(results: &[(String, u16)]) -> serde_json::Value {
    let list: Vec<_> =
        results.iter().map(|(jid, code)| serde_json::json!({"jid": jid, "code": code})).collect();
    serde_json::Value::from(list)
}

/// A library error, with what the server's status means for a group (`about`: the group or the
/// subject the request was about).
fn group_error(e: ClientError, about: &str) -> anyhow::Error {
    let why = match &e {
        ClientError::Status(400) => "the server could not read the request",
        ClientError::Status(401) => "you are not a member of this group, or not an admin",
        ClientError::Status(404) => "there is no such group",
        ClientError::Status(406) => {
            "too long (subject: 25 characters, description: 512), or too many members"
        }
        ClientError::Status(409) => "the description changed meanwhile: try again",
        _ => return client_error(e),
    };
    Exit::new(FAILURE, format!("{about}: {why} ({e})"))
}

/// The metadata as `key  value` lines, then one `member  jid  role` line per member.
fn info(meta: &GroupMetadata) -> anyhow::Result<()> {
    let mut lines = vec![("jid", meta.id.clone())];
    let mut some = |key, value: Option<String>| {
        if let Some(v) = value {
            lines.push((key, v));
        }
    };
    some("subject", meta.subject.clone());
    some("owner", meta.owner.clone());
    some("created", meta.creation.map(format_time));
    some("description", meta.desc.as_ref().map(|d| d.replace('\n', " ")));
    let on_off = |setting: GroupSetting| if setting.is_on(meta) { "on" } else { "off" }.to_string();
    lines.push(("announce", on_off(GroupSetting::AnnounceOnly)));
    lines.push(("locked", on_off(GroupSetting::Locked)));
    for (key, value) in lines {
        out(format_args!("{key}\t{value}"))?;
    }
    for p in &meta.participants {
        let role = match (p.is_super_admin, p.is_admin) {
            (true, _) => "superadmin",
            (false, true) => "admin",
            (false, false) => "member",
        };
        out(format_args!("member\t{}\t{role}", p.id))?;
    }
    Ok(())
}
