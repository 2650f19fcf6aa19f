//! The group workload's set-up: splitting the clients into groups and creating each group
//! through its first member's session; the messages then go through [`relay`](super::relay).

use std::time::Duration;
use waweb_proto::binary::jid::person_jid;

use serde_json::Value;
use waweb_proto::action::group::{GroupAction, GroupChange};
use waweb_proto::action::ActionRequest;
use waweb_proto::frame::{Flags, Metric};
use waweb_proto::session::ClientEvent;

use super::client::{now, SimClient};

/// The index ranges of `n` clients in groups of `size`: a last group smaller than `size` joins
/// the one before it (so every group has at least `size` members when `n >= size`).
pub fn split(n: usize, size: usize) -> Vec<std::ops::Range<usize>> {
    let size = size.max(2);
    let mut groups: Vec<std::ops::Range<usize>> =
        (0..n).step_by(size).map(|start| start..(start + size).min(n)).collect();
    if groups.len() > 1 && groups.last().is_some_and(|g| g.len() < size) {
        let last = groups.pop().map_or(0, |g| g.end);
        if let Some(previous) = groups.last_mut() {
            previous.end = last;
        }
    }
    groups
}

/// Creates a group of `c`'s account with `others` (phone numbers) and returns its JID.
pub async fn create(c: &mut SimClient, me: &str, others: &[String]) -> anyhow::Result<String> {
    let participants = others.iter().map(|p| person_jid(p)).collect();
    let create = GroupAction {
        author: Some(person_jid(me)),
        id: Some(format!("bench-group-{me}")),
        jid: None,
        change: GroupChange::Create { subject: Some("bench".into()), participants },
    };
    let epoch = c.session.next_epoch();
    let action = ActionRequest::set(create.to_node()).with_epoch(epoch).into_node();
    let tag = c.session.send_node(now(), &action, Metric::Group, Flags::EXPIRING_REQUEST)?;
    c.flush().await?;
    let answer = c
        .expect(Duration::from_secs(30), |e| match e {
            ClientEvent::JsonResponse { tag: t, value } if t == tag => Some(value),
            _ => None,
        })
        .await?;
    let gid = answer.get("gid").and_then(Value::as_str);
    gid.map(str::to_owned).ok_or_else(|| anyhow::anyhow!("group creation refused: {answer}"))
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn clients_split_into_groups_and_a_short_last_one_joins_the_one_before() {
        assert_eq!(split(16, 8), [0..8, 8..16]);
        assert_eq!(split(19, 8), [0..8, 8..19]);
        assert_eq!(split(5, 8), vec![0..5]);
        assert_eq!(split(4, 2), [0..2, 2..4]);
        assert!(split(0, 8).is_empty());
    }
}
