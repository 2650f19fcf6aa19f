//! Upload tokens: `["query","mediaConn"]` gives an account a random token valid for a ttl; an
//! upload names it in `?auth=`. An account has one token at a time: asking again while it has
//! more than half its life left returns the same one (two requests close together agree), later
//! a fresh one replaces it and the old one stops working.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use rand::RngCore;

/// One issued token.
#[derive(Debug, Clone)]
struct Grant {
    account: String,
    expires_ms: u64,
}

#[derive(Default)]
struct Tokens {
    by_token: HashMap<String, Grant>,
    by_account: HashMap<String, String>,
}

/// The live upload tokens, at most one per account (so bounded by the number of accounts).
pub struct MediaTokens {
    ttl_ms: u64,
    inner: Mutex<Tokens>,
}

impl std::fmt::Debug for MediaTokens {
    // The tokens are credentials: a log line gets their number only.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let live = self.inner.lock().unwrap_or_else(|p| p.into_inner()).by_token.len();
        f.debug_struct("MediaTokens").field("ttl_ms", &self.ttl_ms).field("live", &live).finish()
    }
}

impl MediaTokens {
    /// Tokens that live `ttl_secs` seconds.
    pub fn new(ttl_secs: u64) -> Self {
        MediaTokens { ttl_ms: ttl_secs.saturating_mul(1000), inner: Mutex::default() }
    }

    /// The account's token and the seconds it has left, issuing a new one when it has none or
    /// the current one is past half its life.
    pub fn issue(&self, account: &str, now_ms: u64) -> (String, u64) {
        let mut t = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(grant) = t.by_account.get(account).and_then(|tok| t.by_token.get(tok)) {
            let left = grant.expires_ms.saturating_sub(now_ms);
            if left > self.ttl_ms / 2 {
                let token = t.by_account[account].clone();
                return (token, left / 1000);
            }
        }
        // Forget expired grants of every account while here.
        t.by_token.retain(|_, g| g.expires_ms > now_ms);
        let Tokens { by_token, by_account } = &mut *t;
        by_account.retain(|_, tok| by_token.contains_key(tok));
        if let Some(old) = by_account.remove(account) {
            by_token.remove(&old);
        }
        let mut raw = [0u8; 24];
        rand::rngs::OsRng.fill_bytes(&mut raw);
        let token = B64URL.encode(raw);
        let grant = Grant { account: account.to_owned(), expires_ms: now_ms + self.ttl_ms };
        by_token.insert(token.clone(), grant);
        by_account.insert(account.to_owned(), token.clone());
        (token, self.ttl_ms / 1000)
    }

    /// The account a token belongs to, while it is current.
    pub fn check(&self, token: &str, now_ms: u64) -> Option<String> {
        let t = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        t.by_token.get(token).filter(|g| g.expires_ms > now_ms).map(|g| g.account.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::MediaTokens;

    #[test]
    fn a_token_is_reused_then_rotated_then_expires() {
        let tokens = MediaTokens::new(100);
        let (first, ttl) = tokens.issue("1555", 0);
        assert_eq!(ttl, 100);
        assert_eq!(tokens.check(&first, 1_000).as_deref(), Some("1555"));
        assert_eq!(tokens.issue("1555", 40_000), (first.clone(), 60));
        let (second, ttl) = tokens.issue("1555", 60_000);
        assert_ne!(second, first);
        assert_eq!(ttl, 100);
        assert_eq!(tokens.check(&first, 60_001), None, "the rotated token is refused");
        assert_eq!(tokens.check(&second, 159_999).as_deref(), Some("1555"));
        assert_eq!(tokens.check(&second, 160_000), None, "expired");
        assert_eq!(tokens.check("nonsense", 0), None);
    }

    #[test]
    fn accounts_have_their_own_tokens() {
        let tokens = MediaTokens::new(100);
        let (a, _) = tokens.issue("1", 0);
        let (b, _) = tokens.issue("2", 0);
        assert_ne!(a, b);
        assert_eq!(tokens.check(&b, 0).as_deref(), Some("2"));
        // A new token of one account leaves the other's alone.
        tokens.issue("1", 80_000);
        assert_eq!(tokens.check(&b, 80_000).as_deref(), Some("2"));
    }
}
