//! `["admin", …]` requests: the plaintext commands a client sends before (and around) the
//! encrypted stream — `init`, `login`, `challenge`, `Conn reref`, `Conn disconnect`, `test` and
//! `remember`.
//!
//! ```
//! use serde_json::json;
//! use waweb_proto::json::admin::AdminRequest;
//!
//! let v = json!(["admin", "init", [2, 2017, 6], ["Linux", "Chrome", "x86_64"],
//!                "okRkd/Cnma/fSEsSmom6TA==", true]);
//! let AdminRequest::Init(init) = AdminRequest::from_value(&v).unwrap() else { panic!() };
//! assert_eq!(init.version, [2, 2017, 6]);
//! assert_eq!(AdminRequest::Init(init).to_value(), v);
//! ```

use std::fmt;

use serde_json::{json, Value};

use super::fields::{array, at, bool_at, serde_via_value, str_at, string_at, Redacted};
use super::lenient::int_value;
use super::JsonError;

/// A client's `["admin", …]` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminRequest {
    /// `["admin","init",version,browser,clientId,remember]` — opens the connection.
    Init(InitRequest),
    /// `["admin","login",clientToken,serverToken,clientId,mode…]` — restores a session.
    Login(LoginRequest),
    /// `["admin","challenge",answer,serverToken,clientId]` — answers a `Cmd` challenge.
    Challenge(ChallengeAnswer),
    /// `["admin","Conn","reref"]` — asks for a new QR ref after the previous one expired.
    Reref,
    /// `["admin","Conn","disconnect"]` — logs this browser out (tag `goodbye`).
    Disconnect,
    /// `["admin","test"]` — is the phone reachable? Answered with `["Pong",bool]`.
    Test,
    /// `["admin","remember",bool]` — toggles "remember me".
    Remember(bool),
}

/// The body of `admin init`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitRequest {
    /// The WA Web version the client claims, e.g. `[2, 2017, 6]`.
    pub version: Vec<u32>,
    /// `[os, browser, version]` in modern clients, `[long, short]` in older ones.
    pub browser: Vec<String>,
    /// The client id: base64 of random bytes, reused for every later login and challenge.
    pub client_id: String,
    /// The "remember me" flag.
    pub remember: bool,
}

/// The body of `admin login`.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginRequest {
    /// `WAToken1`, from the last `Conn`.
    pub client_token: String,
    /// `WAToken2`, from the last `Conn`.
    pub server_token: String,
    /// The client id given at pairing.
    pub client_id: String,
    /// What to do with another active web session.
    pub mode: LoginMode,
}

/// The trailing elements of `admin login`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginMode {
    /// `"takeover"`: become the active web session, kicking any other.
    Takeover,
    /// `"reconnect","<wid>"`: resume after a network drop without kicking.
    Reconnect(String),
    /// `"force_reconnect","<wid>"`: the official client's flag-guarded variant.
    ForceReconnect(String),
    /// Nothing after the client id.
    Plain,
}

/// The body of `admin challenge`.
#[derive(Clone, PartialEq, Eq)]
pub struct ChallengeAnswer {
    /// base64 of HMAC-SHA256(macKey, challenge bytes).
    pub answer: String,
    /// The server token the client holds.
    pub server_token: String,
    /// The client id given at pairing.
    pub client_id: String,
}

impl AdminRequest {
    /// Reads an `["admin", …]` array.
    pub fn from_value(v: &Value) -> Result<Self, JsonError> {
        let a = array(v)?;
        let head = str_at(a, 0, "command")?;
        if head != "admin" {
            return Err(JsonError::UnknownCommand(head.to_owned()));
        }
        match str_at(a, 1, "subcommand")? {
            "init" => InitRequest::from_elements(a).map(AdminRequest::Init),
            "login" => LoginRequest::from_elements(a).map(AdminRequest::Login),
            "challenge" => ChallengeAnswer::from_elements(a).map(AdminRequest::Challenge),
            "Conn" => match str_at(a, 2, "Conn subcommand")? {
                "reref" => Ok(AdminRequest::Reref),
                "disconnect" => Ok(AdminRequest::Disconnect),
                other => Err(JsonError::UnknownCommand(format!("admin Conn {other}"))),
            },
            "test" => Ok(AdminRequest::Test),
            "remember" => bool_at(a, 2, "remember").map(AdminRequest::Remember),
            other => Err(JsonError::UnknownCommand(format!("admin {other}"))),
        }
    }

    /// Builds the wire array.
    pub fn to_value(&self) -> Value {
        match self {
            AdminRequest::Init(i) => {
                json!(["admin", "init", i.version, i.browser, i.client_id, i.remember])
            }
            AdminRequest::Login(l) => l.to_value(),
            AdminRequest::Challenge(c) => {
                json!(["admin", "challenge", c.answer, c.server_token, c.client_id])
            }
            AdminRequest::Reref => json!(["admin", "Conn", "reref"]),
            AdminRequest::Disconnect => json!(["admin", "Conn", "disconnect"]),
            AdminRequest::Test => json!(["admin", "test"]),
            AdminRequest::Remember(b) => json!(["admin", "remember", b]),
        }
    }
}

serde_via_value!(AdminRequest);

impl InitRequest {
    fn from_elements(a: &[Value]) -> Result<Self, JsonError> {
        Ok(InitRequest {
            version: version_at(a)?,
            browser: browser_at(a)?,
            client_id: string_at(a, 4, "clientId")?,
            remember: bool_at(a, 5, "remember")?,
        })
    }
}

fn version_at(a: &[Value]) -> Result<Vec<u32>, JsonError> {
    let wrong = JsonError::WrongType { field: "version", expected: "an array of integers" };
    let items = at(a, 2, "version")?.as_array().ok_or(wrong.clone())?;
    items.iter().map(|n| int_value(n).ok_or(wrong.clone())).collect()
}

fn browser_at(a: &[Value]) -> Result<Vec<String>, JsonError> {
    let wrong = JsonError::WrongType { field: "browser", expected: "an array of strings" };
    let items = at(a, 3, "browser")?.as_array().ok_or(wrong.clone())?;
    items.iter().map(|s| s.as_str().map(str::to_owned).ok_or(wrong.clone())).collect()
}

impl LoginRequest {
    fn from_elements(a: &[Value]) -> Result<Self, JsonError> {
        Ok(LoginRequest {
            client_token: string_at(a, 2, "clientToken")?,
            server_token: string_at(a, 3, "serverToken")?,
            client_id: string_at(a, 4, "clientId")?,
            mode: LoginMode::from_elements(a)?,
        })
    }

    fn to_value(&self) -> Value {
        let mut items = vec![
            json!("admin"),
            json!("login"),
            json!(self.client_token),
            json!(self.server_token),
        ];
        items.push(json!(self.client_id));
        match &self.mode {
            LoginMode::Takeover => items.push(json!("takeover")),
            LoginMode::Reconnect(wid) => items.extend([json!("reconnect"), json!(wid)]),
            LoginMode::ForceReconnect(wid) => items.extend([json!("force_reconnect"), json!(wid)]),
            LoginMode::Plain => {}
        }
        Value::Array(items)
    }
}

impl LoginMode {
    fn from_elements(a: &[Value]) -> Result<Self, JsonError> {
        let Some(mode) = a.get(5) else {
            return Ok(LoginMode::Plain);
        };
        match mode.as_str() {
            Some("takeover") => Ok(LoginMode::Takeover),
            Some("reconnect") => Ok(LoginMode::Reconnect(string_at(a, 6, "wid")?)),
            Some("force_reconnect") => Ok(LoginMode::ForceReconnect(string_at(a, 6, "wid")?)),
            Some(_) => Err(JsonError::InvalidValue { field: "mode", value: mode.to_string() }),
            None => Err(JsonError::WrongType { field: "mode", expected: "a string" }),
        }
    }
}

impl ChallengeAnswer {
    fn from_elements(a: &[Value]) -> Result<Self, JsonError> {
        Ok(ChallengeAnswer {
            answer: string_at(a, 2, "answer")?,
            server_token: string_at(a, 3, "serverToken")?,
            client_id: string_at(a, 4, "clientId")?,
        })
    }
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("client_token", &Redacted)
            .field("server_token", &Redacted)
            .field("client_id", &self.client_id)
            .field("mode", &self.mode)
            .finish()
    }
}

impl fmt::Debug for ChallengeAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChallengeAnswer")
            .field("answer", &self.answer)
            .field("server_token", &Redacted)
            .field("client_id", &self.client_id)
            .finish()
    }
}
