//! Typed models of every JSON message of the protocol: what travels after the tag in a text frame
//! (`tag,JSON`), in both directions.
//!
//! One file per message family. Client → server: [`admin`] (`["admin","init"|"login"|…,…]`)
//! and [`query`] (`["query"|"action", word, …]`). Server → client: [`response`]
//! (`{"status":200,…}` answers) and [`push`] (`["Conn"|"Cmd"|"Stream"|…, body]`),
//! with the push bodies [`conn`], [`cmd`], [`blocklist`], [`stream`], [`props`], [`presence`],
//! [`msg`], [`status`], [`pong`], and the query answers [`contact`] (`exist`, `Status`,
//! `ProfilePicThumb`), [`media_conn`] and [`group`] (`GroupMetadata`). The top-level
//! [`ClientJson`] classifies any client payload.
//!
//! Conventions: array-shaped messages have `from_value(&Value)` / `to_value()` (and serde impls
//! built on them); object bodies are plain serde structs. Numbers are accepted as integers or as
//! floats holding an integer (`20000.0`), because several peers decode every number as a double.
//! Optional members are omitted, not written as `null`. Unknown members of `Conn` are kept.
//!
//! ```
//! use serde_json::json;
//! use waweb_proto::json::{ClientJson, admin::AdminRequest, query::JsonQuery};
//!
//! let test = ClientJson::from_value(&json!(["admin", "test"])).unwrap();
//! assert_eq!(test, ClientJson::Admin(AdminRequest::Test));
//!
//! let exist = ClientJson::from_value(&json!(["query", "exist", "33698765432@c.us"])).unwrap();
//! assert_eq!(exist, ClientJson::Query(JsonQuery::Exist("33698765432@c.us".into())));
//! ```

pub mod admin;
pub mod blocklist;
pub mod cmd;
pub mod conn;
pub mod contact;
mod error;
mod fields;
pub mod group;
mod lenient;
pub mod media_conn;
pub mod msg;
pub mod pong;
pub mod presence;
pub mod props;
pub mod push;
pub mod query;
pub mod response;
pub mod status;
pub mod stream;

use serde_json::Value;

pub use error::JsonError;

use admin::AdminRequest;
use fields::{head, serde_via_value};
use query::JsonQuery;

/// Any JSON payload a client sends in a text frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientJson {
    /// `["admin", …]`.
    Admin(AdminRequest),
    /// `["query", …]` or `["action", …]`.
    Query(JsonQuery),
}

impl ClientJson {
    /// Classifies a client payload by its first element.
    pub fn from_value(v: &Value) -> Result<Self, JsonError> {
        match head(v)?.0 {
            "admin" => AdminRequest::from_value(v).map(ClientJson::Admin),
            "query" | "action" => JsonQuery::from_value(v).map(ClientJson::Query),
            other => Err(JsonError::UnknownCommand(other.to_owned())),
        }
    }

    /// Builds the wire array.
    pub fn to_value(&self) -> Value {
        match self {
            ClientJson::Admin(a) => a.to_value(),
            ClientJson::Query(q) => q.to_value(),
        }
    }
}

serde_via_value!(ClientJson);
