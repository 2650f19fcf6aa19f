//! Hiding secrets in decoded JSON before it is shown: the `Conn` secret and tokens, session
//! keys, and the tokens and challenge answer inside `admin login` / `admin challenge`.
//!
//! A redacted string becomes `"<redacted N chars>"`, so a reader still sees that it was there.

use serde_json::Value;

/// Object members whose string values are secrets, wherever they appear.
const SECRET_MEMBERS: [&str; 7] =
    ["secret", "clientToken", "serverToken", "browserToken", "encKey", "macKey", "challenge"];

/// Replaces every secret string inside `value` with a placeholder.
pub fn redact_secrets(value: &mut Value) {
    redact_admin_arguments(value);
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (name, member) in map.iter_mut() {
                    if SECRET_MEMBERS.contains(&name.as_str()) && member.is_string() {
                        hide(member);
                    } else {
                        stack.push(member);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// `["admin","login",ct,st,id,…]` and `["admin","challenge",answer,st,id]`: the 3rd and 4th
/// items are secrets.
fn redact_admin_arguments(value: &mut Value) {
    let Some(items) = value.as_array_mut() else { return };
    let is_secret_admin = items.first().and_then(Value::as_str) == Some("admin")
        && matches!(items.get(1).and_then(Value::as_str), Some("login" | "challenge"));
    if is_secret_admin {
        items.iter_mut().skip(2).take(2).filter(|v| v.is_string()).for_each(hide);
    }
}

fn hide(v: &mut Value) {
    let len = v.as_str().map_or(0, |s| s.chars().count());
    *v = Value::String(format!("<redacted {len} chars>"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn conn_secrets_and_admin_tokens_are_hidden() {
        let mut conn = json!(["Conn", {"wid": "1@c.us", "secret": "abcd", "clientToken": "ct"}]);
        redact_secrets(&mut conn);
        assert_eq!(
            conn,
            json!(["Conn", {"wid": "1@c.us", "secret": "<redacted 4 chars>",
                            "clientToken": "<redacted 2 chars>"}])
        );
        let mut login = json!(["admin", "login", "ct", "st", "id", "takeover"]);
        redact_secrets(&mut login);
        assert_eq!(
            login,
            json!(["admin", "login", "<redacted 2 chars>", "<redacted 2 chars>", "id", "takeover"])
        );
        let mut init = json!(["admin", "init", [2, 2142, 12], ["a", "b"], "id", true]);
        let before = init.clone();
        redact_secrets(&mut init);
        assert_eq!(init, before);
    }
}
