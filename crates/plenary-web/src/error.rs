//! Why a request failed, and its two shapes: an HTML error page
//! ([`PageError`]) and the API's `{"error": "..."}` ([`ApiError`]).
//!
//! Handlers return `Result<_, PageError>` or `Result<_, ApiError>` and use
//! `?` on store, search and people errors; both shapes keep the statuses the
//! site has always answered with (404, 400, 500). The detail of an internal
//! error is logged with `tracing::error!` and never sent to the client.

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use plenary_pipeline::PipelineError;
use plenary_search::SearchError;
use plenary_store::StoreError;
use serde::Serialize;

use crate::views::render;

/// Why a request failed, before it is shaped as HTML or JSON.
#[derive(Debug)]
pub(crate) enum Fail {
    NotFound(String),
    /// Taken down: it was here and was removed on purpose (410).
    Gone(String),
    BadRequest(String),
    /// The detail is logged; clients get a short fixed message.
    Internal(String),
}

impl Fail {
    /// Logs an internal error's detail; the response never carries it.
    fn log(&self, shape: &str) {
        if let Fail::Internal(detail) = self {
            tracing::error!(shape, detail = %detail, "request failed: internal error");
        }
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail::Internal(e.to_string())
    }
}

impl From<PipelineError> for Fail {
    fn from(e: PipelineError) -> Fail {
        match e {
            PipelineError::Store(s) => Fail::from(s),
            PipelineError::Search(s) => Fail::from(s),
            other => Fail::Internal(other.to_string()),
        }
    }
}

/// A query the search language cannot read is the client's mistake (400);
/// anything else is the index's (500).
impl From<SearchError> for Fail {
    fn from(e: SearchError) -> Fail {
        match e {
            SearchError::Query(q) => Fail::BadRequest(q.0),
            other => Fail::Internal(other.to_string()),
        }
    }
}

/// A failure answered with the HTML error page.
#[derive(Debug)]
pub(crate) struct PageError(pub(crate) Fail);

/// A failure answered with `{"error": "..."}`.
#[derive(Debug)]
pub(crate) struct ApiError(pub(crate) Fail);

/// Both shapes take every error a handler meets through `?`.
macro_rules! from_causes {
    ($shape:ident) => {
        impl From<Fail> for $shape {
            fn from(f: Fail) -> $shape {
                $shape(f)
            }
        }
        impl From<StoreError> for $shape {
            fn from(e: StoreError) -> $shape {
                $shape(e.into())
            }
        }
        impl From<PipelineError> for $shape {
            fn from(e: PipelineError) -> $shape {
                $shape(e.into())
            }
        }
        impl From<SearchError> for $shape {
            fn from(e: SearchError) -> $shape {
                $shape(e.into())
            }
        }
    };
}

from_causes!(PageError);
from_causes!(ApiError);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    nav: &'static str,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        self.0.log("html");
        let (status, title, message) = match self.0 {
            Fail::NotFound(m) => (StatusCode::NOT_FOUND, "Not found", m),
            Fail::Gone(m) => (StatusCode::GONE, "Removed", m),
            Fail::BadRequest(m) => (StatusCode::BAD_REQUEST, "Bad request", m),
            Fail::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Server error",
                "The archive could not be read. Please try again later.".to_string(),
            ),
        };
        render(
            &ErrorPage {
                title: title.to_string(),
                nav: "",
                message,
            },
            status,
        )
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log("json");
        let (status, error) = match self.0 {
            Fail::NotFound(m) => (StatusCode::NOT_FOUND, m),
            Fail::Gone(m) => (StatusCode::GONE, m),
            Fail::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            Fail::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the archive could not be read".to_string(),
            ),
        };
        (status, Json(ErrorBody { error })).into_response()
    }
}

/// Path parameters that do not decode become a 400 with a sentence for people
/// (pages and the downloads linked from them), not axum's plain text.
pub(crate) fn param<T>(p: Result<Path<T>, PathRejection>) -> Result<T, Fail> {
    p.map(|Path(v)| v)
        .map_err(|_| Fail::BadRequest("The address is not valid percent-encoded UTF-8.".into()))
}

/// A path parameter for the API: a failure is a 400 with axum's explanation.
pub(crate) fn api_param<T>(p: Result<Path<T>, PathRejection>) -> Result<T, Fail> {
    p.map(|Path(v)| v)
        .map_err(|e| Fail::BadRequest(e.body_text()))
}

/// A query string that does not deserialize: a 400 with axum's explanation.
pub(crate) fn query_param<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, Fail> {
    q.map(|Query(v)| v)
        .map_err(|e| Fail::BadRequest(e.body_text()))
}
