//! plenary-web: the archive as a website and a JSON API.
//!
//! Pages are rendered on the server from askama templates (auto-escaped,
//! readable without JavaScript); the API under `/api/v1` returns the store's
//! model types as JSON, the same bodies the CLI prints. Mail addresses are
//! obfuscated pipermail-style (`anriette at apc.org`) unless
//! [`WebOptions::show_addresses`] is set.
//!
//! The site serves an [`Archive`] it is handed and opens no files itself. SQLite
//! work never runs on the async runtime: a small pool of the archive's readers is
//! shared, and each query runs in `tokio::task::spawn_blocking`.

mod charts;
mod error;
mod handlers;
mod http;
mod links;
mod openapi;
mod state;
mod text;
mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::header::{self, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use plenary_pipeline::{Archive, PipelineError};
use plenary_store::StoreError;

use state::{AppState, Pool, POOL_SIZE};

/// How the site shows what it serves.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    /// Show mail addresses as they are instead of `user at host`.
    pub show_addresses: bool,
    /// The Mailman 3 archiver endpoint (`/api/mailman/…`); off when `None`.
    pub archiver: Option<ArchiverOptions>,
}

/// The Mailman 3 archiver endpoint's settings.
#[derive(Debug, Clone, Default)]
pub struct ArchiverOptions {
    /// The shared key (the plugin's `api_key`).
    pub key: String,
    /// Addresses allowed to send (the Mailman host); empty: any.
    pub from: Vec<std::net::IpAddr>,
    /// The site's public URL for the permalinks handed to Mailman (else the
    /// request's Host).
    pub public_url: Option<String>,
    /// Lists (`name` or `name@domain`) whose mail is kept raw under
    /// `DATA/private/` and never shown.
    pub private_lists: Vec<String>,
}

/// Errors of setting up or running the server. Request failures never
/// surface here: they become 404/400/500 responses.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The archive's store could not be read.
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    /// The address is taken or not ours.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why the socket could not be bound.
        source: std::io::Error,
    },
    /// The archive's search index could not be opened.
    #[error("cannot open the search index: {0}")]
    Index(#[from] PipelineError),
    /// The server failed while serving.
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

/// The CSP of every response: nothing remote, no scripts.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

/// The one place the handlers' state is built: the archive's search index
/// (brought up to date) and a pool of its readers.
fn app_state(archive: Arc<Archive>, options: WebOptions) -> Result<AppState, WebError> {
    archive.index()?;
    // Catch up with anything imported while no index was written (an
    // interrupted or `--no-index` import). Another process holding the
    // writer (an import running now) is not an error: its commit will
    // reach this server's reader.
    if let Err(e) = archive.sync_index() {
        tracing::warn!("search index not brought up to date: {e}");
        eprintln!("warning: search index not brought up to date: {e}");
    }
    let pool = Pool::open(Arc::clone(&archive), POOL_SIZE)?;
    Ok(AppState {
        archiver: options.archiver.map(Arc::new),
        archive,
        pool: Arc::new(pool),
        addresses: text::Addresses {
            show: options.show_addresses,
        },
    })
}

/// The whole site: pages, static files and the JSON API.
///
/// # Errors
///
/// [`WebError::Store`] when the archive's store cannot be read,
/// [`WebError::Index`] when its search index cannot be opened.
pub fn router(archive: Arc<Archive>, options: WebOptions) -> Result<Router, WebError> {
    let data_dir = archive.dir().to_path_buf();
    let state = app_state(archive, options)?;
    let mut router = Router::new();
    for (doc, handler) in openapi::routes() {
        // The message route takes the still-encoded rest of the path.
        let path = doc.path.replace("/messages/{id}", "/messages/{*rest}");
        if path.contains("{*rest}/") {
            continue; // `…/raw`: the catch-all route serves it
        }
        if path.ends_with("/messages/{*rest}") {
            // `?id=` form for ids that cannot be a path segment
            router = router.route(&path.replace("{*rest}", ""), handler.clone());
        }
        router = router.route(&path, handler);
    }
    Ok(router
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .merge(handlers::mailman_routes())
        .merge(handlers::pages())
        .fallback(handlers::fallback)
        .layer(axum::middleware::from_fn_with_state(
            data_dir,
            http::conditional,
        ))
        .layer(
            // The API is read-only and public: any site may read it.
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::Any)
                .allow_methods([axum::http::Method::GET, axum::http::Method::HEAD])
                .expose_headers([header::ETAG, header::LAST_MODIFIED]),
        )
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state))
}

async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Serves the site on `addr` until ctrl-c, then finishes open requests.
///
/// # Errors
///
/// [`WebError::Store`] when the store cannot be opened, [`WebError::Bind`]
/// when `addr` cannot be listened on, [`WebError::Serve`] when the server fails.
pub async fn serve(
    archive: Arc<Archive>,
    options: WebOptions,
    addr: SocketAddr,
) -> Result<(), WebError> {
    let app = tokio::task::spawn_blocking(move || router(archive, options))
        .await
        .map_err(|e| WebError::Serve(std::io::Error::other(e)))??;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| WebError::Bind { addr, source })?;
    // the archiver endpoint checks the sender's address
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // If the signal cannot be installed, run until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
        .map_err(WebError::Serve)
}

#[cfg(test)]
mod tests;
