//! The server as a whole: [`Server::bind`] prepares storage, the admin token and the listening
//! socket; [`Server::run`] serves websocket clients and the admin API until shut down.
//!
//! ```no_run
//! # async fn demo() -> Result<(), waweb_server::ServerError> {
//! let mut config = waweb_server::Config::new("./waweb-data");
//! config.listen = "127.0.0.1:0".parse().unwrap();
//! let server = waweb_server::Server::bind(config).await?;
//! println!("ws://{}/ws", server.local_addr());
//! server.run(async { let _ = tokio::signal::ctrl_c().await; }).await
//! # }
//! ```

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::accept;
use crate::app::App;
use crate::config::Config;
use crate::context::Shared;
use crate::datadir::DataDirLock;
use crate::error::ServerError;
use crate::hub::Hub;
use crate::listener;
use crate::media::Media;
use crate::record::Recorder;
use crate::store::{AnyStore, Store};

/// How long [`Server::run`] waits for connections to say goodbye once shutdown starts.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(5);

/// A bound, not yet running server.
pub struct Server {
    listener: TcpListener,
    /// TLS, when configured, and the self-signed certificate to trust, if it is one.
    tls: Option<(tokio_rustls::TlsAcceptor, Option<std::path::PathBuf>)>,
    local_addr: SocketAddr,
    app: Arc<App<AnyStore>>,
    stop: watch::Sender<bool>,
    /// Held until the server has stopped: no second server on this data directory.
    data_dir: DataDirLock,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("local_addr", &self.local_addr).finish_non_exhaustive()
    }
}

impl Server {
    /// Creates the data directory (private, locked: see [`crate::datadir`]), opens the database, loads (or creates) the admin token,
    /// opens the recorder if asked, and binds the listening socket.
    pub async fn bind(mut config: Config) -> Result<Server, ServerError> {
        let location = config.store_location()?;
        let data_dir = crate::datadir::prepare_for(&config.data_dir, !location.is_postgres())?;
        let admin_token = match &config.admin_token {
            Some(t) if t.trim().is_empty() => return Err(ServerError::EmptyAdminToken),
            Some(t) => t.trim().to_string(),
            None => load_or_create_token(&config.admin_token_path())?,
        };
        let recorder = match &config.record_dir {
            Some(dir) => Some(
                Recorder::open(dir)
                    .map_err(|source| ServerError::Directory { path: dir.clone(), source })?,
            ),
            None => None,
        };
        let tls = match &config.tls {
            Some(source) => Some(crate::tls::acceptor(source, &config.data_dir)?),
            None => None,
        };
        let store = AnyStore::open(&location).await?;
        let hub = match &config.bus {
            Some(url) => Hub::nats(url).await?,
            None => Hub::new(),
        };
        let listener = listener::bind(config.listen)
            .map_err(|source| ServerError::Bind { addr: config.listen, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| ServerError::Bind { addr: config.listen, source })?;
        if config.public_url.is_none() && local_addr.ip().is_unspecified() {
            tracing::warn!(
                "listening on every address without a public URL: profile picture URLs will name \
                 127.0.0.1; set --public-url to the address clients use"
            );
        }
        data_dir.write_address(&crate::datadir::admin_base(local_addr, tls.is_some()))?;
        config.settle_public_url(local_addr);
        let (stop, stopped) = watch::channel(false);
        let media = Arc::new(Media::open_for(&config, &store).await?);
        let shared = Shared { store: Arc::new(store), hub, config: Arc::new(config), media };
        let app = Arc::new(App::new(shared, admin_token, recorder, stopped));
        Ok(Server { listener, tls, local_addr, app, stop, data_dir })
    }

    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The token the admin API expects as `Authorization: Bearer <token>`.
    pub fn admin_token(&self) -> &str {
        &self.app.admin_token
    }

    /// The self-signed certificate clients must trust, when the server made one.
    pub fn self_signed_cert(&self) -> Option<&Path> {
        self.tls.as_ref().and_then(|(_, cert)| cert.as_deref())
    }

    /// Whether it serves TLS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Media hosting (upload tokens, blobs).
    pub fn media(&self) -> Arc<Media> {
        self.app.shared.media.clone()
    }

    /// The storage, e.g. to create accounts before running.
    pub fn store(&self) -> Arc<AnyStore> {
        self.app.shared.store.clone()
    }

    /// Serves until `shutdown` resolves, then stops accepting, closes every session with a
    /// `going away` close frame, waits (up to a few seconds) for them to end, and closes the
    /// storage after its pending writes.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        let Server { listener, tls, app, stop, data_dir, .. } = self;
        let router = crate::http::router(app.clone());
        let config = &app.shared.config;
        let max_connections = config.max_connections.clamp(1, Semaphore::MAX_PERMITS);
        let bounds = accept::Bounds {
            slots: Arc::new(Semaphore::new(max_connections)),
            max_connections,
            handshake_timeout: config.handshake_timeout,
        };
        let slots = bounds.slots.clone();
        let tls = tls.map(|(acceptor, _)| acceptor);
        let accepting =
            tokio::spawn(accept::run(listener, tls, router, bounds, app.stopping.clone()));
        let sweep =
            crate::media::sweep::Sweep::new(app.shared.store.clone(), app.shared.media.clone());
        let interval = Duration::from_secs(config.media.sweep_interval_secs.max(1));
        let sweeping = tokio::spawn(sweep.run(interval, app.stopping.clone()));
        shutdown.await;
        tracing::info!("shutting down");
        // The accept loop and the connection tasks watch this and close their sessions.
        let _ = stop.send(true);
        let served = accepting.await;
        tracing::debug!("stopped accepting connections");
        // One deadline for both waits: the sessions, then the HTTP exchanges still in progress
        // (every connection holds a slot until it ends).
        let deadline = tokio::time::Instant::now() + DRAIN_TIMEOUT;
        app.wait_connections(DRAIN_TIMEOUT).await;
        let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
        let _ = tokio::time::timeout_at(deadline, slots.acquire_many(all)).await;
        // It stops at the signal; a pass in progress has nothing worth finishing.
        sweeping.abort();
        let closed = app.shared.store.close().await;
        tracing::debug!("storage closed");
        drop(data_dir);
        served.map_err(|e| ServerError::Serve(std::io::Error::other(e)))?;
        closed?;
        Ok(())
    }
}

/// Reads the admin token file, or creates it (mode 0600) with a fresh random token.
fn load_or_create_token(path: &Path) -> Result<String, ServerError> {
    let token = crate::datadir::read_or_create_secret(path)
        .map_err(|source| ServerError::AdminToken { path: path.to_path_buf(), source })?;
    if token.is_empty() {
        return Err(ServerError::EmptyAdminToken);
    }
    Ok(token)
}
