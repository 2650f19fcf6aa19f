//! `waweb serve --demo`: a few accounts to play with (minimal version).

use crate::context::now_ms;
use crate::store::{Account, Contact, SeedAccount, Store, StoreError};

/// Creates two demo accounts that know each other.
pub async fn seed<S: Store>(store: &S) -> Result<(), StoreError> {
    let now = now_ms();
    let people = [("15550000001", "Alice"), ("15550000002", "Bob")];
    let accounts = people
        .iter()
        .map(|(phone, name)| SeedAccount {
            account: Account::new(*phone, *name, now),
            contacts: people
                .iter()
                .filter(|(p, _)| p != phone)
                .map(|(p, n)| Contact {
                    name: Some((*n).to_string()),
                    ..Contact::new(format!("{p}@c.us"))
                })
                .collect(),
            chats: Vec::new(),
            blocklist: Vec::new(),
        })
        .collect();
    store.seed(accounts).await.map(|_| ())
}
