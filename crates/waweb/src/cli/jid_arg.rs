//! The one place where a chat or a person named on the command line becomes a JID: a bare phone
//! number (`15550000002`, `+1 555 000 0002`) is a user's `<number>@c.us`, the server spelling
//! `@s.whatsapp.net` becomes `@c.us`, groups (`…@g.us`) stay as they are; anything else (a name)
//! is refused with the forms that work.

use waweb_proto::binary::jid::{person_jid, Jid};

/// Parses a JID argument (used as clap's `value_parser`).
pub fn parse(arg: &str) -> Result<String, String> {
    let arg = arg.trim();
    if arg.contains('@') {
        return Jid::parse(arg)
            .filter(|j| !j.user.is_empty())
            .map(|j| j.to_c_us().to_string())
            .ok_or_else(|| refusal(arg));
    }
    let digits: String =
        arg.chars().filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')' | '.')).collect();
    if (5..=20).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(person_jid(&digits));
    }
    Err(refusal(arg))
}

fn refusal(arg: &str) -> String {
    format!(
        "{arg:?} is not a phone number or a JID: give a number (15550000002), a user's JID \
         (15550000002@c.us) or a group's (…@g.us, as `waweb chats` prints it)"
    )
}

/// The phone number of a user's JID (`15550000002@c.us` → `15550000002`), or the JID itself.
pub fn number(jid: &str) -> &str {
    match Jid::parse(jid) {
        Some(parsed) if parsed.is_user() => jid.split_once('@').map_or(jid, |(user, _)| user),
        _ => jid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_jids_become_c_us_names_are_refused() {
        assert_eq!(parse("15550000002").unwrap(), "15550000002@c.us");
        assert_eq!(parse(" +1 555-000-0002 ").unwrap(), "15550000002@c.us");
        assert_eq!(parse("15550000002@s.whatsapp.net").unwrap(), "15550000002@c.us");
        assert_eq!(parse("15550000002@c.us").unwrap(), "15550000002@c.us");
        assert_eq!(parse("15550000001-1700000000@g.us").unwrap(), "15550000001-1700000000@g.us");
        let refused = parse("Bob").unwrap_err();
        assert!(refused.starts_with("\"Bob\" is not a phone number or a JID"), "{refused}");
        assert!(parse("@c.us").is_err());
        assert!(parse("1@2@c.us").is_err(), "one @ at most");
        assert!(parse("123").is_err(), "too short for a number");
        assert_eq!(number("15550000002@c.us"), "15550000002");
    }
}
