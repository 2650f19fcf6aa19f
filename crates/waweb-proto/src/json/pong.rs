//! `["Pong",bool]`: whether the phone is reachable. The answer to `["admin","test"]`, and an
//! unsolicited push when the phone comes and goes. Baileys closes the connection on
//! `["Pong",false]`, so a server sends `false` only when it wants the client gone.

use serde::{Deserialize, Serialize};

/// Body of a `Pong` frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pong(pub bool);
