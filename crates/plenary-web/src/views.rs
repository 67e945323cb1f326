//! What more than one handler module shows.

use askama::Template;
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// A template as an HTML response; a template that fails to render is a
/// logged plain-text 500.
pub(crate) fn render<T: Template>(t: &T, status: StatusCode) -> Response {
    match t.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "page could not be rendered");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/plain; charset=utf-8"),
                )],
                "The page could not be rendered.",
            )
                .into_response()
        }
    }
}
