//! The two ways a connection becomes a logged-in web session: a QR scan (new pairing) and an
//! `admin login` with stored tokens (restore). Both end in a [`Handshake`] for the session.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use serde_json::{Map, Value};
use waweb_proto::binary::jid::person_jid;
use waweb_proto::crypto::SessionKeys;
use waweb_proto::json::admin::{LoginMode, LoginRequest};
use waweb_proto::json::blocklist::Blocklist;
use waweb_proto::json::conn::{Conn, Phone};
use waweb_proto::json::props::Props;
use waweb_proto::session::Handshake;

use super::{session_now, Connection};
use crate::context::now_ms;
use crate::hub::ScanError;
use crate::store::{Account, Store, StoreError, TokenRotation, WebSessionRecord};

/// Who the handshake in progress is for, until the session reports it ready.
#[derive(Debug)]
pub(super) struct Pending {
    pub account: String,
    pub pushname: String,
    pub client_id: String,
}

impl<S: Store> Connection<S> {
    /// `admin login`: accept (challenge included, per configuration) or reject with a status.
    pub(super) async fn on_login(&mut self, login: LoginRequest) {
        let decided = match self.check_login(&login).await {
            Ok((handshake, challenge)) => {
                self.session.accept_login_with(session_now(), handshake, challenge)
            }
            Err(status) => {
                tracing::info!(connection = self.id, status, "login refused");
                self.session.reject_login(session_now(), status)
            }
        };
        if let Err(e) = decided {
            // The connection timed out or closed while the store was read: nobody to answer.
            tracing::debug!(connection = self.id, error = %e, "login decided too late");
        }
    }

    /// The handshake for a login, and whether the client must first answer a challenge.
    ///
    /// Current tokens are rotated (compare-and-swap) before `Conn` carries the new pair. Stale
    /// tokens are challenged (when challenges are enabled) and, since nothing is proven yet,
    /// change nothing in storage: the client that passes gets the current pair.
    async fn check_login(&mut self, login: &LoginRequest) -> Result<(Handshake, bool), u16> {
        let store = self.app.shared.store.clone();
        let record = store.session(&login.client_id).await.map_err(server_error)?.ok_or(401u16)?;
        let current = record.tokens_match(&login.client_token, &login.server_token);
        if !current && !self.app.shared.config.session.challenge_on_login {
            return Err(401);
        }
        let (account, blocklist) =
            tokio::join!(store.account(&record.account), store.blocklist(&record.account));
        let account = account.map_err(server_error)?.ok_or(401u16)?;
        let blocklist = blocklist.map_err(server_error)?;
        let takeover = matches!(login.mode, LoginMode::Takeover);
        let hub = &self.app.shared.hub;
        if !takeover && hub.other_pairing_active(&account.phone, &record.client_id).await {
            return Err(409);
        }
        let rotated = if current {
            let rotation = TokenRotation {
                client_id: record.client_id.clone(),
                expected_server_token: record.server_token.clone(),
                new_client_token: self.client_token(),
                new_server_token: self.server_token(),
                now_ms: now_ms(),
            };
            store.rotate_tokens(rotation).await.map_err(|e| match e {
                StoreError::NotFound { .. } => 401,
                other => server_error(other),
            })?
        } else {
            record
        };
        let keys = SessionKeys { enc_key: rotated.enc_key, mac_key: rotated.mac_key };
        self.pending = Some(Pending {
            account: account.phone.clone(),
            pushname: account.pushname.clone(),
            client_id: rotated.client_id.clone(),
        });
        Ok((handshake(&account, &rotated, keys, blocklist, self.shown_ref.clone()), !current))
    }

    /// The phone of `phone` scanned this connection's QR: store the pairing, send `Conn`.
    /// `NotFound` when the account or the QR is gone, `Refused` when the browser's client id is
    /// paired already.
    pub(super) async fn pair_scanned(
        &mut self,
        phone: &str,
        client_public: [u8; 32],
    ) -> Result<(), ScanError> {
        let Some(r#ref) = self.session.scannable_ref(session_now()).map(str::to_string) else {
            return Err(ScanError::NotFound("the QR code expired".into()));
        };
        let Some(client_id) = self.session.client_id().map(str::to_string) else {
            return Err(ScanError::NotFound("the connection has no client id".into()));
        };
        let store = self.app.shared.store.clone();
        let storage = |e: StoreError| ScanError::Failed(format!("storage: {e}"));
        let account = store
            .account(phone)
            .await
            .map_err(storage)?
            .ok_or_else(|| ScanError::NotFound(format!("no account {phone}")))?;
        let blocklist = store.blocklist(phone).await.map_err(storage)?;
        let keys = SessionKeys::generate(&mut self.rng);
        let now = now_ms();
        let record = WebSessionRecord {
            client_id: client_id.clone(),
            account: account.phone.clone(),
            client_token: self.client_token(),
            server_token: self.server_token(),
            browser_token: self.server_token(),
            enc_key: keys.enc_key,
            mac_key: keys.mac_key,
            created_ms: now,
            last_seen_ms: now,
        };
        store.pair_session(record.clone()).await.map_err(|e| match e {
            StoreError::Conflict(why) => ScanError::Refused(why.to_owned()),
            e => storage(e),
        })?;
        let hs = handshake(&account, &record, keys, blocklist, Some(r#ref));
        if let Err(e) = self.session.pair(session_now(), &client_public, hs) {
            // The QR expired while the pairing was stored: take the pairing back, or the client
            // id would stay paired with keys that were never sent.
            if let Err(e) = store.remove_session(&client_id).await {
                tracing::warn!(connection = self.id, error = %e, "cannot undo an unsent pairing");
            }
            return Err(ScanError::NotFound(e.to_string()));
        }
        // Read when the session reports the handshake done, after this returns.
        self.pending = Some(Pending {
            account: account.phone.clone(),
            pushname: account.pushname.clone(),
            client_id,
        });
        tracing::info!(connection = self.id, account = %account.phone, "paired a new browser");
        Ok(())
    }

    /// A fresh `clientToken`: base64 of 32 random bytes.
    fn client_token(&mut self) -> String {
        let mut raw = [0u8; 32];
        self.rng.fill_bytes(&mut raw);
        B64.encode(raw)
    }

    /// A fresh `serverToken` or `browserToken`: `1@` and base64 of 32 random bytes.
    fn server_token(&mut self) -> String {
        format!("1@{}", self.client_token())
    }
}

fn server_error(e: StoreError) -> u16 {
    tracing::warn!(error = %e, "storage failed during login");
    500
}

/// The handshake of `account` with the tokens of `record` (docs/PROTOCOL.md §3.5).
fn handshake(
    account: &Account,
    record: &WebSessionRecord,
    keys: SessionKeys,
    blocklist: Vec<String>,
    r#ref: Option<String>,
) -> Handshake {
    let mut features = Map::new();
    features.insert("URL".into(), Value::Bool(true));
    let conn = Conn {
        r#ref,
        wid: Some(person_jid(&account.phone)),
        connected: Some(true),
        server_token: Some(record.server_token.clone()),
        browser_token: Some(record.browser_token.clone()),
        client_token: Some(record.client_token.clone()),
        lc: Some("FR".into()),
        lg: Some("fr".into()),
        locales: Some("fr-FR,en-GB,de-DE".into()),
        is_24h: Some(true),
        proto_version: Some(vec![0, 17]),
        bin_version: Some(11),
        battery: Some(80),
        plugged: Some(false),
        platform: Some("android".into()),
        features: Some(features),
        phone: Some(Phone::new("2.20.140", "208", "015", "10", "waweb", "server", "1")),
        pushname: Some(account.pushname.clone()),
        tos: Some(0),
        ..Conn::default()
    };
    Handshake { conn, keys, blocklist: Blocklist::new(blocklist), props: Props::seed_defaults() }
}
