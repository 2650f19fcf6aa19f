//! The HTTP surface: the websocket endpoint `/ws`, the browser-less logout `/logout`
//! (docs/PROTOCOL.md §4.7), profile pictures under `/pp`, media under `/mms` (see
//! [`crate::media`]), the admin API under `/admin` (see [`crate::admin`]) and the web client at
//! `/` (see [`crate::web`]).

use std::sync::Arc;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::Deserialize;
use subtle::ConstantTimeEq;
use waweb_proto::crypto::{logout_token, SessionKeys};

use crate::app::App;
use crate::reply::status;
use crate::store::Store;

/// Every route of the server.
pub(crate) fn router<S: Store>(app: Arc<App<S>>) -> Router {
    Router::new()
        .route("/ws", get(crate::upgrade::websocket::<S>))
        .route("/logout", post(logout::<S>))
        .route("/pp/{phone}/{tag}", get(picture::<S>))
        .route("/pp/{phone}/{tag}/preview", get(preview::<S>))
        .nest("/admin", crate::admin::router(app.clone()))
        .merge(crate::web::router())
        .merge(crate::media::router(app.shared.media.clone()).with_state(()))
        .with_state(app)
}

#[derive(Deserialize)]
struct LogoutParams {
    t: String,
    m: String,
}

/// `POST /logout?t=<browserToken>&m=<b64(HMAC-SHA256(macKey, encKey))>`.
async fn logout<S: Store>(
    State(app): State<Arc<App<S>>>,
    params: Result<Query<LogoutParams>, QueryRejection>,
) -> Response {
    let Ok(Query(p)) = params else {
        return status(StatusCode::BAD_REQUEST, "t and m are required");
    };
    let store = &app.shared.store;
    let record = match store.session_by_browser_token(&p.t).await {
        Ok(Some(r)) => r,
        Ok(None) => return status(StatusCode::UNAUTHORIZED, "unknown session"),
        Err(e) => return status(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let keys = SessionKeys { enc_key: record.enc_key, mac_key: record.mac_key };
    let given = B64.decode(p.m.as_bytes()).unwrap_or_default();
    if !bool::from(logout_token(&keys).as_slice().ct_eq(&given)) {
        return status(StatusCode::UNAUTHORIZED, "logout token does not match");
    }
    if let Err(e) = store.remove_session(&record.client_id).await {
        return status(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string());
    }
    app.shared.hub.kick_client(&record.account, &record.client_id);
    tracing::info!(account = %record.account, "logged out over HTTP");
    status(StatusCode::OK, "logged out")
}

/// `GET /pp/<phone>/<tag>-<secret>`: the account's profile picture, while `tag` is its current
/// version and `secret` its 128 random bits (the URL the `picture` action and the
/// `ProfilePicThumb` query hand out); `/pp/<group id>/<tag>-<secret>` a group's (its JID without
/// `@g.us`). Anyone with the URL may fetch it, as from WhatsApp's own picture hosts; no one can
/// guess it.
async fn picture<S: Store>(
    State(app): State<Arc<App<S>>>,
    Path((phone, tag)): Path<(String, String)>,
) -> Response {
    serve_picture(&app, &phone, &tag, false).await
}

/// `GET /pp/<phone>/<tag>/preview`: its thumbnail.
async fn preview<S: Store>(
    State(app): State<Arc<App<S>>>,
    Path((phone, tag)): Path<(String, String)>,
) -> Response {
    serve_picture(&app, &phone, &tag, true).await
}

/// The store's owner of a `/pp/<owner>` path: a phone number, or `<digits>-<digits>` for a
/// group (`…@g.us`); `None` for anything else.
fn picture_owner(path: &str) -> Option<String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match path.split_once('-') {
        None => crate::store::check_phone(path).is_ok().then(|| path.to_owned()),
        Some((creator, t)) => (digits(creator) && digits(t)).then(|| format!("{path}@g.us")),
    }
}

async fn serve_picture<S: Store>(app: &App<S>, phone: &str, name: &str, preview: bool) -> Response {
    let gone = || status(StatusCode::NOT_FOUND, "no such picture (it may have been replaced)");
    let Some(owner) = picture_owner(phone) else {
        return gone();
    };
    let Some((tag, secret)) = name.split_once('-') else {
        return gone();
    };
    let named = |p_tag: &str, p_secret: &str| {
        p_tag == tag
            && !p_secret.is_empty()
            && bool::from(p_secret.as_bytes().ct_eq(secret.as_bytes()))
    };
    // The key first: a guessed URL costs one small read, never the images.
    match app.shared.store.picture_key(&owner).await {
        Ok(Some(k)) if named(&k.tag, &k.secret) => {}
        Ok(_) | Err(crate::store::StoreError::NotFound { .. }) => return gone(),
        Err(e) => return status(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
    // Checked again: a new upload may have replaced the picture in between.
    let picture = match app.shared.store.picture(&owner).await {
        Ok(Some(p)) if named(&p.tag, &p.secret) => p,
        Ok(_) | Err(crate::store::StoreError::NotFound { .. }) => return gone(),
        Err(e) => return status(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    let bytes = if preview { picture.preview } else { picture.image };
    let headers = [
        (header::CONTENT_TYPE, "image/jpeg"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // A tag names one upload: the bytes behind this URL never change.
        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
    ];
    (headers, bytes).into_response()
}
