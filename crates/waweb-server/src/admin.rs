//! The admin API under `/admin`, for operators and for the simulated phones.
//!
//! Every route but `GET /admin/health` needs `Authorization: Bearer <admin token>`.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `GET /admin/health` | | `{"status":"ok","connections":N}` (open websockets) |
//! | `GET /admin/accounts` | | `[{"phone","name","jid"}…]` |
//! | `POST /admin/accounts` | `{"phone","name"}` | 201 the account; 409 if it exists; 400 if invalid (phone: 7–15 digits, country code first, no leading 0, no `+` or spaces; name ≤ 25 characters), with a message saying why |
//! | `DELETE /admin/accounts/{phone}` | | 200 `{"status":200,"kicked":N}` (its N paired browsers are logged out); 404 |
//! | `POST /admin/scan` | `{"qr":"ref,pubkey,clientId","account":"PHONE"}` | 200 `{"status":200,"account","clientId"}` once the browser got its `Conn` (on whichever node it waits); 404 unknown or expired QR, unknown account; 409 the QR's client id is paired already (with any account: a browser logs out before it pairs again); 400 malformed QR; 504 the browser's connection did not answer; 503 the message bus is down |

use std::sync::Arc;

use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;
use subtle::ConstantTimeEq;
use waweb_proto::binary::jid::{person_jid, Phone};
use waweb_proto::session::QrCode;

use crate::app::App;
use crate::context::now_ms;
use crate::hub::{Delivery, ScanError, ScanRequest};
use crate::reply::status;
use crate::store::{Account, Store, StoreError};

type AppState<S> = State<Arc<App<S>>>;

/// The `/admin` routes.
pub(crate) fn router<S: Store>(app: Arc<App<S>>) -> Router<Arc<App<S>>> {
    let protected = Router::new()
        .route("/accounts", get(list_accounts::<S>).post(create_account::<S>))
        .route("/accounts/{phone}", delete(remove_account::<S>))
        .route("/scan", post(scan::<S>))
        .route_layer(middleware::from_fn_with_state(app, require_token::<S>));
    Router::new().route("/health", get(health::<S>)).merge(protected)
}

async fn require_token<S: Store>(State(app): AppState<S>, req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    if bool::from(given.as_bytes().ct_eq(app.admin_token.as_bytes())) {
        next.run(req).await
    } else {
        let mut resp = status(StatusCode::UNAUTHORIZED, "missing or wrong admin token");
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        resp
    }
}

async fn health<S: Store>(State(app): AppState<S>) -> Response {
    Json(json!({"status": "ok", "connections": app.open_connections()})).into_response()
}

async fn list_accounts<S: Store>(State(app): AppState<S>) -> Response {
    match app.shared.store.accounts().await {
        Ok(list) => {
            let list: Vec<_> = list.iter().map(account_json).collect();
            Json(list).into_response()
        }
        Err(e) => store_error(&e),
    }
}

/// A request body the admin API expects, with the shape it tells the caller on a bad one.
trait AdminBody: DeserializeOwned {
    /// The 400 message for a missing or malformed body.
    const EXPECTED: &'static str;
}

/// A JSON body that is rejected with 400 and the expected shape ([`AdminBody::EXPECTED`]).
struct Body<T>(T);

impl<T: AdminBody, St: Send + Sync> FromRequest<St> for Body<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &St) -> Result<Self, Response> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(body)) => Ok(Body(body)),
            Err(_) => Err(status(StatusCode::BAD_REQUEST, T::EXPECTED)),
        }
    }
}

#[derive(Deserialize)]
struct NewAccount {
    phone: String,
    name: String,
}

impl AdminBody for NewAccount {
    const EXPECTED: &'static str = "expected {\"phone\":\"DIGITS\",\"name\":\"…\"}";
}

async fn create_account<S: Store>(
    State(app): AppState<S>,
    Body(body): Body<NewAccount>,
) -> Response {
    // The number is checked here, where it enters, so that the message states the rule.
    let phone = match Phone::parse(&body.phone) {
        Ok(phone) => phone,
        Err(e) => return status(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let account = Account::new(phone, body.name, now_ms());
    match app.shared.store.create_account(account.clone()).await {
        Ok(()) => (StatusCode::CREATED, Json(account_json(&account))).into_response(),
        Err(e) => store_error(&e),
    }
}

async fn remove_account<S: Store>(State(app): AppState<S>, Path(phone): Path<String>) -> Response {
    // The paired browsers, counted from the store: their live sessions may be on any node.
    let paired = match app.shared.store.sessions_of(&phone).await {
        Ok(list) => list.len(),
        Err(e) => return store_error(&e),
    };
    match app.shared.store.remove_account(&phone).await {
        Ok(()) => {
            app.shared.hub.deliver(&phone, Delivery::Kicked);
            Json(json!({"status": 200, "kicked": paired})).into_response()
        }
        Err(e) => store_error(&e),
    }
}

#[derive(Deserialize)]
struct Scan {
    qr: String,
    account: String,
}

impl AdminBody for Scan {
    const EXPECTED: &'static str = "expected {\"qr\":\"ref,key,clientId\",\"account\":\"DIGITS\"}";
}

async fn scan<S: Store>(State(app): AppState<S>, Body(body): Body<Scan>) -> Response {
    let qr = match QrCode::parse(&body.qr) {
        Ok(qr) => qr,
        Err(e) => return status(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    match app.shared.store.account(&body.account).await {
        Ok(Some(_)) => {}
        Ok(None) => return status(StatusCode::NOT_FOUND, "no such account"),
        Err(e) => return store_error(&e),
    }
    let request = ScanRequest {
        r#ref: qr.r#ref.clone(),
        account: body.account.clone(),
        client_public: qr.public_key,
    };
    match app.shared.hub.scan(request).await {
        Ok(()) => {
            let answer = json!({"status": 200, "account": body.account, "clientId": qr.client_id});
            Json(answer).into_response()
        }
        Err(e @ ScanError::NotFound(_)) => status(StatusCode::NOT_FOUND, &e.to_string()),
        Err(e @ ScanError::Refused(_)) => status(StatusCode::CONFLICT, &e.to_string()),
        Err(e @ ScanError::Failed(_)) => status(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
        Err(ScanError::TimedOut) => {
            status(StatusCode::GATEWAY_TIMEOUT, "the browser's connection did not answer")
        }
        Err(ScanError::Bus(why)) => {
            tracing::warn!(error = %why, "a scan could not cross the message bus");
            let why = format!("the message bus did not carry the scan ({why}); check NATS");
            status(StatusCode::SERVICE_UNAVAILABLE, &why)
        }
    }
}

fn account_json(a: &Account) -> serde_json::Value {
    json!({"phone": a.phone, "name": a.pushname, "jid": person_jid(&a.phone)})
}

fn store_error(e: &StoreError) -> Response {
    let code = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if code.is_server_error() {
        tracing::warn!(error = %e, "admin request failed in storage");
    }
    status(code, &e.to_string())
}
