//! Exit codes that mean something, so scripts can react without parsing messages.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success |
//! | 1 | failure (see the message) |
//! | 2 | bad usage (clap's own code) |
//! | 3 | the saved session is invalid or missing: run `waweb login` again |
//! | 4 | the server cannot be reached |
//! | 5 | the server did not answer in time |

/// Generic failure.
pub const FAILURE: u8 = 1;
/// The session is invalid or missing: log in again.
pub const SESSION_INVALID: u8 = 3;
/// The server cannot be reached.
pub const UNREACHABLE: u8 = 4;
/// The server did not answer in time.
pub const TIMEOUT: u8 = 5;

/// An error that carries its exit code; attach it with `anyhow::Error::new(Exit(..))` or
/// `.context(..)` on top of one.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Exit {
    /// The process exit code.
    pub code: u8,
    /// What to tell the user, including what to do.
    pub message: String,
}

impl Exit {
    /// An error with this exit code and message.
    #[allow(clippy::new_ret_no_self)] // an Exit travels inside anyhow::Error
    pub fn new(code: u8, message: impl Into<String>) -> anyhow::Error {
        anyhow::Error::new(Exit { code, message: message.into() })
    }
}

/// An error and its causes on one line, `outer: cause: …`, leaving out a cause whose text the
/// line already holds (errors that print their source would otherwise say it twice).
pub fn describe(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// The exit code for an error: the first [`Exit`] in its chain, or [`FAILURE`].
pub fn code_for(e: &anyhow::Error) -> u8 {
    e.chain().find_map(|c| c.downcast_ref::<Exit>()).map_or(FAILURE, |x| x.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot listen on 127.0.0.1:8080: {source}")]
    struct Bind {
        source: std::io::Error,
    }

    #[test]
    fn a_cause_already_said_is_not_repeated() {
        let in_use = std::io::Error::new(std::io::ErrorKind::AddrInUse, "Address in use");
        let e = anyhow::Error::new(Bind { source: in_use }).context("cannot start the server");
        assert_eq!(
            describe(&e),
            "cannot start the server: cannot listen on 127.0.0.1:8080: Address in use"
        );
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(describe(&plain), "outer: inner");
    }
}
