//! Demo data: three accounts that know each other and have already chatted, so that a browser
//! paired with any of them receives a full initial sync (chats, contacts, history) at once.
//!
//! | phone | push name |
//! |---|---|
//! | 15550000001 | Alice |
//! | 15550000002 | Bob |
//! | 15550000003 | Carol |
//!
//! Each pair shares a conversation; both sides store their own copy of every message (own
//! messages read by the peer, except the newest one of each conversation, which is delivered
//! and still unread on the receiving side). Message times end shortly before the seed runs.

use waweb_proto::binary::jid::person_store_jid;
use waweb_proto::message;

use crate::context::now_ms;
use crate::store::{
    Account, Chat, Contact, NewMessage, SeedAccount, SeedChat, SeedReport, Store, StoreError,
    WebMessageInfoStatus,
};

/// The demo accounts: phone, push name, full name, "about" text.
pub const ACCOUNTS: [(&str, &str, &str, &str); 3] = [
    ("15550000001", "Alice", "Alice Martin", "Hey there! I am using waweb."),
    ("15550000002", "Bob", "Bob Durand", "At the climbing gym"),
    ("15550000003", "Carol", "Carol Petit", "Available"),
];

/// One line of a conversation: said by the first account (`true`) or the second, and the text.
type Line = (bool, &'static str);

/// Two accounts (indexes into [`ACCOUNTS`]) and what they said, oldest first.
type Conversation = (usize, usize, &'static [Line]);

/// The conversations: the two accounts (indexes into [`ACCOUNTS`]) and the lines, each said by
/// the first (`true`) or the second (`false`) of them.
const CONVERSATIONS: [Conversation; 3] = [
    (
        0,
        1,
        &[
            (true, "Hi Bob!"),
            (false, "Hi Alice, how are you?"),
            (true, "Fine, thanks. Climbing on Saturday?"),
            (false, "Sure. Which gym?"),
            (true, "The one near the station, it opens at 9."),
            (false, "Perfect. Shall I bring the rope?"),
            (true, "Yes please, mine is at Carol's."),
            (false, "OK. 9:30 at the entrance?"),
            (true, "Deal."),
            (false, "Don't forget your shoes this time 😄"),
            (true, "Ha. Never again."),
            (false, "See you Saturday!"),
            (true, "See you!"),
            (false, "By the way, Carol wants to come too."),
        ],
    ),
    (
        0,
        2,
        &[
            (false, "Alice, do you still have my book?"),
            (true, "Yes! Sorry, I will bring it tomorrow."),
            (false, "No rush."),
            (true, "Did you like the film yesterday?"),
            (false, "Loved it. The ending was a surprise."),
            (true, "Same. Let's see the sequel together."),
            (false, "Deal. Next Friday?"),
            (true, "Friday works."),
            (false, "I'll book the tickets."),
            (true, "Thanks! And I still have your rope."),
            (false, "Keep it until Saturday, Bob told me about the climbing."),
            (true, "Great, come with us!"),
        ],
    ),
    (
        1,
        2,
        &[
            (true, "Carol, are you joining on Saturday?"),
            (false, "I'd love to. What time?"),
            (true, "9:30 at the gym entrance."),
            (false, "I'll be there."),
            (true, "Bring the rope Alice left with you."),
            (false, "Already in my bag."),
            (true, "Great. Coffee afterwards?"),
            (false, "Of course."),
            (true, "I know a nice place around the corner."),
            (false, "Sounds good, see you then!"),
        ],
    ),
];

/// Seconds between two demo messages.
const GAP_S: u64 = 7 * 60;

/// What [`seed`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// The demo accounts' phone numbers.
    pub accounts: Vec<String>,
    /// What was stored; all zero when the demo accounts were already there.
    pub report: SeedReport,
    /// The demo accounts existed already, so nothing was written.
    pub already_present: bool,
}

/// Creates the demo accounts with their contacts, chats and history. Running it again on a
/// store that has them changes nothing; `AlreadyExists` if only some of them exist.
pub async fn seed<S: Store>(store: &S) -> Result<DemoSummary, StoreError> {
    let accounts = ACCOUNTS.iter().map(|a| a.0.to_owned()).collect::<Vec<_>>();
    let mut present = 0;
    for phone in &accounts {
        present += usize::from(store.account(phone).await?.is_some());
    }
    if present == accounts.len() {
        return Ok(DemoSummary { accounts, report: SeedReport::default(), already_present: true });
    }
    let report = store.seed(build(now_ms() / 1000)).await?;
    Ok(DemoSummary { accounts, report, already_present: false })
}

/// The seed of every demo account, with message times ending at `now` (Unix seconds).
pub fn build(now: u64) -> Vec<SeedAccount> {
    let mut seeds: Vec<SeedAccount> = ACCOUNTS
        .iter()
        .enumerate()
        .map(|(i, &(phone, pushname, _, about))| SeedAccount {
            account: Account {
                status_text: about.to_owned(),
                ..Account::new(phone, pushname, now.saturating_mul(1000))
            },
            contacts: ACCOUNTS
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, &(phone, pushname, name, _))| contact(phone, pushname, name))
                .collect(),
            chats: Vec::new(),
            blocklist: Vec::new(),
        })
        .collect();
    let total: usize = CONVERSATIONS.iter().map(|c| c.2.len()).sum();
    let mut t = now.saturating_sub(GAP_S.saturating_mul(total as u64 + 1));
    let mut counter = 0_u64;
    for &(a, b, lines) in &CONVERSATIONS {
        let mut sides = (chat_of(b, t), chat_of(a, t));
        for (n, &(by_a, text)) in lines.iter().enumerate() {
            t += GAP_S;
            counter += 1;
            let id = format!("3EB0{:016X}", 0xDE40_0000_0000_0000_u64 + counter);
            let newest = n + 1 == lines.len();
            let (author, reader) =
                if by_a { (&mut sides.0, &mut sides.1) } else { (&mut sides.1, &mut sides.0) };
            let status =
                if newest { WebMessageInfoStatus::DeliveryAck } else { WebMessageInfoStatus::Read };
            let (author_idx, reader_idx) = if by_a { (a, b) } else { (b, a) };
            author.messages.push(stored(reader_idx, &id, true, t, status, text));
            reader.messages.push(stored(author_idx, &id, false, t, status, text));
            author.chat.t = t;
            reader.chat.t = t;
            if newest {
                reader.chat.unread = 1;
            }
        }
        let (chat_of_a, chat_of_b) = sides;
        if let Some(seed) = seeds.get_mut(a) {
            seed.chats.push(chat_of_a);
        }
        if let Some(seed) = seeds.get_mut(b) {
            seed.chats.push(chat_of_b);
        }
    }
    seeds
}

/// The store's JID of a demo account.
fn jid_of(index: usize) -> String {
    let phone = ACCOUNTS.get(index).map_or("0", |a| a.0);
    person_store_jid(phone)
}

/// An empty chat with the demo account `index`.
fn chat_of(index: usize, t: u64) -> SeedChat {
    SeedChat { chat: Chat::new(jid_of(index), t), messages: Vec::new() }
}

/// An address-book entry.
fn contact(phone: &str, pushname: &str, name: &str) -> Contact {
    Contact {
        jid: person_store_jid(phone),
        name: Some(name.to_owned()),
        notify: Some(pushname.to_owned()),
        short: Some(pushname.to_owned()),
    }
}

/// One side's copy of a demo message in its chat with account `peer`.
fn stored(
    peer: usize,
    id: &str,
    from_me: bool,
    t: u64,
    status: WebMessageInfoStatus,
    text: &str,
) -> NewMessage {
    let chat = jid_of(peer);
    let mut info = message::text_message(&chat, from_me, id, text, t);
    info.status = from_me.then_some(i32::from(status));
    let push_name = if from_me { None } else { ACCOUNTS.get(peer).map(|a| a.1.to_owned()) };
    info.push_name = push_name.clone();
    NewMessage {
        chat_jid: chat,
        id: id.to_owned(),
        from_me,
        timestamp: t,
        status,
        participant: None,
        push_name,
        info: message::encode(&info),
    }
}
