//! The handlers, one module per resource. Each puts a resource's HTML page and
//! its `/api/v1` twin side by side over one data function; handler modules use
//! only the shared modules (`error`, `links`, `views`, `state`, `charts`,
//! `text`), never each other.
//!
//! The pages are routed here; the API's routes are `openapi::routes`.

pub(crate) mod agenda;
pub(crate) mod archive;
pub(crate) mod balance;
pub(crate) mod exports;
pub(crate) mod frameworks;
pub(crate) mod mailman;
pub(crate) mod people;
pub(crate) mod search;
pub(crate) mod transcripts;

use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::{ApiError, Fail, PageError};
use crate::state::AppState;

/// The Mailman 3 archiver endpoint and the permalinks it hands out.
pub(crate) fn mailman_routes() -> Router<AppState> {
    use axum::routing::post;
    Router::new()
        .route(
            "/api/mailman/archive",
            post(mailman::archive).layer(axum::extract::DefaultBodyLimit::max(mailman::MAX_BODY)),
        )
        .route("/api/mailman/urls", get(mailman::urls))
        .route(
            "/lists/{list}/message/{hash}",
            get(mailman::message_permalink),
        )
        .route("/hyperkitty/list/{fqdn}", get(mailman::hyperkitty_list))
        .route("/hyperkitty/list/{fqdn}/", get(mailman::hyperkitty_list))
        .route(
            "/hyperkitty/list/{fqdn}/{kind}/{hash}",
            get(mailman::hyperkitty),
        )
        .route(
            "/hyperkitty/list/{fqdn}/{kind}/{hash}/",
            get(mailman::hyperkitty),
        )
}

/// Every page, feed, export and redirect outside `/api/v1`.
pub(crate) fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(archive::home_page))
        .route("/lists", get(archive::lists_page))
        .route("/lists/{list}", get(archive::list_page))
        .route("/lists/{list}/{month}", get(archive::month_page))
        .route("/threads/{id}", get(archive::thread_page))
        // Message ids may hold any character, `/` included: one catch-all
        // reads the still-encoded path (see `archive::message_page`).
        .route("/messages/{*rest}", get(archive::message_page))
        .route("/messages/", get(archive::message_page))
        .route("/static/style.css", get(archive::style))
        .route("/events", get(agenda::events_page))
        .route("/events/{id}", get(agenda::event_page))
        .route("/events/{id}/calendar.ics", get(agenda::event_ics))
        .route("/events/{id}/schedule.json", get(agenda::event_frab))
        .route("/sessions/{id}", get(agenda::session_page))
        .route("/sessions/{id}/calendar.ics", get(agenda::session_ics))
        .route("/transcripts/{id}", get(transcripts::transcript_page))
        .route("/speakers/{name}/calendar.ics", get(agenda::speaker_ics))
        .route("/frameworks", get(frameworks::frameworks_index))
        .route("/frameworks/{id}", get(frameworks::other_framework))
        .route("/frameworks/{id}/{code}", get(frameworks::other_item))
        .route("/action-lines", get(frameworks::action_lines))
        .route("/action-lines/{code}", get(frameworks::action_line))
        .route("/sdgs", get(frameworks::sdgs))
        .route("/sdgs/{code}", get(frameworks::sdg))
        .route("/gdc", get(frameworks::gdc))
        .route("/gdc/{code}", get(frameworks::gdc_item))
        .route("/topics", get(frameworks::topics))
        .route("/topics/{code}", get(frameworks::topic))
        .route("/people", get(people::people_page))
        .route("/people/{id}", get(people::person_page))
        .route("/organizations/{id}", get(people::org_page))
        .route("/balance", get(balance::balance_page))
        .route("/network", get(balance::network_page))
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
        .route("/pipermail/{*rest}", get(archive::pipermail))
}

/// No route: a JSON 404 under `/api`, the HTML one elsewhere.
pub(crate) async fn fallback(uri: axum::http::Uri) -> Response {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        ApiError(Fail::NotFound("no such API endpoint".into())).into_response()
    } else {
        PageError(Fail::NotFound("There is no page at this address.".into())).into_response()
    }
}
