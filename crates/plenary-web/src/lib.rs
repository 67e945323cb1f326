//! plenary-web: the archive as a website and a JSON API.
//!
//! Pages are rendered on the server from askama templates (auto-escaped,
//! readable without JavaScript); the API under `/api/v1` returns the store's
//! model types as JSON, the same bodies the CLI prints. Mail addresses are
//! obfuscated pipermail-style (`anriette at apc.org`) unless
//! [`WebConfig::show_addresses`] is set.
//!
//! SQLite work never runs on the async runtime: a small pool of [`Store`]s
//! is shared, and each query runs in `tokio::task::spawn_blocking`.

mod agenda;
mod api;
mod error;
mod exports;
mod http;
mod openapi;
mod pages;
mod people;
mod search;
mod state;
mod text;
mod views;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::http::header::{self, HeaderValue};
use axum::response::IntoResponse;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use plenary_store::{Store, StoreError};

pub(crate) use error::Fail;
use error::{ApiError, PageError};
pub(crate) use state::AppState;
use state::{Pool, POOL_SIZE};

/// How the web server runs.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The data folder holding the store.
    pub data_dir: PathBuf,
    /// Show mail addresses as they are instead of `user at host`.
    pub show_addresses: bool,
}

impl WebConfig {
    /// A configuration that obfuscates addresses.
    pub fn new(data_dir: impl Into<PathBuf>) -> WebConfig {
        WebConfig {
            data_dir: data_dir.into(),
            show_addresses: false,
        }
    }
}

/// Errors of setting up or running the server. Request failures never
/// surface here: they become 404/400/500 responses.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("cannot open the store: {0}")]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot open the search index: {0}")]
    Search(#[from] plenary_search::SearchError),
    #[error("cannot load frameworks: {0}")]
    Frameworks(#[from] plenary_frameworks::FrameworkError),
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
}

/// The CSP of every response: nothing remote, no scripts.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

/// The one place the handlers' state is built from a configuration: the
/// frameworks, the search index (brought up to date) and the store pool.
fn app_state(config: WebConfig) -> Result<AppState, WebError> {
    let frameworks =
        plenary_frameworks::Frameworks::load(Some(&config.data_dir.join("frameworks")))?;
    let search = plenary_search::SearchIndex::open(&config.data_dir.join("index"))?;
    {
        // Catch up with anything imported while no index was written (an
        // interrupted or `--no-index` import). Another process holding the
        // writer (an import running now) is not an error: its commit will
        // reach this server's reader.
        let store = Store::open(&config.data_dir)?;
        if let Err(e) = search.sync(&store, &frameworks) {
            eprintln!("warning: search index not brought up to date: {e}");
        }
    }
    let pool = Pool::open(config.data_dir, POOL_SIZE)?;
    Ok(AppState {
        search: Arc::new(search),
        pool: Arc::new(pool),
        frameworks: Arc::new(frameworks),
        addresses: text::Addresses {
            show: config.show_addresses,
        },
    })
}

/// The whole site: pages, static files and the JSON API.
///
/// # Errors
///
/// [`WebError::Store`] when the store in `config.data_dir` cannot be opened.
pub fn router(config: WebConfig) -> Result<Router, WebError> {
    let data_dir = config.data_dir.clone();
    let state = app_state(config)?;
    let mut router = Router::new();
    for (doc, handler) in openapi::routes() {
        // The message route takes the still-encoded rest of the path.
        let path = doc.path.replace("/messages/{id}", "/messages/{*rest}");
        router = router.route(&path, handler);
    }
    Ok(router
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/", get(pages::home))
        .route("/lists", get(pages::lists))
        .route("/lists/{list}", get(pages::list))
        .route("/lists/{list}/{month}", get(pages::month))
        .route("/threads/{id}", get(pages::thread))
        // Message ids may hold any character, `/` included: one catch-all
        // reads the still-encoded path (see `pages::message_route`).
        .route("/messages/{*rest}", get(pages::message_route))
        .route("/static/style.css", get(pages::style))
        .route("/events", get(agenda::events_page))
        .route("/events/{id}", get(agenda::event_page))
        .route("/events/{id}/calendar.ics", get(agenda::event_ics))
        .route("/events/{id}/schedule.json", get(agenda::event_frab))
        .route("/sessions/{id}", get(agenda::session_page))
        .route("/sessions/{id}/calendar.ics", get(agenda::session_ics))
        .route("/speakers/{name}/calendar.ics", get(agenda::speaker_ics))
        .route("/frameworks", get(agenda::frameworks_index))
        .route("/frameworks/{id}", get(agenda::other_framework))
        .route("/frameworks/{id}/{code}", get(agenda::other_item))
        .route("/action-lines", get(agenda::action_lines))
        .route("/action-lines/{code}", get(agenda::action_line))
        .route("/sdgs", get(agenda::sdgs))
        .route("/sdgs/{code}", get(agenda::sdg))
        .route("/gdc", get(agenda::gdc))
        .route("/gdc/{code}", get(agenda::gdc_item))
        .route("/topics", get(agenda::topics))
        .route("/topics/{code}", get(agenda::topic))
        .route("/people", get(people::people_page))
        .route("/people/{id}", get(people::person_page))
        .route("/organizations/{id}", get(people::org_page))
        .route("/balance", get(people::balance_page))
        .route("/network", get(people::network_page))
        .route("/search", get(search::search_page))
        .route("/search/feed.atom", get(exports::search_feed))
        .route("/search/mbox", get(exports::search_mbox))
        .route("/lists/{list}/feed.atom", get(exports::list_feed))
        .route("/lists/{list}/mbox", get(exports::list_mbox))
        .route("/lists/{list}/{month}/mbox", get(exports::month_mbox))
        .route("/threads/{id}/feed.atom", get(exports::thread_feed))
        .route("/threads/{id}/mbox", get(exports::thread_mbox))
        .route("/people/{id}/feed.atom", get(exports::person_feed))
        .route("/frameworks/{id}/{code}/feed.atom", get(exports::item_feed))
        .route("/pipermail/{*rest}", get(exports::pipermail))
        .fallback(fallback)
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

async fn fallback(uri: axum::http::Uri) -> Response {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        ApiError(Fail::NotFound("no such API endpoint".into())).into_response()
    } else {
        PageError(Fail::NotFound("There is no page at this address.".into())).into_response()
    }
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
pub async fn serve(config: WebConfig, addr: SocketAddr) -> Result<(), WebError> {
    let app = tokio::task::spawn_blocking(move || router(config))
        .await
        .map_err(|e| WebError::Serve(std::io::Error::other(e)))??;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| WebError::Bind { addr, source })?;
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
